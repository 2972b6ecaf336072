"""One check: the differ's verdict on (old, new, direction), and whether the instances keep its promise.

judge(case, rnd) diffs the pair, generates candidate instances from both schemas (instances.py),
validates each against both, and says:

- `promise`: the inclusion the verdict promises (promises.py): request side with nothing
  `breaking`: L_sent(old) <= L(new); response side with nothing at or above `warning`:
  L(new) <= L(old); otherwise none.
- `counterexample`: an instance that breaks the promise and no exception excuses: a missed
  breaking change (request) or a missed loosening (response). This is a failure.
- `alarm`: where the verdict promised nothing, whether an instance shows why (`witnessed`) or none
  was found (`unwitnessed`: a possible false alarm, or a rule that is not about set inclusion, such
  as a removed response property or a changed default; a signal, not a failure; `vacuous` when no
  instance of the source side was found at all). An unwitnessed alarm on a pair that no candidate
  tells apart either way (`same_on_pool`) is a suspected false alarm.
- `false_alarm`: a mutation that keeps what the schema accepts (`Case.equivalent`: reordering,
  shuffling or splitting an allOf, inlining a $ref, another spelling of null) reported `warning` or
  `breaking`: it could fail a gate for nothing. A failure. Reported `additive`, it is `noise`
  (counted, not a failure: an allowed change that is no change).
"""

from __future__ import annotations

import collections
import copy
import json
import random
from dataclasses import dataclass, field
from typing import Any

from apicompat.api import DiffOptions, diff_documents
from apicompat.errors import InputError
from apicompat.load import Document
from apicompat.model import Severity

from . import edges, instances, promises
from .dialect import Acceptor, Unusable

REQUEST, RESPONSE = promises.REQUEST, promises.RESPONSE
EDGE_BUDGET = 40  # edge instances per pair (edges.py), beside the `budget` drawn from each schema
THRESHOLD = {REQUEST: Severity.BREAKING, RESPONSE: Severity.WARNING}
PROMISE_TEXT = {REQUEST: "every instance old accepts (as old clients send it), new accepts",
                RESPONSE: "every instance new accepts, old accepts"}


@dataclass
class Case:
    old: Any
    new: Any
    direction: str
    flavour: str = "2020-12"
    kind: str = ""            # the mutation that made `new` from `old`
    equivalent: bool = False  # that mutation keeps what the schema accepts
    wrap: str = "bare"        # "bare": a JSON Schema pair; "openapi": inside an OpenAPI document

    def to_dict(self) -> dict:
        return {"old": self.old, "new": self.new, "direction": self.direction, "flavour": self.flavour,
                "kind": self.kind, "equivalent": self.equivalent, "wrap": self.wrap}


@dataclass
class Witness:
    instance: Any
    accepted_by: str
    rejected_by: str
    errors: list[str]

    def describe(self) -> str:
        return (f"{json.dumps(_abridged(self.instance), sort_keys=True)}: {self.accepted_by} accepts it, "
                f"{self.rejected_by} rejects it ({'; '.join(self.errors[:3])})")


def _abridged(value: Any, longest: int = 60) -> Any:
    """`value` with each long string cut to its head and its length (a witness of a length bound of
    thousands of characters stays readable)."""
    if isinstance(value, str) and len(value) > longest:
        return f"{value[:12]}...({len(value)} characters)"
    if isinstance(value, dict):
        return {k: _abridged(v, longest) for k, v in value.items()}
    if isinstance(value, list):
        return [_abridged(v, longest) for v in value]
    return value


@dataclass
class Judgement:
    case: Case
    worst: Severity | None = None
    rules: list[str] = field(default_factory=list)
    promise: str | None = None
    checked: int = 0
    in_domain: int = 0
    counterexample: Witness | None = None
    excused: collections.Counter = field(default_factory=collections.Counter)
    alarm: str | None = None         # "witnessed" / "unwitnessed" / "vacuous" when the verdict promised nothing
    same_on_pool: bool = False       # no candidate tells old and new apart (either way)
    accepted: tuple[int, int] = (0, 0)  # how many candidates old and new accept
    false_alarm: bool = False        # an equivalent pair called `warning` or `breaking`
    noise: bool = False              # an equivalent pair called `additive` (allowed, but no change)
    unusable: str | None = None

    @property
    def failed(self) -> bool:
        return self.counterexample is not None or self.false_alarm

    @property
    def verdict(self) -> str:
        return self.worst.label if self.worst is not None else "nothing"

    def explain(self) -> str:
        c = self.case
        lines = [f"{c.direction} side, {c.flavour} ({c.wrap}), mutation {c.kind or '-'}: differ says "
                 f"{self.verdict} {self.rules}"]
        if self.counterexample is not None:
            lines.append(f"promised: {PROMISE_TEXT[c.direction]}; broken by {self.counterexample.describe()}")
        if self.false_alarm:
            lines.append("the two schemas accept the same instances (an equivalent mutation), yet the verdict "
                         "is warning or breaking")
        lines.append(f"old: {json.dumps(c.old, sort_keys=True)}")
        lines.append(f"new: {json.dumps(c.new, sort_keys=True)}")
        return "\n".join(lines)


class OracleError(AssertionError):
    """The oracle contradicts itself (an 'equivalent' mutation that is not): a bug in tests/oracle."""


# -- the differ -----------------------------------------------------------------------------------------

def run_differ(case: Case):
    if case.wrap == "openapi":
        old = as_openapi(case.old, case.flavour, case.direction)
        new = as_openapi(case.new, case.flavour, case.direction)
        options = DiffOptions()
    else:
        old, new = case.old, case.new
        options = DiffOptions(direction=case.direction)
    return diff_documents(Document("old", old), Document("new", new), options)


def as_openapi(schema: Any, flavour: str, direction: str) -> dict:
    """`schema` as the request body (request side) or the 200 response body (response side) of one
    operation; its `$defs` become components and its `$ref`s follow them."""
    schema = copy.deepcopy(schema)
    defs = schema.pop("$defs", {}) if isinstance(schema, dict) else {}
    schema = _rewrite_refs(schema)
    defs = {k: _rewrite_refs(v) for k, v in defs.items()}
    op: dict = {"responses": {"200": {"description": "ok"}}}
    body = {"content": {"application/json": {"schema": schema}}}
    if direction == REQUEST:
        op["requestBody"] = {"required": True, **body}
    else:
        op["responses"]["200"].update(body)
    version = "3.0.3" if flavour == "openapi-3.0" else "3.1.0"
    return {"openapi": version, "info": {"title": "oracle", "version": "1"},
            "paths": {"/thing": {"post": op}}, "components": {"schemas": defs}}


def _rewrite_refs(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: (v.replace("#/$defs/", "#/components/schemas/", 1) if k == "$ref" and isinstance(v, str)
                    else _rewrite_refs(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_rewrite_refs(v) for v in value]
    return value


# -- the judgement -------------------------------------------------------------------------------------

class Prepared:
    """What both directions of one (old, new, flavour) pair share: the validators, the inlined
    2020-12 forms, and the candidate instances."""

    def __init__(self, old: Any, new: Any, flavour: str, rnd: random.Random, budget: int = 120,
                 extra: list | None = None) -> None:
        self.old, self.new = Acceptor(old, flavour), Acceptor(new, flavour)
        self.old_inlined = promises.inline_refs(self.old.translated)
        self.new_inlined = promises.inline_refs(self.new.translated)
        self.pool = instances.unique(list(extra or []) + _pool(self.old, self.new, rnd, budget))


def judge(case: Case, rnd: random.Random, *, budget: int = 120, report=None,
          prepared: Prepared | None = None, extra: list | None = None) -> Judgement:
    """The judgement of one check (see the module doc); `extra` instances join the candidates."""
    out = Judgement(case)
    try:
        report = report if report is not None else run_differ(case)
    except InputError as exc:
        out.unusable = f"the differ refuses the input: {exc}"
        return out
    changes = [c for c in report.changes if not c.suppressed]
    out.worst = max((c.severity for c in changes), default=None)
    out.rules = sorted({f"{c.rule}({c.severity.label})" for c in changes})
    made = out.worst is None or out.worst < THRESHOLD[case.direction]
    out.promise = PROMISE_TEXT[case.direction] if made else None
    try:
        prepared = prepared or Prepared(case.old, case.new, case.flavour, rnd, budget, extra)
        _validate(case, prepared, out, made)
    except Unusable as exc:
        out.unusable = str(exc)
    return out


def _validate(case: Case, prep: Prepared, out: Judgement, made: bool) -> None:
    old, new, pool = prep.old, prep.new, prep.pool
    out.checked = len(pool)
    out.accepted = (sum(1 for x in pool if old(x)), sum(1 for x in pool if new(x)))
    if case.direction == REQUEST:
        source, target = old, new
        domain = Acceptor(promises.sent_by_old_clients(prep.old_inlined), "2020-12", translated=True)
        in_domain = [x for x in pool if source(x) and domain(x)]
        names = ("old", "new")
    else:
        source, target = new, old
        in_domain = [x for x in pool if source(x)]
        names = ("new", "old")
    out.in_domain = len(in_domain)
    bad = [x for x in in_domain if not target(x)]
    witnesses = []
    if bad:
        relaxed = {name: Acceptor(schema, "2020-12", translated=True) for name, schema in
                   promises.exceptions(case.direction, prep.old_inlined, prep.new_inlined).items()}
        strip = promises.new_property_stripper(prep.old_inlined) if case.direction == RESPONSE else None
        for x in bad:
            if relaxed["all"](x):
                reason = next((name for name, acc in relaxed.items() if name != "all" and acc(x)), "all")
                out.excused[reason] += 1
                continue
            if strip is not None and (y := strip(x)) != x and relaxed["all"](y):
                out.excused["new-response-property"] += 1  # an old value with new properties
                continue
            witnesses.append(x)
    if witnesses:
        x = min(witnesses, key=lambda v: len(json.dumps(v)))
        witness = Witness(x, names[0], names[1], target.errors(x))
        if made:
            out.counterexample = witness
        else:
            out.alarm = "witnessed"
    elif not made:
        out.alarm = "unwitnessed" if in_domain else "vacuous"  # vacuous: no instance of the source side found
    out.same_on_pool = all(old(x) == new(x) for x in pool)
    if case.equivalent:
        differs = [x for x in pool if old(x) != new(x)]
        if differs:
            raise OracleError(f"mutation {case.kind} is called equivalent, but "
                              f"{json.dumps(differs[0])} tells the schemas apart:\n{json.dumps(case.to_dict())}")
        out.false_alarm = out.worst is not None and out.worst >= Severity.WARNING
        out.noise = out.worst == Severity.ADDITIVE


def _pool(old: Acceptor, new: Acceptor, rnd: random.Random, budget: int) -> list:
    """Candidates of both schemas (the boundary of either may be where they part), edge instances
    of the places where the two differ (edges.py), and perturbations of those either accepts."""
    pool: list = []
    hints = tuple(sorted(promises.declared_names(old.translated) | promises.declared_names(new.translated)))  # sorted: a run is reproducible whatever the hash seed
    for acc in (old, new):
        gen = instances.Generator(acc.translated, rnd, validator=acc.translated_validator, hint_names=hints)
        pool += gen.candidates(budget)
    pool = instances.unique(pool)
    accepted_old, accepted_new = [x for x in pool if old(x)], [x for x in pool if new(x)]
    pool = instances.unique(pool + edges.candidates(old.translated, new.translated, accepted_old, accepted_new,
                                                    rnd, EDGE_BUDGET))
    valid = [x for x in pool if old(x) or new(x)]
    for x in rnd.sample(valid, min(len(valid), 10)):
        pool += instances.perturb(x, rnd, 4)
    return instances.unique(pool)
