"""``cruscotto people``: people and their roles for scripts (the people page does the same).

    cruscotto people list [--organisation ORG]
    cruscotto people add EMAIL [--first-name N] [--last-name N] [--username U] [--invite]
    cruscotto people assign USER --organisation ORG --role admin|planning|oiv|viewer [--remove]
    cruscotto people assign USER --plan KEY --centre NAME --role manager|officer [--remove]
    cruscotto people deactivate USER | reactivate USER
    cruscotto people import FILE.xlsx

Changes are made by the command line (trusted, as ``plan import``) and audited as
such. An invitation (``add --invite``, and ``import``, which invites the people it adds)
needs ``CRUSCOTTO_SITE_URL``, the address the link points to.
Kept apart from :mod:`cruscotto.cli`, which only registers the verb.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any


class _Failed(Exception):
    pass


def add_parser(verbs: Any) -> None:
    people = verbs.add_parser(
        "people", help="people and their roles (organisations and centres)",
        description="List people, add or invite them, give organisation roles and centre "
        "memberships, deactivate. Every change is audited, made by the command line.")
    people.set_defaults(subparser=people)
    sub = people.add_subparsers(title="people commands", metavar="VERB")

    p = sub.add_parser("list", help="every person with their roles and centres")
    p.add_argument("--organisation", metavar="ORG", help="only roles in this organisation "
                   "(name or code)")
    p.set_defaults(handler=_run(_list))

    p = sub.add_parser("add", help="add a person (who chooses a password through an "
                       "invitation)")
    p.add_argument("email")
    p.add_argument("--first-name", default="")
    p.add_argument("--last-name", default="")
    p.add_argument("--username", default="", help="default: the e-mail address")
    p.add_argument("--invite", action="store_true",
                   help="mail the link to choose a password (needs CRUSCOTTO_SITE_URL)")
    p.set_defaults(handler=_run(_add))

    p = sub.add_parser("assign", help="give (or with --remove take) an organisation role "
                       "or a centre membership")
    p.add_argument("user", help="username or e-mail")
    p.add_argument("--organisation", metavar="ORG", help="organisation name or code")
    p.add_argument("--plan", metavar="KEY", help="the plan of the centre")
    p.add_argument("--centre", metavar="NAME", help="responsibility centre")
    p.add_argument("--role", required=True,
                   help="admin, planning, oiv, viewer (organisation) or manager, officer "
                   "(centre)")
    p.add_argument("--remove", action="store_true", help="take the role away")
    p.set_defaults(handler=_run(_assign))

    for verb, active in (("deactivate", False), ("reactivate", True)):
        p = sub.add_parser(verb, help=f"{verb} a person (roles and history stay)")
        p.add_argument("user", help="username or e-mail")
        p.set_defaults(handler=_run(_set_active), active=active)

    p = sub.add_parser("import", help="people, roles and centres from an XLSX sheet "
                       "(the people page's format; all or nothing)")
    p.add_argument("file")
    p.set_defaults(handler=_run(_import))


def _run(fn: Any) -> Any:
    def handler(ns: argparse.Namespace) -> int:
        import django
        from django.core.exceptions import PermissionDenied

        django.setup()
        from cruscotto.web.accounts.people_xlsx import ImportRefused
        from cruscotto.web.accounts.services import PeopleError

        try:
            return int(fn(ns))
        except ImportRefused as exc:
            for problem in exc.problems:
                print(problem, file=sys.stderr)
            print("cruscotto: error: nothing imported", file=sys.stderr)
            return 1
        except (_Failed, PeopleError, PermissionDenied) as exc:
            print(f"cruscotto: error: {exc}", file=sys.stderr)
            return 2
    return handler


def _person(text: str) -> Any:
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    found = list(get_user_model().objects.filter(Q(username=text) | Q(email__iexact=text)))
    if len(found) != 1:
        raise _Failed(f"no person {text!r}" if not found else f"{text!r} names several people")
    return found[0]


def _organisation(text: str) -> Any:
    from django.db.models import Q

    from cruscotto.web.plans.models import Organisation

    found = list(Organisation.objects.filter(Q(name__iexact=text) | Q(code__iexact=text)))
    if len(found) != 1:
        names = ", ".join(Organisation.objects.order_by("name").values_list("name", flat=True))
        raise _Failed(f"no organisation {text!r} (stored: {names or 'none'})")
    return found[0]


def _site() -> str:
    from django.conf import settings

    site = getattr(settings, "CRUSCOTTO_SITE_URL", "")
    if not site:
        raise _Failed("set CRUSCOTTO_SITE_URL (the site's address) to send invitations")
    return str(site)


def _list(ns: argparse.Namespace) -> int:
    from cruscotto.web.accounts import selectors

    org = _organisation(ns.organisation) if ns.organisation else None
    for r in selectors.people():
        p = r.person
        roles = [f"{x.role}@{x.organisation.name}" for x in r.roles
                 if org is None or x.organisation_id == org.pk]
        centres = [f"{m.role}@{m.centre.name} ({m.centre.plan.key})" for m in r.memberships
                   if org is None or m.centre.plan.organisation_id == org.pk]
        if org is not None and not roles and not centres:
            continue
        state = "" if p.is_active else " [deactivated]"
        print(f"{p.username}{state}\t{p.email or '-'}\t{p.get_full_name() or '-'}\t"
              f"{', '.join(roles) or '-'}\t{'; '.join(centres) or '-'}")
    return 0


def _add(ns: argparse.Namespace) -> int:
    from django.db import transaction

    from cruscotto.web.accounts import services

    with transaction.atomic():
        person = services.add_person(by=services.COMMAND_LINE, email=ns.email,
                                     first_name=ns.first_name, last_name=ns.last_name,
                                     username=ns.username)
        if ns.invite:
            services.send_invitation(by=services.COMMAND_LINE, person=person,
                                     base_url=_site())
    print(f"{person.username} added" + (f", invitation sent to {person.email}"
                                        if ns.invite else ""))
    return 0


def _assign(ns: argparse.Namespace) -> int:
    from cruscotto.web.accounts import services
    from cruscotto.web.plans.models import ResponsibilityCentre

    person = _person(ns.user)
    by = services.COMMAND_LINE
    if ns.organisation and not (ns.plan or ns.centre):
        org = _organisation(ns.organisation)
        if ns.remove:
            services.take_role(by=by, person=person, organisation=org, role=ns.role)
        else:
            services.give_role(by=by, person=person, organisation=org, role=ns.role)
        print(f"{person.username}: {ns.role} in {org.name} "
              f"{'removed' if ns.remove else 'given'}")
        return 0
    if ns.centre and not ns.organisation:
        centres = ResponsibilityCentre.objects.select_related("plan__organisation").filter(
            name__iexact=ns.centre)
        if ns.plan:
            centres = centres.filter(plan__key=ns.plan)
        found = list(centres)
        if len(found) != 1:
            raise _Failed(f"no centre {ns.centre!r}" + (f" in plan {ns.plan!r}" if ns.plan
                                                         else "") if not found else
                          f"centre {ns.centre!r} is in several plans: give --plan")
        if ns.remove:
            services.remove_membership(by=by, person=person, centre=found[0], role=ns.role)
        else:
            services.add_membership(by=by, person=person, centre=found[0], role=ns.role)
        print(f"{person.username}: {ns.role} of {found[0].name} ({found[0].plan.key}) "
              f"{'removed' if ns.remove else 'given'}")
        return 0
    raise _Failed("give either --organisation (an organisation role) or --centre "
                  "[--plan] (a centre membership)")


def _set_active(ns: argparse.Namespace) -> int:
    from cruscotto.web.accounts import services

    person = services.set_active(by=services.COMMAND_LINE, person=_person(ns.user),
                                 active=ns.active)
    print(f"{person.username} {'reactivated' if ns.active else 'deactivated'}")
    return 0


def _import(ns: argparse.Namespace) -> int:
    from pathlib import Path

    from cruscotto.web.accounts import people_xlsx, services

    try:
        data = Path(ns.file).read_bytes()
    except OSError as exc:
        raise _Failed(f"cannot read {ns.file}: {exc.strerror}") from None
    result = people_xlsx.import_xlsx(by=services.COMMAND_LINE, data=data, base_url=_site())
    print(f"{len(result.added)} people added (invited), {result.roles} organisation roles, "
          f"{result.memberships} centre memberships")
    return 0
