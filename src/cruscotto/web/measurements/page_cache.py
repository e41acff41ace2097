"""A plan's main pages, kept rendered in this process until anything they show changes.

A page of a plan (overview, indicator, dashboard, objective and centre pages, the
report page, the public plan page) is a function of: the plan's row (its revision,
its data token, publication and the organisation's name), every stored result set
of the plan (their tokens and stamps: a recomputation or a new stamp changes them),
the reader (who they are and their roles and centres in the plan, as the workflow
sees them), the address with its query, the language and the day. :func:`page_key` reads
all of that in three queries (one more for a signed-in reader's roles); the page
is kept under it, and served again without running its view while the key is the
same. The data token (:mod:`.datatoken`) changes, in the database, with every write
of the plan's periods, states, values, certification records, and of the report's
texts, editions, jobs and documents, whoever writes them, so a page kept is never
older than what it shows.

What differs per request is left as holes and filled on every answer: the
signed-in person's corner of the header (name, sign-out, the language switch with
this address) and the CSRF token of every form. A request with messages to show,
an htmx request and any answer but a 200 page are not kept.

The process keeps at most ``CRUSCOTTO_PAGE_CACHE_MB`` megabytes of pages
(settings.PAGE_CACHE_BYTES; 0 turns this off), the least recently served dropped
first. docs/read-path.md describes the read path; docs/performance.md the gain.
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils import timezone, translation

from cruscotto.web.accounts.permissions import actor_for
from cruscotto.web.measurements import datatoken
from cruscotto.web.measurements import models as mm

__all__ = ["HEADER_HOLE", "cached_page", "page_key", "pages_kept"]

#: what the page holds instead of the reader's own header corner and CSRF token
HEADER_HOLE = "<!--cruscotto:reader-corner-->"
CSRF_HOLE = "cruscotto-csrf-hole-5d1c0a"


@dataclass(frozen=True)
class _Page:
    body: str
    content_type: str
    #: the plan's key for the header corner's links (None: no plan links)
    plan_key: str | None


_PAGES: OrderedDict[tuple[Any, ...], _Page] = OrderedDict()
_size = 0
#: a threaded server (runserver, gunicorn's gthread) shares the pages between threads
_LOCK = threading.Lock()


def _limit() -> int:
    return int(getattr(settings, "PAGE_CACHE_BYTES", 0))


def pages_kept() -> int:
    """How many pages this process keeps now (the tests)."""
    return len(_PAGES)


def page_key(request: HttpRequest, plan_key: str) -> tuple[Any, ...] | None:
    """Everything a plan's page is made of, or None (not kept: the view decides)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT p.id, p.published, p.revision, p.{datatoken.COLUMN}, p.updated_at, "
            "o.name FROM plans_plan p JOIN plans_organisation o ON o.id = p.organisation_id "
            "WHERE p.key = %s", [plan_key])
        row = cursor.fetchone()
    if row is None:
        return None  # the view answers 404
    plan_id = int(row[0])
    user = request.user
    signed_in = bool(getattr(user, "is_authenticated", False))
    if not signed_in and not row[1]:
        return None  # not published: the view answers 404 to the public
    sets = tuple(mm.ResultSet.objects.filter(plan_id=plan_id).order_by("pk").values_list(
        "pk", "visibility", "token", "stamp", "computed_at", "plan_revision", "engine"))
    actor = actor_for(user, plan_id)
    # today: a page may say what is due or late relative to it
    query = tuple((k, tuple(v)) for k, v in sorted(request.GET.lists()))
    return (request.path, query, translation.get_language(), timezone.localdate(),
            user.pk if signed_in else None, bool(getattr(user, "is_superuser", False)),
            actor, tuple(row[1:]), sets)


def _keep(key: tuple[Any, ...], page: _Page) -> None:
    global _size
    limit = _limit()
    size = len(page.body)
    if size > limit // 4:
        return
    with _LOCK:
        old = _PAGES.pop(key, None)
        if old is not None:
            _size -= len(old.body)
        _PAGES[key] = page
        _size += size
        while _size > limit and _PAGES:
            _, dropped = _PAGES.popitem(last=False)
            _size -= len(dropped.body)


def _kept(key: tuple[Any, ...]) -> _Page | None:
    with _LOCK:
        hit = _PAGES.get(key)
        if hit is not None:
            _PAGES.move_to_end(key)
        return hit


def _answer(request: HttpRequest, page: _Page) -> HttpResponse:
    corner = render_to_string("includes/reader_corner.html",
                              {"key": page.plan_key, "plan": page.plan_key is not None},
                              request=request)
    body = page.body.replace(HEADER_HOLE, corner, 1).replace(CSRF_HOLE, get_token(request))
    return HttpResponse(body, content_type=page.content_type)


def cached_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Keep the view's page (a ``TemplateResponse`` of a plan page whose URL names the
    plan as ``key``) until anything it is made of changes (:func:`page_key`)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if (_limit() <= 0 or request.method != "GET" or request.headers.get("HX-Request")
                or len(messages.get_messages(request))):
            return view(request, *args, **kwargs)
        key = page_key(request, kwargs["key"])
        if key is None:
            return view(request, *args, **kwargs)
        key = (view.__module__, view.__qualname__, *key)
        hit = _kept(key)
        if hit is not None:
            return _answer(request, hit)
        response = view(request, *args, **kwargs)
        if not isinstance(response, TemplateResponse) or response.status_code != 200 \
                or response.is_rendered:
            return response
        context = response.context_data or {}
        response.context_data = {**context, "csrf_token": CSRF_HOLE, "reader_corner_hole": True}
        response.render()
        page = _Page(response.content.decode(response.charset),
                     response.get("Content-Type", "text/html; charset=utf-8"),
                     context.get("key") if context.get("plan") else None)
        _keep(key, page)
        return _answer(request, page)

    return wrapper
