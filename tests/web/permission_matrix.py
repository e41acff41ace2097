"""The permission matrix: who may do what, on every page and API endpoint, in one table.

:data:`MATRIX` has one :class:`Row` per page or API endpoint and method (an
action of the values page is a row of its own). The columns are the roles
of :data:`ROLES` — ``anonymous`` (the public), ``viewer``, ``officer_a`` and
``manager_a`` (centre A), ``planning`` (the planning and control office),
``oiv`` and ``admin`` — times the *target*: ``own`` is an indicator of
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
(a finished PDF job of the 2021 Relazione). The second field names what the
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

ROLES = ("anonymous", "viewer", "officer_a", "manager_a", "planning", "oiv", "admin")
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
API = "/api/plans/{plan}"
ACT = API + "/periods/{date}/indicators/{code}/"


def _value(t: Any) -> dict[str, Any]:
    """The target's first input changed: a number plus one, a yes/no turned over."""
    return {"indicator": t.code, "variable": t.variable, "value": t.new_value,
            "expected_version": t.version}  # required to change a stored value


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
    # a PDF rendered by the worker: for whoever may have its basis (here certified)
    page("GET", "reports:job", "/plans/{plan}/report/jobs/{job}/", EVERYONE),
    page("GET", "reports:job_file", "/plans/{plan}/report/jobs/{job}/file/", EVERYONE),
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
    # -- measurement pages --------------------------------------------------------------
    page("GET", "measurements:my_updates", "/plans/{plan}/updates/", SIGNED_IN),
    page("GET", "measurements:start", "/start/", SIGNED_IN, ok=302),
    page("GET", "measurements:sent_mails", "/mails/", PLANNING),
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
    Row("POST", "measurements:upload", "/plans/{plan}/upload/", EDITORS, state="draft",
        body=lambda t: {"file": t.csv()}, effect="workflow",
        deny={"officer_a@other": 400, "manager_a@other": 400}),
    page("GET", "measurements:upload_template_csv", "/plans/{plan}/upload/template.csv",
         IN_A_CENTRE + " planning"),
    page("GET", "measurements:upload_template_xlsx", "/plans/{plan}/upload/template.xlsx",
         IN_A_CENTRE + " planning"),
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
    # -- API: plans and periods, public ---------------------------------------------------
    page("GET", "api:api-root", "/api/", EVERYONE, ok=404),  # nothing there, for anyone
    page("GET", "api:openapi-json", "/api/openapi.json", EVERYONE),
    page("GET", "api:openapi-view", "/api/docs", EVERYONE),
    page("GET", "api:plans", "/api/plans", EVERYONE),
    page("GET", "api:plan", API, EVERYONE),
    page("GET", "api:periods", API + "/periods", EVERYONE),
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
}


def fill(url: str, **values: Any) -> str:
    return url.format(**values)
