"""The report as HTML (the page and the PDF share one template), PDF, DOCX and XLSX.

Renderers only format the data of :mod:`cruscotto.web.reports.data`.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from cruscotto.io.svg_charts import Bar
from cruscotto.web.measurements.dashboard import bars_svg
from cruscotto.web.reports.data import NodeRow, Report, status_label
from cruscotto.web.reports.tables import findings_rows
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
    def bars(nodes: tuple[NodeRow, ...], title: str) -> Any:
        return bars_svg([Bar(f"{n.code} {n.title}", n.achievement, n.status)
                         for n in nodes], title,
                        _("Le stesse cifre sono nella tabella che segue."))

    return {
        "missions": bars(report.missions, _("Grado di raggiungimento per missione")),
        "strategic": bars(report.strategic,
                          _("Grado di raggiungimento per obiettivo strategico")),
    }


def context(report: Report, *, page: bool) -> dict[str, Any]:
    """What the body template needs; ``page`` when it sits in a web page (h1 is the page's)."""
    return {
        "report": report,
        "charts": charts(report),
        "status_counts": [(status_label(s), n) for s, n in report.status_counts],
        "findings": findings_rows(report),
        "h1": 2 if page else 1, "h2": 2, "h3": 3,
    }


def file_name(report: Report, fmt: str) -> str:
    when = report.period_date.strftime("%Y-%m-%d") if report.interim else str(report.year)
    kind = "monitoraggio" if report.interim else "relazione-performance"
    return f"{kind}-{report.plan_key}-{when}.{fmt}"


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

