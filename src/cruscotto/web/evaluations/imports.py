"""Bulk import of staff, evaluators and individual objectives from an XLSX workbook.

Two sheets (the first row of each names the columns; their order is free):

- ``Personale``: ``utente`` (username), ``nome``, ``cognome``, ``email``,
  ``categoria`` (a code of the year's SMVP), ``valutatore`` (username; created
  when missing, like the person), ``centri`` (keys or names of the plan's
  centres, separated by ``;``);
- ``Obiettivi`` (optional): ``utente``, ``obiettivo``, ``peso``, ``unita``
  (unit, e.g. ``percentuale``), ``polarita`` (``crescente``, ``decrescente`` or
  ``intervallo``), ``target`` (written as the plan's targets), ``risultato``
  (optional).

A person gets a draft card for the year, or has their draft card updated
(category, evaluator, centres; the objectives listed replace the card's). A
card already shared or beyond is refused. Everything or nothing: one
transaction, and every problem is reported with its sheet, row and column.
People created here have no usable password (they set one through the
password reset, or the administrator gives one).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from cruscotto.core.appraisal import CardState
from cruscotto.core.targets import Polarity, TargetError, parse_target
from cruscotto.web.plans import models as pm

from . import models as em
from . import selectors, services

POLARITY = {"crescente": Polarity.HIGHER_IS_BETTER, "decrescente": Polarity.LOWER_IS_BETTER,
            "intervallo": Polarity.TARGET_BAND, "": Polarity.HIGHER_IS_BETTER,
            "higher": Polarity.HIGHER_IS_BETTER, "lower": Polarity.LOWER_IS_BETTER,
            "band": Polarity.TARGET_BAND}
STAFF = "Personale"
OBJECTIVES = "Obiettivi"
MAX_ROWS = 5000


class ImportRefused(Exception):
    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass
class ImportSummary:
    people: int
    created_users: int
    created_cards: int
    objectives: int


def _sheet(wb: Any, name: str, required: list[str], problems: list[str]
           ) -> list[tuple[int, dict[str, str]]]:
    if name not in wb.sheetnames:
        if required:
            problems.append(_("manca il foglio «%(sheet)s»") % {"sheet": name})
        return []
    rows = list(wb[name].iter_rows(values_only=True))
    if not rows:
        return []
    header = [str(h or "").strip().casefold() for h in rows[0]]
    for col in required:
        if col not in header:
            problems.append(_("foglio «%(sheet)s»: manca la colonna «%(col)s»") % {
                "sheet": name, "col": col})
    if len(rows) > MAX_ROWS + 1:
        problems.append(_("foglio «%(sheet)s»: al massimo %(n)s righe") % {
            "sheet": name, "n": MAX_ROWS})
        return []
    out = []
    for i, row in enumerate(rows[1:], start=2):
        values = {h: ("" if v is None else str(v).strip()) for h, v in zip(header, row,
                                                                          strict=False) if h}
        if any(values.values()):
            out.append((i, values))
    return out


@transaction.atomic
def import_workbook(*, plan: pm.Plan, year: int, content: bytes, by: Any = None
                    ) -> ImportSummary:
    """Read the workbook and apply it, or refuse it whole (:class:`ImportRefused`)."""
    from openpyxl import load_workbook

    problems: list[str] = []
    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any unreadable file is one refusal
        raise ImportRefused([_("il file non è una cartella di lavoro XLSX")]) from None
    scheme = selectors.scheme_for(plan.organisation_id, year)
    if scheme is None:
        raise ImportRefused([_("il SMVP del %(year)s non è configurato") % {"year": year}])
    categories = {c.code for c in scheme.categories}
    centres = {c.key: c for c in pm.ResponsibilityCentre.objects.filter(plan=plan)}
    by_name = {c.name.casefold(): c for c in centres.values()}
    staff = _sheet(wb, STAFF, ["utente", "categoria"], problems)
    objectives = _sheet(wb, OBJECTIVES, ["utente", "obiettivo", "target"], problems) \
        if OBJECTIVES in wb.sheetnames else []
    if problems:
        raise ImportRefused(problems)

    def where(sheet: str, row: int, col: str) -> str:
        return _("foglio «%(sheet)s», riga %(row)s, colonna «%(col)s»") % {
            "sheet": sheet, "row": row, "col": col}

    people: dict[str, dict[str, Any]] = {}
    for row, v in staff:
        username = v.get("utente", "")
        if not username or len(username) > 150:
            problems.append(where(STAFF, row, "utente") + ": " + _("serve un nome utente "
                                                                  "(al massimo 150 caratteri)"))
            continue
        if username in people:
            problems.append(where(STAFF, row, "utente") + ": " + _(
                "«%(user)s» è già alla riga %(row)s") % {"user": username,
                                                         "row": people[username]["row"]})
            continue
        if v.get("categoria") not in categories:
            problems.append(where(STAFF, row, "categoria") + ": " + _(
                "«%(value)s» non è una categoria del SMVP (ammesse: %(allowed)s)") % {
                "value": v.get("categoria"), "allowed": ", ".join(sorted(categories))})
        chosen = []
        for part in [p.strip() for p in v.get("centri", "").split(";") if p.strip()]:
            c = centres.get(part) or by_name.get(part.casefold())
            if c is None:
                problems.append(where(STAFF, row, "centri") + ": " + _(
                    "«%(value)s» non è un centro del piano") % {"value": part})
            else:
                chosen.append(c)
        evaluator = v.get("valutatore", "")
        if evaluator == username:
            problems.append(where(STAFF, row, "valutatore") + ": " + _(
                "una persona non valuta se stessa"))
        people[username] = {"row": row, "values": v, "centres": chosen,
                            "evaluator": evaluator, "objectives": []}
    for row, v in objectives:
        username = v.get("utente", "")
        if username not in people:
            problems.append(where(OBJECTIVES, row, "utente") + ": " + _(
                "«%(user)s» non è nel foglio «%(sheet)s»") % {"user": username,
                                                             "sheet": STAFF})
            continue
        polarity = POLARITY.get(v.get("polarita", "").casefold())
        if polarity is None:
            problems.append(where(OBJECTIVES, row, "polarita") + ": " + _(
                "«%(value)s» non è crescente, decrescente o intervallo") % {
                "value": v.get("polarita")})
            continue
        try:
            weight = Decimal(v.get("peso") or "1")
            if not weight.is_finite() or not 0 <= weight <= 1000:
                raise InvalidOperation
        except InvalidOperation:
            problems.append(where(OBJECTIVES, row, "peso") + ": " + _(
                "«%(value)s» non è un peso tra 0 e 1000") % {"value": v.get("peso")})
            continue
        title, target = v.get("obiettivo", ""), v.get("target", "")
        if not title or len(title) > em.TITLE_LENGTH:
            problems.append(where(OBJECTIVES, row, "obiettivo") + ": " + _(
                "serve un titolo di al massimo %(n)s caratteri") % {"n": em.TITLE_LENGTH})
            continue
        try:
            parse_target(target, unit=v.get("unita", ""), polarity=polarity, year=year)
        except TargetError as exc:
            problems.append(where(OBJECTIVES, row, "target") + ": " + _(
                "il target «%(text)s» non si legge (colonna %(column)s)") % {
                "text": target, "column": exc.column})
            continue
        if len(target) > em.TARGET_LENGTH or len(v.get("risultato", "")) > em.VALUE_LENGTH:
            problems.append(where(OBJECTIVES, row, "target") + ": " + _("testo troppo lungo"))
            continue
        people[username]["objectives"].append({
            "title": title, "weight": weight, "unit": v.get("unita", "")[:50],
            "polarity": polarity.value, "target": target, "actual": v.get("risultato", "")})
    User = get_user_model()
    existing = {c.person.username: c for c in em.Card.objects.filter(
        plan=plan, year=year, person__username__in=list(people)).select_related("person")}
    for username, p in people.items():
        card = existing.get(username)
        if card is not None and card.state != CardState.DRAFT:
            problems.append(where(STAFF, p["row"], "utente") + ": " + _(
                "la scheda %(year)s di «%(user)s» non è più in bozza") % {
                "year": year, "user": username})
    if problems:
        raise ImportRefused(problems)
    created_users = created_cards = n_objectives = 0

    def user(username: str, values: dict[str, str] | None = None) -> Any:
        nonlocal created_users
        u = User.objects.filter(username=username).first()
        if u is None:
            u = User(username=username)
            u.set_unusable_password()
            created_users += 1
        if values:
            u.first_name = values.get("nome", u.first_name)[:150]
            u.last_name = values.get("cognome", u.last_name)[:150]
            u.email = values.get("email", u.email)[:254]
        u.save()
        return u

    for username, p in people.items():
        person = user(username, p["values"])
        evaluator = user(p["evaluator"]) if p["evaluator"] else None
        card = existing.get(username)
        category = p["values"]["categoria"]
        if card is None:
            services.create_card(plan=plan, year=year, person=person, category=category,
                                 evaluator=evaluator, centres=p["centres"], by=by,
                                 objectives=p["objectives"])
            created_cards += 1
        else:
            card.category, card.evaluator = category, evaluator
            card.version += 1
            card.save()
            card.centres.set(p["centres"])
            if p["objectives"]:
                card.objectives.all().delete()
                for i, o in enumerate(p["objectives"]):
                    em.Objective.objects.create(card=card, position=i, **o)
            services.record(card, by, "import", reason=_("importazione da XLSX"))
        n_objectives += len(p["objectives"])
    return ImportSummary(len(people), created_users, created_cards, n_objectives)
