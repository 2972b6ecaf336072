"""JSON pointer -> line in a loaded document's text, for the report formats that show lines.

The text is the one read at load time and carried on the report (`apicompat.model.SourceDocument`):
nothing is read again, so standard input and `git:REV:PATH` inputs get lines too, and a file that
changes after it was read cannot shift them. The work is done only when a format asks
(`Report.locations`), and only for the pointers asked about:

* `scan_block_yaml`: one pass over block-style YAML tracking indentation, recording the line of every
  mapping key and sequence item on the way to a wanted pointer. A subtree no wanted pointer goes
  through is jumped over with one regular-expression search (in C), so a 3 MB file costs little
  more than the lines along the wanted paths. It understands quoted keys, block scalars (`|`, `>`)
  and flow collections spread over several lines (skipped as values).
* `scan_json`: the same for JSON, walking only the wanted members; everything else is skipped by
  the json module's C decoder.
* `compose_lines`: `yaml.compose` node marks, exact for flow style, anchors and anything the
  scanner does not follow; used only for the pointers the scanners missed that do exist in the
  parsed document (a pointer that is not in the document has no line to find).

`locate(changes, old, new)` picks, for each change, where a reader is shown it: its place in the
new document; else its old place in the old document, then its nearest ancestor in the new one
(an annotation on a pull request needs a line in the head's file).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol
from collections.abc import Callable, Iterable, Mapping

from .pointers import resolve, tokens

_KEY = re.compile(
    r"""^(?:"((?:[^"\\]|\\.)*)"|'((?:[^']|'')*)'|([^\s#'"\-\[\]{}!&*|>%@`][^#]*?|-[^\s#][^#]*?))\s*:(?:\s+|$)(.*)$"""
)
_DASH = re.compile(r"^-(?:\s+|$)(.*)$")
_MISSING = object()


@dataclass(frozen=True)
class Location:
    """A line in one input, named as the user gave it (a path, `-`, `git:REV:PATH`)."""

    source: str
    line: int  # 1-based

    @property
    def label(self) -> str:
        return f"{'<stdin>' if self.source == '-' else self.source}:{self.line}"

    def to_dict(self) -> dict[str, object]:
        return {"source": self.source, "line": self.line}

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Location:
        line = data["line"]
        return cls(source=str(data["source"]), line=line if isinstance(line, int) else int(str(line)))


class Text(Protocol):
    """What `locate` reads of a loaded document (apicompat.model.SourceDocument). Read-only members,
    so that frozen dataclasses match."""

    @property
    def source(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def data(self) -> object: ...


class Pointed(Protocol):
    """What `locate` reads of a change (read-only: apicompat.model.Change is frozen)."""

    @property
    def pointer(self) -> str: ...
    @property
    def old_pointer(self) -> str | None: ...
    @property
    def new_pointer(self) -> str | None: ...


def _path_of(pointer: str) -> tuple[str, ...]:
    return tuple(tokens(pointer))


class _Wanted:
    """The paths asked about, the paths that lead to one (whose insides must be walked), and the
    offset in the text where each was found (turned into line numbers once, at the end)."""

    def __init__(self, pointers: Iterable[str]) -> None:
        self.paths: dict[tuple[str, ...], list[str]] = {}
        self.inner: set[tuple[str, ...]] = set()
        for p in pointers:
            path = _path_of(p)
            self.paths.setdefault(path, []).append(p)
            self.inner.update(path[:i] for i in range(len(path)))
        self.offsets: dict[tuple[str, ...], int] = {}

    def record(self, path: tuple[str, ...], at: int) -> None:
        if path in self.paths and path not in self.offsets:
            self.offsets[path] = at

    @property
    def done(self) -> bool:
        return len(self.offsets) == len(self.paths)

    def lines(self, text: str) -> dict[str, int]:
        """The wanted pointers found, with their 1-based line numbers."""
        found: dict[str, int] = {}
        line, counted = 1, 0
        for path, at in sorted(self.offsets.items(), key=lambda item: item[1]):
            line += text.count("\n", counted, at)
            counted = at
            for p in self.paths[path]:
                found[p] = line
        return found


def _unquote_double(text: str) -> str:
    try:
        return str(json.loads(f'"{text}"'))
    except ValueError:
        return text


def _open_brackets(value: str) -> int:
    """Net bracket depth of a flow value on one line (ignores brackets inside quotes)."""
    depth = 0
    quote = ""
    i = 0
    while i < len(value):
        ch = value[i]
        if quote:
            if ch == "\\" and quote == '"':
                i += 1
            elif ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
        elif ch == "#" and i > 0 and value[i - 1] in " \t":
            break
        i += 1
    return depth


@lru_cache(maxsize=128)
def _line_at_or_left_of(col: int) -> re.Pattern[str]:
    """The line break before the next line whose content begins at column `col` or further left: where
    an indented block ends (blank and comment lines do not end one). Led by the literal line break,
    which the regular-expression engine finds fast (a `^` in MULTILINE mode is tried at every character)."""
    return re.compile(r"\n {0,%d}[^ \t\r\n#]" % col)


def scan_block_yaml(text: str, pointers: Iterable[str]) -> dict[str, int]:
    """Lines (1-based) of the wanted pointers in block-style YAML; misses are left out."""
    wanted = _Wanted(pointers)
    wanted.record((), 0)
    # stack entries: (indent, path, is_sequence_item)
    stack: list[tuple[int, tuple[str, ...], bool]] = []
    counters: dict[tuple[str, ...], int] = {}
    flow_depth = 0  # inside a multi-line flow collection on a wanted path
    pos, size = 0, len(text)
    while pos < size and not wanted.done:
        end = text.find("\n", pos)
        end = size if end < 0 else end
        raw = text[pos:end]
        line_start, pos = pos, end + 1
        stripped = raw.strip()
        if flow_depth > 0:
            flow_depth += _open_brackets(stripped)
            continue
        if not stripped or stripped.startswith("#"):
            continue
        if stripped in ("---", "...") or stripped.startswith("%") or stripped.startswith("--- "):
            stack.clear()
            continue
        indent = len(raw) - len(raw.lstrip(" "))
        rest = raw[indent:]
        col = indent
        skip_deeper_than: int | None = None  # a subtree no wanted pointer goes through, or a block scalar
        while rest:
            dash = _DASH.match(rest)
            if dash:
                while stack and (stack[-1][0] > col or (stack[-1][0] == col and stack[-1][2])):
                    stack.pop()
                parent = stack[-1][1] if stack else ()
                index = counters.get(parent, 0)
                counters[parent] = index + 1
                path = parent + (str(index),)
                stack.append((col, path, True))
                counters.pop(path, None)
                wanted.record(path, line_start)
                if path not in wanted.inner:
                    skip_deeper_than = col
                    break
                after = dash.group(1)
                col = col + (len(rest) - len(after)) if after else col + 2
                rest = after
                continue
            key = _KEY.match(rest)
            if key:
                if key.group(1) is not None:
                    name = _unquote_double(key.group(1))
                elif key.group(2) is not None:
                    name = key.group(2).replace("''", "'")
                else:
                    name = key.group(3).strip()
                while stack and stack[-1][0] >= col:
                    stack.pop()
                parent = stack[-1][1] if stack else ()
                path = parent + (name,)
                stack.append((col, path, False))
                counters.pop(path, None)
                wanted.record(path, line_start)
                value = key.group(4).strip()
                if path not in wanted.inner or value[:1] in ("|", ">"):
                    skip_deeper_than = col
                elif value[:1] in ("[", "{"):
                    flow_depth = max(0, _open_brackets(value))
                break
            # a scalar (sequence item value or continuation line): nothing to record
            if rest[:1] in ("[", "{"):
                flow_depth = max(0, _open_brackets(rest))
            break
        if skip_deeper_than is not None:
            nxt = _line_at_or_left_of(skip_deeper_than).search(text, pos - 1)
            if nxt is None:
                break
            pos = nxt.start() + 1
    return wanted.lines(text)


_WHITESPACE = re.compile(r"[ \t\n\r]*")
# The json module's own string scanner (C-accelerated): in json.decoder, though not in typeshed's stub.
_scanstring: Callable[[str, int], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]


def _blank(text: str, at: int = 0) -> int:
    """The offset after the JSON whitespace at `at` (the pattern matches the empty string: always found)."""
    found = _WHITESPACE.match(text, at)
    assert found is not None
    return found.end()


class _AllFound(Exception):
    """Every wanted pointer has its place: stop walking."""


def scan_json(text: str, pointers: Iterable[str]) -> dict[str, int] | None:
    """Lines (1-based) of the wanted pointers in a JSON text (a member's line is its key's), or None
    when the text is not JSON. Only the members on a wanted path are walked here; the json module's
    C decoder skips the rest."""
    wanted = _Wanted(pointers)
    decoder = json.JSONDecoder()
    blank = _blank

    def mark(path: tuple[str, ...], at: int) -> None:
        wanted.record(path, at)
        if wanted.done:
            raise _AllFound

    def value(at: int, path: tuple[str, ...]) -> int:
        """Walk the value starting at `at`; the offset just after it."""
        opener = text[at]
        if path not in wanted.inner or opener not in "{[":
            return int(decoder.raw_decode(text, at)[1])
        closer = "}" if opener == "{" else "]"
        at = blank(text, at + 1)
        if text[at] == closer:
            return at + 1
        index = 0
        while True:
            if opener == "{":
                if text[at] != '"':
                    raise ValueError("expected a member name")
                name, after = _scanstring(text, at + 1)
                child = path + (name,)
                mark(child, at)
                after = blank(text, after)
                if text[after] != ":":
                    raise ValueError("expected ':'")
                at = value(blank(text, after + 1), child)
            else:
                child = path + (str(index),)
                index += 1
                mark(child, at)
                at = value(at, child)
            at = blank(text, at)
            if text[at] == ",":
                at = blank(text, at + 1)
            elif text[at] == closer:
                return at + 1
            else:
                raise ValueError(f"expected ',' or {closer!r}")

    start = blank(text)
    try:
        mark((), start)
        value(start, ())
    except _AllFound:
        pass
    except (ValueError, IndexError, RecursionError):
        return None
    return wanted.lines(text)


def compose_lines(text: str, pointers: Iterable[str]) -> dict[str, int]:
    """Exact lines from `yaml.compose` node marks (slower; JSON is YAML too)."""
    import yaml  # start-up time: PyYAML loads only for the pointers the scanners missed

    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        root = yaml.compose(text, Loader=loader)
    except yaml.YAMLError:
        return {}
    found: dict[str, int] = {}
    for p in pointers:
        node = root
        ok = node is not None
        node_line = 1
        for tok in _path_of(p):
            if isinstance(node, yaml.MappingNode):
                for k, v in node.value:
                    if isinstance(k, yaml.ScalarNode) and str(k.value) == tok:
                        node = v
                        node_line = k.start_mark.line + 1
                        break
                else:
                    ok = False
                    break
            elif isinstance(node, yaml.SequenceNode) and tok.isdigit() and int(tok) < len(node.value):
                node = node.value[int(tok)]
                node_line = node.start_mark.line + 1
            else:
                ok = False
                break
        if ok:
            found[p] = node_line
    return found


def find_lines(text: str, pointers: Iterable[str], data: object = _MISSING) -> dict[str, int]:
    """The scanner for the text's style first, `yaml.compose` for the misses; given the parsed
    `data`, only for misses that are in it."""
    wanted = list(dict.fromkeys(pointers))
    if not wanted:
        return {}
    found = scan_json(text, wanted) if text.lstrip()[:1] in ("{", "[") else None
    if found is None:
        found = scan_block_yaml(text, wanted)
    missing = [p for p in wanted if p not in found
               and (data is _MISSING or resolve(data, p, _MISSING) is not _MISSING)]
    if missing:
        found.update(compose_lines(text, missing))
    return found


def nearest_ancestor(pointer: str, lines: Mapping[str, int]) -> str | None:
    for candidate in _ancestors(pointer):
        if candidate in lines:
            return candidate
    return None


def _ancestors(pointer: str) -> list[str]:
    """The pointer itself, then each ancestor up to the root (cut at each `/`: an escaped token has none)."""
    out = [pointer]
    cut = pointer.rfind("/")
    while cut > 0:
        out.append(pointer[:cut])
        cut = pointer.rfind("/", 0, cut)
    if out[-1] != "#":
        out.append("#")
    return out


def locate(changes: Iterable[Pointed], old: Text | None, new: Text | None) -> dict[str, tuple[Location, ...]]:
    """Where each change is shown, best first, by change pointer: its place in the new document;
    else its old place in the old document, then its nearest ancestor in the new one."""
    changes = list(changes)
    new_lines: dict[str, int] = {}
    if new is not None and new.text:
        want: list[str] = []
        for c in changes:
            want.extend(_ancestors(c.new_pointer or c.pointer))
            if c.new_pointer and c.new_pointer != c.pointer:
                want.append(c.pointer)
        new_lines = find_lines(new.text, want, new.data)
    out: dict[str, tuple[Location, ...]] = {}
    elsewhere = []
    for c in changes:
        exact = next((p for p in (c.pointer, c.new_pointer or c.pointer) if p in new_lines), None)
        if exact is not None and new is not None:
            out.setdefault(c.pointer, (Location(new.source, new_lines[exact]),))
        else:
            elsewhere.append(c)
    old_lines: dict[str, int] = {}
    if old is not None and old.text and elsewhere:
        old_lines = find_lines(old.text, [c.old_pointer or c.pointer for c in elsewhere], old.data)
    for c in elsewhere:
        found: list[Location] = []
        if old is not None and (c.old_pointer or c.pointer) in old_lines:
            found.append(Location(old.source, old_lines[c.old_pointer or c.pointer]))
        ancestor = nearest_ancestor(c.new_pointer or c.pointer, new_lines)
        if ancestor is not None and new is not None:
            found.append(Location(new.source, new_lines[ancestor]))
        if found and c.pointer not in out:
            out[c.pointer] = tuple(found)
    return out
