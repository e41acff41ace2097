"""People and their roles as an XLSX sheet: the export (also the template) and the import.

One row per person and role: ``e-mail``, ``nome``, ``cognome``, then an
organisation role (``ente`` and ``ruolo nell'ente``) and/or a centre
(``piano``, ``centro``, ``ruolo nel centro``). A person on several rows is
one person with several roles. The import is one transaction: any refused row
and nothing is written, with every problem named by row and column, as the
value uploads do. New people get their invitation once the import is stored.
The export writes inert cells (:mod:`cruscotto.io.cells`).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from cruscotto.io.tables import to_xlsx
from cruscotto.web.accounts import selectors, services
from cruscotto.web.accounts.choices import CentreRoleChoices, OrgRoleChoices

#: the columns, in order (the headers are the file format: Italian, as in the template)
COLUMNS = ("e-mail", "nome", "cognome", "ente", "ruolo nell'ente", "piano", "centro",
           "ruolo nel centro")
#: the largest file and the most rows read
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000


class ImportRefused(Exception):
    """The sheet was not stored; ``problems`` says why, row by row."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class ImportResult:
    added: list[str] = field(default_factory=list)
    roles: int = 0
    memberships: int = 0


def export_xlsx(reader: Any = None) -> bytes:
    """Every person with the roles and centres ``reader`` manages, in the import's format
    (a person with no role there: one row with the name only)."""
    rows: list[list[Any]] = []
    for r in selectors.people(reader):
        p = r.person
        head = [p.email, p.first_name, p.last_name]
        for role in r.roles:
            rows.append([*head, role.organisation.name, role.role, "", "", ""])
        for m in r.memberships:
            rows.append([*head, "", "", m.centre.plan.key, m.centre.name, m.role])
        if not r.roles and not r.memberships:
            rows.append([*head, "", "", "", "", ""])
    return to_xlsx(COLUMNS, rows, title="persone")


def _choice(text: str, choices: Any) -> str | None:
    t = text.strip().lower()
    for value, label in choices.choices:
        if t in (value.lower(), str(label).lower()):
            return str(value)
    return None


def _read(data: bytes) -> list[tuple[int, dict[str, str]]]:
    from openpyxl import load_workbook

    if len(data) > MAX_BYTES:
        raise ImportRefused([_("Il file supera %(mb)d MB.") % {"mb": MAX_BYTES // 2**20}])
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - whatever openpyxl says, the file is not a workbook
        raise ImportRefused([_("Il file non è un foglio XLSX.")]) from None
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = [str(c or "").strip().lower() for c in next(rows, ())]
    unknown = [h for h in header if h and h not in COLUMNS]
    problems = [_("Riga 1: colonna «%(col)s» sconosciuta (le colonne: %(cols)s)") % {
        "col": h, "cols": ", ".join(COLUMNS)} for h in unknown]
    if "e-mail" not in header:
        problems.append(_("Riga 1: manca la colonna «e-mail»"))
    if problems:
        raise ImportRefused(problems)
    out = []
    for n, values in enumerate(rows, start=2):
        if n > MAX_ROWS + 1:
            raise ImportRefused([_("Il foglio ha più di %(n)d righe.") % {"n": MAX_ROWS}])
        cells = {h: ("" if v is None else str(v).strip()) for h, v in zip(header, values,
                                                                          strict=False) if h}
        if any(cells.values()):
            out.append((n, cells))
    wb.close()
    return out


def import_xlsx(*, by: Any, data: bytes, base_url: str, language: str = "it"
                ) -> ImportResult:
    """Store the sheet's people, roles and centres, all or nothing (see the module)."""
    from django.apps import apps

    Organisation = apps.get_model("plans", "Organisation")
    Centre = apps.get_model("plans", "ResponsibilityCentre")
    User = get_user_model()
    rows = _read(data)
    result = ImportResult()
    problems: list[str] = []
    with transaction.atomic():
        for n, c in rows:
            def problem(col: str, text: str, n: int = n) -> None:
                problems.append(_("Riga %(row)d, colonna «%(col)s»: %(text)s") % {
                    "row": n, "col": col, "text": text})

            try:
                email = services.clean_email(c.get("e-mail", ""))
            except services.PeopleError as exc:
                problem("e-mail", str(exc).split(": ", 1)[-1])
                continue
            person = User.objects.filter(email__iexact=email).first()
            if person is None:
                try:
                    with transaction.atomic():
                        person = services.add_person(
                            by=by, email=email, first_name=c.get("nome", ""),
                            last_name=c.get("cognome", ""))
                        services.send_invitation(by=by, person=person, base_url=base_url,
                                                 language=language)
                except (services.PeopleError, PermissionDenied) as exc:
                    problem("e-mail", str(exc))
                    continue
                result.added.append(email)
            org_text, org_role = c.get("ente", ""), c.get("ruolo nell'ente", "")
            if org_text or org_role:
                org = Organisation.objects.filter(name__iexact=org_text).first() or (
                    Organisation.objects.filter(code__iexact=org_text).first()
                    if org_text else None)
                role = _choice(org_role, OrgRoleChoices)
                if org is None:
                    problem("ente", _("«%(text)s» non è un ente registrato") % {
                        "text": org_text} if org_text else _("manca l'ente del ruolo"))
                elif role is None:
                    problem("ruolo nell'ente", _("«%(text)s» non è un ruolo (%(roles)s)") % {
                        "text": org_role, "roles": ", ".join(
                            str(x) for x in OrgRoleChoices.labels)})
                else:
                    try:
                        services.give_role(by=by, person=person, organisation=org, role=role)
                        result.roles += 1
                    except PermissionDenied as exc:
                        problem("ente", str(exc))
            plan_key, centre_name = c.get("piano", ""), c.get("centro", "")
            centre_role = c.get("ruolo nel centro", "")
            if plan_key or centre_name or centre_role:
                centre = Centre.objects.select_related("plan__organisation").filter(
                    plan__key=plan_key, name__iexact=centre_name).first()
                role = _choice(centre_role, CentreRoleChoices)
                if centre is None:
                    problem("centro", _("nessun centro «%(centre)s» nel piano «%(plan)s»") % {
                        "centre": centre_name, "plan": plan_key})
                elif role is None:
                    problem("ruolo nel centro", _(
                        "«%(text)s» non è un ruolo (%(roles)s)") % {
                        "text": centre_role, "roles": ", ".join(
                            str(x) for x in CentreRoleChoices.labels)})
                else:
                    try:
                        services.add_membership(by=by, person=person, centre=centre,
                                                role=role)
                        result.memberships += 1
                    except PermissionDenied as exc:
                        problem("centro", str(exc))
        if problems:
            raise ImportRefused(problems)  # rolls back every row (and the invitations)
    return result
