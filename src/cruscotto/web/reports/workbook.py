"""The report as an XLSX workbook (openpyxl): every figure, one sheet per part.

Numbers are numbers and percentages percentages (a fraction with a ``%``
format), so a spreadsheet in Italian shows ``1.234,5`` and ``96,38%`` and can
compute with them.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from cruscotto.io.cells import inert_sheet
from cruscotto.web.reports.data import IndicatorRow, NodeRow, Report, state_label, status_label
from cruscotto.web.reports.narrative import plain
from cruscotto.web.reports.tables import findings_rows, fraction

#: explicit formats: Italian Excel shows them as 1.234,50 / 96,38% / 31/12/2021 (never
#: "100,%", which a "0.##%" format shows for a whole percentage)
PERCENT = "0.00%"
INTEGER = "#,##0"
DATE = "DD/MM/YYYY"
DATETIME = "DD/MM/YYYY HH:MM"


def number_format(n: Decimal | None) -> str:
    """A number's format: thousands separators and its own decimals (at most 4), fixed."""
    if n is None or not n.is_finite():
        return INTEGER
    exponent = n.normalize().as_tuple().exponent
    places = min(max(0, -exponent), 4) if isinstance(exponent, int) else 0
    return INTEGER if places == 0 else "#,##0." + "0" * places


def _cell(v: Any) -> Any:
    """A value as openpyxl stores it: Decimal as float, an aware datetime as local naive."""
    if isinstance(v, Decimal):
        return float(v)
    if isinstance(v, datetime.datetime) and v.tzinfo is not None:
        return timezone.localtime(v).replace(tzinfo=None)
    return v


def _sheet(wb: Workbook, title: str, headers: Sequence[str],
           rows: Sequence[Sequence[Any]], formats: dict[int, str] | None = None,
           widths: dict[int, int] | None = None) -> Worksheet:
    ws = wb.create_sheet(title[:31])
    ws.append(list(headers))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([_cell(v) for v in row])
    inert_sheet(ws)
    for col, fmt in (formats or {}).items():
        for (cell,) in ws.iter_rows(min_row=2, min_col=col, max_col=col):
            cell.number_format = fmt
    for i in range(1, len(headers) + 1):
        ws.column_dimensions[get_column_letter(i)].width = (widths or {}).get(i, 14)
    ws.freeze_panes = "A2"
    return ws


def _node(n: NodeRow) -> list[Any]:
    return [n.code, n.title, fraction(n.achievement), n.status_text, n.counted,
            ", ".join(n.left_out)]


def _value(r: IndicatorRow) -> Any:
    if r.hidden:
        return None
    if isinstance(r.value, bool):
        return _("sì") if r.value else _("no")
    return r.number


def _indicator(r: IndicatorRow, strategic: str, interim: bool) -> list[Any]:
    row = [r.code, r.name, strategic, r.unit, r.target, r.original_target, _value(r),
           r.value_text, fraction(r.achievement), r.status_text, r.state_text,
           "; ".join(r.centres)]
    if interim:
        row += [r.forecast, _("sì") if r.at_risk else _("no")]
    return [*row, r.gap_note, r.explanation, r.reason, r.reading]


def to_xlsx(report: Report) -> bytes:
    wb = Workbook()
    cover = wb.active
    assert cover is not None
    cover.title = _("Copertina")
    org = report.organisation_node
    rows: list[tuple[str, Any, str | None]] = [
        (_("Ente"), report.organisation, None), (_("Piano"), report.plan_title, None),
        (_("Documento"), report.title, None),
        (_("Periodo di riferimento"), report.period_date, DATE),
        (_("Base dei dati"), report.basis_label, None),
        (_("Stati inclusi"), ", ".join(state_label(s) for s in report.states_included), None),
        (_("Ultima modifica dei dati"), report.data_date, DATE),
        (_("Dati letti il"), report.read_at, DATETIME),
        (_("Dati dimostrativi"), _("sì") if report.is_demo else _("no"), None),
        (_("Grado di raggiungimento dell'ente"), fraction(org.achievement), PERCENT),
        (_("Stato dell'ente"), org.status_text, None),
        (_("Indicatori considerati"), org.counted, INTEGER)]
    if report.edition:
        rows.append((_("Edizione approvata"), report.approval_text, None))
    for label, value, fmt in rows:
        cover.append([label, _cell(value)])
        cover.cell(cover.max_row, 1).font = Font(bold=True)
        if fmt:
            cover.cell(cover.max_row, 2).number_format = fmt
        if report.is_demo and label == _("Dati dimostrativi"):
            cover.cell(cover.max_row, 2).font = Font(bold=True, color="8A5200")
    inert_sheet(cover)
    cover.column_dimensions["A"].width = 34
    cover.column_dimensions["B"].width = 80
    for (cell,) in cover.iter_rows(min_col=2, max_col=2):
        cell.alignment = Alignment(horizontal="left")

    node_heads = [_("Codice"), _("Nome"), _("Raggiungimento"), _("Stato"),
                  _("Indicatori considerati"), _("Indicatori esclusi")]
    widths = {2: 50, 6: 40}
    _sheet(wb, _("Sintesi"), [_("Stato"), _("Indicatori")],
           [[status_label(s), n] for s, n in report.status_counts], {2: INTEGER})
    _sheet(wb, _("Missioni"), node_heads, [_node(n) for n in report.missions],
           {3: PERCENT}, widths)
    _sheet(wb, _("Obiettivi strategici"), node_heads, [_node(n) for n in report.strategic],
           {3: PERCENT}, widths)

    if report.public_values:
        _sheet(wb, _("Valore pubblico"),
               [_("Codice"), _("Nome"), _("Raggiungimento"), _("Stato"),
                _("Indicatori considerati"), _("Domini BES"),
                _("Obiettivi di sviluppo sostenibile (SDG)"), _("Obiettivi strategici")],
               [[pv.node.code, pv.node.title, fraction(pv.node.achievement),
                 pv.node.status_text, pv.node.counted, "; ".join(pv.bes),
                 "; ".join(pv.sdgs), ", ".join(n.code for n in pv.objectives)]
                for pv in report.public_values],
               {3: PERCENT}, {2: 50, 6: 40, 7: 40, 8: 30})

    heads = [_("Codice"), _("Indicatore"), _("Obiettivo strategico"), _("Unità"), _("Target"),
             _("Target originale"), _("Valore"), _("Valore (testo)"), _("Raggiungimento"),
             _("Stato"), _("Stato dei dati"), _("Centri di responsabilità")]
    if report.interim:
        heads += [_("Previsione di fine anno"), _("A rischio")]
    heads += [_("Spiegazione dello scostamento"), _("Calcolo"), _("Motivo"),
              _("Lettura del target")]
    rows = [_indicator(r, s.node.code, report.interim)
            for s in report.sections for r in s.indicators]
    ws = _sheet(wb, _("Indicatori"), heads, rows, {9: PERCENT},
                {2: 50, 8: 18, 12: 40, len(heads) - 3: 50, len(heads) - 2: 50,
                 len(heads) - 1: 30})
    by_code = {r.code: r for s in report.sections for r in s.indicators}
    for row in ws.iter_rows(min_row=2):
        r = by_code[str(row[0].value)]
        row[6].number_format = PERCENT if r.percent else number_format(r.number)
    if report.interim:
        _sheet(wb, _("A rischio"), heads,
               [_indicator(r, "", True) for r in report.at_risk], {9: PERCENT}, {2: 50})
    _sheet(wb, _("Centri"), node_heads, [_node(c.node) for c in report.centres],
           {3: PERCENT}, {1: 50, 6: 40})
    _sheet(wb, _("Rimodulazioni"),
           [_("Codice"), _("Indicatore"), _("Anno"), _("Target originale"),
            _("Target rimodulato"), _("Data"), _("Motivazione")],
           [[v.code, v.name, v.year, v.previous, v.revised, v.revised_on, v.justification]
            for v in report.revisions], {6: DATE}, {2: 50, 7: 60})
    _sheet(wb, _("Qualità dei dati"),
           [_("Codice"), _("Indicatore"), _("Problema"), _("Dettaglio")],
           [[r.code, r.name, _("senza grado di raggiungimento"), r.reason]
            for r in report.not_scored]
           + [[r.code, r.name, _("valori non certificati"), r.state_text]
              for r in report.not_validated]
           + [[f["subject"], "", _("controllo del piano: %(s)s") % {"s": f["severity"]},
               f["message"]] for f in findings_rows(report)],
           widths={2: 50, 3: 30, 4: 80})
    texts = report.narrative.all()
    if texts:
        ws = _sheet(wb, _("Testi"), [_("Sezione"), _("Testo")],
                    [[t.title, plain(t)] for t in texts], widths={1: 40, 2: 120})
        for (cell,) in ws.iter_rows(min_row=2, min_col=2, max_col=2):
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
