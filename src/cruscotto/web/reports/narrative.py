"""The Relazione's narrative: the text the planning office writes around the figures.

For each plan year: a presentation, the context, a comment on each strategic
objective, the conclusions and free sections, written in Markdown in the
browser. Every save is a new :class:`~.models.NarrativeVersion` (author and
date), never an overwrite; the latest version of each section is the text in
force, and an empty one removes the section. The Markdown becomes HTML with the
``markdown`` library and is cleaned by ``nh3`` (an allow-list of tags, no
attributes but links' ``href``), so a section can never carry a script into the
page or the PDF (docs/decisions/0005-relazione-markdown-and-chart-images.md).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from django.db import transaction
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from cruscotto.web.reports.models import NARRATIVE_LENGTH, TITLE_LENGTH, NarrativeVersion

PRESENTATION, CONTEXT, CONCLUSIONS = "presentazione", "contesto", "conclusioni"
OBJECTIVE_PREFIX, FREE_PREFIX = "obiettivo-", "libera-"
#: at most this many free sections in a year
FREE_SECTIONS = 10

#: what a section's HTML may hold: text structure, no attributes but a link's target
TAGS = {"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "blockquote", "h3", "h4",
        "h5", "h6", "a", "code", "pre", "hr", "table", "thead", "tbody", "tr", "th", "td"}
ATTRIBUTES = {"a": {"href"}}


class NarrativeError(Exception):
    """A section refused (too long, a title missing): names the section and the limit."""


def fixed_title(key: str) -> str:
    return {PRESENTATION: _("Presentazione"), CONTEXT: _("Contesto"),
            CONCLUSIONS: _("Conclusioni")}[key]


def to_html(text: str) -> SafeString:
    """Markdown as clean HTML: headings start at level 3 (the report's sections are 1-2)."""
    import markdown
    import nh3

    html = markdown.markdown(text, extensions=["sane_lists", "tables"],
                             output_format="html")
    for level in (2, 1):  # a writer's "# Title" sits under the report's own headings
        html = html.replace(f"<h{level}>", f"<h{level + 2}>").replace(
            f"</h{level}>", f"</h{level + 2}>")
    clean = nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES,
                      url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer")
    return mark_safe(clean)  # noqa: S308 - nh3 kept only the allow-listed tags


@dataclass(frozen=True)
class Text:
    """A section in force: its Markdown, its clean HTML and its last version."""

    key: str
    title: str
    markdown: str
    version: int
    written_at: datetime.datetime | None
    written_by: str

    @property
    def html(self) -> SafeString:
        return to_html(self.markdown)

    def blocks(self) -> list[tuple[str, list[tuple[str, bool, bool]]]]:
        """The section as blocks for a Word or text renderer (see :func:`blocks`)."""
        return blocks(str(self.html))


@dataclass(frozen=True)
class Narrative:
    presentation: Text | None = None
    context: Text | None = None
    conclusions: Text | None = None
    objectives: dict[str, Text] = field(default_factory=dict)
    free: tuple[Text, ...] = ()

    @property
    def opening(self) -> tuple[Text, ...]:
        """What comes before the figures: the presentation and the context."""
        return tuple(t for t in (self.presentation, self.context) if t is not None)

    @property
    def closing(self) -> tuple[Text, ...]:
        """What comes after the figures: the conclusions, then the free sections."""
        return tuple(t for t in (self.conclusions, *self.free) if t is not None)

    def all(self) -> tuple[Text, ...]:
        return (*self.opening, *(self.objectives[c] for c in sorted(self.objectives)),
                *self.closing)


def _latest(plan_id: int, year: int) -> list[NarrativeVersion]:
    """Each section's latest version, in one query (a year holds a few sections, each
    with its versions: a few hundred rows at most)."""
    latest: dict[str, NarrativeVersion] = {}
    for r in NarrativeVersion.objects.filter(plan_id=plan_id, year=year).select_related(
            "written_by").order_by("section", "version"):
        latest[r.section] = r
    return list(latest.values())


def _who(row: NarrativeVersion) -> str:
    u = row.written_by
    if u is None:
        return _("riga di comando")
    return str(u.get_full_name() or u.get_username())


def current(plan_id: int, year: int, *, objective_titles: dict[str, str] | None = None
            ) -> Narrative:
    """The narrative in force for ``year``: each section's latest version, if not empty."""
    titles = objective_titles or {}
    texts: dict[str, Text] = {}
    for row in _latest(plan_id, year):
        if not row.text.strip():
            continue
        key = row.section
        if key in (PRESENTATION, CONTEXT, CONCLUSIONS):
            title = fixed_title(key)
        elif key.startswith(OBJECTIVE_PREFIX):
            code = key.removeprefix(OBJECTIVE_PREFIX)
            title = _("Commento all'obiettivo strategico %(code)s %(title)s") % {
                "code": code, "title": titles.get(code, "")}
        else:
            title = row.title
        texts[key] = Text(key, title.strip(), row.text, row.version, row.written_at,
                          _who(row))
    free = sorted((t for k, t in texts.items() if k.startswith(FREE_PREFIX)),
                  key=lambda t: int(t.key.removeprefix(FREE_PREFIX)))
    return Narrative(
        presentation=texts.get(PRESENTATION), context=texts.get(CONTEXT),
        conclusions=texts.get(CONCLUSIONS),
        objectives={k.removeprefix(OBJECTIVE_PREFIX): t for k, t in texts.items()
                    if k.startswith(OBJECTIVE_PREFIX)},
        free=tuple(free))


@dataclass(frozen=True)
class Slot:
    """A section as the editing form shows it: the text in force and its last change."""

    key: str
    label: str
    title: str
    text: str
    version: int
    written_at: datetime.datetime | None
    written_by: str
    free: bool


def slots(plan_id: int, year: int, objectives: Iterable[tuple[str, str]]) -> list[Slot]:
    """Every section the office may write for ``year``, with what it holds now: the
    fixed ones, one per strategic objective (``code``, ``title``), the free sections
    written so far and one more, empty, to start a new one."""
    rows = {r.section: r for r in _latest(plan_id, year)}

    def slot(key: str, label: str, free: bool = False) -> Slot:
        r = rows.get(key)
        return Slot(key, label, r.title if r else "", r.text if r else "",
                    r.version if r else 0, r.written_at if r else None,
                    _who(r) if r else "", free)

    out = [slot(PRESENTATION, fixed_title(PRESENTATION)), slot(CONTEXT, fixed_title(CONTEXT))]
    out += [slot(f"{OBJECTIVE_PREFIX}{code}",
                 _("Commento all'obiettivo strategico %(code)s %(title)s") % {
                     "code": code, "title": title}) for code, title in objectives]
    out.append(slot(CONCLUSIONS, fixed_title(CONCLUSIONS)))
    used = sorted(int(k.removeprefix(FREE_PREFIX)) for k in rows if k.startswith(FREE_PREFIX))
    for n in used:
        out.append(slot(f"{FREE_PREFIX}{n}", _("Sezione libera %(n)s") % {"n": n}, True))
    if len(used) < FREE_SECTIONS:
        n = (used[-1] if used else 0) + 1
        out.append(slot(f"{FREE_PREFIX}{n}", _("Nuova sezione libera"), True))
    return out


def check(slot_list: list[Slot], posted: dict[str, tuple[str, str]]) -> list[str]:
    """What is wrong with the posted sections (``key`` -> (title, text)), one line each."""
    labels = {s.key: s.label for s in slot_list}
    problems = []
    for key, (title, text) in posted.items():
        if key not in labels:
            problems.append(_("Sezione %(key)s sconosciuta.") % {"key": key})
            continue
        if len(text) > NARRATIVE_LENGTH:
            problems.append(_("%(section)s: al massimo %(n)s caratteri (sono %(len)s).") % {
                "section": labels[key], "n": f"{NARRATIVE_LENGTH:,}".replace(",", "."),
                "len": f"{len(text):,}".replace(",", ".")})
        if len(title) > TITLE_LENGTH:
            problems.append(_("%(section)s: il titolo al massimo %(n)s caratteri.") % {
                "section": labels[key], "n": TITLE_LENGTH})
        if key.startswith(FREE_PREFIX) and text.strip() and not title.strip():
            problems.append(_("%(section)s: scrivi un titolo per la sezione.") % {
                "section": labels[key]})
    return problems


def save(*, plan_id: int, year: int, user: Any, slot_list: list[Slot],
         posted: dict[str, tuple[str, str]]) -> list[str]:
    """Store a new version of every section whose title or text changed; all or nothing.

    Returns the labels of the sections saved. Refused (:class:`NarrativeError`, every
    problem on its own line) when a section is too long or a free one has no title.
    """
    problems = check(slot_list, posted)
    if problems:
        raise NarrativeError("\n".join(problems))
    by_key = {s.key: s for s in slot_list}
    saved = []
    with transaction.atomic():
        for key, (title, text) in posted.items():
            s = by_key[key]
            text = text.replace("\r\n", "\n").strip("\n")
            title = " ".join(title.split())
            if text == s.text and title == s.title:
                continue
            if not s.version and not text.strip():
                continue
            NarrativeVersion.objects.create(
                plan_id=plan_id, year=year, section=key, title=title, text=text,
                version=s.version + 1,
                written_by=user if getattr(user, "is_authenticated", False) else None)
            saved.append(s.label)
    return saved


def history(plan_id: int, year: int) -> list[NarrativeVersion]:
    """Every version written for ``year``, latest first."""
    return list(NarrativeVersion.objects.filter(plan_id=plan_id, year=year).select_related(
        "written_by").order_by("-written_at", "-pk"))


# -- the clean HTML as blocks, for Word ----------------------------------------------------

#: a run of text: (text, bold, italic)
Run = tuple[str, bool, bool]


class _Blocks(HTMLParser):
    """The clean HTML of a section as (kind, runs) blocks: kind is ``p``, ``h3``-``h6``,
    ``ul``, ``ol`` (a list item), ``quote`` or ``pre``."""

    BLOCKS = {"p", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "tr"}

    def __init__(self) -> None:
        super().__init__()
        self.out: list[tuple[str, list[Run]]] = []
        self.runs: list[Run] = []
        self.kind = "p"
        self.lists: list[str] = []
        self.bold = self.italic = 0
        self.quote = 0

    def _flush(self) -> None:
        if any(t.strip() for t, _b, _i in self.runs):
            self.out.append((self.kind, self.runs))
        self.runs = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("ul", "ol"):
            self._flush()
            self.lists.append(tag)
        elif tag in self.BLOCKS:
            self._flush()
            if tag == "li":
                self.kind = self.lists[-1] if self.lists else "ul"
            elif tag == "blockquote":
                self.quote += 1
                self.kind = "quote"
            elif tag in ("p", "tr"):
                self.kind = "quote" if self.quote else ("p" if not self.lists else self.kind)
            else:
                self.kind = tag
        elif tag in ("strong", "b"):
            self.bold += 1
        elif tag in ("em", "i"):
            self.italic += 1
        elif tag == "br":
            self.runs.append(("\n", False, False))
        elif tag in ("td", "th") and self.runs:
            self.runs.append((" | ", False, False))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("ul", "ol"):
            self._flush()
            if self.lists:
                self.lists.pop()
            self.kind = "p"
        elif tag in self.BLOCKS:
            self._flush()
            if tag == "blockquote":
                self.quote -= 1
            self.kind = "quote" if self.quote else "p"
        elif tag in ("strong", "b"):
            self.bold -= 1
        elif tag in ("em", "i"):
            self.italic -= 1

    def handle_data(self, data: str) -> None:
        if self.kind != "pre":
            data = " ".join(data.split("\n"))
        if data:
            self.runs.append((data, self.bold > 0, self.italic > 0))

    def close(self) -> None:
        super().close()
        self._flush()


def blocks(html: str) -> list[tuple[str, list[Run]]]:
    parser = _Blocks()
    parser.feed(html)
    parser.close()
    return parser.out


def plain(text: Text) -> str:
    """A section as plain text (a spreadsheet cell): its blocks, one per line."""
    lines = []
    for kind, runs in text.blocks():
        line = "".join(t for t, _b, _i in runs).strip()
        lines.append(f"• {line}" if kind in ("ul", "ol") else line)
    return "\n".join(lines)
