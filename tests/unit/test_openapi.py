"""OpenAPI traversal: matching, sides, streams, webhooks and callbacks."""

from apicompat import DiffOptions, Severity, diff_documents
from apicompat.load import Document

S = {"type": "string"}
OBJ = lambda **p: {"type": "object", "properties": p}


def doc(paths=None, **extra):
    return {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": paths or {}, **extra}


def diff(old, new):
    return diff_documents(Document("old.yaml", old), Document("new.yaml", new), DiffOptions())


def ok(schema, media="application/json"):
    return {"200": {"description": "ok", "content": {media: {"schema": schema}}}}


def test_path_keys_with_query_strings_are_distinct_endpoints():
    old = doc({"/responses": {"post": {"responses": ok(S)}}, "/responses?beta=true": {"post": {"responses": ok(S)}}})
    new = doc({"/responses": {"post": {"responses": ok(S)}}})
    report = diff(old, new)
    assert [(c.rule, c.operations) for c in report.changes] == [("endpoint-removed", ("POST /responses?beta=true",))]


def test_path_level_parameters_merge_into_operations():
    param = {"name": "limit", "in": "query", "schema": {"type": "integer"}}
    old = doc({"/a": {"parameters": [param], "get": {"responses": ok(S)}}})
    new = doc({"/a": {"get": {"parameters": [{**param, "required": True}], "responses": ok(S)}}})
    assert {c.rule for c in diff(old, new).changes} == {"request-parameter-became-required"}


def test_item_schema_of_an_event_stream_is_judged_response_side():
    ev = lambda t, **p: {"type": "object", "required": ["type"], "properties": {"type": {"const": t}, **p}}
    old = doc({"/s": {"get": {"responses": {"200": {"description": "ok", "content": {
        "text/event-stream": {"itemSchema": {"oneOf": [ev("a", x=S), ev("b")]}}}}}}}})
    new = doc({"/s": {"get": {"responses": {"200": {"description": "ok", "content": {
        "text/event-stream": {"itemSchema": {"oneOf": [ev("a"), ev("b"), ev("c")]}}}}}}}})
    found = {(c.rule, c.severity) for c in diff(old, new).changes}
    assert ("response-event-type-added", Severity.ADDITIVE) in found
    assert ("response-property-removed", Severity.BREAKING) in found


def test_webhook_request_bodies_are_judged_as_responses():
    hook = lambda schema: {"ping": {"post": {"requestBody": {"content": {"application/json": {"schema": schema}}},
                                             "responses": {"200": {"description": "ok"}}}}}
    old = doc(webhooks=hook(OBJ(a=S, b=S)))
    new = doc(webhooks=hook(OBJ(a=S)))
    changes = diff(old, new).changes
    assert [(c.rule, c.severity, c.operations) for c in changes] == [
        ("response-property-removed", Severity.BREAKING, ("POST webhook:ping",))]


def test_callbacks_swap_sides():
    cb = lambda schema: {"onDone": {"{$request.body#/url}": {"post": {
        "requestBody": {"content": {"application/json": {"schema": schema}}}, "responses": {"200": {"description": "ok"}}}}}}
    op = lambda schema: {"/jobs": {"post": {"callbacks": cb(schema), "responses": ok(S)}}}
    report = diff(doc(op(OBJ(a=S))), doc(op(OBJ(a={"type": ["string", "null"]}))))
    assert [(c.rule, c.severity) for c in report.changes] == [("response-became-nullable", Severity.BREAKING)]


def test_removed_deprecated_endpoint_is_still_breaking():
    old = doc({"/old": {"get": {"deprecated": True, "x-deprecated-since": "2023-01-01", "responses": ok(S)}}})
    report = diff(old, doc())
    (change,) = report.changes
    assert change.rule == "endpoint-deprecated-removed" and change.severity is Severity.BREAKING
    assert "since 2023-01-01" in change.message


def test_required_response_header_removed_case_insensitively_matched():
    hdr = lambda name, req=True: {"200": {"description": "ok", "headers": {name: {"required": req, "schema": S}}}}
    assert diff(doc({"/a": {"get": {"responses": hdr("x-request-id")}}}),
                doc({"/a": {"get": {"responses": hdr("X-Request-ID")}}})).changes == []
    changes = diff(doc({"/a": {"get": {"responses": hdr("x-request-id")}}}),
                   doc({"/a": {"get": {"responses": {"200": {"description": "ok"}}}}})).changes
    assert [c.rule for c in changes] == ["required-response-header-removed"]


def test_global_security_applies_to_operations():
    old = doc({"/a": {"get": {"responses": ok(S)}}})
    new = doc({"/a": {"get": {"responses": ok(S)}}}, security=[{"bearer": []}])
    assert [c.rule for c in diff(old, new).changes] == ["security-requirement-added"]
    alt = doc({"/a": {"get": {"responses": ok(S)}}}, security=[{"bearer": []}, {"apiKey": []}])
    assert diff(new, alt).changes == []


def test_mixed_30_keywords_in_31_documents():
    old = {**doc({"/a": {"get": {"responses": ok({"type": "number", "minimum": 0, "exclusiveMinimum": True, "nullable": True})}}}),
           "openapi": "3.0.3"}
    new = doc({"/a": {"get": {"responses": ok({"type": ["number", "null"], "exclusiveMinimum": 0})}}})
    assert [c.rule for c in diff(old, new).changes] == []
