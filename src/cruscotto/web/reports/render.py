"""The report as HTML (the page and the PDF share one template), PDF, DOCX and XLSX.

Renderers only format the data of :mod:`cruscotto.web.reports.data`.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

from cruscotto.web.reports.data import Report, basis_slug, status_label
from cruscotto.web.reports.tables import chart_svgs, findings_rows
from cruscotto.web.reports.word import to_docx
from cruscotto.web.reports.workbook import to_xlsx

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html; charset=utf-8",
}
FORMATS = ("pdf", "docx", "xlsx")


def charts(report: Report) -> dict[str, Any]:
    """The summary's bar charts (the dashboards' SVG module), beside their tables."""
    # svg_charts escapes every text it writes
    return {k: mark_safe(svg) for k, (_t, svg) in chart_svgs(report).items()}  # noqa: S308


def context(report: Report, *, page: bool) -> dict[str, Any]:
    """What the body template needs; ``page`` when it sits in a web page (h1 is the page's)."""
    return {
        "report": report,
        "charts": charts(report),
        "status_counts": [(status_label(s), n) for s, n in report.status_counts],
        "findings": findings_rows(report, grouped=True),
        "h1": 2 if page else 1, "h2": 2, "h3": 3,
        "lang": translation.get_language() or "it",
    }


def file_name(report: Report, fmt: str) -> str:
    """``relazione-performance-KEY-2021-certificati-letti-20261127-1905.pdf``: the
    document, the plan, the year or period, the basis and when the data were read."""
    when = report.period_date.strftime("%Y-%m-%d") if report.interim else str(report.year)
    kind = "monitoraggio" if report.interim else "relazione-performance"
    read = report.read_at.strftime("%Y%m%d-%H%M")
    edition = f"-edizione-{report.edition}" if report.edition else ""
    return (f"{kind}-{report.plan_key}-{when}{edition}-{basis_slug(report.basis)}"
            f"-letti-{read}.{fmt}")


def to_html(report: Report) -> str:
    """The whole report as a standalone HTML document (what the PDF is made from)."""
    return render_to_string("reports/print.html", context(report, page=False))


def to_pdf(report: Report) -> bytes:
    # imported here, not for a cycle: loading WeasyPrint (and Pango under it) is slow
    # (seconds on a busy machine), a price only a PDF should pay
    from weasyprint import HTML

    pdf = HTML(string=to_html(report)).write_pdf()
    assert pdf is not None
    return bytes(pdf)


def render(report: Report, fmt: str) -> bytes:
    if fmt == "pdf":
        return to_pdf(report)
    if fmt == "docx":
        return to_docx(report)
    if fmt == "xlsx":
        return to_xlsx(report)
    if fmt == "html":
        return to_html(report).encode()
    raise ValueError(f"unknown report format {fmt!r}; expected one of {', '.join(FORMATS)}")

