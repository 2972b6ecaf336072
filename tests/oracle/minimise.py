"""Shrink a failing check to a minimal (old, new) pair that still fails the same way.

Greedy, in the manner of delta debugging: try, shallowest first, removing a key or a list element
from both schemas at once (then from one only), and replacing a schema by one of its subschemas in
both; keep any step after which the check still fails; stop when no step helps or the budget of
judgements is spent.
"""

from __future__ import annotations

import copy
import random
import time
from dataclasses import replace
from typing import Any
from collections.abc import Callable, Iterator

from .dialect import subschemas
from .judge import Case, Judgement, OracleError, judge

MAX_JUDGEMENTS = 400
_MISSING = object()


def failure_of(j: Judgement) -> str | None:
    """What kind of failure a judgement shows, for keeping it while shrinking."""
    if j.counterexample is not None:
        return "counterexample"
    if j.false_alarm:
        return "false-alarm"
    if j.alarm == "unwitnessed" and j.same_on_pool:
        return "suspected-false-alarm"
    return None


def minimise(case: Case, *, seed: int = 0, budget: int = MAX_JUDGEMENTS, witness: Any = _MISSING,
             kept: Callable[[Judgement], bool] | None = None,
             report_of: Callable[[Case], Any] | None = None,
             cpu_seconds: float | None = None) -> tuple[Case, Judgement]:
    """The smallest case found that fails like `case` (the same failure, the same verdict class).
    `witness`: the instance that showed the failure, tried again on every smaller pair; `report_of`:
    the differ's report of a case (default: the differ itself); `cpu_seconds`: stop shrinking then."""
    extra = [] if witness is _MISSING else [witness]
    stop_at = time.process_time() + cpu_seconds if cpu_seconds is not None else None

    def _judge(c: Case, seed: int, extra: list) -> Judgement | None:
        try:
            j = judge(c, random.Random(seed), budget=150, extra=extra,
                      report=report_of(c) if report_of is not None else None)
        except (OracleError, RecursionError):
            return None
        return None if j.unusable else j

    first = _judge(case, seed, extra)
    if first is None or failure_of(first) is None:
        raise ValueError("the case does not fail")
    want = failure_of(first)
    anchor = _anchor(first)
    spent = [0]

    def still_fails(c: Case) -> Judgement | None:
        if spent[0] >= budget or (stop_at is not None and time.process_time() > stop_at):
            return None
        spent[0] += 1
        j = _judge(c, seed, extra)
        if j is None or failure_of(j) != want or not anchor(j) or (kept is not None and not kept(j)):
            return None
        if want != "counterexample":  # "no instance tells them apart" must hold on other candidates too
            for other in (seed + 1, seed + 2):
                again = _judge(c, other, extra)
                if again is None or not again.same_on_pool:
                    return None
        return j

    best, best_j = case, first
    progress = True
    while progress and spent[0] < budget:
        progress = False
        for candidate in _steps(best):
            j = still_fails(candidate)
            if j is not None:
                best, best_j, progress = candidate, j, True
                break
    return best, best_j


def _anchor(first: Judgement) -> Callable[[Judgement], bool]:
    """What a smaller pair must keep to count as the same failure: both schemas accept something;
    for a counterexample, a keyword that rejects the witness; for a false alarm, a rule reported."""
    if first.counterexample is not None:
        keywords = {e.split(" ", 1)[0] for e in first.counterexample.errors}
        return lambda j: (min(j.accepted) > 0 and j.counterexample is not None
                          and bool(keywords & {e.split(" ", 1)[0] for e in j.counterexample.errors}))
    rules = {r for r in first.rules if not r.endswith("(info)")}
    return lambda j: min(j.accepted) > 0 and bool(rules & set(j.rules))


def _steps(case: Case) -> Iterator[Case]:
    old, new = case.old, case.new
    paths = sorted(set(_paths(old)) | set(_paths(new)), key=len)
    for p in paths:  # hoist: a schema replaced by one of its subschemas, on both sides
        a, b = _get(old, p), _get(new, p)
        if isinstance(a, dict) and isinstance(b, dict):
            for sub_path, _ in subschemas(a):
                if _get(b, sub_path, _MISSING) is not _MISSING:
                    yield replace(case, old=_set(old, p, _get(a, sub_path)), new=_set(new, p, _get(b, sub_path)))
    for p in paths:
        if not p or p[-1] == "$schema":  # the flavour stays what it is
            continue
        in_old, in_new = _get(old, p, _MISSING) is not _MISSING, _get(new, p, _MISSING) is not _MISSING
        if in_old and in_new:
            yield replace(case, old=_delete(old, p), new=_delete(new, p))
        if in_old:
            yield replace(case, old=_delete(old, p))
        if in_new:
            yield replace(case, new=_delete(new, p))


def _paths(value: Any, prefix: tuple = ()) -> Iterator[tuple]:
    yield prefix
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, prefix + (i,))


def _get(value: Any, path: tuple, default: Any = None) -> Any:
    for token in path:
        if isinstance(value, dict) and token in value:
            value = value[token]
        elif isinstance(value, list) and isinstance(token, int) and token < len(value):
            value = value[token]
        else:
            return default
    return value


def _set(value: Any, path: tuple, new: Any) -> Any:
    if not path:
        return copy.deepcopy(new)
    out = copy.deepcopy(value)
    parent = _get(out, path[:-1])
    parent[path[-1]] = copy.deepcopy(new)
    return out


def _delete(value: Any, path: tuple) -> Any:
    out = copy.deepcopy(value)
    parent = _get(out, path[:-1])
    if isinstance(parent, dict):
        parent.pop(path[-1], None)
    elif isinstance(parent, list) and isinstance(path[-1], int) and path[-1] < len(parent):
        parent.pop(path[-1])
    return out
