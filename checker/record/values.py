"""The recorded values of a case against the baseline's: what `check` shows for review beside the
contract. deepdiff compares each fresh sample with the baseline sample in the same place (the first
with the first, ...), after the volatile paths are taken out of both: values that change on every call
(ids, timestamps, request ids, the model's output text, token counts) and those the plan adds
(`volatile:`). What is left and changed is one `recorded-value-changed` entry per case (info). A value
the plan pins (`pins:`) is compared on its own: any change is `recorded-pinned-value-changed`
(breaking), following OpenAI's advice to pin model versions.

Paths are JSON paths into the body: `$.model`, `$.choices[*].message.content`, `$..created` (any
depth), `$['odd key']`, `[0]`; `*` inside a name is a wildcard (`$..*_id`). For a stream or a WebSocket
session the body is a mapping of event type -> the data of the first event of that type
(`$['response.created'].response.model`, or `$..model`). A pin without `$` is a response header
(`openai-version`): the headers a snapshot keeps (content-type, x-request-id, openai-version,
openai-processing-ms, x-ratelimit-*).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from collections.abc import Iterator

from deepdiff import DeepDiff

from ..collect import Collector
from ..pointers import join
from .infer import event_type

# Values that differ on every call, never compared (the plan's `volatile:` adds to them).
DEFAULT_VOLATILE = (
    "$..id", "$..*_id", "$..created", "$..created_at", "$..*_at", "$..timestamp", "$..system_fingerprint",
    "$..content", "$..text", "$..delta", "$..output_text", "$..refusal", "$..arguments", "$..transcript",
    "$..usage", "$..logprobs", "$..obfuscation", "$..sequence_number",
)
MAX_SHOWN = 5  # changed paths named in one case's entry; the rest are counted
MAX_DIFFS = 1000  # deepdiff stops there: a bound on the work for one pair of samples
MAX_VALUE = 60  # characters of one value in a message
MAX_NODES = 100_000  # values in one sample's body compared at most; a bigger body is noted, not compared
_TOKEN = re.compile(r"""\.\.|\.|\[\*\]|\[(-?\d+)\]|\['((?:[^'\\]|\\.)*)'\]|\["((?:[^"\\]|\\.)*)"\]|([^.\[\]]+)""")


@dataclass(frozen=True)
class ValueRules:
    """What one case compares: volatile paths (beside DEFAULT_VOLATILE) and pins."""

    volatile: tuple[str, ...] = ()
    pins: tuple[str, ...] = ()


@dataclass(frozen=True)
class Path:
    """A parsed JSON path: ("key", regex) | ("index", n) | ("any",) | ("deep",) steps."""

    text: str
    steps: tuple = field(default=(), compare=False)


def parse_path(text: str) -> Path:
    """`$.a[*].b`, `$..x`, `$['k']`: ValueError naming what is wrong."""
    if not text.startswith("$"):
        raise ValueError("a JSON path starts with '$'")
    steps: list[tuple] = []
    i, dotted = 1, False
    while i < len(text):
        m = _TOKEN.match(text, i)
        if m is None:
            raise ValueError(f"cannot read {text[i:]!r}")
        token, i = m.group(0), m.end()
        if token in ("..", "."):
            if dotted:
                raise ValueError("a name is missing between dots")
            dotted = True
            if token == "..":
                steps.append(("deep",))
            continue
        if m.group(4) is not None and not dotted:
            raise ValueError(f"{token!r} must follow a '.'")
        dotted = False
        if token == "[*]" or m.group(4) == "*":
            steps.append(("any",))
        elif m.group(1) is not None:
            steps.append(("index", int(m.group(1))))
        elif m.group(4) is not None:  # a bare name: `*` is a wildcard
            steps.append(("key", re.compile("".join(".*" if part == "*" else re.escape(part)
                                                    for part in re.split(r"(\*)", m.group(4))))))
        else:
            name = m.group(2) if m.group(2) is not None else m.group(3)
            steps.append(("key", re.compile(re.escape(re.sub(r"\\(.)", r"\1", name)))))
    if dotted:
        raise ValueError("the path ends with a dot")
    return Path(text, tuple(steps))


def matches(steps: tuple, path: tuple) -> bool:
    """Does a parsed path name exactly `path` (a tuple of keys and indexes)?"""
    if not steps:
        return not path
    if len(steps) == 2 and steps[0][0] == "deep" and steps[1][0] == "key":  # `$..name`: the last key
        return bool(path) and isinstance(path[-1], str) and steps[1][1].fullmatch(path[-1]) is not None
    step, rest = steps[0], steps[1:]
    if step[0] == "deep":
        return any(matches(rest, path[i:]) for i in range(len(path) + 1))
    if not path:
        return False
    head = path[0]
    if step[0] == "any":
        ok = True
    elif step[0] == "index":
        ok = isinstance(head, int) and head == step[1]
    else:
        ok = isinstance(head, str) and step[1].fullmatch(head) is not None
    return ok and matches(rest, path[1:])


_GONE = object()


def prune(value: object, volatile: list[Path], path: tuple = ()) -> object:
    """`value` without what a volatile path names: a mapping loses the key, a list keeps the place
    (as None) so that the items after it are still compared with their counterparts."""
    if path and any(matches(p.steps, path) for p in volatile):
        return _GONE
    if isinstance(value, dict):
        kept = {k: prune(v, volatile, path + (k,)) for k, v in value.items()}
        return {k: v for k, v in kept.items() if v is not _GONE}
    if isinstance(value, list):
        return [None if v is _GONE else v for v in (prune(v, volatile, path + (i,)) for i, v in enumerate(value))]
    return value


def nodes(value: object, path: tuple = ()) -> Iterator[tuple[tuple, object]]:
    yield path, value
    if isinstance(value, dict):
        for k, v in value.items():
            yield from nodes(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from nodes(v, path + (i,))


def json_path(path: tuple | list) -> str:
    out = "$"
    for p in path:
        if isinstance(p, int):
            out += f"[{p}]"
        elif re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]*", str(p)):
            out += f".{p}"
        else:
            out += "['" + str(p).replace("\\", "\\\\").replace("'", "\\'") + "']"
    return out


def body_of(sample: dict, stream: bool) -> object:
    """What a sample's values are: its body, or (stream, session) event type -> first event's data."""
    if not stream:
        return sample.get("body")
    first: dict = {}
    for e in sample.get("events") or []:
        if isinstance(e, dict):
            first.setdefault(event_type(e), e.get("data"))
    return first


def as_text(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True) if value is not _GONE else "(absent)"


def shown(value: object) -> str:
    """A value in a message, cut at MAX_VALUE characters."""
    text = value if isinstance(value, str) and value is not _GONE else as_text(value)
    return text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 1] + "…"


STRUCTURAL = ("dictionary_item_added", "dictionary_item_removed")


def changed_values(old: object, new: object) -> list[tuple[str, object, object]]:
    """(JSON path, old, new) per difference of values; _GONE on the side where an item is absent.
    What the contract already judges is left to it, so that a change is reported once: a property
    that appeared or went, and a value whose JSON type changed (but null to a value and back, which
    a nullable contract allows, is a value change)."""
    found = []
    for kind, levels in DeepDiff(old, new, view="tree", max_diffs=MAX_DIFFS).items():
        if kind in STRUCTURAL:
            continue
        for level in levels:
            if kind == "type_changes" and level.t1 is not None and level.t2 is not None:
                continue
            place = json_path(level.path(output_format="list"))
            before = _GONE if "added" in kind else level.t1
            after = _GONE if "removed" in kind else level.t2
            found.append((place, before, after))
    return sorted(found, key=lambda f: f[0])


def compare_values(case: str, op: str, base: dict, fresh: dict, rules: ValueRules, out: Collector) -> str | None:
    """The value entries of one case into `out`: the pins first, then what else changed. Returns a
    note when the bodies are too big to compare (MAX_NODES), else None."""
    stream = bool(fresh.get("stream") or fresh.get("websocket"))
    old_samples = [s for s in base.get("samples", []) if isinstance(s, dict)]
    new_samples = [s for s in fresh.get("samples", []) if isinstance(s, dict)]
    if not old_samples or not new_samples:
        return None
    if any(_more_than(body_of(s, stream), MAX_NODES) for s in old_samples + new_samples):
        return f"the values of case {case} were not compared: a body holds more than {MAX_NODES:,} values"
    pins = [p for p in rules.pins if p.startswith("$")]
    for pin in dict.fromkeys(rules.pins):  # named by its path: a stable fingerprint for a policy
        before, after = (_pinned(pin, samples, stream) for samples in (old_samples, new_samples))
        if before and before != after:
            out.add("recorded-pinned-value-changed", join("#", case, "pins", pin), op, subject=f"{pin} of case {case}",
                    old=[json.loads(v) for v in sorted(before)], new=[json.loads(v) for v in sorted(after)] or None)
    ignored = [parse_path(p) for p in (*DEFAULT_VOLATILE, *rules.volatile, *pins) if p.startswith("$")]
    changes: dict[str, tuple[object, object]] = {}
    for old, new in zip(old_samples, new_samples):
        a, b = (prune(body_of(s, stream), ignored) for s in (old, new))
        for place, was, now in changed_values(a, b):
            changes.setdefault(place, (was, now))
    if changes:
        listed = "; ".join(f"{place} {shown(as_text(a))} -> {shown(as_text(b))}"
                           for place, (a, b) in list(changes.items())[:MAX_SHOWN])
        more = f"; and {len(changes) - MAX_SHOWN} more" if len(changes) > MAX_SHOWN else ""
        out.add("recorded-value-changed", f"#/{case}/values", op, subject=case, detail=listed + more,
                old={p: None if a is _GONE else a for p, (a, _) in changes.items()},
                new={p: None if b is _GONE else b for p, (_, b) in changes.items()})
    return None


def _more_than(value: object, limit: int) -> bool:
    count, stack = 0, [value]
    while stack:
        node = stack.pop()
        count += 1
        if count > limit:
            return True
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return False


def _pinned(pin: str, samples: list[dict], stream: bool) -> set[str]:
    """The values a pin names across the samples, each as JSON text."""
    if not pin.startswith("$"):
        name = pin.lower()
        return {as_text(v) for s in samples for k, v in (s.get("headers") or {}).items() if k.lower() == name}
    steps = parse_path(pin).steps
    return {as_text(v) for s in samples for p, v in nodes(body_of(s, stream)) if matches(steps, p)}
