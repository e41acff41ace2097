"""Inputs for the fuzz tests: raw text, and token soups close to what each parser reads.

Random text rarely gets past a parser's first character; soups of the parser's
own tokens (and, for the seed-text importer, the real seed text cut, shuffled
and damaged) reach the deep branches where crashes hide.
"""

from __future__ import annotations

import os
from functools import cache

from hypothesis import settings
from hypothesis import strategies as st

from cruscotto.core.formula import FUNCTIONS


def examples(normal: int) -> int:
    """``normal`` examples in the test suite; the profile's (many) under `make fuzz`."""
    return max(normal, settings.default.max_examples)


def soup(tokens: list[str], max_size: int = 30) -> st.SearchStrategy[str]:
    seps = st.sampled_from(["", " ", "", "  ", "\t", "\n"])
    item = st.one_of(st.sampled_from(tokens), st.text(max_size=3))
    return st.lists(st.tuples(item, seps), max_size=max_size).map(
        lambda parts: "".join(a + b for a, b in parts))


FORMULA_TOKENS = [
    *sorted(FUNCTIONS), "a", "b", "valore", "budget_innovazione", "x1", "t", "[t]", "[t-1]",
    "[t-2]", "[t-9]", "[t+1]", "[", "]", "(", ")", ",", "+", "-", "*", "/", "%", "^", "**",
    "==", "!=", "<", "<=", ">", ">=", "=", "!", "and", "or", "not", "if", "then", "else",
    "true", "false", "sì", "no", "0", "1", "0.5", "1.5", "1,5", "10", "1e5", "1.", ".5",
    "999999999999999999999999999999", "1e999", "0.0000000001", "é", "€", "'", '"', "#",
    "((((((((((", "))))))))))",
]

TARGET_TOKENS = [
    ">=", "<=", ">", "<", "=", "≥", "≤", "+", "-", "–", "%", "€", "euro", "sì", "si", "no",
    "max", "min", "almeno", "non meno di", "non più di", "al massimo", "entro", "il", "del",
    "incremento", "riduzione", "mantenimento", "rispetto", "anno", "t-1", "30/06", "30/06/2021",
    "31/12", "31/02", "29/02/2021", "00/00", "giugno", "dicembre", "1", "0", "90", "90%",
    "1.000", "1.234.567,89", "1,5", "1.5", "4.293.180", "100.000,00", "0,0001", "10 gg",
    "giorni", "realizzazione", "n.d.", "n/a", "—", "spesa", "(", ")", ";", ":", "/", "e",
    "99999999999999999999999999", "1e5", "٣", "½",
]

UNITS = ["percentuale", "numero", "realizzazione", "euro", "giorni", "data", "", "sì/no",
         "ore", "%", "indice", "rapporto"]

CSV_TOKENS = [
    "indicator", "variable", "year", "value", "period", "note", "3.1.1", "3.1.2", "3.2.1",
    "6.0.1", "9.9.9", "contabilizzato_innovazione", "budget_innovazione",
    "piattaforma_avviata", "imprese_assistite", "costi_struttura", "2020", "2021", "2022",
    "99999", "-1", "1", "0", "1.234,5", "1,5", "1.5", "sì", "no", "true", "30/06/2021",
    "30/06", "31/02/2021", "2021-06-30", "", "x", '"', '""', "'", "€ 1.000", "50%", "NaN",
    "inf", "1e400",
]


@cache
def seed_lines() -> tuple[str, ...]:
    from importlib.resources import files

    text = (files("cruscotto.data") / "seed_piano_2021_2023.txt").read_text(encoding="utf-8")
    return tuple(text.splitlines())


@st.composite
def damaged_seed(draw: st.DrawFn) -> str:
    """A slice of the real seed text with lines dropped, repeated, swapped or mangled."""
    lines = list(seed_lines())
    start = draw(st.integers(0, len(lines) - 1))
    length = draw(st.integers(1, 120))
    part = lines[start:start + length]
    for _ in range(draw(st.integers(0, 8))):
        if not part:
            break
        i = draw(st.integers(0, len(part) - 1))
        op = draw(st.sampled_from(["drop", "dup", "swap", "cut", "insert", "tabs"]))
        if op == "drop":
            del part[i]
        elif op == "dup":
            part.insert(i, part[i])
        elif op == "swap":
            j = draw(st.integers(0, len(part) - 1))
            part[i], part[j] = part[j], part[i]
        elif op == "cut":
            k = draw(st.integers(0, len(part[i])))
            part[i] = part[i][:k]
        elif op == "insert":
            k = draw(st.integers(0, len(part[i])))
            part[i] = part[i][:k] + draw(st.text(max_size=5)) + part[i][k:]
        else:
            part[i] = part[i].replace(" ", "\t", draw(st.integers(1, 3)))
    return "\n".join(part)


SEED_TOKENS = [
    "Missione", "Programma", "Obiettivo strategico", "Obiettivo operativo", "011", "016",
    "005", "3.", "3.1", "3.1.1", "3.1.1.", "6.0.1", "1.1.1", "\t", "\t\t", "\n", "€ 19.350.072",
    "INNOVAZIONE:", "Indicatore", "Formula", "Target 2021", ">=90%", "sì", "realizzazione",
    "percentuale", "numero", "efficacia", "efficienza", "Contabilità", "Registro imprese",
    "Servizi innovativi", "anno t", "/", "2021", "2022", "2023", "-", "n.d.",
]


def fuzz_profile_is_on() -> bool:
    return os.environ.get("CRUSCOTTO_HYPOTHESIS_PROFILE", "") == "fuzz"
