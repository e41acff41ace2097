"""Publishing a plan: the planning office or an administrator, in the admin or with
`cruscotto plan publish KEY` / `unpublish KEY`."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from cruscotto.cli import main
from cruscotto.data import default_plan
from cruscotto.web.measurements import models as mm
from cruscotto.web.plans import models as pm
from cruscotto.web.plans.services import NotAllowed, set_published, write_plan

pytestmark = pytest.mark.django_db

KEY = "cciaa-mimblo-2021-2023"


@pytest.fixture
def stored() -> pm.Plan:
    return write_plan(plan=default_plan())


def test_a_stored_plan_is_not_public_until_published(client: Client,
                                                     stored: pm.Plan) -> None:
    assert not stored.published and stored.published_at is None
    assert client.get(f"/plans/{KEY}/").status_code == 404
    assert client.get(f"/trasparenza/{KEY}/").status_code == 404


def test_the_command_refuses_to_publish_a_draft(client: Client, stored: pm.Plan,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "publish", KEY]) == 2
    assert "adotta prima il piano" in capsys.readouterr().err
    assert not pm.Plan.objects.get(key=KEY).published
    assert client.get(f"/trasparenza/{KEY}/").status_code == 404


def test_the_command_publishes_and_withdraws(client: Client, stored: pm.Plan,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "adopt", KEY, "--act", "Delibera n. 1/2021",
                 "--date", "31/01/2021"]) == 0
    assert main(["plan", "publish", KEY]) == 0
    assert f"plan {KEY} published" in capsys.readouterr().out
    db = pm.Plan.objects.get(key=KEY)
    assert db.published and db.published_at is not None
    assert client.get(f"/plans/{KEY}/").status_code == 200
    assert client.get(f"/trasparenza/{KEY}/").status_code == 200
    first = db.published_at
    assert main(["plan", "publish", KEY]) == 0  # again: the first date stays
    assert pm.Plan.objects.get(key=KEY).published_at == first
    assert main(["plan", "unpublish", KEY]) == 0
    db = pm.Plan.objects.get(key=KEY)
    assert not db.published and db.published_at is None
    assert client.get(f"/plans/{KEY}/").status_code == 404


def test_the_command_names_an_unknown_plan(stored: pm.Plan,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "publish", "nessun-piano"]) == 2
    assert "no plan 'nessun-piano'" in capsys.readouterr().err


def test_an_administrator_publishes_in_the_admin(client: Client, stored: pm.Plan) -> None:
    admin = get_user_model().objects.create_superuser("capo", password="x")
    client.force_login(admin)
    response = client.post("/admin/plans/plan/", {
        "action": "publish", "_selected_action": [stored.pk]}, follow=True)
    assert "1 piano pubblicato." in response.content.decode()
    assert pm.Plan.objects.get(pk=stored.pk).published
    client.post("/admin/plans/plan/", {"action": "unpublish",
                                       "_selected_action": [stored.pk]})
    assert not pm.Plan.objects.get(pk=stored.pk).published


def test_staff_outside_the_planning_office_cannot_publish(client: Client,
                                                          stored: pm.Plan) -> None:
    from django.contrib.auth.models import Permission

    user = get_user_model().objects.create_user("redattore", password="x", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=[
        "view_plan", "change_plan"]))
    client.force_login(user)
    page = client.get("/admin/plans/plan/").content.decode()
    assert 'value="publish"' not in page
    client.post("/admin/plans/plan/", {"action": "publish", "_selected_action": [stored.pk]})
    assert not pm.Plan.objects.get(pk=stored.pk).published
    with pytest.raises(NotAllowed):  # the service checks too
        set_published(plan=stored, published=True, user=user)
    mm.OrgRole.objects.create(user=user, role="planning", organisation=stored.organisation)
    assert set_published(plan=stored, published=True, user=user).published
