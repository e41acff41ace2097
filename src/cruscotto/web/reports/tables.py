"""The report's tables as rows of text, shared by the DOCX and XLSX renderers and the page.

Its own module so that :mod:`render` can import the renderers that use these
rows (``word``, ``workbook``) without either importing ``render`` back.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from cruscotto.core.findings import Severity
from cruscotto.io import svg_charts
from cruscotto.web.i18n import translate
from cruscotto.web.measurements.dashboard import status_labels
from cruscotto.web.reports.data import IndicatorRow, NodeRow, Report

#: the charts' label column, wide enough for LABEL_CHARS characters of the PDF's font
#: (DejaVu Sans, wider than the pages' Titillium: longer labels were cut on the left)
LABEL_WIDTH = 330
LABEL_CHARS = 34


def _short(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1].rstrip() + "…"


def chart_svgs(report: Report) -> dict[str, tuple[str, str]]:
    """The summary's bar charts as SVG, with their titles: the PDF and the page show the
    SVG, the DOCX a PNG of it. Labels are cut to fit (the full names are in the tables)."""
    def bars(nodes: tuple[NodeRow, ...], title: str) -> tuple[str, str]:
        svg = svg_charts.achievement_bars(
            [svg_charts.Bar(_short(f"{n.code} {n.title}"), n.achievement, n.status)
             for n in nodes],
            title=title, desc=_("Le stesse cifre sono nella tabella che segue."),
            status_labels=status_labels(), target_label=_("target"),
            threshold_label=_("soglia"), label_width=LABEL_WIDTH, width=760)
        return title, svg

    return {
        "missions": bars(report.missions, _("Grado di raggiungimento per missione")),
        "strategic": bars(report.strategic,
                          _("Grado di raggiungimento per obiettivo strategico")),
    }


def severity_label(s: Severity) -> str:
    return {Severity.ERROR: _("errore"), Severity.WARNING: _("avvertenza"),
            Severity.INFO: _("nota")}[s]


def findings_rows(report: Report) -> list[dict[str, str]]:
    return [{"subject": f.subject, "severity": severity_label(f.severity),
             "message": translate(f.text) if f.text is not None else f.message,
             "kind": f.kind} for f in report.findings]


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
