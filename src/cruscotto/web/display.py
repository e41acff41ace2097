"""How figures read, in one place: status labels, numbers and percents.

Every page, report and export of the web layer takes its words and formats from
here (docs/read-path.md, "One display module"): the status of a figure
(:class:`StatusChoices`, labels translated), the workflow state of a measurement
(:class:`StateChoices`: "bozza", "inviato", ...; templates use the ``state_label``
filter of ``plans_tags``), an achievement as a percent
(:func:`percent`: Italian format, ``92,46%``, *rounded* half up to two decimals,
never truncated) and a number (:func:`number`: ``1.234,5``). The command line
and the files written without Django use the same Italian words and formats
from :mod:`cruscotto.io.svg_charts` / :mod:`cruscotto.core.targets`.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.core.signals import setting_changed
from django.db import models
from django.dispatch import receiver
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from cruscotto.core.numbers import rounded
from cruscotto.core.scoring import Status
from cruscotto.core.targets import format_number
from cruscotto.core.workflow import State

__all__ = ["StateChoices", "StatusChoices", "number", "percent", "state_label", "status_label",
           "status_labels"]


class StatusChoices(models.TextChoices):
    """The status of a figure against the plan's bands, with its label."""

    GREEN = Status.GREEN.value, _("verde")
    YELLOW = Status.YELLOW.value, _("giallo")
    RED = Status.RED.value, _("rosso")
    NOT_AVAILABLE = Status.NOT_AVAILABLE.value, _("n.d.")


class StateChoices(models.TextChoices):
    """The workflow state of a measurement, with its label (the model's choices)."""

    DRAFT = State.DRAFT.value, _("bozza")
    SUBMITTED = State.SUBMITTED.value, _("inviato")
    VALIDATED = State.VALIDATED.value, _("validato")
    RETURNED = State.RETURNED.value, _("restituito")
    CERTIFIED = State.CERTIFIED.value, _("certificato")


#: (language, choices, value) -> its label: a label is translated once per language and
#: process, not once per row of a page (a report of 400 indicators asked for thousands);
#: emptied when the settings that choose the catalogues change (as Django's own)
_LABELS: dict[tuple[str | None, type, str], str] = {}


@receiver(setting_changed)
def _forget_labels(*, setting: str, **kwargs: object) -> None:
    if setting in ("LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS", "USE_I18N", "INSTALLED_APPS"):
        _LABELS.clear()


def _label(choices: type[models.TextChoices], value: object,
           fallback: object = None) -> str:
    """The label of ``value`` among ``choices`` in the reader's language, kept per
    language (``fallback``'s label for a value that is not one of them, not kept)."""
    key = (get_language(), choices, value)
    try:
        return _LABELS[key]
    except (KeyError, TypeError):
        pass
    try:
        label = str(choices(value).label)
    except ValueError:
        if fallback is None:
            raise
        return str(choices(fallback).label)
    if isinstance(value, str):
        _LABELS[key] = label
    return label


def state_label(state: object) -> str:
    """``"returned"`` (or ``State.RETURNED``) → "restituito" in the reader's language."""
    return _label(StateChoices, getattr(state, "value", state))


def status_label(status: object) -> str:
    """``"green"`` (or ``Status.GREEN``) → "verde" in the reader's language."""
    return _label(StatusChoices, getattr(status, "value", status),
                  StatusChoices.NOT_AVAILABLE)


def status_labels() -> dict[str, str]:
    """status -> label, for code that writes several (the charts, a page's rows)."""
    return {c.value: status_label(c.value) for c in StatusChoices}


def percent(value: Decimal | None, *, missing: str | None = None, places: int = 2) -> str:
    """An achievement (0-100) for people: ``92,46%``, rounded half up to ``places``
    decimals; ``missing`` (default "n.d.") when there is none; "fuori scala" when too
    large to show."""
    if value is None:
        return gettext("n.d.") if missing is None else missing
    r = rounded(Decimal(value), places, ROUND_HALF_UP)
    if r is None:
        return gettext("fuori scala")
    return format_number(r) + "%"


def number(value: Decimal | None, *, missing: str = "—", places: int = 4) -> str:
    """A number for people, Italian style: ``1.234,5``."""
    if value is None:
        return missing
    r = rounded(Decimal(value), places, ROUND_HALF_UP)
    if r is None:
        return gettext("fuori scala")
    return format_number(r)
