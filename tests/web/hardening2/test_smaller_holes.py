"""Issue 11, 7: the smaller holes, each replayed as on main.

- backups were written 0644 (they hold every person's data and password hashes);
- some malformed archives made ``restore`` print a raw traceback (a bad JSON line,
  non-UTF-8 bytes, a manifest entry that is not an object) -- with the member's hash
  updated, so that only the content is malformed;
- evidence file names over 255 characters were stored on SQLite (and failed on
  PostgreSQL after the file was saved);
- an officer trying to certify got 400 instead of 403.
"""

from __future__ import annotations

import hashlib
import json
import stat
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cruscotto.cli import main
from cruscotto.web.measurements import models as mm
from cruscotto.web.measurements.services import ValueInput, do_attach_evidence, do_set_values
from tests.web.api.conftest import Caller
from tests.web.measurements.conftest import People

TABLE = "tables/plans.indicatortarget.jsonl"


def test_a_backup_is_readable_by_its_owner_only(transactional_db: None, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    from tests.web.measurements.conftest import make_people

    make_people()  # (a backup takes its own snapshot: outside a test transaction)
    archive = tmp_path / "backup.zip"
    assert main(["backup", str(archive)]) == 0
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600


def _tampered(archive: Path, out: Path, member: str, content: bytes | None,
              manifest_change: Any = None) -> None:
    """``archive`` with ``member`` replaced by ``content`` and its hash updated."""
    with zipfile.ZipFile(archive) as src:
        manifest = json.loads(src.read("manifest.json"))
        if content is not None:
            name = member.removeprefix("tables/").removesuffix(".jsonl")
            manifest["tables"][name]["sha256"] = hashlib.sha256(content).hexdigest()
        if manifest_change is not None:
            manifest_change(manifest)
        with zipfile.ZipFile(out, "w") as dst:
            for info in src.infolist():
                data = src.read(info.filename)
                if info.filename == member and content is not None:
                    data = content
                if info.filename == "manifest.json":
                    data = json.dumps(manifest).encode()
                dst.writestr(info.filename, data)


@pytest.mark.parametrize("how", ["bad json line", "not utf-8", "entry not an object"])
def test_a_malformed_archive_gets_restores_own_error(
        transactional_db: None, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        how: str) -> None:
    from tests.web.measurements.conftest import make_people

    make_people()
    archive, bad = tmp_path / "backup.zip", tmp_path / "bad.zip"
    assert main(["backup", str(archive)]) == 0
    with zipfile.ZipFile(archive) as zf:
        original = zf.read(TABLE)
    if how == "bad json line":
        _tampered(archive, bad, TABLE, original + b"{not json\n")
        expected = "line"
    elif how == "not utf-8":
        _tampered(archive, bad, TABLE, original + b"\xff\xfe\xfa\n")
        expected = "not UTF-8"
    else:
        def change(m: dict[str, Any]) -> None:
            m["tables"]["plans.indicatortarget"] = ["not", "an", "object"]
        _tampered(archive, bad, TABLE, None, change)
        expected = "expected an object"
    capsys.readouterr()
    from django.core.management import call_command

    call_command("flush", "--noinput", verbosity=0)
    code = main(["restore", str(bad)])
    err = capsys.readouterr().err
    assert code != 0
    assert "Traceback" not in err
    assert expected in err and "bad.zip" in err


def test_an_evidence_name_over_255_characters_is_refused_before_saving(
        people: People, settings: Any, tmp_path: Path) -> None:
    from cruscotto.core.workflow import WorkflowError

    settings.MEDIA_ROOT = str(tmp_path)
    do_set_values(user=people.officer_a, period=people.year_end, items=[
        ValueInput("3.1.1", "budget_innovazione", __import__("decimal").Decimal(5))])
    # Django's own uploads cut names at 255; a caller of the service may not (the CLI, a
    # script): the service checks before anything is saved
    upload = SimpleUploadedFile("x.pdf", b"%PDF-1.4\n", content_type="application/pdf")
    upload._name = "a" * 300 + ".pdf"  # past UploadedFile's own cut
    with pytest.raises(WorkflowError, match="il nome del file è troppo lungo"):
        do_attach_evidence(user=people.officer_a, period=people.year_end, indicator="3.1.1",
                           variable="budget_innovazione", upload=upload)
    assert not mm.Evidence.objects.exists()
    assert not any(tmp_path.rglob("*.pdf"))


def test_an_officer_trying_to_certify_is_forbidden_not_a_bad_request(caller: Caller) -> None:
    status, body = caller.officer_a.act("3.1.1", "certify", expected_version=1)
    assert status == 403, body
    # a role that may certify, in the wrong state, is still told why (400)
    status, body = caller.oiv.act("3.1.1", "certify", expected_version=1)
    assert status == 400, body


@pytest.mark.parametrize("field", ["note"])
def test_a_6mb_note_is_refused_by_the_api(caller: Caller, field: str) -> None:
    status, body = caller.officer_a.put_values([
        {"indicator": "3.1.1", "variable": "budget_innovazione", "value": 5,
         "expected_version": 0, field: "x" * 6_000_000}])
    assert status == 400, body
    assert not mm.Value.objects.exists()


def test_long_texts_are_refused_by_the_services(people: People) -> None:
    from cruscotto.core.workflow import WorkflowError
    from cruscotto.web.measurements.services import do_submit

    with pytest.raises(WorkflowError, match="al massimo 2000"):
        do_set_values(user=people.officer_a, period=people.year_end, items=[ValueInput(
            "3.1.1", "budget_innovazione", None, note="x" * 2001)])
    with pytest.raises(WorkflowError, match="al massimo 4000"):
        do_submit(user=people.officer_a, period=people.year_end, indicator="3.1.1",
                  gap_explanation="x" * 4001)
    assert not mm.AuditEvent.objects.exists()


def test_the_api_requires_the_version_to_change_a_stored_value(caller: Caller) -> None:
    item = {"indicator": "3.1.1", "variable": "budget_innovazione", "value": 5}
    status, body = caller.officer_a.put_values([item])
    assert status == 200, body  # a new value: nothing to overwrite
    status, body = caller.officer_a.put_values([{**item, "value": 6}])
    assert status == 409 and body["version"] == 1 and body["current"] == 5, body
    status, body = caller.officer_a.put_values([{**item, "value": 6, "expected_version": 1}])
    assert status == 200, body
