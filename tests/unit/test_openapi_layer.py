"""The OpenAPI layer (issue 10): security schemes, parameters, webhooks and callbacks, irregular
documents, and messages that point at the right place. Each test is a small pair built like the real
case it stands for."""

from __future__ import annotations

import copy

import pytest

from apicompat import DiffOptions, Severity, diff_documents
from apicompat.load import Document

S = {"type": "string"}
INT = {"type": "integer"}


def obj(required=(), **props) -> dict:
    out: dict = {"type": "object", "properties": props}
    if required:
        out["required"] = list(required)
    return out


def doc(paths=None, **extra) -> dict:
    return {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": paths or {}, **extra}


def ok(schema=None, media="application/json", status="200") -> dict:
    resp: dict = {"description": "ok"}
    if schema is not None:
        resp["content"] = {media: {"schema": schema}}
    return {status: resp}


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def diff(old, new, **options):
    return diff_documents(Document("old.yaml", old), Document("new.yaml", new), DiffOptions(**options))


def changes(old, new, **options) -> list:
    return diff(old, new, **options).changes


def found(old, new, **options) -> set[tuple[str, Severity]]:
    return {(c.rule, c.severity) for c in changes(old, new, **options)}


def only(old, new, rule: str, **options):
    """The one change with rule id `rule`."""
    hits = [c for c in changes(old, new, **options) if c.rule == rule]
    assert len(hits) == 1, [(c.rule, c.pointer) for c in changes(old, new, **options)]
    return hits[0]


# ---------------------------------------------------------------------------- security schemes

def secured_doc(schemes: dict, requirement: list | None = None, paths=("/a", "/b")) -> dict:
    ops = {p: {"get": {"security": [{"k": []}] if requirement is None else requirement, "responses": ok(S)}}
           for p in paths}
    return doc(ops, components={"securitySchemes": schemes})


API_KEY = {"type": "apiKey", "in": "header", "name": "X-Key"}


def test_a_changed_scheme_is_reported_once_at_its_definition_with_every_operation_that_requires_it():
    c = only(secured_doc({"k": API_KEY}), secured_doc({"k": {**API_KEY, "in": "query"}}),
             "security-scheme-api-key-location-changed")
    assert c.severity is Severity.BREAKING and c.direction.value == "request"
    assert c.pointer == "#/components/securitySchemes/k/in"
    assert c.operations == ("GET /a", "GET /b")
    assert "'header'" in c.message and "'query'" in c.message


def test_a_renamed_scheme_with_the_same_definition_changes_nothing():
    old = secured_doc({"k": API_KEY})
    new = secured_doc({"api_key": {**API_KEY, "name": "x-key", "description": "renamed"}}, [{"api_key": []}])
    assert changes(old, new) == []


def test_a_requirement_moved_to_another_scheme_is_still_compared_by_name():
    old = secured_doc({"k": API_KEY, "b": {"type": "http", "scheme": "bearer"}})
    new = secured_doc({"k": API_KEY, "b": {"type": "http", "scheme": "bearer"}}, [{"b": []}])
    assert ("security-requirement-added", Severity.BREAKING) in found(old, new)


def test_a_removed_scheme_that_operations_still_require_is_breaking_and_names_them():
    old = secured_doc({"k": API_KEY, "other": API_KEY})
    new = secured_doc({"other": API_KEY})
    new["components"]["securitySchemes"]["other"] = {**API_KEY, "name": "X-Other"}  # not a rename of k
    c = only(old, new, "security-scheme-removed-still-required")
    assert c.severity is Severity.BREAKING and c.operations == ("GET /a", "GET /b")


def test_oauth_scopes_removed_break_and_added_do_not():
    flows = lambda scopes: {"k": {"type": "oauth2", "flows": {"clientCredentials": {  # noqa: E731
        "tokenUrl": "https://a.example.com/token", "scopes": scopes}}}}
    old, new = secured_doc(flows({"read": "r", "write": "w"})), secured_doc(flows({"read": "r", "admin": "a"}))
    got = {(c.rule, c.severity, c.pointer) for c in changes(old, new)}
    assert got == {
        ("security-scheme-oauth-scope-removed", Severity.BREAKING,
         "#/components/securitySchemes/k/flows/clientCredentials/scopes/write"),
        ("security-scheme-oauth-scope-added", Severity.ADDITIVE,
         "#/components/securitySchemes/k/flows/clientCredentials/scopes/admin"),
    }


def test_scope_names_that_are_urls_keep_their_pointer_escaped():
    scope = "https://www.example.com/auth/drive"
    flows = lambda scopes: {"k": {"type": "oauth2", "flows": {"implicit": {  # noqa: E731
        "authorizationUrl": "https://a.example.com/auth", "scopes": scopes}}}}
    c = only(secured_doc(flows({scope: "d", "r": "r"})), secured_doc(flows({"r": "r"})),
             "security-scheme-oauth-scope-removed")
    assert c.pointer.endswith("/scopes/https:~1~1www.example.com~1auth~1drive")


def test_swagger2_security_definitions_are_compared_too():
    sw = lambda kind: {"swagger": "2.0", "info": {"title": "t", "version": "1"},  # noqa: E731
                       "securityDefinitions": {"k": kind}, "security": [{"k": []}],
                       "paths": {"/a": {"get": {"responses": {"200": {"description": "ok"}}}}}}
    got = found(sw({"type": "basic"}), sw({"type": "apiKey", "in": "header", "name": "X-Key"}))
    assert got == {("security-scheme-type-changed", Severity.BREAKING)}
