"""The rule registry: one entry per rule id, the single source of severities, clauses and docs.

Differs yield *kinds* of change; the registry turns a (context, kind) into a rule id with its
default severity. `apicompat rules` and `docs/rules.md` are printed from here.
"""

from __future__ import annotations

from . import event_rules, openapi_rules, recorded_rules, schema_rules
from .registry import Example, Registry, Rule

__all__ = ["REGISTRY", "Example", "Registry", "Rule", "rule"]

REGISTRY = Registry()
schema_rules.register(REGISTRY)
openapi_rules.register(REGISTRY)
event_rules.register(REGISTRY)
recorded_rules.register(REGISTRY)


def rule(rule_id: str) -> Rule:
    return REGISTRY[rule_id]
