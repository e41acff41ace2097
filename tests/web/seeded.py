"""Data stored once for a whole test module, for modules that read far more than they write.

For test modules that make many requests on the same data (the permission
matrix, the API contract, the public pages, the report pages): the data is
made and committed once, each test still runs in a transaction rolled back at
its end (pytest-django's ``db``), so what one test writes the next does not
see, and the data is flushed when the module is done, so the other tests find
an empty database.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.core.management import call_command
from django.db import models
from django.test import override_settings

from cruscotto.web.measurements.demo import load_demo

from .measurements.conftest import People, make_people

T = TypeVar("T")


@contextmanager
def stored_once(django_db_blocker: Any, make: Callable[[], T], **overrides: Any) -> Iterator[T]:
    """What ``make`` stores, committed for the length of the ``with``; flushed afterwards.

    (The people's passwords use the tests' fast hasher, tests/conftest.py.)
    """
    with override_settings(**overrides), django_db_blocker.unblock():
        try:
            yield make()
        finally:
            call_command("flush", interactive=False, verbosity=0)


def seeded_people() -> People:
    """The measurement tests' people and the demo people, the seed plan and its demo values."""
    people = make_people()
    load_demo(plan=people.plan)
    return people


@contextmanager
def seeded(django_db_blocker: Any, **overrides: Any) -> Iterator[People]:
    """:func:`seeded_people`, stored once (see :func:`stored_once`)."""
    with stored_once(django_db_blocker, seeded_people, **overrides) as people:
        yield people


def fresh(data: T) -> T:
    """``data`` (a dataclass) with each model instance in it read again from the database.

    A test that changes an instance in memory (``plan.published = False``) and has
    its transaction rolled back would otherwise leave the next test a stale object.
    """
    assert dataclasses.is_dataclass(data) and not isinstance(data, type)
    changes = {f.name: type(v).objects.get(pk=v.pk)  # type: ignore[attr-defined]
               for f in dataclasses.fields(data)
               if isinstance(v := getattr(data, f.name), models.Model)}
    return dataclasses.replace(data, **changes)  # type: ignore[type-var]
