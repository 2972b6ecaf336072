"""Questions about JSON Schema `pattern`s (ECMA-262, matched anywhere in the string unless anchored).

- `contains(wide, narrow)`: does every string that matches all of `narrow` match all of `wide`?
  (a pattern loosened or tightened; `allOf` conjunctions on either side; empty `narrow` = any string)
- `admits_all(patterns, values)`: does every value match all of the patterns? (an enum replaced
  by a pattern)
- `matches_everything(pattern)`: '', '.*', '^[\\s\\S]*$' and the like restrict nothing.
- `safe_validator_for(schema)`: a jsonschema validator whose pattern matching is bounded in time
  (validation.py, engine.py): what `check` and `conform` validate recorded bodies with.

Each answer is a `Verdict`; `holds` is None when the question cannot be decided here (a
backreference, lookaround, a word boundary, a Unicode property escape, an invalid pattern, or a
question past the size and time bounds), and `reason` says which. Answers are cached: the same
pairs recur across a spec.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from collections.abc import Iterable, Sequence

__all__ = ["Verdict", "contains", "admits_all", "matches_everything", "safe_validator_for"]


def __getattr__(name: str):
    """`safe_validator_for` (validation.py) loads jsonschema, re2 and regex: only when asked for."""
    if name == "safe_validator_for":
        from .validation import safe_validator_for  # start-up time: jsonschema, re2 and regex load only when asked for

        return safe_validator_for
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(frozen=True)
class Verdict:
    """`holds`: True, False, or None when undecided (then `reason` says why). When False,
    `counterexample` is a shortest string (or the first value) that shows it, if one is known."""

    holds: bool | None
    reason: str = ""
    counterexample: str | None = None


def contains(wide: Sequence[str], narrow: Sequence[str]) -> Verdict:
    """Does every string matched by all of `narrow` also match all of `wide`?"""
    return _contains(_key(wide), _key(narrow))


def matches_everything(pattern: str) -> bool:
    """True when the pattern matches every string ('' , '.*', '^[\\s\\S]*$', 'a*', ...)."""
    return _contains((pattern,), ()).holds is True


def admits_all(patterns: Sequence[str], values: Iterable[object]) -> Verdict:
    """Does every value match all the patterns? Values that are not strings are admitted: `pattern`
    does not apply to them."""
    from . import lang  # start-up time: the automaton code loads on the first pattern question

    key = _key(patterns)
    for value in values:
        if not isinstance(value, str):
            continue
        for pattern in key:
            try:
                matched = _search(pattern, value)
            except lang.Undecided as exc:
                return Verdict(None, _about(pattern, exc.reason))
            if not matched:
                return Verdict(False, f"{value!r} does not match {pattern!r}", value)
    return Verdict(True)


def _key(patterns: Sequence[str]) -> tuple:
    if isinstance(patterns, str):
        raise TypeError("pass a sequence of patterns, not one string")
    return tuple(sorted(set(patterns)))


def _about(pattern: str, reason: str) -> str:
    shown = pattern if len(pattern) <= 80 else pattern[:77] + "..."
    return f"{shown!r} {reason}"


@lru_cache(maxsize=4096)
def _contains(wide: tuple, narrow: tuple) -> Verdict:
    from . import lang  # start-up time: the automaton code loads on the first pattern question

    wide = tuple(p for p in wide if not _trivial(p))
    narrow = tuple(p for p in narrow if not _trivial(p))
    if not wide or set(wide) <= set(narrow):
        return Verdict(True)
    try:
        holds, example = lang.decide_contains(wide, narrow)
    except lang.Undecided as exc:
        return Verdict(None, _undecided(wide + narrow, exc.reason))
    if holds:
        return Verdict(True)
    return Verdict(False, f"{example!r} matches {_list(narrow)} but not {_list(wide)}", example)


def _undecided(patterns: tuple, reason: str) -> str:
    from . import lang  # start-up time: the automaton code loads on the first pattern question

    for p in patterns:  # name the pattern at fault when one is
        try:
            lang.compile_pattern(p)
        except lang.Undecided as exc:
            return _about(p, exc.reason)
    return reason


def _list(patterns: tuple) -> str:
    if not patterns:
        return "any string"
    return " and ".join(repr(p) for p in patterns)


def _trivial(pattern: str) -> bool:
    """The spellings of "anything" that need no automaton."""
    return pattern in _TRIVIAL


# not '^.*$': `.` stops at line terminators and `$` is the end of the string, so it rejects "a\nb"
_TRIVIAL = frozenset({"", "^", ".*", "^.*", "(.*)", "[\\s\\S]*", "^[\\s\\S]*", "^[\\s\\S]*$"})


def _search(pattern: str, value: str) -> bool:
    """The automaton when it models the pattern; else the bounded matcher (lookaround, \\b, ...)."""
    from . import engine, lang  # start-up time: the automaton code loads on the first pattern question

    try:
        return lang.search(pattern, value)
    except lang.Undecided as exc:
        if exc.reason.startswith("is not a valid"):
            raise
        reason = exc.reason
    try:
        return engine.search(pattern, value)
    except engine.MatchUndecided as unmatched:
        raise lang.Undecided(f"{reason}, and matching it: {unmatched.reason}") from None
