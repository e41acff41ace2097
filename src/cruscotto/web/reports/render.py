"""The report as HTML (the page and the PDF share one template), PDF, DOCX and XLSX.

Renderers only format the data of :mod:`cruscotto.web.reports.data`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from cruscotto.core.findings import Severity
from cruscotto.web.i18n import translate
from cruscotto.web.reports.data import IndicatorRow, NodeRow, Report, status_label

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html; charset=utf-8",
}
FORMATS = ("pdf", "docx", "xlsx")


def severity_label(s: Severity) -> str:
    return {Severity.ERROR: _("errore"), Severity.WARNING: _("avvertenza"),
            Severity.INFO: _("nota")}[s]


def findings_rows(report: Report) -> list[dict[str, str]]:
    return [{"subject": f.subject, "severity": severity_label(f.severity),
             "message": translate(f.text) if f.text is not None else f.message,
             "kind": f.kind} for f in report.findings]


def charts(report: Report) -> dict[str, Any]:
    """The summary's bar charts (the dashboards' SVG module), beside their tables."""
    from cruscotto.io.svg_charts import Bar
    from cruscotto.web.plans.dashboard import bars_svg

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
    from weasyprint import HTML

    pdf = HTML(string=to_html(report)).write_pdf()
    assert pdf is not None
    return bytes(pdf)


def render(report: Report, fmt: str) -> bytes:
    if fmt == "pdf":
        return to_pdf(report)
    if fmt == "docx":
        from cruscotto.web.reports.word import to_docx

        return to_docx(report)
    if fmt == "xlsx":
        from cruscotto.web.reports.workbook import to_xlsx

        return to_xlsx(report)
    if fmt == "html":
        return to_html(report).encode()
    raise ValueError(f"unknown report format {fmt!r}; expected one of {', '.join(FORMATS)}")


def indicator_cells(r: IndicatorRow, *, interim: bool) -> list[str]:
    """One indicator's row as text, in the order of :func:`indicator_headers`."""
    cells = [f"{r.code} {r.name}", r.target or "—", r.value_text, r.achievement_text,
             r.status_text, r.state_text]
    if interim:
        cells.append(r.forecast or "—")
    cells.append(r.gap_note or r.reason)
    return cells


def indicator_headers(*, interim: bool) -> list[str]:
    heads = [_("Indicatore"), _("Target"), _("Valore"), _("Raggiungimento"), _("Stato"),
             _("Stato dei dati")]
    if interim:
        heads.append(_("Previsione di fine anno"))
    heads.append(_("Spiegazione dello scostamento"))
    return heads


def node_cells(n: NodeRow) -> list[str]:
    return [f"{n.code} {n.title}".strip(), n.achievement_text, n.status_text, str(n.counted)]


def fraction(achievement: Decimal | None) -> Decimal | None:
    """An achievement of 0-100 as the fraction a spreadsheet shows with ``0%``."""
    return None if achievement is None else achievement / 100

