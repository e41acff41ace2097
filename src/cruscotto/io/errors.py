"""The error every reader of user files raises: file, line, field, what was expected."""

from __future__ import annotations

from cruscotto.core.messages import Message, gettext_noop


class InputError(Exception):
    """Bad input a user can act on.

    ``problems`` holds further lines when one file has several faults (for
    example every duplicate code of a plan).

    ``message`` and ``expected`` are text, or :class:`Message` for readers
    whose messages are translated (the values file): then the description
    is in Italian, and the web layer translates it.
    """

    def __init__(
        self,
        message: str | Message,
        *,
        file: str = "",
        line: int | None = None,
        field: str = "",
        expected: str | Message = "",
        problems: list[str] | None = None,
    ) -> None:
        self.file = file
        self.line = line
        self.field = field
        self.expected = expected
        self.message = message
        self.problems = list(problems or [])
        super().__init__(self.describe())

    def describe(self) -> str:
        """The whole problem in one text (in Italian for the translated readers)."""
        text = str(self.as_message())
        for p in self.problems:
            text += f"\n  - {p}"
        return text

    def as_message(self) -> Message:
        """The problem (without ``problems``) as a message the web layer can translate."""
        where = self.file or "<input>"
        if self.line is not None:
            where += f":{self.line}"
        params: dict[str, object] = {"where": where, "message": self.message,
                                     "field": self.field, "expected": self.expected}
        if isinstance(self.message, Message):
            template = (_IT_FIELD_EXPECTED if self.field and self.expected else
                        _IT_FIELD if self.field else _IT_EXPECTED if self.expected else _PLAIN)
        else:
            params["field"] = repr(self.field)
            template = (_EN_FIELD_EXPECTED if self.field and self.expected else
                        _EN_FIELD if self.field else _EN_EXPECTED if self.expected else _PLAIN)
        return Message(template, params)


_PLAIN = "%(where)s: %(message)s"
_IT_FIELD_EXPECTED = gettext_noop("%(where)s: %(message)s (campo «%(field)s»; atteso: "
                                  "%(expected)s)")
_IT_FIELD = gettext_noop("%(where)s: %(message)s (campo «%(field)s»)")
_IT_EXPECTED = gettext_noop("%(where)s: %(message)s (atteso: %(expected)s)")
# the readers of plans still write English
_EN_FIELD_EXPECTED = "%(where)s: %(message)s (field %(field)s; expected %(expected)s)"
_EN_FIELD = "%(where)s: %(message)s (field %(field)s)"
_EN_EXPECTED = "%(where)s: %(message)s (expected %(expected)s)"
