"""YAML as apicompat reads it, whichever parser is installed.

The meaning is YAML 1.2's core schema as yaml-rs resolves it (a Rust parser, ~15x faster than
PyYAML), plus YAML 1.1's merge keys as PyYAML handles them:

- `true`/`false` (also `True`, `TRUE`, ...) are booleans; `yes`, `no`, `on`, `off`, `y`, `n` are text;
- `~`, `null`, `Null`, `NULL` and an empty value are null;
- integers: decimal (`0777` is 777), `0o17` octal, `0x1F` hex, `0b101` binary, any sign; `_` between
  digits is ignored (`1_000` is 1000);
- floats: `1.5`, `1e3`, `.5`, `.inf`, `.nan` (JSON has neither, so the loader refuses them later);
- `1:20` and dates (quoted or not) stay text; `!!binary` stays its base64 text; `!!timestamp` is an
  invalid tag;
- `<<: *base` (or a list of them) merges mappings in, the explicit keys winning, earlier merges
  winning over later ones: PyYAML's rules (yaml-rs keeps `<<` as a plain key, so a document with a
  merge key is read by the fallback below);
- a duplicate key is an error; an anchor may be redefined (the alias takes the latest); an alias
  inside its own anchor is null.

yaml-rs is used when installed; otherwise, when `APICOMPAT_YAML=pyyaml` is set (tests and CI run the
loader tests both ways), or for merge keys, `_Builder` builds the document from PyYAML's parser events
with the rules above. tests/unit/test_yaml.py checks that both give the same data on the corpus and on
the edge cases, and docs/yaml.md lists what differs from PyYAML's own YAML 1.1 reading.

Limits are enforced while the document is read, not after: one pass over the parser's events
measures what aliases would add before yaml-rs (which copies every alias) expands them, and the
fallback checks nesting as it builds.
"""

from __future__ import annotations

import importlib.util
import os
import re
from collections.abc import Iterator
from types import ModuleType
from typing import Any

from ..errors import InputError
from .limits import Limits

try:  # pragma: no cover - exercised where installed
    import yaml_rs
except ImportError:  # pragma: no cover
    yaml_rs = None  # type: ignore[assignment]  # absent: PyYAML's parser serves (read_yaml checks for None)

ENV_PARSER = "APICOMPAT_YAML"  # "pyyaml" forces the fallback
_LINE_COL_RE = re.compile(r"line (\d+),? column (\d+)")
FLOW_DEPTH = 255  # yaml-rs's own limit on nested flow collections; the fallback keeps the same


def parser_name() -> str:
    """'yaml-rs' or 'pyyaml': the parser `parse_yaml` uses for documents without merge keys."""
    if yaml_rs is None or os.environ.get(ENV_PARSER, "").strip().lower() == "pyyaml":
        return "pyyaml"
    return "yaml-rs"


def pyyaml() -> ModuleType:
    """PyYAML, imported when a document needs it: merge keys, YAML aliases or tags to check, or the
    fallback parser (yaml-rs reads the rest, and most documents have none of these)."""
    import yaml  # start-up time: most documents never need PyYAML (see above)

    return yaml


def safe_loader() -> Any:
    """PyYAML's C loader (libyaml), or its Python one where libyaml is missing."""
    yaml = pyyaml()
    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _pyyaml_identity() -> str:
    """PyYAML's version and whether it has libyaml, read from its files without importing it (which
    costs more than the rest of a small diff): 'pyyaml 6.0.4 libyaml'."""
    spec = importlib.util.find_spec("yaml")
    if spec is None or spec.origin is None or not spec.submodule_search_locations:
        return "no pyyaml"
    with open(spec.origin, encoding="utf-8") as fh:
        found = re.search(r"^__version__\s*=\s*['\"]([^'\"]+)['\"]", fh.read(), re.M)
    folder = spec.submodule_search_locations[0]
    libyaml = any(name.startswith("_yaml.") for name in os.listdir(folder))
    return f"pyyaml {found.group(1) if found else '?'} {'libyaml' if libyaml else 'python'}"


def parser_identity() -> str:
    """Names and versions of what reads YAML, for the parse cache's key."""
    py = _pyyaml_identity()
    rs = f"yaml-rs {getattr(yaml_rs, '__version__', '?')}" if yaml_rs is not None else "no yaml-rs"
    return f"{parser_name()}; {rs}; {py}"


def parse_yaml(source: str, text: str, limits: Limits) -> object:
    if parser_name() == "yaml-rs" and not _MERGE_KEY.search(text):
        replays = limits.max_alias_events
        unmeasured = None
        if _may_have_aliases(text):
            try:
                _Builder(source, limits, build=False).build(text)  # before yaml-rs copies every alias
            except ParserError as exc:
                replays, unmeasured = 0, exc  # PyYAML cannot read it: yaml-rs may expand no alias
        try:
            data = yaml_rs.loads(text, parse_datetime=False,
                                 alias_limits=yaml_rs.AliasLimits(max_total_replayed_events=replays))
        except yaml_rs.YAMLDecodeError as exc:
            message, place = _yaml_rs_error(str(exc))
            if unmeasured is not None and message.startswith("too many alias"):
                raise InputError(source, "uses YAML aliases where apicompat cannot measure them before they "
                                 f"are expanded ({unmeasured.message})", unmeasured.place) from None
            if place is None:  # yaml-rs names no place (a duplicate key): the event reader may (error path only)
                _placed(source, text, limits)
            raise InputError(source, message, place) from None
        except RecursionError:
            raise InputError(source, f"nested deeper than {limits.max_depth} levels") from None
        if "<<" not in text or not _has_key(data, "<<"):
            return data
    return _Builder(source, limits).build(text)


def _placed(source: str, text: str, limits: Limits) -> None:
    """Raise the event reader's error where it names a place; return where it reads the text."""
    try:
        _Builder(source, limits).build(text)
    except InputError as exc:
        if exc.place is not None:
            raise exc from None


# -- what aliases add, measured before anything is expanded ----------------------------------------

_MERGE_KEY = re.compile(r"<<\s*:")
_BEFORE_NODE = frozenset(" \t\r\n[{,:?-")  # what may stand before an anchor or alias
_NOT_A_NAME = frozenset(" \t\r\n[]{},")  # what cannot start an anchor's name


def _may_have_aliases(text: str) -> bool:
    """Cheap and never wrong in the unsafe direction: with no `&name` and no `*name` spelled where a
    node can start, the document has no alias. Anchors are looked for first (they are rarer)."""
    return _spelled(text, "&") and _spelled(text, "*")


def _spelled(text: str, mark: str) -> bool:
    i = text.find(mark)
    while i != -1:
        if (i == 0 or text[i - 1] in _BEFORE_NODE) and i + 1 < len(text) and text[i + 1] not in _NOT_A_NAME:
            return True
        i = text.find(mark, i + 1)
    return False


def count_yaml_values(source: str, text: str, limits: Limits) -> None:
    """Walk the parser's events, building nothing, and refuse a document with more values than the
    limit (aliases expanded) or aliases that add too much."""
    _Builder(source, limits, build=False).build(text)


def too_many_values(limits: Limits, verb: str = "holds") -> str:
    return (f"{verb} more than {limits.max_values:,} values (mappings, lists, keys and scalars; one per "
            f"{limits.bytes_per_value} bytes of the {limits.max_bytes // (1024 * 1024)} MB size limit: raise "
            "it with --max-size MB)")


def alias_allowance(own_bytes: int, own_nodes: int, limits: Limits) -> tuple[int, int]:
    """What aliases may add: as much as the document holds itself, plus a floor for small ones."""
    return (own_bytes * limits.alias_factor + limits.alias_floor_bytes,
            min(own_nodes * limits.alias_factor + limits.alias_floor_nodes, limits.max_alias_events))


# -- the fallback: a document from PyYAML's events ------------------------------------------------

_NULLS = {"", "~", "null", "Null", "NULL"}
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"[-+]?(?:0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|[0-9]+)")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_DECIMAL = re.compile(r"[-+]?[0-9]+")
# Underscores group digits; before a sign or inside a base prefix they make the scalar text (as yaml-rs
# reads it: the differential test in tests/unit/test_yaml.py holds both parsers to one reading).
_PREFIX_AT_START = re.compile(r"[-+]?0[xXoObB]")
_MISPLACED_UNDERSCORE = re.compile(r"_+[-+]|[-+]?_*_0[xXoObB]|[-+]?0_+[xXoObB]")
_INF = re.compile(r"[-+]?\.[iI][nN][fF]")
_NAN = re.compile(r"\.[nN][aA][nN]")
# `!!int` is laxer still in yaml-rs: a sign before and after the base prefix (`!!int 0x+1F`, `!!int --1`)
_TAGGED_INT = re.compile(r"([-+]?)(0[xXoObB])?([-+]?)([0-9a-fA-F]+)")
_TAG = "tag:yaml.org,2002:"
_BASES = {"x": 16, "o": 8, "b": 2}
_MAX_DECIMAL_DIGITS = 4000  # Python's int() refuses more than 4,300; the loader refuses more than 1,000


def plain_scalar(value: str, tagged: bool = False) -> object:
    """An unquoted scalar, resolved the way yaml-rs resolves it: untagged, an underscore before the
    sign or inside a base prefix makes it text; under a `!!float` tag yaml-rs drops underscores
    anywhere (`tagged`)."""
    if value in _NULLS:
        return None
    if value in _BOOLS:
        return _BOOLS[value]
    if value[0] in "0123456789+-._" and (tagged or not _MISPLACED_UNDERSCORE.match(value)):
        number = _number(value)
        if number is not None:
            return number
    return value


def _number(value: str) -> int | float | None:
    if _INF.fullmatch(value):
        return float("-inf") if value[0] == "-" else float("inf")
    if _NAN.fullmatch(value):
        return float("nan")
    digits = value.replace("_", "")
    if _INT.fullmatch(digits):
        return _to_int(digits)
    if _FLOAT.fullmatch(digits):
        return float(digits)
    return None


def _to_int(digits: str) -> int:
    sign = -1 if digits[0] == "-" else 1
    body = digits.lstrip("+-")
    base = _BASES.get(body[1:2].lower(), 10) if body[:1] == "0" and len(body) > 2 else 10
    if base != 10:
        return sign * int(body[2:], base)
    if len(body) > _MAX_DECIMAL_DIGITS:
        return sign * _HUGE  # too many digits to convert; the loader refuses it as too large
    return sign * int(body)


_HUGE = 10 ** 1001


def _tagged_int(value: str) -> int | None:
    m = _TAGGED_INT.fullmatch(value.replace("_", ""))
    if m is None:
        return None
    if m.group(2) and not _PREFIX_AT_START.match(value):  # `0_x1`, `_0x1`, `-_0o7`: refused by yaml-rs too
        return None
    base = _BASES[m.group(2)[1].lower()] if m.group(2) else 10
    try:
        number = _to_int(m.group(4)) if base == 10 else int(m.group(4), base)
    except ValueError:
        return None
    return number * (-1 if m.group(1) == "-" else 1) * (-1 if m.group(3) == "-" else 1)


class _Frame:
    """A collection being built: its items, its anchor, and where the document's running size stood
    when it began (so its own size is known when it ends)."""

    __slots__ = ("kind", "items", "anchor", "flow", "start_bytes", "start_nodes", "key", "keys", "merges")

    def __init__(self, kind: str, anchor: str | None, flow: bool, start_bytes: int, start_nodes: int) -> None:
        self.kind, self.anchor, self.flow = kind, anchor, flow
        self.start_bytes, self.start_nodes = start_bytes, start_nodes
        self.items: list = []
        self.key: object = _NO_KEY  # a mapping's key waiting for its value
        self.keys: set = set()
        self.merges: list = []


_NO_KEY = object()
_MERGE = object()


class ParserError(InputError):
    """PyYAML's parser refused the text (as opposed to a limit or a rule of ours)."""


class _Builder:
    """Builds the document from parser events without recursion, checking as it goes: nesting (data
    and flow), what aliases add, duplicate keys, keys that are not scalars, merge keys, tags. With
    build=False it only measures (the check before yaml-rs), building nothing.

    Sizes are of the expanded document: every scalar's length and every value, counting an alias as
    the whole of its anchor (never copied here: the anchor's object is shared)."""

    def __init__(self, source: str, limits: Limits, build: bool = True) -> None:
        self.source, self.limits, self.building = source, limits, build
        self.anchors: dict[str, tuple[object, int, int]] = {}  # name -> (value, bytes, values)
        self.open_anchors: set[str] = set()
        self.bytes = self.nodes = 0  # the expanded document so far
        self.added_bytes = self.added_nodes = 0  # of which aliases added

    def build(self, text: str) -> object:
        documents: list = []
        stack: list[_Frame] = []
        flow_depth = 0
        # what aliases may add at most, whatever the document's final size (it is at most the text)
        self.text_bytes = len(text)
        self.ceiling = alias_allowance(len(text), len(text), self.limits)
        yaml = pyyaml()
        ev = self.ev = yaml.events
        try:
            # Any: the branches below tell the event's class by `type(event)` once, for speed.
            events: Iterator[Any] = yaml.parse(text, Loader=safe_loader())
            for event in events:
                kind = type(event)
                if self.nodes > self.limits.max_values:
                    raise InputError(self.source, too_many_values(self.limits), _place(event))
                if kind is ev.ScalarEvent:
                    value = self._scalar(event)
                    self.bytes += len(event.value)
                    self.nodes += 1
                    self._put(stack, documents, value, event)
                    if event.anchor:
                        self.anchors[event.anchor] = (value, len(event.value), 1)
                elif kind is ev.AliasEvent:
                    self._alias(event, stack, documents)
                elif kind is ev.MappingStartEvent or kind is ev.SequenceStartEvent:
                    frame = _Frame("map" if kind is ev.MappingStartEvent else "seq", event.anchor,
                                   bool(event.flow_style), self.bytes, self.nodes)
                    self.nodes += 1  # a tag on a collection is ignored, as yaml-rs ignores it
                    if frame.flow:
                        flow_depth += 1
                        if flow_depth > FLOW_DEPTH:
                            raise InputError(self.source, f"nested deeper than {FLOW_DEPTH} levels of flow "
                                             "collections (the YAML parser's limit)", _place(event))
                    if len(stack) + 1 > self.limits.max_depth:
                        raise InputError(self.source, f"nested deeper than {self.limits.max_depth} levels")
                    if event.anchor:
                        self.open_anchors.add(event.anchor)
                    stack.append(frame)
                elif kind is ev.MappingEndEvent or kind is ev.SequenceEndEvent:
                    frame = stack.pop()
                    if frame.flow:
                        flow_depth -= 1
                    value = self._finish(frame) if self.building else None
                    if frame.anchor:
                        self.open_anchors.discard(frame.anchor)
                        self.anchors[frame.anchor] = (value, self.bytes - frame.start_bytes,
                                                      self.nodes - frame.start_nodes)
                    self._put(stack, documents, value, event)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark
            place = f"line {mark.line + 1}, column {mark.column + 1}" if mark else None
            if "maximum nesting depth" in str(exc.problem):  # libyaml's own limit, 1,000 like ours
                raise InputError(self.source, f"nested deeper than {self.limits.max_depth} levels") from None
            raise ParserError(self.source, f"invalid YAML: {exc.problem}", place) from None
        except yaml.YAMLError as exc:
            raise ParserError(self.source, f"invalid YAML: {exc}") from None
        if self.nodes > self.limits.max_values:
            raise InputError(self.source, too_many_values(self.limits))
        self._check_aliases(self.bytes - self.added_bytes, self.nodes - self.added_nodes, None)
        if not documents:
            return None
        return documents[0] if len(documents) == 1 else documents

    # -- values ---------------------------------------------------------------------------------
    def _scalar(self, event) -> object:
        if not self.building:
            return None
        tag, value = event.tag, event.value
        if tag is None:
            return plain_scalar(value) if event.implicit[0] else value
        if tag in ("!", _TAG + "str", _TAG + "binary"):
            return value  # `!!binary` stays its base64 text, as yaml-rs keeps it (JSON has no bytes)
        name = tag[len(_TAG):] if tag.startswith(_TAG) else ""
        if name == "int":
            number = _tagged_int(value)
            if number is None:
                raise InputError(self.source, f"invalid YAML: Invalid value {value!r} for '!!int' tag", _place(event))
            return number
        if name in ("float", "bool", "null"):
            resolved = plain_scalar(value, tagged=True)
            decimal = type(resolved) is int and _DECIMAL.fullmatch(value.replace("_", "")) is not None
            ok = {"float": type(resolved) is float or decimal,
                  "bool": type(resolved) is bool, "null": resolved is None}[name]
            if not ok:
                raise InputError(self.source, f"invalid YAML: Invalid value {value!r} for '!!{name}' tag",
                                 _place(event))
            if name == "float":
                assert isinstance(resolved, (int, float))  # `ok` above
                return float(value.replace("_", "")) if decimal else float(resolved)  # `-0`: -0.0
            return resolved
        raise InputError(self.source, f"invalid YAML: Invalid tag: {_short(tag)!r}", _place(event))

    def _alias(self, event, stack: list[_Frame], documents: list) -> None:
        name = event.anchor
        if name in self.open_anchors:  # an alias inside its own anchor: null, as yaml-rs reads it
            self.nodes += 1
            self._put(stack, documents, None, event)
            return
        if name not in self.anchors:
            raise InputError(self.source, f"invalid YAML: found undefined alias {name!r}", _place(event))
        value, size, nodes = self.anchors[name]
        self.bytes += size
        self.nodes += nodes
        self.added_bytes += size
        self.added_nodes += nodes
        if self.added_bytes > self.ceiling[0] or self.added_nodes > self.ceiling[1]:
            self._check_aliases(self.bytes - self.added_bytes, self.nodes - self.added_nodes, event)
        self._put(stack, documents, value, event)

    def _check_aliases(self, own_bytes: int, own_nodes: int, event) -> None:
        """At the end: against what the document holds itself. Early (an alias event), against the
        most the whole text could allow, so that a bomb stops as soon as it is certain."""
        if event is None:
            max_bytes, max_nodes = alias_allowance(own_bytes, own_nodes, self.limits)
            if self.added_bytes > max_bytes or self.added_nodes > max_nodes:
                raise InputError(self.source, "too many alias expansions (alias bomb?): aliases would add "
                                 f"{self.added_bytes:,} bytes in {self.added_nodes:,} values to a document that "
                                 f"holds {own_bytes:,} bytes in {own_nodes:,} values (at most {max_bytes:,} bytes "
                                 f"and {max_nodes:,} values may be added)")
        elif self.added_bytes > self.ceiling[0] or self.added_nodes > self.ceiling[1]:
            raise InputError(self.source, "too many alias expansions (alias bomb?): aliases would add more than "
                             f"{self.ceiling[0]:,} bytes or {self.ceiling[1]:,} values to a document of "
                             f"{self.text_bytes:,} bytes", _place(event))

    def _put(self, stack: list[_Frame], documents: list, value: object, event) -> None:
        """A finished value into its parent collection, or a document of its own."""
        if not stack:
            documents.append(value)
            return
        parent = stack[-1]
        if not self.building:
            return
        if parent.kind == "seq":
            parent.items.append(value)
        elif parent.key is _NO_KEY:
            if isinstance(value, (dict, list)):
                raise InputError(self.source, "a mapping key must be a string, a number, a boolean or null, "
                                 "not a collection", _place(event))
            plain_merge = (type(event) is self.ev.ScalarEvent and event.value == "<<" and event.tag is None
                           and event.implicit[0])
            parent.key = _MERGE if plain_merge else value
        else:
            key, parent.key = parent.key, _NO_KEY
            if key is _MERGE:
                parent.merges.append((value, event))
            elif key in parent.keys:
                raise InputError(self.source, f"invalid YAML: duplicate mapping key: {key!r}", _place(event))
            else:
                parent.keys.add(key)
                parent.items.append((key, value))

    def _finish(self, frame: _Frame) -> object:
        if frame.kind == "seq":
            return frame.items
        result: dict = {}
        for value, event in frame.merges:  # PyYAML's merge: later merges, then the explicit keys, win
            sources = [value] if isinstance(value, dict) else list(reversed(value)) if isinstance(value, list) else None
            if sources is None or not all(isinstance(s, dict) for s in sources):
                raise InputError(self.source, "invalid YAML: a merge key (<<) takes a mapping or a list of "
                                 "mappings", _place(event))
            for mapping in sources:
                result.update(mapping)
        for key, value in frame.items:
            result[key] = value
        return result




def _short(tag: str) -> str:
    return "!!" + tag[len(_TAG):] if tag.startswith(_TAG) else tag


def _place(event) -> str | None:
    mark = getattr(event, "start_mark", None)
    return f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else None


def _has_key(data: object, wanted: str) -> bool:
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if wanted in node:
                return True
            stack.extend(v for v in node.values() if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            stack.extend(v for v in node if isinstance(v, (dict, list)))
    return False


def _yaml_rs_error(text: str) -> tuple[str, str | None]:
    """yaml-rs reports 'YAML parse error at line L, column C', a snippet, then the reason."""
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    first = lines[0] if lines else "invalid YAML"
    m = _LINE_COL_RE.search(first)
    place = f"line {m.group(1)}, column {m.group(2)}" if m else None
    reasons = [ln.strip() for ln in lines[1:] if not re.match(r"^\s*(\d+\s*)?\|", ln)]
    if "alias" in first:
        return f"too many alias expansions (alias bomb?): {first}", place
    if any("recursion limit" in r for r in reasons):
        return f"nested deeper than {FLOW_DEPTH} levels of flow collections (the YAML parser's limit)", place
    if reasons:
        return f"invalid YAML: {reasons[-1]}", place
    if m is None:
        return f"invalid YAML: {first}", place
    return "invalid YAML (or nested deeper than the parser's 256 levels)", place
