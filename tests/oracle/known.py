"""Counterexamples the current differ fails: minimal pairs, grouped by cause. Each is a strict xfail in
tests/unit/test_oracle.py until the differ rebuild fixes it; then remove it here.

tests/oracle_counterexamples.md is written from this list, with the differ's verdict of the day:
`cd tests && ../.venv/bin/python -m oracle.known`."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .judge import Case, judge


@dataclass(frozen=True)
class Known:
    name: str
    cause: str
    old: Any
    new: Any
    direction: str
    instance: Any
    flavour: str = "2020-12"
    wrap: str = "bare"
    equivalent: bool = False

    def case(self) -> Case:
        return Case(self.old, self.new, self.direction, self.flavour, self.name, self.equivalent, self.wrap)


D7 = "http://json-schema.org/draft-07/schema#"

# Causes (the differ rebuild's to-do list); each entry below names one.
ALL_OF_UNION = "an allOf holding a union: the other members' keywords (const, enum, required, additionalProperties, format, ...) are not compared"
REQUIRED_WITHOUT_PROPERTIES = "a required name added while the properties go is not reported"
REMOVED_UNDER_AP = "a property removed while additionalProperties is a schema: it now falls under that schema"
TYPED_MAP = "a new property of a typed map (additionalProperties a schema) outside the map's value type"
INFERRED_TYPE = "a type inferred from keywords that do not restrict the type (properties, additionalProperties, required, items)"
NULLABLE_IN_ALL_OF = "nullable in an allOf member is lost when the allOf is merged"
ALL_OF_ORDER = "allOf merging keeps the first member's value: reordering the members changes the verdict"
DATE_FORMAT = "date -> date-time is read as an ordering of formats (POLICY.md: formats are not ordered)"
OPAQUE_NUMBER = "an integer `id`'s numeric format is treated as an opaque string's (POLICY.md: opaque strings)"
NULL_TYPE = "`type: null` alone is read as 'no type' and an integer -> null change inside an allOf as a narrowing"
NULL_MEMBER = "a union member {type: null} with other keywords (not, enum) is read as plain nullability"
UNDECIDABLE = ("a documented limit: a pattern the automata cannot model (a backreference, lookaround) is an "
               "undecided change, a request warning that says so (POLICY: a change that cannot be proven safe is at "
               "least a warning); the oracle reads a request warning as a promise")
UNCHECKED_FORMAT = ("a documented limit: a string format whose checker needs an optional package (hostname, uri, "
                    "duration, ...) is a contract for the differ (POLICY: a format is part of it) but it cannot tell "
                    "which strings have it, so a break resting on one is an undecided request warning; the oracle's "
                    "jsonschema, without the package, takes every string")
NESTED_ONEOF = ("a documented limit: on the response side, a member opened inside a oneOf nested in a oneOf that "
                "now overlaps its sibling (and so stops matching) lets through values the outer oneOf rejected; the "
                "union unit judges each oneOf's overlaps on its own level and calls the opening additive")
SIBLING_NAME = ("a documented reading: a response member opened (its additionalProperties or unevaluatedProperties "
                "false gone) may send a name another member of the union declares; the differ reads it as a new "
                "property of this member's objects (POLICY: new response properties are allowed), the oracle excuses "
                "only names the old schema declares nowhere")

COUNTEREXAMPLES: list[Known] = [
    Known("pattern-with-backreference-changed", UNDECIDABLE, {"type": "string", "pattern": "^(a)\\1$"},
          {"type": "string", "pattern": "^(b)\\1$"}, "request", "aa"),
    Known("overlap-on-a-hostname", UNCHECKED_FORMAT,
          {"oneOf": [{"allOf": [{"format": "hostname"}, {"pattern": "^a"}]}]}, {"oneOf": [{"type": "string"}, {}]},
          "request", "a"),
    Known("inner-oneof-opened-into-an-overlap", NESTED_ONEOF,
          {"oneOf": [{"oneOf": [True, {"type": "object", "unevaluatedProperties": False}]}, {"properties": {"c": {}}}]},
          {"oneOf": [{"oneOf": [True, {"type": "object"}]}, {"properties": {"c": {}}}]}, "response", {"c": 0}),
    Known("member-opened-to-a-removed-members-names", SIBLING_NAME,
          {"oneOf": [{"properties": {"b": {}, "id": {}}, "required": ["b", "id"], "unevaluatedProperties": False},
                     {"properties": {"c": {}, "data": {}}, "additionalProperties": False, "type": "object"}]},
          {"oneOf": [{"properties": {"c": {}, "data": {}}, "type": "object"}]}, "response", {"b": 1, "data": 0, "id": 0}),
]

# Kinds that meet a known cause on the real components (seen there, not in the random seeds): left out
# of the corpus property test; their causes are pinned by the entries above.
CORPUS_FAILING: dict[str, str] = {}

# Mutation kinds whose property test (the explicit seeds of tests/unit/test_oracle.py) fails on the
# current differ, with the cause of the first failure found.
FAILING_KINDS: dict[str, str] = {
}


def write_markdown(path: Path) -> None:
    lines = ["# Oracle counterexamples", "",
             "Minimal (old, new) pairs on which the current differ's verdict breaks the promise POLICY.md attaches "
             "to it, found by the semantic oracle (tests/oracle; tests/unit/test_oracle.py, "
             "benchmarks/oracle_campaign.py). Request side: nothing `breaking` promises that every instance the old "
             "schema accepts (as old clients send it) the new one accepts. Response side: nothing at or above "
             "`warning` promises that every instance the new schema accepts the old one accepts. An equivalent pair "
             "(the same instances accepted) called `warning` or `breaking` is a false alarm.", "",
             "Written by `cd tests && ../.venv/bin/python -m oracle.known` from tests/oracle/known.py; each entry is a "
             "strict xfail in tests/unit/test_oracle.py::test_known_counterexamples until the differ rebuild fixes it.",
             ""]
    causes = list(dict.fromkeys(e.cause for e in COUNTEREXAMPLES))
    for n, cause in enumerate(causes, 1):
        lines += [f"## {n}. {cause}", ""]
        for e in [e for e in COUNTEREXAMPLES if e.cause == cause]:
            j = judge(e.case(), random.Random(0), extra=[e.instance])
            if j.counterexample is not None:
                way = (f"instance `{json.dumps(j.counterexample.instance)}`: {j.counterexample.accepted_by} accepts it, "
                       f"{j.counterexample.rejected_by} rejects it ({'; '.join(j.counterexample.errors[:2])}): "
                       + ("a missed breaking change" if e.direction == "request" else "a missed loosening"))
            elif j.false_alarm:
                way = "no instance tells the two apart: a false alarm"
            else:
                way = "**the differ now keeps the promise: remove this entry**"
            lines += [f"### {e.name}", "",
                      f"- side: {e.direction}; flavour: {e.flavour}" + (" (in an OpenAPI document)" if e.wrap == "openapi" else ""),
                      f"- old: `{json.dumps(e.old)}`",
                      f"- new: `{json.dumps(e.new)}`",
                      f"- differ: {j.verdict} {j.rules}",
                      f"- {way}", ""]
    path.write_text("\n".join(lines))


if __name__ == "__main__":
    write_markdown(Path(__file__).resolve().parents[1] / "oracle_counterexamples.md")
