"""The regular language of a pattern under JSON Schema's search semantics, and bounded questions on it.

A pattern becomes a Thompson NFA whose `^` and `$` are conditional empty moves (taken only at the
start or the end of the string), so anchors anywhere (`(^|,)x`, `a^b`) mean what ECMA-262 says. The
search semantics (a match anywhere) are built into the determinisation: every step may start a new
match, and a reached match is absorbing. Questions run on the product of the lazily determinised
automata, breadth first, so a counterexample is a shortest one and the work stops at the first one;
every question is bounded in NFA size, product states and time, and says "undecided" past a bound.
"""

from __future__ import annotations

import time
from bisect import bisect_right
from collections import deque
from dataclasses import dataclass
from functools import lru_cache
from collections.abc import Sequence

from . import syntax
from .syntax import Alt, Anchor, BackRef, Chars, Group, Look, Repeat, Seq, Undecided, WordBoundary

MAX_NFA_STATES = 20_000  # per pattern, counted before a repeat is expanded
MAX_PRODUCT_STATES = 20_000  # per question
TIME_LIMIT = 0.25  # seconds of CPU per question (CPU, not wall: a busy machine must not change answers)


# -- the NFA ------------------------------------------------------------------------------------------
@dataclass
class Nfa:
    eps: list  # state -> list of targets
    at_start: list  # state -> targets taken only at position 0 (`^`)
    at_end: list  # state -> targets taken only at the end of the string (`$`)
    char: list  # state -> (ranges, target) or None
    start: int
    accept: int

    def ranges(self) -> list:
        return [c[0] for c in self.char if c is not None]


def _unmodelled(node) -> str | None:
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, BackRef):
            return "uses a backreference"
        if isinstance(n, Look):
            return "uses lookbehind" if n.behind else "uses lookahead"
        if isinstance(n, WordBoundary):
            return "uses a word boundary (\\b or \\B)"
        if isinstance(n, Seq):
            stack.extend(n.items)
        elif isinstance(n, Alt):
            stack.extend(n.options)
        elif isinstance(n, (Repeat, Group)):
            stack.append(n.item)
    return None


class _Builder:
    def __init__(self) -> None:
        self.eps: list = []
        self.at_start: list = []
        self.at_end: list = []
        self.char: list = []

    def state(self) -> int:
        self.eps.append([])
        self.at_start.append([])
        self.at_end.append([])
        self.char.append(None)
        return len(self.eps) - 1

    def build(self, node) -> tuple[int, int]:
        if isinstance(node, Chars):
            s, e = self.state(), self.state()
            self.char[s] = (node.ranges, e)
            return s, e
        if isinstance(node, Group):
            return self.build(node.item)
        if isinstance(node, Seq):
            s = e = self.state()
            for item in node.items:
                a, b = self.build(item)
                self.eps[e].append(a)
                e = b
            return s, e
        if isinstance(node, Alt):
            s, e = self.state(), self.state()
            for option in node.options:
                a, b = self.build(option)
                self.eps[s].append(a)
                self.eps[b].append(e)
            return s, e
        if isinstance(node, Anchor):
            s, e = self.state(), self.state()
            (self.at_start if node.kind == "start" else self.at_end)[s].append(e)
            return s, e
        if isinstance(node, Repeat):
            s = e = self.state()
            for _ in range(node.min):
                a, b = self.build(node.item)
                self.eps[e].append(a)
                e = b
            if node.max is None:
                a, b = self.build(node.item)
                hub = self.state()
                self.eps[e].append(hub)
                self.eps[hub].append(a)
                self.eps[b].append(hub)
                return s, hub
            end = self.state()
            self.eps[e].append(end)
            for _ in range(node.max - node.min):
                a, b = self.build(node.item)
                self.eps[e].append(a)
                self.eps[b].append(end)
                e = b
            return s, end
        raise Undecided(_unmodelled(node) or f"uses {type(node).__name__}")


@lru_cache(maxsize=512)
def compile_pattern(pattern: str) -> Nfa:
    """The NFA of one pattern (anchors as conditional moves, no search wrapping). Raises Undecided."""
    try:
        node = syntax.parse(pattern)
    except syntax.PatternError as exc:
        raise Undecided(f"is not a valid ECMA-262 pattern ({exc})") from None
    reason = _unmodelled(node)
    if reason:
        raise Undecided(reason)
    if syntax.expanded_size(node) > MAX_NFA_STATES:
        raise Undecided("too large to decide (repeat counts)")
    b = _Builder()
    start, accept = b.build(node)
    return Nfa(b.eps, b.at_start, b.at_end, b.char, start, accept)


# -- alphabet: the coarsest partition of the code points that every character set respects -----------
class Alphabet:
    def __init__(self, range_sets) -> None:
        cuts = {0}
        for ranges in range_sets:
            for lo, hi in ranges:
                cuts.add(lo)
                if hi < syntax.MAX_CODE:
                    cuts.add(hi + 1)
        self.starts = sorted(cuts)

    def __len__(self) -> int:
        return len(self.starts)

    def atom(self, code: int) -> int:
        return bisect_right(self.starts, code) - 1

    def atoms(self, ranges) -> frozenset:
        out: set[int] = set()
        for lo, hi in ranges:
            out.update(range(self.atom(lo), self.atom(hi) + 1))
        return frozenset(out)

    def readable_order(self) -> list[int]:
        """Atoms with a letter or digit first, so that a breadth-first counterexample reads well."""
        def rank(atom: int) -> tuple:
            c = self.example(atom)
            return (not (c.isascii() and c.isalnum()), not c.isprintable(), atom)

        return sorted(range(len(self.starts)), key=rank)

    def example(self, atom: int) -> str:
        """A readable character of the atom, for counterexamples."""
        lo = self.starts[atom]
        hi = self.starts[atom + 1] - 1 if atom + 1 < len(self.starts) else syntax.MAX_CODE
        for c in "a0A_-. xZ9":
            if lo <= ord(c) <= hi:
                return c
        for code in (0x21, 0xA1, 0xE000):
            if lo < code <= hi and (lo < 0x21 or 0xD800 <= lo <= 0xDFFF or lo < 0xA1 < code):
                return chr(code)
        return chr(lo)


ACCEPT = -1  # a determinised state where a match has been found: every extension matches too
DEAD = -2  # a determinised state from which no match can be found any more


class SearchDfa:
    """One pattern's NFA determinised lazily, with a match allowed to start at every position."""

    def __init__(self, nfa: Nfa, alphabet: Alphabet) -> None:
        self.nfa = nfa
        self.edges = [None if c is None else (alphabet.atoms(c[0]), c[1]) for c in nfa.char]
        self.live = self._live()
        self.ids: dict[frozenset, int] = {}
        self.sets: list[frozenset] = []
        self.moves: dict[tuple[int, int], int] = {}
        self.final: dict[int, bool] = {}
        self.initial = self._intern(self._closure({nfa.start}, True, False), initial=True)

    def _live(self) -> set:
        """States that can still reach the match without taking a `^` move (never again after position 0)."""
        preds: list[list[int]] = [[] for _ in self.nfa.eps]
        for s in range(len(self.nfa.eps)):
            for t in self.nfa.eps[s] + self.nfa.at_end[s]:
                preds[t].append(s)
            edge = self.edges[s]  # None where the state has no character move
            if edge is not None and edge[0]:
                preds[edge[1]].append(s)
        live, stack = {self.nfa.accept}, [self.nfa.accept]
        while stack:
            for p in preds[stack.pop()]:
                if p not in live:
                    live.add(p)
                    stack.append(p)
        return live

    def _closure(self, states, at_start: bool, at_end: bool) -> frozenset:
        seen, stack = set(states), list(states)
        while stack:
            s = stack.pop()
            nexts = self.nfa.eps[s]
            if at_start and self.nfa.at_start[s]:
                nexts = nexts + self.nfa.at_start[s]
            if at_end and self.nfa.at_end[s]:
                nexts = nexts + self.nfa.at_end[s]
            for t in nexts:
                if t not in seen:
                    seen.add(t)
                    stack.append(t)
        return frozenset(seen)

    def _intern(self, states: frozenset, initial: bool = False) -> int:
        if self.nfa.accept in states:
            return ACCEPT
        if not initial:
            states = states & self.live
            if not states:
                return DEAD
        key = states if not initial else frozenset(states | {-1})  # position 0 differs from the rest
        found = self.ids.get(key)
        if found is None:
            found = self.ids[key] = len(self.sets)
            self.sets.append(states)
            self.final[found] = self.nfa.accept in self._closure(states, initial, True)
        return found

    def is_final(self, state: int) -> bool:
        return state == ACCEPT or (state != DEAD and self.final[state])

    def step(self, state: int, atom: int) -> int:
        if state in (ACCEPT, DEAD):
            return state
        key = (state, atom)
        found = self.moves.get(key)
        if found is None:
            targets = {self.nfa.start}
            for s in self.sets[state]:
                edge = self.edges[s]
                if edge is not None and atom in edge[0]:
                    targets.add(edge[1])
            found = self.moves[key] = self._intern(self._closure(targets, False, False))
        return found


def decide_contains(wide: Sequence[str], narrow: Sequence[str], *, max_states: int = MAX_PRODUCT_STATES,
                    time_limit: float = TIME_LIMIT) -> tuple[bool, str | None]:
    """(True, None) when every string matching all of `narrow` matches all of `wide`; (False, a
    shortest counterexample) otherwise. Raises Undecided past a bound or on an unmodelled pattern."""
    if not wide:
        return True, None
    nfas_wide = [compile_pattern(p) for p in wide]
    nfas_narrow = [compile_pattern(p) for p in narrow]
    alphabet = Alphabet(r for nfa in nfas_wide + nfas_narrow for r in nfa.ranges())
    ws = [SearchDfa(n, alphabet) for n in nfas_wide]
    ns = [SearchDfa(n, alphabet) for n in nfas_narrow]
    deadline = time.process_time() + time_limit
    initial = (tuple(d.initial for d in ns), tuple(d.initial for d in ws))
    parent: dict = {initial: None}
    queue = deque([initial])
    atoms = alphabet.readable_order()
    while queue:
        state = queue.popleft()
        n_states, w_states = state
        if all(d.is_final(s) for d, s in zip(ns, n_states)) \
                and not all(d.is_final(s) for d, s in zip(ws, w_states)):
            return False, _path(parent, state, alphabet)
        if any(s == DEAD for s in n_states) or all(s == ACCEPT for s in w_states):
            continue  # nothing below can be a counterexample
        if len(parent) > max_states or time.process_time() > deadline:
            raise Undecided("too large to decide")
        for atom in atoms:
            nxt = (tuple(d.step(s, atom) for d, s in zip(ns, n_states)),
                   tuple(d.step(s, atom) for d, s in zip(ws, w_states)))
            if nxt not in parent:
                parent[nxt] = (state, atom)
                queue.append(nxt)
    return True, None


def _path(parent: dict, state, alphabet: Alphabet) -> str:
    chars = []
    while parent[state] is not None:
        state, atom = parent[state]
        chars.append(alphabet.example(atom))
    return "".join(reversed(chars))


@lru_cache(maxsize=256)
def _matcher(pattern: str) -> tuple[SearchDfa, Alphabet]:
    nfa = compile_pattern(pattern)
    alphabet = Alphabet(nfa.ranges())
    return SearchDfa(nfa, alphabet), alphabet


def search(pattern: str, value: str, *, max_states: int = MAX_PRODUCT_STATES) -> bool:
    """Does the pattern match somewhere in `value`? Exact ECMA-262 meaning; raises Undecided."""
    dfa, alphabet = _matcher(pattern)
    deadline = time.process_time() + TIME_LIMIT
    state = dfa.initial
    for i, ch in enumerate(value):
        state = dfa.step(state, alphabet.atom(ord(ch)))
        if state in (ACCEPT, DEAD):
            break
        if len(dfa.sets) > max_states or (i & 1023 == 1023 and time.process_time() > deadline):
            raise Undecided("too large to decide")
    return dfa.is_final(state)
