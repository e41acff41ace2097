"""The report as a Word document (python-docx): real headings and tables, editable."""

from __future__ import annotations

import io
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt, RGBColor

from cruscotto.web.reports.data import Report, status_label
from cruscotto.web.reports.narrative import Text
from cruscotto.web.reports.tables import (
    chart_svgs,
    findings_rows,
    indicator_cells,
    indicator_headers,
    node_cells,
)

#: the charts' resolution in the DOCX (the SVG is 760 px wide: 2x for print)
CHART_SCALE = 2


def _chart(doc: object, svg: str, title: str) -> None:
    """The PDF's SVG chart as a PNG picture (CairoSVG), the width of the text."""
    import cairosvg

    png = cairosvg.svg2png(bytestring=svg.encode("utf-8"), scale=CHART_SCALE)
    doc.add_paragraph(title, style="Caption")  # type: ignore[attr-defined]
    doc.add_picture(io.BytesIO(png), width=Mm(180))  # type: ignore[attr-defined]
    # the picture's alternative text: its title (the figures are in the next table)
    inline = doc.inline_shapes[-1]  # type: ignore[attr-defined]
    inline._inline.docPr.set("descr", title)


def _text(doc: object, text: Text, *, heading: int | None) -> None:
    """A narrative section: its title as a heading, its Markdown as Word paragraphs."""
    if heading is not None:
        doc.add_heading(text.title, level=heading)  # type: ignore[attr-defined]
    styles = {"p": None, "ul": "List Bullet", "ol": "List Number", "quote": "Quote",
              "pre": None}
    for kind, runs in text.blocks():
        if kind.startswith("h") and kind[1:].isdigit():
            doc.add_heading("".join(t for t, _b, _i in runs).strip(),  # type: ignore
                            level=min(int(kind[1:]), 4))
            continue
        p = doc.add_paragraph(style=styles.get(kind))  # type: ignore[attr-defined]
        first = True
        for t, bold, italic in runs:
            if first:
                t = t.lstrip()
                first = False
            run = p.add_run(t)
            run.bold = bold or None
            run.italic = italic or None


def _table(doc: object, caption: str, headers: list[str], rows: list[list[str]],
           numeric: tuple[int, ...] = ()) -> None:
    doc.add_paragraph(caption, style="Caption")  # type: ignore[attr-defined]
    table = doc.add_table(rows=1, cols=len(headers))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    # repeat the header row on every page
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)
    for row in rows:
        cells = table.add_row().cells
        for i, (cell, text) in enumerate(zip(cells, row, strict=True)):
            cell.text = text
            if i in numeric:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for row in table.rows:
        for cell in row.cells:
            for p in cell.paragraphs:
                for run in p.runs:
                    run.font.size = Pt(8)


def _page_numbers(section: object) -> None:
    """A footer "Pagina N di M" with Word's own fields (updated when the file opens)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    p = section.footer.paragraphs[0]  # type: ignore[attr-defined]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for i, part in enumerate((_("Pagina") + " ", "PAGE", " " + _("di") + " ", "NUMPAGES")):
        if i % 2 == 0:
            p.add_run(part)
            continue
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), part)
        run = OxmlElement("w:r")
        text = OxmlElement("w:t")
        text.text = "1"
        run.append(text)
        field.append(run)
        p._p.append(field)


def _public_values(doc: Any, report: Report) -> None:
    """The public values (PIAO): references, figure and strategic objectives of each."""
    doc.add_heading(_("Valore pubblico"), level=1)
    doc.add_paragraph(_("Il grado di raggiungimento di ogni valore pubblico (PIAO) è la media "
                        "ponderata degli indicatori dei suoi obiettivi strategici."))
    for pv in report.public_values:
        doc.add_heading(_("Valore pubblico %(code)s %(title)s") % {
            "code": pv.node.code, "title": pv.node.title}, level=2)
        if pv.description:
            doc.add_paragraph(pv.description)
        doc.add_paragraph(
            _("Grado di raggiungimento: %(ach)s, stato %(status)s (%(n)s indicatori "
              "considerati).") % {"ach": pv.node.achievement_text,
                                  "status": pv.node.status_text, "n": pv.node.counted})
        if pv.bes:
            doc.add_paragraph(f"{_('Domini BES')}: {'; '.join(pv.bes)}")
        if pv.sdgs:
            doc.add_paragraph(
                f"{_('Obiettivi di sviluppo sostenibile (SDG)')}: {'; '.join(pv.sdgs)}")
        if pv.objectives:
            _table(doc, _("Obiettivi strategici del valore pubblico %(code)s") % {
                "code": pv.node.code},
                [_("Obiettivo strategico"), _("Raggiungimento"), _("Stato"), _("Indicatori")],
                [node_cells(n) for n in pv.objectives], numeric=(1, 3))
        else:
            doc.add_paragraph(_("Nessun obiettivo strategico."))


def to_docx(report: Report) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(15)
    doc.core_properties.title = report.title
    doc.core_properties.author = report.organisation
    doc.core_properties.language = "en-GB" if (translation.get_language() or "it").startswith(
        "en") else "it-IT"

    _page_numbers(section)
    doc.add_paragraph(report.organisation).runs[0].bold = True
    doc.add_paragraph(report.plan_title)
    doc.add_heading(report.title, level=0)
    if report.is_demo:
        run = doc.add_paragraph().add_run(
            _("DATI DIMOSTRATIVI") + " — "
            + _("valori inventati per provare Cruscotto, non risultati dell'ente."))
        run.bold = True
        run.font.color.rgb = RGBColor(0x8A, 0x52, 0x00)
    when = _("monitoraggio intermedio") if report.interim else _("fine anno")
    if report.edition:
        doc.add_paragraph().add_run(report.approval_text).bold = True
    basis = doc.add_paragraph().add_run(f"{_('Base dei dati')}: {report.basis_label}")
    basis.bold = True
    doc.add_paragraph(f"{_('Periodo di riferimento')}: {report.period_text} ({when})")
    doc.add_paragraph(f"{_('Base dei dati')}: {report.basis_text}")
    doc.add_paragraph(f"{_('Documento prodotto il')}: {report.generated_text}")
    doc.add_page_break()

    for t in report.narrative.opening:
        _text(doc, t, heading=1)

    org = report.organisation_node
    doc.add_heading(_("Sintesi"), level=1)
    doc.add_paragraph(
        _("Grado di raggiungimento complessivo dell'ente (%(org)s): %(ach)s, stato "
          "%(status)s, su %(n)s indicatori.") % {
            "org": report.organisation, "ach": org.achievement_text,
            "status": org.status_text, "n": org.counted})
    _table(doc, _("Indicatori per stato"), [_("Stato"), _("Indicatori")],
           [[status_label(s), str(n)] for s, n in report.status_counts], numeric=(1,))
    charts = chart_svgs(report)
    node_heads = [_("Missione"), _("Raggiungimento"), _("Stato"), _("Indicatori")]
    _chart(doc, charts["missions"][1], charts["missions"][0])
    _table(doc, _("Grado di raggiungimento per missione"), node_heads,
           [node_cells(n) for n in report.missions], numeric=(1, 3))
    _chart(doc, charts["strategic"][1], charts["strategic"][0])
    _table(doc, _("Grado di raggiungimento per obiettivo strategico"),
           [_("Obiettivo strategico"), *node_heads[1:]],
           [node_cells(n) for n in report.strategic], numeric=(1, 3))

    heads = indicator_headers(interim=report.interim)
    if report.interim:
        doc.add_heading(_("Indicatori a rischio"), level=1)
        if report.at_risk:
            _table(doc, _("Indicatori con stato rosso o giallo, o con una previsione di fine "
                          "anno che non raggiunge il target"), heads,
                   [indicator_cells(r, interim=True) for r in report.at_risk],
                   numeric=(2, 3))
        else:
            doc.add_paragraph(_("Nessun indicatore a rischio."))

    if report.public_values:
        _public_values(doc, report)

    doc.add_heading(_("Risultati per obiettivo strategico"), level=1)
    for s in report.sections:
        doc.add_heading(_("Obiettivo strategico %(code)s %(title)s") % {
            "code": s.node.code, "title": s.node.title}, level=2)
        doc.add_paragraph(
            _("Grado di raggiungimento: %(ach)s, stato %(status)s (%(n)s indicatori "
              "considerati).") % {"ach": s.node.achievement_text,
                                  "status": s.node.status_text, "n": s.node.counted})
        if s.comment is not None:
            _text(doc, s.comment, heading=None)
        _table(doc, _("Indicatori dell'obiettivo strategico %(code)s") % {"code": s.node.code},
               heads, [indicator_cells(r, interim=report.interim) for r in s.indicators],
               numeric=(2, 3))

    doc.add_heading(_("Sintesi per centro di responsabilità"), level=1)
    _table(doc, _("Grado di raggiungimento degli indicatori assegnati a ciascun centro"),
           [_("Centro di responsabilità"), _("Raggiungimento"), _("Stato"), _("Indicatori"),
            _("Indicatori del centro")],
           [[*node_cells(c.node), c.codes]
            for c in report.centres], numeric=(1, 3))

    doc.add_heading(_("Rimodulazioni dei target"), level=1)
    if report.revisions:
        _table(doc, _("Target %(year)s rimodulati, con la motivazione") % {"year": report.year},
               [_("Indicatore"), _("Target originale"), _("Target rimodulato"), _("Data"),
                _("Motivazione")],
               [[f"{v.code} {v.name}", v.previous or "—", v.revised,
                 v.revised_on.strftime("%d/%m/%Y"), v.justification]
                for v in report.revisions])
    else:
        doc.add_paragraph(_("Nessun target %(year)s rimodulato.") % {"year": report.year})

    for t in report.narrative.closing:
        _text(doc, t, heading=1)

    doc.add_heading(_("Allegato: qualità dei dati"), level=1)
    doc.add_heading(_("Indicatori senza grado di raggiungimento"), level=2)
    if report.not_scored:
        _table(doc, _("Indicatori non misurati, non calcolabili o senza target, e perché"),
               [_("Indicatore"), _("Motivo")],
               [[f"{r.code} {r.name}", r.reason] for r in report.not_scored])
    else:
        doc.add_paragraph(_("Tutti gli indicatori hanno un grado di raggiungimento."))
    doc.add_heading(_("Valori non ancora certificati"), level=2)
    if report.not_validated:
        _table(doc, _("Indicatori i cui valori non sono ancora certificati"),
               [_("Indicatore"), _("Stato dei dati"), _("Nella relazione")],
               [[f"{r.code} {r.name}", r.state_text,
                 _("esclusi") if r.hidden else _("inclusi, da confermare")]
                for r in report.not_validated])
    else:
        doc.add_paragraph(_("Tutti i valori sono certificati."))
    doc.add_heading(_("Controlli sul piano"), level=2)
    rows = findings_rows(report, grouped=True)
    if rows:
        _table(doc, _("Segnalazioni del controllo automatico del piano"),
               [_("Elemento"), _("Gravità"), _("Segnalazione")],
               [[f["subject"] or "—", f["severity"],
                 f"{f['message']} {f['subjects']}".strip()] for f in rows])
    else:
        doc.add_paragraph(_("Nessuna segnalazione."))

    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
