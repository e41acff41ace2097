"""Production settings, security headers and the lock-out of repeated wrong passwords.

The production settings are read by real `cruscotto` processes with
``CRUSCOTTO_ENV=production``, as a deployment starts them.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from tests.web.measurements.conftest import People, make_people

CRUSCOTTO = str(Path(sys.executable).with_name("cruscotto"))
LIMIT = 5  # AXES_FAILURE_LIMIT, the default of CRUSCOTTO_LOGIN_FAILURE_LIMIT


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    # nothing of the test run's own environment (e.g. the browser tests'
    # DJANGO_ALLOW_ASYNC_UNSAFE, which check --deploy rightly refuses)
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("CRUSCOTTO_", "DJANGO_")) and k != "DATABASE_URL"}
    env.update({
        "CRUSCOTTO_ENV": "production",
        "CRUSCOTTO_SECRET_KEY": secrets.token_urlsafe(50),
        "CRUSCOTTO_ALLOWED_HOSTS": "cruscotto.example.it",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        "CRUSCOTTO_DATA_DIR": str(tmp_path / "var"),
    })
    env.update(extra)
    return env


def run(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, env=env, cwd=cwd, capture_output=True, text=True, timeout=120)


def test_check_deploy_is_clean_with_production_settings(tmp_path: Path) -> None:
    r = run([CRUSCOTTO, "check", "--deploy", "--fail-level", "WARNING"],
            production_env(tmp_path), tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "no issues" in r.stdout


def test_check_deploy_flags_the_development_settings(tmp_path: Path) -> None:
    env = {**production_env(tmp_path), "CRUSCOTTO_ENV": "", "CRUSCOTTO_DEBUG": "1"}
    r = run([CRUSCOTTO, "check", "--deploy", "--fail-level", "WARNING"], env, tmp_path)
    assert r.returncode != 0
    assert "security.W004" in r.stderr  # no HSTS outside production
    assert "security.W018" in r.stderr  # DEBUG on


@pytest.mark.parametrize("missing", ["CRUSCOTTO_SECRET_KEY", "CRUSCOTTO_ALLOWED_HOSTS",
                                     "DATABASE_URL"])
def test_production_refuses_to_start_without_its_environment(tmp_path: Path,
                                                             missing: str) -> None:
    env = production_env(tmp_path)
    del env[missing]
    r = run([CRUSCOTTO, "check"], env, tmp_path)
    assert r.returncode == 2
    assert f"CRUSCOTTO_ENV=production needs {missing}" in r.stderr


def test_production_refuses_debug(tmp_path: Path) -> None:
    r = run([CRUSCOTTO, "check"], production_env(tmp_path, CRUSCOTTO_DEBUG="1"), tmp_path)
    assert r.returncode == 2
    assert "CRUSCOTTO_DEBUG=1 is refused" in r.stderr


PROBE = """
import json, django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.test import Client
c = Client()
plain = c.get("/", HTTP_HOST="cruscotto.example.it")
secure = c.get("/", HTTP_HOST="cruscotto.example.it", secure=True)
other = c.get("/", HTTP_HOST="evil.example.com", secure=True)
login = c.get("/accounts/login/", HTTP_HOST="cruscotto.example.it", secure=True)
print(json.dumps({
    "plain": [plain.status_code, plain.get("Location", "")],
    "secure": secure.status_code, "other": other.status_code,
    "headers": {h: secure.get(h, "") for h in (
        "Strict-Transport-Security", "X-Frame-Options", "X-Content-Type-Options",
        "Referrer-Policy", "Cross-Origin-Opener-Policy")},
    "csrf_cookie": login.cookies["csrftoken"]["secure"] if "csrftoken" in login.cookies else None,
}))
"""


def test_production_serves_https_only_with_the_security_headers(tmp_path: Path) -> None:
    env = production_env(tmp_path, DJANGO_SETTINGS_MODULE="cruscotto.web.settings")
    r = run([sys.executable, "-c", PROBE], env, tmp_path)
    assert r.returncode == 0, r.stderr
    got = json.loads(r.stdout.strip().splitlines()[-1])
    assert got["plain"] == [301, "https://cruscotto.example.it/"]
    assert got["secure"] == 200
    assert got["other"] == 400  # a host not in CRUSCOTTO_ALLOWED_HOSTS
    h = got["headers"]
    assert h["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert h["X-Frame-Options"] == "DENY"
    assert h["X-Content-Type-Options"] == "nosniff"
    assert h["Referrer-Policy"] == "same-origin"
    assert h["Cross-Origin-Opener-Policy"] == "same-origin"
    assert got["csrf_cookie"] is True


def test_pages_carry_the_security_headers_in_development(client: Client, db: None) -> None:
    r = client.get("/")
    assert r["X-Frame-Options"] == "DENY"
    assert r["X-Content-Type-Options"] == "nosniff"
    assert r["Referrer-Policy"] == "same-origin"


def test_upload_limits_are_set() -> None:
    from django.conf import settings

    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 5 * 2**20
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == settings.CRUSCOTTO_UPLOAD_MAX_BYTES
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 50 * 2**20


# -- lock-out after repeated wrong passwords --------------------------------------------

@pytest.fixture
def people(db: None) -> People:
    return make_people()


def login(client: Client, username: str, password: str) -> Any:
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_login_page_locks_a_user_name_after_too_many_wrong_passwords(people: People) -> None:
    c = Client()
    for _ in range(LIMIT - 1):
        r = login(c, "officer_a", "sbagliata")
        assert r.status_code == 200
        assert "Nome utente o password non corretti." in r.content.decode()
    # the limit-th wrong attempt locks the name...
    assert login(c, "officer_a", "sbagliata").status_code == 429
    # ...so the next wrong one is refused with the lock-out page
    r = login(c, "officer_a", "sbagliata")
    assert r.status_code == 429
    page = r.content.decode()
    assert "Accesso bloccato" in page and "bloccato per 15 minuti" in page
    assert r["Retry-After"] == "900"
    # even the right password, until the cool-off ends
    r = login(c, "officer_a", "pw-officer_a")
    assert r.status_code == 429
    assert "_auth_user_id" not in c.session
    # other people sign in as usual, from the same address
    other = Client()
    r = login(other, "officer_b", "pw-officer_b")
    assert r.status_code == 302
    assert other.session["_auth_user_id"] == str(people.officer_b.pk)


def test_a_success_before_the_limit_starts_the_count_again(people: People) -> None:
    c = Client()
    for _ in range(LIMIT - 1):
        login(c, "officer_a", "sbagliata")
    assert login(c, "officer_a", "pw-officer_a").status_code == 302
    c.logout()
    for _ in range(LIMIT - 1):
        assert login(c, "officer_a", "sbagliata").status_code == 200


def basic(username: str, password: str) -> dict[str, str]:
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


def test_api_basic_auth_is_locked_out_too(people: People) -> None:
    url = f"/api/plans/{people.plan.key}/periods/2021-12-31/values"
    c = Client()
    assert c.get(url, **basic("officer_a", "pw-officer_a")).status_code == 200
    for _ in range(LIMIT - 1):
        r = c.get(url, **basic("officer_a", "sbagliata"))
        assert r.status_code == 401
    assert c.get(url, **basic("officer_a", "sbagliata")).status_code == 429
    r = c.get(url, **basic("officer_a", "sbagliata"))
    assert r.status_code == 429
    assert "bloccato per 15 minuti" in r.json()["detail"]
    # the right password is refused as well while locked
    assert c.get(url, **basic("officer_a", "pw-officer_a")).status_code == 429
    # and so is the login page for that name: one count for both ways in
    assert login(Client(), "officer_a", "pw-officer_a").status_code == 429
    # another user is unaffected
    assert c.get(url, **basic("officer_b", "pw-officer_b")).status_code == 200
