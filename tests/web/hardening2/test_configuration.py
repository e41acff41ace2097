"""Issue 11, 7: a typo in CRUSCOTTO_ENV or a weak production key stops the start.

On main ``CRUSCOTTO_ENV=prod`` ran silently with DEBUG on and the development key, and
production accepted a one-character secret key.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.web.test_hardening import CRUSCOTTO, production_env, run


@pytest.mark.parametrize("typo", ["prod", "Produzione", "staging"])
def test_an_unknown_environment_is_refused(tmp_path: Path, typo: str) -> None:
    r = run([CRUSCOTTO, "check"], {**production_env(tmp_path), "CRUSCOTTO_ENV": typo},
            tmp_path)
    assert r.returncode != 0
    assert f"CRUSCOTTO_ENV={typo.lower()!r} is not known" in r.stderr


@pytest.mark.parametrize("key", ["x", "a" * 60, "short-but-varied-0123"])
def test_production_refuses_a_weak_secret_key(tmp_path: Path, key: str) -> None:
    r = run([CRUSCOTTO, "check"], {**production_env(tmp_path), "CRUSCOTTO_SECRET_KEY": key},
            tmp_path)
    assert r.returncode != 0
    assert "CRUSCOTTO_SECRET_KEY is too weak for production" in r.stderr


def test_development_is_still_accepted_by_name(tmp_path: Path) -> None:
    env = {**production_env(tmp_path), "CRUSCOTTO_ENV": "development",
           "DATABASE_URL": ""}
    r = run([CRUSCOTTO, "check"], env, tmp_path)
    assert r.returncode == 0, r.stderr
