"""Read a document from a file, `-` (stdin) or `git:REV:PATH`, and parse it safely.

YAML goes through yaml-rs (a Rust parser, ~15x faster than PyYAML's C loader on the OpenAI spec,
with alias-expansion and nesting limits built in); PyYAML's C SafeLoader is the fallback where
yaml-rs is missing. Dates stay strings (OpenAPI has no date type), and YAML tags that would make
a loader build objects are refused before parsing.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from .limits import DEFAULT_LIMITS, Limits

try:  # pragma: no cover - exercised where installed
    import yaml_rs  # type: ignore
except ImportError:  # pragma: no cover
    yaml_rs = None

import yaml

_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# A tag at the start of a node: after a line start / "- ", after ": ", or inside a flow collection.
_TAG_RE = re.compile(r"(?m)(?:^[ \t]*(?:-[ \t]+)*|:[ \t]+|[\[{,][ \t]*)(![^\s,\[\]{}]*)")
_ALLOWED_TAGS = {"!!str", "!!int", "!!float", "!!bool", "!!null", "!!map", "!!seq", "!!binary",
                 "!!timestamp", "!"}
_LINE_COL_RE = re.compile(r"line (\d+),? column (\d+)")


@dataclass
class Document:
    source: str  # what the user gave: a path, "-", or git:REV:PATH
    data: object
    text: str = field(repr=False, default="")
    path: Path | None = None  # the file on disk, when there is one (relative $refs, line numbers)


def read_source(source: str, limits: Limits = DEFAULT_LIMITS) -> tuple[bytes, Path | None]:
    if source == "-":
        raw = sys.stdin.buffer.read(limits.max_bytes + 1)
        _check_size(source, len(raw), limits)
        return raw, None
    if source.startswith("git:"):
        return _read_git(source, limits), None
    path = Path(source)
    try:
        if path.is_dir():
            raise InputError(source, "is a directory, expected a file")
        size = path.stat().st_size
        _check_size(source, size, limits)
        with open(path, "rb") as fh:
            raw = fh.read(limits.max_bytes + 1)
    except FileNotFoundError:
        raise InputError(source, "no such file") from None
    except PermissionError:
        raise InputError(source, "permission denied") from None
    except IsADirectoryError:
        raise InputError(source, "is a directory, expected a file") from None
    except OSError as exc:
        raise InputError(source, f"cannot read: {exc.strerror or exc}") from None
    _check_size(source, len(raw), limits)
    return raw, path


def _check_size(source: str, size: int, limits: Limits) -> None:
    if size > limits.max_bytes:
        raise InputError(
            source,
            f"file is larger than the {limits.max_bytes // (1024 * 1024)} MB limit "
            "(raise it with --max-size MB)",
        )


def _read_git(source: str, limits: Limits) -> bytes:
    spec = source[len("git:"):]
    rev, sep, path = spec.partition(":")
    if not sep or not rev or not path:
        raise InputError(source, "expected git:REV:PATH (for example git:origin/main:openapi.yaml)")
    if rev.startswith("-"):
        raise InputError(source, "a git revision cannot start with '-'")
    try:
        proc = subprocess.run(
            ["git", "show", f"{rev}:{path}"], capture_output=True, timeout=60, check=False
        )
    except FileNotFoundError:
        raise InputError(source, "git is not installed") from None
    except subprocess.TimeoutExpired:
        raise InputError(source, "git show took longer than 60 s") from None
    if proc.returncode != 0:
        why = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise InputError(source, f"git show failed: {why[-1] if why else 'unknown error'}")
    _check_size(source, len(proc.stdout), limits)
    return proc.stdout


def decode(source: str, raw: bytes) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(source, f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})",
                         f"line {line}") from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise InputError(source, "contains a NUL byte: not a text document", f"line {line}")
    return text


def parse_text(source: str, text: str, limits: Limits = DEFAULT_LIMITS) -> object:
    if not text.strip():
        raise InputError(source, "the document is empty")
    stripped = text.lstrip()
    if stripped[:1] in "{[" and _looks_like_json(source):
        try:
            return _parse_json(source, text, limits)
        except InputError:
            if source.endswith(".json"):
                raise
    _refuse_tags(source, text)
    data = _parse_yaml(source, text, limits)
    if data is None:
        raise InputError(source, "the document is empty (null)")
    _check_depth(source, data, limits)
    return data


def _looks_like_json(source: str) -> bool:
    return not source.endswith((".yaml", ".yml"))


def _parse_json(source: str, text: str, limits: Limits) -> object:
    def reject_constant(name: str):
        raise ValueError(f"{name} is not valid JSON")

    try:
        data = json.loads(text, parse_constant=reject_constant)
    except json.JSONDecodeError as exc:
        raise InputError(source, f"invalid JSON: {exc.msg}", f"line {exc.lineno}, column {exc.colno}") from None
    except RecursionError:
        raise InputError(source, f"nested deeper than {limits.max_depth} levels") from None
    except ValueError as exc:
        raise InputError(source, f"invalid JSON: {exc}") from None
    _check_depth(source, data, limits)
    return data


def _refuse_tags(source: str, text: str) -> None:
    if "!" not in text:
        return
    for match in _TAG_RE.finditer(text):
        tag = match.group(1)
        if tag in _ALLOWED_TAGS:
            continue
        line = text.count("\n", 0, match.start(1)) + 1
        raise InputError(source, f"YAML tag {tag} is refused (apicompat never constructs objects from tags)",
                         f"line {line}")


def _parse_yaml(source: str, text: str, limits: Limits) -> object:
    if yaml_rs is not None:
        try:
            return yaml_rs.loads(
                text,
                parse_datetime=False,
                alias_limits=yaml_rs.AliasLimits(max_total_replayed_events=limits.max_alias_events),
            )
        except yaml_rs.YAMLDecodeError as exc:
            raise InputError(source, *_yaml_error(str(exc))) from None
        except RecursionError:
            raise InputError(source, f"nested deeper than {limits.max_depth} levels") from None
    return _parse_yaml_pyyaml(source, text)  # pragma: no cover


def _yaml_error(text: str) -> tuple[str, str | None]:
    """yaml-rs reports 'YAML parse error at line L, column C', a snippet, then the reason."""
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    first = lines[0] if lines else "invalid YAML"
    m = _LINE_COL_RE.search(first)
    place = f"line {m.group(1)}, column {m.group(2)}" if m else None
    reasons = [ln.strip() for ln in lines[1:] if not re.match(r"^\s*(\d+\s*)?\|", ln)]
    if "alias" in first:
        return f"too many alias expansions (alias bomb?): {first}", place
    if reasons:
        return f"invalid YAML: {reasons[-1]}", place
    if m is None:
        return f"invalid YAML: {first}", place
    return "invalid YAML (or nested deeper than the parser's 256 levels)", place


def _parse_yaml_pyyaml(source: str, text: str) -> object:  # pragma: no cover - fallback
    class Loader(_SafeLoader):  # type: ignore[misc, valid-type]
        pass

    Loader.yaml_implicit_resolvers = {
        k: [r for r in v if r[0] != "tag:yaml.org,2002:timestamp"]
        for k, v in _SafeLoader.yaml_implicit_resolvers.items()
    }
    try:
        return yaml.load(text, Loader=Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        place = f"line {mark.line + 1}, column {mark.column + 1}" if mark else None
        raise InputError(source, f"invalid YAML: {exc.problem}", place) from None
    except yaml.YAMLError as exc:
        raise InputError(source, f"invalid YAML: {exc}") from None


def _check_depth(source: str, data: object, limits: Limits) -> None:
    """Iterative, so a deep document cannot blow the stack here."""
    stack = [(data, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limits.max_depth:
            raise InputError(source, f"nested deeper than {limits.max_depth} levels")
        if isinstance(node, dict):
            for value in node.values():
                if isinstance(value, (dict, list)):
                    stack.append((value, depth + 1))
        elif isinstance(node, list):
            for value in node:
                if isinstance(value, (dict, list)):
                    stack.append((value, depth + 1))


def _stringify_keys(data: object) -> object:
    """YAML allows int/bool keys (status codes `200:`); documents use strings. Iterative."""
    if not isinstance(data, (dict, list)):
        return data
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if any(not isinstance(k, str) for k in node):
                items = list(node.items())
                node.clear()
                for k, v in items:
                    node[_key_text(k)] = v
            stack.extend(v for v in node.values() if isinstance(v, (dict, list)))
        else:
            stack.extend(v for v in node if isinstance(v, (dict, list)))
    return data


def _key_text(key: object) -> str:
    if key is None:
        return "null"
    if isinstance(key, bool):
        return "true" if key else "false"
    return str(key)


def load_document(source: str, limits: Limits = DEFAULT_LIMITS) -> Document:
    raw, path = read_source(source, limits)
    text = decode(source, raw)
    data = parse_text(source, text, limits)
    data = _stringify_keys(data)
    return Document(source=source, data=data, text=text, path=path)


def display_name(source: str) -> str:
    return source if source != "-" else "<stdin>"


__all__ = ["Document", "load_document", "parse_text", "read_source", "display_name"]
