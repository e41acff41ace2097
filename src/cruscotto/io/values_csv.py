"""Values files: the measured inputs of a plan as a long CSV.

Columns (a header row is required, in any order)::

    indicator,variable,year,value[,period]

- ``indicator``: an indicator code of the plan (``3.1.1``);
- ``variable``: an input its formula reads (``budget_innovazione``); left
  empty, the value is the indicator's own figure, given directly;
- ``year``: the plan year the value belongs to;
- ``value``: a number (``1234.5``, ``1.234,5``, ``1234,5``, ``92%`` for
  0,92), yes/no (``sì``, ``si``, ``no``, ``yes``, ``true``, ``false``), or
  empty for "not measured";
- ``period`` (optional): empty for the year end, or the date of an interim
  measurement (``30/06/2021`` or ``2021-06-30``).

Variables are plan-wide: the same variable given on two rows (for two
indicators that read it) must carry the same value. Every problem is
reported with the file, the line and the column; nothing is half-read.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from cruscotto.core.evaluation import indicator_inputs
from cruscotto.core.messages import Message, gettext_noop, msg
from cruscotto.core.numbers import domain_problem
from cruscotto.core.plan import Plan, VariableKind
from cruscotto.core.targets import TargetKind
from cruscotto.io.cells import inert_row
from cruscotto.io.errors import InputError

__all__ = ["ValueRow", "ValuesFile", "parse_value", "read_values", "read_values_text"]

REQUIRED = ("indicator", "variable", "year", "value")
OPTIONAL = ("period",)
YES = {"sì", "si", "yes", "true", "vero", "y", "s"}
NO = {"no", "false", "falso", "n"}
InputValue = Decimal | bool | None
NOT_A_NUMBER = gettext_noop("«%(text)s» non è un numero")


@dataclass(frozen=True, slots=True)
class ValueRow:
    line: int
    indicator: str
    variable: str
    year: int
    value: InputValue
    period: datetime.date | None = None


@dataclass(slots=True)
class ValuesFile:
    rows: list[ValueRow] = field(default_factory=list)

    def periods(self) -> list[datetime.date]:
        return sorted({r.period for r in self.rows if r.period is not None})

    def select(
        self, year: int, period: datetime.date | None = None
    ) -> tuple[dict[tuple[str, int], InputValue], dict[tuple[str, int], InputValue]]:
        """Inputs and direct values for evaluating ``year`` (at ``period``, or the year end).

        The evaluated year takes the rows of ``period``; every other year its
        year-end rows (a growth compares with last year's final figure).
        """
        inputs: dict[tuple[str, int], InputValue] = {}
        direct: dict[tuple[str, int], InputValue] = {}
        for r in self.rows:
            wanted = period if r.year == year else None
            if r.period != wanted:
                continue
            if r.variable:
                inputs[(r.variable, r.year)] = r.value
            else:
                direct[(r.indicator, r.year)] = r.value
        return inputs, direct


def read_values(path: str | Path, plan: Plan) -> ValuesFile:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(msg(gettext_noop("il testo non è in UTF-8 (byte %(byte)s)"),
                             byte=exc.start), file=p.name,
                         expected=Message(gettext_noop("un file CSV salvato come UTF-8"))
                         ) from None
    except OSError as exc:
        raise InputError(msg(gettext_noop("il file non si può leggere: %(why)s"),
                             why=exc.strerror or ""), file=str(path)) from None
    return read_values_text(text, plan, filename=p.name)


def read_values_text(text: str, plan: Plan, *, filename: str = "<values>") -> ValuesFile:
    reader = csv.reader(io.StringIO(text), dialect=_dialect(text))
    try:
        header = next(reader)
    except StopIteration:
        raise InputError(Message(gettext_noop("il file è vuoto")), file=filename, line=1,
                         expected=msg(gettext_noop("una riga di intestazione: %(names)s"),
                                      names=",".join(REQUIRED))) from None
    except csv.Error as exc:
        raise InputError(msg(gettext_noop("non è un file CSV: %(why)s"), why=exc),
                         file=filename, line=1) from None
    cols = [h.strip().casefold() for h in header]
    for name in REQUIRED:
        if name not in cols:
            raise InputError(msg(gettext_noop("manca la colonna %(name)s"), name=name),
                             file=filename, line=1, field=name,
                             expected=msg(gettext_noop("una riga di intestazione con %(names)s "
                                                       "(e, se serve, period)"),
                                          names=", ".join(REQUIRED)))
    for c in cols:
        if c and c not in REQUIRED + OPTIONAL:
            raise InputError(msg(gettext_noop("colonna sconosciuta «%(name)s»"), name=c),
                             file=filename, line=1, field=c,
                             expected=", ".join(REQUIRED + OPTIONAL))
    index = {c: i for i, c in enumerate(cols)}
    reads = indicator_inputs(plan)
    kinds = {v.name: v.kind for v in plan.variables}
    years = set(plan.years)
    out = ValuesFile()
    seen: dict[tuple[str, str, int, datetime.date | None], int] = {}
    by_var: dict[tuple[str, int, datetime.date | None], tuple[InputValue, int]] = {}
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue

            def cell(name: str, row: list[str] = row) -> str:
                i = index.get(name)
                return row[i].strip() if i is not None and i < len(row) else ""

            def fail(message: Message, col: str, expected: str | Message = "",
                     line: int = line) -> InputError:
                return InputError(message, file=filename, line=line, field=col,
                                  expected=expected)

            code = cell("indicator")
            if code not in reads:
                raise fail(msg(gettext_noop("nessun indicatore «%(code)s» nel piano"), code=code)
                           if code else Message(gettext_noop("manca il codice dell'indicatore")),
                           "indicator",
                           msg(gettext_noop("un codice di indicatore del piano, per esempio "
                                            "%(code)s"), code=next(iter(reads), "1.1.1")))
            variable = cell("variable")
            if variable and variable not in reads[code]:
                known = ", ".join(sorted(reads[code])) or "—"
                raise fail(msg(gettext_noop("l'indicatore %(code)s non legge la variabile "
                                            "«%(var)s»"), code=code, var=variable), "variable",
                           msg(gettext_noop("una di: %(names)s; oppure vuoto per il valore "
                                            "dell'indicatore"), names=known))
            year_text = cell("year")
            if not re.fullmatch(r"\d{4}", year_text):
                raise fail(msg(gettext_noop("«%(text)s» non è un anno"), text=year_text),
                           "year", msg(gettext_noop("un anno di quattro cifre, per esempio "
                                                    "%(y)s"), y=min(years)))
            year = int(year_text)
            if year not in years and year != min(years) - 1:
                raise fail(msg(gettext_noop("%(year)s è fuori dal piano"), year=year), "year",
                           msg(gettext_noop("un anno dal %(first)s al %(last)s (l'anno prima "
                                            "del piano per i target di crescita)"),
                               first=min(years) - 1, last=max(years)))
            period = _period(cell("period"), year, fail)
            kind = kinds.get(variable) if variable else None
            try:
                value = parse_value(cell("value"), kind)
            except ValueError as exc:
                raise fail(_message(exc), "value", Message(gettext_noop(
                    "un numero (1234,5), una percentuale (92%), sì/no, oppure vuoto per "
                    "«non misurato»"))) from None
            key = (code, variable, year, period)
            if key in seen:
                raise fail(msg(gettext_noop("un secondo valore per %(code)s %(var)s %(year)s; "
                                            "il primo è alla riga %(first)s"),
                               code=code, var=variable or "—", year=year, first=seen[key]),
                           "value", Message(gettext_noop(
                               "una sola riga per indicatore, variabile, anno e periodo")))
            seen[key] = line
            if variable:
                vkey = (variable, year, period)
                if vkey in by_var and by_var[vkey][0] != value:
                    first, first_line = by_var[vkey]
                    raise fail(msg(gettext_noop("%(var)s %(year)s vale %(this)s qui ma "
                                                "%(that)s alla riga %(first)s (una variabile ha "
                                                "un solo valore all'anno)"),
                                   var=variable, year=year, this=value, that=first,
                                   first=first_line), "value", Message(gettext_noop(
                                       "lo stesso valore in ogni riga della variabile")))
                by_var.setdefault(vkey, (value, line))
            out.rows.append(ValueRow(line, code, variable, year, value, period))
    except csv.Error as exc:
        raise InputError(msg(gettext_noop("riga CSV non valida: %(why)s"), why=exc),
                         file=filename, line=reader.line_num) from None
    return out


def _message(exc: ValueError) -> Message:
    arg = exc.args[0] if exc.args else ""
    return arg if isinstance(arg, Message) else Message(str(arg))


def _not(template: str, text: str) -> ValueError:
    return ValueError(msg(template, text=text))


def parse_value(text: str, kind: VariableKind | None = None) -> InputValue:
    """Read one value cell; raise ``ValueError`` saying why it is not a value.

    The exception's argument is a :class:`~cruscotto.core.messages.Message`.
    """
    t = text.strip()
    if not t:
        return None
    low = t.casefold()
    if kind is VariableKind.NUMBER and (low in YES or low in NO):
        raise _not(gettext_noop("«%(text)s» è sì/no, ma questa variabile è un numero"), t)
    if low in YES or (kind is VariableKind.YES_NO and low == "1"):
        return True
    if low in NO or (kind is VariableKind.YES_NO and low == "0"):
        return False
    if kind is VariableKind.YES_NO:
        raise _not(gettext_noop("«%(text)s» non è sì o no"), t)
    percent = t.endswith("%")
    num = t[:-1].strip() if percent else t
    num = num.replace(" ", "").replace("\u00a0", "")
    if num.startswith("€"):
        num = num[1:]
    if not num:  # "%" or "€" alone
        raise _not(NOT_A_NUMBER, t)
    try:
        d = _number(num)
    except ValueError as exc:
        raise ValueError(exc.args[0] if exc.args else msg(NOT_A_NUMBER, text=t)) from None
    except InvalidOperation:
        raise _not(NOT_A_NUMBER, t) from None
    if not d.is_finite():
        raise _not(NOT_A_NUMBER, t)
    if percent:
        d = d.scaleb(-2)
    problem = domain_problem(d, t)
    if problem is not None:
        raise ValueError(problem)
    return d


def _number(num: str) -> Decimal:
    sign = ""
    if num.startswith(("+", "-")):  # not num[:1] in "+-": "" is in every string
        sign, num = num[0], num[1:]
    if re.fullmatch(r"\d+", num):
        return Decimal(sign + num)
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+,\d+|\d+,\d+", num):  # 1.234,5 / 1234,5
        return Decimal(sign + num.replace(".", "").replace(",", "."))
    if re.fullmatch(r"\d{1,3}(?:\.\d{3}){2,}", num):  # 1.234.567
        return Decimal(sign + num.replace(".", ""))
    if re.fullmatch(r"\d{1,3}\.\d{3}", num):
        raise ValueError(msg(gettext_noop("«%(text)s» è ambiguo: scrivi %(int)s per le "
                                          "migliaia o %(dec)s per i decimali"),
                             text=num, int=num.replace(".", ""), dec=num.replace(".", ",")))
    if re.fullmatch(r"\d+\.\d+", num):  # 1234.5, 0.92
        return Decimal(sign + num)
    raise _not(NOT_A_NUMBER, sign + num)


def _period(text: str, year: int, fail: object) -> datetime.date | None:
    if not text:
        return None
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text) or None
    try:
        if m:
            d = datetime.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        else:
            d = datetime.date.fromisoformat(text)
    except ValueError:
        d = None
    if d is None or d.year != year:
        assert callable(fail)
        raise fail(msg(gettext_noop("«%(text)s» non è una data del %(year)s"), text=text,
                       year=year),
                   "period", msg(gettext_noop("vuoto per la fine dell'anno, oppure una data "
                                              "come 30/06/%(y)s"), y=year))
    return d


def _dialect(text: str) -> type[csv.Dialect]:
    first = text.split("\n", 1)[0]
    # Italian spreadsheets save CSV with ';' (the comma is the decimal separator)
    if first.count(";") > first.count(","):
        class Semicolon(csv.excel):
            delimiter = ";"
        return Semicolon
    return csv.excel


def write_template(plan: Plan, year: int, codes: Iterable[str] | None = None) -> str:
    """A values CSV with one empty row per input evaluating ``year`` reads.

    The year before is included where a target compares with it (growth).
    Indicators whose formula cannot be read are left out (the lint says why),
    and so are indicators with no target that year (empty, "n.d."): nothing of
    theirs is scored. A target that cannot be read still asks for its inputs:
    it is scored once it is encoded.
    """
    from cruscotto.core.evaluation import compile_plan

    wanted = set(codes) if codes is not None else None
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([*REQUIRED, "period"])
    for spec in compile_plan(plan).specs:
        if wanted is not None and spec.code not in wanted:
            continue
        target = spec.targets.get(year)
        if year not in spec.target_errors and (target is None
                                               or target.kind is TargetKind.NONE):
            continue  # no target that year ("n.d."): nothing is scored, nothing to ask
        for name, y in sorted(spec.needs(year), key=lambda k: (k[1], k[0])):
            w.writerow(inert_row([spec.code, name, y, "", ""]))
    return buf.getvalue()
