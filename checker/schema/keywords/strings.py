"""`pattern`, as a set: a value must match each pattern its allOf members give (`Norm.patterns`;
`Norm.pattern` is one regex for them all). `pattern: ''` matches every string and is no pattern.
The verdict on a changed pattern (language containment) is the pattern unit's; this one reads and
merges, and tells a conjoined extra pattern (a tightening) from a dropped one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ... import patterns as regular
from ...rules import schema_rules as R
from ..findings import Ctx
from ..form import Node, Norm
from .common import STRING, Findings, finding
from .parts import MAX_WITNESS_LENGTH, Atoms, own_patterns, pattern_samples

if TYPE_CHECKING:  # pragma: no cover
    from ..accepts import Acceptor
    from ..subsume import Subsumption
    from ..walker import Walker

KEYWORDS = ("pattern",)
APPLIES_TO = ("string",)
SPELLINGS = {"pattern": STRING}
EMITS = (R.PATTERN_ADDED, R.PATTERN_REMOVED, R.PATTERN_CHANGED, R.OPAQUE_STRING_CHANGED)


def read(n: Norm, raw: dict[str, Any]) -> None:
    if isinstance(raw["pattern"], str) and raw["pattern"] != "":
        set_patterns(n, frozenset({raw["pattern"]}))


def merge(n: Norm, m: Norm) -> None:
    if m.patterns:
        set_patterns(n, n.patterns | m.patterns)


def prune(n: Norm) -> None:
    set_patterns(n, frozenset())


def set_patterns(n: Norm, patterns: frozenset[str]) -> None:
    n.patterns = patterns
    if not patterns:
        n.pattern = None
    elif len(patterns) == 1:
        n.pattern = next(iter(patterns))
    else:  # one regex that finds a match where each of them does (search semantics)
        n.pattern = "^" + "".join(f"(?=[\\s\\S]*?(?:{p}))" for p in sorted(patterns))


def includes(rel: Subsumption, a: Norm, b: Norm, sa: str, sb: str, depth: int) -> bool:
    """Every string b's patterns admit, a's patterns admit too (language containment, patterns/)."""
    wide = own_patterns(a)
    return not wide or regular.contains(wide, own_patterns(b)).holds is True


def accepts(acc: Acceptor, node: Node, value: Any, depth: int) -> bool | None:
    pattern = node.raw["pattern"]
    if isinstance(value, str) and isinstance(pattern, str):
        return regular.matches(pattern, value)
    return True


ACCEPTS = {"pattern": accepts}


def constants(raw: dict[str, Any], atoms: Atoms) -> None:
    """A shortest string the pattern matches, and one it does not; each also lengthened to the mapping's
    minLength by repeating its last character (a digit the pattern asks for, three characters long)."""
    if isinstance(raw.get("pattern"), str):
        least = raw.get("minLength")
        for sample in pattern_samples(raw["pattern"]):
            atoms.scalar(sample)
            if sample and isinstance(least, int) and len(sample) < least <= MAX_WITNESS_LENGTH:
                atoms.scalar(sample + sample[-1] * (least - len(sample)))


def diff_pattern(w: Walker, o: Norm, n: Norm, ctx: Ctx) -> Findings:
    op, np_ = o.patterns, n.patterns
    if op == np_:
        return
    if ctx.opaque:
        yield finding(R.OPAQUE_STRING_CHANGED, o, n, o.pattern, n.pattern, "pattern")
    elif op < np_:
        yield finding(R.PATTERN_ADDED, o, n, None, " & ".join(sorted(np_ - op)))
    elif np_ < op:
        yield finding(R.PATTERN_REMOVED, o, n, " & ".join(sorted(op - np_)), None)
    else:
        yield finding(R.PATTERN_CHANGED, o, n, o.pattern, n.pattern)
