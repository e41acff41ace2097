"""The lint checks listed in docs/engine.md are the ones the code makes."""

from __future__ import annotations

import re
from pathlib import Path

from cruscotto.core.lint import CHECKS

DOC = Path(__file__).resolve().parents[2] / "docs" / "engine.md"


def checks_table() -> str:
    rows = ["| check | severity | what it finds |", "| --- | --- | --- |"]
    rows += [f"| `{c.kind}` | {c.severity.value} | {c.what} |" for c in CHECKS]
    return "\n".join(rows)


def test_it_documents_every_lint_check() -> None:
    text = DOC.read_text("utf-8")
    m = re.search(r"<!-- lint-checks:begin -->\n(.*?)<!-- lint-checks:end -->", text, re.S)
    assert m, "docs/engine.md lost its lint-checks markers"
    assert m.group(1).strip() == checks_table(), (
        "docs/engine.md's lint table is out of date: run "
        "`.venv/bin/python -m tests.core.test_lint_doc`")


if __name__ == "__main__":
    text = DOC.read_text("utf-8")
    text = re.sub(r"(<!-- lint-checks:begin -->\n).*?(<!-- lint-checks:end -->)",
                  lambda m: m.group(1) + checks_table() + "\n" + m.group(2), text, flags=re.S)
    DOC.write_text(text, "utf-8")
