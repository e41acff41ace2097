"""The engine's tests read its messages in English (the catalogue's English, as
``cruscotto evaluate --lang en`` prints them); the Italian source is tested where
people read it (tests/web/test_engine_messages.py, tests/test_cli_lint.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cruscotto.core import messages
from cruscotto.io.language import catalogue


@pytest.fixture(autouse=True)
def _english_messages() -> Iterator[None]:
    before = messages.get_translator()
    messages.set_translator(catalogue("en"))
    yield
    messages.set_translator(before)
