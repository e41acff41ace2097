"""Values uploads: many values from a CSV or XLSX file, checked row by row, stored all or none.

The file has the columns of the values CSV (:mod:`cruscotto.io.values_csv`),
in any order, with a header row::

    indicator, variable, year, value, period

(Italian headers are read too: ``indicatore, variabile, anno, valore,
periodo``; a ``label`` column, which the template adds to say what each
variable is, is ignored.) ``period`` empty means the year end of ``year``
(for the year before the plan: its baseline period); a date means the interim
period ending on it. A value cell is read by the values CSV's rules
(:func:`~cruscotto.io.values_csv.parse_value`); an empty cell means "not
measured": it clears a value already stored, and a row with no value for an
input still empty changes nothing.

Every problem is collected, each with its row, its column and what was
expected; if there is one, nothing is written. A good file is stored with
:func:`services.do_set_values`, one call per period, in one transaction, so
the service checks permissions, workflow locks and variables again under its
locks and records versions and audit events.

Templates (:func:`template_rows`, :func:`template_csv`, :func:`template_xlsx`)
list one row per input of the person's indicators for one period, with the
current values, so that a person downloads, fills in and uploads back.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import math
import re
import secrets
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cruscotto.core import plan as core
from cruscotto.core.messages import Message
from cruscotto.core.numbers import DOMAIN_MESSAGES, domain_problem, from_float
from cruscotto.core.values import VariableKind
from cruscotto.core.workflow import Action, Actor, Role, State, WorkflowError, can
from cruscotto.io.cells import inert_row, inert_sheet
from cruscotto.io.errors import InputError
from cruscotto.io.values_csv import OPTIONAL, REQUIRED, parse_value

# The CSV dialect (',' or the ';' of Italian spreadsheets) and the date forms
# of the period column are the values CSV's: the same rules, not a copy.
from cruscotto.io.values_csv import _dialect as csv_dialect
from cruscotto.io.values_csv import _period as parse_period_cell
from cruscotto.web.accounts.permissions import actor_for
from cruscotto.web.i18n import translate
from cruscotto.web.measurements import models as mm
from cruscotto.web.measurements import results, services
from cruscotto.web.measurements.choices import PeriodKind
from cruscotto.web.measurements.selectors import evaluate_indicator, reads_by_indicator
from cruscotto.web.measurements.upload_checks import (
    MAX_COLUMNS,
    formula_cells_without_value,
    settings_limit,
    xlsx_problems,
)
from cruscotto.web.plans.selectors import read_plan

__all__ = [
    "Change",
    "Completed",
    "Preview",
    "Problem",
    "TemplateRow",
    "UploadReport",
    "completed_indicators",
    "confirm_upload",
    "do_upload_values",
    "may_download_template",
    "may_upload",
    "pending_refusal",
    "preview_upload",
    "submit_completed",
    "template_csv",
    "template_rows",
    "template_xlsx",
]

#: columns the template adds for the reader's benefit; ignored on upload
INFORMATIVE = ("label",)
#: the version of each value when the template was made: a row whose value changed
#: since is refused as a conflict (optional: a file made by hand has no versions)
VERSIONED = ("version",)
#: what a value cell says to clear a stored value (a blank cell never clears one)
CLEAR_MARKERS = frozenset({"cancella", "clear", "[cancella]"})
#: Italian headers, read as the English ones
ALIASES = {"indicatore": "indicator", "variabile": "variable", "anno": "year",
           "valore": "value", "periodo": "period", "descrizione": "label",
           "etichetta": "label", "versione": "version"}
#: a file bigger than this in rows is refused before it is checked (an XLSX is
#: compressed: its size in bytes does not bound its rows)
MAX_ROWS = 200_000
#: problems listed in the report; beyond them only their number (a file of garbage
#: lines would otherwise produce a page of hundreds of megabytes)
MAX_PROBLEMS = 200
#: the longest cell of a CSV file, in characters (the csv module's own default): set
#: for every file read, since the limit is the process's and a library may have
#: raised it (frictionless does, when it is imported)
MAX_CSV_FIELD = 131_072
#: ``1.234`` alone: thousands or decimals? (values_csv refuses it; say it in Italian)
_AMBIGUOUS = re.compile(r"[+-]?\d{1,3}\.\d{3}")
_EDITABLE = (State.DRAFT, State.RETURNED)
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Cell = str | int | float | Decimal | bool | datetime.date | None


@dataclass(frozen=True, slots=True)
class Problem:
    """Why one row (or the whole file, row 0) cannot be stored."""

    row: int
    column: str
    message: str
    expected: str = ""
    #: the spreadsheet column letter (A, B, ...), when the column is known
    letter: str = ""


@dataclass
class UploadReport:
    filename: str
    problems: list[Problem] = field(default_factory=list)
    #: data rows read (empty rows not counted)
    rows: int = 0
    #: rows whose value was stored (changed or confirmed unchanged)
    stored: int = 0
    #: values that changed: each has a new version and an audit event
    changed: int = 0
    #: rows left empty for an input with no value yet: nothing to store
    skipped: int = 0
    periods: list[mm.Period] = field(default_factory=list)
    #: problems found beyond the first MAX_PROBLEMS (counted, not listed)
    more: int = 0

    @property
    def accepted(self) -> bool:
        return not self.problems

    @property
    def problem_count(self) -> int:
        return len(self.problems) + self.more

    def add(self, row: int, column: str, message: str, expected: str = "",
            letter: str = "") -> None:
        if len(self.problems) >= MAX_PROBLEMS:
            self.more += 1
            return
        self.problems.append(Problem(row, column, message, expected, letter))


# -- who may ---------------------------------------------------------------------

def may_upload(actor: Actor) -> bool:
    """Values are entered by the centres (and administrators): the service says per row."""
    return actor.is_admin or any(roles for _centre, roles in actor.centres)


def may_download_template(actor: Actor) -> bool:
    return may_upload(actor) or Role.PLANNING in actor.roles


def _sees_all(actor: Actor) -> bool:
    return bool(actor.roles & {Role.ADMIN, Role.PLANNING})


# -- reading the file --------------------------------------------------------------

@dataclass
class _Table:
    #: canonical column name -> (index, header as written)
    columns: dict[str, tuple[int, str]]
    width: int
    rows: Iterator[tuple[int, Sequence[Cell]]]
    close: Any = None


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index + 1))


def _open(name: str, data: bytes, report: UploadReport) -> _Table | None:
    ext = Path(name).suffix.casefold()
    expected = _("un file CSV (.csv) o Excel (.xlsx) con le colonne indicator, variable, "
                 "year, value, period")
    if ext in (".xls", ".ods"):
        report.add(0, "", _("il formato %(ext)s non è letto: salva il foglio come .xlsx o "
                            ".csv") % {"ext": ext}, expected)
        return None
    if ext not in (".csv", ".txt", ".xlsx", ".xlsm"):
        report.add(0, "", _("«%(name)s» non è un file CSV o XLSX") % {"name": name}, expected)
        return None
    if not data.strip():
        report.add(0, "", _("il file è vuoto"), expected)
        return None
    is_zip = data[:4] == b"PK\x03\x04"
    if ext in (".xlsx", ".xlsm"):
        if not is_zip:
            report.add(0, "", _("il file non è un foglio Excel .xlsx valido"), expected)
            return None
        return _open_xlsx(data, report, expected)
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        # Excel's "Testo Unicode": UTF-16 with a byte order mark, tab separated
        return _open_csv(data, report, expected)
    if is_zip or b"\x00" in data[:4096]:
        report.add(0, "", _("il file non è un testo CSV (sembra un file binario)"), expected)
        return None
    return _open_csv(data, report, expected)


def _open_csv(data: bytes, report: UploadReport, expected: str) -> _Table | None:
    try:
        if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
            text = data.decode("utf-16")
        else:
            text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Italian Windows saves "CSV (delimitato dal separatore di
        # elenco)" in Windows-1252, not UTF-8: read that too rather than refuse
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            report.add(0, "", _("il testo non è in UTF-8"),
                       _("un file CSV salvato come UTF-8"))
            return None
    first = text.split("\n", 1)[0]
    dialect: Any = (csv.excel_tab if first.count("\t") > max(first.count(";"),
                                                             first.count(","))
                    else csv_dialect(text))
    csv.field_size_limit(MAX_CSV_FIELD)
    reader = csv.reader(io.StringIO(text, newline=""), dialect=dialect)

    def rows() -> Iterator[tuple[int, Sequence[Cell]]]:
        try:
            for row in reader:
                yield reader.line_num, row
        except csv.Error as exc:
            report.add(reader.line_num, "", _("riga CSV non valida: %(err)s") % {"err": exc},
                       _("righe di valori separati da virgola o punto e virgola; le "
                         "virgolette chiuse"))

    return _header(rows(), report, expected)


def _open_xlsx(data: bytes, report: UploadReport, expected: str) -> _Table | None:
    from openpyxl import load_workbook

    costly = xlsx_problems(data, max_rows=MAX_ROWS)
    for p in costly:
        if p.kind == "size":
            report.add(0, "", _("il foglio Excel decompresso occupa %(size)s; al massimo "
                                "%(max)s") % {"size": _megabytes(p.amount),
                                              "max": _megabytes(settings_limit(
                                                  "CRUSCOTTO_UPLOAD_MAX_UNCOMPRESSED"))},
                       _("un file più piccolo: dividi i valori in più file"))
        elif p.kind == "shared":
            report.add(0, "", _("i testi del foglio Excel occupano %(size)s decompressi; al "
                                "massimo %(max)s") % {"size": _megabytes(p.amount),
                                                      "max": _megabytes(settings_limit(
                                                          "CRUSCOTTO_UPLOAD_MAX_SHARED_STRINGS"))},
                       _("un file più piccolo: dividi i valori in più file"))
        else:
            report.add(0, "", _("il foglio dichiara l'area %(range)s: al massimo %(cols)s "
                                "colonne e %(rows)s righe") % {
                "range": p.where, "cols": MAX_COLUMNS,
                "rows": number_format(MAX_ROWS, force_grouping=True)},
                _("il foglio «valori» del modello, senza celle lontane dai dati (elimina "
                  "le righe e le colonne in più)"))
    if costly:
        return None
    for ref in formula_cells_without_value(data, MAX_PROBLEMS + 1):
        report.add(0, "value", _("la cella %(cell)s contiene una formula senza valore "
                                 "calcolato: letta vuota cancellerebbe il valore") % {
            "cell": ref}, _("apri il file in Excel o LibreOffice e salvalo (le formule "
                            "vengono calcolate), oppure scrivi il valore"))
    if report.problems:
        return None
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        ws = wb.worksheets[0]
    # openpyxl raises many types for a damaged or foreign file (BadZipFile,
    # KeyError, InvalidFileException, ValueError...): each means "not readable"
    except Exception:
        report.add(0, "", _("il file Excel non si può leggere (danneggiato, protetto da "
                            "password o non .xlsx)"), expected)
        return None

    def rows() -> Iterator[tuple[int, Sequence[Cell]]]:
        # bounded whatever the sheet declares: openpyxl pads each row to the last column
        n = 0
        try:
            for n, row in enumerate(ws.iter_rows(values_only=True, max_col=MAX_COLUMNS,
                                                 max_row=MAX_ROWS + 2), start=1):
                yield n, row
        # the sheet is read as it goes: damaged XML shows up here, not at opening
        # (found by tests/fuzz/test_upload_reader_any_bytes.py)
        except Exception:
            report.add(n + 1, "", _("il file Excel non si può leggere da questa riga "
                                    "(danneggiato)"), expected)

    table = _header(rows(), report, expected)
    if table is None:
        wb.close()
    else:
        table.close = wb.close
    return table


def _blank(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _header(rows: Iterator[tuple[int, Sequence[Cell]]], report: UploadReport,
            expected: str) -> _Table | None:
    for n, row in rows:
        if all(_blank(c) for c in row):
            continue
        columns: dict[str, tuple[int, str]] = {}
        known = REQUIRED + OPTIONAL + VERSIONED + INFORMATIVE
        for i, cell in enumerate(row):
            if _blank(cell):
                continue
            written = str(cell).strip()
            name = ALIASES.get(written.casefold(), written.casefold())
            if name not in known:
                report.add(n, written, _("colonna sconosciuta «%(name)s»") % {"name": written},
                           _("%(names)s (la colonna label è ignorata)") % {
                               "names": ", ".join(REQUIRED + OPTIONAL)},
                           _letter(i))
            elif name in columns:
                report.add(n, written, _("la colonna %(name)s è ripetuta") % {"name": name},
                           _("una sola colonna per nome"), _letter(i))
            else:
                columns[name] = (i, written)
        missing = [c for c in REQUIRED if c not in columns]
        for c in missing:
            report.add(n, c, _("manca la colonna %(name)s") % {"name": c},
                       _("una riga di intestazione con indicator, variable, year, value "
                         "(e period, facoltativa)"))
        if missing:
            return None
        return _Table(columns, len(row), rows)
    report.add(0, "", _("il file non contiene righe"), expected)
    return None


# -- checking the rows -------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _Row:
    row: int
    indicator: str
    variable: str
    period: mm.Period
    value: Decimal | bool | None
    #: the cell held the clear marker: store "not measured" over the stored value
    clear: bool = False
    #: the version the template carried (None: no version column, or left empty)
    version: int | None = None


class _Checker:
    """Everything a row is checked against, fetched once for the whole file."""

    def __init__(self, *, actor: Actor, plan_id: int) -> None:
        self.actor = actor
        self.plan: core.Plan = read_plan(plan_id)
        self.reads = reads_by_indicator(self.plan)
        self.readers_of: dict[str, list[str]] = defaultdict(list)
        for code, names in self.reads.items():
            for n in names:
                self.readers_of[n].append(code)
        self.indicators = {i.code: i for i in self.plan.indicators}
        self.kinds = {v.name: v.kind for v in self.plan.variables}
        self.periods = list(mm.Period.objects.filter(plan_id=plan_id).order_by("end_date"))
        self.by_date = {p.end_date: p for p in self.periods}
        self.year_end = {p.year: p for p in self.periods
                         if p.kind in (PeriodKind.YEAR_END, PeriodKind.BASELINE)}
        self.states = {(code, pid): State(s) for code, pid, s in mm.Measurement.objects.filter(
            period__plan_id=plan_id).values_list("indicator__code", "period_id", "state")}

    def state(self, code: str, period: mm.Period) -> State:
        return self.states.get((code, period.pk), State.DRAFT)


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime.datetime):
        return cell.date().isoformat()
    return str(cell).strip()


def _whole(cell: Cell) -> int | None:
    """A whole number of at most 9 digits (a version), or None."""
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int | float) and float(cell).is_integer():
        cell = str(int(cell))
    text = _text(cell)
    return int(text) if re.fullmatch(r"\d{1,9}", text) else None


def _year(cell: Cell) -> int | None:
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int | float) and float(cell).is_integer():
        cell = str(int(cell))
    text = _text(cell)
    return int(text) if re.fullmatch(r"\d{4}", text) else None


def _date(cell: Cell, year: int) -> datetime.date | None:
    """The period cell: None when empty (the year end); ValueError when not a date of ``year``."""
    if _blank(cell):
        return None
    if isinstance(cell, datetime.datetime):
        day = cell.date()
    elif isinstance(cell, datetime.date):
        day = cell
    else:
        def fail(message: str, col: str, expected: str = "") -> InputError:
            return InputError(message, field=col, expected=expected)

        try:
            day = parse_period_cell(_text(cell), year, fail)
        except InputError:
            raise ValueError(_text(cell)) from None
    if day is None or day.year != year:
        raise ValueError(_text(cell))
    return day


def _value(cell: Cell, kind: VariableKind | None) -> Decimal | bool | None:
    """The value cell, by the values CSV's rules; ValueError with an Italian reason."""
    if _blank(cell):
        return None
    shown = _text(cell)
    value: Decimal | bool | None
    if isinstance(cell, bool):
        value = cell
    elif isinstance(cell, int | float | Decimal):
        if isinstance(cell, float) and not math.isfinite(cell):
            raise ValueError(_("«%(text)s» non è un numero") % {"text": shown})
        # a spreadsheet's binary fractions (0.30000000000000004) as it displays them
        value = from_float(cell) if isinstance(cell, float) else Decimal(cell)
        if kind is VariableKind.YES_NO:
            if value not in (0, 1):
                raise ValueError(_("«%(text)s» non è sì o no") % {"text": shown})
            value = bool(value)
    elif isinstance(cell, datetime.date):
        raise ValueError(_("«%(text)s» è una data, non un valore") % {"text": shown})
    else:
        if _AMBIGUOUS.fullmatch(shown.replace(" ", "")):
            raise ValueError(_("«%(text)s» è ambiguo: scrivi %(int)s per le migliaia o "
                               "%(dec)s per i decimali") % {
                "text": shown, "int": shown.replace(".", ""),
                "dec": shown.replace(".", ",")})
        try:
            value = parse_value(shown, kind)
        except ValueError as exc:
            why = exc.args[0] if exc.args else None
            if isinstance(why, Message) and why.template in DOMAIN_MESSAGES:
                raise ValueError(translate(why)) from None
            if kind is VariableKind.YES_NO:
                raise ValueError(_("«%(text)s» non è sì o no") % {"text": shown}) from None
            raise ValueError(_("«%(text)s» non è un numero") % {"text": shown}) from None
    if isinstance(value, bool):
        if kind is VariableKind.NUMBER:
            raise ValueError(_("«%(text)s» non è un numero") % {"text": shown})
        return value
    if value is not None and (problem := domain_problem(value, shown)):
        raise ValueError(translate(problem))
    return value


def _check(table: _Table, ck: _Checker, report: UploadReport) -> list[_Row]:
    cols = table.columns
    letters = {c: _letter(i) for c, (i, _w) in cols.items()}
    written = {c: w for c, (_i, w) in cols.items()}
    seen: dict[tuple[str, str, int], int] = {}
    by_var: dict[tuple[str, int], tuple[Decimal | bool | None, int]] = {}
    out: list[_Row] = []
    value_expected = _("un numero (1234,5 o 1.234.567,89), una percentuale (92%), sì/no, "
                       "oppure vuoto per «non misurato»")

    def add(n: int, col: str, message: str, expected: str = "") -> None:
        report.add(n, written.get(col, col), message, expected, letters.get(col, ""))

    budget = float(settings_limit("CRUSCOTTO_UPLOAD_TIME_BUDGET"))
    deadline = time.monotonic() + budget
    lines = 0
    for n, raw in table.rows:
        lines += 1  # empty rows count towards the limit: they cost reading too
        if lines > MAX_ROWS:
            report.add(n, "", _("il file ha più di %(max)s righe") % {
                "max": number_format(MAX_ROWS, force_grouping=True)},
                _("dividi i valori in più file"))
            break
        if lines % 1000 == 0 and time.monotonic() > deadline:
            report.add(n, "", _("il controllo del file ha superato %(s)s secondi: si è "
                                "fermato alla riga %(row)s") % {"s": budget, "row": n},
                       _("dividi i valori in più file"))
            break
        if all(_blank(c) for c in raw):
            continue
        report.rows += 1
        row_problems = len(report.problems)

        def cell(name: str, raw: Sequence[Cell] = raw) -> Cell:
            i = cols[name][0] if name in cols else None
            return raw[i] if i is not None and i < len(raw) else None

        for i in range(table.width, len(raw)):
            if not _blank(raw[i]):
                report.add(n, "", _("un valore fuori dalle colonne dell'intestazione: "
                                    "«%(text)s»") % {"text": _text(raw[i])},
                           _("una cella per ogni colonna dell'intestazione, nessuna oltre"),
                           _letter(i))
        code = _text(cell("indicator"))
        ind = ck.indicators.get(code)
        if not code:
            add(n, "indicator", _("manca il codice dell'indicatore"),
                _("un codice di indicatore del piano, per esempio %(code)s") % {
                    "code": next(iter(ck.indicators), "1.1.1")})
        elif ind is None:
            add(n, "indicator", _("nessun indicatore «%(code)s» nel piano") % {"code": code},
                _("un codice di indicatore del piano, per esempio %(code)s") % {
                    "code": next(iter(ck.indicators), "1.1.1")})
        elif not (ck.actor.in_centres(ind.centres) or ck.actor.is_admin):
            add(n, "indicator", _("l'indicatore %(code)s è di %(centres)s: non fai parte di "
                                  "quel centro") % {"code": code,
                                                    "centres": ", ".join(ind.centres)},
                _("un indicatore di un tuo centro"))
            ind = None
        variable = _text(cell("variable"))
        reads = sorted(ck.reads.get(code, ())) if ind is not None else []
        known = ", ".join(reads) or "—"
        if not variable:
            add(n, "variable", _("manca la variabile"),
                _("una delle variabili dell'indicatore: %(names)s") % {"names": known})
        elif ind is not None and variable not in reads:
            add(n, "variable", _("l'indicatore %(code)s non legge la variabile «%(var)s»") % {
                "code": code, "var": variable},
                _("una delle variabili dell'indicatore: %(names)s") % {"names": known})
        elif ind is not None and variable not in ck.kinds:
            add(n, "variable", _("la variabile «%(var)s» non è dichiarata nel piano: si "
                                 "registrano solo valori di variabili dichiarate") % {
                "var": variable},
                _("una variabile dichiarata nel piano"))
        year = _year(cell("year"))
        if year is None:
            add(n, "year", _("«%(text)s» non è un anno") % {"text": _text(cell("year"))},
                _("un anno di quattro cifre, per esempio %(y)s") % {
                    "y": min(ck.plan.years, default=2021)})
        period: mm.Period | None = None
        if year is not None:
            try:
                day = _date(cell("period"), year)
            except ValueError as exc:
                add(n, "period", _("«%(text)s» non è una data del %(year)s") % {
                    "text": exc, "year": year},
                    _("vuoto per la fine dell'anno, oppure una data come 30/06/%(y)s") % {
                        "y": year})
            else:
                period = ck.by_date.get(day) if day is not None else ck.year_end.get(year)
                if period is None:
                    dates = ", ".join(f"{p.end_date:%d/%m/%Y}" for p in ck.periods) or "—"
                    if day is None:
                        add(n, "year", _("il piano non ha un periodo di fine anno per il "
                                         "%(year)s") % {"year": year},
                            _("un anno con un periodo di misurazione: %(dates)s") % {
                                "dates": dates})
                    else:
                        add(n, "period", _("nessun periodo di misurazione al "
                                           "%(date)s") % {"date": f"{day:%d/%m/%Y}"},
                            _("una delle date dei periodi: %(dates)s") % {"dates": dates})
        kind = ck.kinds.get(variable)
        clear = _text(cell("value")).strip().casefold() in CLEAR_MARKERS
        version: int | None = None
        if "version" in cols and not _blank(cell("version")):
            version = _whole(cell("version"))
            if version is None:
                add(n, "version", _("«%(text)s» non è una versione") % {
                    "text": _text(cell("version"))},
                    _("la versione scritta nel modello (non cambiarla)"))
        try:
            value = None if clear else _value(cell("value"), kind)
        except ValueError as exc:
            add(n, "value", str(exc), _("sì o no (oppure vuoto per «non misurato»)")
                if kind is VariableKind.YES_NO else value_expected)
            value = None
        if ind is not None and period is not None:
            state = ck.state(code, period)
            if state not in _EDITABLE:
                label = dict(mm.Measurement._meta.get_field("state").choices)[state.value]
                add(n, "indicator", _("i valori di %(code)s al %(date)s sono in stato "
                                      "«%(state)s»: non si possono cambiare") % {
                    "code": code, "date": f"{period.end_date:%d/%m/%Y}", "state": label},
                    _("un indicatore in bozza o restituito (una rettifica riapre prima i "
                      "valori certificati)"))
            elif variable in reads:
                by = [c for c in ck.readers_of.get(variable, ())
                      if ck.state(c, period) is State.CERTIFIED]
                if by:
                    add(n, "variable", ngettext(
                        "la variabile %(var)s al %(date)s è bloccata: %(codes)s l'ha "
                        "certificata",
                        "la variabile %(var)s al %(date)s è bloccata: %(codes)s l'hanno "
                        "certificata", len(by)) % {
                        "var": variable, "date": f"{period.end_date:%d/%m/%Y}",
                        "codes": ", ".join(by)},
                        _("una variabile non ancora certificata"))
        if len(report.problems) > row_problems or ind is None or period is None:
            continue
        key = (code, variable, period.pk)
        if key in seen:
            add(n, "indicator", _("riga ripetuta: la riga %(first)s ha già %(code)s, "
                                  "%(var)s al %(date)s") % {
                "first": seen[key], "code": code, "var": variable,
                "date": f"{period.end_date:%d/%m/%Y}"},
                _("una sola riga per indicatore, variabile e periodo"))
            continue
        seen[key] = n
        first = by_var.get((variable, period.pk))
        if first is not None and first[0] != value:
            add(n, "value", _("%(var)s al %(date)s vale %(this)s qui ma %(that)s alla riga "
                              "%(first)s: una variabile ha un solo valore per periodo") % {
                "var": variable, "date": f"{period.end_date:%d/%m/%Y}",
                "this": _shown(value), "that": _shown(first[0]), "first": first[1]},
                _("lo stesso valore in ogni riga della variabile"))
            continue
        by_var.setdefault((variable, period.pk), (value, n))
        out.append(_Row(n, code, variable, period, value, clear, version))
    return out


def _shown(value: Decimal | bool | None) -> str:
    if value is None:
        return _("vuoto")
    if isinstance(value, bool):
        return _("sì") if value else _("no")
    # without the column's padding (9500000,0000)
    value = (value.quantize(Decimal(1)) if value == value.to_integral_value()
             else value.normalize())
    return str(number_format(value, use_l10n=True, force_grouping=True))


# -- storing -------------------------------------------------------------------------

def do_upload_values(*, user: Any, plan_id: int, upload: Any, reason: str = ""
                     ) -> UploadReport:
    """Check an uploaded values file and store it, all or nothing.

    ``upload`` is a file with ``name``, ``size`` and ``read()`` (Django's
    ``UploadedFile``). Returns the report: its problems (and nothing written),
    or what was stored. Raises ``PermissionDenied`` for a person who enters
    no values at all (not in a centre, not an administrator).

    The upload page does it in two steps instead (:func:`preview_upload`, then
    :func:`confirm_upload`): what will change first, stored only when confirmed.
    """
    report, rows, _data = _read(user=user, plan_id=plan_id, upload=upload)
    if report.problems:
        return report
    _store(user=user, rows=rows, report=report, reason=reason)
    return report


def _read(*, user: Any, plan_id: int, upload: Any
          ) -> tuple[UploadReport, list[_Row], bytes]:
    """The file's rows checked against the plan and the person's rights (and its bytes)."""
    actor = actor_for(user, plan_id)
    if not may_upload(actor):
        raise PermissionDenied(_("Solo i centri di responsabilità inseriscono valori: non fai "
                                 "parte di alcun centro."))
    name = Path(str(getattr(upload, "name", "") or "")).name or _("file senza nome")
    report = UploadReport(filename=name)
    limit = int(settings.CRUSCOTTO_UPLOAD_MAX_BYTES)
    size = getattr(upload, "size", None)
    data = b"" if size is not None and size > limit else upload.read(limit + 1)
    if (size is not None and size > limit) or len(data) > limit:
        report.add(0, "", _("il file è troppo grande: %(size)s; al massimo %(max)s") % {
            "size": _megabytes(size if size is not None else len(data)),
            "max": _megabytes(limit)}, _("un file più piccolo: dividi i valori in più file"))
        return report, [], b""
    table = _open(name, data, report)
    if table is None:
        return report, [], data
    try:
        rows = _check(table, _Checker(actor=actor, plan_id=plan_id), report)
    finally:
        if table.close is not None:
            table.close()
    return report, rows, data


def _megabytes(n: int) -> str:
    return f"{number_format(n / 2**20, decimal_pos=1, use_l10n=True)} MB"


def _current(period_ids: Sequence[int]) -> dict[tuple[int, str], tuple[Any, str, int]]:
    """(period, variable) -> (value, note, version) of every stored value of the periods."""
    return {(pid, var): (yes_no if yes_no is not None else number, note, version)
            for pid, var, number, yes_no, note, version in mm.Value.objects.filter(
                period_id__in=list(period_ids)).values_list(
                "period_id", "variable", "number", "yes_no", "note", "version")}


def _refuse_stale(rows: list[_Row], current: dict[tuple[int, str], tuple[Any, str, int]],
                  report: UploadReport) -> None:
    """A template downloaded (or a preview confirmed) after someone else changed a value:
    refused, naming the value now stored (nothing is written; the file's other rows wait
    for a fresh template)."""
    for r in rows:
        now = current.get((r.period.pk, r.variable))
        version_now = now[2] if now else 0
        writes = r.value is not None or r.clear  # a blank cell writes nothing
        if writes and r.version is not None and r.version != version_now:
            report.add(r.row, "version", _(
                "%(var)s al %(date)s è cambiata dopo che hai scaricato il modello: ora vale "
                "%(value)s (versione %(now)s, nel file %(was)s)") % {
                "var": r.variable, "date": f"{r.period.end_date:%d/%m/%Y}",
                "value": _shown(now[0] if now else None), "now": version_now,
                "was": r.version},
                _("scarica di nuovo il modello e riporta le tue modifiche"))


def _store(*, user: Any, rows: list[_Row], report: UploadReport, reason: str) -> None:
    by_period: dict[int, list[_Row]] = defaultdict(list)
    periods: dict[int, mm.Period] = {}
    for r in rows:
        by_period[r.period.pk].append(r)
        periods[r.period.pk] = r.period
    current = _current(list(periods))
    _refuse_stale(rows, current, report)
    if report.problems:
        return
    why = _("caricamento del file «%(name)s»") % {"name": report.filename}
    if reason.strip():
        why += ": " + reason.strip()
    changed: set[tuple[int, str]] = set()
    try:
        with transaction.atomic(), results.batch():  # recomputed once, at the end
            for pid, period_rows in sorted(by_period.items(),
                                           key=lambda kv: periods[kv[0]].end_date):
                items = []
                for r in period_rows:
                    now = current.get((pid, r.variable))
                    if r.value is None and not (r.clear and now is not None):
                        # a blank cell never clears a stored value (the marker does);
                        # and with nothing stored there is nothing to clear
                        report.skipped += 1
                        continue
                    # the file carries no notes: the stored note stays as it is
                    items.append(services.ValueInput(
                        r.indicator, r.variable, r.value, note=now[1] if now else "",
                        expected_version=r.version, where=_("riga %(n)s") % {"n": r.row}))
                    if now is None or now[0] != r.value or (
                            isinstance(now[0], bool) != isinstance(r.value, bool)):
                        changed.add((pid, r.variable))
                if not items:
                    continue
                services.do_set_values(user=user, period=periods[pid], items=items,
                                       reason=why)
                report.stored += len(items)
                report.periods.append(periods[pid])
    except (PermissionDenied, WorkflowError, services.ConflictError) as exc:
        # checked above; only a change made meanwhile by someone else gets here
        report.add(0, "", _("nessun valore salvato: %(why)s") % {"why": exc},
                   _("ricarica il file: i valori sono cambiati durante il caricamento"))
        report.stored = 0
        report.periods = []
        return
    report.changed = len(changed)


# -- preview and confirmation ------------------------------------------------------------

#: how long a checked file waits for its confirmation
PENDING_SECONDS = 3600


@dataclass(frozen=True, slots=True)
class Change:
    """What one row of a checked file will do to the stored values."""

    row: int
    indicator: str
    #: the variable as people read it (its label), and its name
    label: str
    variable: str
    period: mm.Period
    old: str
    new: str
    #: ``new`` (nothing stored yet), ``changed``, ``cleared`` or ``same``
    kind: str


@dataclass
class Preview:
    """A checked file, not stored yet: its report, what it will change, and what to keep
    (in the person's session) until it is confirmed."""

    report: UploadReport
    changes: list[Change] = field(default_factory=list)
    #: the checked rows as plain data, with the version of each value seen now
    pending: dict[str, Any] = field(default_factory=dict)

    def count(self, kind: str) -> int:
        return sum(1 for c in self.changes if c.kind == kind)

    @property
    def count_new(self) -> int:
        return self.count("new")

    @property
    def count_changed(self) -> int:
        return self.count("changed")

    @property
    def count_cleared(self) -> int:
        return self.count("cleared")

    @property
    def count_same(self) -> int:
        return self.count("same")

    @property
    def writes(self) -> int:
        return sum(1 for c in self.changes if c.kind != "same")


def preview_upload(*, user: Any, plan_id: int, upload: Any, reason: str = "") -> Preview:
    """Check an uploaded file and say what it would change (new, changed, cleared values),
    storing nothing. A row whose template version is stale is refused already here."""
    report, rows, data = _read(user=user, plan_id=plan_id, upload=upload)
    preview = Preview(report)
    if report.problems:
        return preview
    current = _current(sorted({r.period.pk for r in rows}))
    _refuse_stale(rows, current, report)
    if report.problems:
        return preview
    labels = {v.name: v.label or v.name for v in read_plan(plan_id).variables}
    kept = []
    for r in rows:
        now = current.get((r.period.pk, r.variable))
        old = now[0] if now else None
        if r.value is None and not (r.clear and now is not None):
            report.skipped += 1  # a blank cell leaves the stored value as it is
            continue
        if now is None:
            kind = "new"
        elif r.value is None:
            kind = "cleared"
        elif old == r.value and isinstance(old, bool) == isinstance(r.value, bool):
            kind = "same"
        else:
            kind = "changed"
        preview.changes.append(Change(r.row, r.indicator, labels.get(r.variable, r.variable),
                                      r.variable, r.period, _shown(old) if now else "—",
                                      _shown(r.value), kind))
        kept.append({"row": r.row, "indicator": r.indicator, "variable": r.variable,
                     "period": r.period.pk, "value": _plain(r.value), "clear": r.clear,
                     # the version the person saw: the template's, else the one stored now
                     "version": r.version if r.version is not None else (
                         now[2] if now else 0)})
    preview.pending = {
        "token": secrets.token_urlsafe(16), "sha256": hashlib.sha256(data).hexdigest(),
        "plan": plan_id, "user": user.pk, "filename": report.filename, "reason": reason,
        "created": time.time(), "rows": kept, "skipped": report.skipped}
    return preview


def _plain(value: Decimal | bool | None) -> Any:
    if value is None or isinstance(value, bool):
        return value
    return {"d": str(value)}


def _unplain(data: Any) -> Decimal | bool | None:
    if isinstance(data, dict):
        return Decimal(data["d"])
    return data if isinstance(data, bool) else None


def pending_refusal(pending: Any, *, token: str, user: Any, plan_id: int) -> str:
    """Why ``pending`` (from the session) cannot be confirmed with ``token`` ("" if it can)."""
    if not isinstance(pending, dict) or not token or pending.get("token") != token:
        return _("Non c'è un caricamento da confermare (forse è già stato confermato o "
                 "annullato): carica di nuovo il file.")
    if pending.get("user") != user.pk or pending.get("plan") != plan_id:
        return _("Questo caricamento non è tuo o non è di questo piano: carica di nuovo "
                 "il file.")
    if time.time() - float(pending.get("created", 0)) > PENDING_SECONDS:
        return _("L'anteprima è scaduta (vale %(n)s minuti): carica di nuovo il file.") % {
            "n": PENDING_SECONDS // 60}
    return ""


def confirm_upload(*, user: Any, pending: dict[str, Any]) -> UploadReport:
    """Store the values of a previewed file, all or none.

    Each value must still be at the version seen in the preview (or in the template):
    a value someone changed meanwhile is refused, naming its current value, and nothing
    is written. The services check rights and workflow states again.
    """
    plan_id = int(pending["plan"])
    actor = actor_for(user, plan_id)
    if not may_upload(actor):
        raise PermissionDenied(_("Solo i centri di responsabilità inseriscono valori: non fai "
                                 "parte di alcun centro."))
    report = UploadReport(filename=str(pending.get("filename", "")))
    periods = {p.pk: p for p in mm.Period.objects.filter(plan_id=plan_id)}
    rows = []
    for r in pending["rows"]:
        period = periods.get(int(r["period"]))
        if period is None:
            report.add(int(r["row"]), "period", _("il periodo non esiste più"),
                       _("carica di nuovo il file"))
            continue
        rows.append(_Row(int(r["row"]), str(r["indicator"]), str(r["variable"]), period,
                         _unplain(r["value"]), bool(r["clear"]), int(r["version"])))
    report.rows = len(rows)
    if report.problems:
        return report
    _store(user=user, rows=rows, report=report, reason=str(pending.get("reason", "")))
    report.skipped += int(pending.get("skipped", 0))
    return report


@dataclass(frozen=True, slots=True)
class Completed:
    """An indicator whose inputs a stored file completed, ready to be submitted."""

    indicator: core.Indicator
    period: mm.Period
    #: the measurement's version when offered (``None``: not checked)
    version: int | None


def completed_indicators(*, user: Any, plan_id: int, report: UploadReport,
                         pending: dict[str, Any]) -> list[Completed]:
    """The indicators of a stored file that have every input now and may be submitted
    by ``user`` (draft or returned): what "submit all" offers."""
    plan = read_plan(plan_id)
    actor = actor_for(user, plan_id)
    periods = {p.pk: p for p in report.periods}
    keys = sorted({(str(r["indicator"]), int(r["period"])) for r in pending.get("rows", ())
                   if int(r["period"]) in periods},
                  key=lambda k: (periods[k[1]].end_date, core.code_sort_key(k[0])))
    states = {(code, pid): (State(s), v) for code, pid, s, v in mm.Measurement.objects.filter(
        period__plan_id=plan_id, period_id__in=list(periods)).values_list(
        "indicator__code", "period_id", "state", "version")}
    out = []
    for code, pid in keys:
        state, version = states.get((code, pid), (State.DRAFT, 0))
        ind = plan.indicator(code)
        if state not in _EDITABLE or not can(actor, Action.SUBMIT, centres=ind.centres,
                                             state=state):
            continue
        result = evaluate_indicator(plan_id=plan_id, period=periods[pid], code=code,
                                    include_drafts=True)
        if result is None or getattr(result, "missing", ()):
            continue
        out.append(Completed(ind, periods[pid], version))
    return out


@dataclass
class Submitted:
    done: list[Completed] = field(default_factory=list)
    #: each refused indicator with why (a missing gap explanation, a missing forecast)
    refused: list[tuple[Completed, str]] = field(default_factory=list)


def submit_completed(*, user: Any, items: list[Completed]) -> Submitted:
    """Submit each indicator on its own (each checked as on its page: the gap explanation
    of a missed target, the forecast of an interim period); a refusal leaves the others."""
    out = Submitted()
    for item in items:
        try:
            services.do_submit(user=user, period=item.period, indicator=item.indicator.code,
                               expected_version=item.version)
        except (WorkflowError, PermissionDenied, services.ConflictError) as exc:
            out.refused.append((item, translate(exc)))
        else:
            out.done.append(item)
    return out


# -- templates -------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class TemplateRow:
    indicator: str
    variable: str
    label: str
    year: int
    period: datetime.date | None
    value: Decimal | bool | None
    #: the value's version now (0: none stored); an upload refuses the row if it changed
    version: int = 0


def template_rows(*, user: Any, plan_id: int, period: mm.Period) -> list[TemplateRow]:
    """One row per input of ``user``'s indicators in ``period``, with its current value.

    The indicators of the person's centres (every indicator for administrators
    and the planning office), except those whose values are locked in the
    period (submitted, validated, certified, or reading a certified variable):
    an upload could not change them. Raises ``PermissionDenied`` for others.
    """
    actor = actor_for(user, plan_id)
    if not may_download_template(actor):
        raise PermissionDenied(_("Il modello è per chi inserisce i valori di un centro."))
    ck = _Checker(actor=actor, plan_id=plan_id)
    values = {v: (yes_no if yes_no is not None else number)
              for v, number, yes_no in mm.Value.objects.filter(period=period).values_list(
                  "variable", "number", "yes_no")}
    versions = dict(mm.Value.objects.filter(period=period).values_list("variable", "version"))
    labels = {v.name: v.label for v in ck.plan.variables}
    interim = period.kind == PeriodKind.INTERIM
    out = []
    for ind in sorted(ck.plan.indicators, key=lambda i: core.code_sort_key(i.code)):
        if not (_sees_all(actor) or actor.in_centres(ind.centres)):
            continue
        if ck.state(ind.code, period) not in _EDITABLE:
            continue
        for var in sorted(ck.reads.get(ind.code, ())):
            if any(ck.state(c, period) is State.CERTIFIED for c in ck.readers_of[var]):
                continue
            out.append(TemplateRow(ind.code, var, labels.get(var, ""), period.year,
                                   period.end_date if interim else None, values.get(var),
                                   versions.get(var, 0)))
    return out


HEADER = [*REQUIRED, *OPTIONAL, *VERSIONED, *INFORMATIVE]


def _cell_text(value: Decimal | bool | None) -> str:
    """A value as the values CSV reads it back: ``1234,5``, never ``1.234`` (ambiguous)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "sì" if value else "no"
    return f"{Decimal(value).normalize():f}".replace(".", ",")


def template_csv(rows: list[TemplateRow]) -> bytes:
    """The template as CSV for Italian spreadsheets: ';' separated, UTF-8 with a BOM."""
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    w.writerow(HEADER)
    for r in rows:
        w.writerow(inert_row([r.indicator, r.variable, r.year, _cell_text(r.value),
                              f"{r.period:%d/%m/%Y}" if r.period else "", r.version,
                              r.label]))
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def template_xlsx(rows: list[TemplateRow], *, period: mm.Period) -> bytes:
    """The template as an XLSX workbook: the values sheet first, then how to fill it in."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "valori"
    ws.append(HEADER)
    for c in ws[1]:
        c.font = Font(bold=True)
    for r in rows:
        value: Any = r.value
        if isinstance(value, bool):
            value = "sì" if value else "no"
        ws.append([r.indicator, r.variable, r.year, value, r.period, r.version, r.label])
        if r.period is not None:
            ws.cell(row=ws.max_row, column=5).number_format = "DD/MM/YYYY"
    inert_sheet(ws)
    ws.freeze_panes = "A2"
    for letter, width in zip("ABCDEFG", (10, 34, 8, 18, 12, 9, 60), strict=True):
        ws.column_dimensions[letter].width = width
    info = wb.create_sheet("istruzioni")
    for line in (
        _("Valori al %(date)s: compila la colonna «value» del foglio «valori» e carica il "
          "file.") % {"date": f"{period.end_date:%d/%m/%Y}"},
        _("Numeri: 1234,5 oppure 1.234.567,89; percentuali: 92%; sì/no: sì oppure no."),
        _("Una cella vuota lascia il valore già inserito com'è; per cancellarlo scrivi "
          "«cancella»."),
        _("Non cambiare la colonna version: dice quale valore hai visto; se nel frattempo "
          "qualcuno lo ha cambiato, la riga è rifiutata e vedi il valore attuale."),
        _("Non cambiare le colonne indicator, variable, year e period; la colonna label è "
          "solo descrittiva."),
        _("Una variabile letta da più indicatori ha un solo valore: scrivi lo stesso valore "
          "in ogni sua riga."),
    ):
        info.append([line])
    info.column_dimensions["A"].width = 110
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
