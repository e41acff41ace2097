"""The plan as an Excel workbook: another serialisation of the interchange format.

The workbook carries exactly what :func:`cruscotto.io.interchange.plan_to_dict`
carries, one sheet per level, with Italian headers: the plan itself, missions,
programmes, strategic objectives, operational objectives, indicators (one
target column per plan year), variables, centres and data sources, after an
instructions sheet. Reading builds the same plain data and hands it to
:func:`~cruscotto.io.interchange.plan_from_dict`, so a workbook is checked as
strictly as a JSON file, and XLSX → plan → JSON gives the JSON of the plan.

Every text is written as an inert text cell (a name beginning with ``=``,
``+``, ``-`` or ``@`` stays text in Excel and LibreOffice); decimals (budgets,
weights, thresholds) are written as text too, so ``19350072.00`` keeps its
decimals. Lists (a strategic objective's missions, an indicator's centres and
data sources, its measures as ``name=variable``) hold one item per line of the
cell. Closed values (polarity, variable kind, yes/no) get drop-down lists.

Reading opens the workbook read-only and checks each sheet's declared size
before reading a row; a fault is reported with its sheet, row, column and what
was expected, and nothing is returned.
"""

from __future__ import annotations

import datetime
import io
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from cruscotto.core.messages import Message, gettext_noop, msg
from cruscotto.core.piao import BES_DOMAINS, SDGS
from cruscotto.core.plan import Plan, Polarity, VariableKind
from cruscotto.core.target_structure import BASES, OPERATORS, UNITS
from cruscotto.io.errors import InputError
from cruscotto.io.interchange import plan_from_dict, plan_to_dict
from cruscotto.io.plan_schema import plan_schema, readable_versions, validator

__all__ = ["MAX_COLUMNS", "MAX_ROWS", "CellProblem", "WorkbookError", "dump_xlsx", "load_xlsx",
           "plan_to_xlsx_bytes"]

#: the largest sheet read: a plan of a large organisation has a few thousand rows
MAX_ROWS = 20_000
MAX_COLUMNS = 100
#: the longest text a cell may hold (Excel's own limit)
MAX_CELL = 32_767

YES, NO = "sì", "no"

_INSTRUCTIONS = "Istruzioni"
_PLAN = "Piano"
_MISSIONS = "Missioni"
_PROGRAMMES = "Programmi"
_STRATEGIC = "Obiettivi strategici"
_OPERATIONAL = "Obiettivi operativi"
_INDICATORS = "Indicatori"
_VARIABLES = "Variabili"
_CENTRES = "Centri"
_SOURCES = "Fonti dati"
_DEFINITIONS = "Definizioni per anno"
_BASELINES = "Baseline"


@dataclass(frozen=True, slots=True)
class _Col:
    header: str
    #: the interchange key ("source.file" for nested ones)
    key: str
    #: "text", "opt" (empty = null), "list" (one per line), "int", "bool",
    #: "measures"
    kind: str = "text"
    #: a drop-down list of the allowed values
    choices: tuple[str, ...] = ()
    width: int = 18


_SOURCE_COLS = (_Col("File di origine", "source.file", width=14),
                _Col("Riga di origine", "source.line", "int", width=10))

_SHEETS: dict[str, tuple[_Col, ...]] = {
    _MISSIONS: (_Col("Codice", "code", width=10), _Col("Nome", "name", width=50),
                *_SOURCE_COLS),
    _PROGRAMMES: (_Col("Missione", "mission", width=10), _Col("Codice", "code", width=10),
                  _Col("Nome", "name", width=50), _Col("Stanziamento", "budget", "opt"),
                  _Col("Stanziamento come scritto", "budget_text"), *_SOURCE_COLS),
    _STRATEGIC: (_Col("Codice", "code", width=10), _Col("Titolo", "title", width=50),
                 _Col("Descrizione", "narrative", width=50),
                 _Col("Missioni", "missions", "list", width=12), *_SOURCE_COLS),
    _OPERATIONAL: (_Col("Codice", "code", width=10), _Col("Titolo", "title", width=50),
                   _Col("Area", "area"),
                   _Col("Obiettivo strategico", "strategic_objective", width=12),
                   _Col("Missione", "mission", "opt", width=10),
                   _Col("Programma", "programme", "opt", width=10), *_SOURCE_COLS),
    # the indicators' target columns follow "Peso" (one per plan year)
    _INDICATORS: (
        _Col("Codice", "code", width=10), _Col("Nome", "name", width=50),
        _Col("Obiettivo strategico", "strategic_objective", width=12),
        _Col("Obiettivo operativo", "operational_objective", "opt", width=12),
        _Col("Missione", "mission", "opt", width=10),
        _Col("Programma", "programme", "opt", width=10),
        _Col("Descrizione", "description", width=40), _Col("Tipologia", "kind"),
        _Col("Unità di misura", "unit"), _Col("Fonti dati", "data_sources", "list"),
        _Col("Algoritmo di calcolo", "formula_text", width=40),
        _Col("Formula", "formula", width=30), _Col("Misure", "measures", "measures"),
        _Col("Polarità", "polarity", "opt", tuple(p.value for p in Polarity), width=10),
        _Col("Polarità dedotta", "polarity_inferred", "bool", (YES, NO), width=10),
        _Col("Peso", "weight", width=8),
        _Col("Centri di responsabilità", "centres", "list", width=40), *_SOURCE_COLS),
    _VARIABLES: (_Col("Nome", "name", width=30), _Col("Descrizione", "label", width=50),
                 _Col("Fonte", "source"),
                 _Col("Tipo", "kind", choices=tuple(k.value for k in VariableKind)),
                 _Col("Unità di misura", "unit")),
    _CENTRES: (_Col("Chiave", "key", width=30), _Col("Nome", "name", width=60)),
    _SOURCES: (_Col("Chiave", "key", width=30), _Col("Nome", "name", width=60)),
    # an indicator's definition from a year on; empty unit, polarity, measures: its own
    _DEFINITIONS: (_Col("Indicatore", "indicator", width=10),
                   _Col("Dal", "from_year", "int", width=8),
                   _Col("Formula", "formula", width=30),
                   _Col("Algoritmo di calcolo", "formula_text", width=40),
                   _Col("Unità di misura", "unit", "opt"),
                   _Col("Polarità", "polarity", "opt", tuple(p.value for p in Polarity),
                        width=10),
                   _Col("Misure", "measures", "opt_measures")),
    _BASELINES: (_Col("Indicatore", "indicator", width=10), _Col("Valore", "value"),
                 _Col("Data", "date", "date", width=12),
                 _Col("Descrizione", "label", width=40)),
}
#: sheets a workbook written before they existed does not have (read when present)
_OPTIONAL_SHEETS = (_DEFINITIONS, _BASELINES)
#: the indicators' lists these sheets hold, by sheet
_PER_INDICATOR = ((_DEFINITIONS, "definitions"), (_BASELINES, "baselines"))
_TARGET = "Target "
_TARGETS_AFTER = "Peso"

#: the plan sheet: one field per row (label, value)
_PLAN_ROWS: tuple[tuple[str, str, str], ...] = (
    ("Formato", "format", "text"), ("Versione dello schema", "schema_version", "int"),
    ("Ente", "organisation.name", "text"), ("Codice dell'ente", "organisation.code", "text"),
    ("Titolo", "title", "text"), ("Anni (uno per riga)", "years", "years"),
    ("Soglia verde (%)", "status_bands.green", "text"),
    ("Soglia gialla (%)", "status_bands.yellow", "text"),
    ("File di origine", "source.file", "text"), ("Riga di origine", "source.line", "int"),
)

#: the collections of the interchange format and their sheets
_LISTS = ((_MISSIONS, "missions"), (_STRATEGIC, "strategic_objectives"),
          (_OPERATIONAL, "operational_objectives"), (_INDICATORS, "indicators"),
          (_VARIABLES, "variables"), (_CENTRES, "centres"), (_SOURCES, "data_sources"))

_INSTRUCTION_LINES = (
    "Piano in formato Excel (Cruscotto)",
    "",
    "Ogni foglio è un livello del piano: Piano (ente, titolo, anni, soglie del semaforo), "
    "Missioni, Programmi, Obiettivi strategici, Obiettivi operativi, Indicatori (una "
    "colonna Target per anno del piano), Variabili, Centri, Fonti dati.",
    "Non rinominare i fogli né le intestazioni (prima riga): l'ordine delle colonne può "
    "cambiare, i nomi no. Ogni riga è un elemento; le righe vuote sono ignorate.",
    "Nelle celle con più elementi (missioni di un obiettivo, centri e fonti dati di un "
    "indicatore) scrivere un elemento per riga (Alt+Invio in Excel, Ctrl+Invio in "
    "LibreOffice). Le misure si scrivono nome=variabile, una per riga.",
    "Polarità: higher (più alto è meglio), lower (più basso è meglio), band (il valore "
    "deve restare al target); vuota quando il piano non la dice. Tipo di variabile: "
    "number (numero) o yes_no (sì/no).",
    "I numeri con decimali (stanziamenti, pesi, soglie) si scrivono con il punto: 12.5.",
    "Valore pubblico (facoltativo, PIAO): un valore pubblico per riga, con gli obiettivi "
    "strategici che raggruppa (uno per riga della cella; un obiettivo in un solo valore "
    "pubblico) e i riferimenti BES e SDG scelti dagli elenchi a discesa (foglio BES e SDG).",
    "Le colonne File di origine e Riga di origine dicono da dove viene l'elemento; si "
    "possono lasciare vuote.",
    "Letture dei target (facoltativo): dove il testo di un target non si legge da solo, "
    "l'ufficio ne scrive la struttura, una riga per indicatore e anno: operatore (at_least, "
    "at_most, exactly, growth, reduction, milestone, none, compound), valore come lo si "
    "scrive (30 con unità percent è il 30%), misura confrontata, base (previous_year, "
    "value con valore e data, year_target con l'anno), scadenza AAAA-MM-GG. Per più soglie "
    "(compound) una riga con Parte vuota e una riga per parte (Parte 1, 2, ...).",
    "Definizioni per anno: quando la formula o l'unità di un indicatore cambia da un anno, "
    "una riga per indicatore e anno di inizio (Dal); unità, polarità e misure vuote restano "
    "quelle dell'indicatore. Baseline: i valori di partenza con la loro data (AAAA-MM-GG), "
    "che i target nominano («rispetto alla baseline»).",
    "Importazione: dalla pagina «Redazione del piano» (Carica il piano) o con cruscotto plan "
    "import FILE.xlsx. Un piano con lo stesso ente e gli stessi anni è aggiornato e si vede "
    "ogni modifica; un errore indica foglio, riga e colonna, e nulla è scritto. In un piano "
    "adottato un target cambiato è una rimodulazione e richiede un motivo.",
)


# -- writing ---------------------------------------------------------------------------

def plan_to_xlsx_bytes(plan: Plan) -> bytes:
    """The plan as an .xlsx workbook."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    data = plan_to_dict(plan)
    years = [int(y) for y in data["years"]]
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = _INSTRUCTIONS
    for n, line in enumerate(_INSTRUCTION_LINES, start=1):
        _put(ws.cell(row=n, column=1), line)
    ws.cell(row=1, column=1).font = Font(bold=True, size=14)
    ws.column_dimensions["A"].width = 120
    for row in ws.iter_rows(min_row=2):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")

    ws = wb.create_sheet(_PLAN)
    _put(ws.cell(row=1, column=1), "Campo")
    _put(ws.cell(row=1, column=2), "Valore")
    for n, (label, key, kind) in enumerate(_PLAN_ROWS, start=2):
        _put(ws.cell(row=n, column=1), label)
        value = _get(data, key)
        _put(ws.cell(row=n, column=2), "\n".join(map(str, value)) if kind == "years"
             else value)
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 80
    ws.cell(row=1, column=1).font = ws.cell(row=1, column=2).font = Font(bold=True)

    programmes = [{"mission": m["code"], **p} for m in data["missions"]
                  for p in m["programmes"]]
    rows_of = {sheet: data[key] for sheet, key in _LISTS} | {_PROGRAMMES: programmes}
    rows_of |= {sheet: [{"indicator": i["code"], **d} for i in data["indicators"]
                        for d in i[key]] for sheet, key in _PER_INDICATOR}
    for sheet in (_MISSIONS, _PROGRAMMES, _STRATEGIC, _OPERATIONAL, _INDICATORS,
                  _VARIABLES, _CENTRES, _SOURCES, *_OPTIONAL_SHEETS):
        ws = wb.create_sheet(sheet)
        cols = _columns(sheet, years)
        for c, col in enumerate(cols, start=1):
            cell = ws.cell(row=1, column=c)
            _put(cell, col.header)
            cell.font = Font(bold=True)
            ws.column_dimensions[get_column_letter(c)].width = col.width
        for r, item in enumerate(rows_of[sheet], start=2):
            for c, col in enumerate(cols, start=1):
                _put(ws.cell(row=r, column=c), _out(item, col))
        ws.freeze_panes = "B2"
        last = max(len(rows_of[sheet]) + 1, 2) + 500  # room for rows added by hand
        for c, col in enumerate(cols, start=1):
            if col.choices:
                dv = DataValidation(type="list", formula1='"' + ",".join(col.choices) + '"',
                                    allow_blank=True, showErrorMessage=True,
                                    errorTitle=col.header,
                                    error="Valori ammessi: " + ", ".join(col.choices))
                ws.add_data_validation(dv)
                letter = get_column_letter(c)
                dv.add(f"{letter}2:{letter}{last}")
    _write_public_values(wb, data)
    _write_readings(wb, data)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def dump_xlsx(plan: Plan, path: str | os.PathLike[str]) -> None:
    """Write the plan's workbook to ``path`` (replaced in one step)."""
    import tempfile

    data = plan_to_xlsx_bytes(plan)
    target = Path(path)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _columns(sheet: str, years: Sequence[int]) -> list[_Col]:
    cols = list(_SHEETS[sheet])
    if sheet == _INDICATORS:
        at = [c.header for c in cols].index(_TARGETS_AFTER) + 1
        cols[at:at] = [_Col(f"{_TARGET}{y}", f"targets.{y}", "opt", width=16) for y in years]
    return cols


def _get(data: dict[str, Any], key: str) -> Any:
    value: Any = data
    for part in key.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _out(item: dict[str, Any], col: _Col) -> Any:
    value = _get(item, col.key)
    if col.kind == "list":
        for v in value:
            if "\n" in v:
                raise ValueError(f"{col.header}: {v!r} holds a line break")
        return "\n".join(value)
    if col.kind in ("measures", "opt_measures"):
        return "\n".join(f"{k}={v}" for k, v in (value or {}).items())
    if col.kind == "bool":
        return YES if value else NO
    return value


def _put(cell: Any, value: Any) -> None:
    """Write ``value``; text always as an inert string (never a formula)."""
    if value is None or value == "":
        cell.value = None
        return
    if isinstance(value, int) and not isinstance(value, bool):
        cell.value = value
        return
    text = str(value)
    cell.value = text
    cell.data_type = "s"
    if text[:1] in ("=", "+", "-", "@"):
        cell.quotePrefix = True  # Excel and LibreOffice keep it text when edited


# -- reading ---------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class CellProblem:
    """One fault of a workbook: where (sheet, row, column) and what was expected.

    ``message`` and ``expected`` are :class:`Message` (Italian, translated by
    the web layer) or plain text (a fault the interchange reader found)."""

    sheet: str
    row: int | None
    column: str
    message: Message | str
    expected: Message | str = ""

    def __str__(self) -> str:
        where = str(msg(gettext_noop("foglio «%(sheet)s»"), sheet=self.sheet))
        if self.row:
            where += ", " + str(msg(gettext_noop("riga %(row)s"), row=self.row))
        if self.column:
            where += ", " + str(msg(gettext_noop("colonna «%(column)s»"), column=self.column))
        text = f"{where}: {self.message}"
        if self.expected:
            text += " " + str(msg(gettext_noop("(atteso: %(expected)s)"),
                                  expected=self.expected))
        return text


class WorkbookError(InputError):
    """A plan workbook refused: every fault found, by sheet, row and column (``cells``)."""

    def __init__(self, cells: list[CellProblem], *, file: str = "") -> None:
        self.cells = list(cells)
        super().__init__(
            msg(gettext_noop("il file Excel del piano ha %(n)s errori"), n=len(self.cells)),
            file=file, problems=[str(c) for c in self.cells])


class _Report:
    def __init__(self, file: str) -> None:
        self.file = file
        self.cells: list[CellProblem] = []

    @property
    def problems(self) -> list[str]:
        return [str(c) for c in self.cells]

    def add(self, sheet: str, row: int | None, column: str, message: Message | str,
            expected: Message | str = "") -> None:
        self.cells.append(CellProblem(sheet, row, column, message, expected))

    def raise_if_any(self) -> None:
        if self.cells:
            raise WorkbookError(self.cells, file=self.file)


def load_xlsx(source: str | os.PathLike[str] | bytes, *, filename: str = "") -> Plan:
    """Read a plan workbook; raise :class:`InputError` listing every fault found."""
    from openpyxl import load_workbook

    name = filename or (str(source) if not isinstance(source, bytes) else "")
    try:
        raw = source if isinstance(source, bytes) else Path(source).read_bytes()
    except OSError as exc:
        raise InputError(msg(gettext_noop("il file non si può leggere: %(why)s"),
                             why=exc.strerror or ""), file=name) from None
    try:
        wb = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    # openpyxl raises many types for a damaged or foreign file
    except Exception:
        raise InputError(msg(gettext_noop("il file Excel non si può leggere (danneggiato, "
                                          "protetto da password o non .xlsx)")), file=name,
                         expected=msg(gettext_noop("un file .xlsx scritto da cruscotto plan "
                                                   "export"))) from None
    report = _Report(name)
    try:
        data = _read(wb, report)
    finally:
        wb.close()
    report.raise_if_any()
    rows = data.pop("_rows")
    yearly_rows = data.pop("_yearly_rows")
    # the interchange's checks of shape, in the workbook's words (sheet, row, column, in
    # the reader's language) before its own English ones
    _shape_problems(data, rows, data.pop("_programme_rows", {}), data.pop("_pv_rows", []),
                    report, yearly_rows)
    report.raise_if_any()
    try:
        return plan_from_dict(data, filename=name)
    except InputError as exc:
        where = _yearly_cell_of(exc.field, yearly_rows) or _cell_of(exc.field, rows)
        if where is None or exc.problems:  # a list of structural faults names the codes
            raise
        sheet, row, column = where
        report.add(sheet, row, column, exc.message, exc.expected)
        report.raise_if_any()
        raise  # pragma: no cover - report.add always leaves a problem


_FIELD = re.compile(r"(?P<key>[a-z_]+)\[(?P<index>\d+)\](?:\.(?P<rest>[a-z_.0-9]+))?")


def _cell_of(field: str, rows: dict[str, list[int]]) -> tuple[str, int, str] | None:
    """The sheet, row and column of an interchange field (``indicators[3].weight``)."""
    m = _FIELD.fullmatch(field or "")
    sheets = {key: sheet for sheet, key in _LISTS}
    if m is None or m["key"] not in sheets or m["key"] == "missions" and m["rest"] and \
            m["rest"].startswith("programmes"):
        return None
    index, rest = int(m["index"]), m["rest"] or ""
    if index >= len(rows[m["key"]]):
        return None
    sheet = sheets[m["key"]]
    if rest.startswith("targets."):
        column = f"{_TARGET}{rest.split('.')[1]}"
    else:
        column = next((c.header for c in _SHEETS[sheet] if c.key == rest.split(".")[0]
                       or c.key == rest), "")
    return sheet, rows[m["key"]][index], column


def _yearly_cell_of(field: str, rows: dict[tuple[int, str, int], int]
                    ) -> tuple[str, int, str] | None:
    """The cell of a per-year definition's or a baseline's field
    (``indicators[3].baselines[0].date``)."""
    m = re.fullmatch(r"indicators\[(\d+)\]\.(definitions|baselines)\[(\d+)\](?:\.(\w+))?",
                     field or "")
    if m is None:
        return None
    row = rows.get((int(m[1]), m[2], int(m[3])))
    if row is None:
        return None
    sheet = dict((key, sheet) for sheet, key in _PER_INDICATOR)[m[2]]
    column = next((c.header for c in _SHEETS[sheet] if c.key == m[4]), "")
    return sheet, row, column


def _per_indicator(wb: Any, data: dict[str, Any], years: Sequence[int], report: _Report
                   ) -> dict[tuple[int, str, int], int]:
    """Give each indicator its rows of the per-year definitions and baselines sheets.

    Returns where each came from: (indicator index, list, index) -> sheet row.
    """
    index = {ind.get("code"): n for n, ind in enumerate(data["indicators"])}
    for ind in data["indicators"]:
        for _sheet, key in _PER_INDICATOR:
            ind[key] = []
    where: dict[tuple[int, str, int], int] = {}
    for sheet, key in _PER_INDICATOR:
        if sheet not in wb.sheetnames:
            continue  # a workbook written before these sheets existed
        for item in _read_table(wb, sheet, _columns(sheet, years), report):
            code, row = item.pop("indicator"), item.pop("_row")
            if code not in index:
                report.add(sheet, row, "Indicatore",
                           msg(gettext_noop("l'indicatore «%(code)s» non è nel foglio "
                                            "«%(sheet)s»"), code=code, sheet=_INDICATORS),
                           msg(gettext_noop("il codice di un indicatore")))
                continue
            owner = data["indicators"][index[code]][key]
            where[(index[code], key, len(owner))] = row
            owner.append(item)
    return where


def _size_limit() -> Message:
    return msg(gettext_noop("al più %(rows)s righe e %(columns)s colonne"),
               rows=MAX_ROWS, columns=MAX_COLUMNS)


def _sheet_rows(wb: Any, sheet: str, report: _Report) -> Iterator[tuple[int, tuple[Any, ...]]]:
    if sheet not in wb.sheetnames:
        report.add(sheet, None, "", msg(gettext_noop("il foglio manca")),
                   msg(gettext_noop("un foglio di nome «%(sheet)s»"), sheet=sheet))
        return
    ws = wb[sheet]
    # the declared size first: a sheet claiming a million rows is not read at all
    if (ws.max_row or 0) > MAX_ROWS or (ws.max_column or 0) > MAX_COLUMNS:
        report.add(sheet, None, "", msg(gettext_noop(
            "il foglio dichiara %(rows)s righe e %(columns)s colonne"),
            rows=ws.max_row, columns=ws.max_column), _size_limit())
        return
    for n, row in enumerate(ws.iter_rows(values_only=True), start=1):
        if n > MAX_ROWS or len(row) > MAX_COLUMNS:  # a sheet that did not declare its size
            report.add(sheet, n, "", msg(gettext_noop("il foglio è troppo grande")),
                       _size_limit())
            return
        yield n, tuple(row)


def _read(wb: Any, report: _Report) -> dict[str, Any]:
    data: dict[str, Any] = {}
    plan_fields = {label: (key, kind) for label, key, kind in _PLAN_ROWS}
    for n, row in _sheet_rows(wb, _PLAN, report):
        if n == 1 or not row or _blank(row[0]):
            continue
        label = str(row[0]).strip()
        if label not in plan_fields:
            report.add(_PLAN, n, "Campo", msg(gettext_noop("campo sconosciuto «%(name)s»"),
                                              name=label[:60]), ", ".join(plan_fields))
            continue
        key, kind = plan_fields.pop(label)
        value = row[1] if len(row) > 1 else None
        _set(data, key, _plan_value(value, kind, report, n))
    for label in plan_fields:
        report.add(_PLAN, None, "Campo", msg(gettext_noop("manca la riga «%(name)s»"),
                                             name=label))
    years = [y for y in data.get("years") or [] if isinstance(y, int)]

    for sheet, key in (*_LISTS, (_PROGRAMMES, "programmes")):
        data[key] = _read_table(wb, sheet, _columns(sheet, years), report)

    missions = {m.get("code"): m for m in data["missions"]}
    for m in data["missions"]:
        m["programmes"] = []
    for p in data.pop("programmes"):
        code, row = p.pop("mission"), p.pop("_row")
        data.setdefault("_programme_rows", {}).setdefault(code, []).append(row)
        if code not in missions:
            report.add(_PROGRAMMES, row, "Missione",
                       msg(gettext_noop("la missione «%(code)s» non è nel foglio "
                                        "«%(sheet)s»"), code=code, sheet=_MISSIONS),
                       msg(gettext_noop("il codice di una missione")))
            continue
        missions[code]["programmes"].append(p)
    data["_yearly_rows"] = _per_indicator(wb, data, years, report)
    data["_rows"] = {key: [item.pop("_row") for item in data[key]] for _sheet, key in _LISTS}
    for ind in data["indicators"]:
        ind["targets"] = {y: t for y, t in ind.get("targets", {}).items() if t is not None}
    _read_public_values(wb, data, report)
    _read_readings(wb, data, report)
    return data


def _read_table(wb: Any, sheet: str, cols: Sequence[_Col], report: _Report
                ) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    where: dict[str, int] = {}
    for n, row in _sheet_rows(wb, sheet, report):
        if not where:
            if all(_blank(c) for c in row):
                continue
            headers = [str(c).strip() if not _blank(c) else "" for c in row]
            for col in cols:
                if col.header not in headers:
                    report.add(sheet, n, col.header, msg(gettext_noop("manca la colonna")),
                               msg(gettext_noop("le intestazioni scritte da cruscotto plan "
                                                "export")))
                else:
                    where[col.header] = headers.index(col.header)
            known = {c.header for c in cols}
            for h in headers:
                if h and h not in known:
                    expected: Message | str = (
                        msg(gettext_noop("una colonna «%(prefix)sANNO» per anno del piano"),
                            prefix=_TARGET) if h.startswith(_TARGET)
                        else ", ".join(sorted(known)))
                    report.add(sheet, n, h, msg(gettext_noop("colonna sconosciuta")), expected)
            if len(where) < len(cols):
                return out
            continue
        if all(_blank(c) for c in row):
            continue
        item: dict[str, Any] = {"_row": n}
        for col in cols:
            i = where[col.header]
            _set(item, col.key, _in(row[i] if i < len(row) else None, col, report, sheet, n))
        out.append(item)
    return out


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, float):
        # a number typed by hand in a text column: 12.5 stays "12.5", 3.0 becomes "3"
        d = Decimal(repr(value))
        return format(d.quantize(Decimal(1)) if d == d.to_integral_value() else d, "f")
    return str(value)


def _in(value: Any, col: _Col, report: _Report, sheet: str, row: int) -> Any:
    text = _text(value)
    if len(text) > MAX_CELL:
        report.add(sheet, row, col.header, msg(gettext_noop("testo troppo lungo")),
                   msg(gettext_noop("al più %(n)s caratteri"), n=MAX_CELL))
        return ""
    if col.kind in ("text", "opt"):
        if text == "" and col.kind == "opt":
            return None
        if col.choices and text not in col.choices:
            choices = ", ".join(col.choices)
            report.add(sheet, row, col.header,
                       msg(gettext_noop("valore «%(text)s» non ammesso"), text=text[:40]),
                       msg(gettext_noop("%(choices)s o vuoto"), choices=choices)
                       if col.kind == "opt" else choices)
        return text
    if col.kind == "list":
        return [t for t in text.split("\n") if t.strip()] if text else []
    if col.kind == "date":
        return _date_text(value)
    if col.kind == "opt_measures" and not text.strip():
        return None
    if col.kind in ("measures", "opt_measures"):
        measures: dict[str, str] = {}
        for line in text.split("\n"):
            if not line.strip():
                continue
            k, sep, v = line.partition("=")
            if not sep:
                report.add(sheet, row, col.header,
                           msg(gettext_noop("«%(text)s» non è nome=variabile"),
                               text=line[:40]),
                           msg(gettext_noop("una misura per riga, come "
                                            "spesa=speso_piattaforma")))
                continue
            measures[k.strip()] = v.strip()
        return measures
    if col.kind == "bool":
        if text.strip().casefold() in ("", NO):
            return False
        if text.strip().casefold() in (YES, "si"):
            return True
        report.add(sheet, row, col.header,
                   msg(gettext_noop("valore «%(text)s» non ammesso"), text=text[:40]),
                   msg(gettext_noop("%(yes)s o %(no)s"), yes=YES, no=NO))
        return False
    if col.kind == "int":
        return _int(value, report, sheet, row, col.header)
    raise AssertionError(col.kind)


def _date_text(value: Any) -> str:
    """A date cell as ISO text: a date typed in Excel, ``2023-11-30`` or ``30/11/2023``."""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = _text(value).strip()
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    if m:
        return f"{m[3]}-{int(m[2]):02d}-{int(m[1]):02d}"
    return text


def _int(value: Any, report: _Report, sheet: str, row: int | None, column: str) -> int | None:
    if _blank(value):
        return None
    try:
        d = Decimal(_text(value).strip())
        if d != d.to_integral_value() or abs(d) > 10**9:
            raise InvalidOperation
    except InvalidOperation:
        report.add(sheet, row, column,
                   msg(gettext_noop("«%(text)s» non è un numero intero"),
                       text=_text(value)[:40]), msg(gettext_noop("un numero intero")))
        return None
    return int(d)


def _plan_value(value: Any, kind: str, report: _Report, row: int) -> Any:
    if kind == "int":
        return _int(value, report, _PLAN, row, "Valore")
    if kind == "years":
        out = []
        for part in _text(value).replace(",", "\n").split("\n"):
            if part.strip():
                year = _int(part, report, _PLAN, row, "Valore")
                if year is not None:
                    out.append(year)
        return out
    text = _text(value)
    return text if text or kind != "text" else ""


def _set(item: dict[str, Any], key: str, value: Any) -> None:
    *parents, last = key.split(".")
    for part in parents:
        item = item.setdefault(part, {})
    item[last] = value



# -- the PIAO's public values (valore pubblico) -----------------------------------------

_PUBLIC_VALUES = "Valore pubblico"
_REFERENCES = "BES e SDG"
_PV_HEAD = (_Col("Codice", "code", width=10), _Col("Titolo", "title", width=50),
            _Col("Descrizione", "description", width=50),
            _Col("Obiettivi strategici", "strategic_objectives", "list", width=14))
_PV_BES = re.compile(r"BES (\d+)")
_PV_SDG = re.compile(r"SDG (\d+)")
#: reference columns written at least (more when a public value cites more)
_PV_MIN_REFS = 3


def _reference_labels(refs: Sequence[Any]) -> list[str]:
    return [f"{r.code} {r.name_it}" for r in refs]


def _write_public_values(wb: Any, data: dict[str, Any]) -> None:
    """The sheet of the public values (always written, empty when the plan has none, so
    that an office can add them) and the sheet of the BES domains and SDGs its drop-down
    lists offer (code and Italian name; only the code is read back)."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    items = data.get("public_values", [])
    n_bes = max([_PV_MIN_REFS, *(len(i["bes"]) for i in items)])
    n_sdg = max([_PV_MIN_REFS, *(len(i["sdgs"]) for i in items)])
    ref = wb.create_sheet(_REFERENCES)
    _put(ref.cell(row=1, column=1), "Domini BES (Istat)")
    _put(ref.cell(row=1, column=2), "Obiettivi di sviluppo sostenibile (SDG)")
    for c, labels in ((1, _reference_labels(BES_DOMAINS)), (2, _reference_labels(SDGS))):
        ref.cell(row=1, column=c).font = Font(bold=True)
        ref.column_dimensions[get_column_letter(c)].width = 50
        for r, label in enumerate(labels, start=2):
            _put(ref.cell(row=r, column=c), label)

    ws = wb.create_sheet(_PUBLIC_VALUES)
    heads = [c.header for c in _PV_HEAD] + [f"BES {k}" for k in range(1, n_bes + 1)] + \
        [f"SDG {k}" for k in range(1, n_sdg + 1)] + [c.header for c in _SOURCE_COLS]
    for c, head in enumerate(heads, start=1):
        cell = ws.cell(row=1, column=c)
        _put(cell, head)
        cell.font = Font(bold=True)
        ws.column_dimensions[get_column_letter(c)].width = (
            _PV_HEAD[c - 1].width if c <= len(_PV_HEAD) else 16)
    names = {r.code: f"{r.code} {r.name_it}" for r in (*BES_DOMAINS, *SDGS)}
    for r, item in enumerate(items, start=2):
        refs = [*item["bes"], *[""] * (n_bes - len(item["bes"])),
                *item["sdgs"], *[""] * (n_sdg - len(item["sdgs"]))]
        row = [_out(item, c) for c in _PV_HEAD] + [names.get(x, x) for x in refs] + \
            [_out(item, c) for c in _SOURCE_COLS]
        for c, value in enumerate(row, start=1):
            _put(ws.cell(row=r, column=c), value)
    ws.freeze_panes = "B2"
    last = max(len(items) + 1, 2) + 500
    first_bes = len(_PV_HEAD) + 1
    for first, count, column, size, what in (
            (first_bes, n_bes, "A", len(BES_DOMAINS), "un dominio BES"),
            (first_bes + n_bes, n_sdg, "B", len(SDGS), "un SDG")):
        dv = DataValidation(type="list", formula1=f"'{_REFERENCES}'!${column}$2:${column}"
                            f"${size + 1}", allow_blank=True, showErrorMessage=True,
                            errorTitle="Valore pubblico",
                            error=f"Scegliere {what} dall'elenco del foglio {_REFERENCES}")
        ws.add_data_validation(dv)
        dv.add(f"{get_column_letter(first)}2:{get_column_letter(first + count - 1)}{last}")
    # the public values come after the plan's sheets, the reference list last
    wb.move_sheet(ref, offset=1)


def _read_public_values(wb: Any, data: dict[str, Any], report: _Report) -> None:
    """Read the public values' sheet into ``data`` (nothing when the sheet is missing,
    as in a workbook written before it existed, or has no rows)."""
    if _PUBLIC_VALUES not in wb.sheetnames:
        return
    fixed = [*_PV_HEAD, *_SOURCE_COLS]
    items: list[dict[str, Any]] = []
    where: dict[str, int] = {}
    bes_cols: list[int] = []
    sdg_cols: list[int] = []
    for n, row in _sheet_rows(wb, _PUBLIC_VALUES, report):
        if not where:
            if all(_blank(c) for c in row):
                continue
            headers = [str(c).strip() if not _blank(c) else "" for c in row]
            for i, h in enumerate(headers):
                if _PV_BES.fullmatch(h):
                    bes_cols.append(i)
                elif _PV_SDG.fullmatch(h):
                    sdg_cols.append(i)
                elif h in {c.header for c in fixed}:
                    where[h] = i
                elif h:
                    report.add(_PUBLIC_VALUES, n, h, msg(gettext_noop("colonna sconosciuta")),
                               ", ".join([*(c.header for c in fixed), "BES N", "SDG N"]))
            for col in fixed:
                if col.header not in where:
                    report.add(_PUBLIC_VALUES, n, col.header,
                               msg(gettext_noop("manca la colonna")),
                               msg(gettext_noop("le intestazioni scritte da cruscotto plan "
                                                "export")))
            if len(where) < len(fixed):
                return
            continue
        if all(_blank(c) for c in row):
            continue
        item: dict[str, Any] = {}
        for col in fixed:
            i = where[col.header]
            _set(item, col.key, _in(row[i] if i < len(row) else None, col, report,
                                    _PUBLIC_VALUES, n))
        item["bes"] = _reference_codes(row, bes_cols)
        item["sdgs"] = _reference_codes(row, sdg_cols)
        data.setdefault("_pv_rows", []).append(n)
        items.append({k: item[k] for k in ("code", "title", "description", "bes", "sdgs",
                                          "strategic_objectives", "source")})
    if items:
        data["public_values"] = items


def _reference_codes(row: tuple[Any, ...], columns: list[int]) -> list[str]:
    """The codes of the cells (``"SDG8 Lavoro dignitoso..."`` reads ``SDG8``), in column
    order, empty cells skipped."""
    out = []
    for i in columns:
        text = _text(row[i] if i < len(row) else None).strip()
        if text:
            out.append(text.split()[0])
    return out


# -- the interchange's shape checks, in the workbook's words -------------------------------

#: what a value of each kind of the format must look like, for people (Italian msgids)
_EXPECTED_BY_DEF: dict[str, str] = {
    "text": gettext_noop("un testo"),
    "nonempty_text": gettext_noop("un testo non vuoto"),
    "code": gettext_noop("un codice, come 011 o 3.1"),
    "code_or_null": gettext_noop("un codice, come 011 o 3.1, o la cella vuota"),
    "year": gettext_noop("un anno, come 2021"),
    "year_key": gettext_noop("un anno di quattro cifre, come 2021"),
    "target": gettext_noop("il target come testo, come >=90%"),
    "decimal_or_null": gettext_noop("un numero scritto con il punto decimale, come "
                                    "19350072.00, o la cella vuota"),
    "weight": gettext_noop("un numero di 0 o più scritto con il punto decimale, come 1 o 0.5"),
    "percentage": gettext_noop("una percentuale da 0 a 100 scritta con il punto decimale, "
                               "come 70 o 92.5"),
}
_PLAN_LABELS = {key: label for label, key, _kind in _PLAN_ROWS}


def _expected(schema: dict[str, Any]) -> Message:
    for name, definition in plan_schema()["$defs"].items():
        if definition == schema and name in _EXPECTED_BY_DEF:
            return msg(_EXPECTED_BY_DEF[name])
    return msg(gettext_noop("un valore come quelli scritti da cruscotto plan export"))


def _shape_message(error: Any) -> Message:
    value = str(error.instance)[:40]
    kind = error.validator
    if kind in ("minLength", "minItems"):
        return msg(gettext_noop("la cella non può essere vuota"))
    if kind in ("minimum", "maximum"):
        return msg(gettext_noop("«%(value)s» è fuori dall'intervallo ammesso"), value=value)
    if kind == "uniqueItems":
        return msg(gettext_noop("un elemento compare due volte"))
    if kind == "required":
        return msg(gettext_noop("manca un campo obbligatorio"))
    return msg(gettext_noop("valore «%(text)s» non ammesso"), text=value)


def _shape_cell(path: tuple[Any, ...], rows: dict[str, list[int]],
                programme_rows: dict[str, list[int]], pv_rows: list[int], data: dict[str, Any],
                yearly_rows: dict[tuple[int, str, int], int] | None = None
                ) -> tuple[str, int | None, str]:
    """The sheet, row and column of a field of the interchange data."""
    sheets = {key: sheet for sheet, key in _LISTS}
    head, rest = (path[0] if path else ""), path[1:]
    if head == "indicators" and len(rest) >= 3 and rest[1] in ("definitions", "baselines"):
        field = f"indicators[{rest[0]}].{rest[1]}[{rest[2]}]" + (
            f".{rest[3]}" if len(rest) > 3 else "")
        where = _yearly_cell_of(field, yearly_rows or {})
        if where is not None:
            return where
    if head == "missions" and len(rest) >= 3 and rest[1] == "programmes":
        code = data["missions"][rest[0]].get("code")
        prog = programme_rows.get(code, [])
        row = prog[rest[2]] if rest[2] < len(prog) else None
        field = ".".join(map(str, rest[3:]))
        column = next((c.header for c in _SHEETS[_PROGRAMMES] if c.key == field), "")
        return _PROGRAMMES, row, column
    if head in sheets and rest and isinstance(rest[0], int):
        sheet = sheets[head]
        row = rows[head][rest[0]] if rest[0] < len(rows[head]) else None
        field = [str(p) for p in rest[1:]]
        if field[:1] == ["targets"] and len(field) > 1:
            return sheet, row, f"{_TARGET}{field[1]}"
        column = next((c.header for c in _SHEETS[sheet] if c.key in (
            ".".join(field), ".".join(field[:1]))), "")
        return sheet, row, column
    if head == "public_values" and rest and isinstance(rest[0], int):
        row = pv_rows[rest[0]] if rest[0] < len(pv_rows) else None
        field = [str(p) for p in rest[1:]]
        if field[:1] in (["bes"], ["sdgs"]) and len(field) > 1:
            return _PUBLIC_VALUES, row, f"{'BES' if field[0] == 'bes' else 'SDG'} " \
                f"{int(field[1]) + 1}"
        column = next((c.header for c in (*_PV_HEAD, *_SOURCE_COLS) if c.key in (
            ".".join(field), ".".join(field[:1]))), "")
        return _PUBLIC_VALUES, row, column
    key = ".".join(str(p) for p in path[:2] if not isinstance(p, int))
    return _PLAN, None, _PLAN_LABELS.get(key, _PLAN_LABELS.get(str(head), str(head)))


def _shape_problems(data: dict[str, Any], rows: dict[str, list[int]],
                    programme_rows: dict[str, list[int]], pv_rows: list[int],
                    report: _Report,
                    yearly_rows: dict[tuple[int, str, int], int] | None = None) -> None:
    """Every value of the workbook the format refuses (a weight that is not a number, an
    empty code...), by sheet, row and column, as messages of the catalogue."""
    version = data.get("schema_version")
    check = validator(version if version in readable_versions() else None)
    seen: set[tuple[str, int | None, str]] = set()
    for error in sorted(check.iter_errors(data), key=lambda e: [str(p) for p in e.path]):
        if error.validator == "additionalProperties":
            continue  # the workbook writes no key of its own: nothing a person typed
        sheet, row, column = _shape_cell(tuple(error.absolute_path), rows, programme_rows,
                                         pv_rows, data, yearly_rows)
        if (sheet, row, column) in seen:
            continue
        seen.add((sheet, row, column))
        report.add(sheet, row, column, _shape_message(error), _expected(error.schema))


# -- the structured readings of targets (core.target_structure) ---------------------------

_READINGS = "Letture dei target"
_READING_COLS = (
    _Col("Indicatore", "code", width=10), _Col("Anno", "year", "int", width=8),
    _Col("Parte", "part", "int", width=6),
    _Col("Operatore", "operator", choices=OPERATORS, width=12),
    _Col("Valore", "value", "opt", width=12),
    _Col("Unità", "unit", "opt", choices=UNITS, width=10),
    _Col("Tolleranza", "tolerance", "opt", width=10),
    _Col("Che cosa si conta", "label", width=30), _Col("Misura", "measure", width=16),
    _Col("Base", "base", "opt", choices=BASES, width=14),
    _Col("Valore della base", "base_value", "opt", width=14),
    _Col("Data della base", "base_date", width=18),
    _Col("Anno della base", "base_year", "int", width=10),
    _Col("Scadenza", "deadline", "opt", width=12),
)
#: the fields of a reading, in the sheet's order (after indicator, year and part)
_READING_KEYS = tuple(c.key for c in _READING_COLS[3:])


def _write_readings(wb: Any, data: dict[str, Any]) -> None:
    """The sheet of the structured readings: one row per reading (and per part)."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    ws = wb.create_sheet(_READINGS)
    for c, col in enumerate(_READING_COLS, start=1):
        _put(ws.cell(row=1, column=c), col.header)
        ws.cell(row=1, column=c).font = Font(bold=True)
        ws.column_dimensions[get_column_letter(c)].width = col.width
    r = 1
    for ind in data["indicators"]:
        for year, reading in (ind.get("readings") or {}).items():
            rows = [(None, reading)] + [(n, p) for n, p in
                                        enumerate(reading.get("parts") or [], start=1)]
            for part, fields in rows:
                r += 1
                _put(ws.cell(row=r, column=1), ind["code"])
                _put(ws.cell(row=r, column=2), int(year))
                _put(ws.cell(row=r, column=3), part)
                for c, key in enumerate(_READING_KEYS, start=4):
                    _put(ws.cell(row=r, column=c), fields.get(key))
    ws.freeze_panes = "D2"
    last = r + 500  # room for rows added by hand
    for c, col in enumerate(_READING_COLS, start=1):
        if col.choices:
            dv = DataValidation(type="list", formula1='"' + ",".join(col.choices) + '"',
                                allow_blank=True, showErrorMessage=True, errorTitle=col.header,
                                error="Valori ammessi: " + ", ".join(col.choices))
            ws.add_data_validation(dv)
            letter = get_column_letter(c)
            dv.add(f"{letter}2:{letter}{last}")


def _read_readings(wb: Any, data: dict[str, Any], report: _Report) -> None:
    """Put the readings of the sheet (when the workbook has it) in their indicators."""
    if _READINGS not in wb.sheetnames:
        return  # a workbook written before readings existed, or with none
    by_code = {ind.get("code"): ind for ind in data["indicators"]}
    for row in _read_table(wb, _READINGS, _READING_COLS, report):
        n, code, year, part = row.pop("_row"), row.pop("code"), row.pop("year"), row.pop("part")
        ind = by_code.get(code)
        if ind is None:
            report.add(_READINGS, n, "Indicatore",
                       msg(gettext_noop("l'indicatore «%(code)s» non è nel foglio "
                                        "«%(sheet)s»"), code=str(code)[:40], sheet=_INDICATORS),
                       msg(gettext_noop("il codice di un indicatore")))
            continue
        if year is None:
            report.add(_READINGS, n, "Anno", msg(gettext_noop("manca l'anno")),
                       msg(gettext_noop("un anno del piano")))
            continue
        fields = {k: v for k, v in row.items() if v not in (None, "")}
        if isinstance(fields.get("deadline"), str):
            fields["deadline"] = fields["deadline"][:10]  # a date Excel made a date-time
        readings = ind.setdefault("readings", {})
        if part is None:
            if str(year) in readings:
                report.add(_READINGS, n, "Anno", msg(gettext_noop(
                    "una seconda lettura per %(code)s %(year)s"), code=code, year=year),
                    msg(gettext_noop("una riga per indicatore e anno (più le parti)")))
                continue
            readings[str(year)] = fields
        elif str(year) not in readings:
            report.add(_READINGS, n, "Parte", msg(gettext_noop(
                "una parte senza la riga della lettura (Parte vuota) prima"),),
                msg(gettext_noop("prima la riga con Parte vuota e operatore compound")))
        else:
            readings[str(year)].setdefault("parts", []).append(fields)
