"""Saving values recomputes only what reads them, and stores exactly what a whole
recomputation (``cruscotto results refresh``) stores.

A write of values patches each affected stored set from its stored figures
(``results.refresh_written``): the indicators reading a changed value are scored
again, the roll-up nodes they are averaged in averaged again, everything else is
kept. These tests make many writes at random on the seed plan with the demo
(values of 2020 and 2021, figures certified, validated, submitted and drafts,
so every visibility hides something different) and compare, after each, every
stored set with what a whole recomputation stores.
"""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction

from cruscotto.core.values import VariableKind
from cruscotto.core.workflow import WorkflowError
from cruscotto.web.measurements import models as mm
from cruscotto.web.measurements import results
from cruscotto.web.measurements.demo import load_demo
from cruscotto.web.measurements.selectors import compiled_plan, evaluate_period
from cruscotto.web.measurements.services import ValueInput, do_set_values

from .conftest import People


class _Undo(Exception):
    """Leave a savepoint, undoing what was written in it."""


def snapshot(plan_id: int) -> dict[tuple[int, str], tuple[Any, Any, str]]:
    """(period id, visibility) -> (figures, hidden, stamp) of every eager stored set."""
    return {(pid, vis): (figs, hidden, stamp) for pid, vis, figs, hidden, stamp in
            mm.ResultSet.objects.filter(plan_id=plan_id, visibility__in=[
                s.key for s in results.EAGER]).values_list(
                "period_id", "visibility", "figures", "hidden", "stamp")}


def recomputed(plan_id: int) -> dict[tuple[int, str], tuple[Any, Any, str]]:
    """What a whole recomputation of every period stores (undone afterwards)."""
    out: dict[tuple[int, str], tuple[Any, Any, str]] = {}
    try:
        with transaction.atomic():
            results.refresh(plan_id)
            out = snapshot(plan_id)
            raise _Undo
    except _Undo:
        pass
    return out


def differences(got: dict[Any, Any], want: dict[Any, Any]) -> list[str]:
    out = []
    for key in sorted(set(got) | set(want)):
        g, w = got.get(key), want.get(key)
        if g is None or w is None:
            out.append(f"{key}: stored {g is not None}, recomputed {w is not None}")
            continue
        for what, a, b in zip(("figures", "hidden", "stamp"), g, w, strict=True):
            if a != b:
                if what == "figures":
                    diff = [f"{t}.{c}" for t in a if isinstance(a[t], dict)
                            for c in set(a[t]) | set(b[t]) if a[t].get(c) != b[t].get(c)]
                    out.append(f"{key} figures differ: {diff[:5]}")
                else:
                    out.append(f"{key} {what} differs")
    return out


def _setup(people: People) -> tuple[Any, list[mm.Period], dict[str, list[str]], set[str]]:
    load_demo(plan=people.plan)
    results.refresh(people.plan.pk)  # every period's sets stored (else made when read)
    admin = get_user_model().objects.get(username="demo-admin")
    plan, compiled = compiled_plan(people.plan.pk)
    readers: dict[str, list[str]] = {}
    for spec in compiled.specs:
        for name in spec.variables:
            readers.setdefault(name, []).append(spec.code)
    yes_no = {v.name for v in plan.variables if v.kind is VariableKind.YES_NO}
    periods = list(mm.Period.objects.filter(plan=people.plan).order_by("end_date"))
    return admin, periods, readers, yes_no


def _random_value(rng: random.Random, variable: str, yes_no: set[str]) -> Any:
    if rng.random() < 0.1:
        return None  # a value cleared
    if variable in yes_no:
        return rng.random() < 0.5
    return Decimal(rng.randint(0, 5000)) / (Decimal(100) if rng.random() < 0.3 else 1)


def test_random_writes_store_exactly_what_a_whole_recomputation_stores(
        people: People, monkeypatch: Any) -> None:
    admin, periods, readers, yes_no = _setup(people)
    patched = []
    real = results._patched

    def counting(*args: Any, **kwargs: Any) -> Any:
        patched.append(kwargs["keys"])
        return real(*args, **kwargs)

    monkeypatch.setattr(results, "_patched", counting)
    plan_id = people.plan.pk
    assert differences(snapshot(plan_id), recomputed(plan_id)) == []
    rng = random.Random(20261127)
    variables = sorted(readers)
    accepted = patched_any = 0
    for _round in range(40):
        period = rng.choice(periods)
        items = [ValueInput(readers[v][0], v, _random_value(rng, v, yes_no))
                 for v in rng.sample(variables, rng.choice((1, 1, 1, 2, 3)))]
        before = snapshot(plan_id)
        try:
            do_set_values(user=admin, period=period, items=items)
        except (WorkflowError, PermissionDenied):
            assert snapshot(plan_id) == before  # refused: nothing stored changed
            continue
        accepted += 1
        after = snapshot(plan_id)
        patched_any += after != before
        assert differences(after, recomputed(plan_id)) == [], (period, items)
    # the random walk did write, and writes did change stored figures
    assert accepted >= 15 and patched_any >= 10
    # and the sets were patched, not computed whole
    assert len(patched) >= accepted


def test_several_periods_in_one_batch_are_patched_together(people: People) -> None:
    admin, periods, readers, yes_no = _setup(people)
    plan_id = people.plan.pk
    rng = random.Random(7)
    by_kind = {(p.year, p.kind): p for p in periods}
    numeric = [v for v in sorted(readers) if v not in yes_no]
    for _round in range(6):
        with transaction.atomic(), results.batch():
            for key in ((2022, "year_end"), (2023, "year_end"), (2022, "interim")):
                for v in rng.sample(numeric, 2):
                    do_set_values(user=admin, period=by_kind[key], items=[
                        ValueInput(readers[v][0], v, Decimal(rng.randint(1, 900)))])
        assert differences(snapshot(plan_id), recomputed(plan_id)) == []


def test_a_set_stale_before_the_write_is_computed_whole_not_patched(
        people: People) -> None:
    """Something wrote around the services: the stored set no longer matches the data,
    so patching it would keep wrong figures of other indicators."""
    admin, periods, readers, yes_no = _setup(people)
    plan_id = people.plan.pk
    year_end = next(p for p in periods if p.year == 2022 and p.kind == "year_end")
    numeric = [v for v in sorted(readers) if v not in yes_no]
    first, second = numeric[0], numeric[-1]
    do_set_values(user=admin, period=year_end,
                  items=[ValueInput(readers[first][0], first, Decimal(10))])
    mm.Value.objects.filter(period=year_end, variable=first).update(number=Decimal(77))
    do_set_values(user=admin, period=year_end,
                  items=[ValueInput(readers[second][0], second, Decimal(5))])
    assert differences(snapshot(plan_id), recomputed(plan_id)) == []


def test_a_page_reads_the_derivation_built_from_the_same_values(people: People) -> None:
    """A write stores figures only; the evaluation the pages show (with its derivation)
    is built when first read, by any process, from the same values: the same figures."""
    admin, periods, readers, yes_no = _setup(people)
    plan_id = people.plan.pk
    year_end = next(p for p in periods if p.year == 2022 and p.kind == "year_end")
    variable = next(v for v in sorted(readers) if v not in yes_no)
    do_set_values(user=admin, period=year_end,
                  items=[ValueInput(readers[variable][0], variable, Decimal(42))])
    row = mm.ResultSet.objects.get(plan_id=plan_id, period=year_end, visibility="office")
    assert bytes(row.evaluation) == b""  # not built by the write
    results._LOADED.clear()  # as another process, which has not read it yet
    ev = evaluate_period(plan_id=plan_id, period=year_end, include_drafts=True)
    assert results.figures(ev.evaluation, {}) == row.figures
    code = readers[variable][0]
    assert ev.evaluation.indicators[code].evaluation is not None  # the derivation
    row.refresh_from_db()
    assert bytes(row.evaluation) != b""  # built once, kept for every process
