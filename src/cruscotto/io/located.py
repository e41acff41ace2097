"""Parse JSON and YAML into plain data, remembering the line of every value.

Readers validate plain data (dicts, lists, strings, numbers) but report errors
against the file the user wrote, so both parsers also return a map from each
value's path (``("indicators", 3, "targets", "2021")``) to its 1-based line.

Both refuse what plain data cannot hold faithfully: duplicate keys (the second
would silently win), and in YAML aliases and non-text keys. JSON is parsed by
the standard library first (its syntax errors are precise and well known) and
then walked once more to find lines. PyYAML is not used for JSON because it
reads some JSON differently: ``1e5`` becomes text, and a tab before a key (as
tab-indented JSON has) is a syntax error.
"""

from __future__ import annotations

import bisect
import json
import json.decoder
import json.scanner
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from cruscotto.io.errors import InputError

Path = tuple[str | int, ...]


@dataclass(slots=True)
class Located:
    """Parsed data, with the line of each value and of each mapping key."""

    data: Any
    lines: dict[Path, int] = field(default_factory=dict)
    key_lines: dict[Path, int] = field(default_factory=dict)

    def line_of(self, path: Path, *, key: bool = False) -> int | None:
        """Line of the value at ``path`` (of its key when ``key``), else of its nearest parent."""
        if key and path in self.key_lines:
            return self.key_lines[path]
        p = tuple(path)
        while True:
            if p in self.lines:
                return self.lines[p]
            if not p:
                return None
            p = p[:-1]


def field_path(path: Path) -> str:
    """A readable path: ``indicators[3].targets.2021``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


# -- JSON ---------------------------------------------------------------------

_WS = re.compile(r"[ \t\n\r]*")
_NUMBER = json.scanner.NUMBER_RE
# The standard library's own string reader (escapes, strict control characters),
# public in json.decoder though typeshed does not list it.
_scanstring: Callable[[str, int, bool], tuple[str, int]] = (
    json.decoder.scanstring)  # type: ignore[attr-defined]


def parse_json(text: str, *, filename: str = "") -> Located:
    """Parse JSON text; raise :class:`InputError` with the line of any fault."""
    try:
        json.loads(text)
        return _JsonWalker(text, filename).run()
    except json.JSONDecodeError as exc:
        raise InputError(
            f"JSON syntax error: {exc.msg} (column {exc.colno})",
            file=filename, line=exc.lineno, expected="valid JSON") from None
    except RecursionError:
        raise InputError("JSON nested too deeply", file=filename) from None


class _JsonWalker:
    """Walk text already known to be valid JSON, recording lines and refusing duplicates."""

    def __init__(self, text: str, filename: str) -> None:
        self.text = text
        self.filename = filename
        self.newlines = [m.start() for m in re.finditer("\n", text)]
        self.located = Located(None)

    def line(self, pos: int) -> int:
        return bisect.bisect_left(self.newlines, pos) + 1

    def skip(self, pos: int) -> int:
        m = _WS.match(self.text, pos)
        assert m is not None  # the pattern matches the empty string
        return m.end()

    def run(self) -> Located:
        self.located.data, _ = self.value(self.skip(0), ())
        return self.located

    def value(self, pos: int, path: Path) -> tuple[Any, int]:
        text = self.text
        self.located.lines[path] = self.line(pos)
        ch = text[pos]
        if ch == "{":
            return self.object(pos + 1, path)
        if ch == "[":
            return self.array(pos + 1, path)
        if ch == '"':
            return _scanstring(text, pos + 1, True)
        for word, val in (("true", True), ("false", False), ("null", None)):
            if text.startswith(word, pos):
                return val, pos + len(word)
        m = _NUMBER.match(text, pos)
        if m is None:  # NaN, Infinity, -Infinity: accepted by Python, not by JSON
            raise InputError(
                "not a JSON number (NaN and Infinity are not allowed)",
                file=self.filename, line=self.line(pos), field=field_path(path),
                expected="a finite number")
        integer, frac, exp = m.groups()
        if frac or exp:
            return float(integer + (frac or "") + (exp or "")), m.end()
        return int(integer), m.end()

    def object(self, pos: int, path: Path) -> tuple[dict[str, Any], int]:
        result: dict[str, Any] = {}
        pos = self.skip(pos)
        if self.text[pos] == "}":
            return result, pos + 1
        while True:
            key_line = self.line(pos)
            key, pos = _scanstring(self.text, pos + 1, True)
            sub = (*path, key)
            if key in result:
                raise _duplicate(key, sub, self.located.key_lines[sub], key_line, self.filename)
            self.located.key_lines[sub] = key_line
            pos = self.skip(self.skip(pos) + 1)  # past the colon
            result[key], pos = self.value(pos, sub)
            pos = self.skip(pos)
            if self.text[pos] == "}":
                return result, pos + 1
            pos = self.skip(pos + 1)  # past the comma

    def array(self, pos: int, path: Path) -> tuple[list[Any], int]:
        result: list[Any] = []
        pos = self.skip(pos)
        if self.text[pos] == "]":
            return result, pos + 1
        while True:
            item, pos = self.value(pos, (*path, len(result)))
            result.append(item)
            pos = self.skip(pos)
            if self.text[pos] == "]":
                return result, pos + 1
            pos = self.skip(pos + 1)


def _duplicate(key: str, path: Path, first: int, line: int, filename: str) -> InputError:
    return InputError(
        f"duplicate key {key!r} (first at line {first})",
        file=filename, line=line, field=field_path(path), expected="each key once")


# -- YAML ---------------------------------------------------------------------

class _AliasFound(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses aliases (they would share or repeat data silently)."""

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        if self.check_event(yaml.AliasEvent):
            event: yaml.Event = self.peek_event()  # type: ignore[no-untyped-call]
            raise _AliasFound(event.start_mark.line + 1 if event.start_mark else 0)
        return super().compose_node(parent, index)


_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"


def parse_yaml(text: str, *, filename: str = "") -> Located:
    """Parse one YAML document; raise :class:`InputError` with the line of any fault."""
    try:
        loader = _Loader(text)
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        char = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise InputError(
            f"YAML cannot contain the control character U+{char:04X}",
            file=filename, line=line, expected="printable text") from None
    try:
        try:
            node = loader.get_single_node()
        except _AliasFound as exc:
            raise InputError(
                "YAML aliases (*name) are not allowed; write the value out",
                file=filename, line=exc.line or None) from None
        except yaml.MarkedYAMLError as exc:
            raise _yaml_syntax(exc, filename) from None
        located = Located(None)
        if node is not None:
            located.data = _YamlWalker(loader, located, filename).value(node, ())
        return located
    except RecursionError:
        raise InputError("YAML nested too deeply", file=filename) from None
    finally:
        loader.dispose()


def _yaml_syntax(exc: yaml.MarkedYAMLError, filename: str) -> InputError:
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or "not valid YAML"
    if exc.context:
        problem = f"{exc.context}, {problem}"
    column = f" (column {mark.column + 1})" if mark is not None else ""
    return InputError(
        f"YAML syntax error: {problem}{column}",
        file=filename, line=mark.line + 1 if mark is not None else None, expected="valid YAML")


class _YamlWalker:
    def __init__(self, loader: _Loader, located: Located, filename: str) -> None:
        self.loader = loader
        self.located = located
        self.filename = filename

    def value(self, node: Node, path: Path) -> Any:
        line = node.start_mark.line + 1
        self.located.lines[path] = line
        if isinstance(node, MappingNode):
            if node.tag != _MAP_TAG:
                raise self._tag(node, path)
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                key_line = key_node.start_mark.line + 1
                if not isinstance(key_node, ScalarNode):
                    raise InputError(
                        "a mapping key must be plain text", file=self.filename, line=key_line,
                        field=field_path(path), expected="text")
                # The key as written: ``2021:`` and ``"2021":`` are the same key.
                key = str(key_node.value)
                sub = (*path, key)
                if key in result:
                    raise _duplicate(
                        key, sub, self.located.key_lines[sub], key_line, self.filename)
                self.located.key_lines[sub] = key_line
                result[key] = self.value(value_node, sub)
            return result
        if isinstance(node, SequenceNode):
            if node.tag != _SEQ_TAG:
                raise self._tag(node, path)
            return [self.value(item, (*path, i)) for i, item in enumerate(node.value)]
        try:
            return self.loader.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError:
            raise self._tag(node, path) from None
        except (yaml.YAMLError, ValueError, TypeError) as exc:
            raise InputError(
                f"cannot read the value {node.value!r} as {node.tag}: {exc}",
                file=self.filename, line=line, field=field_path(path)) from None

    def _tag(self, node: Node, path: Path) -> InputError:
        return InputError(
            f"unsupported YAML tag {node.tag!r}", file=self.filename,
            line=node.start_mark.line + 1, field=field_path(path))
