"""The plan editor's rows for an indicator's per-year definitions and declared baselines.

A definition holds from its year on (a plan year, once per indicator): a new
formula, checked as it is typed like the indicator's own, and optionally a new
wording, unit, polarity and measures. A baseline is a value with its date and
label, within the value domain (:mod:`cruscotto.core.numbers`). The form has a
row per stored item and one empty row to add; a row is removed by ticking
«Rimuovi» (or by emptying it). Every refusal names the row and the field.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from cruscotto.core import plan as core
from cruscotto.core.formula import FormulaError, parse
from cruscotto.core.numbers import domain_problem
from cruscotto.core.targets import format_number, parse_italian_number
from cruscotto.web.i18n import translate

from .authoring_views import _problem

#: rows a form may post (stored items and new ones)
MAX_ROWS = 50
#: the longest label of a baseline
LABEL_LENGTH = 200
#: the longest text of any other field (the editor's, the workbook's cell limit)
MAX_TEXT = 32_767
_FIELDS_DEF = ("year", "formula", "formula_text", "unit", "polarity", "measures")
_FIELDS_BL = ("value", "date", "label")


def _get(post: Any, name: str, limit: int) -> str:
    return str(post.get(name, "")).strip()[:limit]


def _rows(post: Any, prefix: str, fields: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    out = []
    for n in range(MAX_ROWS):
        if not any(f"{prefix}-{n}-{f}" in post for f in fields):
            continue
        row = {f: _get(post, f"{prefix}-{n}-{f}", MAX_TEXT + 1) for f in fields}
        if post.get(f"{prefix}-{n}-remove") or not any(row.values()):
            continue
        out.append((n + 1, row))
    return out


def apply(plan: core.Plan, ind: core.Indicator, post: Any) -> list[dict[str, Any]]:
    """Set the indicator's definitions and baselines from the form; the problems found."""
    if not any(k.startswith(("def-", "bl-")) for k in post):
        return []  # a form without these rows (an older page) leaves them as they are
    problems: list[dict[str, Any]] = []
    definitions: list[core.YearDefinition] = []
    seen: set[int] = set()
    for n, row in _rows(post, "def", _FIELDS_DEF):
        where = _("Definizione per anno, riga %(n)s") % {"n": n}

        def refuse(text: str, column: str, expected: str = "", where: str = where) -> None:
            problems.append(_problem(text, column=f"{where}: {column}", expected=expected))

        too_long = [f for f in _FIELDS_DEF if len(row[f]) > MAX_TEXT]
        if too_long:
            labels = {"year": _("Dal"), "formula": _("Formula"),
                      "formula_text": _("Algoritmo di calcolo"), "unit": _("Unità di misura"),
                      "polarity": _("Polarità"), "measures": _("Misure")}
            refuse(_("Testo troppo lungo: al massimo %(n)s caratteri.") % {"n": MAX_TEXT},
                   labels[too_long[0]])
            continue
        if not row["year"]:
            refuse(_("Campo obbligatorio."), _("Dal"), ", ".join(str(y) for y in plan.years))
            continue
        try:
            year = int(row["year"])
        except ValueError:
            year = None
        if year not in plan.years:
            refuse(_("«%(text)s» non è un anno del piano") % {"text": row["year"][:20]},
                   _("Dal"), ", ".join(str(y) for y in plan.years))
            continue
        if year in seen:
            refuse(_("Due definizioni dal %(year)s: una sola per anno") % {"year": year},
                   _("Dal"))
            continue
        seen.add(year)
        if not row["formula"]:
            refuse(_("Campo obbligatorio."), _("Formula"))
            continue
        try:
            parse(row["formula"])
        except FormulaError as exc:
            refuse(exc.describe(), _("Formula"))
            continue
        polarity = None
        if row["polarity"]:
            try:
                polarity = core.Polarity(row["polarity"])
            except ValueError:
                refuse(_("Polarità sconosciuta."), _("Polarità"))
                continue
        measures: dict[str, str] | None = None
        for line in row["measures"].splitlines():
            name, sep, var = line.strip().partition("=")
            if not line.strip():
                continue
            if not sep or not name.strip() or not var.strip():
                refuse(_("«%(text)s» non è nome=variabile") % {"text": line.strip()[:40]},
                       _("Misure"), _("una misura per riga, come spesa=speso"))
                break
            measures = {**(measures or {}), name.strip(): var.strip()}
        definitions.append(core.YearDefinition(
            from_year=year, formula=row["formula"], formula_text=row["formula_text"],
            unit=row["unit"] or None, polarity=polarity, measures=measures))
    baselines: list[core.Baseline] = []
    dates: set[datetime.date] = set()
    for n, row in _rows(post, "bl", _FIELDS_BL):
        where = _("Baseline, riga %(n)s") % {"n": n}
        value = _number(row["value"], problems, f"{where}: {_('Valore')}")
        date = _date(row["date"])
        if date is None:
            problems.append(_problem(_("«%(text)s» non è una data") % {"text": row["date"][:20]},
                                     column=f"{where}: {_('Data')}",
                                     expected=_("una data come 30/11/2023")))
        elif date in dates:
            problems.append(_problem(_("Due baseline del %(date)s: una sola per data") % {
                "date": date.strftime("%d/%m/%Y")}, column=f"{where}: {_('Data')}"))
            date = None
        if len(row["label"]) > LABEL_LENGTH:
            problems.append(_problem(_("Testo troppo lungo: al massimo %(n)s caratteri.") % {
                "n": LABEL_LENGTH}, column=f"{where}: {_('Descrizione')}"))
            continue
        if value is None or date is None:
            continue
        dates.add(date)
        baselines.append(core.Baseline(value=value, date=date, label=row["label"]))
    ind.definitions = sorted(definitions, key=lambda d: d.from_year)
    ind.baselines = sorted(baselines, key=lambda b: b.date)
    return problems


def _number(text: str, problems: list[dict[str, Any]], column: str) -> Decimal | None:
    expected = _("un numero, come 992.721.372 o 12,5")
    token = text.replace(" ", "")
    if not token:
        problems.append(_problem(_("Campo obbligatorio."), column=column, expected=expected))
        return None
    if not re.fullmatch(r"[+-]?\d[\d.,]*", token):
        problems.append(_problem(_("«%(text)s» non è un numero") % {"text": text[:40]},
                                 column=column, expected=expected))
        return None
    negative = token.startswith("-")
    try:
        value, _warnings = parse_italian_number(token[1:] if token[0] in "+-" else token)
    except ValueError as exc:
        why = exc.args[0] if exc.args else None
        problems.append(_problem(translate(why) if why is not None and not isinstance(
            why, str) else _("«%(text)s» non è un numero") % {"text": text[:40]},
            column=column, expected=expected))
        return None
    except InvalidOperation:
        problems.append(_problem(_("«%(text)s» non è un numero") % {"text": text[:40]},
                                 column=column, expected=expected))
        return None
    if negative:
        value = -value
    out_of_domain = domain_problem(value, text)
    if out_of_domain is not None:
        problems.append(_problem(translate(out_of_domain), column=column, expected=expected))
        return None
    return value


def _date(text: str) -> datetime.date | None:
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    try:
        if m:
            return datetime.date(int(m[3]), int(m[2]), int(m[1]))
        return datetime.date.fromisoformat(text) if re.fullmatch(
            r"\d{4}-\d{2}-\d{2}", text) else None
    except ValueError:
        return None


def values(plan: core.Plan, ind: core.Indicator | None, post: Any) -> dict[str, Any]:
    """The rows the form shows: what was posted, else the stored items; one empty row more."""
    if post is not None and any(k.startswith(("def-", "bl-")) for k in post):
        defs = [{f: post.get(f"def-{n}-{f}", "") for f in _FIELDS_DEF}
                for n in range(MAX_ROWS) if f"def-{n}-year" in post]
        bls = [{f: post.get(f"bl-{n}-{f}", "") for f in _FIELDS_BL}
               for n in range(MAX_ROWS) if f"bl-{n}-value" in post]
    else:
        defs = [{
            "year": str(d.from_year), "formula": d.formula, "formula_text": d.formula_text,
            "unit": d.unit or "", "polarity": d.polarity.value if d.polarity else "",
            "measures": "\n".join(f"{k}={v}" for k, v in (d.measures or {}).items()),
        } for d in (ind.definitions if ind is not None else [])]
        bls = [{"value": format_number(b.value), "date": b.date.isoformat(), "label": b.label}
               for b in (ind.baselines if ind is not None else [])]
        defs.append(dict.fromkeys(_FIELDS_DEF, ""))
        bls.append(dict.fromkeys(_FIELDS_BL, ""))
    return {"definitions": [(n, d) for n, d in enumerate(defs)],
            "baselines": [(n, b) for n, b in enumerate(bls)],
            "years": list(plan.years)}
