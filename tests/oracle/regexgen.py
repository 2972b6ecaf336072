"""Strings that match a regular expression, drawn by walking Python's own parse of it.

JSON Schema's `pattern` is searched, not anchored, so a match may sit inside any string; the
samples are the matches themselves and a few with text around them. Backreferences copy their
group; lookarounds are skipped (the validator filters what comes out, so a sample that misses is
only wasted, never wrong). Repeats draw their minimum, one more, or a few more.
"""

from __future__ import annotations

import random
import re
import string

try:  # Python >= 3.11
    import re._parser as sre_parse  # type: ignore[import-not-found]
    import re._constants as sre_c  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as sre_c  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

MAX_REPEAT_EXTRA = 3
PRINTABLE = string.ascii_letters + string.digits + "-_ ."
_CATEGORIES = {
    sre_c.CATEGORY_DIGIT: string.digits,
    sre_c.CATEGORY_NOT_DIGIT: string.ascii_letters + "-_ ",
    sre_c.CATEGORY_SPACE: " \t",
    sre_c.CATEGORY_NOT_SPACE: string.ascii_letters + string.digits,
    sre_c.CATEGORY_WORD: string.ascii_letters + string.digits + "_",
    sre_c.CATEGORY_NOT_WORD: "-. !",
}


class _Budget(Exception):
    pass


def samples(pattern: str, rnd: random.Random, count: int = 4) -> list[str]:
    """Up to `count` strings meant to match `pattern` (empty when it cannot be parsed)."""
    try:
        parsed = sre_parse.parse(pattern)
    except (re.error, RecursionError, OverflowError, ValueError):
        return []
    out: list[str] = []
    for i in range(count * 2):
        mode = ("min", "one", "random")[i % 3]
        try:
            text = _emit(parsed, rnd, mode, {}, [0])
        except (_Budget, RecursionError, IndexError, KeyError, ValueError, TypeError):
            continue
        if text not in out:
            out.append(text)
        if len(out) >= count:
            break
    return out


def _emit(items, rnd: random.Random, mode: str, groups: dict, spent: list[int]) -> str:
    parts: list[str] = []
    for op, arg in items:
        spent[0] += 1
        if spent[0] > 2000:
            raise _Budget
        parts.append(_one(op, arg, rnd, mode, groups, spent))
    text = "".join(parts)
    if len(text) > 400:
        raise _Budget
    return text


def _one(op, arg, rnd: random.Random, mode: str, groups: dict, spent: list[int]) -> str:
    if op is sre_c.LITERAL:
        return chr(arg)
    if op is sre_c.NOT_LITERAL:
        return next(c for c in PRINTABLE if ord(c) != arg)
    if op is sre_c.ANY:
        return rnd.choice(string.ascii_letters)
    if op is sre_c.IN:
        return _in(arg, rnd)
    if op is sre_c.BRANCH:
        return _emit(rnd.choice(arg[1]), rnd, mode, groups, spent)
    if op is sre_c.SUBPATTERN:
        group, _, _, sub = arg
        text = _emit(sub, rnd, mode, groups, spent)
        if group is not None:
            groups[group] = text
        return text
    if op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT) or op is getattr(sre_c, "POSSESSIVE_REPEAT", None):
        low, high, sub = arg
        if high is sre_c.MAXREPEAT:
            high = low + MAX_REPEAT_EXTRA
        high = min(high, low + 40)
        if mode == "min":
            n = low
        elif mode == "one":
            n = min(low + 1, high)
        else:
            n = rnd.randint(low, high)
        return "".join(_emit(sub, rnd, mode, groups, spent) for _ in range(n))
    if op is sre_c.GROUPREF:
        return groups.get(arg, "")
    if op is getattr(sre_c, "ATOMIC_GROUP", None):
        return _emit(arg, rnd, mode, groups, spent)
    if op is sre_c.GROUPREF_EXISTS:
        group, yes, no = arg
        branch = yes if group in groups else no
        return _emit(branch, rnd, mode, groups, spent) if branch else ""
    # AT (anchors), ASSERT, ASSERT_NOT: nothing to emit
    return ""


def _in(items, rnd: random.Random) -> str:
    negate = bool(items) and items[0][0] is sre_c.NEGATE
    allowed: list[str] = []
    excluded: set[str] = set()
    for op, arg in items[1:] if negate else items:
        if op is sre_c.LITERAL:
            allowed.append(chr(arg))
        elif op is sre_c.RANGE:
            lo, hi = arg
            span = list(range(lo, min(hi, lo + 200) + 1))
            allowed.extend(chr(c) for c in rnd.sample(span, min(len(span), 8)))
        elif op is sre_c.CATEGORY:
            allowed.extend(_CATEGORIES.get(arg, "a"))
    if negate:
        excluded = set(allowed)
        pool = [c for c in PRINTABLE if c not in excluded]
        return rnd.choice(pool) if pool else "~"
    return rnd.choice(allowed) if allowed else "a"
