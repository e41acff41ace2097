"""The permission matrix: who may do what, on every page and API endpoint, in one table.

:data:`MATRIX` has one :class:`Row` per page or API endpoint and method (an
action of the values page is a row of its own). The columns are the roles
of :data:`ROLES` — ``anonymous`` (the public), ``viewer``, ``officer_a`` and
``manager_a`` (centre A), ``planning`` (the planning and control office),
``oiv``, ``outsider`` (administrator, planning office and OIV of a *second*
organisation, and nothing in the seed plan's: roles must not leak across
organisations, so it may only what anyone signed in may) and ``admin`` (a
superuser) — times the *target*: ``own`` is an indicator of
centre A (3.1.1), ``other`` one of centre B (4.2.2), ``-`` a page that
concerns no centre. ``tests/web/test_permission_matrix.py`` generates one
test per row × role × target, with the seed plan, its demo values and the
people of ``tests/web/measurements/conftest.py`` (plus ``demo-admin``).

A cell is *allowed* when the role is named in the row's ``allow`` (a role
alone for both targets, ``role@own`` or ``role@other`` for one), and then
the answer is ``ok``; otherwise it is ``anon`` for anonymous callers (a
login redirect, or 401 from the API) and ``denied`` for the others, unless
``deny`` names a cell with a status of its own. A row with ``effect`` is a
write: the test also reads the database before and after (the target's
workflow state and version, its audit events, the period's deadline...) and
requires a change exactly when the cell is allowed. A row with ``reveals``
answers everyone, and the cell says whether the answer shows the target's
draft values.

Adding a page is one line: ``page(...)`` for a page of no centre,
``Row(...)`` for one of an indicator (both targets), ``action(...)`` for an
action of the values page, ``api(...)`` for an API operation. E.g. a public
dashboard, a report for the planning office and the OIV, and a public page::

    page("GET", "plans:dashboard", "/plans/{plan}/dashboard/", EVERYONE),
    page("GET", "reports:annual", "/plans/{plan}/report/", "planning oiv admin"),
    page("GET", "transparency:index", "/trasparenza/", EVERYONE),

The URL is a template filled by :func:`fill`: ``{plan}``, ``{code}`` (the
target's indicator), ``{date}`` (the 2021 year end), ``{year}``, ``{centre}``
(the target's centre key), ``{evidence}`` (a document attached to the target's
value), ``{period}`` (the year end's id), ``{event}`` (an audit event of the
target), ``{edition}`` (an approved edition of the 2021 Relazione), ``{job}``
(a finished PDF job of the 2021 Relazione), ``{document}`` (a published document of
the plan), ``{failed}`` (an approval of it whose rendering failed). The second field names what the
row covers: the Django URL name (``namespace:name``) of a page, or
``api:<operation id>`` of an API operation (the id is the view function's
name). A test fails when a URL pattern or API operation exists that no row
covers, and when a row names one that does not exist. The admin is covered as
a whole: its index and every registered model's list (rows generated from the
admin's registry) must be for administrators only; its other views (add,
change, delete, history) go through the same guard of
``AdminSite.admin_view``, and the rows below check a change and a delete with
their effect.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

ROLES = ("anonymous", "viewer", "officer_a", "manager_a", "planning", "oiv", "outsider",
         "admin")
TARGETS = ("own", "other")

EVERYONE = " ".join(ROLES)
SIGNED_IN = " ".join(ROLES[1:])
#: the indicator's own centre: centre A's people on centre A's indicator
OWN_CENTRE = "officer_a@own manager_a@own"
#: who enters values: the indicator's centre and administrators
EDITORS = OWN_CENTRE + " admin"
#: who reads values before they are validated
DRAFT_READERS = OWN_CENTRE + " planning oiv admin"
#: the planning office's actions (validate, return, reopen, revise a target)
PLANNING = "planning admin"
#: anyone in a centre, whichever indicator (the upload page and its templates)
IN_A_CENTRE = "officer_a manager_a admin"

PAGE = "/plans/{plan}/indicators/{code}/periods/{date}/"
#: the evaluation card of the target's centre (see the evaluation rows)
CARD = "/plans/{plan}/valutazioni/2021/{person}/"
API = "/api/plans/{plan}"
ACT = API + "/periods/{date}/indicators/{code}/"


def _value(t: Any) -> dict[str, Any]:
    """The target's first input changed: a number plus one, a yes/no turned over."""
    return {"indicator": t.code, "variable": t.variable, "value": t.new_value,
            "expected_version": t.version}  # required to change a stored value


def _previewed(client: Any, t: Any, url: str) -> dict[str, str]:
    """The confirmation of a file the caller previewed first (when the caller may)."""
    import re

    html = client.post(url, {"file": t.csv()}).content.decode()
    found = re.search(r'name="token" value="([^"]+)"', html)
    return {"action": "confirm", "token": found.group(1) if found else "none"}


@dataclass(frozen=True)
class Row:
    method: str
    covers: str
    url: str
    allow: str
    ok: int = 200
    denied: int = 403
    #: anonymous callers: the pages send them to the login, the API says 401
    anon: int = 302
    #: the target's workflow state before the request (None: as the demo left it)
    state: str | None = None
    #: the form (pages) or JSON body (API), given the target
    body: Callable[[Any], Any] | None = None
    #: a write: what in the database must change exactly when the cell is allowed
    effect: str | None = None
    #: a read for all: whether the answer shows the target's draft values
    reveals: bool = False
    #: cells with a status other than ``denied`` (``"officer_a@other": 400``)
    deny: dict[str, int] = field(default_factory=dict)
    #: the target columns: ("own", "other") when the URL names an indicator
    targets: tuple[str, ...] = TARGETS
    #: tells apart rows of one URL and method (the values page's actions)
    label: str = ""
    #: an API operation taking a multipart form (files) rather than JSON
    multipart: bool = False
    #: a step before the request, with the caller's client (a preview to confirm): it
    #: gives the body instead of ``body``
    prepare: Callable[[Any, Any, str], Any] | None = None

    @property
    def is_api(self) -> bool:
        return self.url.startswith("/api/")

    def allowed(self, role: str, target: str) -> bool:
        words = self.allow.split()
        return role in words or f"{role}@{target}" in words

    def expected(self, role: str, target: str) -> int:
        if self.reveals:
            return self.ok
        if self.allowed(role, target):
            return self.ok
        cell = self.deny.get(f"{role}@{target}", self.deny.get(role))
        if cell is not None:
            return cell
        return self.anon if role == "anonymous" else self.denied

    def ident(self) -> str:
        return " ".join(x for x in (self.method, self.covers, self.label,
                                    f"[{self.state}]" if self.state else "") if x)


def page(method: str, covers: str, url: str, allow: str, **kw: Any) -> Row:
    """A row of a page with no centre (home, lists, admin)."""
    return Row(method, covers, url, allow, targets=("-",), **kw)


def admin_page(method: str, covers: str, url: str, allow: str = "admin", **kw: Any) -> Row:
    """A row of the admin: those who may not are sent to the admin's login (302)."""
    kw.setdefault("denied", 302)
    return page(method, covers, url, allow, **kw)


def action(allow: str, name: str, state: str,
           form: Callable[[Any], dict[str, Any]] = lambda t: {}) -> Row:
    """An action of the values page: a form posted with ``action=name``, in ``state``;
    done, the page redirects to itself."""
    return Row("POST", "measurements:measure", PAGE, allow, ok=302, state=state, label=name,
               body=lambda t: {"action": name, **form(t)}, effect="workflow")


def api(method: str, covers: str, url: str, allow: str, **kw: Any) -> Row:
    kw.setdefault("anon", 401)
    return Row(method, covers, url, allow, **kw)


def _pk(username: str) -> int:
    from django.contrib.auth import get_user_model

    return int(get_user_model().objects.get(username=username).pk)


def _person_form(action: str, username: str, **fields: Any) -> Callable[[Any], dict[str, Any]]:
    """A form of the people page about one person of the fixture (ids read at request)."""
    def form(t: Any) -> dict[str, Any]:
        from cruscotto.web.plans import models as pm

        plan = pm.Plan.objects.get(key=t.key)
        centre = pm.ResponsibilityCentre.objects.get(plan=plan, key=t.centre)
        values = {"organisation": plan.organisation_id, "centre": centre.pk}
        return {"action": action, "person": _pk(username),
                **{k: values.get(v, v) for k, v in fields.items()}}
    return form


def _people_sheet(t: Any) -> dict[str, Any]:
    """An XLSX sheet giving the viewer the OIV role in the seed plan's organisation."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    from cruscotto.web.plans import models as pm

    wb = Workbook()
    ws = wb.active
    ws.append(["e-mail", "ente", "ruolo nell'ente"])
    ws.append(["viewer@ente.it", pm.Plan.objects.get(key=t.key).organisation.name, "OIV"])
    out = io.BytesIO()
    wb.save(out)
    return {"action": "import", "file": SimpleUploadedFile("persone.xlsx", out.getvalue())}


def _admin_lists() -> list[Row]:
    """One row per model in the admin: its list, for administrators only."""
    from django.contrib import admin

    return [admin_page("GET", f"admin:{m._meta.app_label}_{m._meta.model_name}_changelist",
                       f"/admin/{m._meta.app_label}/{m._meta.model_name}/")
            for m in admin.site._registry]


#: generated: a model added to the admin gets its row without a line here
ADMIN_LISTS = _admin_lists()

MATRIX: list[Row] = [
    # -- public plan pages -------------------------------------------------------------
    page("GET", "plans:home", "/", EVERYONE),
    page("GET", "plans:overview", "/plans/{plan}/", EVERYONE),
    Row("GET", "plans:indicator", "/plans/{plan}/indicators/{code}/", EVERYONE),
    page("GET", "plans:centre_list", "/plans/{plan}/centres/", EVERYONE),
    Row("GET", "plans:centre", "/plans/{plan}/centres/{centre}/", EVERYONE),
    page("GET", "plans:search", "/plans/{plan}/search/?q=digitale", EVERYONE),
    # -- dashboards: everyone, each seeing what they may ------------------------------------
    page("GET", "plans:dashboard", "/plans/{plan}/dashboard/?year=2021", EVERYONE),
    page("GET", "plans:strategic", "/plans/{plan}/strategic/3/", EVERYONE),
    page("GET", "plans:operational", "/plans/{plan}/operational/3.1/", EVERYONE),
    # -- the Relazione: everyone, on the values they may read ---------------------------------
    page("GET", "reports:report", "/plans/{plan}/report/", EVERYONE),
    page("GET", "reports:download", "/plans/{plan}/report/download/xlsx/?period={date}",
         EVERYONE),
    # the basis: every state for the planning office, the OIV, administrators; validated
    # values for signed-in readers; certified (the default) for everyone
    page("GET", "reports:download",
         "/plans/{plan}/report/download/xlsx/?period={date}&basis=all",
         "planning oiv admin", label="all", deny={"anonymous": 403}),
    page("GET", "reports:report", "/plans/{plan}/report/?basis=validated", SIGNED_IN,
         label="validated", deny={"anonymous": 403}),
    # the narrative and the approval: the planning office; the validation: the OIV
    page("GET", "reports:narrative", "/plans/{plan}/report/narrative/?year=2021", PLANNING),
    page("POST", "reports:narrative", "/plans/{plan}/report/narrative/", PLANNING, ok=302,
         body=lambda t: {"year": "2021", "action": "save",
                         "text-presentazione": "La presentazione."}, effect="narrative"),
    page("POST", "reports:approve", "/plans/{plan}/report/approve/", PLANNING, ok=302,
         body=lambda t: {"year": "2021", "act": "Delibera di Giunta n. 45 del 18/06/2022"},
         effect="editions"),
    page("POST", "reports:validate", "/plans/{plan}/report/editions/{edition}/validation/",
         "oiv admin", ok=302, body=lambda t: {"document": t.pdf()}, effect="validation"),
    # the plan's official documents: the planning office attaches, lists and withdraws
    page("GET", "reports:documents", "/plans/{plan}/report/documents/", PLANNING),
    page("POST", "reports:documents", "/plans/{plan}/report/documents/", PLANNING, ok=302,
         label="add", body=lambda t: {"action": "add", "title": "SMVP 2021", "kind": "smvp",
                                      "file": t.pdf()}, effect="documents"),
    page("POST", "reports:documents", "/plans/{plan}/report/documents/", PLANNING, ok=302,
         label="withdraw", body=lambda t: {"action": "withdraw", "document": t.document,
                                           "reason": "sostituito"}, effect="documents"),
    page("GET", "reports:document_file", "/plans/{plan}/report/documents/{document}/",
         PLANNING),
    # a PDF rendered by the worker: for whoever may have its basis (here certified)
    page("GET", "reports:job", "/plans/{plan}/report/jobs/{job}/", EVERYONE),
    page("GET", "reports:job_file", "/plans/{plan}/report/jobs/{job}/file/", EVERYONE),
    # a failed approval is put back on the queue by the planning office
    page("POST", "reports:job_retry", "/plans/{plan}/report/jobs/{failed}/retry/", PLANNING,
         ok=302, effect="retry"),
    # an approved edition is a public act: its files for everyone
    page("GET", "reports:edition_file", "/plans/{plan}/report/editions/{edition}/pdf/",
         EVERYONE),
    # -- the public section (Amministrazione trasparente) and its open data --------------------
    page("GET", "public:index", "/trasparenza/", EVERYONE),
    page("GET", "public:plan", "/trasparenza/{plan}/", EVERYONE, ok=302),
    page("GET", "public:plan_year", "/trasparenza/{plan}/{year}/", EVERYONE),
    page("GET", "public:opendata_zip", "/trasparenza/opendata.zip", EVERYONE),
    page("GET", "public:plan_opendata_zip", "/trasparenza/{plan}/opendata.zip", EVERYONE),
    page("GET", "public:opendata_file", "/trasparenza/opendata/datapackage.json", EVERYONE),
    page("GET", "public:edition_file", "/trasparenza/{plan}/relazione/{edition}/pdf/",
         EVERYONE),
    # a published document of the plan, for everyone
    page("GET", "public:document_file", "/trasparenza/{plan}/documenti/{document}/",
         EVERYONE),
    # -- measurement pages --------------------------------------------------------------
    page("GET", "measurements:my_updates", "/plans/{plan}/updates/", SIGNED_IN),
    page("GET", "measurements:start", "/start/", SIGNED_IN, ok=302),
    # the planning office of any organisation, each seeing the mails of its own people
    page("GET", "measurements:sent_mails", "/mails/", PLANNING + " outsider"),
    page("POST", "measurements:mail_language", "/mails/language/", SIGNED_IN, ok=302,
         body=lambda t: {"language": "en", "next": "/"}),
    page("GET", "measurements:campaign", "/plans/{plan}/periods/{date}/campaign/",
         "planning oiv admin"),
    page("GET", "measurements:campaign", "/plans/{plan}/periods/{date}/campaign/?format=csv",
         "planning oiv admin", label="csv"),
    # bulk validation and certification: the confirmation page, then the change
    Row("POST", "measurements:bulk", "/plans/{plan}/updates/bulk/", PLANNING,
        state="submitted", label="validate-confirmation",
        body=lambda t: {"action": "validate", "item": f"{t.code}@{t.period.pk}@"}),
    Row("POST", "measurements:bulk", "/plans/{plan}/updates/bulk/", PLANNING, ok=302,
        state="submitted", label="validate", effect="workflow",
        body=lambda t: {"action": "validate", "item": f"{t.code}@{t.period.pk}@",
                        "confirm": "1"}),
    Row("POST", "measurements:bulk", "/plans/{plan}/updates/bulk/", "oiv", ok=302,
        state="validated", label="certify", effect="workflow",
        body=lambda t: {"action": "certify", "item": f"{t.code}@{t.period.pk}@",
                        "confirm": "1"}),
    Row("GET", "measurements:measure", PAGE, DRAFT_READERS, state="draft"),
    Row("GET", "measurements:measure", PAGE, SIGNED_IN, state="certified"),
    action(EDITORS, "save", "draft", lambda t: {f"value-{t.variable}": t.new_text}),
    action(EDITORS, "submit", "draft", lambda t: {"gap_explanation": "scostamento"}),
    action(PLANNING, "validate", "submitted"),
    action(PLANNING, "return", "validated", lambda t: {"reason": "da rivedere"}),
    action("oiv", "certify", "validated", lambda t: {"confirm": "1"}),
    action(PLANNING, "reopen", "certified", lambda t: {"reason": "rettifica"}),
    action(PLANNING, "revise_target", "certified", lambda t: {
        "target_text": t.revised_target, "justification": "rimodulazione"}),
    action(DRAFT_READERS, "comment", "draft", lambda t: {"comment": "serve il dato di giugno"}),
    action(EDITORS, "evidence", "draft", lambda t: {"evidence_variable": t.variable,
                                                    "evidence": t.pdf()}),
    Row("GET", "measurements:evidence", PAGE + "evidence/{evidence}/", DRAFT_READERS,
        state="draft"),
    Row("GET", "measurements:evidence", PAGE + "evidence/{evidence}/", SIGNED_IN,
        state="certified"),
    # -- periods and deadlines: the planning office ------------------------------------------
    page("GET", "measurements:periods", "/plans/{plan}/periods/", PLANNING),
    page("POST", "measurements:periods", "/plans/{plan}/periods/", PLANNING, ok=302,
         body=lambda t: {"action": "deadline", "period": str(t.period.pk),
                         "deadline": "17/03/2022"}, effect="deadline"),
    page("GET", "measurements:upload", "/plans/{plan}/upload/", IN_A_CENTRE + " planning"),
    # a file is checked and previewed (nothing stored), then stored when confirmed
    Row("POST", "measurements:upload", "/plans/{plan}/upload/", EDITORS, state="draft",
        body=lambda t: {"file": t.csv()}, effect="workflow-unchanged",
        deny={"officer_a@other": 400, "manager_a@other": 400}),
    Row("POST", "measurements:upload", "/plans/{plan}/upload/", EDITORS, state="draft",
        label="confirm", prepare=_previewed, effect="workflow",
        deny={"officer_a@other": 400, "manager_a@other": 400}),
    # "submit all" after an upload: each indicator checked as on its page (4.2.2's demo
    # value misses its milestone: refused, for the admin too, until the gap is explained)
    Row("POST", "measurements:upload", "/plans/{plan}/upload/", OWN_CENTRE + " admin@own",
        state="draft", label="submit all", effect="workflow",
        body=lambda t: {"action": "submit", "item": f"{t.code}@{t.period.pk}@"},
        deny={"officer_a@other": 400, "manager_a@other": 400, "admin@other": 400}),
    page("GET", "measurements:upload_template_csv", "/plans/{plan}/upload/template.csv",
         IN_A_CENTRE + " planning"),
    page("GET", "measurements:upload_template_xlsx", "/plans/{plan}/upload/template.xlsx",
         IN_A_CENTRE + " planning"),
    # -- people and roles: administrators; the planning office for its centres; the
    # outsider (administrator of another organisation) opens the page, changes nothing here
    page("GET", "accounts:people", "/people/", "planning outsider admin"),
    page("GET", "accounts:export", "/people/persone.xlsx", "planning outsider admin"),
    page("POST", "accounts:people", "/people/", "planning outsider admin", ok=302,
         label="invite", effect="people",
         body=lambda t: {"action": "invite", "email": "nuova.persona@ente.it"}),
    page("POST", "accounts:people", "/people/", "admin", ok=302, label="role_add",
         effect="people", body=_person_form("role_add", "viewer", organisation="organisation",
                                            role="oiv")),
    page("POST", "accounts:people", "/people/", "admin", ok=302, label="role_remove",
         effect="people", body=_person_form("role_remove", "viewer",
                                            organisation="organisation", role="viewer")),
    page("POST", "accounts:people", "/people/", "planning admin", ok=302, label="member_add",
         effect="people", body=_person_form("member_add", "viewer", centre="centre",
                                            role="officer")),
    page("POST", "accounts:people", "/people/", "planning admin", ok=302,
         label="member_remove", effect="people",
         body=_person_form("member_remove", "officer_a", centre="centre", role="officer")),
    page("POST", "accounts:people", "/people/", "admin", ok=302, label="deactivate",
         effect="people", body=_person_form("deactivate", "officer_b")),
    # the sheet gives an organisation role: the planning office's import is refused by row
    page("POST", "accounts:people", "/people/", "admin", ok=302, label="import",
         effect="people", body=_people_sheet, deny={"planning": 400, "outsider": 400}),
    # -- plan authoring: the planning office (workbook, lifecycle, editor, rolling) ------------
    page("GET", "plans:manage", "/plans/{plan}/manage/", PLANNING),
    page("POST", "plans:manage", "/plans/{plan}/manage/", PLANNING, label="adopt",
         body=lambda t: {"action": "adopt", "act": "Delibera n. 1/2021",
                         "adopted_on": "31/01/2021"}, effect="plan"),
    page("POST", "plans:manage", "/plans/{plan}/manage/", PLANNING, label="roll",
         body=lambda t: {"action": "roll", "years": "2022-2024"}, effect="plan"),
    page("GET", "plans:workbook", "/plans/{plan}/manage/plan.xlsx", PLANNING),
    # a new plan: the planning office of any organisation (the file's organisation decides
    # where it may be stored: tests/web/authoring)
    page("GET", "plans:import", "/plans/import/", PLANNING + " outsider"),
    page("POST", "plans:import", "/plans/import/", PLANNING + " outsider", ok=400,
         label="no file",
         body=lambda t: {}),
    page("GET", "plans:versions", "/plans/{plan}/versions/", SIGNED_IN),
    page("GET", "plans:edit", "/plans/{plan}/edit/indicator/6.4.1/", PLANNING),
    page("POST", "plans:edit", "/plans/{plan}/edit/centre/new/", PLANNING, ok=302,
         body=lambda t: {"name": "Centro della matrice"}, effect="plan"),
    page("GET", "plans:edit_public_value", "/plans/{plan}/edit/public-value/new/", PLANNING),
    page("POST", "plans:edit_public_value", "/plans/{plan}/edit/public-value/new/", PLANNING,
         ok=302, body=lambda t: {"code": "VP9", "title": "Valore della matrice",
                                 "strategic": "6"}, effect="plan"),
    page("GET", "reports:piao_docx", "/plans/{plan}/manage/piao-performance.docx", PLANNING),
    page("GET", "plans:formula_check", "/plans/{plan}/edit/formula/?formula=1", PLANNING),
    page("POST", "plans:formula_check", "/plans/{plan}/edit/formula/", PLANNING,
         body=lambda t: {"formula": "follower_social / 2"}),
    page("GET", "plans:reading", "/plans/{plan}/edit/reading/6.4.1/2021/", PLANNING),
    page("POST", "plans:reading", "/plans/{plan}/edit/reading/6.4.1/2021/", PLANNING, ok=302,
         body=lambda t: {"operator": "growth", "value": "25", "unit": "percent",
                         "action": "save"}, effect="plan"),
    # -- individual evaluation (SMVP): a card is seen by the person, their evaluator, the
    # -- personnel/planning office and, for managers, the OIV; nobody else, never the
    # -- public, not the administrators as such. {person}: officer_a's card (own, evaluated
    # -- by manager_a), officer_b's (other, no evaluator); manager_a's is a manager's card.
    # -- A card typed by someone who may not see it is refused (403), as one that does not
    # -- exist is: the address reveals nothing
    page("GET", "evaluations:mine", "/plans/{plan}/valutazioni/", SIGNED_IN),
    Row("GET", "evaluations:card", CARD, "officer_a@own manager_a@own planning"),
    page("GET", "evaluations:card", "/plans/{plan}/valutazioni/2021/manager_a/",
         "manager_a planning oiv", label="manager"),
    page("GET", "evaluations:card", "/plans/{plan}/valutazioni/2021/nobody/", "",
         label="missing", deny={"planning": 404}),
    Row("POST", "evaluations:card", CARD, "manager_a@own", ok=302, label="evaluate",
        body=lambda t: {"action": "evaluate", "score-collaborazione": "5",
                        "score-orientamento_utenza": "3", "score-affidabilita": "5"},
        effect="card"),
    Row("POST", "evaluations:card", CARD, "officer_a@own", ok=302, label="self",
        body=lambda t: {"action": "self", "self_assessment": "anno positivo"},
        effect="card"),
    Row("POST", "evaluations:card", CARD, "manager_a@own", ok=302, label="share",
        body=lambda t: {"action": "share"}, effect="card"),
    page("GET", "evaluations:evaluator", "/plans/{plan}/valutazioni/2021/",
         "manager_a planning oiv"),
    page("GET", "evaluations:overview", "/plans/{plan}/riepilogo-valutazioni/2021/",
         "planning"),
    page("GET", "evaluations:overview", "/plans/{plan}/riepilogo-valutazioni/2021/"
         "?format=csv", "planning", label="csv"),
    page("POST", "evaluations:import", "/plans/{plan}/riepilogo-valutazioni/2021/importa/",
         "planning", ok=302, body=lambda t: {"file": t.staff_xlsx()}, effect="cards"),
    page("GET", "evaluations:awards", "/trasparenza/{plan}/premi/2021/", EVERYONE),
    # -- accounts and language: Django's own, for everyone --------------------------------
    page("GET", "login", "/accounts/login/", EVERYONE),
    page("POST", "set_language", "/i18n/setlang/", EVERYONE, ok=302,
         body=lambda t: {"language": "en", "next": "/"}),
    # -- admin: administrators only (the planning office of the fixture is not staff) --------
    admin_page("GET", "admin:index", "/admin/"),
    *ADMIN_LISTS,
    admin_page("POST", "admin:measurements_period_change", "/admin/measurements/period/"
               "{period}/change/", ok=302, body=lambda t: t.period_form(), effect="deadline"),
    # the audit trail is append-only: nobody deletes from it, administrators included
    admin_page("POST", "admin:measurements_auditevent_delete", "/admin/measurements/"
               "auditevent/{event}/delete/", "", body=lambda t: {"post": "yes"},
               effect="audit", deny={"admin": 403}),
    # the plan's documents are withdrawn with a reason, never changed nor deleted: the admin
    # shows them read only, administrators included
    admin_page("POST", "admin:reports_plandocument_change", "/admin/reports/plandocument/"
               "{document}/change/", "", body=lambda t: {"title": "cambiato"},
               effect="documents", deny={"admin": 403}),
    admin_page("POST", "admin:reports_plandocument_delete", "/admin/reports/plandocument/"
               "{document}/delete/", "", body=lambda t: {"post": "yes"},
               effect="documents", deny={"admin": 403}),
    # -- API: plans and periods, public ---------------------------------------------------
    page("GET", "api:api-root", "/api/", EVERYONE, ok=404),  # nothing there, for anyone
    page("GET", "api:openapi-json", "/api/openapi.json", EVERYONE),
    page("GET", "api:openapi-view", "/api/docs", EVERYONE),
    page("GET", "api:plans", "/api/plans", EVERYONE),
    page("GET", "api:plan", API, EVERYONE),
    page("GET", "api:periods", API + "/periods", EVERYONE),
    # the plan's official documents, read only: the public's as on /trasparenza/<key>/,
    # anyone signed in the withdrawn ones too (tests/web/api/test_plan_documents.py)
    page("GET", "api:list_plan_documents", API + "/documents", EVERYONE),
    page("GET", "api:get_plan_document_file", API + "/documents/{document}/file", EVERYONE),
    # -- API: values, their workflow, evaluations -------------------------------------------
    api("GET", "api:get_values", API + "/periods/{date}/values", DRAFT_READERS,
        state="draft", reveals=True),
    api("PUT", "api:put_values", API + "/periods/{date}/values", EDITORS, state="draft",
        body=lambda t: [_value(t)], effect="workflow"),
    api("POST", "api:submit", ACT + "submit", EDITORS, state="draft",
        body=lambda t: {"gap_explanation": "scostamento"}, effect="workflow"),
    api("POST", "api:validate", ACT + "validate", PLANNING, state="submitted",
        body=lambda t: {}, effect="workflow"),
    api("POST", "api:return", ACT + "return", PLANNING, state="submitted",
        body=lambda t: {"reason": "da rivedere"}, effect="workflow"),
    api("POST", "api:certify", ACT + "certify", "oiv", state="validated",
        body=lambda t: {}, effect="workflow"),
    api("POST", "api:reopen", ACT + "reopen", PLANNING, state="certified",
        body=lambda t: {"reason": "rettifica"}, effect="workflow"),
    api("GET", "api:history", API + "/indicators/{code}/history", DRAFT_READERS, anon=403),
    api("POST", "api:revise_target", API + "/indicators/{code}/targets/{year}/revisions",
        PLANNING, ok=201, body=lambda t: {"text": t.revised_target,
                                          "justification": "rimodulazione"},
        effect="workflow"),
    api("GET", "api:targets", API + "/indicators/{code}/targets", EVERYONE),
    # -- API: supporting documents, as on the values page ------------------------------------
    api("GET", "api:list_evidence", ACT + "evidence", DRAFT_READERS, state="draft"),
    api("GET", "api:get_evidence_file", ACT + "evidence/{evidence}", DRAFT_READERS,
        state="draft"),
    api("POST", "api:upload_evidence", ACT + "evidence", EDITORS, ok=201, state="draft",
        body=lambda t: {"variable": t.variable, "file": t.pdf()}, effect="workflow",
        multipart=True),
    api("GET", "api:period_evaluation", API + "/periods/{date}/evaluation", DRAFT_READERS,
        state="draft", reveals=True),
    api("GET", "api:indicator_evaluation", ACT + "evaluation", DRAFT_READERS, state="draft",
        reveals=True),
]

#: URL patterns left out of the matrix, with the reason (Django's own account pages)
NOT_IN_MATRIX = {
    "logout": "Django's auth view (POST only, signs out whoever calls it)",
    "password_change": "Django's auth view",
    "password_change_done": "Django's auth view",
    "password_reset": "Django's auth view",
    "password_reset_done": "Django's auth view",
    "password_reset_confirm": "Django's auth view",
    "password_reset_complete": "Django's auth view",
    "oidc_authentication_init": "single sign-on: 404 unless configured "
                                "(tests/web/accounts/test_sso.py)",
    "oidc_authentication_callback": "single sign-on: 404 unless configured "
                                    "(tests/web/accounts/test_sso.py)",
}


def fill(url: str, **values: Any) -> str:
    return url.format(**values)
