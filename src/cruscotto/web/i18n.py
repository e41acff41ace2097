"""Translating the messages of the core and of the readers (:mod:`cruscotto.core.messages`)."""

from __future__ import annotations

from django.utils.translation import gettext

from cruscotto.core.messages import Message

__all__ = ["translate"]


def translate(message: object) -> str:
    """``message`` in the active language.

    A :class:`Message` is translated with its parameters (each in turn, when a
    parameter is a message too); an exception by its message; anything else is
    already text (the web layer builds its messages with ``gettext``).
    """
    if isinstance(message, Message):
        return message.render(gettext)
    if isinstance(message, BaseException):
        if len(message.args) == 1:
            return translate(message.args[0])
        return str(message)
    return str(message)
