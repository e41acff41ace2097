"""Import a plan from the text extracted from a published *Piano della Performance*.

The input is what a PDF-to-text tool gives for the plan's indicator tables:
one line per table row, cells separated by tabs, narrative paragraphs as
plain lines, with the extraction's damage left in (see docs/seed-import.md).

The importer works in three passes:

1. **classify** every line (mission, programme, strategic objective header,
   narrative, operational objective header, column headings, indicator row,
   blank, stray text), keeping its line number;
2. **assemble** blocks: each strategic objective occurrence with its narrative
   and policy areas, each operational objective block with its title evidence
   and indicator rows, under the mission and programme in force;
3. **resolve** what the damage left open — codes from their position and
   neighbours, titles from the narrative, centres glued together — recording
   every repair as a finding, and every problem it cannot settle as an error.

Every input line ends up used by an entity or listed as ignored with a reason.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from cruscotto.core.findings import Finding, Severity
from cruscotto.core.messages import Message, gettext_noop, msg
from cruscotto.core.plan import (
    Indicator,
    Mission,
    OperationalObjective,
    Organisation,
    Plan,
    Programme,
    SourceRef,
    StrategicObjective,
    code_sort_key,
    validate_plan,
)
from cruscotto.io.errors import InputError

KNOWN_KINDS = {
    "efficacia", "efficienza", "qualità percepita", "risultato", "efficacia qualitativa",
    "economicità", "qualità", "stato delle risorse",
}
KNOWN_UNITS = {"percentuale", "numero", "valore", "realizzazione", "euro", "giorni"}

_MISSION_CELL = re.compile(r"^(\d{3})\s+(\S.*)$")
_STRATEGIC_CELL = re.compile(r"^(\d{1,2})\.\s+(\D.*)$")
_OP_HEADER = re.compile(
    r"(?:^|\s)(\d{1,2})\.(\d{1,2})\.?\s+([A-ZÀ-Ý][A-ZÀ-Ý0-9 ,&'()/-]*?[A-ZÀ-Ý)])\s*:\s*(.*)$")
_AREA_PARA = re.compile(r"^([A-ZÀ-Ý][A-ZÀ-Ý0-9 ,&'()/-]*?[A-ZÀ-Ý)])\s*:\s*(.+)$")
_IND_CODE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{1,2})$")
_DAMAGED_CODE = re.compile(r"^[\d .]*\d[\d .]*$")
_YEAR = re.compile(r"^(19|20)\d\d$")
_TAG = re.compile(r"<[^>]+>")
_DECLINATION = "declinazione in obiettivi operativi"

#: an indicator's fields, as the import names them for people
_FIELD_WORDS = {"name": msg(gettext_noop("nome")),
                "description": msg(gettext_noop("descrizione")),
                "type": msg(gettext_noop("tipo")), "unit": msg(gettext_noop("unità di misura")),
                "calculation rule": msg(gettext_noop("algoritmo di calcolo"))}


@dataclass
class ImportResult:
    plan: Plan
    findings: list[Finding]
    #: 1-based line number → what it was used for
    used: dict[int, str]
    #: 1-based line number → why it was not used
    ignored: dict[int, str]

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]

    def as_dict(self) -> dict[str, object]:
        counts = Counter(f.severity.value for f in self.findings)
        return {
            "file": self.plan.source.file,
            "summary": {
                "indicators": len(self.plan.indicators),
                "operational_objectives": len(self.plan.operational_objectives),
                "strategic_objectives": len(self.plan.strategic_objectives),
                "missions": len(self.plan.missions),
                "lines_used": len(self.used),
                "lines_ignored": len(self.ignored),
                "errors": counts.get("error", 0),
                "warnings": counts.get("warning", 0),
                "info": counts.get("info", 0),
            },
            "findings": [f.as_dict() for f in self.findings],
        }


# -- small text helpers --------------------------------------------------------

def _clean(cell: str) -> str:
    return re.sub(r"\s+", " ", cell).strip()


def _strip_tags(text: str) -> str:
    return _clean(html.unescape(_TAG.sub("", text)))


def _letters(text: str) -> str:
    """Lower-case letters and digits only: spaces and punctuation lost in extraction vanish."""
    norm = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in norm if ch.isalnum())


def _grams(text: str, n: int = 6) -> set[str]:
    s = _letters(text)
    return {s[i:i + n] for i in range(max(0, len(s) - n + 1))}


def _containment(part: str, evidence: set[str]) -> float:
    """Share of ``part``'s 6-grams found in the evidence."""
    g = _grams(part)
    return len(g & evidence) / len(g) if g else 0.0


def _parse_euro(text: str) -> Decimal | None:
    m = re.search(r"€\s*([\d.,]+)", text)
    if not m:
        return None
    raw = m.group(1).replace(".", "").replace(",", ".")
    try:
        return Decimal(raw)
    except InvalidOperation:
        return None


# -- pass 1: lines ----------------------------------------------------------------

@dataclass
class _Line:
    no: int
    raw: str
    cells: list[str]  # tab-split, cleaned, trailing empties removed

    @property
    def tabbed(self) -> bool:
        return "\t" in self.raw

    @property
    def first(self) -> str:
        for c in self.cells:
            if c:
                return c
        return ""

    @property
    def joined(self) -> str:
        return _clean(" ".join(c for c in self.cells if c))


@dataclass
class _Area:
    label: str
    clauses: list[str]
    line: int

    @property
    def text(self) -> str:
        return " - ".join(self.clauses)


@dataclass
class _StrategicOcc:
    raw_code: str
    title: str
    line: int
    mission: str
    paragraphs: list[str] = field(default_factory=list)
    areas: list[_Area] = field(default_factory=list)
    code: str = ""


@dataclass
class _Row:
    line: _Line
    raw_code: str
    code: str = ""


@dataclass
class _OpBlock:
    strategic: _StrategicOcc
    mission: str
    programme: str
    first_line: int
    explicit_code: str = ""  # as written, e.g. "15.1"
    label: str = ""
    title_text: str = ""
    whole: bool = False  # the title sits whole in one cell with nothing else on its line
    evidence: list[str] = field(default_factory=list)
    evidence_lines: list[int] = field(default_factory=list)
    rows: list[_Row] = field(default_factory=list)
    code: str = ""


class _Importer:
    def __init__(self, text: str, filename: str) -> None:
        self.filename = filename
        self.findings: list[Finding] = []
        self.used: dict[int, str] = {}
        self.ignored: dict[int, str] = {}
        self.lines = [
            _Line(i, raw, self._cells(raw))
            for i, raw in enumerate(text.splitlines(), start=1)
        ]
        self.missions: dict[str, Mission] = {}
        self.mission_order: list[str] = []
        self.occurrences: list[_StrategicOcc] = []
        self.blocks: list[_OpBlock] = []
        self.years: Counter[tuple[int, ...]] = Counter()

    @staticmethod
    def _cells(raw: str) -> list[str]:
        cells = [_clean(c) for c in raw.split("\t")]
        while cells and not cells[-1]:
            cells.pop()
        return cells

    def find(self, sev: Severity, kind: str, message: str, line: int | None,
             subject: str = "", text: Message | None = None) -> None:
        """A finding: ``message`` in English for developers, ``text`` for people (an
        Italian template, printed in the language asked for)."""
        self.findings.append(Finding(sev, kind, message, line, subject, text=text))

    def ignore(self, line: int, reason: str) -> None:
        self.ignored[line] = reason
        self.find(Severity.INFO, "line-ignored", reason, line,
                  text=msg(gettext_noop("riga ignorata: %(reason)s"), reason=reason))

    # -- pass 1 + 2 ------------------------------------------------------------
    def scan(self) -> None:
        mission = programme = ""
        occ: _StrategicOcc | None = None
        block: _OpBlock | None = None
        in_narrative = False
        after_declination = False
        for ln in self.lines:
            if not ln.raw.strip():
                self.ignore(ln.no, "blank line")
                continue
            low_first = ln.first.lower()
            if not ln.tabbed:
                if in_narrative and occ is not None:
                    text = _clean(ln.raw)
                    occ.paragraphs.append(text)
                    self.used[ln.no] = f"narrative of strategic objective {occ.raw_code or '?'}"
                    if _DECLINATION in text.lower():
                        after_declination = True
                    elif after_declination and (m := _AREA_PARA.match(text)):
                        clauses = [_clean(c) for c in re.split(r"\s+-\s+", m.group(2))]
                        occ.areas.append(_Area(_clean(m.group(1)), clauses, ln.no))
                else:
                    self.ignore(ln.no, f"text outside any table or narrative: {_clean(ln.raw)!r}")
                continue
            in_narrative = False

            # mission / programme headers
            code_cell = next((c for c in ln.cells if _MISSION_CELL.match(c)), None)
            if low_first.startswith("mis") and code_cell:
                m = _MISSION_CELL.match(code_cell)
                assert m
                mission = self._mission(m.group(1), m.group(2), ln)
                continue
            if low_first.startswith("prog") and code_cell:
                m = _MISSION_CELL.match(code_cell)
                assert m
                programme = self._programme(mission, m.group(1), ln)
                continue

            # column headings of an indicator table
            if any(c.startswith("Indicatori") for c in ln.cells) and (
                    "Centro di responsabilit" in ln.raw or "Algoritmo" in ln.raw):
                years = tuple(int(c) for c in ln.cells if _YEAR.match(c))
                if years:
                    self.years[years] += 1
                self.used[ln.no] = "column headings" + (
                    f" (plan years {', '.join(map(str, years))})" if years else "")
                continue

            # operational objective header (with or without its code)
            op = _OP_HEADER.search(ln.joined)
            is_op_label = "operativo" in low_first or (op is not None and "obiett" in low_first)
            if op or is_op_label:
                if occ is None:
                    self.ignore(ln.no, "operational objective before any strategic objective")
                    continue
                if block is None or block.rows or op:
                    block = _OpBlock(occ, mission, programme, ln.no)
                    self.blocks.append(block)
                self._op_evidence(block, ln, op)
                continue

            # strategic objective header
            if ("obiet" in low_first or "iettiv" in low_first or "strateg" in low_first):
                cell = next((c for c in ln.cells if _STRATEGIC_CELL.match(c)), None)
                code = title = ""
                if cell:
                    m = _STRATEGIC_CELL.match(cell)
                    assert m
                    code, title = m.group(1), _clean(m.group(2))
                occ = _StrategicOcc(code, title, ln.no, mission)
                self.occurrences.append(occ)
                block = None
                in_narrative, after_declination = True, False
                self.used[ln.no] = f"strategic objective {code or '(code lost)'}"
                continue

            # indicator rows
            if ln.cells and (_DAMAGED_CODE.match(ln.cells[0]) or (
                    not ln.cells[0] and len(ln.cells) >= 10)):
                if occ is None:
                    self.ignore(ln.no, "indicator row before any strategic objective")
                    continue
                if block is None:
                    block = _OpBlock(occ, mission, programme, ln.no)
                    self.blocks.append(block)
                block.rows.append(_Row(ln, ln.cells[0]))
                self.used[ln.no] = "indicator row"
                continue

            self.ignore(ln.no, f"unrecognised table row: {ln.joined[:80]!r}")

    def _mission(self, code: str, name: str, ln: _Line) -> str:
        name = _clean(" ".join([name, *ln.cells[ln.cells.index(next(
            c for c in ln.cells if c.startswith(code))) + 1:]]))
        if code not in self.missions:
            self.missions[code] = Mission(code, name, source=SourceRef(self.filename, ln.no))
            self.mission_order.append(code)
            self.used[ln.no] = f"mission {code}"
        else:
            self.used[ln.no] = f"mission {code} (repeated heading)"
            if _letters(name) != _letters(self.missions[code].name):
                self.find(Severity.INFO, "heading-repeated",
                          f"mission {code} repeated with a different name {name!r}; "
                          f"kept {self.missions[code].name!r}", ln.no, code,
                          msg(gettext_noop("missione %(code)s ripetuta con un altro nome "
                                           "«%(name)s»; tenuto «%(kept)s»"),
                              code=code, name=name, kept=self.missions[code].name))
        return code

    def _programme(self, mission: str, code: str, ln: _Line) -> str:
        if not mission:
            self.ignore(ln.no, f"programme {code} before any mission")
            return code
        start = next(i for i, c in enumerate(ln.cells) if c.startswith(code))
        name_cells: list[str] = []
        budget_text = ""
        label = ""
        for c in ln.cells[start:]:
            if "€" in c:
                budget_text = c
            elif c.lower().startswith("interventi econ"):
                label = c
            elif c:
                name_cells.append(c)
        name = _clean(" ".join(name_cells))[len(code):].strip()
        budget = _parse_euro(budget_text)
        budget_text = _clean(budget_text.replace("€", "€ ")) if budget_text else ""
        mis = self.missions[mission]
        existing = next((p for p in mis.programmes if p.code == code), None)
        if existing is None:
            mis.programmes.append(Programme(code, name, budget, budget_text,
                                            SourceRef(self.filename, ln.no)))
            self.used[ln.no] = f"programme {mission}-{code}"
            if label:
                self.find(Severity.INFO, "budget-label",
                          f"programme {mission}-{code}: budget figure {budget_text} is labelled "
                          f"{label!r}", ln.no, f"{mission}-{code}",
                          msg(gettext_noop("programma %(code)s: lo stanziamento %(budget)s è "
                                           "indicato come «%(label)s»"),
                              code=f"{mission}-{code}", budget=budget_text, label=label))
        else:
            self.used[ln.no] = f"programme {mission}-{code} (repeated heading)"
            if budget != existing.budget:
                self.find(Severity.WARNING, "budget-differs",
                          f"programme {mission}-{code} repeated with budget {budget_text}, "
                          f"first given as {existing.budget_text}; kept the first", ln.no,
                          f"{mission}-{code}",
                          msg(gettext_noop("programma %(code)s ripetuto con stanziamento "
                                           "%(budget)s, prima indicato come %(first)s; tenuto "
                                           "il primo"), code=f"{mission}-{code}",
                              budget=budget_text, first=existing.budget_text))
        return code

    def _op_evidence(self, block: _OpBlock, ln: _Line, op: re.Match[str] | None) -> None:
        if op:
            block.explicit_code = f"{op.group(1)}.{op.group(2)}"
            block.label = _clean(op.group(3))
            block.title_text = _clean(op.group(4))
            # whole: label and title inside one cell, nothing after it on the line
            cell_idx = next((i for i, c in enumerate(ln.cells)
                             if f"{op.group(2)}" in c and block.label.split()[0] in c), -1)
            block.whole = (
                cell_idx >= 0
                and block.title_text in ln.cells[cell_idx]
                and not any(ln.cells[cell_idx + 1:])
            )
            prefix = ln.joined[:op.start()].strip()
            prefix_words = re.sub(r"(?i)\bobiettivo\b|\boperativo\b", "", prefix).strip()
            if prefix_words:
                self.find(Severity.INFO, "junk-dropped",
                          f"text before operational objective {block.explicit_code} dropped as "
                          f"extraction debris: {prefix_words[:60]!r}", ln.no,
                          text=msg(gettext_noop("testo prima dell'obiettivo operativo %(code)s "
                                                "scartato come residuo dell'estrazione: "
                                                "«%(text)s»"),
                                   code=block.explicit_code, text=prefix_words[:60]))
        block.evidence.append(ln.joined)
        block.evidence_lines.append(ln.no)
        self.used[ln.no] = "operational objective heading"

    # -- pass 3: resolution -------------------------------------------------------
    def resolve(self) -> Plan:
        years = list(self.years.most_common(1)[0][0]) if self.years else []
        if not years:
            self.find(Severity.ERROR, "no-years",
                      "no column headings with plan years (e.g. 2021 2022 2023) found", None,
                      text=msg(gettext_noop("nessuna intestazione di colonna con gli anni del "
                                            "piano (per esempio 2021 2022 2023)")))
        self._resolve_strategic_codes()
        self._resolve_op_codes()
        self._resolve_indicator_codes()
        strategic = self._build_strategic()
        operational = self._build_operational()
        indicators = self._build_indicators(years)
        self._merge_centre_spellings(indicators)

        plan = Plan(
            organisation=Organisation(name=""),
            title="",
            years=years,
            missions=[self.missions[c] for c in self.mission_order],
            strategic_objectives=strategic,
            operational_objectives=operational,
            indicators=indicators,
            source=SourceRef(self.filename, None),
        )
        plan.sync_registries()
        for problem in validate_plan(plan):
            self.find(Severity.ERROR, "plan-invalid", str(problem), None,
                      text=msg(gettext_noop("struttura del piano: %(problem)s"),
                               problem=problem))
        return plan

    def _resolve_strategic_codes(self) -> None:
        for i, occ in enumerate(self.occurrences):
            firsts = Counter(
                m.group(1) for b in self.blocks if b.strategic is occ for r in b.rows
                if (m := _IND_CODE.match(r.raw_code)))
            evidence = firsts.most_common(1)[0][0] if firsts else ""
            if occ.raw_code and (not evidence or evidence == occ.raw_code):
                occ.code = occ.raw_code
            elif evidence:
                occ.code = evidence
                if occ.raw_code:
                    self.find(Severity.WARNING, "code-repaired",
                              f"strategic objective written {occ.raw_code!r} read as "
                              f"{evidence}: its indicators are coded {evidence}.x.y", occ.line,
                              evidence, msg(gettext_noop(
                                  "obiettivo strategico scritto «%(raw)s» letto come %(code)s: "
                                  "i suoi indicatori hanno codice %(code)s.x.y"),
                                  raw=occ.raw_code, code=evidence))
                else:
                    self.find(Severity.WARNING, "code-recovered",
                              f"strategic objective without a code read as {evidence}: "
                              f"its indicators are coded {evidence}.x.y", occ.line, evidence,
                              msg(gettext_noop("obiettivo strategico senza codice letto come "
                                               "%(code)s: i suoi indicatori hanno codice "
                                               "%(code)s.x.y"), code=evidence))
            else:
                occ.code = occ.raw_code or f"?{i + 1}"
                self.find(Severity.ERROR, "code-unresolved",
                          f"strategic objective {occ.raw_code or '(no code)'} has no indicator "
                          f"to confirm its code", occ.line, occ.code,
                          msg(gettext_noop("l'obiettivo strategico %(code)s non ha indicatori "
                                           "che ne confermino il codice"),
                              code=occ.raw_code or "—"))

    def _resolve_op_codes(self) -> None:
        for b in self.blocks:
            s = b.strategic.code
            prefixes = Counter(
                f"{m.group(1)}.{m.group(2)}" for r in b.rows
                if (m := _IND_CODE.match(r.raw_code)))
            from_rows = prefixes.most_common(1)[0][0] if prefixes else ""
            written = b.explicit_code
            if written and (written == from_rows or (not from_rows and written.split(".")[0] == s)):
                b.code = written
                continue
            if written and not from_rows and written.startswith("1") and \
                    written[1:].split(".")[0] == s:
                b.code = written[1:]
                self.find(Severity.WARNING, "code-repaired",
                          f"operational objective written {written!r} read as {b.code}: "
                          f"it sits under strategic objective {s} (a stray leading 1)",
                          b.evidence_lines[0], b.code,
                          msg(gettext_noop("obiettivo operativo scritto «%(raw)s» letto come "
                                           "%(code)s: sta sotto l'obiettivo strategico %(s)s "
                                           "(un 1 iniziale di troppo)"),
                              raw=written, code=b.code, s=s))
                continue
            if from_rows:
                b.code = from_rows
                if written:
                    self.find(Severity.WARNING, "code-repaired",
                              f"operational objective written {written!r} read as {from_rows}: "
                              f"its indicators are coded {from_rows}.x", b.first_line, from_rows,
                              msg(gettext_noop("obiettivo operativo scritto «%(raw)s» letto "
                                               "come %(code)s: i suoi indicatori hanno codice "
                                               "%(code)s.x"), raw=written, code=from_rows))
                continue
            # no code written and no well-formed indicator code: try the damaged codes
            digits = [re.sub(r"\D", "", r.raw_code) for r in b.rows if r.raw_code]
            guesses = {d[-3:-1] for d in digits if len(d) >= 3 and d[-3] == s}
            if len(guesses) == 1:
                g = guesses.pop()
                b.code = f"{g[0]}.{g[1]}"
                self.find(Severity.WARNING, "code-recovered",
                          f"operational objective without a heading read as {b.code} from "
                          f"its indicator code(s) {', '.join(repr(r.raw_code) for r in b.rows)}",
                          b.first_line, b.code,
                          msg(gettext_noop("obiettivo operativo senza intestazione letto come "
                                           "%(code)s dai codici dei suoi indicatori %(codes)s"),
                              code=b.code, codes=", ".join(r.raw_code for r in b.rows)))
            else:
                b.code = ""
                self.find(Severity.ERROR, "code-unresolved",
                          "operational objective whose code cannot be told from its heading "
                          "or its indicators", b.first_line,
                          text=msg(gettext_noop("obiettivo operativo il cui codice non si ricava "
                                                "né dall'intestazione né dagli indicatori")))

    def _resolve_indicator_codes(self) -> None:
        for b in self.blocks:
            prev_k = 0
            for idx, r in enumerate(b.rows):
                m = _IND_CODE.match(r.raw_code)
                if m:
                    r.code = r.raw_code
                    prev_k = int(m.group(3))
                    continue
                if not b.code:
                    r.code = ""
                    self.find(Severity.ERROR, "code-unresolved",
                              f"indicator row with code {r.raw_code!r} under an operational "
                              f"objective of unknown code", r.line.no,
                              text=msg(gettext_noop("riga di indicatore con codice «%(raw)s» "
                                                    "sotto un obiettivo operativo di codice "
                                                    "sconosciuto"), raw=r.raw_code))
                    continue
                k = prev_k + 1
                later = b.rows[idx + 1:]
                j = next((j for j, x in enumerate(later) if _IND_CODE.match(x.raw_code)), None)
                nxt = None
                if j is not None:
                    mm = _IND_CODE.match(later[j].raw_code)
                    assert mm
                    nxt = int(mm.group(3))
                    if nxt != k + j + 1:
                        self.find(Severity.ERROR, "code-ambiguous",
                                  f"indicator row {r.raw_code!r}: its neighbours do not leave "
                                  f"one free code (read as {b.code}.{k}, next row is "
                                  f"{later[j].raw_code})", r.line.no,
                                  text=msg(gettext_noop(
                                      "riga di indicatore «%(raw)s»: le righe vicine non "
                                      "lasciano un solo codice libero (letta come "
                                      "%(code)s, la riga dopo è %(next)s)"),
                                      raw=r.raw_code, code=f"{b.code}.{k}",
                                      next=later[j].raw_code))
                r.code = f"{b.code}.{k}"
                prev_k = k
                expected_digits = r.code.replace(".", "")
                raw_digits = re.sub(r"\D", "", r.raw_code)
                fits = (not raw_digits or raw_digits[0] == r.code.split(".")[0]
                        or _is_subsequence(expected_digits, raw_digits))
                what = (f"code {r.raw_code!r}" if r.raw_code else "a row with no code")
                why = (f"it is row {idx + 1} of operational objective {b.code}"
                       + (f", after {b.code}.{k - 1}" if k > 1 else "")
                       + (f", before {b.code}.{nxt}" if nxt is not None else ""))
                what_it = (msg(gettext_noop("il codice «%(raw)s»"), raw=r.raw_code)
                           if r.raw_code else msg(gettext_noop("una riga senza codice")))
                why_it = msg(gettext_noop("è la riga %(n)s dell'obiettivo operativo %(code)s"),
                             n=idx + 1, code=b.code)
                if k > 1:
                    why_it = msg(gettext_noop("%(why)s, dopo %(code)s"), why=why_it,
                                 code=f"{b.code}.{k - 1}")
                if nxt is not None:
                    why_it = msg(gettext_noop("%(why)s, prima di %(code)s"), why=why_it,
                                 code=f"{b.code}.{nxt}")
                if fits:
                    self.find(Severity.WARNING, "code-repaired",
                              f"{what} read as {r.code}: {why}", r.line.no, r.code,
                              msg(gettext_noop("%(what)s letto come %(code)s: %(why)s"),
                                  what=what_it, code=r.code, why=why_it))
                else:
                    self.find(Severity.ERROR, "code-doubtful",
                              f"{what} does not fit its position; read as {r.code} because "
                              f"{why}", r.line.no, r.code,
                              msg(gettext_noop("%(what)s non corrisponde alla posizione; letto "
                                               "come %(code)s perché %(why)s"),
                                  what=what_it, code=r.code, why=why_it))

    def _build_strategic(self) -> list[StrategicObjective]:
        out: dict[str, StrategicObjective] = {}
        for occ in self.occurrences:
            so = out.get(occ.code)
            narrative = "\n\n".join(occ.paragraphs)
            if so is None:
                so = StrategicObjective(occ.code, occ.title, narrative, [],
                                        SourceRef(self.filename, occ.line))
                out[occ.code] = so
                if not occ.title:
                    self.find(Severity.ERROR, "title-missing",
                              f"strategic objective {occ.code}: title lost in the extraction",
                              occ.line, occ.code,
                              msg(gettext_noop("obiettivo strategico %(code)s: titolo perso "
                                               "nell'estrazione"), code=occ.code))
            else:
                if occ.title and not so.title:
                    so.title = occ.title
                elif occ.title and _letters(occ.title) != _letters(so.title):
                    self.find(Severity.WARNING, "title-differs",
                              f"strategic objective {occ.code} repeated with title "
                              f"{occ.title!r}; kept {so.title!r}", occ.line, occ.code,
                              msg(gettext_noop("obiettivo strategico %(code)s ripetuto con il "
                                               "titolo «%(title)s»; tenuto «%(kept)s»"),
                                  code=occ.code, title=occ.title, kept=so.title))
                if narrative:
                    so.narrative = f"{so.narrative}\n\n{narrative}" if so.narrative else narrative
            if occ.mission and occ.mission not in so.mission_codes:
                so.mission_codes.append(occ.mission)
        for b in self.blocks:
            so = out.get(b.strategic.code)
            if so is not None and b.mission and b.mission not in so.mission_codes:
                so.mission_codes.append(b.mission)
        return sorted(out.values(), key=lambda s: code_sort_key(s.code))

    def _build_operational(self) -> list[OperationalObjective]:
        out: dict[str, OperationalObjective] = {}
        for b in self.blocks:
            if b.code.endswith(".0"):
                continue  # x.0.y indicators hang directly on their strategic objective
            if not b.code or b.code in out:
                if b.code in out:
                    self.find(Severity.ERROR, "duplicate-code",
                              f"operational objective {b.code} appears twice", b.first_line,
                              b.code, msg(gettext_noop("l'obiettivo operativo %(code)s compare "
                                                       "due volte"), code=b.code))
                continue
            area, title = self._op_title(b)
            out[b.code] = OperationalObjective(
                b.code, b.strategic.code, title, area, b.mission, b.programme,
                SourceRef(self.filename, b.evidence_lines[0] if b.evidence_lines
                          else b.first_line))
        for occ in self.occurrences:
            used = {o.area for o in out.values() if o.strategic_code == occ.code}
            for a in occ.areas:
                if a.label not in used:
                    self.find(Severity.INFO, "area-without-objective",
                              f"policy area {a.label!r} of strategic objective {occ.code} has "
                              f"no operational objective or indicator in the tables", a.line,
                              occ.code, msg(gettext_noop(
                                  "l'area «%(area)s» dell'obiettivo strategico %(code)s non ha "
                                  "obiettivi operativi né indicatori nelle tabelle"),
                                  area=a.label, code=occ.code))
        return sorted(out.values(), key=lambda o: code_sort_key(o.code))

    def _op_title(self, b: _OpBlock) -> tuple[str, str]:
        """Title of an operational objective, from its heading or, when damaged, the narrative."""
        line = b.evidence_lines[0] if b.evidence_lines else b.first_line
        evidence = _grams(" ".join(b.evidence))
        areas = b.strategic.areas
        if b.label:
            same = [a for a in areas if _letters(a.label) == _letters(b.label)]
            if same:
                areas = same
        best: tuple[float, _Area, list[int]] | None = None
        for a in areas:
            scores = [_containment(c, evidence) for c in a.clauses]
            hit = [i for i, s in enumerate(scores) if s >= 0.25]
            total = sum(scores[i] for i in hit)
            if hit and (best is None or total > best[0]):
                best = (total, a, hit)
        if b.whole and b.label and len(b.evidence) == 1:
            truncated = best is not None and _letters(
                best[1].clauses[best[2][-1]]).startswith(_letters(b.title_text.split(" - ")[-1])) \
                and len(_letters(best[1].clauses[best[2][-1]])) > len(
                    _letters(b.title_text.split(" - ")[-1])) + 3
            if not truncated:
                return b.label, b.title_text
        if best is not None:
            _, area, hit = best
            title = " - ".join(area.clauses[hit[0]:hit[-1] + 1])
            self.find(Severity.WARNING, "title-reconstructed",
                      f"operational objective {b.code}: heading damaged in the extraction; title "
                      f"taken from the narrative's policy area {area.label!r} (line {area.line}), "
                      f"clauses {hit[0] + 1}-{hit[-1] + 1} of {len(area.clauses)}", line, b.code,
                      msg(gettext_noop("obiettivo operativo %(code)s: intestazione danneggiata "
                                       "nell'estrazione; titolo preso dall'area «%(area)s» "
                                       "della parte descrittiva (riga %(line)s), frasi "
                                       "%(first)s-%(last)s di %(n)s"),
                          code=b.code, area=area.label, line=area.line, first=hit[0] + 1,
                          last=hit[-1] + 1, n=len(area.clauses)))
            return area.label, title
        taken = {self._area_of(other) for other in self.blocks
                 if other is not b and other.strategic is b.strategic}
        free = [a for a in b.strategic.areas if a.label not in taken]
        if b.evidence and len(free) == 1:
            self.find(Severity.WARNING, "title-reconstructed",
                      f"operational objective {b.code}: heading illegible; title taken from the "
                      f"only policy area of the narrative not used by another objective "
                      f"({free[0].label!r}, line {free[0].line})", line, b.code,
                      msg(gettext_noop("obiettivo operativo %(code)s: intestazione illeggibile; "
                                       "titolo preso dalla sola area della parte descrittiva "
                                       "non usata da un altro obiettivo («%(area)s», riga "
                                       "%(line)s)"),
                          code=b.code, area=free[0].label, line=free[0].line))
            return free[0].label, free[0].text
        if b.label:
            self.find(Severity.WARNING, "title-unchecked",
                      f"operational objective {b.code}: heading kept as written, not found in "
                      f"the narrative", line, b.code,
                      msg(gettext_noop("obiettivo operativo %(code)s: intestazione tenuta come "
                                       "scritta, non trovata nella parte descrittiva"),
                          code=b.code))
            return b.label, b.title_text
        self.find(Severity.ERROR, "title-missing",
                  f"operational objective {b.code}: no title in the text", line, b.code,
                  msg(gettext_noop("obiettivo operativo %(code)s: nessun titolo nel testo"),
                      code=b.code))
        return "", ""

    def _area_of(self, b: _OpBlock) -> str:
        if b.label:
            return b.label
        evidence = _grams(" ".join(b.evidence))
        scored = [(sum(_containment(c, evidence) for c in a.clauses), a.label)
                  for a in b.strategic.areas]
        scored = [s for s in scored if s[0] >= 0.25]
        return max(scored)[1] if scored else ""

    def _build_indicators(self, years: list[int]) -> list[Indicator]:
        out: list[Indicator] = []
        seen: set[str] = set()
        known_centres = self._centre_vocabulary()
        for b in self.blocks:
            for r in b.rows:
                if not r.code:
                    continue
                if r.code in seen:
                    self.find(Severity.ERROR, "duplicate-code",
                              f"indicator {r.code} appears twice", r.line.no, r.code,
                              msg(gettext_noop("l'indicatore %(code)s compare due volte"),
                                  code=r.code))
                    continue
                seen.add(r.code)
                out.append(self._indicator(b, r, years, known_centres))
        return sorted(out, key=lambda i: code_sort_key(i.code))

    def _indicator(self, b: _OpBlock, r: _Row, years: list[int],
                   known_centres: set[str]) -> Indicator:
        ln = r.line
        n = len(years)
        cells = ln.cells + [""] * max(0, 8 + n - len(ln.cells))
        code = r.code

        def text(i: int, what: str) -> str:
            raw = cells[i]
            value = _strip_tags(raw)
            if value != _clean(raw):
                self.find(Severity.INFO, "markup-removed",
                          f"indicator {code}: HTML markup removed from the {what}", ln.no, code,
                          msg(gettext_noop("indicatore %(code)s: marcatura HTML tolta da "
                                           "«%(field)s»"), code=code, field=what))
            return value

        name = text(1, "name")
        description = text(2, "description")
        kind = cells[3]
        unit = cells[4]
        if kind and kind != kind.lower() and kind.lower() in KNOWN_KINDS:
            self.find(Severity.INFO, "case-normalised",
                      f"indicator {code}: type {kind!r} written as {kind.lower()!r}", ln.no, code,
                      msg(gettext_noop("indicatore %(code)s: tipo «%(kind)s» scritto come "
                                       "«%(lower)s»"), code=code, kind=kind, lower=kind.lower()))
            kind = kind.lower()
        if unit and unit != unit.lower():
            self.find(Severity.INFO, "case-normalised",
                      f"indicator {code}: unit {unit!r} written as {unit.lower()!r}", ln.no, code,
                      msg(gettext_noop("indicatore %(code)s: unità «%(unit)s» scritta come "
                                       "«%(lower)s»"), code=code, unit=unit, lower=unit.lower()))
            unit = unit.lower()
        if kind and kind not in KNOWN_KINDS:
            self.find(Severity.WARNING, "unknown-kind",
                      f"indicator {code}: type {kind!r} is not one of "
                      f"{', '.join(sorted(KNOWN_KINDS))}", ln.no, code,
                      msg(gettext_noop("indicatore %(code)s: il tipo «%(kind)s» non è uno di "
                                       "%(known)s"), code=code, kind=kind,
                          known=", ".join(sorted(KNOWN_KINDS))))
        if unit and unit not in KNOWN_UNITS:
            self.find(Severity.WARNING, "unknown-unit",
                      f"indicator {code}: unit {unit!r} is not one of "
                      f"{', '.join(sorted(KNOWN_UNITS))}", ln.no, code,
                      msg(gettext_noop("indicatore %(code)s: l'unità «%(unit)s» non è una di "
                                       "%(known)s"), code=code, unit=unit,
                          known=", ".join(sorted(KNOWN_UNITS))))
        sources = [s for s in (_clean(x) for x in cells[5].split("/")) if s]
        formula = cells[6]
        targets = {y: cells[7 + i] for i, y in enumerate(years) if cells[7 + i]}
        centres = self._split_centres(cells[7 + n], known_centres, code, ln.no)
        extra = [c for c in ln.cells[8 + n:] if c]
        if extra:
            self.find(Severity.WARNING, "extra-cells",
                      f"indicator {code}: cells after the centres column ignored: {extra}",
                      ln.no, code,
                      msg(gettext_noop("indicatore %(code)s: celle dopo la colonna dei centri "
                                       "ignorate: %(extra)s"), code=code, extra=str(extra)))
        for what, value in (("name", name), ("description", description), ("type", kind),
                            ("unit", unit), ("calculation rule", formula)):
            if not value:
                sev = Severity.ERROR if what == "name" else Severity.WARNING
                self.find(sev, "field-missing", f"indicator {code}: {what} missing", ln.no, code,
                          msg(gettext_noop("indicatore %(code)s: manca «%(field)s»"),
                              code=code, field=_FIELD_WORDS[what]))
        if not centres:
            self.find(Severity.ERROR, "field-missing",
                      f"indicator {code}: no responsibility centre", ln.no, code,
                      msg(gettext_noop("indicatore %(code)s: nessun centro di responsabilità"),
                          code=code))
        for year, written in targets.items():
            for num in re.findall(r"\d[\d.,]*\d", written):
                groups = num.split(",")[0].split(".")
                if len(groups) > 1 and any(len(g) != 3 for g in groups[1:]):
                    self.find(Severity.WARNING, "suspicious-number",
                              f"indicator {code}: target {year} {written!r} has the number "
                              f"{num!r}, not valid Italian notation (groups of three digits)",
                              ln.no, code,
                              msg(gettext_noop("indicatore %(code)s: il target %(year)s "
                                               "«%(text)s» ha il numero «%(num)s», non valido in "
                                               "notazione italiana (gruppi di tre cifre)"),
                                  code=code, year=year, text=written, num=num))
        if not targets:
            self.find(Severity.WARNING, "field-missing",
                      f"indicator {code}: no target for any year", ln.no, code,
                      msg(gettext_noop("indicatore %(code)s: nessun target per alcun anno"),
                          code=code))
        if name and re.search(r"(\b(di|delle|del|della|via|per|e|a)|[-(])$", name):
            self.find(Severity.WARNING, "name-cut",
                      f"indicator {code}: name looks cut off ({name!r})", ln.no, code,
                      msg(gettext_noop("indicatore %(code)s: il nome sembra troncato "
                                       "(«%(name)s»)"), code=code, name=name))
        # the parents are those of the block the row sits in: a row whose own code
        # disagrees with them is reported by the plan validation, not silently moved
        op_code = "" if b.code.endswith(".0") else b.code
        return Indicator(
            code=code, name=name, description=description, kind=kind, unit=unit,
            data_sources=sources, formula_text=formula, targets=targets, centres=centres,
            strategic_code=b.strategic.code,
            operational_code=op_code, mission_code=b.mission, programme_code=b.programme,
            source=SourceRef(self.filename, ln.no),
        )

    def _centre_cells(self) -> list[tuple[str, int]]:
        n = len(self.years.most_common(1)[0][0]) if self.years else 3
        return [(r.line.cells[7 + n] if len(r.line.cells) > 7 + n else "", r.line.no)
                for b in self.blocks for r in b.rows]

    def _centre_vocabulary(self) -> set[str]:
        """Centre names that stand alone in some cell (after splitting on '/')."""
        names: set[str] = set()
        for cell, _ in self._centre_cells():
            for part in cell.split("/"):
                part = _clean(part)
                if part:
                    names.add(part.casefold())
        return names

    def _split_centres(self, cell: str, known: set[str], code: str, line: int) -> list[str]:
        out: list[str] = []
        for part in (_clean(p) for p in cell.split("/")):
            if not part:
                continue
            out.extend(self._unglue(part, known, code, line))
        return out

    def _unglue(self, part: str, known: set[str], code: str, line: int) -> list[str]:
        """Split 'Registro delle Imprese Front end Registro delle Imprese' at a known name."""
        words = part.split(" ")
        for i in range(len(words) - 1, 0, -1):
            head, tail = " ".join(words[:i]), " ".join(words[i:])
            if not tail[:1].isupper():
                continue
            head_known = head.casefold() in known and head.casefold() != part.casefold()
            tail_known = tail.casefold() in known
            if head_known and (tail_known or len(words) - i >= 2):
                # the other side is either a known name or itself split further
                rest = self._unglue(tail, known, code, line)
                self.find(Severity.WARNING, "centres-split",
                          f"indicator {code}: centre cell {part!r} read as "
                          f"{' + '.join(repr(x) for x in [head, *rest])} (names glued without "
                          f"a separator; {head!r} stands alone elsewhere)", line, code,
                          msg(gettext_noop("indicatore %(code)s: la cella dei centri «%(cell)s» "
                                           "letta come %(names)s (nomi attaccati senza "
                                           "separatore; «%(head)s» compare da solo altrove)"),
                              code=code, cell=part,
                              names=" + ".join(f"«{x}»" for x in [head, *rest]), head=head))
                return [head, *rest]
        return [part]

    def _merge_centre_spellings(self, indicators: list[Indicator]) -> None:
        """One spelling per centre: names differing only in capitals or punctuation merge."""
        spellings: dict[str, Counter[str]] = {}
        first_line: dict[str, int | None] = {}
        for ind in indicators:
            for c in ind.centres:
                spellings.setdefault(_letters(c), Counter())[c] += 1
                first_line.setdefault(c, ind.source.line)
        canonical: dict[str, str] = {}
        for key, counts in spellings.items():
            best = max(counts.items(), key=lambda kv: (kv[1], -sum(ch.isupper() for ch in kv[0])))
            canonical[key] = best[0]
            for other in counts:
                if other != best[0]:
                    self.find(Severity.WARNING, "centre-spelling",
                              f"centre {other!r} taken as {best[0]!r} (same name, other "
                              f"capitals or punctuation)", first_line[other], best[0],
                              msg(gettext_noop("centro «%(name)s» preso come «%(as)s» (stesso "
                                               "nome, altre maiuscole o punteggiatura)"),
                                  name=other, **{"as": best[0]}))
        for ind in indicators:
            merged: list[str] = []
            for c in ind.centres:
                name = canonical[_letters(c)]
                if name not in merged:
                    merged.append(name)
            ind.centres = merged


def _is_subsequence(needle: str, hay: str) -> bool:
    it = iter(hay)
    return all(ch in it for ch in needle)


def import_text(text: str, filename: str = "<text>") -> ImportResult:
    """Read a PDF-extracted plan table text into a core :class:`Plan`.

    Never raises on damaged content: damage is repaired where the evidence is
    unambiguous and reported otherwise. Raises :class:`InputError` only for
    input that is not such a text at all (no indicator rows).
    """
    if "\x00" in text:
        raise InputError("binary data, not text", file=filename, line=None,
                         expected="the tab-separated text extracted from a plan's tables")
    imp = _Importer(text, filename)
    imp.scan()
    if not any(b.rows for b in imp.blocks):
        raise InputError(
            "no indicator rows found", file=filename,
            expected="tab-separated rows starting with an indicator code such as 3.1.1, "
                     "under 'Missione', 'Obiettivo strategico' and 'Obiettivo operativo' headings")
    plan = imp.resolve()
    order = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
    findings = sorted(imp.findings, key=lambda f: (order[f.severity], f.line or 0))
    return ImportResult(plan, findings, imp.used, imp.ignored)


def import_path(path: str | Path) -> ImportResult:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        line = p.read_bytes()[: exc.start].count(b"\n") + 1
        raise InputError("not UTF-8 text", file=str(p), line=line,
                         expected="a UTF-8 text file") from exc
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror}", file=str(p)) from exc
    return import_text(text, p.name)
