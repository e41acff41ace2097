"""The error every reader of user files raises: file, line, field, what was expected."""

from __future__ import annotations


class InputError(Exception):
    """Bad input a user can act on.

    ``problems`` holds further lines when one file has several faults (for
    example every duplicate code of a plan).
    """

    def __init__(
        self,
        message: str,
        *,
        file: str = "",
        line: int | None = None,
        field: str = "",
        expected: str = "",
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
        where = self.file or "<input>"
        if self.line is not None:
            where += f":{self.line}"
        text = f"{where}: {self.message}"
        if self.field:
            text += f" (field {self.field!r}"
            text += f"; expected {self.expected})" if self.expected else ")"
        elif self.expected:
            text += f" (expected {self.expected})"
        for p in self.problems:
            text += f"\n  - {p}"
        return text
