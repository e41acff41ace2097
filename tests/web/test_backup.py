"""`cruscotto backup` and `cruscotto restore`: the round trip leaves identical data.

Identical means the same content hash of every table (rows, primary keys,
timestamps) and of every evidence file, as :func:`content_hashes` computes it
from the live database. The cross-database case backs up an SQLite file
database made by real `cruscotto` processes and restores it into the test
database: PostgreSQL when DATABASE_URL is set, so SQLite → PostgreSQL.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection

from cruscotto.cli import main
from cruscotto.web.backup import BackupError, backup, content_hashes, own_models, restore
from cruscotto.web.measurements import models as mm
from cruscotto.web.measurements.demo import load_demo
from cruscotto.web.measurements.services import do_attach_evidence
from tests.web.measurements.conftest import make_people

CRUSCOTTO = str(Path(sys.executable).with_name("cruscotto"))


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def full_database(transactional_db: None, media: Path) -> dict[str, Any]:
    """The seed plan, the demo people and values, a target revision and an evidence file."""
    people = make_people()
    load_demo(plan=people.plan)
    return {"people": people}


def _attach(people: Any) -> mm.Evidence:
    """Attach a PDF to a value the manager of centre A may still change."""
    admin = get_user_model().objects.create_superuser("archivista", password="x")
    mm.OrgRole.objects.create(user=admin, role="admin", organisation=people.plan.organisation)
    for value in mm.Value.objects.filter(period=people.year_end):
        for meas in mm.Measurement.objects.filter(period=people.year_end, state="draft"):
            try:
                return do_attach_evidence(
                    user=admin, period=people.year_end, indicator=meas.indicator.code,
                    variable=value.variable,
                    upload=SimpleUploadedFile("verbale.pdf", b"%PDF-1.4 verbale\n"))
            except Exception:  # noqa: BLE001 - look for a pair the workflow accepts
                continue
    raise AssertionError("no value to attach a document to")


def _empty_the_database() -> None:
    call_command("flush", interactive=False, verbosity=0)


def test_round_trip_keeps_every_table_and_file_identical(
        full_database: dict[str, Any], media: Path, tmp_path: Path) -> None:
    people = full_database["people"]
    evidence = _attach(people)
    before = content_hashes()
    archive = tmp_path / "backup.zip"

    summary = backup(archive)

    assert summary.sha256 == before["sha256"]
    assert summary.rows["measurements.auditevent"] == mm.AuditEvent.objects.count() > 0
    assert summary.rows["measurements.valueversion"] == mm.ValueVersion.objects.count() > 0
    assert summary.files == 1
    stored_name = evidence.file.name
    _empty_the_database()
    shutil.rmtree(media)
    assert not mm.Value.objects.exists()

    result = restore(archive)

    assert content_hashes() == before
    assert result.sha256 == before["sha256"]
    # the evidence file is back in the storage, byte for byte
    assert (media / stored_name).read_bytes() == b"%PDF-1.4 verbale\n"
    # timestamps and keys as they were, e.g. the audit trail's first event
    first = mm.AuditEvent.objects.order_by("pk").first()
    assert first is not None and first.at is not None
    # new rows get fresh keys after the restored ones (sequences moved on)
    u = get_user_model().objects.create_user("nuovo", password="pw-nuovo")
    assert u.pk > max(get_user_model().objects.exclude(pk=u.pk).values_list("pk", flat=True))


def test_users_come_back_without_secrets(full_database: dict[str, Any], tmp_path: Path
                                         ) -> None:
    User = get_user_model()
    hashes = list(User.objects.values_list("password", flat=True))
    archive = tmp_path / "backup.zip"
    backup(archive)
    raw = b"".join(zipfile.ZipFile(archive).read(n) for n in zipfile.ZipFile(archive).namelist())
    for h in hashes:
        assert h.encode() not in raw
    algorithms = {h.split("$", 1)[0] for h in hashes}
    assert algorithms and not any(f"{a}$".encode() in raw for a in algorithms)
    assert b"password" not in raw
    memberships = sorted(mm.CentreMembership.objects.values_list("user__username", "role"))
    _empty_the_database()

    restore(archive)

    officer = User.objects.get(username="officer_a")
    assert not officer.has_usable_password()
    assert not officer.check_password("pw-officer_a")
    assert sorted(mm.CentreMembership.objects.values_list("user__username", "role")
                  ) == memberships


def test_every_model_of_the_own_apps_is_in_the_archive(transactional_db: None,
                                                       tmp_path: Path) -> None:
    archive = tmp_path / "b.zip"
    backup(archive)
    manifest = json.loads(zipfile.ZipFile(archive).read("manifest.json"))
    for model in own_models():
        assert f"{model._meta.app_label}.{model._meta.model_name}" in manifest["tables"]
    assert manifest["format"] == "cruscotto-backup" and manifest["format_version"] == 1


def _rewrite(archive: Path, out: Path, change: Any) -> None:
    with zipfile.ZipFile(archive) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info.filename, change(info.filename, src.read(info.filename)))


def _tables_are_empty() -> bool:
    return not any(m._base_manager.exists() for m in own_models()) and \
        not get_user_model().objects.exists()


@pytest.mark.parametrize("how", ["row changed", "manifest hash changed", "table missing",
                                 "truncated", "not a zip"])
def test_a_damaged_or_altered_archive_is_refused_and_writes_nothing(
        full_database: dict[str, Any], tmp_path: Path, how: str) -> None:
    archive, bad = tmp_path / "backup.zip", tmp_path / "bad.zip"
    backup(archive)
    data = archive.read_bytes()
    if how == "row changed":
        _rewrite(archive, bad, lambda n, b: b.replace(b'2021', b'2022', 1)
                 if n == "tables/plans.indicatortarget.jsonl" else b)
        expected = "tables/plans.indicatortarget.jsonl: content hash does not match"
    elif how == "manifest hash changed":
        def change(n: str, b: bytes) -> bytes:
            if n != "manifest.json":
                return b
            m = json.loads(b)
            m["sha256"] = "0" * 64
            return json.dumps(m).encode()
        _rewrite(archive, bad, change)
        expected = "field 'sha256' does not match"
    elif how == "table missing":
        with zipfile.ZipFile(archive) as src, zipfile.ZipFile(bad, "w") as dst:
            for info in src.infolist():
                if info.filename != "tables/measurements.auditevent.jsonl":
                    dst.writestr(info.filename, src.read(info.filename))
        expected = "tables/measurements.auditevent.jsonl is missing"
    elif how == "truncated":
        bad.write_bytes(data[: len(data) // 2])
        expected = "not a Cruscotto backup"
    else:
        bad.write_bytes(b"indicator,variable\n")
        expected = "not a Cruscotto backup"
    _empty_the_database()

    with pytest.raises(BackupError, match=expected.replace("(", r"\(")):
        restore(bad)

    assert _tables_are_empty()


def test_restore_refuses_a_database_that_holds_data(full_database: dict[str, Any],
                                                    tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]
                                                    ) -> None:
    archive = tmp_path / "backup.zip"
    assert main(["backup", str(archive)]) == 0
    before = content_hashes()

    assert main(["restore", str(archive)]) == 2

    err = capsys.readouterr().err
    assert "restore goes into an empty database only" in err
    assert "plans_plan" in err
    assert content_hashes() == before


def test_restore_of_a_missing_file_names_it(transactional_db: None, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["restore", str(tmp_path / "nessuno.zip")]) == 2
    assert "nessuno.zip: no such file" in capsys.readouterr().err


def test_sqlite_file_database_restores_into_the_test_database(
        transactional_db: None, tmp_path: Path) -> None:
    """Real `cruscotto` processes fill an SQLite file; the test database (PostgreSQL
    when DATABASE_URL is set) restores it with the same content hashes."""
    env = {**os.environ, "DATABASE_URL": "", "CRUSCOTTO_DATA_DIR": str(tmp_path / "src")}
    archive = tmp_path / "from-sqlite.zip"
    for args in (["migrate", "-v0"], ["plan", "load-default"], ["demo"],
                 ["backup", str(archive)]):
        subprocess.run([CRUSCOTTO, *args], env=env, check=True, capture_output=True,
                       timeout=300)
    manifest = json.loads(zipfile.ZipFile(archive).read("manifest.json"))
    assert manifest["database"] == "sqlite"

    restore(archive)

    assert content_hashes()["sha256"] == manifest["sha256"]
    assert mm.Value.objects.filter(is_demo=True).count() == \
        manifest["tables"]["measurements.value"]["rows"] > 0
    # the restored database works: a new value version after the restored ones
    assert connection.vendor in {"sqlite", "postgresql"}
