"""What changed between two versions of a plan, field by field.

Both versions are plain data in the interchange shape
(:func:`cruscotto.io.interchange.plan_to_dict`). Entities are matched by
what identifies them in the plan: missions, objectives and indicators by
code, programmes by mission and code, variables by name, centres and data
sources by key. Every difference is one :class:`Change`: an entity added or
removed, or one field of an entity changed (a target is the field
``targets.2022``, a measure ``measures.spesa``). Where an entity was read
from (``source``) is provenance, not content, and is not compared.

An indicator's per-year definitions are matched by their first year and its
baselines by their date: one added or removed is a change of kind added or
removed with the field ``definitions.2022`` (its formula) or
``baselines.2023-11-30`` (its value); one changed is a change of each field
(``definitions.2022.formula``, ``baselines.2023-11-30.label``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any

__all__ = ["ADDED", "CHANGED", "REMOVED", "Change", "diff_plans"]

ADDED, REMOVED, CHANGED = "added", "removed", "changed"

#: (entity, key in the interchange data, what identifies an item, its label field)
_COLLECTIONS: tuple[tuple[str, str, str, str], ...] = (
    ("mission", "missions", "code", "name"),
    ("strategic_objective", "strategic_objectives", "code", "title"),
    ("operational_objective", "operational_objectives", "code", "title"),
    ("indicator", "indicators", "code", "name"),
    ("variable", "variables", "name", "label"),
    ("centre", "centres", "key", "name"),
    ("data_source", "data_sources", "key", "name"),
    ("public_value", "public_values", "code", "title"),
)
_PLAN_FIELDS = ("title", "years", "organisation", "status_bands")
_NOT_CONTENT = frozenset({"source", "programmes"})
#: an indicator's items compared one by one (key of the list, what identifies an item,
#: the field that stands for an item added or removed)
_YEARLY = (("definitions", "from_year", "formula"), ("baselines", "date", "value"))
_YEARLY_KEYS = frozenset(k for k, _i, _s in _YEARLY)


@dataclass(frozen=True, slots=True)
class Change:
    """One difference: ``kind`` is added, removed or changed; ``field`` is empty
    for a whole entity added or removed (``old``/``new`` then hold its label)."""

    kind: str
    entity: str
    code: str
    field: str = ""
    old: str = ""
    new: str = ""

    def as_dict(self) -> dict[str, str]:
        return asdict(self)

    @property
    def is_target(self) -> bool:
        return self.entity == "indicator" and self.field.startswith("targets.")


def diff_plans(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Every difference from ``old`` to ``new``, in the order of the plan."""
    out: list[Change] = []
    for name in _PLAN_FIELDS:
        out += _fields("plan", "", {name: old.get(name)}, {name: new.get(name)})
    for entity, key, ident, label in _COLLECTIONS:
        out += _collection(entity, old.get(key) or [], new.get(key) or [], ident, label)
    out += _collection("programme", list(_programmes(old)), list(_programmes(new)),
                       "code", "name")
    return out


def _programmes(data: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for m in data.get("missions") or []:
        for p in m.get("programmes") or []:
            yield {**p, "code": f"{m.get('code')}/{p.get('code')}"}


def _collection(entity: str, old: list[dict[str, Any]], new: list[dict[str, Any]],
                ident: str, label: str) -> list[Change]:
    before = {str(item.get(ident)): item for item in old}
    after = {str(item.get(ident)): item for item in new}
    out: list[Change] = []
    for code, item in after.items():
        if code not in before:
            out.append(Change(ADDED, entity, code, new=_text(item.get(label))))
        else:
            out += _fields(entity, code, before[code], item)
            if entity == "indicator":
                out += _yearly(code, before[code], item)
    for code, item in before.items():
        if code not in after:
            out.append(Change(REMOVED, entity, code, old=_text(item.get(label))))
    return out


def _fields(entity: str, code: str, old: dict[str, Any], new: dict[str, Any]
            ) -> list[Change]:
    a, b = dict(_flat(old)), dict(_flat(new))
    out = []
    for name in [*a, *(n for n in b if n not in a)]:
        if a.get(name, "") != b.get(name, ""):
            out.append(Change(CHANGED, entity, code, name, a.get(name, ""), b.get(name, "")))
    return out


def _yearly(code: str, old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """The indicator's per-year definitions and baselines added, removed or changed."""
    out: list[Change] = []
    for key, ident, stands in _YEARLY:
        before = {str(d.get(ident)): d for d in old.get(key) or []}
        after = {str(d.get(ident)): d for d in new.get(key) or []}
        for item_id in sorted({*before, *after}):
            name = f"{key}.{item_id}"
            if item_id not in before:
                out.append(Change(ADDED, "indicator", code, name,
                                  new=_text(after[item_id].get(stands))))
                rest = {k: v for k, v in after[item_id].items() if k not in (ident, stands)}
                out += _fields("indicator", code, {}, {f"{name}.{k}": v for k, v in
                                                       rest.items()})
            elif item_id not in after:
                out.append(Change(REMOVED, "indicator", code, name,
                                  old=_text(before[item_id].get(stands))))
            else:
                out += _fields("indicator", code,
                               {f"{name}.{k}": v for k, v in before[item_id].items()},
                               {f"{name}.{k}": v for k, v in after[item_id].items()})
    return out


def _flat(item: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, str]]:
    for key, value in item.items():
        if (key in _NOT_CONTENT or key in _YEARLY_KEYS) and not prefix:
            continue
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            yield from _flat(value, name + ".")
        else:
            yield name, _text(value)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "sì" if value else "no"
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value)
    return str(value)
