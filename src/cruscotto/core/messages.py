"""Messages for people, translatable without Django: an Italian template and its parameters.

The core and the readers in :mod:`cruscotto.io` run without Django (the
command line uses them with no settings), so they cannot call Django's
``gettext``. They build a :class:`Message` instead: the Italian source
template, marked with :func:`gettext_noop` so that the catalogue collects it,
and the named parameters. ``str(message)`` is the Italian text unless a
translator is set (:func:`set_translator`): the web application sets Django's
``gettext``, so a message shown anywhere there reads in the reader's language;
the command line sets the catalogue of ``--lang``. :meth:`Message.render` takes
the translation explicitly. :meth:`Message.to_json` / :meth:`Message.from_json`
store a message as plain data (template and parameters), to translate later.

The templates are repeated in ``cruscotto/web/engine_messages.py``, because
``makemessages`` reads only the web package; a test keeps the two lists equal.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Message", "get_translator", "gettext_noop", "msg", "render", "set_translator"]

#: what ``str(message)`` passes each template through (``None``: the Italian source);
#: the web application sets Django's ``gettext`` (the reader's language), the command
#: line the catalogue of ``--lang``
_translator: Callable[[str], str] | None = None


def get_translator() -> Callable[[str], str] | None:
    """The translator in use (to put it back after a command that changed it)."""
    return _translator


def set_translator(gettext: Callable[[str], str] | None) -> None:
    """Make ``str(message)`` translate through ``gettext`` (``None``: Italian, as written)."""
    global _translator
    _translator = gettext


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
        return self.render(_translator)

    def __hash__(self) -> int:
        return hash((self.template, tuple(sorted(self.params.items(), key=lambda kv: kv[0]))))

    def render(self, gettext: Callable[[str], str] | None = None) -> str:
        """The text, each template (this one and those of the parameters) passed through
        ``gettext`` first; the Italian source text without it."""
        text = gettext(self.template) if gettext is not None else self.template
        if not self.params:
            return text
        return text % {k: render(v, gettext) for k, v in self.params.items()}

    def to_json(self) -> dict[str, Any]:
        """Plain data to store (``{"template": ..., "params": {...}}``); a parameter that
        is a message is stored the same way, anything else as text or a whole number."""
        return {"template": self.template,
                "params": {k: (v.to_json() if isinstance(v, Message)
                               else v if isinstance(v, int) and not isinstance(v, bool)
                               else str(v)) for k, v in self.params.items()}}

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | str) -> Message:
        """The message :meth:`to_json` stored (a bare text: a message of that text)."""
        if isinstance(data, str):
            return cls(data)
        params = {k: (cls.from_json(v) if isinstance(v, Mapping) else v)
                  for k, v in (data.get("params") or {}).items()}
        return cls(str(data["template"]), params)


def render(value: object, gettext: Callable[[str], str] | None = None) -> str:
    """``value`` as text: a :class:`Message` rendered through ``gettext``; else ``str``."""
    if isinstance(value, Message):
        return value.render(gettext)
    return str(value)


def msg(template: str, **params: object) -> Message:
    """Shorthand: ``msg(gettext_noop("… %(name)s …"), name=...)``."""
    return Message(template, params)
