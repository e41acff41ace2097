"""The report's tables as rows of text, shared by the DOCX and XLSX renderers and the page.

Its own module so that :mod:`render` can import the renderers that use these
rows (``word``, ``workbook``) without either importing ``render`` back.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from cruscotto.core.findings import Finding, Severity
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


#: findings of one kind beyond this many are one row in the PDF and the DOCX
GROUP_AT = 5


def findings_rows(report: Report, *, grouped: bool = False) -> list[dict[str, str]]:
    """The lint's findings as rows; ``grouped``: the findings of a kind with more than
    GROUP_AT of them in one row (how many, the first one's text, every subject), for
    the documents people read (hundreds of alike rows were most of the PDF's pages and
    of its rendering time); the XLSX keeps one row each, to filter."""
    def row(f: Finding) -> dict[str, str]:
        return {"subject": f.subject, "severity": severity_label(f.severity),
                "message": translate(f.text) if f.text is not None else f.message,
                "kind": f.kind, "subjects": ""}

    if not grouped:
        return [row(f) for f in report.findings]
    by_kind: dict[str, list[Finding]] = {}
    for f in report.findings:
        by_kind.setdefault(f.kind, []).append(f)
    out: list[dict[str, str]] = []
    for alike in by_kind.values():
        if len(alike) <= GROUP_AT:
            out += [row(f) for f in alike]
            continue
        first = row(alike[0])
        subjects = ", ".join(dict.fromkeys(f.subject for f in alike if f.subject))
        out.append({**first,
                    "subject": _("%(n)s segnalazioni") % {"n": len(alike)},
                    "message": _("Ad esempio: %(example)s") % {"example": first["message"]},
                    "subjects": (_("Elementi: %(subjects)s.") % {"subjects": subjects}
                                 if subjects else "")})
    return out


def indicator_cells(r: IndicatorRow, *, interim: bool) -> list[str]:
    """One indicator's row as text, in the order of :func:`indicator_headers`."""
    target = r.target or "—"
    if r.reading:
        target += f" ({_('Lettura del target')}: {r.reading})"
    cells = [f"{r.code} {r.name}", target, r.value_text, r.achievement_text,
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
