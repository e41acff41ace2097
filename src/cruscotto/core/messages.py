"""Messages for people, translatable without Django: an Italian template and its parameters.

The core and the readers in :mod:`cruscotto.io` run without Django (the
command line uses them with no settings), so they cannot call Django's
``gettext``. They build a :class:`Message` instead: the Italian source
template, marked with :func:`gettext_noop` so that the catalogue collects it,
and the named parameters. ``str(message)`` is the Italian text (what the
command line prints); the web layer translates it into the reader's
language with ``gettext(template) % params``
(:func:`cruscotto.web.i18n.translate`).

The templates are repeated in ``cruscotto/web/engine_messages.py``, because
``makemessages`` reads only the web package; a test keeps the two lists equal.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["Message", "gettext_noop"]


def gettext_noop(message: str) -> str:
    """Mark ``message`` for translation, unchanged (the name ``makemessages`` looks for)."""
    return message


@dataclass(frozen=True, slots=True)
class Message:
    """An Italian template with named placeholders, and the values to put in them.

    A parameter may itself be a :class:`Message` (translated with the rest).
    """

    template: str
    params: Mapping[str, object] = field(default_factory=dict)

    def __str__(self) -> str:
        if not self.params:
            return self.template
        return self.template % {k: str(v) for k, v in self.params.items()}


def msg(template: str, **params: object) -> Message:
    """Shorthand: ``msg(gettext_noop("… %(name)s …"), name=...)``."""
    return Message(template, params)
