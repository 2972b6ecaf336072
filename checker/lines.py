"""JSON pointer -> line number in the source text, computed lazily for the pointers asked about.

Two strategies:

* `scan_block_yaml`: one pass over the text tracking indentation, recording the line of every
  mapping key and sequence item whose path is wanted (a wanted pointer and its ancestors). It
  understands block mappings and sequences, quoted keys, block scalars (`|`, `>`) and flow
  collections spread over several lines (skipped as values). It is fast enough for multi-MB specs.
* `compose_lines`: `yaml.compose` node marks, exact for JSON, flow style, anchors and anything the
  scanner does not follow; used only for the pointers the scanner did not find.

`fill_locations(report)` puts `(file, line)` into `report.locations` for each reported change:
the change's pointer (or new_pointer) in the new file, else its old_pointer in the old file, else
the nearest ancestor found in the new file. Sources that are not plain files (`-`, `git:...`) are
skipped.
"""

from __future__ import annotations

import os
import re
from typing import Iterable

from .pointers import tokens

_KEY = re.compile(
    r"""^(?:"((?:[^"\\]|\\.)*)"|'((?:[^']|'')*)'|([^\s#'"\-\[\]{}!&*|>%@`][^#]*?|-[^\s#][^#]*?))\s*:(?:\s+|$)(.*)$"""
)
_DASH = re.compile(r"^-(?:\s+|$)(.*)$")


def _path_of(pointer: str) -> tuple[str, ...]:
    return tuple(tokens(pointer))


def _unquote_double(text: str) -> str:
    try:
        import json

        return json.loads(f'"{text}"')
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


def scan_block_yaml(text: str, pointers: Iterable[str]) -> dict[str, int]:
    """Lines (1-based) of the wanted pointers in block-style YAML; misses are left out."""
    wanted_paths: dict[tuple[str, ...], list[str]] = {}
    prefixes: set[tuple[str, ...]] = set()
    for p in pointers:
        path = _path_of(p)
        wanted_paths.setdefault(path, []).append(p)
        for i in range(len(path) + 1):
            prefixes.add(path[:i])
    found: dict[str, int] = {}
    total = sum(len(v) for v in wanted_paths.values())

    def record(path: tuple[str, ...], lineno: int) -> None:
        for p in wanted_paths.get(path, ()):
            found.setdefault(p, lineno)

    record((), 1)

    # stack entries: (indent, path, is_sequence_item)
    stack: list[tuple[int, tuple[str, ...], bool]] = []
    counters: dict[tuple[str, ...], int] = {}
    skip_deeper_than: int | None = None  # inside a block scalar
    flow_depth = 0  # inside a multi-line flow collection

    for lineno, raw in enumerate(text.splitlines(), start=1):
        if len(found) >= total:
            break
        stripped = raw.strip()
        if flow_depth > 0:
            flow_depth += _open_brackets(stripped)
            continue
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(raw) - len(raw.lstrip(" "))
        if skip_deeper_than is not None:
            if indent > skip_deeper_than:
                continue
            skip_deeper_than = None
        if stripped in ("---", "...") or stripped.startswith("%") or stripped.startswith("--- "):
            stack.clear()
            continue
        rest = raw[indent:]
        col = indent
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
                record(path, lineno)
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
                record(path, lineno)
                value = key.group(4).strip()
                if value[:1] in ("|", ">"):
                    skip_deeper_than = col
                elif value[:1] in ("[", "{"):
                    flow_depth = max(0, _open_brackets(value))
                elif value[:1] in ("&",) and " " not in value:
                    pass  # an anchor on a nested block: children follow
                rest = ""
                continue
            # a scalar (sequence item value or continuation line): nothing to record
            if rest[:1] in ("[", "{"):
                flow_depth = max(0, _open_brackets(rest))
            break
    return found


def compose_lines(text: str, pointers: Iterable[str]) -> dict[str, int]:
    """Exact lines from `yaml.compose` node marks (slower; JSON is YAML too)."""
    import yaml

    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        root = yaml.compose(text, Loader=loader)
    except yaml.YAMLError:
        return {}
    found: dict[str, int] = {}
    for p in pointers:
        node = root
        ok = node is not None
        for tok in _path_of(p):
            if isinstance(node, yaml.MappingNode):
                for k, v in node.value:
                    if isinstance(k, yaml.ScalarNode) and str(k.value) == tok:
                        node = v
                        last_key = k
                        break
                else:
                    ok = False
                    break
                node_line = last_key.start_mark.line + 1
            elif isinstance(node, yaml.SequenceNode) and tok.isdigit() and int(tok) < len(node.value):
                node = node.value[int(tok)]
                node_line = node.start_mark.line + 1
            else:
                ok = False
                break
        else:
            node_line = 1 if not _path_of(p) else node_line
        if ok:
            found[p] = node_line
    return found


def find_lines(text: str, pointers: Iterable[str]) -> dict[str, int]:
    """Scanner first (unless the text is JSON / flow style), `yaml.compose` for the misses."""
    pointers = list(dict.fromkeys(pointers))
    if not pointers:
        return {}
    head = text.lstrip()[:1]
    found = {} if head in ("{", "[") else scan_block_yaml(text, pointers)
    missing = [p for p in pointers if p not in found]
    if missing:
        found.update(compose_lines(text, missing))
    return found


def nearest_ancestor(pointer: str, lines: dict[str, int]) -> str | None:
    path = _path_of(pointer)
    for i in range(len(path), -1, -1):
        candidate = "#" + "".join("/" + t.replace("~", "~0").replace("/", "~1") for t in path[:i])
        if candidate in lines:
            return candidate
    return None


def _ancestors(pointer: str) -> list[str]:
    path = _path_of(pointer)
    return ["#" + "".join("/" + t.replace("~", "~0").replace("/", "~1") for t in path[:i])
            for i in range(len(path), -1, -1)]


def is_plain_file(source: str) -> bool:
    return bool(source) and source != "-" and not source.startswith("git:") and os.path.isfile(source)


def _read(source: str) -> str | None:
    try:
        with open(source, encoding="utf-8-sig", errors="replace") as fh:
            return fh.read()
    except OSError:
        return None


def fill_locations(report) -> None:
    """Put `(file, line)` in `report.locations[change.pointer]` for every reported change."""
    changes = [c for c in report.changes if c.pointer not in report.locations]
    if not changes:
        return
    new_text = _read(report.new_source) if is_plain_file(report.new_source) else None
    old_text = _read(report.old_source) if is_plain_file(report.old_source) else None
    new_lines: dict[str, int] = {}
    old_lines: dict[str, int] = {}
    if new_text is not None:
        want = []
        for c in changes:
            want.extend(_ancestors(c.new_pointer or c.pointer))
            if c.new_pointer and c.new_pointer != c.pointer:
                want.append(c.pointer)
        new_lines = find_lines(new_text, want)
    if old_text is not None:
        want = [c.old_pointer or c.pointer for c in changes]
        old_lines = find_lines(old_text, want)
    for c in changes:
        new_ptr = c.new_pointer or c.pointer
        old_ptr = c.old_pointer or c.pointer
        if c.pointer in new_lines:
            report.locations[c.pointer] = (report.new_source, new_lines[c.pointer])
        elif new_ptr in new_lines:  # annotations belong on the new file (the head of a pull request)
            report.locations[c.pointer] = (report.new_source, new_lines[new_ptr])
        elif old_ptr in old_lines:
            report.locations[c.pointer] = (report.old_source, old_lines[old_ptr])
        else:
            anc = nearest_ancestor(new_ptr, new_lines)
            if anc is not None:
                report.locations[c.pointer] = (report.new_source, new_lines[anc])
