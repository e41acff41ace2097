"""Findings: what an importer repaired or could not resolve, what a lint saw.

One shape for all of them, so the CLI, pages and reports print them alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from cruscotto.core.messages import Message


class Severity(StrEnum):
    ERROR = "error"  # the plan cannot be trusted until a person acts
    WARNING = "warning"  # something was repaired or looks wrong; check it
    INFO = "info"  # recorded for the audit trail (e.g. an ignored line)


@dataclass(frozen=True, slots=True)
class Finding:
    severity: Severity
    #: a stable machine-readable kind, e.g. ``code-merged``, ``line-ignored``
    kind: str
    message: str
    line: int | None = None
    #: the code of the entity concerned, when there is one
    subject: str = ""
    #: the message for people (Italian template, translated at the web edge), when the
    #: check has one; ``message`` is for developers and the command line
    text: Message | None = field(default=None, compare=False)

    def as_dict(self) -> dict[str, object]:
        return {
            "severity": self.severity.value,
            "kind": self.kind,
            "message": self.message,
            "line": self.line,
            "subject": self.subject,
        }
