"""The PIAO's *valore pubblico* references: the closed lists a public value cites.

- **BES** (*Benessere equo e sostenibile*, Istat): the 12 domains of equitable and
  sustainable well-being, coded ``BES1`` ... ``BES12`` in Istat's order.
- **SDG** (Agenda 2030, United Nations): the 17 Sustainable Development Goals,
  coded ``SDG1`` ... ``SDG17``.

Each entry has its official Italian and English name; the edge picks the one of
the reader's language (the names are proper names of the lists, not interface
text). Pure data, no Django, no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cruscotto.core.plan import PublicValue, SourceRef

__all__ = [
    "BES_DOMAINS",
    "SDGS",
    "Reference",
    "public_value_from_data",
    "public_value_to_data",
    "reference",
    "reference_name",
]


@dataclass(frozen=True, slots=True)
class Reference:
    code: str
    name_it: str
    name_en: str

    def name(self, lang: str) -> str:
        """The name in ``lang`` (``"en"``; anything else reads Italian)."""
        return self.name_en if lang.startswith("en") else self.name_it


BES_DOMAINS: tuple[Reference, ...] = tuple(
    Reference(f"BES{n}", it, en)
    for n, (it, en) in enumerate(
        (
            ("Salute", "Health"),
            ("Istruzione e formazione", "Education and training"),
            ("Lavoro e conciliazione dei tempi di vita", "Work and life balance"),
            ("Benessere economico", "Economic well-being"),
            ("Relazioni sociali", "Social relationships"),
            ("Politica e istituzioni", "Politics and institutions"),
            ("Sicurezza", "Safety"),
            ("Benessere soggettivo", "Subjective well-being"),
            ("Paesaggio e patrimonio culturale", "Landscape and cultural heritage"),
            ("Ambiente", "Environment"),
            ("Innovazione, ricerca e creatività", "Innovation, research and creativity"),
            ("Qualità dei servizi", "Quality of services"),
        ),
        start=1,
    )
)

SDGS: tuple[Reference, ...] = tuple(
    Reference(f"SDG{n}", it, en)
    for n, (it, en) in enumerate(
        (
            ("Sconfiggere la povertà", "No poverty"),
            ("Sconfiggere la fame", "Zero hunger"),
            ("Salute e benessere", "Good health and well-being"),
            ("Istruzione di qualità", "Quality education"),
            ("Parità di genere", "Gender equality"),
            ("Acqua pulita e servizi igienico-sanitari", "Clean water and sanitation"),
            ("Energia pulita e accessibile", "Affordable and clean energy"),
            ("Lavoro dignitoso e crescita economica", "Decent work and economic growth"),
            ("Imprese, innovazione e infrastrutture", "Industry, innovation and infrastructure"),
            ("Ridurre le disuguaglianze", "Reduced inequalities"),
            ("Città e comunità sostenibili", "Sustainable cities and communities"),
            ("Consumo e produzione responsabili", "Responsible consumption and production"),
            ("Lotta contro il cambiamento climatico", "Climate action"),
            ("Vita sott'acqua", "Life below water"),
            ("Vita sulla terra", "Life on land"),
            ("Pace, giustizia e istituzioni solide", "Peace, justice and strong institutions"),
            ("Partnership per gli obiettivi", "Partnerships for the goals"),
        ),
        start=1,
    )
)

_BY_CODE = {r.code: r for r in (*BES_DOMAINS, *SDGS)}


def reference(code: str) -> Reference | None:
    """The BES domain or SDG coded ``code`` (``None`` when there is none)."""
    return _BY_CODE.get(code)


def reference_name(code: str, lang: str) -> str:
    """``"SDG4 Istruzione di qualità"``: the code and its name in ``lang`` (the code
    alone when unknown)."""
    ref = _BY_CODE.get(code)
    return f"{code} {ref.name(lang)}" if ref is not None else code


def public_value_to_data(pv: PublicValue) -> dict[str, Any]:
    """A public value as plain data, in the interchange format's shape and key order."""
    return {
        "code": pv.code,
        "title": pv.title,
        "description": pv.description,
        "bes": list(pv.bes),
        "sdgs": list(pv.sdgs),
        "strategic_objectives": list(pv.strategic_codes),
        "source": {"file": pv.source.file, "line": pv.source.line},
    }


def public_value_from_data(d: Mapping[str, Any]) -> PublicValue:
    """The inverse of :func:`public_value_to_data` (optional keys take their defaults)."""
    src = d.get("source") or {}
    line = src.get("line")
    return PublicValue(
        code=d["code"],
        title=d["title"],
        description=d.get("description", ""),
        bes=list(d.get("bes", [])),
        sdgs=list(d.get("sdgs", [])),
        strategic_codes=list(d.get("strategic_objectives", [])),
        source=SourceRef(file=src.get("file", ""), line=int(line) if line is not None else None),
    )
