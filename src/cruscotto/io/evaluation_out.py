"""An evaluated plan as text: a table for people, JSON and CSV for machines.

Every figure printed here comes from the engine's results
(:class:`~cruscotto.core.rollup.PlanEvaluation`); nothing is recomputed.
Numbers in the table are in Italian format (``1.234,5``, ``92,5%``); JSON and
CSV carry plain decimals (``0.925``) so programs read them without guessing.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from cruscotto.core.messages import gettext_noop, msg
from cruscotto.core.numbers import rounded
from cruscotto.core.plan import Plan
from cruscotto.core.rollup import NodeScore, PlanEvaluation
from cruscotto.core.scoring import Assessment, IndicatorResult, shown_achievement
from cruscotto.core.targets import format_number, is_percent_unit
from cruscotto.core.values import NotComputable, NotMeasured, Value, to_data
from cruscotto.io.cells import inert_row
from cruscotto.io.svg_charts import format_percent

__all__ = ["display_value", "explain_text", "format_figure", "render", "working_text"]

_STATUS = {"green": gettext_noop("verde"), "yellow": gettext_noop("giallo"),
           "red": gettext_noop("rosso"), "not_available": gettext_noop("n.d.")}


#: the engine's scoring rules (``Assessment.rule``), for people
_RULES = {
    "none": gettext_noop("nessuna (manca un dato)"),
    "compound": gettext_noop("più parti, conta la più bassa"),
    "milestone": gettext_noop("traguardo: raggiunto o no"),
    "at_least_proportional": gettext_noop("almeno: in proporzione al target"),
    "at_least_binary": gettext_noop("almeno: raggiunto o no"),
    "at_most_inverse": gettext_noop("al massimo: in proporzione inversa"),
    "at_most_binary": gettext_noop("al massimo: raggiunto o no"),
    "maintain_proportional": gettext_noop("mantenimento: in proporzione all'anno precedente"),
    "maintain_binary": gettext_noop("mantenimento: raggiunto o no"),
    "maintain_inverse": gettext_noop("mantenimento: in proporzione inversa"),
    "band": gettext_noop("intervallo: in proporzione alla distanza"),
    "band_binary": gettext_noop("intervallo: dentro o fuori"),
    "growth": gettext_noop("crescita percentuale"),
    "reduction": gettext_noop("riduzione percentuale"),
    "increment": gettext_noop("incremento rispetto all'anno precedente"),
}


def _rule(rule: str) -> str:
    return _t(_RULES[rule]) if rule in _RULES else rule


def _t(template: str, **params: object) -> str:
    """A message in the language in use (:func:`cruscotto.core.messages.set_translator`)."""
    return str(msg(template, **params))


def _status(value: str) -> str:
    return _t(_STATUS[value])


def render(plan: Plan, result: PlanEvaluation, fmt: str, *, explain: str | None = None,
           period: datetime.date | None = None, lang: str = "it") -> str:
    if explain:
        r = result.indicators[explain]
        if fmt == "json":
            return _json(r.as_dict() if isinstance(r, IndicatorResult) else {})
        return explain_text(plan, result, explain, lang=lang)
    if fmt == "json":
        data = result.as_dict()
        data["plan"] = plan.title
        data["period"] = period.isoformat() if period else None
        return _json(data)
    if fmt == "csv":
        return _csv(plan, result)
    return _table(plan, result, period, lang)


def _json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def format_figure(value: Value | Decimal | None, unit: str = "", *, percent: bool | None = None
                  ) -> str:
    """A value for people, Italian style: ``92,5%``, ``1.234``, ``sì``, ``non misurato``."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _t(gettext_noop("sì")) if value else _t(gettext_noop("no"))
    if isinstance(value, NotMeasured):
        return _t(gettext_noop("non misurato"))
    if isinstance(value, NotComputable):
        return _t(gettext_noop("non calcolabile"))
    pct = is_percent_unit(unit) if percent is None else percent
    if pct:
        return format_percent(value * 100)
    return format_number(_round(value, 4))


def display_value(r: IndicatorResult, unit: str) -> str:
    """An indicator's value as people read it.

    Where the target compares with the previous year (a growth), the formula
    gives a quantity, shown with the change the target judges: ``1.402 (-5,27%)``.
    """
    a = r.assessment
    if r.target is not None and r.target.needs_previous and not isinstance(
            r.value, bool | NotMeasured | NotComputable):
        shown = format_figure(r.value, percent=False)
        if a is not None and isinstance(a.compared, Decimal) and not isinstance(
                a.compared, bool):
            sign = "+" if a.compared > 0 else ""
            shown += f" ({sign}{format_figure(a.compared, percent=True)})"
        return shown
    return format_figure(r.value, unit)


def display_record(result: Mapping[str, object], unit: str) -> tuple[str, str]:
    """(value, achievement) of a stored result (``IndicatorResult.as_dict()``, as a
    certification records it), formatted as :func:`display_value` formats a live one."""
    if not result:
        return "", ""

    def figure(raw: object, *, percent: bool | None = None) -> str:
        if isinstance(raw, dict):
            return (_t(gettext_noop("non misurato")) if raw.get("kind") == "not_measured"
                    else _t(gettext_noop("non calcolabile")))
        if isinstance(raw, bool) or raw is None:
            return format_figure(raw)
        return format_figure(Decimal(str(raw)), unit, percent=percent)

    value = result.get("value")
    assessment = result.get("assessment")
    if result.get("previous_year") and not isinstance(value, bool | dict):
        shown = figure(value, percent=False)
        compared = assessment.get("compared") if isinstance(assessment, dict) else None
        if isinstance(compared, str):
            sign = "+" if Decimal(compared) > 0 else ""
            shown += f" ({sign}{format_figure(Decimal(compared), percent=True)})"
    else:
        shown = figure(value)
    achievement = result.get("achievement")
    return shown, (_achievement(Decimal(str(achievement))) if achievement is not None else "")


#: the engine's working phrases (cruscotto.core.scoring), in Italian; longest first
_IT_PHRASES = (
    ("every part must be met; the lowest counts: ",
     "ogni parte deve essere raggiunta; conta la più bassa: "),
    ("(100 if met else 0; a bound of zero or below, or a negative value, is met or not)",
     "(100 se raggiunto, altrimenti 0)"),
    ("a bound of zero or below, or a negative value, is met or not",
     "con un limite pari o inferiore a zero, o un valore negativo, conta solo se il "
     "target è raggiunto"),
    ("a bound of zero or below is met or not",
     "con un limite pari o inferiore a zero conta solo se il target è raggiunto"),
    ("milestone reached", "traguardo raggiunto"),
    ("milestone not reached", "traguardo non raggiunto"),
    ("capped at 100", "limitato a 100"),
    ("not met", "non raggiunto"),
    ("met", "raggiunto"),
    ("inside the band", "dentro l'intervallo"),
    ("below the band", "sotto l'intervallo"),
    ("above the band", "sopra l'intervallo"),
    ("growth", "variazione"),
    ("increment", "incremento"),
)
_NUMBER_RE = re.compile(r"(?<![\w.,])(-?\d+(?:\.\d+)?)(?![\w])")


def working_text(r: IndicatorResult, lang: str = "it") -> str:
    """The engine's working for an indicator, for people, in ``lang``.

    The engine writes it in English with plain numbers (``100 × 86% / 80% =
    107.5``); in Italian the phrases are translated and the numbers written
    the Italian way (``107,5``).
    """
    a = r.assessment
    if a is None or a.problem is not None:
        return str(r.reason or "")
    return assessment_text(a, lang)


def assessment_text(a: Assessment, lang: str = "it") -> str:
    """A target's assessment (its rule with the numbers in), for people, in ``lang``
    (an indicator's, or an individual objective's of an evaluation card)."""
    if lang != "it":
        return a.working
    if a.rule == "compound" and a.parts:
        return "ogni parte deve essere raggiunta; conta la più bassa: " + "; ".join(
            f"{p.target.describe('it')} → "
            f"{format_number(shown_achievement(p.achievement) or Decimal(0))}"
            for p in a.parts)
    text = a.working
    for en, it in _IT_PHRASES:
        text = re.sub(rf"(?<![\w]){re.escape(en)}(?![\w])", it, text)
    return italian_numbers(text)


def italian_numbers(text: str) -> str:
    """Plain numbers in an engine text written the Italian way (``94.95`` → ``94,95``)."""
    return _NUMBER_RE.sub(lambda m: format_number(Decimal(m.group(1))), text)


def _round(d: Decimal, places: int) -> Decimal:
    r = rounded(d, places)
    return d if r is None else r


def _achievement(a: Decimal | None) -> str:
    return format_percent(a, missing="—")


def _units(plan: Plan) -> Mapping[str, str]:
    return {i.code: i.unit for i in plan.indicators}


def _table(plan: Plan, result: PlanEvaluation, period: datetime.date | None,
           lang: str = "it") -> str:
    units = _units(plan)
    when = (_t(gettext_noop("al %(date)s"), date=period.strftime("%d/%m/%Y")) if period
            else _t(gettext_noop("fine anno")))
    lines = [f"{plan.title} — {plan.organisation.name}",
             _t(gettext_noop("Anno %(year)s (%(when)s)"), year=result.year, when=when), ""]
    rows = [(_t(gettext_noop("Codice")), _t(gettext_noop("Indicatore")),
             _t(gettext_noop("Valore")), _t(gettext_noop("Target")),
             _t(gettext_noop("Raggiungimento")), _t(gettext_noop("Stato")),
             _t(gettext_noop("Nota")))]
    for ind in plan.indicators:
        r = result.indicators.get(ind.code)
        if not isinstance(r, IndicatorResult):
            continue
        target = (r.target.describe(lang) if r.target
                  else ind.targets.get(result.year, "—"))
        rows.append((ind.code, _cut(ind.name, 38), display_value(r, units[ind.code]),
                     _cut(target, 34), _achievement(r.achievement),
                     _status(r.status.value), _cut(_note(r, lang), 50)))
    lines += _columns(rows)
    for title, nodes in ((_t(gettext_noop("Obiettivi operativi")), result.operational),
                         (_t(gettext_noop("Obiettivi strategici")), result.strategic),
                         (_t(gettext_noop("Missioni")), result.missions),
                         (_t(gettext_noop("Centri di responsabilità")), result.centres)):
        lines += ["", title]
        lines += _columns([(_t(gettext_noop("Codice")), _t(gettext_noop("Raggiungimento")),
                            _t(gettext_noop("Stato")), _t(gettext_noop("Indicatori")),
                            _t(gettext_noop("Esclusi")))] + [
            (code, _achievement(n.achievement), _status(n.status.value),
             str(len(n.counted)), _cut(", ".join(lo.indicator for lo in n.left_out), 50))
            for code, n in nodes.items()])
    org = result.organisation
    left = (f" ({', '.join(lo.indicator for lo in org.left_out)})" if org.left_out else "")
    lines += ["", _t(gettext_noop("Ente: %(achievement)s (%(status)s); %(counted)s "
                                  "indicatori considerati, %(left)s esclusi"),
                     achievement=_achievement(org.achievement),
                     status=_status(org.status.value), counted=len(org.counted),
                     left=len(org.left_out)) + left]
    return "\n".join(lines) + "\n"


def _note(r: IndicatorResult, lang: str = "it") -> str:
    if r.reason:
        return str(r.reason)
    if r.assessment is not None:
        return working_text(r, lang)
    return ""


def _cut(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _columns(rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
            for r in rows]


def _csv(plan: Plan, result: PlanEvaluation) -> str:
    buf = io.StringIO()
    w = _InertWriter(csv.writer(buf, lineterminator="\n"))
    w.writerow(["level", "code", "name", "year", "value", "target", "achievement", "met",
                "status", "outcome", "reason"])
    names = {i.code: i.name for i in plan.indicators}
    for ind in plan.indicators:
        r = result.indicators.get(ind.code)
        if not isinstance(r, IndicatorResult):
            continue
        w.writerow(["indicator", r.code, names.get(r.code, ""), r.year, _plain(r.value),
                    r.target.text if r.target else "", _plain(r.achievement),
                    "" if r.met is None else str(r.met).lower(), r.status.value,
                    r.outcome.value, str(r.reason or "")])
    titles = {o.code: o.title for o in plan.operational_objectives}
    titles.update({f"s{s.code}": s.title for s in plan.strategic_objectives})
    for level, nodes in (("operational", result.operational), ("strategic", result.strategic),
                         ("mission", result.missions), ("centre", result.centres),
                         ("organisation", {"": result.organisation})):
        for code, n in nodes.items():
            name = titles.get(code if level == "operational" else f"s{code}", "") \
                if level in ("operational", "strategic") else ""
            if level == "mission":
                name = next((m.name for m in plan.missions if m.code == code), "")
            w.writerow([level, code, name, result.year, "", "", _plain(n.achievement), "",
                        n.status.value, "", _left_out(n)])
    return buf.getvalue()


class _InertWriter:
    """A CSV writer whose text cells cannot run as formulas (cruscotto.io.cells)."""

    def __init__(self, writer: Any) -> None:
        self.writer = writer

    def writerow(self, row: Iterable[Any]) -> None:
        self.writer.writerow(inert_row(row))


def _left_out(n: NodeScore) -> str:
    return "; ".join(f"{lo.indicator}: {lo.reason}" for lo in n.left_out)


def _plain(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, NotMeasured | NotComputable):
        return ""
    data = to_data(v)
    return str(data).lower() if isinstance(data, bool) else str(data)


def explain_text(plan: Plan, result: PlanEvaluation, code: str, *, lang: str = "it") -> str:
    """How one indicator's figure was obtained, step by step, in the language in use
    (Italian unless a translator is set; ``lang`` names it for the engine's working)."""
    r = result.indicators[code]
    ind = plan.indicator(code)
    out = [f"{code} {ind.name}", _t(gettext_noop("Anno %(year)s"), year=result.year), ""]
    if not isinstance(r, IndicatorResult):
        return "\n".join([*out, str(r.reason or "")]) + "\n"
    d = ind.in_force(result.year)  # the definition computing this year
    if d.formula_text:
        out.append(_t(gettext_noop("Algoritmo (come scritto nel piano): %(text)s"),
                      text=d.formula_text))
    if r.evaluation is not None:
        out.append(_t(gettext_noop("Formula: %(text)s"), text=r.evaluation.text))
        out.append(_t(gettext_noop("Dati:")))
        out += _inputs(r.evaluation.inputs)
        out.append(_t(gettext_noop("Valore: %(value)s"), value=display_value(r, d.unit)))
    if r.previous is not None:
        out.append(_t(gettext_noop("Anno precedente (%(year)s):"), year=r.previous.year))
        out += _inputs(r.previous.inputs)
        out.append(_t(gettext_noop("Valore %(year)s: %(value)s"), year=r.previous.year,
                      value=format_figure(r.previous.value, percent=False)))
    for name, ev in r.measures:
        out.append(_t(gettext_noop("Misura %(name)s: %(value)s"), name=name,
                      value=format_figure(ev.value, percent=False)))
        out += _inputs(ev.inputs)
    if r.target is not None:
        out.append(_t(gettext_noop("Target %(year)s: «%(text)s» — %(words)s"),
                      year=result.year, text=r.target.text, words=r.target.describe(lang)))
    if r.assessment is not None:
        out.append(_t(gettext_noop("Regola: %(rule)s"), rule=_rule(r.assessment.rule)))
        if r.assessment.working:
            out.append(_t(gettext_noop("Calcolo: %(working)s"), working=working_text(r, lang)))
    met = ("" if r.met is None else "; " + (_t(gettext_noop("target raggiunto")) if r.met
                                            else _t(gettext_noop("target mancato"))))
    out.append(_t(gettext_noop("Raggiungimento: %(achievement)s; stato %(status)s"),
                  achievement=_achievement(r.achievement), status=_status(r.status.value))
               + met)
    if r.reason:
        out.append(_t(gettext_noop("Nota: %(note)s"), note=r.reason))
    for w in r.warnings:
        out.append(_t(gettext_noop("Avvertenza: %(warning)s"), warning=w))
    out.append("")
    out.append(_t(gettext_noop("Contributo agli aggregati:")))
    out += _contributions(code, result)
    return "\n".join(out) + "\n"


def _inputs(inputs: Iterable[object]) -> list[str]:
    lines = []
    for i in inputs:
        label = getattr(i, "label", "") or getattr(i, "name", "")
        source = getattr(i, "source", "")
        lines.append(f"  {getattr(i, 'name', '')} ({getattr(i, 'year', '')}) = "
                     f"{format_figure(getattr(i, 'value', None), percent=False)}"
                     f"  — {label}"
                     + (" " + _t(gettext_noop("[fonte: %(source)s]"), source=source)
                        if source else ""))
    return lines or ["  " + _t(gettext_noop("(nessuno)"))]


def _contributions(code: str, result: PlanEvaluation) -> list[str]:
    lines = []
    for title, nodes in ((gettext_noop("obiettivo operativo"), result.operational),
                         (gettext_noop("obiettivo strategico"), result.strategic),
                         (gettext_noop("missione"), result.missions),
                         (gettext_noop("centro"), result.centres),
                         (gettext_noop("ente"), {"": result.organisation})):
        for ncode, n in nodes.items():
            head = f"  {_t(title)} {ncode}".rstrip()
            if code in n.counted:
                lines.append(f"{head}: {_achievement(n.achievement)}"
                             f" — {italian_numbers(n.working)}")
            elif any(lo.indicator == code for lo in n.left_out):
                lines.append(f"{head}: " + _t(gettext_noop("escluso dalla media")))
    return lines or ["  " + _t(gettext_noop("(nessuno)"))]
