"""The demo plan's two public values, as the PIAO tests store them."""

from __future__ import annotations

from typing import Any

from cruscotto.core.plan import Plan, PublicValue
from cruscotto.web.measurements.authoring import store_plan


def demo_public_values() -> list[PublicValue]:
    """VP1 groups strategic objectives 1 and 3, VP2 objective 6."""
    return [
        PublicValue("VP1", "Imprese competitive", "Più imprese innovative", bes=["BES4"],
                    sdgs=["SDG8", "SDG9"], strategic_codes=["1", "3"]),
        PublicValue("VP2", "Un ente efficiente e vicino", bes=["BES12"], strategic_codes=["6"]),
    ]


def store_with_public_values(plan: Plan, db_plan: Any) -> None:
    """Store ``plan`` (the stored plan ``db_plan``, perhaps changed) with the two public
    values."""
    plan.public_values = demo_public_values()
    store_plan(plan=plan, key=db_plan.key, target=db_plan)
