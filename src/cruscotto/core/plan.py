"""The plan model: plain dataclasses, no Django, no I/O.

A plan is stored flat: each entity lists the codes of its parents. This keeps
interchange files simple (and diff-friendly) and lets one plan validation
check every reference. ``PlanTree`` gives the nested view pages need.

Codes are strings as the plan writes them: missions and programmes ``"011"``
/ ``"005"``; strategic objectives ``"3"``; operational objectives ``"3.1"``;
indicators ``"3.1.1"``. Indicators that hang directly on a strategic objective
use the operational slot ``0`` (``"6.0.1"``) and have no operational objective.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from cruscotto.core.baselines import Baseline
from cruscotto.core.scoring import DEFAULT_BANDS, StatusBands
from cruscotto.core.target_structure import TargetReading, reading_problems
from cruscotto.core.targets import Polarity
from cruscotto.core.values import Variable, VariableKind
from cruscotto.core.yearly import Definition, YearDefinition, definition_in_force

SCHEMA_VERSION = 3

__all__ = [
    "Baseline", "DataSource", "Definition", "Indicator", "Mission", "OperationalObjective",
    "Organisation", "Plan",
    "PlanError", "Polarity", "Programme", "ResponsibilityCentre", "SourceRef",
    "StatusBands", "StrategicObjective", "Variable", "VariableKind", "YearDefinition",
    "check_plan",
    "code_sort_key", "plan_tree", "slugify", "validate_plan",
]


class PlanError(Exception):
    """A plan that cannot be accepted. ``problems`` lists every reason found."""

    def __init__(self, message: str, problems: Iterable[str] = ()) -> None:
        self.problems = list(problems)
        detail = "".join(f"\n  - {p}" for p in self.problems)
        super().__init__(message + detail)
        self.message = message


def slugify(text: str) -> str:
    """ASCII lower-case slug, stable across runs (used for centre and source keys)."""
    norm = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", norm.lower()).strip("-")


@dataclass(slots=True)
class SourceRef:
    """Where an entity came from: a file and a 1-based line number."""

    file: str = ""
    line: int | None = None


@dataclass(slots=True)
class Organisation:
    name: str
    code: str = ""


@dataclass(slots=True)
class ResponsibilityCentre:
    """A *centro di responsabilità*: an office that owns indicators."""

    key: str
    name: str


@dataclass(slots=True)
class DataSource:
    """A *fonte dati*: the office or system that supplies an indicator's data."""

    key: str
    name: str


@dataclass(slots=True)
class Programme:
    code: str
    name: str
    budget: Decimal | None = None
    budget_text: str = ""
    source: SourceRef = field(default_factory=SourceRef)


@dataclass(slots=True)
class Mission:
    code: str
    name: str
    programmes: list[Programme] = field(default_factory=list)
    source: SourceRef = field(default_factory=SourceRef)


@dataclass(slots=True)
class StrategicObjective:
    code: str
    title: str
    narrative: str = ""
    #: missions this objective appears under, in plan order (objective 3 is under 011 and 016)
    mission_codes: list[str] = field(default_factory=list)
    source: SourceRef = field(default_factory=SourceRef)


@dataclass(slots=True)
class PublicValue:
    """A *valore pubblico* of the PIAO: the public value a group of strategic
    objectives serves (optional level above them).

    ``bes`` and ``sdgs`` are codes of the closed lists in :mod:`cruscotto.core.piao`
    (the 12 BES domains, the 17 Sustainable Development Goals); a strategic objective
    belongs to at most one public value (the lint says when one is listed twice).
    """

    code: str
    title: str
    description: str = ""
    bes: list[str] = field(default_factory=list)
    sdgs: list[str] = field(default_factory=list)
    #: the strategic objectives it groups, by code, in plan order
    strategic_codes: list[str] = field(default_factory=list)
    source: SourceRef = field(default_factory=SourceRef)


@dataclass(slots=True)
class OperationalObjective:
    code: str
    strategic_code: str
    title: str
    #: the policy area label that opens the title (``INNOVAZIONE``, ``CREDITO``)
    area: str = ""
    mission_code: str = ""
    programme_code: str = ""
    source: SourceRef = field(default_factory=SourceRef)


@dataclass(slots=True)
class Indicator:
    code: str
    name: str
    description: str = ""
    #: *tipologia*: efficacia, efficienza, qualità percepita, risultato, ...
    kind: str = ""
    unit: str = ""
    #: data sources (*fonte dati*), by name, in plan order (a cell may name several)
    data_sources: list[str] = field(default_factory=list)
    #: the *algoritmo di calcolo* as written in the plan
    formula_text: str = ""
    #: target per plan year as written; a year with no target is absent
    targets: dict[int, str] = field(default_factory=dict)
    #: responsibility centres, by name, in plan order
    centres: list[str] = field(default_factory=list)
    strategic_code: str = ""
    #: empty for indicators that hang directly on a strategic objective (x.0.y)
    operational_code: str = ""
    mission_code: str = ""
    programme_code: str = ""
    source: SourceRef = field(default_factory=SourceRef)
    # -- the engine's reading of the indicator (docs/engine.md) -------------
    #: the calculation rule in the formula language; "" while not encoded
    formula: str = ""
    #: which way is better; ``None`` when the plan does not say
    polarity: Polarity | None = None
    #: the polarity was set by the plan's editor, not stated by the plan
    #: (a bare target such as ``45%``); the lint reports it
    polarity_inferred: bool = False
    #: named measures that target parts compare (``spesa`` for ``sì max € ...``)
    measures: dict[str, str] = field(default_factory=dict)
    #: weight in the roll-up to objectives, centres and organisation
    weight: Decimal = Decimal(1)
    #: later definitions (formula, measures, unit, polarity), each from its year on
    definitions: list[YearDefinition] = field(default_factory=list)
    #: values the indicator starts from, with their date, that targets may name
    baselines: list[Baseline] = field(default_factory=list)

    #: structured readings the planning office set beside a year's target text
    #: (``core.target_structure``); scored instead of the text's own reading
    readings: dict[int, TargetReading] = field(default_factory=dict)

    def in_force(self, year: int) -> Definition:
        """The formula, measures, unit and polarity that compute ``year``."""
        own = Definition(formula=self.formula, formula_text=self.formula_text, unit=self.unit,
                         polarity=self.polarity, measures=dict(self.measures))
        return definition_in_force(own, self.definitions, year)

    @property
    def parent_code(self) -> str:
        return self.operational_code or self.strategic_code

    @property
    def is_encoded(self) -> bool:
        return bool(self.formula.strip())


@dataclass(slots=True)
class Plan:
    organisation: Organisation
    title: str
    years: list[int]
    missions: list[Mission] = field(default_factory=list)
    strategic_objectives: list[StrategicObjective] = field(default_factory=list)
    operational_objectives: list[OperationalObjective] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    centres: list[ResponsibilityCentre] = field(default_factory=list)
    data_sources: list[DataSource] = field(default_factory=list)
    source: SourceRef = field(default_factory=SourceRef)
    #: the inputs formulas read, declared once for the whole plan (a variable
    #: such as ``oneri_correnti`` may serve several indicators)
    variables: list[Variable] = field(default_factory=list)
    #: achievement thresholds of the traffic light
    bands: StatusBands = DEFAULT_BANDS
    #: the PIAO's *valore pubblico* level above the strategic objectives (optional)
    public_values: list[PublicValue] = field(default_factory=list)

    # -- look-ups ---------------------------------------------------------
    def indicator(self, code: str) -> Indicator:
        for ind in self.indicators:
            if ind.code == code:
                return ind
        raise KeyError(code)

    def strategic(self, code: str) -> StrategicObjective:
        for so in self.strategic_objectives:
            if so.code == code:
                return so
        raise KeyError(code)

    def operational(self, code: str) -> OperationalObjective:
        for oo in self.operational_objectives:
            if oo.code == code:
                return oo
        raise KeyError(code)

    def mission(self, code: str) -> Mission:
        for m in self.missions:
            if m.code == code:
                return m
        raise KeyError(code)

    def public_value_of(self, strategic_code: str) -> PublicValue | None:
        """The public value grouping strategic objective ``strategic_code`` (the first
        one listing it), or ``None``."""
        for pv in self.public_values:
            if strategic_code in pv.strategic_codes:
                return pv
        return None

    def variable(self, name: str) -> Variable:
        for v in self.variables:
            if v.name == name:
                return v
        raise KeyError(name)

    def centre_by_name(self, name: str) -> ResponsibilityCentre:
        for c in self.centres:
            if c.name == name:
                return c
        raise KeyError(name)

    def indicators_of_centre(self, name: str) -> list[Indicator]:
        return [i for i in self.indicators if name in i.centres]

    def sync_registries(self) -> None:
        """Make ``centres`` and ``data_sources`` list every name the indicators use.

        Entries already present keep their key and order; new names are added
        in order of first use. Entries no indicator uses are kept (a centre may
        exist before it owns an indicator).
        """
        known_c = {c.name for c in self.centres}
        known_s = {s.name for s in self.data_sources}
        for ind in self.indicators:
            for name in ind.centres:
                if name not in known_c:
                    self.centres.append(ResponsibilityCentre(key=_unique_key(
                        name, {c.key for c in self.centres}), name=name))
                    known_c.add(name)
            for name in ind.data_sources:
                if name not in known_s:
                    self.data_sources.append(DataSource(key=_unique_key(
                        name, {s.key for s in self.data_sources}), name=name))
                    known_s.add(name)
        for var in self.variables:
            if var.source and var.source not in known_s:
                self.data_sources.append(DataSource(key=_unique_key(
                    var.source, {s.key for s in self.data_sources}), name=var.source))
                known_s.add(var.source)


def _unique_key(name: str, taken: set[str]) -> str:
    base = slugify(name) or "x"
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key


# -- validation -----------------------------------------------------------

_IND_CODE = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")
_OP_CODE = re.compile(r"^(\d+)\.(\d+)$")
_VAR_NAME = re.compile(r"^[^\W\d]\w*$")


def code_sort_key(code: str) -> tuple[int, ...]:
    """Sort ``"3.10.1"`` after ``"3.2.1"``; non-numeric parts sort first."""
    return tuple(int(p) if p.isdigit() else -1 for p in code.split("."))


def validate_plan(plan: Plan) -> list[str]:
    """Return every structural problem of ``plan`` (empty when the plan is sound).

    Checked: duplicate codes at every level, code formats, each indicator's
    code matching its parent, references to missions, strategic and
    operational objectives that exist, centres and data sources known, target
    years inside the plan years.
    """
    problems: list[str] = []

    def dupes(kind: str, codes: Iterable[str]) -> None:
        seen: set[str] = set()
        for c in codes:
            if c in seen:
                problems.append(f"duplicate {kind} code {c!r}")
            seen.add(c)

    dupes("mission", (m.code for m in plan.missions))
    dupes("strategic objective", (s.code for s in plan.strategic_objectives))
    dupes("operational objective", (o.code for o in plan.operational_objectives))
    dupes("indicator", (i.code for i in plan.indicators))
    dupes("centre", (c.name for c in plan.centres))
    dupes("centre key", (c.key for c in plan.centres))
    dupes("data source", (s.name for s in plan.data_sources))
    dupes("variable", (v.name for v in plan.variables))

    missions = {m.code for m in plan.missions}
    strategic = {s.code for s in plan.strategic_objectives}
    operational = {o.code: o for o in plan.operational_objectives}
    centres = {c.name for c in plan.centres}
    sources = {s.name for s in plan.data_sources}
    years = set(plan.years)

    for so in plan.strategic_objectives:
        if not so.code.isdigit():
            problems.append(f"strategic objective {so.code!r}: code must be a number")
        for mc in so.mission_codes:
            if mc not in missions:
                problems.append(f"strategic objective {so.code}: unknown mission {mc!r}")

    for oo in plan.operational_objectives:
        m = _OP_CODE.match(oo.code)
        if not m:
            problems.append(f"operational objective {oo.code!r}: code must look like S.N")
        elif m.group(1) != oo.strategic_code:
            problems.append(
                f"operational objective {oo.code}: code does not match its strategic "
                f"objective {oo.strategic_code!r}")
        if oo.strategic_code not in strategic:
            problems.append(
                f"operational objective {oo.code}: unknown strategic objective "
                f"{oo.strategic_code!r}")
        if oo.mission_code and oo.mission_code not in missions:
            problems.append(f"operational objective {oo.code}: unknown mission {oo.mission_code!r}")

    for ind in plan.indicators:
        m = _IND_CODE.match(ind.code)
        if not m:
            problems.append(f"indicator {ind.code!r}: code must look like S.N.K")
        else:
            s, o = m.group(1), m.group(2)
            if s != ind.strategic_code:
                problems.append(
                    f"indicator {ind.code}: code does not match its strategic objective "
                    f"{ind.strategic_code!r}")
            if o == "0":
                if ind.operational_code:
                    problems.append(
                        f"indicator {ind.code}: an x.0.y indicator hangs on its strategic "
                        f"objective, not on {ind.operational_code!r}")
            elif ind.operational_code != f"{s}.{o}":
                problems.append(
                    f"indicator {ind.code}: code does not match its operational objective "
                    f"{ind.operational_code!r}")
        if ind.strategic_code not in strategic:
            problems.append(
                f"indicator {ind.code}: unknown strategic objective {ind.strategic_code!r}")
        if ind.operational_code and ind.operational_code not in operational:
            problems.append(
                f"indicator {ind.code}: unknown operational objective {ind.operational_code!r}")
        if ind.mission_code and ind.mission_code not in missions:
            problems.append(f"indicator {ind.code}: unknown mission {ind.mission_code!r}")
        for c in ind.centres:
            if c not in centres:
                problems.append(f"indicator {ind.code}: unknown centre {c!r}")
        for ds in ind.data_sources:
            if ds not in sources:
                problems.append(f"indicator {ind.code}: unknown data source {ds!r}")
        for y in ind.targets:
            if y not in years:
                problems.append(f"indicator {ind.code}: target for {y}, outside the plan years")
        problems += _definition_problems(ind, years)
        if not ind.weight.is_finite() or ind.weight < 0:
            problems.append(f"indicator {ind.code}: the weight must be a number >= 0, "
                            f"got {ind.weight}")
    problems += _reading_problems(plan)
    for v in plan.variables:
        if not _VAR_NAME.match(v.name):
            problems.append(f"variable {v.name!r}: a name is a letter followed by letters, "
                            "digits or '_'")
        if v.source and v.source not in sources:
            problems.append(f"variable {v.name}: unknown data source {v.source!r}")
    problems += _public_value_problems(plan, strategic)
    return problems


def _public_value_problems(plan: Plan, strategic: set[str]) -> list[str]:
    """Duplicate public value codes, and strategic objectives they name that do not exist."""
    problems: list[str] = []
    seen: set[str] = set()
    for pv in plan.public_values:
        if not pv.code.strip():
            problems.append("public value with an empty code")
        if pv.code in seen:
            problems.append(f"duplicate public value code {pv.code!r}")
        seen.add(pv.code)
        for sc in pv.strategic_codes:
            if sc not in strategic:
                problems.append(f"public value {pv.code}: unknown strategic objective {sc!r}")
    return problems


def _definition_problems(ind: Indicator, years: set[int]) -> list[str]:
    """A per-year definition starts in a plan year, once; a baseline is a number."""
    out: list[str] = []
    starts = [d.from_year for d in ind.definitions]
    for d in ind.definitions:
        if d.from_year not in years:
            out.append(f"indicator {ind.code}: a definition from {d.from_year}, outside the "
                       "plan years")
        if starts.count(d.from_year) > 1:
            out.append(f"indicator {ind.code}: two definitions from {d.from_year}")
        if not d.formula.strip():
            out.append(f"indicator {ind.code}: the definition from {d.from_year} has no "
                       "formula")
    for b in ind.baselines:
        if not b.value.is_finite():
            out.append(f"indicator {ind.code}: the baseline of {b.date} is not a number")
    return sorted(set(out), key=out.index)


def _reading_problems(plan: Plan) -> list[str]:
    """Structured readings beside a target of the plan, sound and on known measures."""
    problems: list[str] = []
    inputs = {v.name for v in plan.variables}
    for ind in plan.indicators:
        for y, reading in sorted(ind.readings.items()):
            if y not in ind.targets:
                problems.append(f"indicator {ind.code}: a reading for {y}, which has no "
                                "target text")
                continue
            for why in reading_problems(reading, year=y, years=plan.years,
                                        measures=set(ind.measures) | inputs):
                problems.append(f"indicator {ind.code}: reading {y}: {why}")
    return problems


def check_plan(plan: Plan) -> None:
    """Raise :class:`PlanError` listing every problem when the plan is not sound."""
    problems = validate_plan(plan)
    if problems:
        raise PlanError("the plan is not valid", problems)


# -- the tree view ----------------------------------------------------------

@dataclass(slots=True)
class OperationalNode:
    objective: OperationalObjective
    indicators: list[Indicator]


@dataclass(slots=True)
class StrategicNode:
    objective: StrategicObjective
    #: indicators hanging directly on the strategic objective (x.0.y)
    indicators: list[Indicator]
    operational: list[OperationalNode]

    @property
    def indicator_count(self) -> int:
        return len(self.indicators) + sum(len(o.indicators) for o in self.operational)


@dataclass(slots=True)
class MissionNode:
    mission: Mission
    strategic: list[StrategicNode]

    @property
    def indicator_count(self) -> int:
        return sum(s.indicator_count for s in self.strategic)

    @property
    def operational_count(self) -> int:
        return sum(len(s.operational) for s in self.strategic)


def plan_tree(plan: Plan) -> list[MissionNode]:
    """Missions → strategic → operational objectives → indicators.

    A strategic objective under two missions appears under each, holding only
    the operational objectives (and indicators) of that mission.
    """
    by_code = sorted(plan.indicators, key=lambda i: code_sort_key(i.code))
    # grouped once, in code order (not a scan of every indicator per objective)
    of_operational: dict[str, list[Indicator]] = {}
    direct_of: dict[str, list[Indicator]] = {}
    for i in by_code:
        of_operational.setdefault(i.operational_code, []).append(i)
        if not i.operational_code:
            direct_of.setdefault(i.strategic_code, []).append(i)
    operational_of: dict[str, list[OperationalObjective]] = {}
    for oo in sorted(plan.operational_objectives, key=lambda o: code_sort_key(o.code)):
        operational_of.setdefault(oo.strategic_code, []).append(oo)
    nodes: list[MissionNode] = []
    for mission in plan.missions:
        s_nodes: list[StrategicNode] = []
        for so in plan.strategic_objectives:
            if mission.code not in so.mission_codes:
                continue
            ops = [
                OperationalNode(oo, list(of_operational.get(oo.code, ())))
                for oo in operational_of.get(so.code, ())
                if oo.mission_code in ("", mission.code)
            ]
            direct = [i for i in direct_of.get(so.code, ())
                      if i.mission_code in ("", mission.code)]
            s_nodes.append(StrategicNode(so, direct, ops))
        nodes.append(MissionNode(mission, s_nodes))
    return nodes


def iter_codes(plan: Plan) -> Iterator[str]:
    for i in plan.indicators:
        yield i.code
