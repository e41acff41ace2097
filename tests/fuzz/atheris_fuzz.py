"""Coverage-guided fuzzing of the parsers with atheris (libFuzzer), for `make fuzz`.

    python -m tests.fuzz.atheris_fuzz TARGET [libFuzzer options, e.g. -runs=100000]

TARGET is one of ``formula``, ``target``, ``seed``, ``values``. Any exception
other than the parser's own error is a crash: libFuzzer stops and writes the
input to ``crash-<hash>`` in the current directory (replay it with
``python -m tests.fuzz.atheris_fuzz TARGET crash-<hash>``). The seed corpus is
the shipped plan's formulas, targets and text, so the fuzzer starts from real
inputs.
"""

from __future__ import annotations

import contextlib
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import atheris

with atheris.instrument_imports():
    from cruscotto.core.formula import FormulaError, parse
    from cruscotto.core.targets import Polarity, TargetError, parse_target
    from cruscotto.io.errors import InputError
    from cruscotto.io.seed_text import import_text
    from cruscotto.io.values_csv import read_values_text

UNITS = ["percentuale", "numero", "realizzazione", "euro", "giorni", ""]


def _formula(data: bytes) -> None:
    with contextlib.suppress(FormulaError):
        parse(data.decode("utf-8", "replace"))


def _target(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    unit = UNITS[fdp.ConsumeIntInRange(0, len(UNITS) - 1)]
    polarity = list(Polarity)[fdp.ConsumeIntInRange(0, len(Polarity) - 1)]
    with contextlib.suppress(TargetError):
        parse_target(fdp.ConsumeUnicodeNoSurrogates(200), unit=unit, polarity=polarity)


def _seed(data: bytes) -> None:
    with contextlib.suppress(InputError):
        import_text(data.decode("utf-8", "replace"), "fuzz.txt")


_PLAN = None


def _values(data: bytes) -> None:
    global _PLAN
    if _PLAN is None:
        from tests.conftest import make_encoded_plan

        _PLAN = make_encoded_plan()
    with contextlib.suppress(InputError):
        read_values_text(data.decode("utf-8", "replace"), _PLAN, filename="valori.csv")


TARGETS: dict[str, Callable[[bytes], None]] = {
    "formula": _formula, "target": _target, "seed": _seed, "values": _values,
}


def _corpus(name: str) -> Path:
    """A directory of real inputs for ``name`` to start from."""
    from cruscotto.data import default_plan

    out = Path(tempfile.mkdtemp(prefix=f"cruscotto-fuzz-{name}-"))
    plan = default_plan()
    samples: list[str] = []
    if name == "formula":
        samples = [i.formula for i in plan.indicators if i.formula]
    elif name == "target":
        samples = [t for i in plan.indicators for t in i.targets.values()]
    elif name == "seed":
        from tests.fuzz.strategies import seed_lines

        lines = seed_lines()
        samples = ["\n".join(lines[k:k + 40]) for k in range(0, len(lines), 40)]
    else:
        samples = ["indicator,variable,year,value,period\n3.1.1,budget_innovazione,2021,"
                   "1.234,5,\n3.1.2,piattaforma_avviata,2021,sì,30/06/2021\n"]
    for n, s in enumerate(samples):
        (out / f"{n:04d}").write_text(s, encoding="utf-8")
    return out


def main(argv: list[str]) -> None:
    if len(argv) < 2 or argv[1] not in TARGETS:
        raise SystemExit(f"usage: {argv[0]} {{{','.join(TARGETS)}}} [libFuzzer options]")
    name = argv[1]
    args = [argv[0], *argv[2:]]
    if not any(not a.startswith("-") for a in argv[2:]):
        args.append(str(_corpus(name)))
    atheris.Setup(args, TARGETS[name])
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv)
