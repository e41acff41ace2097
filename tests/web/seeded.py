"""The seed plan with its 2021 demo values and people, stored once for a whole module.

For test modules that make hundreds of requests on the same data (the
permission matrix, the API contract): each test still runs in a transaction
rolled back at its end (pytest-django's ``db``), and the data is flushed when
the module is done, so the other tests find an empty database.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.management import call_command
from django.test import override_settings

from cruscotto.web.measurements.demo import load_demo

from .measurements.conftest import People, make_people

#: a fast hasher for the people made here (HTTP Basic checks a password on every call)
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@contextmanager
def seeded(django_db_blocker: Any, **overrides: Any) -> Iterator[People]:
    """The measurement tests' people and the demo people, the seed plan and its demo values."""
    with override_settings(PASSWORD_HASHERS=FAST_HASHER, **overrides), \
            django_db_blocker.unblock():
        people = make_people()
        load_demo(plan=people.plan)
        try:
            yield people
        finally:
            call_command("flush", interactive=False, verbosity=0)
