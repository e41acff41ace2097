"""The one display module's labels: remembered per language, never across languages."""

from __future__ import annotations

from django.test import override_settings
from django.utils import translation

from cruscotto.core.scoring import Status
from cruscotto.core.workflow import State
from cruscotto.web import display


def test_a_label_is_in_the_language_in_use_each_time_it_is_asked_for() -> None:
    seen = []
    for lang in ("it", "en", "it", "en"):
        with translation.override(lang):
            seen.append((display.status_label(Status.GREEN), display.status_label("red"),
                         display.state_label(State.RETURNED), display.state_label("draft")))
    assert seen[0] == seen[2] == ("verde", "rosso", "restituito", "bozza")
    assert seen[1] == seen[3] == ("green", "red", "returned", "draft")


def test_an_unknown_status_reads_not_available_and_is_not_remembered() -> None:
    with translation.override("it"):
        assert display.status_label("purple") == display.status_label(Status.NOT_AVAILABLE)
    assert not any(key[2] == "purple" for key in display._LABELS)


def test_the_labels_are_forgotten_when_the_catalogues_change() -> None:
    with translation.override("it"):
        display.status_label("green")
    assert display._LABELS
    with override_settings(LOCALE_PATHS=[]):
        assert not display._LABELS
