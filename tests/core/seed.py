"""The indicator rows of the seed plan, as the engine tests need them.

Read straight from the shipped seed file (the three year columns of each
indicator row), with the codes the extraction damaged put right, so a test
built on them fails when a target of the seed is not covered.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "src" / "cruscotto" / "data" / "seed_piano_2021_2023.txt"
YEARS = (2021, 2022, 2023)
UNITS = {"percentuale", "numero", "realizzazione", "valore"}
#: codes the extraction damaged (docs/domain.md); the Study in Milano row has none
REPAIRED = {"117": "1.1.2", "171": "1.2.1", "177": "1.2.2", "211": "2.1.1", "1 222": "2.2.2",
            "": "5.2.1"}


def seed_rows() -> dict[str, tuple[str, list[str]]]:
    """code -> (unit, [target 2021, 2022, 2023]) for every indicator row of the seed."""
    rows: dict[str, tuple[str, list[str]]] = {}
    for line in SEED.read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        if len(cells) < 10 or cells[4].strip().casefold() not in UNITS or not cells[3].strip():
            continue
        code = REPAIRED.get(cells[0].strip(), cells[0].strip())
        rows[code] = (cells[4].strip(), [c.strip() for c in cells[7:10]])
    return rows
