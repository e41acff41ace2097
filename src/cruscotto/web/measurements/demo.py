"""Demonstration data for a first run: one person per role and 2021 values.

``cruscotto demo`` (run by ``make run``) calls :func:`load_demo`. Everything
it writes is marked ``is_demo`` and shown as demonstration data in every page
and export. Safe to repeat: existing people and values are left alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from cruscotto.data import DATA_DIR
from cruscotto.io.values_csv import read_values
from cruscotto.web.measurements import models as mm
from cruscotto.web.measurements import results, services
from cruscotto.web.measurements.selectors import evaluate_indicator
from cruscotto.web.plans import models as pm
from cruscotto.web.plans.selectors import read_plan

DEMO_VALUES = DATA_DIR / "demo_values_2021.csv"
#: indicators left at an earlier step of the workflow, so every state shows
LEFT_SUBMITTED = {"6.4.3", "3.3.1"}
LEFT_DRAFT = {"4.2.2"}
GAP = ("[DEMO] Scostamento dimostrativo: spiegazione inserita dal generatore di dati "
       "di prova.")


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    what: str


def _people(plan: pm.Plan) -> list[tuple[str, str, str | None, str]]:
    """(username, role, centre name or None, description)."""
    centre_a = "Comunicazione sistemi informativi e sviluppo delle imprese"
    centre_b = "Risorse e patrimonio"
    names = set(pm.ResponsibilityCentre.objects.filter(plan=plan).values_list("name",
                                                                               flat=True))
    out: list[tuple[str, str, str | None, str]] = [
        ("demo-admin", "admin", None, "amministratore"),
        ("demo-controllo", "planning", None, "controllo di gestione"),
        ("demo-oiv", "oiv", None, "OIV"),
        ("demo-lettore", "viewer", None, "lettore"),
    ]
    if centre_a in names:
        out += [("demo-responsabile", "manager", centre_a, f"responsabile di {centre_a}"),
                ("demo-referente", "officer", centre_a, f"referente di {centre_a}")]
    if centre_b in names:
        out += [("demo-referente-b", "officer", centre_b, f"referente di {centre_b}")]
    return out


@transaction.atomic
def load_demo(*, plan: pm.Plan, values: Path = DEMO_VALUES) -> list[DemoUser]:
    """Create the demo people and 2021 values of ``plan``; return the people."""
    with results.batch():  # the results recomputed once, at the end
        return _load_demo(plan=plan, values=values)


def _load_demo(*, plan: pm.Plan, values: Path) -> list[DemoUser]:
    User = get_user_model()
    users: list[DemoUser] = []
    for username, role, centre, what in _people(plan):
        password = username  # demonstration only: printed at start
        user, created = User.objects.get_or_create(username=username)
        if created:
            user.set_password(password)
            user.is_staff = role in ("admin", "planning")
            user.is_superuser = role == "admin"
            user.save()
        if centre is None:
            mm.OrgRole.objects.get_or_create(user=user, role=role,
                                             organisation_id=plan.organisation_id)
        else:
            mm.CentreMembership.objects.get_or_create(
                user=user, role=role,
                centre=pm.ResponsibilityCentre.objects.get(plan=plan, name=centre))
        users.append(DemoUser(username, password, what))
    periods = {(p.year, p.kind): p for p in services.ensure_periods(plan=plan)}
    if mm.Value.objects.filter(period__plan=plan).exists():
        return users  # values already there (demo or real): never overwrite them
    admin = User.objects.get(username="demo-admin")
    planning = User.objects.get(username="demo-controllo")
    oiv = User.objects.get(username="demo-oiv")
    core_plan = read_plan(plan.pk)
    rows = read_values(values, core_plan).rows
    by_year: dict[int, list[Any]] = {}
    for r in rows:
        by_year.setdefault(r.year, []).append(r)
    baseline = min(core_plan.years) - 1
    for year, year_rows in sorted(by_year.items()):
        period = periods[(year, "baseline" if year == baseline else "year_end")]
        items = [services.ValueInput(r.indicator, r.variable, r.value,
                                     note="[DEMO] valore dimostrativo", where=f"riga {r.line}")
                 for r in year_rows if r.variable]
        # a variable shared by two indicators is stored once (the values file
        # already refuses two different values for it)
        unique = list({i.variable: i for i in items}.values())
        services.do_set_values(user=admin, period=period, items=unique,
                               reason="dati dimostrativi", is_demo=True)
    year_end = periods[(2021, "year_end")]
    for ind in core_plan.indicators:
        if ind.code in LEFT_DRAFT or 2021 not in ind.targets:
            continue
        result = evaluate_indicator(plan_id=plan.pk, period=year_end, code=ind.code,
                                    include_drafts=True, fresh=True)
        if result is None or result.missing:
            continue
        services.do_submit(user=admin, period=year_end, indicator=ind.code,
                           gap_explanation=GAP if result.met is False else "")
        if ind.code in LEFT_SUBMITTED:
            continue
        services.do_validate(user=planning, period=year_end, indicator=ind.code)
        services.do_certify(user=oiv, period=year_end, indicator=ind.code)
    mm.Measurement.objects.filter(period__plan=plan).update(is_demo=True)
    return users
