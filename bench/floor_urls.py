"""Cruscotto's URLs and the framework floor: one query, one template, nothing else."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from cruscotto.web.plans import models as pm
from cruscotto.web.urls import urlpatterns as _cruscotto

FLOOR = "/_bench/floor/"


def floor(request: HttpRequest) -> HttpResponse:
    """A minimal Django page: one query (the plans' keys), one template, no session."""
    keys = list(pm.Plan.objects.order_by("key").values_list("key", flat=True)[:10])
    return render(request, "bench_floor.html", {"keys": keys})


urlpatterns = [path(FLOOR.strip("/") + "/", floor), *_cruscotto]
