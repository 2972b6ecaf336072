"""Regression tests for the disagreements found by running apicompat on other checkers' test suites
(oasdiff, OpenAPITools/openapi-diff; the measurement and its findings live outside the repository).

Every pair here is written from scratch for this file: a small old/new document on disk that shows one
finding in its plainest form, judged by what the two schemas accept (POLICY.md). A test that fails today
is marked xfail(strict=True) with the cause, so the fix flips it; the near pairs beside them pin what
must stay as it is.
"""

from __future__ import annotations

import textwrap

import pytest
import yaml

from apicompat.api import diff_files
from apicompat.model import Direction, Severity

def run(tmp_path, old: dict, new: dict):
    """Diff two documents written to real files; returns the report's changes."""
    for name, paths in (("old.yaml", old), ("new.yaml", new)):
        doc = {"openapi": "3.1.0", "info": {"title": "peers", "version": "1"}, "paths": paths}
        (tmp_path / name).write_text(yaml.safe_dump(doc, sort_keys=False))
    return diff_files(str(tmp_path / "old.yaml"), str(tmp_path / "new.yaml")).changes


def worst(changes, direction: Direction) -> Severity:
    return max((c.severity for c in changes if c.direction == direction), default=Severity.INFO)


def body_pair(old_schema: str, new_schema: str, *, response: bool = False) -> tuple[dict, dict]:
    """POST /orders whose request body (or, with response=True, 200 response body) has the given schema
    (YAML text)."""
    def paths(schema: str) -> dict:
        media = {"application/json": {"schema": yaml.safe_load(textwrap.dedent(schema))}}
        if response:
            op = {"responses": {"200": {"description": "ok", "content": media}}}
        else:
            op = {"requestBody": {"content": media}, "responses": {"204": {"description": "done"}}}
        return {"/orders": {"post": op}}
    return paths(old_schema), paths(new_schema)


def broken(reason: str):
    """A case that fails today: the fix flips it (strict)."""
    return pytest.mark.xfail(strict=True, reason=reason)


OK, BREAKING = "ok", "breaking"  # ok: nothing above additive on that side

READ_ONLY = """
type: object
required: [ticket_code]
properties:
  ticket_code: {type: string, readOnly: true}
  note: {type: string}
"""
DEPENDENT = """
type: object
properties: {card: {type: string}, expiry: {type: string}, cvc: {type: string}}
dependentRequired: {card: [expiry]}
"""
OPEN_OBJECT = "type: object\nproperties:\n  sku: {type: string}\n"
TYPED_REST = OPEN_OBJECT + "unevaluatedProperties: {type: integer}\n"
STRINGS = "type: array\nitems: {type: string}\n"
TWO_FIELDS = """
type: object
required: [email, phone]
properties: {email: {type: string}, phone: {type: string}}
"""
OVERLAPPING_ONE_OF = """
oneOf:
  - {type: object, required: [email], properties: {email: {type: string}, phone: {type: string}}}
  - {type: object, required: [phone], properties: {email: {type: string}, phone: {type: string}}}
"""
CARD = "type: object\nrequired: [kind]\nproperties: {kind: {const: card}}\n"
CARD_OR_TRANSFER = """
oneOf:
  - {type: object, required: [kind], properties: {kind: {const: card}}}
  - {type: object, required: [kind], properties: {kind: {const: transfer}}}
"""
URGENT = "type: array\nitems: {type: string}\ncontains: {const: urgent}\n"

# (old schema, new schema, side judged, expected worst on that side); request body of POST /orders, or
# its 200 response body when the side is "response". Grouped by the peer test that found it.
CASES = [
    # openapi-diff ReadOnlyBCTest.requestReadOnlyRequiredDecreased
    pytest.param(READ_ONLY, READ_ONLY.replace(", readOnly: true", ""), "request", BREAKING, id="read-only-required-dropped"),
    pytest.param(READ_ONLY.replace("[ticket_code]", "[note]"), READ_ONLY.replace("[ticket_code]", "[note]")
                 .replace(", readOnly: true", ""), "request", OK, id="read-only-optional-dropped"),
    # oasdiff Test*DependentRequiredChanged
    pytest.param(DEPENDENT, DEPENDENT.replace("[expiry]", "[expiry, cvc]"), "request", BREAKING, id="dependent-required-grows"),
    pytest.param(DEPENDENT, DEPENDENT.replace("[expiry]", "[expiry, cvc]"), "response", OK,
                 id="dependent-required-grows-response"),
    pytest.param(DEPENDENT.split("dependentRequired")[0], DEPENDENT, "request", BREAKING, id="dependent-required-added"),
    # oasdiff TestBackwardCompatibility_TraversesNotSubSchema
    pytest.param("type: object\nnot: {required: [colour, size]}\n", "type: object\nnot: {required: [colour]}\n",
                 "request", BREAKING, id="not-forbids-more"),
    pytest.param("type: object\nnot: {required: [colour]}\n", "type: object\nnot: {required: [colour, size]}\n",
                 "request", OK, id="not-forbids-less"),
    # oasdiff Test*PrefixItemsAdded, prefix_items_same_as_items
    *[pytest.param(STRINGS, STRINGS + "prefixItems: [{type: number}]\n", side, BREAKING, id=f"prefix-items-retype-{side}")
      for side in ("request", "response")],
    pytest.param("type: array\nitems: {type: integer}\n",
                 "type: array\nitems: {type: integer}\nprefixItems: [{type: integer}, {type: integer}]\n",
                 "any", OK, id="prefix-items-equal-to-items"),
    # oasdiff TestRequestBodyUnevaluatedAdded / TestResponseBodyUnevaluatedRemoved
    pytest.param(OPEN_OBJECT, TYPED_REST, "request", BREAKING, id="unevaluated-properties-schema-added"),
    pytest.param(TYPED_REST, OPEN_OBJECT, "response", BREAKING, id="unevaluated-properties-schema-removed"),
    pytest.param(OPEN_OBJECT, OPEN_OBJECT + "unevaluatedProperties: false\n", "request", BREAKING,
                 id="unevaluated-properties-false-added"),
    pytest.param(OPEN_OBJECT, OPEN_OBJECT + "additionalProperties: {type: integer}\n", "request", BREAKING,
                 id="additional-properties-schema-added"),
    pytest.param(OPEN_OBJECT + "additionalProperties: {type: integer}\n", OPEN_OBJECT, "response", BREAKING,
                 id="additional-properties-schema-removed"),
    # oasdiff request oneOf wrapping test (#702)
    pytest.param(TWO_FIELDS, OVERLAPPING_ONE_OF, "request", BREAKING, id="wrapped-in-overlapping-one-of"),
    pytest.param(CARD, CARD_OR_TRANSFER, "request", OK, id="wrapped-in-disjoint-one-of"),
    # oasdiff Test*PropertyMinContainsIncreased (severity; the message is checked below)
    pytest.param(URGENT + "minContains: 1\n", URGENT + "minContains: 2\n", "request", BREAKING, id="min-contains-increased"),
]


@pytest.mark.parametrize("old_schema, new_schema, side, expected", CASES)
def test_verdict_follows_what_the_schemas_accept(tmp_path, old_schema, new_schema, side, expected):
    old, new = body_pair(old_schema, new_schema, response=side == "response")
    changes = run(tmp_path, old, new)
    if side != "any":
        changes = [c for c in changes if c.direction == Direction(side)]
    got = max((c.severity for c in changes), default=Severity.INFO)
    assert (got == Severity.BREAKING) if expected == BREAKING else (got <= Severity.ADDITIVE), changes


def test_min_contains_increase_is_named_as_an_increase(tmp_path):
    old, new = body_pair(URGENT + "minContains: 1\n", URGENT + "minContains: 2\n")
    hits = [c for c in run(tmp_path, old, new) if c.direction == Direction.REQUEST and "minContains" in c.message]
    assert [c.rule for c in hits] == ["request-min-contains-increased"]
    assert "1" in hits[0].message and "2" in hits[0].message


# ------------------------------------------------ media type parameters (oasdiff media_type_param_*)

def charset_pair(old_charset: str, new_charset: str) -> tuple[dict, dict]:
    def paths(charset: str) -> dict:
        media = {f"text/csv; charset={charset}": {"schema": {"type": "string"}}}
        return {"/report": {"get": {"responses": {"200": {"description": "ok", "content": media}}}}}
    return paths(old_charset), paths(new_charset)


def test_response_charset_change_breaks(tmp_path):
    old, new = charset_pair("utf-8", "iso-8859-1")
    assert worst(run(tmp_path, old, new), Direction.RESPONSE) == Severity.BREAKING


def test_response_charset_unchanged_is_quiet(tmp_path):
    old, new = charset_pair("utf-8", "utf-8")
    assert run(tmp_path, old, new) == []


