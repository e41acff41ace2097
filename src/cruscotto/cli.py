"""The ``cruscotto`` command.

Its own verbs::

    cruscotto plan import-text FILE [--report text|json] [-o OUT]
    cruscotto plan export [--format yaml|json] [--database [--plan KEY]]
    cruscotto plan export --format piao-docx -o FILE [--plan KEY] [--lang it|en]
    cruscotto plan import FILE [--as KEY] [--reason TEXT]
    cruscotto plan adopt KEY --act TEXT --date D
    cruscotto plan roll KEY --years 2022-2024 [--copy-targets] [--as KEY]
    cruscotto plan versions KEY
    cruscotto plan load-default
    cruscotto plan publish KEY | unpublish KEY
    cruscotto plan documents add KEY FILE --title T --kind K [--act-number N] [--act-date D]
    cruscotto plan documents list KEY
    cruscotto plan documents withdraw KEY ID --reason TEXT
    cruscotto opendata export DIR [--plan KEY]
    cruscotto plan lint [FILE] [--format text|json]
    cruscotto evaluate --year YEAR --values CSV [--plan FILE] [--period DATE]
                       [--format table|json|csv] [--explain CODE]
    cruscotto values template --year YEAR [--plan FILE]
    cruscotto periods list|add|set-deadline|remove [--plan KEY] [--date D] [--deadline D]
    cruscotto report --year YEAR --format pdf|docx|xlsx -o FILE [--plan KEY]
                     [--period DATE] [--basis certified|validated|all] [--lang it|en]
    cruscotto report approve --year YEAR --act ACT [--plan KEY] [--user NAME] [--lang it|en]
    cruscotto report editions [--plan KEY]
    cruscotto people list|add|assign|deactivate|reactivate|import (cruscotto.people_cli)
    cruscotto serve [ADDR]
    cruscotto backup FILE
    cruscotto restore FILE

Messages about the user's data (a values file's problems, a refused change of
periods) are in Italian, as the pages and the evaluation tables are; the
command's own usage and errors are in English.

Any other first word is a Django management command (``cruscotto migrate``,
``cruscotto createsuperuser``, ``cruscotto help``...).

Django is imported only by the verbs that use the database, so reading and
converting plan files works anywhere, with no database configured.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from cruscotto.core.findings import Finding, Severity
from cruscotto.core.messages import gettext_noop, msg
from cruscotto.core.plan import PlanError
from cruscotto.io.errors import InputError
from cruscotto.people_cli import add_parser as add_people_parser
from cruscotto.version import app_version

if TYPE_CHECKING:
    from cruscotto.core.plan import Plan
    from cruscotto.io.interchange import Format

PROG = "cruscotto"
DEFAULT_ADDR = "127.0.0.1:8000"
FORMATS = ("yaml", "json")
#: a finding's severity as ``cruscotto lint`` prints it (in the language of ``--lang``)
_SEVERITY_WORDS = {
    Severity.ERROR: msg(gettext_noop("errore")),
    Severity.WARNING: msg(gettext_noop("avvertenza")),
    Severity.INFO: msg(gettext_noop("nota")),
}
#: first words that are ours; anything else goes to Django's management
OWN_WORDS = {"plan", "opendata", "serve", "evaluate", "values", "demo", "periods", "results",
             "backup", "restore", "report", "remind", "people", "evaluations", "-h", "--help",
             "--version"}


class CommandFailed(Exception):
    """A failure the user can act on, reported as one line on stderr (exit 2)."""


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cruscotto.web.settings")
    if args and args[0] not in OWN_WORDS:
        return _django_command(args)
    parser = build_parser()
    ns = parser.parse_args(args)
    handler: Callable[[argparse.Namespace], int] | None = getattr(ns, "handler", None)
    if handler is None:
        (ns.subparser if hasattr(ns, "subparser") else parser).print_help()
        return 0
    from cruscotto.core.messages import get_translator, set_translator

    translator = get_translator()  # --lang changes it for this command only
    try:
        return handler(ns)
    except InputError as exc:
        return _fail(exc.describe())
    except PlanError as exc:
        return _fail(str(exc))
    except CommandFailed as exc:
        return _fail(str(exc))
    finally:
        set_translator(translator)


def _lang_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--lang", choices=("it", "en"), default="it",
                   help="the language of findings, reasons and tables (default: it)")


def _use_lang(ns: argparse.Namespace) -> None:
    from cruscotto.io.language import use_language

    use_language(getattr(ns, "lang", "it"))


def _fail(message: str) -> int:
    print(f"{PROG}: error: {message}", file=sys.stderr)
    return 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Cruscotto: the performance plan of a public administration.",
        epilog="Any other command is a Django management command, "
        "e.g. `cruscotto migrate`, `cruscotto createsuperuser`; `cruscotto help` lists them.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {app_version()}")
    verbs = parser.add_subparsers(title="commands", metavar="COMMAND")

    plan = verbs.add_parser("plan", help="read, convert, store and export plans")
    plan.set_defaults(subparser=plan)
    plan_verbs = plan.add_subparsers(title="plan commands", metavar="VERB")

    p = plan_verbs.add_parser(
        "import-text", help="read the plan from the text of a published plan (no database)",
        description="Read a plan from the text extracted from a published PDF and report "
        "what was repaired or could not be resolved. Exit code 1 when there are errors.")
    p.add_argument("file", metavar="FILE", help="the extracted text (UTF-8)")
    p.add_argument("--report", choices=("text", "json"), default="text",
                   help="how to print the findings (default: text)")
    p.add_argument("-o", "--output", metavar="OUT",
                   help="also write the plan read to OUT (.yaml, .yml or .json)")
    p.set_defaults(handler=_import_text)

    p = plan_verbs.add_parser(
        "export", help="print a plan as YAML or JSON, or write it as an Excel workbook",
        description="Print a plan in the interchange format: the shipped default plan, "
        "or with --database (or --plan KEY) a plan stored in the database. "
        "--format xlsx writes an Excel workbook (one sheet per level) to -o FILE; "
        "--format piao-docx writes the PIAO's performance section (2.2 Performance) of a "
        "stored plan as a Word document to -o FILE, in the language of --lang.")
    p.add_argument("--format", choices=(*FORMATS, "xlsx", "piao-docx"), default="yaml",
                   help="default: yaml")
    p.add_argument("--lang", choices=("it", "en"), default="it",
                   help="the language of the piao-docx document (default: it)")
    p.add_argument("-o", "--output", metavar="FILE",
                   help="write to FILE instead of printing (needed for xlsx)")
    p.add_argument("--database", action="store_true",
                   help="export a plan stored in the database instead of the default plan")
    p.add_argument("--plan", metavar="KEY",
                   help="a stored plan's key (implies --database; needed when several "
                        "are stored)")
    p.set_defaults(handler=_export)

    p = plan_verbs.add_parser(
        "import", help="store a plan from a YAML, JSON or Excel (.xlsx) file",
        description="Store a plan read from an interchange file or from a workbook "
        "written by `plan export --format xlsx`. A plan with the same organisation and "
        "years is updated in place. A new plan gets its periods at once: the baseline, "
        "30/06 and 31/12 of every year, each due 30 days after its date.")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--as", dest="key", metavar="KEY",
                   help="store the plan under this key (default: organisation-first-last)")
    p.add_argument("--reason", default="",
                   help="why the plan changes: required when an adopted plan's targets "
                        "change (each becomes a target revision with this justification)")
    p.set_defaults(handler=_import)

    p = plan_verbs.add_parser(
        "adopt", help="adopt a stored draft plan by an act (refused while the lint finds "
        "errors)",
        description="Adopt a draft plan: from now on its targets change only through "
        "revisions and every change of its content is a new version with its differences.")
    p.add_argument("key", metavar="KEY", help="the plan's key")
    p.add_argument("--act", required=True, help="the adopting act, e.g. 'Delibera n. 45/2021'")
    p.add_argument("--date", type=_cli_date, required=True, help="the act's date (31/01/2021)")
    p.set_defaults(handler=_adopt)

    p = plan_verbs.add_parser(
        "roll", help="make the next plan from a stored one (the rolling plan)",
        description="Store the next plan made from plan KEY: its objectives, indicators, "
        "variables and centres carried over (each indicator keeps its identity, so its "
        "series reads across both plans), the targets of the years both plans share "
        "carried over, the new years left to fill. The old plan is not changed.")
    p.add_argument("key", metavar="KEY", help="the plan to roll")
    p.add_argument("--years", required=True, help="the new plan's years, e.g. 2022-2024")
    p.add_argument("--copy-targets", action="store_true",
                   help="give the new years the old plan's last target")
    p.add_argument("--as", dest="new_key", metavar="KEY", help="the new plan's key")
    p.set_defaults(handler=_roll)

    p = plan_verbs.add_parser(
        "versions", help="list the versions of a stored plan and what each changed",
        description="Print the versions of an adopted plan, with every change field by field.")
    p.add_argument("key", metavar="KEY", help="the plan's key")
    p.set_defaults(handler=_versions)

    p = plan_verbs.add_parser(
        "load-default", help="store the shipped default plan (safe to repeat)",
        description="Store the plan shipped with Cruscotto (Piano della Performance "
        "2021-2023 of the Camera di Commercio di Milano Monza Brianza Lodi) and publish "
        "it, so that its certified results show in the public section.")
    p.set_defaults(handler=_load_default)

    for verb, what in (("publish", "show a stored adopted plan and its certified results to "
                                   "the public (/trasparenza/, open data, anonymous API); a "
                                   "draft is refused: adopt it first"),
                       ("unpublish", "withdraw a stored plan from the public")):
        p = plan_verbs.add_parser(verb, help=what, description=what[0].upper() + what[1:] + ".")
        p.add_argument("key", metavar="KEY", help="the plan's key")
        p.set_defaults(handler=_publish, published=verb == "publish")

    docs = plan_verbs.add_parser(
        "documents", help="the plan's official documents published on /trasparenza/",
        description="The plan's official documents (the plan or PIAO as adopted, the act "
        "of adoption, updates, the SMVP), published on /trasparenza/KEY/ beside the "
        "Relazione's editions.")
    docs.set_defaults(subparser=docs)
    doc_verbs = docs.add_subparsers(title="documents commands", metavar="VERB")
    q = doc_verbs.add_parser(
        "add", help="attach and publish a document (PDF, DOCX, XLSX or ODT)",
        description="Attach FILE to the plan KEY and publish it: the file is checked by "
        "its content (PDF, DOCX, XLSX or ODT), stored with its SHA-256 and size, and "
        "audited.")
    q.add_argument("key", metavar="KEY", help="the plan's key")
    q.add_argument("file", metavar="FILE", help="the document")
    q.add_argument("--title", required=True, help='e.g. "Piano della Performance 2021-2023"')
    q.add_argument("--kind", required=True,
                   choices=("piano", "adozione", "aggiornamento", "smvp", "altro"),
                   help="the plan (or PIAO), the act of adoption, an update, the SMVP, other")
    q.add_argument("--act-number", default="", help='e.g. "Delibera di Giunta n. 12"')
    q.add_argument("--act-date", default="", metavar="DATE", help="the act's date (28/01/2021)")
    q.add_argument("--user", metavar="NAME",
                   help="who attaches it (of the planning office); default: the command line")
    q.set_defaults(handler=_documents_add)
    q = doc_verbs.add_parser(
        "list", help="list the plan's documents, withdrawn ones too",
        description="List the plan's documents: id, kind, title, act, format, size, "
        "SHA-256, and whether withdrawn.")
    q.add_argument("key", metavar="KEY", help="the plan's key")
    q.set_defaults(handler=_documents_list)
    q = doc_verbs.add_parser(
        "withdraw", help="withdraw a document from the public (it stays listed)",
        description="Take the document ID off /trasparenza/; it stays listed with who "
        "withdrew it, when and why.")
    q.add_argument("key", metavar="KEY", help="the plan's key")
    q.add_argument("id", metavar="ID", type=int, help="the document's id (see `list`)")
    q.add_argument("--reason", required=True, help="why it is withdrawn")
    q.add_argument("--user", metavar="NAME", help="who withdraws it; default: the command line")
    q.set_defaults(handler=_documents_withdraw)

    p = plan_verbs.add_parser(
        "lint", help="check a plan as an assessment body would (no database)",
        description="Check a plan: targets that cannot be read, formulas reading undeclared "
        "variables, units that contradict targets, inferred polarities, broken numbers, "
        "codes that do not match their parents. FILE is a plan in YAML or JSON, or the text "
        "of a published plan (.txt); without FILE, the shipped default plan. "
        "Exit code 1 when there are errors.")
    p.add_argument("file", metavar="FILE", nargs="?", help="default: the shipped plan")
    p.add_argument("--format", choices=("text", "json"), default="text",
                   help="how to print the findings (default: text)")
    _lang_option(p)
    p.set_defaults(handler=_lint)

    p = verbs.add_parser(
        "evaluate", help="compute indicators, achievement and roll-up from a values file",
        description="Evaluate a plan for a year from a CSV of values (columns "
        "indicator,variable,year,value and optionally period; an empty variable gives the "
        "indicator's value directly). Prints every indicator's value, target, achievement "
        "and status, and the roll-up to objectives, missions, centres and the organisation. "
        "No database.")
    p.add_argument("--year", type=int, required=True, help="the plan year to evaluate")
    p.add_argument("--values", metavar="CSV", required=True, help="the values file")
    p.add_argument("--plan", metavar="FILE",
                   help="a plan in YAML or JSON (default: the shipped plan)")
    p.add_argument("--period", metavar="DATE",
                   help="an interim date of the year (30/06/2021): use that period's values")
    p.add_argument("--format", choices=("table", "json", "csv"), default="table",
                   help="default: table")
    p.add_argument("--explain", metavar="CODE",
                   help="print how one indicator's figure was obtained, step by step")
    _lang_option(p)
    p.set_defaults(handler=_evaluate)

    values = verbs.add_parser("values", help="values files for `cruscotto evaluate`")
    values.set_defaults(subparser=values)
    value_verbs = values.add_subparsers(title="values commands", metavar="VERB")
    p = value_verbs.add_parser(
        "template", help="print an empty values CSV with a row per input of the plan",
        description="Print a values CSV with one row per input the plan's formulas read "
        "for YEAR (and the year before, for growth targets), to fill in.")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--plan", metavar="FILE",
                   help="a plan in YAML or JSON (default: the shipped plan)")
    p.set_defaults(handler=_values_template)

    opendata = verbs.add_parser("opendata", help="the open data package of published plans")
    opendata.set_defaults(subparser=opendata)
    opendata_verbs = opendata.add_subparsers(title="opendata commands", metavar="VERB")
    p = opendata_verbs.add_parser(
        "export", help="write the open data package (CSV, JSON, datapackage.json) to DIR",
        description="Write the open data of the published plans to DIR: plan structure, "
        "targets per year and certified results, as CSV and JSON files with a Frictionless "
        "datapackage.json (check it with `frictionless validate DIR/datapackage.json`). "
        "Only published plans and certified values are written.")
    p.add_argument("dir", metavar="DIR", help="the directory to write (created if missing)")
    p.add_argument("--plan", metavar="KEY", help="one published plan only (default: all)")
    p.set_defaults(handler=_opendata_export)

    results = verbs.add_parser(
        "results", help="the stored results (the engine's figures the pages read)")
    results.set_defaults(subparser=results)
    results_verbs = results.add_subparsers(title="results commands", metavar="VERB")
    p = results_verbs.add_parser(
        "refresh", help="recompute the stored results of every period of a plan",
        description="Recompute the stored results (each indicator's figure and every "
        "roll-up, for the public, signed-in readers and the planning office) of every "
        "period of the stored plans, or of --plan only. The write paths keep them "
        "current; run this after a restore or a change made around them (the pages "
        "then say that some figures are older than the data).")
    p.add_argument("--plan", metavar="KEY", help="one plan only (default: every plan)")
    p.set_defaults(handler=_results_refresh)

    p = verbs.add_parser(
        "demo", help="create one demo person per role and demonstration values for 2021",
        description="Create demonstration people (one per role, printed with their "
        "passwords) and load demonstration values for 2021 into a stored plan, through the "
        "whole workflow. Everything is marked as demonstration data. Safe to repeat; "
        "values already stored are never overwritten.")
    p.add_argument("--plan", metavar="KEY",
                   help="the plan's key (needed when several are stored)")
    p.set_defaults(handler=_demo)

    evaluations = verbs.add_parser(
        "evaluations", help="individual performance (SMVP): configuration and payroll export",
        description="The individual evaluation under the organisation's SMVP: load the "
        "system's configuration for a year, export the year's cards for payroll. Cards "
        "are personal data: the export is for the personnel office only "
        "(docs/evaluations.md).")
    evaluations.set_defaults(subparser=evaluations)
    evaluation_verbs = evaluations.add_subparsers(title="evaluations commands",
                                                  metavar="VERB")
    p = evaluation_verbs.add_parser(
        "configure", help="load the SMVP of a year (the shipped example by default)",
        description="Check and store the SMVP configuration of FILE (YAML or JSON; default: "
        "the shipped example, cruscotto/data/smvp_example.yaml) for the plan's "
        "organisation and the file's year (its 'anno'). Every problem is printed with "
        "its place; nothing is stored unless the whole file is right.")
    p.add_argument("--plan", metavar="KEY", help="the plan's key (needed when several are "
                   "stored)")
    p.add_argument("--file", metavar="FILE", help="the configuration (YAML or JSON)")
    p.set_defaults(handler=_evaluations_configure)
    p = evaluation_verbs.add_parser(
        "export", help="write the year's cards for payroll (CSV or XLSX)",
        description="Write one row per card of YEAR: person, category, each component's "
        "achievement, total, band, coefficient and share of the category's bonus pool "
        "(final cards only), as CSV or XLSX. Text cells are written inert.")
    p.add_argument("--plan", metavar="KEY", help="the plan's key (needed when several are "
                   "stored)")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--format", choices=("csv", "xlsx"), required=True)
    p.add_argument("-o", "--output", metavar="FILE", required=True)
    p.set_defaults(handler=_evaluations_export)
    p = evaluation_verbs.add_parser(
        "import", help="create or update the year's cards from an XLSX of staff and objectives",
        description="Read FILE (sheets 'Personale': utente, nome, cognome, email, categoria, "
        "valutatore, centri; 'Obiettivi': utente, obiettivo, peso, unita, polarita, target, "
        "risultato) and create a draft card per person for YEAR, or update their draft "
        "card. All or nothing: every problem is printed with its sheet, row and column.")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--plan", metavar="KEY", help="the plan's key (needed when several are "
                   "stored)")
    p.add_argument("--year", type=int, required=True)
    p.set_defaults(handler=_evaluations_import)

    periods = verbs.add_parser(
        "periods", help="a stored plan's measurement dates and data-entry deadlines",
        description="List, add and remove the measurement dates of a stored plan "
        "and set their data-entry deadlines (the planning office's page does the same). "
        "Dates as 30/09/2021 or 2021-09-30. Every change is in the audit trail, made by "
        "--user if given (who must be of the planning office), else by the command line.")
    periods.set_defaults(subparser=periods)
    period_verbs = periods.add_subparsers(title="periods commands", metavar="VERB")

    def period_parser(name: str, help: str, handler: Callable[[argparse.Namespace], int],
                      *, date: bool = True) -> argparse.ArgumentParser:
        q = period_verbs.add_parser(name, help=help, description=help)
        q.add_argument("--plan", metavar="KEY",
                       help="the plan's key (needed when several are stored)")
        if date:
            q.add_argument("--date", required=True, type=_cli_date,
                           help="the period's date, e.g. 30/09/2021")
            q.add_argument("--user", metavar="NAME",
                           help="who makes the change (of the planning office)")
        q.set_defaults(handler=handler)
        return q

    period_parser("list", "print the plan's periods: date, kind, deadline, values held",
                  _periods_list, date=False)
    q = period_parser("add", "add a measurement period (interim date, year end or "
                      "baseline) with its deadline", _periods_add)
    q.add_argument("--kind", choices=("interim", "year-end", "baseline"),
                   help="default: year-end on 31/12, interim on any other day")
    q.add_argument("--deadline", type=_cli_date, help="data-entry deadline, e.g. 31/10/2021")
    q = period_parser("set-deadline", "change a period's data-entry deadline",
                      _periods_set_deadline)
    q.add_argument("--deadline", type=_cli_date, required=True)
    period_parser("remove", "remove an interim date (refused when it holds values)",
                  _periods_remove)

    p = verbs.add_parser(
        "backup", help="write the whole database and its evidence files to one archive",
        description="Write every table of Cruscotto (plans, periods, values with their "
        "versions, target revisions, audit trail, roles, centre memberships), the users and "
        "groups without passwords or sessions, and the evidence files, to FILE (a zip with a "
        "manifest of row counts and content hashes). Prints the hash of the whole.")
    p.add_argument("file", metavar="FILE", help="the archive to write (e.g. backup.zip)")
    p.set_defaults(handler=_backup)

    p = verbs.add_parser(
        "restore", help="restore an archive written by `cruscotto backup` (empty database)",
        description="Check FILE (format, the content hash of every table and file) and "
        "restore it, all or nothing, into an empty database (run `cruscotto migrate` "
        "first), keeping identifiers and timestamps. Restored users have no password: "
        "set one with `cruscotto changepassword USER`.")
    p.add_argument("file", metavar="FILE", help="an archive written by `cruscotto backup`")
    p.set_defaults(handler=_restore)

    p = verbs.add_parser(
        "report", help="write the Relazione sulla Performance or an interim monitoring report",
        description="Write the annual performance report (Relazione sulla Performance) of "
        "a stored plan for YEAR, or with --period the interim monitoring report at that "
        "date, as PDF, DOCX or XLSX, from the values in the database. --basis says which "
        "values count: certified (the default, what the public sees), validated (and "
        "certified) or all (every state, marked); the cover, the file and the workbook "
        "state it with the date and time the data were read. `report approve` freezes an "
        "approved edition; `report editions` lists them; `report cleanup` deletes old "
        "finished report jobs.")
    p.add_argument("--year", type=int, help="the plan year")
    p.add_argument("--format", choices=("pdf", "docx", "xlsx"))
    p.add_argument("-o", "--output", metavar="FILE", help="the file to write")
    p.add_argument("--plan", metavar="KEY",
                   help="the plan's key (needed when several are stored)")
    p.add_argument("--period", metavar="DATE",
                   help="an interim date of the year (30/06/2021): the monitoring report")
    p.add_argument("--basis", choices=("certified", "validated", "all"), default="certified",
                   help="which values count (default: certified)")
    p.add_argument("--all-states", action="store_true",
                   help="the same as --basis all")
    p.add_argument("--lang", choices=("it", "en"), default="it",
                   help="the document's language (default: it)")
    p.set_defaults(handler=_report)
    report_verbs = p.add_subparsers(title="report commands", metavar="VERB")
    q = report_verbs.add_parser(
        "approve", help="freeze the approved edition of a year's Relazione",
        description="Record the approval of YEAR's Relazione (the Giunta's act): render it "
        "on certified values as PDF, DOCX and XLSX and store the files with their SHA-256, "
        "the act, who and when, as a new edition that never changes. /trasparenza/ lists "
        "it. The OIV attaches its validation document on the report page.")
    q.add_argument("--year", type=int, required=True, help="the plan year")
    q.add_argument("--act", required=True,
                   help='the act, e.g. "Delibera di Giunta n. 45 del 18/06/2022"')
    q.add_argument("--plan", metavar="KEY",
                   help="the plan's key (needed when several are stored)")
    q.add_argument("--user", metavar="NAME",
                   help="who records the approval (of the planning office); default: "
                   "the command line")
    q.add_argument("--lang", choices=("it", "en"), default="it",
                   help="the edition's language (default: it)")
    q.set_defaults(handler=_report_approve)
    q = report_verbs.add_parser(
        "editions", help="list the approved editions of the Relazione",
        description="List the plan's approved editions: year, number, act, date, who, "
        "and the SHA-256 of the PDF.")
    q.add_argument("--plan", metavar="KEY",
                   help="the plan's key (needed when several are stored)")
    q.set_defaults(handler=_report_editions)
    q = report_verbs.add_parser(
        "cleanup", help="delete the files of old finished report jobs",
        description="Delete the report jobs (PDFs prepared for download, approvals already "
        "published) finished more than DAYS days ago, with their files. Approved "
        "editions' files are never deleted. The worker (`cruscotto db_worker`) does this "
        "once a day by itself.")
    q.add_argument("--days", type=int, metavar="DAYS",
                   help="keep the jobs of the last DAYS days (default: "
                   "CRUSCOTTO_REPORT_JOBS_KEEP_DAYS, 7)")
    q.set_defaults(handler=_report_cleanup)

    p = verbs.add_parser(
        "remind", help="send each person today's e-mail digest of deadlines and queues",
        description="Send each person one e-mail a day: indicators due in 7 days or "
        "tomorrow, overdue (also to the centre's manager), values returned to them, and "
        "what waits in their queue (to validate, to certify). A digest already sent for "
        "the day is not sent again, so running it twice is safe. Run it daily (cron or a "
        "systemd timer, see docs/deployment.md). Mail settings: CRUSCOTTO_EMAIL_URL and "
        "CRUSCOTTO_EMAIL_FROM.")
    p.add_argument("--today", metavar="DATE", type=_cli_date,
                   help="the day to remind for (20/01/2022; default: today)")
    p.add_argument("--dry-run", action="store_true",
                   help="say who would get a digest, send and record nothing")
    p.set_defaults(handler=_remind)

    add_people_parser(verbs)

    p = verbs.add_parser(
        "serve", help=f"serve the web pages (default {DEFAULT_ADDR})",
        description="Serve Cruscotto with Django's threaded server, without the "
        "auto-reloader and without migrating (run `cruscotto migrate` first). "
        "For many users, run a WSGI server on cruscotto.web.wsgi:application instead.")
    p.add_argument("addr", metavar="ADDR", nargs="?", default=DEFAULT_ADDR,
                   help="[HOST:]PORT to listen on")
    p.set_defaults(handler=_serve)
    return parser


# -- verbs that need no database ------------------------------------------------

def _import_text(ns: argparse.Namespace) -> int:
    from cruscotto.io.interchange import dump_path, format_of
    from cruscotto.io.seed_text import import_path

    if ns.output:
        format_of(ns.output)  # refuse a bad extension before the work, not after
    result = import_path(ns.file)  # reads the file, then seed_text.import_text
    if ns.output:
        # written even with errors: the file is what a person corrects by hand
        dump_path(result.plan, ns.output)
    findings = list(result.findings)
    if ns.report == "json":
        print(json.dumps({"findings": [f.as_dict() for f in findings]},
                         ensure_ascii=False, indent=2))
    else:
        for f in findings:
            where = f"{ns.file}:{f.line}" if f.line is not None else ns.file
            subject = f" [{f.subject}]" if f.subject else ""
            print(f"{where}: {f.severity.value}: {f.kind}: {f.message}{subject}")
        counts = {s: sum(1 for f in findings if f.severity is s) for s in Severity}
        print(
            f"{len(result.plan.indicators)} indicators read; "
            f"{counts[Severity.ERROR]} errors, {counts[Severity.WARNING]} warnings, "
            f"{counts[Severity.INFO]} notes; {len(result.ignored)} lines ignored"
            + (f"; plan written to {ns.output}" if ns.output else ""))
    return 1 if any(f.severity is Severity.ERROR for f in findings) else 0


def _export(ns: argparse.Namespace) -> int:
    if ns.format == "piao-docx":
        return _export_piao(ns)
    if ns.format == "xlsx" and not ns.output:
        raise CommandFailed("--format xlsx needs -o FILE (a workbook is not printed)")
    if ns.database or ns.plan:
        _setup_django()
        from cruscotto.web.plans import models, selectors

        with _database_errors():
            key = ns.plan or _only_plan_key(selectors.plan_keys())
            try:
                from cruscotto.web.measurements.authoring import in_force

                # the targets in force (revisions applied): a workbook edited and
                # imported back changes only what the person changed
                plan = in_force(models.Plan.objects.values_list("pk", flat=True).get(key=key))
            except models.Plan.DoesNotExist:
                raise CommandFailed(
                    f"no plan {key!r} in the database; stored: "
                    f"{', '.join(selectors.plan_keys()) or 'none'}") from None
    else:
        plan = _default_plan()
    if ns.format == "xlsx":
        from cruscotto.io.plan_xlsx import dump_xlsx

        dump_xlsx(plan, ns.output)
        print(f"plan written to {ns.output}: {len(plan.indicators)} indicators")
        return 0
    text = _dumps(plan, ns.format)
    text = text if text.endswith("\n") else text + "\n"
    if ns.output:
        from pathlib import Path

        Path(ns.output).write_text(text, encoding="utf-8")
        return 0
    sys.stdout.write(text)
    return 0


def _export_piao(ns: argparse.Namespace) -> int:
    """The PIAO's section 2.2 Performance of a stored plan, as a Word document."""
    if not ns.output:
        raise CommandFailed("--format piao-docx needs -o FILE (a document is not printed)")
    _setup_django()
    from pathlib import Path

    from cruscotto.web.plans import models, selectors
    from cruscotto.web.reports.piao import piao_data, piao_docx

    with _database_errors():
        key = ns.plan or _only_plan_key(selectors.plan_keys())
        try:
            plan_id = models.Plan.objects.values_list("pk", flat=True).get(key=key)
        except models.Plan.DoesNotExist:
            raise CommandFailed(
                f"no plan {key!r} in the database; stored: "
                f"{', '.join(selectors.plan_keys()) or 'none'}") from None
        data = piao_data(plan_id)
        Path(ns.output).write_bytes(piao_docx(data, ns.lang))
    print(f"PIAO performance section of {key} written to {ns.output} ({ns.lang}): "
          f"{len(data.plan.indicators)} indicators")
    return 0


def _only_plan_key(keys: list[str]) -> str:
    if not keys:
        raise CommandFailed("the database holds no plan: run `cruscotto plan load-default` "
                            "or `cruscotto plan import FILE`")
    if len(keys) > 1:
        raise CommandFailed(f"the database holds {len(keys)} plans; choose one with "
                            f"--plan KEY: {', '.join(keys)}")
    return keys[0]


def _load_plan_file(path: str | None) -> tuple[Plan, list[Finding]]:
    """The plan in ``path`` (YAML, JSON or published text) or the default plan."""
    if not path:
        return _default_plan(), []
    from cruscotto.io.interchange import EXTENSIONS, load_path

    if os.path.splitext(path)[1].lower() in EXTENSIONS:
        return load_path(path), []
    from cruscotto.io.seed_text import import_path

    result = import_path(path)
    return result.plan, list(result.findings)


def _lint(ns: argparse.Namespace) -> int:
    from cruscotto.core.lint import lint_plan

    _use_lang(ns)
    plan, read_findings = _load_plan_file(ns.file)
    # what the text import could not resolve counts; what it repaired is its own report
    findings = [f for f in read_findings if f.severity is not Severity.INFO]
    lint_findings = lint_plan(plan)
    name = ns.file or plan.source.file or "default plan"
    # a plan file (YAML/JSON) has its own lines; the indicators' lines are those of
    # the document the plan was first read from, shown apart as the source
    file_lines: dict[str, dict[int | None, int]] | None = None
    if ns.file and os.path.splitext(ns.file)[1].lower() in _plan_file_extensions():
        from cruscotto.io.interchange import indicator_lines

        file_lines = indicator_lines(ns.file)
    located: list[tuple[Finding, int | None, int | None]] = [
        (f, f.line, None) for f in findings]
    for f in lint_findings:
        if file_lines is None:
            located.append((f, f.line, None))
            continue
        at = file_lines.get(f.subject, {})
        year = re.match(r"(\d{4}):", f.message)
        line = at.get(int(year.group(1)), at.get(None)) if year else at.get(None)
        located.append((f, line, f.line))
    findings += lint_findings
    source = plan.source.file or "the source document"
    if ns.format == "json":
        print(json.dumps({"plan": plan.title, "file": ns.file, "findings": [
            {**f.as_dict(), "line": line, "text": str(f.text or f.message)}
            | ({"source_line": src} if file_lines is not None else {})
            for f, line, src in located]}, ensure_ascii=False, indent=2))
    else:
        for f, line, src in located:
            where = f"{name}:{line}" if line is not None else name
            subject = f" [{f.subject}]" if f.subject else ""
            origin = (" " + str(msg(gettext_noop("(fonte: %(source)s, riga %(line)s)"),
                                    source=source, line=src))) if src is not None else ""
            print(f"{where}: {_SEVERITY_WORDS[f.severity]}: {f.kind}: {f.text or f.message}"
                  f"{subject}{origin}")
        counts = {s: sum(1 for f in findings if f.severity is s) for s in Severity}
        print(msg(gettext_noop("%(n)s indicatori controllati: %(errors)s errori, "
                               "%(warnings)s avvertenze, %(notes)s note"),
                  n=len(plan.indicators), errors=counts[Severity.ERROR],
                  warnings=counts[Severity.WARNING], notes=counts[Severity.INFO]))
    return 1 if any(f.severity is Severity.ERROR for f in findings) else 0


def _plan_file_extensions() -> tuple[str, ...]:
    from cruscotto.io.interchange import EXTENSIONS

    return tuple(EXTENSIONS)


def _evaluate(ns: argparse.Namespace) -> int:
    from cruscotto.core.evaluation import compile_plan, evaluate_plan
    from cruscotto.io.evaluation_out import render
    from cruscotto.io.values_csv import read_values

    _use_lang(ns)
    plan, _ = _load_plan_file(ns.plan)
    if ns.year not in plan.years:
        raise CommandFailed(f"--year {ns.year} is not a year of the plan "
                            f"({', '.join(map(str, plan.years))})")
    period = _parse_period(ns.period, ns.year) if ns.period else None
    values = read_values(ns.values, plan)
    if period is not None and period not in values.periods():
        raise CommandFailed(f"{ns.values} has no values for the period {ns.period}; "
                            "periods in the file: "
                            + (", ".join(d.strftime("%d/%m/%Y") for d in values.periods())
                               or "only the year end"))
    inputs, direct = values.select(ns.year, period)
    compiled = compile_plan(plan)
    result = evaluate_plan(compiled, inputs, year=ns.year, direct=direct)
    if ns.explain and ns.explain not in result.indicators:
        raise CommandFailed(f"--explain: no indicator {ns.explain!r} in the plan")
    sys.stdout.write(render(plan, result, ns.format, explain=ns.explain, period=period,
                            lang=ns.lang))
    return 0


def _parse_period(text: str, year: int) -> datetime.date:
    import re

    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})(?:/(\d{4}))?", text.strip())
    try:
        if m:
            return datetime.date(int(m.group(3) or year), int(m.group(2)), int(m.group(1)))
        return datetime.date.fromisoformat(text.strip())
    except ValueError:
        raise CommandFailed(f"--period {text!r} is not a date (30/06/{year})") from None


def _values_template(ns: argparse.Namespace) -> int:
    from cruscotto.io.values_csv import write_template

    plan, _ = _load_plan_file(ns.plan)
    if ns.year not in plan.years:
        raise CommandFailed(f"--year {ns.year} is not a year of the plan "
                            f"({', '.join(map(str, plan.years))})")
    sys.stdout.write(write_template(plan, ns.year))
    return 0


# -- verbs that use the database ------------------------------------------------------

def _import(ns: argparse.Namespace) -> int:
    from cruscotto.io.interchange import load_path

    if ns.file.lower().endswith(".xlsx"):
        from cruscotto.io.plan_xlsx import load_xlsx

        return _store(load_xlsx(ns.file), key=ns.key, reason=ns.reason)
    return _store(load_path(ns.file), key=ns.key, reason=ns.reason)


def _load_default(ns: argparse.Namespace) -> int:
    return _store(_default_plan(), publish=True)


def _store(plan: Plan, *, publish: bool = False, key: str | None = None,
           reason: str = "") -> int:
    _setup_django()
    from django.db import transaction

    from cruscotto.web.measurements.authoring import store_plan
    from cruscotto.web.plans.services import set_published

    with _database_errors(), transaction.atomic():
        result = store_plan(plan=plan, key=key, reason=reason)
        stored = result.plan
        periods = stored.periods.count()
        if publish:
            stored = set_published(plan=stored, published=True)
    print(f"plan {stored.key} stored: {len(plan.indicators)} indicators, "
          f"{len(plan.operational_objectives)} operational objectives, "
          f"{len(plan.missions)} missions, {periods} periods"
          + (" (published)" if stored.published else ""))
    if result.changes:
        _print_changes(result.changes)
        if result.version is not None:
            print(f"version {result.version.number} of the adopted plan"
                  + (f"; {result.revisions} target revision(s)" if result.revisions else ""))
    return 0


def _print_changes(changes: Sequence[Any]) -> None:
    if not changes:
        print("no changes")
        return
    print(f"{len(changes)} change(s):")
    for c in changes:
        what = f"{c.entity} {c.code}".strip()
        if c.kind in ("added", "removed") and c.field:  # a per-year definition, a baseline
            print(f"  {'+' if c.kind == 'added' else '-'} {what} {c.field}: "
                  f"{c.new if c.kind == 'added' else c.old}")
        elif c.kind == "added":
            print(f"  + {what}: {c.new}")
        elif c.kind == "removed":
            print(f"  - {what}: {c.old}")
        else:
            print(f"  ~ {what} {c.field}: {c.old!r} -> {c.new!r}")


def _plan_row(key: str) -> Any:
    from cruscotto.web.plans import models

    try:
        return models.Plan.objects.get(key=key)
    except models.Plan.DoesNotExist:
        raise CommandFailed(f"no plan {key!r} in the database") from None


def _adopt(ns: argparse.Namespace) -> int:
    _setup_django()
    from cruscotto.web.measurements.authoring import adopt

    with _database_errors():
        db = adopt(plan=_plan_row(ns.key), act=ns.act, on=ns.date)
    print(f"plan {db.key} adopted: {db.adoption_act}, {db.adopted_on:%d/%m/%Y} (version 1)")
    return 0


def _roll(ns: argparse.Namespace) -> int:
    _setup_django()
    from cruscotto.web.measurements.authoring import parse_years, roll_plan

    with _database_errors():
        old = _plan_row(ns.key)
        result = roll_plan(plan=old, years=parse_years(ns.years),
                           copy_targets=ns.copy_targets, key=ns.new_key)
        new = result.plan
        count = new.indicator_set.count()
    print(f"plan {new.key} made from {old.key}: {count} indicators carried over, "
          f"{new.periods.count()} periods; {old.key} is unchanged")
    return 0


def _versions(ns: argparse.Namespace) -> int:
    _setup_django()
    from types import SimpleNamespace

    with _database_errors():
        db = _plan_row(ns.key)
        versions = list(db.versions.order_by("number"))
    if not versions:
        print(f"plan {db.key} has no versions (a draft plan changes without versions)")
    for v in versions:
        print(f"version {v.number}: {v.action}, {v.at:%d/%m/%Y %H:%M}, {v.username or '-'}"
              + (f" ({v.reason})" if v.reason else ""))
        if v.changes:
            _print_changes([SimpleNamespace(**c) for c in v.changes])
    return 0


def _publish(ns: argparse.Namespace) -> int:
    _setup_django()
    from cruscotto.web.measurements.authoring import publish
    from cruscotto.web.plans import models

    with _database_errors():
        try:
            db = models.Plan.objects.get(key=ns.key)
        except models.Plan.DoesNotExist:
            raise CommandFailed(f"no plan {ns.key!r} in the database") from None
        # the page's rule: only an adopted plan is published (a draft is refused)
        publish(plan=db, published=ns.published)
    print(f"plan {ns.key} " + ("published" if ns.published else "withdrawn from the public"))
    return 0


def _cli_user(name: str | None) -> Any:
    if not name:
        return None
    from django.contrib.auth import get_user_model

    try:
        return get_user_model().objects.get(username=name)
    except get_user_model().DoesNotExist:
        raise CommandFailed(f"no user {name!r}") from None


def _documents_add(ns: argparse.Namespace) -> int:
    _setup_django()
    from django.core.exceptions import PermissionDenied
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cruscotto.web.reports import documents

    try:
        with open(ns.file, "rb") as fh:
            upload = SimpleUploadedFile(os.path.basename(ns.file), fh.read())
    except OSError as exc:
        raise CommandFailed(f"cannot read {ns.file}: {exc.strerror}") from None
    with _database_errors():
        db = _plan_row(ns.key)
        try:
            doc = documents.add_document(
                plan=db, user=_cli_user(ns.user), upload=upload, title=ns.title,
                kind=ns.kind, act_number=ns.act_number,
                act_date=documents.parse_act_date(ns.act_date))
        except documents.DocumentError as exc:
            raise CommandFailed("\n  ".join(exc.problems)) from None
        except PermissionDenied as exc:
            raise CommandFailed(str(exc)) from None
    print(f"document {doc.pk} of {db.key} published: {doc.title} ({doc.fmt}, {doc.size} "
          f"bytes, sha256 {doc.sha256})")
    return 0


def _documents_list(ns: argparse.Namespace) -> int:
    _setup_django()
    from django.utils import timezone

    from cruscotto.web.reports import documents

    with _database_errors():
        db = _plan_row(ns.key)
        rows = documents.all_documents(db.pk)
    if not rows:
        print(f"no document for {db.key}")
        return 0
    for d in rows:
        act = " ".join(x for x in (d.act_number, f"{d.act_date:%d/%m/%Y}" if d.act_date
                                   else "") if x) or "-"
        state = ("published" if d.is_public else
                 f"withdrawn {timezone.localtime(d.withdrawn_at):%d/%m/%Y} "
                 f"({d.withdrawal_reason})")
        print(f"{d.pk:<5} {d.kind:<14} {d.title[:50]:<50} {act[:40]:<40} {d.fmt:<4} "
              f"{d.size:>10} {d.sha256} {state}")
    return 0


def _documents_withdraw(ns: argparse.Namespace) -> int:
    _setup_django()
    from django.core.exceptions import PermissionDenied

    from cruscotto.web.reports import documents
    from cruscotto.web.reports.models import PlanDocument

    with _database_errors():
        db = _plan_row(ns.key)
        try:
            doc = PlanDocument.objects.get(pk=ns.id, plan=db)
        except PlanDocument.DoesNotExist:
            raise CommandFailed(f"no document {ns.id} in plan {db.key}") from None
        try:
            documents.withdraw_document(document=doc, user=_cli_user(ns.user),
                                        reason=ns.reason)
        except documents.DocumentError as exc:
            raise CommandFailed("\n  ".join(exc.problems)) from None
        except PermissionDenied as exc:
            raise CommandFailed(str(exc)) from None
    print(f"document {doc.pk} of {db.key} withdrawn from the public: {doc.title}")
    return 0


def _opendata_export(ns: argparse.Namespace) -> int:
    _setup_django()
    from pathlib import Path

    from cruscotto.io.opendata import write_package
    from cruscotto.web.plans import models
    from cruscotto.web.public.selectors import open_data

    with _database_errors():
        if ns.plan and not models.Plan.objects.filter(key=ns.plan, published=True).exists():
            raise CommandFailed(f"no published plan {ns.plan!r} in the database "
                                "(`cruscotto plan publish KEY` publishes one)")
        data = open_data(plan_key=ns.plan)
    files = write_package(data, Path(ns.dir))
    print(f"open data of {len(data.plans)} published plan(s) written to {ns.dir}: "
          + ", ".join(f.name for f in files))
    return 0


def _results_refresh(ns: argparse.Namespace) -> int:
    _setup_django()
    from django.db import transaction

    from cruscotto.web.measurements import results
    from cruscotto.web.plans import models

    with _database_errors():
        plans = models.Plan.objects.order_by("key")
        if ns.plan:
            plans = plans.filter(key=ns.plan)
            if not plans.exists():
                raise CommandFailed(f"no plan {ns.plan!r} in the database")
        for db in plans:
            with transaction.atomic():
                stale = results.stale_sets(db.pk)
                n = results.refresh(db.pk)
            print(f"{db.key}: {n} result sets recomputed ({stale} were stale)")
    return 0


def _demo(ns: argparse.Namespace) -> int:
    _setup_django()
    from cruscotto.web.measurements.demo import load_demo
    from cruscotto.web.plans import models, selectors

    with _database_errors():
        key = ns.plan or _only_plan_key(selectors.plan_keys())
        try:
            db = models.Plan.objects.get(key=key)
        except models.Plan.DoesNotExist:
            raise CommandFailed(f"no plan {key!r} in the database") from None
        users = load_demo(plan=db)
        from cruscotto.web.evaluations.demo import load_demo_cards

        cards = load_demo_cards(plan=db)
    print("Demonstration people (user = password), for trying Cruscotto only:")
    for u in users:
        print(f"  {u.username:<20} {u.what}")
    print("Demonstration values for 2021 are loaded and marked as such in every page.")
    print("Demonstration evaluation cards for 2021 (SMVP example; evaluator of the "
          "managers: demo-segretario): " + (", ".join(cards) or "already there"))
    return 0


def _evaluations_configure(ns: argparse.Namespace) -> int:
    import json
    from pathlib import Path

    import yaml

    from cruscotto.core.appraisal import SchemeError
    from cruscotto.data import DATA_DIR

    path = Path(ns.file) if ns.file else DATA_DIR / "smvp_example.yaml"
    try:
        text = path.read_text("utf-8")
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except OSError as exc:
        raise CommandFailed(f"cannot read {path}: {exc.strerror}") from None
    except (ValueError, yaml.YAMLError) as exc:
        raise CommandFailed(f"{path}: not YAML or JSON: {exc}") from None
    _setup_django()
    from cruscotto.web.evaluations import services

    with _database_errors():
        db = _stored_plan(ns)
        try:
            row = services.configure(organisation=db.organisation, data=data,
                                     source=path.name)
        except SchemeError as exc:
            raise CommandFailed(f"{path}: the SMVP is not usable:\n  "
                                + "\n  ".join(str(p) for p in exc.problems)) from None
    print(f"SMVP {row.year} of {db.organisation} stored from {path.name}.")
    return 0


def _evaluations_export(ns: argparse.Namespace) -> int:
    _setup_django()
    from django.utils import translation

    from cruscotto.web.evaluations import exports, selectors

    with _database_errors(), translation.override("it"):
        db = _stored_plan(ns)
        scheme = selectors.scheme_for(db.organisation_id, ns.year)
        views = selectors.views_of(selectors.all_cards(plan_id=db.pk, year=ns.year), db.pk,
                                   ns.year, scheme)
        body, _kind = exports.payroll(views, scheme, ns.format)
    try:
        with open(ns.output, "wb") as fh:
            fh.write(body)
    except OSError as exc:
        raise CommandFailed(f"cannot write {ns.output}: {exc.strerror}") from None
    demo = " — DEMONSTRATION DATA" if any(v.card.is_demo for v in views) else ""
    print(f"{len(views)} card(s) of {ns.year} written to {ns.output} ({ns.format}){demo}")
    return 0


def _evaluations_import(ns: argparse.Namespace) -> int:
    try:
        with open(ns.file, "rb") as fh:
            content = fh.read()
    except OSError as exc:
        raise CommandFailed(f"cannot read {ns.file}: {exc.strerror}") from None
    _setup_django()
    from django.utils import translation

    from cruscotto.web.evaluations.imports import ImportRefused, import_workbook

    with _database_errors(), translation.override("it"):
        db = _stored_plan(ns)
        try:
            summary = import_workbook(plan=db, year=ns.year, content=content)
        except ImportRefused as exc:
            raise CommandFailed(f"{ns.file}: nothing imported:\n  "
                                + "\n  ".join(exc.problems)) from None
    print(f"{summary.people} person(s) imported for {ns.year}: {summary.created_cards} new "
          f"card(s), {summary.created_users} new user(s), {summary.objectives} objective(s).")
    return 0


def _remind(ns: argparse.Namespace) -> int:
    _setup_django()
    from cruscotto.web.measurements.notifications import send_reminders

    today = ns.today or datetime.date.today()
    with _database_errors():
        outcomes = send_reminders(today=today, dry_run=ns.dry_run)
    sent = 0
    for o in outcomes:
        sent += o.sent
        status = "sent" if o.sent else f"not sent ({o.skipped})"
        print(f"{o.username:<20} {o.to or '—':<30} {status}")
    print(f"{sent} digest(s) sent for {today:%d/%m/%Y}.")
    return 0


def _cli_date(text: str) -> datetime.date:
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text.strip())
    try:
        if m:
            return datetime.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        return datetime.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not a date: {text!r} (expected e.g. 30/09/2021 or 2021-09-30)") from None


def _stored_plan(ns: argparse.Namespace) -> Any:
    from cruscotto.web.plans import models, selectors

    key = ns.plan or _only_plan_key(selectors.plan_keys())
    try:
        return models.Plan.objects.get(key=key)
    except models.Plan.DoesNotExist:
        raise CommandFailed(f"no plan {key!r} in the database") from None


def _period_user(ns: argparse.Namespace) -> Any:
    from django.contrib.auth import get_user_model

    from cruscotto.web.measurements.services import COMMAND_LINE

    if not ns.user:
        return COMMAND_LINE
    try:
        return get_user_model().objects.get(username=ns.user)
    except get_user_model().DoesNotExist:
        raise CommandFailed(f"no user {ns.user!r}") from None


def _stored_period(db: Any, day: datetime.date) -> Any:
    from cruscotto.web.measurements import models as mm

    try:
        return mm.Period.objects.get(plan=db, end_date=day)
    except mm.Period.DoesNotExist:
        dates = ", ".join(f"{d:%d/%m/%Y}" for d in mm.Period.objects.filter(
            plan=db).values_list("end_date", flat=True))
        raise CommandFailed(f"plan {db.key!r} has no period on {day:%d/%m/%Y} "
                            f"(it has: {dates or 'none'})") from None


def _period_change(ns: argparse.Namespace, change: Callable[..., Any]) -> int:
    """Run a period service, its refusal (in Italian, as the pages say it) as the error."""
    _setup_django()
    from django.core.exceptions import PermissionDenied

    from cruscotto.core.workflow import WorkflowError

    with _database_errors():
        db = _stored_plan(ns)
        try:
            change(db, _period_user(ns))
        except (WorkflowError, PermissionDenied) as exc:
            raise CommandFailed(str(exc)) from None
    return _periods_list(ns)


def _periods_list(ns: argparse.Namespace) -> int:
    _setup_django()
    from django.db.models import Count

    from cruscotto.web.measurements import models as mm

    with _database_errors():
        db = _stored_plan(ns)
        rows = mm.Period.objects.filter(plan=db).annotate(n=Count("values")).order_by(
            "end_date")
        print(f"{'date':<11} {'kind':<9} {'deadline':<11} values")
        for p in rows:
            deadline = f"{p.deadline:%d/%m/%Y}" if p.deadline else "—"
            print(f"{p.end_date:%d/%m/%Y}  {p.kind:<9} {deadline:<11} {p.n}")
    return 0


def _periods_add(ns: argparse.Namespace) -> int:
    _setup_django()  # before importing the services (their models need the app registry)
    from cruscotto.web.measurements import services

    return _period_change(ns, lambda db, user: services.do_add_period(
        user=user, plan=db, end_date=ns.date, deadline=ns.deadline,
        kind=ns.kind.replace("-", "_") if ns.kind else None))


def _periods_set_deadline(ns: argparse.Namespace) -> int:
    _setup_django()  # before importing the services (their models need the app registry)
    from cruscotto.web.measurements import services

    return _period_change(ns, lambda db, user: services.do_set_deadline(
        user=user, period=_stored_period(db, ns.date), deadline=ns.deadline))


def _periods_remove(ns: argparse.Namespace) -> int:
    _setup_django()  # before importing the services (their models need the app registry)
    from cruscotto.web.measurements import services

    return _period_change(ns, lambda db, user: services.do_remove_period(
        user=user, period=_stored_period(db, ns.date)))


def _backup(ns: argparse.Namespace) -> int:
    _setup_django()
    from cruscotto.web.backup import BackupError, backup

    try:
        summary = backup(ns.file)
    except BackupError as exc:
        raise CommandFailed(str(exc)) from None
    for name in summary.missing_files:
        print(f"{PROG}: warning: evidence file {name} is missing from the storage",
              file=sys.stderr)
    print(f"backup written to {summary.path}: {sum(summary.rows.values())} rows in "
          f"{len(summary.rows)} tables, {summary.files} files; sha256 {summary.sha256}")
    return 0


def _restore(ns: argparse.Namespace) -> int:
    _setup_django()
    from cruscotto.web.backup import BackupError, restore

    try:
        summary = restore(ns.file)
    except BackupError as exc:
        raise CommandFailed(str(exc)) from None
    print(f"restored {ns.file}: {sum(summary.rows.values())} rows in {len(summary.rows)} "
          f"tables, {summary.files} files, {summary.users} users (without passwords: set "
          f"them with `cruscotto changepassword USER`); sha256 {summary.sha256}")
    return 0


def _report(ns: argparse.Namespace) -> int:
    missing = [f"--{n}" for n in ("year", "format", "output") if getattr(ns, n) is None]
    if missing:
        raise CommandFailed(f"report: {', '.join(missing)} required (or a verb: approve, "
                            "editions)")
    period = _parse_period(ns.period, ns.year) if ns.period else None
    _setup_django()
    from django.utils import translation

    from cruscotto.web.plans import models, selectors
    from cruscotto.web.reports.data import ReportError, build_report
    from cruscotto.web.reports.render import render

    with _database_errors(), translation.override(ns.lang):
        key = ns.plan or _only_plan_key(selectors.plan_keys())
        if not models.Plan.objects.filter(key=key).exists():
            raise CommandFailed(f"no plan {key!r} in the database; stored: "
                                f"{', '.join(selectors.plan_keys()) or 'none'}")
        try:
            data = build_report(plan_key=key, year=ns.year, date=period,
                                basis="all" if ns.all_states else ns.basis)
        except ReportError as exc:
            raise CommandFailed(str(exc)) from None
        content = render(data, ns.format)
        title, achievement = data.title, data.organisation_node.achievement_text
    try:
        with open(ns.output, "wb") as fh:
            fh.write(content)
    except OSError as exc:
        raise CommandFailed(f"cannot write {ns.output}: {exc.strerror}") from None
    org = data.organisation_node
    print(f"{title}: {ns.output} written ({ns.format}); basis {data.basis}, data read "
          f"{data.read_at:%d/%m/%Y %H:%M}; organisation "
          f"{achievement}, {org.counted} indicators counted"
          + (" — DEMONSTRATION DATA" if data.is_demo else ""))
    return 0


def _report_approve(ns: argparse.Namespace) -> int:
    _setup_django()
    from django.core.exceptions import PermissionDenied

    from cruscotto.web.reports import editions

    with _database_errors():
        db = _stored_plan(ns)
        user = None
        if ns.user:
            from django.contrib.auth import get_user_model

            try:
                user = get_user_model().objects.get(username=ns.user)
            except get_user_model().DoesNotExist:
                raise CommandFailed(f"no user {ns.user!r}") from None
        try:
            e = editions.approve(plan=db, year=ns.year, act=ns.act, user=user, lang=ns.lang)
        except (editions.ApprovalError, PermissionDenied) as exc:
            raise CommandFailed(str(exc)) from None
    from django.utils import timezone

    print(f"edition {e.number} of the {e.year} report approved ({e.act}); data read "
          f"{timezone.localtime(e.data_read_at):%d/%m/%Y %H:%M}, basis {e.basis}")
    for fmt in ("pdf", "docx", "xlsx"):
        print(f"  {fmt}: {e.file_of(fmt).name} sha256 {e.sha256_of(fmt)}")
    return 0


def _report_editions(ns: argparse.Namespace) -> int:
    _setup_django()
    from django.utils import timezone

    from cruscotto.web.reports import editions

    with _database_errors():
        db = _stored_plan(ns)
        rows = editions.editions(db.pk)
        if not rows:
            print(f"no approved edition for {db.key}")
            return 0
        print(f"{'year':<5} {'ed.':<4} {'approved':<17} {'act':<45} pdf sha256")
        for e in rows:
            print(f"{e.year:<5} {e.number:<4} {timezone.localtime(e.approved_at):%d/%m/%Y %H:%M}  "
                  f"{e.act[:44]:<45} {e.pdf_sha256}"
                  + ("  (OIV validation attached)" if e.oiv_document else ""))
    return 0


def _report_cleanup(ns: argparse.Namespace) -> int:
    _setup_django()
    from cruscotto.web.reports import jobs

    if ns.days is not None and ns.days < 0:
        raise CommandFailed(f"--days {ns.days}: expected 0 or more days")
    with _database_errors():
        done = jobs.cleanup(days=ns.days)
    print(f"{done.jobs} finished report job(s) deleted, {done.files} file(s) removed; "
          "approved editions are kept.")
    return 0


def _serve(ns: argparse.Namespace) -> int:
    _setup_django()
    from django.core.management import call_command

    # Django's own server: no extra dependency, threaded, static files through
    # whitenoise. It does not migrate (the schema is `cruscotto migrate`'s job)
    # and does not reload on code changes (this is for running, not developing).
    call_command("runserver", ns.addr, use_reloader=False)
    return 0


def _django_command(args: list[str]) -> int:
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line([PROG, *args])
    except ImproperlyConfigured as exc:
        return _fail(f"configuration: {exc}")
    return 0


# -- helpers -----------------------------------------------------------------------------

def _setup_django() -> None:
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as exc:
        raise CommandFailed(f"configuration: {exc}") from None


class _database_errors:  # noqa: N801 - used as a context manager, reads like one
    """Turn "cannot reach the database" and "no tables yet" into one clear line."""

    def __enter__(self) -> None:
        from django.db import connection
        from django.db.utils import OperationalError

        try:
            tables = connection.introspection.table_names()
        except OperationalError as exc:
            raise CommandFailed(f"cannot open the database: {exc}") from None
        if "plans_plan" not in tables:
            raise CommandFailed("the database has no tables yet: run `cruscotto migrate`")

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        from django.db.utils import OperationalError

        from cruscotto.web.plans.signals import ChangeRefused

        if isinstance(exc, OperationalError):
            raise CommandFailed(f"database error: {exc}") from None
        if isinstance(exc, ChangeRefused):  # e.g. a re-import moving a certified figure
            raise CommandFailed(str(exc)) from None
        from cruscotto.web.measurements.authoring import AuthoringError

        if isinstance(exc, AuthoringError):  # e.g. a target changed without a reason
            raise CommandFailed("\n  ".join(exc.problems)) from None


def _default_plan() -> Plan:
    from cruscotto.data import default_plan

    return default_plan()


def _dumps(plan: Plan, fmt: Format) -> str:
    from cruscotto.io.interchange import dumps

    return dumps(plan, fmt)


if __name__ == "__main__":
    sys.exit(main())
