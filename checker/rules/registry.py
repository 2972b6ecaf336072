"""What a rule is (id, severity, clause, doc, example pair) and the registry that holds them. The rule
tables (schema_rules, openapi_rules, event_rules, recorded_rules) import these; the package fills
the one registry from the tables."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from ..model import Direction, Severity


@dataclass(frozen=True)
class Example:
    """A pair that triggers the rule and a near pair that must not.

    `form` says how the test harness builds documents from the pair: `schema` pairs are
    wrapped into the rule's context (a request body, a response body, a query parameter,
    a response header); `openapi` and `asyncapi` pairs are whole documents.
    """

    old: Any
    new: Any
    near_old: Any
    near_new: Any
    form: str = "schema"


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    direction: Direction
    clause: str
    doc: str
    message: str
    example: Example
    area: str
    context: str = ""  # schema rules: request, response, request-parameter, response-header
    kind: str = ""

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "severity": self.severity.label,
            "direction": self.direction.value,
            "area": self.area,
            "policy": self.clause,
            "doc": self.doc,
            "example": {
                "old": self.example.old,
                "new": self.example.new,
                "form": self.example.form,
            },
        }


class Registry:
    """Rules by id, in the order they were added. A table may add a rule as a function that makes it
    (`add_made`): it is made when first asked for, since a diff asks for a few dozen of the hundreds
    (making them all cost ~15 ms of every start)."""

    def __init__(self) -> None:
        self._rules: dict[str, Rule | Callable[[], Rule]] = {}

    def add(self, rule: Rule) -> None:
        self.add_made(rule.id, rule)

    def add_made(self, rule_id: str, rule: Rule | Callable[[], Rule]) -> None:
        if rule_id in self._rules:
            raise ValueError(f"duplicate rule id {rule_id}")
        self._rules[rule_id] = rule

    def __getitem__(self, rule_id: str) -> Rule:
        rule = self._rules[rule_id]
        if isinstance(rule, Rule):
            return rule
        made = self._rules[rule_id] = rule()
        if made.id != rule_id:
            raise ValueError(f"rule {rule_id} was made as {made.id}")
        return made

    def __contains__(self, rule_id: object) -> bool:
        return rule_id in self._rules

    def __iter__(self) -> Iterator[Rule]:
        return iter([self[rule_id] for rule_id in self._rules])

    def __len__(self) -> int:
        return len(self._rules)

    def ids(self) -> list[str]:
        return list(self._rules)
