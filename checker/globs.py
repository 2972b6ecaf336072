"""Globs of the policy file, on operations (`GET /jobs/*`) and JSON pointers (`#/components/schemas/Job/**`).

`*` matches within one path segment (never a `/`): `GET /jobs*` matches `GET /jobs` and
`GET /jobs-archive`, not `GET /jobs/{id}/cancel`. `**` matches across segments: `GET /jobs/**`
matches everything under /jobs/. `?` is one character other than `/`; `[abc]`, `[a-z]` and `[!abc]`
are character sets (never matching `/`). Everything else is literal; matching is case-sensitive.

Matched by simulating the pattern as an automaton (the set of pattern positions reached after each
character), so the time is at most len(pattern) x len(text) whatever the pattern: a policy file in
a pull request cannot make matching backtrack for minutes."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

STAR, GLOBSTAR = "*", "**"


@dataclass(frozen=True)
class _Set:
    ranges: tuple[tuple[str, str], ...]
    negated: bool

    def matches(self, ch: str) -> bool:
        if ch == "/":
            return False
        inside = any(lo <= ch <= hi for lo, hi in self.ranges)
        return inside != self.negated


def _parse_set(pattern: str, i: int) -> tuple[_Set | None, int]:
    """The set starting at pattern[i] == '[' and the index after it; None when it is not closed."""
    j = i + 1
    negated = j < len(pattern) and pattern[j] in "!^"
    if negated:
        j += 1
    ranges: list[tuple[str, str]] = []
    first = True
    while j < len(pattern) and (pattern[j] != "]" or first):
        lo = pattern[j]
        if j + 2 < len(pattern) and pattern[j + 1] == "-" and pattern[j + 2] != "]":
            ranges.append((lo, pattern[j + 2]))
            j += 3
        else:
            ranges.append((lo, lo))
            j += 1
        first = False
    if j >= len(pattern):
        return None, i
    return _Set(tuple(ranges), negated), j + 1


@lru_cache(maxsize=1024)
def compile_glob(pattern: str) -> tuple:
    tokens: list = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "*":
            j = i
            while j < len(pattern) and pattern[j] == "*":
                j += 1
            tokens.append(GLOBSTAR if j - i >= 2 else STAR)  # a run of 2 or more stars is one globstar
            i = j
        elif ch == "?":
            tokens.append(_Set((), True))  # any one character but '/'
            i += 1
        elif ch == "[":
            parsed, after = _parse_set(pattern, i)
            if parsed is None:
                tokens.append("[")
                i += 1
            else:
                tokens.append(parsed)
                i = after
        else:
            tokens.append(ch)
            i += 1
    return tuple(tokens)


def _closure(tokens: tuple, states: set[int]) -> set[int]:
    """Stars match the empty string: from a star, the next position is reached too."""
    todo = list(states)
    while todo:
        i = todo.pop()
        if i < len(tokens) and tokens[i] in (STAR, GLOBSTAR) and i + 1 not in states:
            states.add(i + 1)
            todo.append(i + 1)
    return states


def glob_match(pattern: str, text: str) -> bool:
    tokens = compile_glob(pattern)
    states = _closure(tokens, {0})
    for ch in text:
        nxt: set[int] = set()
        for i in states:
            if i == len(tokens):
                continue
            token = tokens[i]
            if token == GLOBSTAR or (token == STAR and ch != "/"):
                nxt.add(i)
            elif isinstance(token, _Set):
                if token.matches(ch):
                    nxt.add(i + 1)
            elif token == ch:
                nxt.add(i + 1)
        if not nxt:
            return False
        states = _closure(tokens, nxt)
    return len(tokens) in states
