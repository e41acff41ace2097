"""Which values a reader sees without draft rights: the public only certified ones."""

from __future__ import annotations

from cruscotto.core.workflow import Actor, Role, State, public_states


def test_the_public_sees_certified_values_only() -> None:
    assert public_states(Actor.public()) == {State.CERTIFIED}
    assert public_states(None) == {State.CERTIFIED}


def test_signed_in_readers_see_validated_values_too() -> None:
    for actor in (Actor.of([Role.VIEWER]), Actor.of(), Actor.of(centres={"B": [Role.OFFICER]})):
        assert public_states(actor) == {State.VALIDATED, State.CERTIFIED}


def test_the_public_has_no_roles() -> None:
    public = Actor.public()
    assert public.anonymous and not public.roles and not public.in_centres(["A"])
