"""The payroll table of a year's cards: person, category, each component, total, band, share.

For the offices only (the page and ``cruscotto evaluations export`` check who
asks); written with :mod:`cruscotto.io.tables`, whose text cells are inert.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from cruscotto.core.appraisal import COMPONENTS, Scheme
from cruscotto.io.tables import Cell, to_csv, to_xlsx

from .selectors import CardView, distribution

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def payroll_table(views: list[CardView], scheme: Scheme | None
                  ) -> tuple[list[str], list[list[Cell]]]:
    from .views import component_labels, state_labels

    labels = component_labels()
    states = state_labels()
    header = [_("Utente"), _("Nome"), _("Categoria"), _("Stato"),
              *[labels[c] for c in COMPONENTS], _("Punteggio"), _("Fascia"),
              _("Coefficiente"), _("Quota del fondo (euro)"), _("Dati dimostrativi")]
    shares = distribution(views, scheme).shares if scheme else {}
    rows: list[list[Cell]] = []
    for v in views:
        comps = {c.name: c for c in v.score.components} if v.score else {}
        band = v.score.band if v.score else None
        rows.append([
            v.card.person.username, v.card.person.get_full_name(), v.category_name,
            states.get(v.card.state, v.card.state),
            *[comps[c].achievement if c in comps and comps[c].weight else None
              for c in COMPONENTS],
            v.score.total if v.score else None, band.code if band else None,
            band.coefficient if band else None, shares.get(v.card.pk, Decimal("0.00"))
            if v.card.pk in shares else None, _("sì") if v.card.is_demo else _("no")])
    return header, rows


def payroll(views: list[CardView], scheme: Scheme | None, fmt: str) -> tuple[bytes, str]:
    header, rows = payroll_table(views, scheme)
    if fmt == "csv":
        return to_csv(header, rows), "text/csv; charset=utf-8"
    return to_xlsx(header, rows, title=_("Valutazioni")), XLSX
