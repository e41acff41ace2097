"""The permission matrix of ``permission_matrix.py``, one test per row × role × target.

The seed plan with its 2021 demo values and the measurement tests' people
(plus ``demo-admin``) are stored once for the module (``seeded.py``); each
test runs in a transaction rolled back at its end, so a write allowed in one
cell is gone for the next.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from cruscotto.web.api.urls import api as ninja_api
from cruscotto.web.evaluations import models as em
from cruscotto.web.measurements import models as mm
from cruscotto.web.plans import models as pm
from cruscotto.web.plans.selectors import read_plan
from cruscotto.web.reports import documents
from cruscotto.web.reports.models import PlanDocument

from .evaluations.cards import make_cards
from .measurements.conftest import People
from .permission_matrix import MATRIX, NOT_IN_MATRIX, ROLES, Row, fill
from .seeded import seeded

YEAR_END = "2021-12-31"
#: the target columns: centre A's indicator and centre B's, each with one of its inputs
INDICATORS = {"own": ("3.1.1", "budget_innovazione"), "other": ("4.2.2",
                                                                "facciata_giureconsulti")}


@dataclass
class Target:
    """What a row needs of the indicator it acts on."""

    key: str
    code: str
    variable: str
    current: Any
    revised_target: str
    centre: str
    period: mm.Period
    evidence: int
    event: int
    #: the evaluation card of the target's centre: officer_a's (own), officer_b's (other)
    person: str = ""
    #: an approved edition of the 2021 Relazione
    edition: int = 0
    #: a PDF of the 2021 Relazione on certified values, rendered by the worker
    job: str = ""
    #: a published official document of the plan
    document: int = 0
    #: an approval of the 2021 Relazione whose rendering failed (retryable)
    failed: str = ""

    @property
    def new_value(self) -> Any:
        """The input changed: a number plus one, a yes/no turned over."""
        if isinstance(self.current, bool):
            return not self.current
        return int(self.current) + 1

    @property
    def version(self) -> int:
        """The stored input's version (0: none), as the API wants it to change the value."""
        return mm.Value.objects.filter(period=self.period, variable=self.variable).values_list(
            "version", flat=True).first() or 0

    @property
    def new_text(self) -> str:
        v = self.new_value
        return ("sì" if v else "no") if isinstance(v, bool) else str(v)

    def pdf(self) -> SimpleUploadedFile:
        return SimpleUploadedFile("prova.pdf", b"%PDF-1.4 prova",
                                  content_type="application/pdf")

    def csv(self) -> SimpleUploadedFile:
        text = (f"indicator,variable,year,value,period\n"
                f"{self.code},{self.variable},2021,{self.new_text},\n")
        return SimpleUploadedFile("valori.csv", text.encode(), content_type="text/csv")

    def staff_xlsx(self) -> SimpleUploadedFile:
        """A workbook of one new person, for the evaluations' bulk import."""
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        ws.title = "Personale"
        ws.append(["utente", "categoria", "valutatore"])
        ws.append(["nuova_persona", "personale", "manager_a"])
        buf = io.BytesIO()
        wb.save(buf)
        return SimpleUploadedFile("personale.xlsx", buf.getvalue())

    def period_form(self) -> dict[str, str]:
        return {"plan": str(self.period.plan_id), "year": "2021", "end_date": "31/12/2021",
                "kind": "year_end", "deadline": "17/03/2022"}


@dataclass
class World:
    people: People
    users: dict[str, Any]
    targets: dict[str, Target]


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any, tmp_path_factory: Any) -> Any:
    media = str(tmp_path_factory.mktemp("media"))
    with seeded(django_db_blocker, MEDIA_ROOT=media) as people:
        users = {r: getattr(people, r) for r in ROLES[1:-1] if r != "outsider"}
        make_cards(people)
        users["admin"] = get_user_model().objects.get(username="demo-admin")
        users["outsider"] = _outsider()
        plan = read_plan(people.plan.pk)
        edition, job, failed = _edition(people)
        document = documents.add_document(
            plan=people.plan, user=None, kind="piano", title="Piano adottato",
            upload=SimpleUploadedFile("piano.pdf", b"%PDF-1.4 prova")).pk
        targets = {}
        for name, (code, variable) in INDICATORS.items():
            value = mm.Value.objects.get(period=people.year_end, variable=variable)
            evidence = mm.Evidence.objects.create(
                value=value, file=ContentFile(b"%PDF-1.4 prova", name="prova.pdf"),
                name="prova.pdf", size=14, content_type="application/pdf")
            ind = plan.indicator(code)
            centre = pm.ResponsibilityCentre.objects.get(plan=people.plan,
                                                         name=ind.centres[0])
            targets[name] = Target(
                key=people.plan.key, code=code, variable=variable, current=value.data,
                revised_target=ind.targets[2021], centre=centre.key,
                period=people.year_end, evidence=evidence.pk,
                event=mm.AuditEvent.objects.filter(indicator_code=code).first().pk,
                person={"own": "officer_a", "other": "officer_b"}[name],
                edition=edition, job=job, document=document, failed=failed)
        yield World(people, users, targets)


def _outsider() -> Any:
    """Administrator, planning office and OIV of another organisation (with a plan of its
    own), nobody in the seed plan's: the matrix's ``outsider`` column."""
    from cruscotto.web.accounts.models import OrgRole

    other = pm.Organisation.objects.create(name="Unione dei comuni di Altrove")
    user = get_user_model().objects.create_user(username="outsider", password="pw-outsider")
    for role in ("admin", "planning", "oiv"):
        OrgRole.objects.create(user=user, organisation=other, role=role)
    return user


def _edition(people: People) -> tuple[int, str, str]:
    """An approved edition of the 2021 Relazione, a finished PDF job and a failed approval
    (their files stand-ins: who may read them is the question here, tests/web/reports make
    real ones)."""
    from cruscotto.web.reports.models import Edition, ReportJob

    e = Edition(plan=people.plan, year=2021, number=1, act="Delibera di Giunta n. 1",
                basis="certified", language="it", data_read_at=timezone.now(),
                approved_at=timezone.now(), approved_by_name="matrice")
    for fmt in ("pdf", "docx", "xlsx"):
        e.file_of(fmt).save(f"relazione.{fmt}", ContentFile(b"%PDF-1.4 prova"), save=False)
        setattr(e, f"{fmt}_sha256", "0" * 64)
    e.save(force_insert=True)
    job = ReportJob(plan=people.plan, year=2021, basis="certified", language="it", fmt="pdf",
                    status=ReportJob.DONE, progress=100)
    job.file.save("relazione.pdf", ContentFile(b"%PDF-1.4 prova"), save=False)
    job.save()
    failed = ReportJob.objects.create(
        plan=people.plan, year=2021, basis="certified", language="it",
        fmt=ReportJob.APPROVAL, status=ReportJob.FAILED, act="Delibera di Giunta n. 2",
        edition_number=2, snapshot=b"", error="prova", finished_at=timezone.now())
    return e.pk, str(job.pk), str(failed.pk)


def _cases() -> list[Any]:
    return [pytest.param(row, role, target, id=f"{row.ident()}-{role}-{target}")
            for row in MATRIX for role in ROLES for target in row.targets]


def _probe(row: Row, world: World, t: Target) -> Any:
    """What the row's write changes, read from the database."""
    if row.effect in ("workflow", "workflow-unchanged"):
        m = mm.Measurement.objects.get(period=t.period, indicator__plan=world.people.plan,
                                       indicator__code=t.code)
        return (m.state, m.version,
                mm.AuditEvent.objects.filter(indicator_code=t.code).count(),
                mm.Value.objects.get(period=t.period, variable=t.variable).version,
                mm.TargetRevision.objects.filter(indicator__code=t.code).count(),
                mm.Evidence.objects.filter(value__variable=t.variable).count())
    if row.effect == "deadline":
        return mm.Period.objects.get(pk=t.period.pk).deadline
    if row.effect == "audit":
        return mm.AuditEvent.objects.count()
    if row.effect == "people":
        from cruscotto.web.accounts import models as am

        users = get_user_model().objects
        return (users.count(), users.filter(is_active=True).count(),
                am.OrgRole.objects.count(), am.CentreMembership.objects.count(),
                am.PeopleEvent.objects.count())
    if row.effect == "plan":  # a plan authored: its content, lifecycle, versions, successors
        p = pm.Plan.objects.get(pk=world.people.plan.pk)
        return (pm.Plan.objects.count(), p.status, p.revision,
                pm.PlanVersion.objects.count(), mm.AuditEvent.objects.count())
    if row.effect == "cards":
        return em.Card.objects.count()
    if row.effect == "card":
        card = em.Card.objects.get(person__username=t.person, year=2021)
        return (card.state, card.version, card.events.count())
    if row.effect == "documents":
        return tuple(PlanDocument.objects.values_list("pk", "withdrawn_at"))
    if row.effect in ("editions", "validation", "narrative", "retry"):
        from cruscotto.web.reports.models import Edition, NarrativeVersion, ReportJob

        if row.effect == "editions":  # an approval: an edition being prepared
            return ReportJob.objects.filter(fmt=ReportJob.APPROVAL).count()
        if row.effect == "retry":
            return ReportJob.objects.get(pk=t.failed).status
        if row.effect == "validation":
            return Edition.objects.get(pk=t.edition).oiv_sha256
        return NarrativeVersion.objects.count()
    raise AssertionError(f"unknown effect {row.effect!r}")


def _revealed(row: Row, body: Any, t: Target) -> bool:
    """Whether an API answer shows the target's draft values (or their figure)."""
    if row.covers == "api:get_values":
        return any(v["variable"] == t.variable for v in body["values"])
    if row.covers == "api:period_evaluation":
        return t.code not in body["hidden"]
    if row.covers == "api:indicator_evaluation":
        return not body["hidden"]
    raise AssertionError(f"{row.covers}: say how its answer reveals drafts")


def _send(client: Client, row: Row, url: str, t: Target) -> Any:
    body = row.prepare(client, t, url) if row.prepare else row.body(t) if row.body else None
    if row.multipart:
        return client.post(url, body)
    if row.is_api and body is not None:
        return client.generic(row.method, url, json.dumps(body),
                              content_type="application/json")
    if row.method == "GET":
        return client.get(url)
    return client.post(url, body or {})


@pytest.mark.parametrize(("row", "role", "target"), _cases())
def test_matrix(world: World, db: None, row: Row, role: str, target: str) -> None:
    t = world.targets["own" if target == "-" else target]
    if row.state is not None and target != "-":
        mm.Measurement.objects.filter(period=t.period, indicator__code=t.code,
                                      indicator__plan=world.people.plan).update(
            state=row.state)
        if row.state != "certified":  # as a reopening would: the certification is superseded
            mm.CertifiedRecord.objects.filter(
                period=t.period, indicator_code=t.code, superseded_at=None).update(
                superseded_at=timezone.now(), superseded_reason="matrice dei permessi")
    client = Client()
    if role != "anonymous":
        client.force_login(world.users[role])
    url = fill(row.url, plan=t.key, code=t.code, date=YEAR_END, year=2021, centre=t.centre,
               evidence=t.evidence, period=t.period.pk, event=t.event, person=t.person,
               edition=t.edition, job=t.job, document=t.document, failed=t.failed)
    before = _probe(row, world, t) if row.effect else None
    response = _send(client, row, url, t)
    expected = row.expected(role, target)
    allowed = row.allowed(role, target)
    where = f"{row.method} {url} as {role}"
    assert response.status_code == expected, (
        f"{where}: {response.status_code}, expected {expected}")
    if expected == 302 and not allowed:
        assert "login" in response["Location"], f"{where}: not sent to the login"
    if row.effect:
        after = _probe(row, world, t)
        if row.effect == "workflow-unchanged":  # a preview: nothing changes for anyone
            assert after == before, f"{where}: a preview, yet {before} became {after}"
        elif allowed:
            assert after != before, f"{where}: allowed, but nothing changed"
        else:
            assert after == before, f"{where}: refused, yet {before} became {after}"
    if row.reveals:
        assert _revealed(row, response.json(), t) == allowed, (
            f"{where}: drafts {'hidden from' if allowed else 'shown to'} {role}")


# -- the matrix covers every page and endpoint ----------------------------------------------

def _url_names(patterns: list[Any], namespace: str = "") -> list[str]:
    out: list[str] = []
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = ":".join(x for x in (namespace, p.namespace or "") if x)
            out += _url_names(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            out.append(f"{namespace}:{p.name}" if namespace else p.name)
    return out


def test_every_url_pattern_has_a_row() -> None:
    covered = {r.covers for r in MATRIX} | set(NOT_IN_MATRIX)
    missing = []
    for name in _url_names(get_resolver().url_patterns):
        if name.startswith("admin:") and name not in covered:
            continue  # the admin as a whole: see the matrix's docstring
        if name.rstrip("_") not in covered:
            missing.append(name)
    assert not missing, ("pages without a row in tests/web/permission_matrix.py: "
                         + ", ".join(missing))


def test_every_api_operation_has_a_row() -> None:
    covered = {(r.method, r.covers) for r in MATRIX}
    schema = ninja_api.get_openapi_schema()
    missing = [f"{method.upper()} {path} ({op['operationId']})"
               for path, ops in schema["paths"].items() for method, op in ops.items()
               if (method.upper(), f"api:{op['operationId']}") not in covered]
    assert not missing, ("API operations without a row in tests/web/permission_matrix.py: "
                         + ", ".join(missing))


def test_every_row_names_a_page_that_exists() -> None:
    names = {n.rstrip("_") for n in _url_names(get_resolver().url_patterns)}
    ops = {f"api:{op['operationId']}" for ops in ninja_api.get_openapi_schema()["paths"]
           .values() for op in ops.values()}
    unknown = [r.ident() for r in MATRIX if r.covers not in names | ops]
    assert not unknown, f"rows naming no URL pattern or API operation: {unknown}"


def test_the_admin_is_covered_by_its_index_and_every_model_list() -> None:
    from django.contrib import admin

    covered = {r.covers for r in MATRIX}
    lists = {f"admin:{m._meta.app_label}_{m._meta.model_name}_changelist"
             for m in admin.site._registry}
    assert "admin:index" in covered and lists <= covered
    # the guard that covers the admin's other views: an administrator only
    assert all(r.allow == "admin" for r in MATRIX
               if r.covers in lists | {"admin:index"})


def test_the_cells_say_what_the_table_says() -> None:
    """The notation: a bare role is both targets, ``role@own`` one; deny overrides."""
    row = next(r for r in MATRIX if r.covers == "measurements:upload" and r.method == "POST")
    assert row.expected("officer_a", "own") == 200
    assert row.expected("officer_a", "other") == 400
    assert row.expected("viewer", "own") == 403
    assert row.expected("anonymous", "own") == 302
    assert row.expected("admin", "other") == 200
    put = next(r for r in MATRIX if r.covers == "api:put_values")
    assert put.expected("anonymous", "own") == 401
    assert put.expected("planning", "own") == 403
