"""Bounded-time regex matching for validation: a schema's `^(a+)+$` must not hang `check` or `conform`.

A pattern is parsed as ECMA-262 and written back with ECMA's meaning (render.py), then matched by
google-re2, whose time is linear in the input: no pattern can make it backtrack. What RE2 cannot
express (lookaround, backreferences, repeats over 1000) goes to the `regex` module with a time
limit per match, and every validator has a budget of such time; past either, the match is
undecided and the caller reports it at its place. A pattern that is not ECMA-262 but that Python
reads (`(?P<n>...)`, `\\Z`) is matched as Python reads it, with the same limits, since that is what
jsonschema did before; one nothing reads is undecided.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from . import syntax
from .render import Unrenderable, render

if TYPE_CHECKING:
    import regex  # start-up time: regex loads on the first pattern compiled

MAX_EXPANDED = 200_000  # states of a pattern's expanded repeats: the `regex` compiler writes them out
TIME_LIMIT = 0.05  # seconds for one backtracking match (the regex module overshoots it up to ~5x)
BUDGET = 2.0  # seconds of backtracking matches per validator


MatchUndecided = syntax.Undecided  # a match not decided within the bounds; `reason` says why


@dataclass
class Budget:
    """Seconds of backtracking matching left; shared by every match of one validator."""

    seconds: float = BUDGET


@dataclass(frozen=True)
class _Compiled:
    linear: Any  # an RE2 program, or None (Any: re2 ships no types)
    backtracking: regex.Pattern[str] | None  # a `regex` program (also the fallback for text RE2 cannot take)
    error: str | None


def _re2_options():
    import re2  # start-up time: the RE2 binding loads on the first pattern compiled

    options = re2.Options()
    options.log_errors = False  # RE2 would print every refused pattern on stderr
    return options


@lru_cache(maxsize=2048)
def compile_pattern(pattern: str) -> _Compiled:
    import regex  # start-up time: regex loads on the first pattern compiled

    try:
        tree = syntax.parse(pattern)
    except (syntax.PatternError, syntax.Undecided) as exc:
        if len(pattern) > syntax.MAX_LENGTH:
            return _Compiled(None, None, f"not matched: longer than {syntax.MAX_LENGTH} characters")
        if _counts_product(pattern) > MAX_EXPANDED:
            return _Compiled(None, None, "not matched: its repeat counts are too large")
        try:  # Python's reading, as jsonschema's `re.search` had it
            return _Compiled(None, regex.compile(pattern), None)
        except (regex.error, RecursionError, OverflowError, ValueError):
            reason = exc.reason if isinstance(exc, syntax.Undecided) else str(exc)
            return _Compiled(None, None, f"not a valid regular expression ({reason})")
    linear = None
    try:
        import re2  # start-up time: the RE2 binding loads on the first pattern compiled

        # bytes in, bytes matched: google-re2 maps every str match back to str offsets, 3x slower
        linear = re2.compile(render(tree, "re2").encode("utf-8"), _re2_options())
    except Exception:  # Unrenderable, or re2's error: a construct or a size RE2 refuses
        linear = None
    try:
        if syntax.expanded_size(tree) > MAX_EXPANDED:
            raise ValueError("its repeat counts are too large")
        backtracking = regex.compile(render(tree, "python"))
    except (Unrenderable, regex.error, RecursionError, OverflowError, ValueError) as exc:
        if linear is None:
            return _Compiled(None, None, f"cannot be matched here ({exc})")
        backtracking = None
    return _Compiled(linear, backtracking, None)


def _counts_product(pattern: str) -> int:
    """An upper bound of a Python pattern's expanded size: the product of all its `{n}` counts."""
    product = 1
    for m in re.finditer(r"\{(\d+)(?:,(\d*))?\}", pattern):
        product *= max(int(m.group(2) or m.group(1)), 1)
        if product > MAX_EXPANDED:
            break
    return product


def search(pattern: str, text: str, budget: Budget | None = None) -> bool:
    """Does `pattern` match somewhere in `text`? Raises MatchUndecided past the bounds."""
    compiled = compile_pattern(pattern)
    if compiled.error:
        raise MatchUndecided(compiled.error)
    if compiled.linear is not None:
        try:
            return compiled.linear.search(text.encode("utf-8")) is not None
        except UnicodeEncodeError:  # a lone surrogate: RE2 reads UTF-8 only
            if compiled.backtracking is None:
                raise MatchUndecided("the text holds a lone surrogate, which RE2 cannot read") from None
    budget = budget if budget is not None else Budget()
    if budget.seconds <= 0:
        raise MatchUndecided(f"the {BUDGET:g} s budget for backtracking matches is spent")
    limit = min(TIME_LIMIT, budget.seconds)
    started = time.perf_counter()
    assert compiled.backtracking is not None  # compile_pattern gives a program or an error
    try:
        return compiled.backtracking.search(text, timeout=limit) is not None
    except TimeoutError:
        raise MatchUndecided(f"matching did not finish within {limit:g} s") from None
    finally:
        budget.seconds -= time.perf_counter() - started
