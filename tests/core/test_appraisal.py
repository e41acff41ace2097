"""The SMVP's rules, a card's score, the differentiation check and the bonus pool."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from decimal import Decimal as D
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from cruscotto.core import messages
from cruscotto.core.appraisal import (
    Band,
    Differentiation,
    SchemeError,
    band_for,
    check_differentiation,
    distribute_pool,
    parse_scheme,
    score_card,
)
from cruscotto.data import DATA_DIR

EXAMPLE = yaml.safe_load((DATA_DIR / "smvp_example.yaml").read_text("utf-8"))
SCHEME = parse_scheme(EXAMPLE)
BANDS = SCHEME.bands



@pytest.fixture(autouse=True)
def _italian_messages() -> Iterator[None]:
    """The SMVP's problems are read here in Italian, as the offices read them (the core's
    other tests read the engine in English: tests/core/conftest.py)."""
    before = messages.get_translator()
    messages.set_translator(None)
    yield
    messages.set_translator(before)


def _problems(data: Any) -> str:
    with pytest.raises(SchemeError) as info:
        parse_scheme(data)
    return str(info.value)


def test_the_shipped_example_reads_with_three_categories_and_four_bands() -> None:
    assert [c.code for c in SCHEME.categories] == ["dirigenti", "po_eq", "personale"]
    assert [b.code for b in SCHEME.bands] == ["A", "B", "C", "D"]
    assert SCHEME.category("dirigenti").oiv_proposes
    assert not SCHEME.category("personale").oiv_proposes
    assert SCHEME.top_score == 5
    assert SCHEME.category("po_eq").pool == D(12000)


def test_weights_must_sum_to_100_and_the_place_is_named() -> None:
    data = copy.deepcopy(EXAMPLE)
    data["categorie"][1]["pesi"]["obiettivi"] = 40
    assert "categorie[2]: i pesi sommano a 110 invece di 100" in _problems(data)


def test_a_band_from_zero_an_unknown_behaviour_and_an_unknown_weight_are_refused() -> None:
    data = copy.deepcopy(EXAMPLE)
    data["fasce"] = data["fasce"][:3]
    data["categorie"][0]["comportamenti"].append("simpatia")
    data["categorie"][0]["pesi"]["anzianita"] = 0
    text = _problems(data)
    assert "una fascia deve partire da 0" in text
    assert "categorie[1]: il comportamento «simpatia» non è nel dizionario" in text
    assert "categorie[1]: peso «anzianita» sconosciuto" in text


def test_a_lower_band_paying_more_than_a_higher_one_is_refused() -> None:
    data = copy.deepcopy(EXAMPLE)
    data["fasce"][2]["coefficiente"] = 2
    assert "non può superare quello di una fascia più alta" in _problems(data)


def _card(category: str = "dirigenti", **kw: Any) -> Any:
    args: dict[str, Any] = {
        "organisation": D("80"), "centres": [("A", D("90"))],
        "objectives": [("uno", D(1), D(100)), ("due", D(3), D(60))],
        "behaviours": {"leadership": 4, "differenziazione": 5, "problem_solving": 3,
                       "collaborazione": 4, "orientamento_utenza": 5, "affidabilita": 5},
        "scale_top": 5, "bands": BANDS}
    args.update(kw)
    return score_card(SCHEME.category(category), **args)


def test_a_card_is_the_weighted_sum_of_its_components_with_the_working() -> None:
    card = _card()
    comps = {c.name: c for c in card.components}
    assert comps["organisation"].achievement == D(80)
    assert comps["centres"].achievement == D(90)
    # (1 × 100 + 3 × 60) / 4 = 70
    assert comps["objectives"].achievement == D(70)
    assert comps["objectives"].working == "(1 × 100 + 3 × 60) / 4 = 70"
    # (4 + 5 + 3 + 4) / (4 × 5) = 80%
    assert comps["behaviours"].achievement == D(80)
    # 20 × 80 + 30 × 90 + 30 × 70 + 20 × 80, over 100
    assert card.total == D("80")
    assert card.band is not None and card.band.code == "B"
    assert card.working == "20% × 80 + 30% × 90 + 30% × 70 + 20% × 80 / 100 = 80"


def test_a_component_with_no_weight_does_not_count_even_when_missing() -> None:
    card = _card("personale", organisation=None)
    assert card.total is not None
    assert not card.missing


def test_a_weighted_component_missing_leaves_no_total_and_says_why() -> None:
    card = _card(centres=[("A", D(90)), ("B", None)])
    assert card.total is None and card.band is None
    assert "nessun risultato certificato per: B" in [str(m) for m in card.missing]
    card = _card(behaviours={"leadership": 4})
    assert any("comportamenti non valutati: differenziazione" in str(m) for m in card.missing)


def test_bands_take_the_highest_minimum_reached() -> None:
    assert band_for(D("90"), BANDS).code == "A"  # type: ignore[union-attr]
    assert band_for(D("89.99"), BANDS).code == "B"  # type: ignore[union-attr]
    assert band_for(D(0), BANDS).code == "D"  # type: ignore[union-attr]


def test_a_flat_distribution_is_refused_naming_the_category_and_the_rule() -> None:
    rules = SCHEME.differentiation
    flat = {"personale": [D(95)] * 6}
    problems = [str(p) for p in check_differentiation(rules, BANDS, flat)]
    assert "personale: le 6 schede usano 1 fasce, ne servono almeno 2" in problems
    assert "personale: 100% delle schede nella fascia più alta, al massimo 30%" in problems
    assert any("ci sono 0 punti, ne servono almeno 10" in p for p in problems)
    varied = {"personale": [D(95), D(85), D(80), D(70), D(62), D(50)]}
    assert check_differentiation(rules, BANDS, varied) == []
    # too few cards to differ: not checked
    assert check_differentiation(rules, BANDS, {"dirigenti": [D(95)] * 3}) == []


def test_the_pool_goes_by_score_times_coefficient() -> None:
    shares = distribute_pool(D(1000), [("a", D(90), D("1.2")), ("b", D(80), D(1)),
                                       ("c", D(50), D(0))])
    # weights 108 and 80: 1000 × 108 / 188 = 574,46..., 1000 × 80 / 188 = 425,53...
    assert shares == {"a": D("574.47"), "b": D("425.53"), "c": D("0.00")}


# -- properties ---------------------------------------------------------------------------

scores = st.decimals(min_value=0, max_value=100, places=2)
coefficients = st.sampled_from([D(0), D("0.6"), D(1), D("1.2")])


@given(st.decimals(min_value=0, max_value=10**6, places=2),
       st.lists(st.tuples(scores, coefficients), min_size=1, max_size=40))
def test_the_shares_sum_to_the_pool_and_follow_the_weights(pool: D, rows: list[Any]) -> None:
    entries = [(str(i), t, c) for i, (t, c) in enumerate(rows)]
    shares = distribute_pool(pool, entries)
    weights = {k: t * c for k, t, c in entries}
    if sum(weights.values()) == 0 or pool == 0:
        assert all(v == 0 for v in shares.values())
        return
    assert sum(shares.values()) == pool
    assert all(v >= 0 for v in shares.values())
    for a in weights:
        for b in weights:
            if weights[a] > weights[b]:
                # a larger weight never gets less (a cent of rounding at most the other way)
                assert shares[a] >= shares[b] - D("0.01")
            if weights[a] == 0:
                assert shares[a] == 0


@given(st.decimals(min_value=0, max_value=100, places=2),
       st.decimals(min_value=0, max_value=100, places=2),
       st.lists(st.tuples(st.integers(1, 5), scores), min_size=1, max_size=5),
       st.lists(st.integers(1, 5), min_size=6, max_size=6))
def test_a_total_stays_between_0_and_100_and_rises_with_any_component(
        org: D, centre: D, objectives: list[Any], behaviour_scores: list[int]) -> None:
    codes = ["leadership", "differenziazione", "problem_solving", "collaborazione",
             "orientamento_utenza", "affidabilita"]
    objs = [(f"o{i}", D(w), a) for i, (w, a) in enumerate(objectives)]
    card = _card(organisation=org, centres=[("A", centre)], objectives=objs,
                 behaviours=dict(zip(codes, behaviour_scores, strict=True)))
    assert card.total is not None and D(0) <= card.total <= D(100)
    better = _card(organisation=min(org + 10, D(100)), centres=[("A", centre)],
                   objectives=objs, behaviours=dict(zip(codes, behaviour_scores, strict=True)))
    assert better.total is not None and better.total >= card.total
    assert band_for(card.total, BANDS) == card.band


@given(st.lists(scores, min_size=5, max_size=30))
def test_a_distribution_in_one_band_is_always_refused(values: list[D]) -> None:
    rules = Differentiation(min_cards=5, min_bands=2, max_top_share=D(100),
                            min_spread=D(0))
    one = [Band("U", "unica", D(0), D(1))]
    assert check_differentiation(rules, one, {"x": values}) != []
