"""Session (with CSRF for writes) or HTTP Basic; wrong credentials are not anonymous."""

from __future__ import annotations

import json

from django.test import Client

from cruscotto.web.measurements import models as mm

from .conftest import API, VALUES_3_1_1, Caller


def test_wrong_basic_credentials_are_refused_not_read_as_anonymous(caller: Caller) -> None:
    api = caller.anonymous
    api.headers["Authorization"] = "Basic b2ZmaWNlcl9hOndyb25n"  # officer_a:wrong
    assert api.get("/api/plans") == (401, {"detail": "nome utente o password errati"})


def test_a_session_write_needs_the_csrf_token(caller: Caller) -> None:
    client = Client(enforce_csrf_checks=True)
    api = API(caller.people, caller.people.officer_a, client=client)
    status, body = api.put_values(VALUES_3_1_1)
    assert (status, body["detail"]) == (403, "CSRF check Failed")
    assert not mm.Value.objects.exists()
    token = "k" * 32  # a CSRF secret as the cookie carries it, echoed in the header
    client.cookies["csrftoken"] = token
    r = client.put(api.period() + "/values", data=json.dumps(VALUES_3_1_1),
                   content_type="application/json", headers={"X-CSRFToken": token})
    assert r.status_code == 200, r.json()


def test_basic_needs_no_csrf_token(caller: Caller) -> None:
    api = API(caller.people, caller.people.officer_a, basic=True,
              client=Client(enforce_csrf_checks=True))
    assert api.put_values(VALUES_3_1_1)[0] == 200
