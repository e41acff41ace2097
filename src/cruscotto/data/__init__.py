"""The shipped default plan: the seed's import, its encoding for the engine, and the errata."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from cruscotto.core.findings import Finding
from cruscotto.core.plan import Plan, check_plan

DATA_DIR = Path(__file__).resolve().parent
SEED_TEXT = DATA_DIR / "seed_piano_2021_2023.txt"
ERRATA = DATA_DIR / "errata.yaml"
ENCODING = DATA_DIR / "encoding.yaml"


def build_default_plan() -> tuple[Plan, list[Finding]]:
    """Import the seed text, apply the encoding and the errata.

    Returns the plan and every finding of the three steps.
    """
    from cruscotto.io.encoding import apply_encoding
    from cruscotto.io.errata import apply_errata
    from cruscotto.io.seed_text import import_path

    result = import_path(SEED_TEXT)
    plan = result.plan
    findings = list(result.findings)
    findings += apply_encoding(plan, ENCODING)
    findings += apply_errata(plan, ERRATA)
    check_plan(plan)
    return plan, findings


@lru_cache(maxsize=1)
def _cached() -> Plan:
    return build_default_plan()[0]


def default_plan() -> Plan:
    """A fresh copy of the default plan (callers may change it freely)."""
    import copy

    return copy.deepcopy(_cached())
