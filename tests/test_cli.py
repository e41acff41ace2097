"""The `cruscotto` command, verb by verb, as a user runs it."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from decimal import Decimal
from pathlib import Path

import pytest

from cruscotto.cli import main
from cruscotto.core.plan import Plan
from cruscotto.data import SEED_TEXT, default_plan
from cruscotto.io.interchange import dump_path, dumps, plan_to_dict
from cruscotto.io.seed_text import import_path, import_text

CRUSCOTTO = Path(sys.executable).with_name("cruscotto")

CLEAN_TEXT = (
    "Missione\t011 Competitività e sviluppo delle imprese\n"
    "Programma\t005 Promozione\t€ 19.350.072\n"
    "Obiettivo strategico\t3. IMPRESE SOLIDE\n"
    "Obiettivo operativo\t3.1 INNOVAZIONE: Digitalizzare le imprese\n"
    "\tIndicatori\tDescrizione\tTipologia\tUnità\tFonte\tAlgoritmo di calcolo\t2021\t2022\t2023"
    "\tCentro di responsabilità\n"
    "3.1.1\tImprese digitalizzate\tImprese che hanno completato il percorso\tefficacia"
    "\tnumero\tRegistro imprese\tn>=x\t100\t120\t150\tServizi innovativi\n"
)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def run_command(*args: str, env: dict[str, str], timeout: float = 60
                ) -> subprocess.CompletedProcess[str]:
    """The installed `cruscotto` script in a fresh process (its own database, if any)."""
    return subprocess.run([str(CRUSCOTTO), *args], env={**os.environ, **env}, text=True,
                          capture_output=True, timeout=timeout, check=False)


# -- plan import-text ---------------------------------------------------------------

def test_import_text_reports_every_finding_and_exits_1_on_errors(capsys) -> None:
    expected = import_path(SEED_TEXT)
    code, out, err = run(capsys, "plan", "import-text", str(SEED_TEXT))
    assert code == 1 and expected.errors and err == ""
    lines = out.splitlines()
    assert len(lines) == len(expected.findings) + 1
    first = expected.findings[0]
    assert lines[0] == (f"{SEED_TEXT}:{first.line}: error: {first.kind}: {first.message}"
                        f" [{first.subject}]")
    assert lines[-1].startswith(f"36 indicators read; {len(expected.errors)} errors, ")
    assert lines[-1].endswith(f"; {len(expected.ignored)} lines ignored")


def test_import_text_json_report_lists_the_findings(capsys) -> None:
    code, out, _ = run(capsys, "plan", "import-text", str(SEED_TEXT), "--report", "json")
    assert code == 1
    assert json.loads(out) == {
        "findings": [f.as_dict() for f in import_path(SEED_TEXT).findings]}


def test_import_text_of_a_clean_text_exits_0_and_writes_the_plan(
    capsys, tmp_path: Path
) -> None:
    source = tmp_path / "piano.txt"
    source.write_text(CLEAN_TEXT, encoding="utf-8")
    out_file = tmp_path / "piano.yaml"
    code, out, _ = run(capsys, "plan", "import-text", str(source), "-o", str(out_file))
    assert code == 0
    assert out.splitlines() == [
        f"1 indicators read; 0 errors, 0 warnings, 0 notes; 0 lines ignored; "
        f"plan written to {out_file}"]
    # The text carries no organisation or title: the file is for a person to complete.
    assert out_file.read_text(encoding="utf-8") == dumps(
        import_text(CLEAN_TEXT, "piano.txt").plan, "yaml")


def test_import_text_writes_the_plan_even_with_errors_for_a_person_to_fix(
    capsys, tmp_path: Path
) -> None:
    out_file = tmp_path / "piano.json"
    code, _, _ = run(capsys, "plan", "import-text", str(SEED_TEXT), "-o", str(out_file))
    assert code == 1
    written = json.loads(out_file.read_text(encoding="utf-8"))
    assert [i["code"] for i in written["indicators"]] == [
        i.code for i in import_path(SEED_TEXT).plan.indicators]
    assert len(written["indicators"]) == 36


def test_import_text_of_a_missing_file_is_one_clear_error(capsys, tmp_path: Path) -> None:
    missing = tmp_path / "nessuno.txt"
    code, out, err = run(capsys, "plan", "import-text", str(missing))
    assert (code, out) == (2, "")
    assert err == f"cruscotto: error: {missing}: cannot read the file: No such file or directory\n"


def test_import_text_refuses_an_unknown_output_format_before_reading(
    capsys, tmp_path: Path
) -> None:
    code, _, err = run(capsys, "plan", "import-text", str(SEED_TEXT), "-o",
                       str(tmp_path / "piano.xlsx"))
    assert code == 2 and "'.xlsx'" in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


# -- plan export (no database) ------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_export_prints_the_default_plan(capsys, fmt: str) -> None:
    code, out, _ = run(capsys, "plan", "export", "--format", fmt)
    assert code == 0
    assert out == dumps(default_plan(), fmt)


@pytest.mark.django_db
def test_export_plan_key_reads_the_database(capsys) -> None:
    code, out, err = run(capsys, "plan", "export", "--plan", "x-2021-2023")
    assert (code, out) == (2, "")
    assert err.startswith("cruscotto: error: no plan 'x-2021-2023' in the database")


def test_export_xlsx_needs_an_output_file(capsys) -> None:
    code, out, err = run(capsys, "plan", "export", "--format", "xlsx")
    assert (code, out) == (2, "")
    assert "--format xlsx needs -o FILE" in err


@pytest.mark.django_db
def test_a_workbook_round_trips_through_the_database(capsys, tmp_path: Path) -> None:
    """XLSX of the stored seed plan -> import under another key -> JSON as the original."""
    from cruscotto.web.plans import models

    run(capsys, "plan", "load-default")
    book = tmp_path / "piano.xlsx"
    code, out, _ = run(capsys, "plan", "export", "--plan", "cciaa-mimblo-2021-2023",
                       "--format", "xlsx", "-o", str(book))
    assert (code, out) == (0, f"plan written to {book}: 36 indicators\n")
    models.Plan.objects.all().delete()
    code, out, _ = run(capsys, "plan", "import", str(book), "--as", "mio-piano")
    assert code == 0 and out.startswith("plan mio-piano stored: 36 indicators")
    code, out, _ = run(capsys, "plan", "export", "--plan", "mio-piano", "--format", "json")
    assert code == 0 and out == dumps(default_plan(), "json")


@pytest.mark.django_db
def test_a_bad_workbook_stores_nothing(capsys, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from cruscotto.web.plans import models

    book = tmp_path / "piano.xlsx"
    assert run(capsys, "plan", "export", "--format", "xlsx", "-o", str(book))[0] == 0
    wb = load_workbook(book)
    wb["Variabili"]["D2"] = "testo"
    wb.save(book)
    code, out, err = run(capsys, "plan", "import", str(book))
    assert (code, out) == (2, "")
    assert "foglio «Variabili», riga 2, colonna «Tipo»: valore «testo» non ammesso" in err
    assert not models.Plan.objects.exists()


@pytest.mark.django_db
def test_import_as_a_key_another_plan_holds_is_refused(capsys, tmp_path: Path,
                                                       small_plan: Plan) -> None:
    from cruscotto.web.plans import models

    run(capsys, "plan", "load-default")
    path = tmp_path / "piano.yaml"
    dump_path(small_plan, path)
    code, _, err = run(capsys, "plan", "import", str(path), "--as", "cciaa-mimblo-2021-2023")
    assert code == 2 and "is the key of another stored plan" in err
    assert models.Plan.objects.count() == 1


def test_reading_and_converting_need_no_database(tmp_path: Path) -> None:
    # an unreachable server: the verbs must not even import Django
    env = {"DATABASE_URL": "postgres://nobody@127.0.0.1:1/none"}
    probe = (
        "import sys; from cruscotto.cli import main; code = main(sys.argv[1:]); "
        "assert 'django' not in sys.modules, 'Django was imported'; sys.exit(code)")
    for args in (["plan", "export", "--format", "json"],
                 ["plan", "import-text", str(SEED_TEXT), "-o", str(tmp_path / "p.yaml")]):
        done = subprocess.run([sys.executable, "-c", probe, *args], env={**os.environ, **env},
                              capture_output=True, text=True, check=False)
        assert done.returncode in (0, 1), done.stderr
        assert "Traceback" not in done.stderr


# -- verbs with the database ------------------------------------------------------------

@pytest.mark.django_db
def test_import_stores_a_plan_file(capsys, tmp_path: Path, small_plan: Plan) -> None:
    from cruscotto.web.plans.selectors import read_plan

    path = tmp_path / "piano.yaml"
    dump_path(small_plan, path)
    code, out, _ = run(capsys, "plan", "import", str(path))
    assert code == 0
    assert out == ("plan cciaa-pr-2021-2023 stored: 4 indicators, 2 operational objectives, "
                   "2 missions, 7 periods\n")
    assert read_plan("cciaa-pr-2021-2023") == small_plan


@pytest.mark.django_db
def test_an_imported_plan_can_be_measured_at_once(capsys, tmp_path: Path,
                                                  encoded_plan: Plan) -> None:
    """Baseline, 30/06 and year end of every year, deadlines 30 days later; a value
    can be stored on the spot; a re-import does not bring back a removed date."""
    from django.contrib.auth import get_user_model

    from cruscotto.web.measurements import models as mm
    from cruscotto.web.measurements.services import ValueInput, do_set_values
    from cruscotto.web.plans import models

    path = tmp_path / "piano.yaml"
    dump_path(encoded_plan, path)
    assert run(capsys, "plan", "import", str(path))[0] == 0
    code, out, _ = run(capsys, "periods", "list", "--plan", "cciaa-pr-2021-2023")
    assert code == 0
    assert out.splitlines() == [
        "date        kind      deadline    values",
        "31/12/2020  baseline  30/01/2021  0",
        "30/06/2021  interim   30/07/2021  0",
        "31/12/2021  year_end  30/01/2022  0",
        "30/06/2022  interim   30/07/2022  0",
        "31/12/2022  year_end  30/01/2023  0",
        "30/06/2023  interim   30/07/2023  0",
        "31/12/2023  year_end  30/01/2024  0"]
    db = models.Plan.objects.get(key="cciaa-pr-2021-2023")
    period = mm.Period.objects.get(plan=db, end_date="2021-12-31")
    indicator = encoded_plan.indicator("3.2.1")  # reads imprese_assistite
    officer = get_user_model().objects.create_user(username="officer", password="pw")
    mm.CentreMembership.objects.create(
        user=officer, role="officer", centre=models.ResponsibilityCentre.objects.get(
            plan=db, name=indicator.centres[0]))
    [stored] = do_set_values(user=officer, period=period, items=[ValueInput(
        indicator="3.2.1", variable="imprese_assistite", value=Decimal(7))])
    assert stored.number == Decimal(7)
    assert run(capsys, "periods", "list", "--plan", db.key)[1].splitlines()[3] == \
        "31/12/2021  year_end  30/01/2022  1"
    run(capsys, "periods", "remove", "--plan", db.key, "--date", "30/06/2022")
    assert run(capsys, "plan", "import", str(path))[0] == 0
    assert not mm.Period.objects.filter(plan=db, end_date="2022-06-30").exists()
    assert mm.Period.objects.filter(plan=db).count() == 6


@pytest.mark.django_db
def test_import_of_a_bad_plan_names_the_codes_and_stores_nothing(
    capsys, tmp_path: Path, small_plan: Plan
) -> None:
    from cruscotto.web.plans.selectors import list_plans

    data = plan_to_dict(small_plan)
    data["indicators"].append(data["indicators"][0])  # 3.1.1 twice
    path = tmp_path / "piano.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    code, out, err = run(capsys, "plan", "import", str(path))
    assert (code, out) == (2, "")
    assert err.startswith(f"cruscotto: error: {path}")
    assert "3.1.1" in err and "Traceback" not in err
    assert list_plans() == []


@pytest.mark.django_db
def test_load_default_is_idempotent_and_publishes_the_plan(capsys) -> None:
    from cruscotto.web.plans import models

    for _ in range(2):
        code, out, _ = run(capsys, "plan", "load-default")
        assert code == 0
        assert out == ("plan cciaa-mimblo-2021-2023 stored: 36 indicators, "
                       "17 operational objectives, 4 missions, 7 periods (published)\n")
    assert models.Plan.objects.count() == 1
    assert models.Plan.objects.get().published
    assert models.Indicator.objects.count() == 36


@pytest.mark.django_db
def test_export_from_the_database_gives_back_what_was_loaded(
    capsys, small_plan: Plan
) -> None:
    from cruscotto.web.plans.services import write_plan

    run(capsys, "plan", "load-default")
    code, out, _ = run(capsys, "plan", "export", "--database", "--format", "json")
    assert code == 0 and out == dumps(default_plan(), "json")

    write_plan(plan=small_plan)
    code, out, err = run(capsys, "plan", "export", "--database")
    assert (code, out) == (2, "")
    assert err == ("cruscotto: error: the database holds 2 plans; choose one with --plan KEY: "
                   "cciaa-mimblo-2021-2023, cciaa-pr-2021-2023\n")
    code, out, _ = run(capsys, "plan", "export", "--database", "--plan", "cciaa-pr-2021-2023")
    assert code == 0 and out == dumps(small_plan, "yaml")
    code, _, err = run(capsys, "plan", "export", "--database", "--plan", "nessuno-2021-2023")
    assert code == 2 and "no plan 'nessuno-2021-2023' in the database" in err


@pytest.mark.django_db
def test_export_from_an_empty_database_says_how_to_load_a_plan(capsys) -> None:
    code, _, err = run(capsys, "plan", "export", "--database")
    assert code == 2
    assert "run `cruscotto plan load-default`" in err


@pytest.mark.django_db
def test_other_words_go_to_django_management(capsys) -> None:
    code, out, _ = run(capsys, "showmigrations", "plans")
    assert code == 0 and "[X] 0001_initial" in out


def test_a_database_without_tables_asks_for_migrate(tmp_path: Path) -> None:
    done = run_command("plan", "load-default",
                       env={"DATABASE_URL": "", "CRUSCOTTO_DATA_DIR": str(tmp_path)})
    assert done.returncode == 2
    assert done.stderr == ("cruscotto: error: the database has no tables yet: "
                           "run `cruscotto migrate`\n")


@pytest.mark.parametrize("args", [["migrate"], ["plan", "load-default"]])
def test_production_settings_without_a_secret_key_are_refused(
    tmp_path: Path, args: list[str]
) -> None:
    env = {"DATABASE_URL": "", "CRUSCOTTO_DATA_DIR": str(tmp_path), "CRUSCOTTO_DEBUG": "0",
           "CRUSCOTTO_SECRET_KEY": ""}
    done = run_command(*args, env=env)
    assert done.returncode == 2
    assert done.stderr == ("cruscotto: error: configuration: set CRUSCOTTO_SECRET_KEY "
                           "when CRUSCOTTO_DEBUG=0\n")


def test_serve_shows_the_loaded_plan(tmp_path: Path) -> None:
    env = {"DATABASE_URL": "", "CRUSCOTTO_DATA_DIR": str(tmp_path)}
    assert run_command("migrate", "--noinput", env=env).returncode == 0
    assert (tmp_path / "cruscotto.sqlite3").is_file()  # the embedded database, where asked
    assert run_command("plan", "load-default", env=env).returncode == 0
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([str(CRUSCOTTO), "serve", f"127.0.0.1:{port}"],
                              env={**os.environ, **env}, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        page = _get_when_up(f"{base}/plans/cciaa-mimblo-2021-2023/",
                            headers={"Accept-Language": "it"})
        assert "36 indicatori" in page
        css = _get_when_up(f"{base}/static/vendor/bootstrap-italia/css/bootstrap-italia.min.css")
        assert css.startswith("@charset") or ".it-header-wrapper" in css
    finally:
        server.terminate()
        server.wait(timeout=10)


def _get_when_up(url: str, headers: dict[str, str] | None = None) -> str:
    deadline = time.monotonic() + 20
    while True:
        try:
            request = urllib.request.Request(url, headers=headers or {})
            with urllib.request.urlopen(request, timeout=5) as response:
                return response.read().decode()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_periods_commands_work_from_a_shell(tmp_path: Path) -> None:
    """`periods add` as a person types it (a fresh process): the services' models need
    Django set up first; under pytest it always is, so run a real process."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "cruscotto.cli", *args], env=env,
                              capture_output=True, text=True, check=False)

    for args in (["migrate", "-v0"], ["plan", "load-default"]):
        assert cli(*args).returncode == 0
    done = cli("periods", "add", "--date", "30/09/2021", "--deadline", "31/10/2021")
    assert done.returncode == 0, done.stderr
    assert "30/09/2021  interim   31/10/2021  0" in done.stdout
