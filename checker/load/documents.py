"""Read a document from a file, `-` (stdin) or `git:REV:PATH`, and parse it safely.

YAML is read by apicompat.load.yamlread (yaml-rs, or PyYAML's parser with our rules: the same data
either way). Dates stay strings (OpenAPI has no date type), and YAML tags that would make a loader
build objects are refused before parsing.
"""

from __future__ import annotations

import json
import math
import os
import re
import select
import stat
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from . import cache
from .limits import DEFAULT_LIMITS, Limits
from .yamlread import count_yaml_values, parse_yaml, pyyaml, safe_loader, too_many_values


# A tag at the start of a node: after a line start / "- ", after ": ", or inside a flow collection.
_ALLOWED_TAGS = {"!!str", "!!int", "!!float", "!!bool", "!!null", "!!map", "!!seq", "!!binary",
                 "!!timestamp", "!"}
_MULTI_DOC_RE = re.compile(r"\n---(?:[ \t]|$)", re.M)


@dataclass
class Document:
    source: str  # what the user gave: a path, "-", or git:REV:PATH
    data: object
    text: str = field(repr=False, default="")
    path: Path | None = None  # the file on disk, when there is one (relative $refs, line numbers)


def read_source(source: str, limits: Limits = DEFAULT_LIMITS) -> tuple[bytes, Path | None]:
    if source == "-":
        if sys.stdin.isatty():  # it would wait for a paste and Ctrl-D with no word of why
            raise InputError(source, "standard input is a terminal, not a document: pipe or redirect one "
                             "(apicompat diff - new.yaml < old.yaml)")
        raw = sys.stdin.buffer.read(limits.max_bytes + 1)
        _check_size(source, len(raw), limits)
        return raw, None
    if source.startswith("git:"):
        return _read_git(source, limits), None
    path = Path(source)
    try:
        st = os.stat(path)
        if stat.S_ISDIR(st.st_mode):
            raise InputError(source, "is a directory, expected a file")
        if stat.S_ISFIFO(st.st_mode):
            return _read_fifo(source, path, limits), path
        if not stat.S_ISREG(st.st_mode):
            raise InputError(source, "is not a regular file (a device or a socket); give a file")
        _check_size(source, st.st_size, limits)
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


def _read_fifo(source: str, path: Path, limits: Limits) -> bytes:
    """A FIFO (`<(git show ...)` is one): opened without blocking, so one with no writer cannot hang
    the run, and read until its writer closes it, for at most `limits.fifo_seconds`."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    chunks: list[bytes] = []
    size = 0
    deadline = time.monotonic() + limits.fifo_seconds
    try:
        while True:
            try:
                chunk = os.read(fd, 1 << 20)
            except BlockingIOError:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise InputError(source, f"is a FIFO whose writer did not finish within "
                                     f"{limits.fifo_seconds:g} s") from None
                select.select([fd], [], [], min(remaining, 0.5))
                continue
            if not chunk:
                break
            size += len(chunk)
            _check_size(source, size, limits)
            chunks.append(chunk)
    finally:
        os.close(fd)
    if not chunks:
        raise InputError(source, "is a FIFO with nothing written to it (no writer)")
    return b"".join(chunks)


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
    kind, size = _git_object(source, f"{rev}:{path}")
    if kind == "tree":
        raise InputError(source, "is a directory in git, expected a file")
    if kind == "blob":
        _check_size(source, size, limits)  # before the blob is read: a 10 GB blob costs nothing
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
        # the error and git's hint after it (in a subfolder: "Did you mean 'HEAD:api/x' aka 'HEAD:./x'?")
        shown = [line for line in why if line.startswith(("fatal:", "error:", "hint:"))][:3] or why[-1:]
        raise InputError(source, f"git show failed: {' '.join(shown) if shown else 'unknown error'}")
    _check_size(source, len(proc.stdout), limits)
    return proc.stdout


def _git_object(source: str, spec: str) -> tuple[str, int]:
    """The object's type and size (`git cat-file --batch-check`, the name on standard input, so it is
    never an option); ("missing", 0) when git cannot name it (`git show` then says why)."""
    try:
        proc = subprocess.run(["git", "cat-file", "--batch-check=%(objecttype) %(objectsize)"],
                              input=spec.encode("utf-8", "surrogateescape") + b"\n", capture_output=True,
                              timeout=60, check=False)
    except FileNotFoundError:
        raise InputError(source, "git is not installed") from None
    except subprocess.TimeoutExpired:
        raise InputError(source, "git cat-file took longer than 60 s") from None
    kind, _, size = proc.stdout.decode("utf-8", "replace").strip().partition(" ")
    if proc.returncode != 0 or not size.isdigit():
        return "missing", 0
    return kind, int(size)


_WIDE_BOMS = ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"),
              (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16"))


def decode(source: str, raw: bytes) -> str:
    for bom, name in _WIDE_BOMS:
        if raw.startswith(bom):
            raise InputError(source, f"is {name} text, not UTF-8 "
                             f"(convert it: iconv -f {name} -t UTF-8)", "line 1")
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
    return _parse_checked(source, text, limits)[0]


def _parse_checked(source: str, text: str, limits: Limits) -> tuple[object, bool]:
    """parse_text's data, and whether a mapping in it has a key that is not a string."""
    if not text.strip():
        raise InputError(source, "the document is empty")
    _check_values(source, text, limits)
    stripped = text.lstrip()
    if stripped[:1] in "{[" and _looks_like_json(source):
        try:
            return _parse_json(source, text, limits), False
        except InputError:
            if source.endswith(".json"):
                raise
    _refuse_tags(source, text)
    data = parse_yaml(source, text, limits)
    if data is None:
        raise InputError(source, "the document is empty (null)")
    other_keys = _check_tree(source, data, limits)
    if _SURROGATE_ESCAPE.search(text):  # an escape can spell a lone surrogate, which no output can print
        _check_surrogates(source, data)
    return data, other_keys


def _check_values(source: str, text: str, limits: Limits) -> None:
    """Refuse a document with more values than the limit before it is parsed: a count of the
    characters that can start a value bounds it from above for free; only when that bound is over the
    limit are the values counted exactly (JSON with its strings taken out, YAML from the parser's
    events, aliases expanded)."""
    most = (1 + 2 * (text.count(":") + text.count(",") + text.count("{") + text.count("?"))
            + text.count("-") + text.count("["))
    if most <= limits.max_values:
        return
    stripped = text.lstrip()
    if stripped[:1] in "{[" and _looks_like_json(source):
        bare = _json_bare(text)
        if bare is not None:
            if _json_values(bare) > limits.max_values:
                if _json_depth(bare) > limits.max_depth:  # the more telling of the two reasons
                    raise InputError(source, f"nested deeper than {limits.max_depth} levels")
                raise InputError(source, too_many_values(limits))
            return
    count_yaml_values(source, text, limits)  # raises past the limit (apicompat.load.yamlread)


def count_values(data: object) -> int:
    """Values in parsed data (mappings, lists, keys, scalars), as the value limit counts them."""
    count, stack = 0, [data]
    while stack:
        node = stack.pop()
        count += 1
        if isinstance(node, dict):
            count += len(node)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return count


def _json_values(bare: str) -> int:
    """Values in JSON text, exactly, from `_json_bare(text)`: with strings and blanks taken out, a
    value starts at the text's start, after `:` or `,`, and after a `[` or `{` that is not empty."""
    empty = bare.count("[]") + bare.count("{}")
    return 1 + bare.count(":") + bare.count(",") + bare.count("[") + bare.count("{") - empty


def _json_bare(text: str) -> str | None:
    """JSON text with each string replaced by `0` and blanks removed; None for an unterminated string
    (not JSON). A scan from quote to quote: no regular expression, whose backtracking stack would grow
    with a long string."""
    parts: list[str] = []
    i = 0
    while True:
        start = text.find('"', i)
        if start == -1:
            parts.append(text[i:])
            break
        parts.append(text[i:start])
        parts.append("0")
        end = start
        while True:
            end = text.find('"', end + 1)
            if end == -1:
                return None
            slash = end - 1
            while text[slash] == "\\":
                slash -= 1
            if (end - 1 - slash) % 2 == 0:  # an even run of backslashes: the quote is not escaped
                break
        i = end + 1
    return "".join(parts).translate(_NO_BLANKS)


_NO_BLANKS = str.maketrans("", "", " \t\r\n")


def _json_depth(bare: str) -> int:
    """The deepest nesting of brackets, from `_json_bare(text)` (asked on the way to refusing a file)."""
    depth = deepest = 0
    for ch in bare.translate(_ONLY_BRACKETS):
        if ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


_ONLY_BRACKETS = str.maketrans("", "", "".join(chr(c) for c in range(128) if chr(c) not in "[]{}"))


_SURROGATE_ESCAPE = re.compile(r"\\[uU]0{0,4}[dD][89a-fA-F][0-9a-fA-F]{2}")


def _check_surrogates(source: str, data: object) -> None:
    stack: list[tuple[object, str]] = [(data, "#")]
    while stack:
        node, ptr = stack.pop()
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, value in items:
            for text in (key, value):
                if isinstance(text, str) and not text.isascii():
                    try:
                        text.encode("utf-8")
                    except UnicodeEncodeError:
                        raise InputError(source, "a string holds a lone UTF-16 surrogate (an escape like "
                                         "\\ud800 without its pair)", f"{ptr}/{key}") from None
            if isinstance(value, (dict, list)):
                stack.append((value, f"{ptr}/{key}"))


def _looks_like_json(source: str) -> bool:
    return not source.endswith((".yaml", ".yml"))


def _parse_json(source: str, text: str, limits: Limits) -> object:
    def reject_constant(name: str):
        raise ValueError(f"{name} is not valid JSON")

    def no_duplicates(pairs: list) -> dict:
        out = dict(pairs)
        if len(out) != len(pairs):
            seen: set = set()
            for key, _ in pairs:
                if key in seen:
                    raise ValueError(f"duplicate key {key!r} in one object")
                seen.add(key)
        return out

    try:
        data = json.loads(text, parse_constant=reject_constant, object_pairs_hook=no_duplicates)
    except json.JSONDecodeError as exc:
        raise InputError(source, f"invalid JSON: {exc.msg}", f"line {exc.lineno}, column {exc.colno}") from None
    except RecursionError:
        raise InputError(source, f"nested deeper than {limits.max_depth} levels") from None
    except ValueError as exc:
        if "integer string conversion" in str(exc):
            raise InputError(source, f"an integer is too large (more than {MAX_INT_DIGITS} digits)") from None
        raise InputError(source, f"invalid JSON: {exc}") from None
    _check_tree(source, data, limits)
    if _SURROGATE_ESCAPE.search(text):
        _check_surrogates(source, data)
    return data


def _refuse_tags(source: str, text: str) -> None:
    """Refuse YAML tags other than the standard scalar and collection ones. A quick textual scan
    finds candidates; YAML's own scanner then confirms them, so that a `!` inside a block scalar
    (`description: |` ... `Note: !important`) is not mistaken for a tag."""
    if "!" not in text:
        return
    candidates = [m for m in _tag_candidates(text) if m.group(1) not in _ALLOWED_TAGS]
    if not candidates:
        return
    yaml = pyyaml()
    try:
        for token in yaml.scan(text, Loader=safe_loader()):
            if isinstance(token, yaml.TagToken):
                handle, suffix = token.value
                tag = f"{handle}{suffix}" if handle else f"!<{suffix}>"
                if tag not in _ALLOWED_TAGS:
                    _refuse(source, tag, token.start_mark.line + 1)
        return
    except yaml.YAMLError:
        pass  # not YAML PyYAML can scan: trust the textual scan
    match = candidates[0]
    _refuse(source, match.group(1), text.count("\n", 0, match.start(1)) + 1)


_TAG_AT = re.compile(r"(!<[^>\s]*>|![^\s,\[\]{}]*)")
_DASHES = re.compile(r"[ \t]*(?:-[ \t]+)*")


def _starts_node(text: str, line_start: int, i: int) -> bool:
    """Does position `i` begin a YAML node: at the start of a line (after `- ` items), after `: `,
    or after `[`, `{` or `,`? Looks back over blanks only, so long lines cost nothing extra."""
    j = i - 1
    while j >= line_start and text[j] in " \t":
        j -= 1
    if j < line_start:
        return True
    ch = text[j]
    if ch in "[{,":
        return True
    if ch in ":-" and j < i - 1:
        return ch == ":" or _DASHES.fullmatch(text, line_start, i) is not None
    return False


def _tag_candidates(text: str):
    """Each `!` that stands where a node starts: found by visiting the `!`s rather than trying a
    pattern at every position of a 3 MB file."""
    i = text.find("!")
    while i != -1:
        if _starts_node(text, text.rfind("\n", 0, i) + 1, i):
            m = _TAG_AT.match(text, i)
            if m:
                yield m
        i = text.find("!", i + 1)


def _refuse(source: str, tag: str, line: int) -> None:
    raise InputError(source, f"YAML tag {tag} is refused (apicompat never constructs objects from tags)",
                     f"line {line}")


MAX_INT_DIGITS = 1000
_MAX_INT_BITS = int(MAX_INT_DIGITS * 3.3219)


def _check_tree(source: str, data: object, limits: Limits) -> bool:
    """_check_depth's checks in one pass that builds no pointers (the whole document is walked on
    every load): only when it finds something is _check_depth asked, to say what and where. Returns
    whether some mapping has a key that is not a string (YAML's `200:`), for _stringify_keys."""
    if type(data) is not dict and type(data) is not list:
        return False
    level: list = [data]
    depth, other_keys, wrong = 1, False, False
    isfinite, max_bits = math.isfinite, _MAX_INT_BITS
    while level:
        if depth > limits.max_depth:
            wrong = True
            break
        below: list = []
        add = below.append
        for node in level:
            if type(node) is dict:
                if not other_keys:
                    try:
                        "".join(node)  # raises at once for a key that is not a string
                    except TypeError:
                        other_keys = True
                values = node.values()
            else:
                values = node
            for value in values:
                kind = type(value)
                if kind is dict or kind is list:
                    add(value)
                elif kind is float:
                    if not isfinite(value):
                        wrong = True
                elif kind is int and value.bit_length() > max_bits:
                    wrong = True
        if wrong:
            break
        level, depth = below, depth + 1
    if wrong:
        _check_depth(source, data, limits)  # raises, naming the place
    return other_keys


def _check_depth(source: str, data: object, limits: Limits) -> None:
    """Iterative, so a deep document cannot blow the stack here. Also refuses numbers JSON cannot
    hold (NaN, infinities: YAML's .nan/.inf) and integers too large to print."""
    stack: list[tuple[object, int, str]] = [(data, 1, "#")]
    while stack:
        node, depth, ptr = stack.pop()
        if depth > limits.max_depth:
            raise InputError(source, f"nested deeper than {limits.max_depth} levels")
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, value in items:
            if isinstance(value, (dict, list)):
                stack.append((value, depth + 1, f"{ptr}/{key}"))
            elif isinstance(value, float) and not math.isfinite(value):
                raise InputError(source, f"{value} is not a finite number (JSON has no NaN or Infinity)",
                                 f"{ptr}/{key}")
            elif isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > _MAX_INT_BITS:
                raise InputError(source, f"an integer is too large (more than {MAX_INT_DIGITS} digits)",
                                 f"{ptr}/{key}")


def _stringify_keys(source: str, data: object) -> object:
    """YAML allows int/bool keys (status codes `200:`); documents use strings. Iterative."""
    if not isinstance(data, (dict, list)):
        return data
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if any(not isinstance(k, str) for k in node):
                if any(isinstance(k, (tuple, frozenset)) for k in node):  # yaml-rs's reading of `? [a, b]`
                    raise InputError(source, "a mapping key must be a string, a number, a boolean or null, "
                                     "not a collection")
                items = list(node.items())
                texts = [_key_text(k) for k, _ in items]
                if len(set(texts)) != len(texts):
                    dup = next(t for t in texts if texts.count(t) > 1)
                    raise InputError(source, f"duplicate key {dup!r} (written both as a number or boolean and "
                                     "as a string)")
                node.clear()
                for text, (_, v) in zip(texts, items):
                    node[text] = v
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


def parse_data(source: str, text: str, limits: Limits = DEFAULT_LIMITS) -> object:
    """What every document and every `$ref`'d file becomes: parsed and checked (parse_text), keys
    as strings (YAML's `200:` and `true:` keys included)."""
    data, other_keys = _parse_checked(source, text, limits)
    return _stringify_keys(source, data) if other_keys else data


def load_document(source: str, limits: Limits = DEFAULT_LIMITS) -> Document:
    raw, path = read_source(source, limits)
    text = decode(source, raw)
    return document(source, parse_cached(source, raw, text, limits), text, path)


def document(source: str, data: object, text: str, path: Path | None) -> Document:
    """The parsed input as a Document, if it is one (a mapping, or a boolean schema)."""
    if not isinstance(data, (dict, bool)):
        if isinstance(data, list) and _MULTI_DOC_RE.search(text.strip()):
            raise InputError(source, "holds several YAML documents (separated by ---); give one document")
        raise InputError(source, "the document must be a mapping (an OpenAPI document or a JSON Schema), "
                         f"not {_kind(data)}")
    return Document(source=source, data=data, text=text, path=path)


def parse_cached(source: str, raw: bytes, text: str, limits: Limits = DEFAULT_LIMITS) -> object:
    """parse_data through the parse cache (apicompat.load.cache: documents over 256 KB, keyed by
    their bytes and the loader's identity)."""
    if (cached := cache.get(raw, limits)) is not None:
        return cached
    data = parse_data(source, text, limits)
    cache.put(raw, data, limits)
    return data


def load_json(source: str, limits: Limits = DEFAULT_LIMITS) -> object:
    """A JSON file of ours (a saved report), read like any input: regular files (a FIFO read without
    blocking for a bounded time), `-` or `git:`, within the size limit, strict JSON."""
    raw, _ = read_source(source, limits)
    text = decode(source, raw)
    if not text.strip():
        raise InputError(source, "the document is empty")
    return _parse_json(source, text, limits)


def _kind(value: object) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, (int, float)):
        return "a number"
    return type(value).__name__


def display_name(source: str) -> str:
    return source if source != "-" else "<stdin>"


__all__ = ["Document", "count_values", "document", "load_document", "load_json", "parse_cached", "parse_data",
           "parse_text", "read_source", "display_name", "too_many_values"]
