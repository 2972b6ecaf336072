"""Every rule: its example pair triggers it, and its near pair does not."""

import copy

import pytest

from apicompat import DiffOptions, diff_documents
from apicompat.load import Document
from apicompat.rules import REGISTRY
from apicompat.rules.schema_rules import KIND_BY_NAME


def wrap(schema, context: str) -> dict:
    """Put a schema example where its context lives in an OpenAPI document."""
    op: dict = {"responses": {"200": {"description": "ok"}}}
    method = "get"
    if context == "request":
        method = "post"
        op["requestBody"] = {"content": {"application/json": {"schema": copy.deepcopy(schema)}}}
    elif context == "response":
        op["responses"]["200"]["content"] = {"application/json": {"schema": copy.deepcopy(schema)}}
    elif context == "request-parameter":
        op["parameters"] = [{"name": "p", "in": "query", "schema": copy.deepcopy(schema)}]
    elif context == "response-header":
        op["responses"]["200"]["headers"] = {"X-H": {"schema": copy.deepcopy(schema)}}
    return {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {"/x": {method: op}}}


def pair(rule, old, new):
    if rule.example.form == "schema":
        old, new = wrap(old, rule.context), wrap(new, rule.context)
    return Document("old.yaml", old), Document("new.yaml", new)


def rules_of(rule, old, new) -> set[str]:
    o, n = pair(rule, old, new)
    return {c.rule for c in diff_documents(o, n, DiffOptions()).changes}


STATIC = [r for r in REGISTRY if r.example.form in ("schema", "openapi", "asyncapi")]


@pytest.mark.parametrize("rule", STATIC, ids=lambda r: r.id)
def test_example_triggers_rule(rule):
    found = rules_of(rule, rule.example.old, rule.example.new)
    assert rule.id in found, f"{rule.id} not reported; got {sorted(found)}"


@pytest.mark.parametrize("rule", STATIC, ids=lambda r: r.id)
def test_near_pair_does_not_trigger_rule(rule):
    found = rules_of(rule, rule.example.near_old, rule.example.near_new)
    assert rule.id not in found, f"{rule.id} reported on its near pair"


@pytest.mark.parametrize("rule", list(REGISTRY), ids=lambda r: r.id)
def test_rule_is_documented(rule):
    assert rule.id == rule.id.lower() and " " not in rule.id
    assert rule.doc and rule.clause and rule.message
    assert rule.severity is not None and rule.direction is not None


def test_schema_rules_follow_contravariance():
    """The request side of a kind is never stricter about loosening than the response side."""
    for kind in KIND_BY_NAME.values():
        if kind.name.endswith(("-set", "-decreased")) and kind.name.startswith("max"):
            assert kind.request > kind.response


def test_registry_breadth():
    assert len(REGISTRY) >= 500
