"""The planning office revises a year's target; nobody else may."""

from __future__ import annotations

from cruscotto.web.measurements import models as mm

from .conftest import Caller


def url(caller: Caller) -> str:
    return caller.anonymous.plan + "/indicators/3.1.1/targets/2021/revisions"


def test_the_planning_office_revises_a_target(caller: Caller) -> None:
    status, rev = caller.planning.send("post", url(caller), {
        "text": ">= 85%", "justification": "bando rinviato dalla delibera n. 12"})
    assert status == 201, rev
    assert (rev["indicator"], rev["year"], rev["text"], rev["revised_by"]) == (
        "3.1.1", 2021, ">= 85%", "planning")
    assert rev["previous_text"]
    assert mm.TargetRevision.objects.count() == 1


def test_a_centre_cannot_revise_its_own_target(caller: Caller) -> None:
    status, body = caller.manager_a.send("post", url(caller), {
        "text": ">= 50%", "justification": "troppo ambizioso"})
    assert (status, body["detail"]) == (403, "solo il controllo di gestione rimodula i target")
    assert not mm.TargetRevision.objects.exists()


def test_a_revision_needs_a_readable_target_and_a_justification(caller: Caller) -> None:
    status, body = caller.planning.send("post", url(caller), {
        "text": ">= 85%", "justification": " "})
    assert status == 400 and "richiede una motivazione" in body["detail"]
    status, body = caller.planning.send("post", url(caller), {
        "text": "di più", "justification": "x"})
    assert status == 400 and "non si legge" in body["detail"]
