"""The committed migrations describe the models exactly."""

from __future__ import annotations

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_is_missing_a_migration() -> None:
    # exits with status 1 (SystemExit) when makemigrations would write something
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
