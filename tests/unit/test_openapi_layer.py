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


# ---------------------------------------------------------------------------- parameters

def with_params(*params, path="/accounts/{account_id}") -> dict:
    return doc({path: {"get": {"parameters": list(params), "responses": ok(S)}}})


def account(schema) -> dict:
    return {"name": "account_id", "in": "path", "required": True, "schema": schema}


def test_an_opaque_id_parameter_that_gains_a_type_and_a_length_is_not_breaking():
    """Cloudflare: `account_id` went from untyped to `type: string, maxLength: 32`."""
    got = found(with_params(account({})), with_params(account({"type": "string", "maxLength": 32})))
    assert got == {("request-parameter-opaque-string-changed", Severity.ADDITIVE)}


def test_an_opaque_id_parameter_may_change_length_format_and_pattern():
    old = with_params(account({"type": "string", "minLength": 1}))
    new = with_params(account({"type": "string", "maxLength": 32, "pattern": "^[a-f0-9]{32}$", "format": "uuid"}))
    assert {sev for _, sev in found(old, new)} == {Severity.ADDITIVE}


def test_a_parameter_not_named_like_an_id_keeps_its_bounds_breaking():
    name = lambda s: {"name": "account_name", "in": "query", "schema": s}  # noqa: E731
    got = found(with_params(name(S), path="/a"), with_params(name({"type": "string", "maxLength": 32}), path="/a"))
    assert got == {("request-parameter-max-length-set", Severity.BREAKING)}


def test_a_style_serialised_parameter_is_text_a_string_type_accepts_what_numbers_sent():
    q = lambda s: {"name": "limit", "in": "query", "schema": s}  # noqa: E731
    assert found(with_params(q(INT), path="/a"), with_params(q(S), path="/a")) == {
        ("request-parameter-type-widened", Severity.ADDITIVE)}
    assert ("request-parameter-type-changed", Severity.BREAKING) in found(with_params(q(S), path="/a"),
                                                                          with_params(q(INT), path="/a"))


def test_a_json_content_parameter_is_not_read_as_text():
    q = lambda s: {"name": "filter", "in": "query", "content": {"application/json": {"schema": s}}}  # noqa: E731
    assert ("request-parameter-type-changed", Severity.BREAKING) in found(with_params(q(INT), path="/a"),
                                                                          with_params(q(S), path="/a"))


def test_a_content_parameter_media_type_parameters_are_part_of_what_is_sent():
    obj_schema = {"type": "object"}
    q = lambda media: {"name": "filter", "in": "query", "content": {media: {"schema": obj_schema}}}  # noqa: E731
    assert found(with_params(q("application/json; profile=v1"), path="/a"),
                 with_params(q("application/json; profile=v2"), path="/a")) == {
        ("request-parameter-media-type-changed", Severity.BREAKING)}
    assert changes(with_params(q("application/json"), path="/a"),
                   with_params(q("application/json; Charset=UTF-8"), path="/a")) == []


def test_allow_empty_value_removed_breaks_a_client_sending_an_empty_value():
    q = lambda **extra: {"name": "q", "in": "query", "schema": S, **extra}  # noqa: E731
    c = only(with_params(q(allowEmptyValue=True), path="/a"), with_params(q(), path="/a"),
             "request-parameter-allow-empty-value-removed")
    assert c.severity is Severity.BREAKING and "query parameter 'q'" in c.message and c.operations == ("GET /a",)
    assert found(with_params(q(), path="/a"), with_params(q(allowEmptyValue=True), path="/a")) == {
        ("request-parameter-allow-empty-value-added", Severity.ADDITIVE)}


@pytest.mark.parametrize("where, schema, old, new, changed", [
    ("query", S, {}, {"style": "form", "explode": True}, False),  # the defaults, spelled out
    ("query", S, {}, {"explode": False}, False),  # one value: `q=v` either way
    ("query", {"type": "array", "items": S}, {}, {"explode": False}, True),  # q=a&q=b -> q=a,b
    ("query", {"type": "array", "items": S}, {"style": "form", "explode": False},
     {"style": "spaceDelimited", "explode": False}, True),
    ("path", {"type": "array", "items": S}, {}, {"explode": True}, False),  # a,b either way
    ("path", {"type": "object"}, {}, {"explode": True}, True),  # k,v -> k=v
    ("path", S, {}, {"style": "label"}, True),  # v -> .v
    ("header", INT, {}, {"style": "simple", "explode": True}, False),
    ("query", None, {}, {"explode": False}, True),  # untyped: it may be an array
])
def test_style_and_explode_compare_what_the_client_sends(where, schema, old, new, changed):
    path = "/a/{p}" if where == "path" else "/a"

    def p(extra):
        out = {"name": "p", "in": where, "required": where == "path", **extra}
        if schema is not None:
            out["schema"] = schema
        return out
    got = {c.rule for c in changes(with_params(p(old), path=path), with_params(p(new), path=path))}
    assert ("request-parameter-style-changed" in got) is changed, got


def test_a_parameter_moved_from_the_query_to_a_header_is_one_breaking_change():
    key = lambda where: {"name": "api_key", "in": where, "required": True, "schema": S}  # noqa: E731
    report = changes(with_params(key("query"), path="/a"), with_params(key("header"), path="/a"))
    assert [(c.rule, c.severity) for c in report] == [("request-parameter-location-changed", Severity.BREAKING)]
    assert "'query'" in report[0].message and "'header'" in report[0].message


def test_schema_to_content_is_compared_by_what_travels():
    num = {"name": "n", "in": "query", "schema": INT}
    as_json = lambda s: {"name": "n", "in": "query", "content": {"application/json": {"schema": s}}}  # noqa: E731
    assert changes(with_params(num, path="/a"), with_params(as_json(INT), path="/a")) == []
    text = {"name": "n", "in": "query", "schema": S}
    assert "request-parameter-media-type-changed" in {
        c.rule for c in changes(with_params(text, path="/a"), with_params(as_json(S), path="/a"))}


# ---------------------------------------------------------------------------- webhooks and callbacks

def hook_doc(**parts) -> dict:
    op = {"responses": {"200": {"description": "ok"}}, **parts}
    return doc(webhooks={"ping": {"post": op}})


def body(schema=S, required=False, media="application/json") -> dict:
    return {"required": required, "content": {media: {"schema": schema}}}


def test_a_webhook_body_is_what_the_server_sends():
    assert found(hook_doc(requestBody=body(required=True)), hook_doc(requestBody=body())) == {
        ("webhook-body-became-optional", Severity.BREAKING)}
    assert found(hook_doc(requestBody=body()), hook_doc(requestBody=body(required=True))) == {
        ("webhook-body-became-required", Severity.ADDITIVE)}
    assert found(hook_doc(requestBody=body(obj(a=S))), hook_doc(requestBody=body(obj(a=S, b=S)))) == {
        ("response-property-added-optional", Severity.ADDITIVE)}
    assert found(hook_doc(requestBody=body(obj(["a"], a=S))), hook_doc(requestBody=body(obj(a=S)))) == {
        ("response-property-became-optional", Severity.BREAKING)}


def test_a_webhook_parameter_is_what_the_server_sends():
    sig = {"name": "X-Signature", "in": "header", "schema": S}
    assert found(hook_doc(parameters=[sig]), hook_doc()) == {("webhook-parameter-removed", Severity.BREAKING)}
    assert found(hook_doc(), hook_doc(parameters=[{**sig, "required": True}])) == {
        ("webhook-parameter-added", Severity.ADDITIVE)}


def test_a_webhook_reply_is_what_the_client_sends():
    reply = lambda schema, status="200": {status: {"description": "ok", "content": {  # noqa: E731
        "application/json": {"schema": schema}}}}
    assert found(hook_doc(responses=reply(obj(a=S))), hook_doc(responses=reply(obj(["a"], a=S)))) == {
        ("request-property-became-required", Severity.BREAKING)}
    assert found(hook_doc(responses={**reply(S), **reply(S, "202")}), hook_doc(responses=reply(S))) == {
        ("webhook-reply-status-removed", Severity.BREAKING)}
    assert changes(hook_doc(responses=reply(S)), hook_doc(responses=reply(S, "2XX"))) == []


def jobs(callbacks: dict) -> dict:
    return doc({"/jobs": {"post": {"callbacks": callbacks, "responses": ok(S)}}})


def test_callbacks_are_judged_like_webhooks_and_listed_under_the_operation_that_triggers_them():
    cb = lambda **parts: {"onDone": {"{$request.body#/url}": {"post": {  # noqa: E731
        "responses": {"200": {"description": "ok"}}, **parts}}}}
    c = only(jobs(cb(requestBody=body(obj(a=S, b=S)))), jobs(cb(requestBody=body(obj(a=S)))),
             "response-property-removed")
    assert c.severity is Severity.BREAKING and c.operations == ("POST /jobs",)
    c = only(jobs(cb(requestBody=body(required=True))), jobs(cb(requestBody=body())), "webhook-body-became-optional")
    assert c.operations == ("POST /jobs",) and "callback onDone POST {$request.body#/url}" in c.message
    c = only(jobs(cb()), jobs({}), "callback-removed")
    assert c.severity is Severity.BREAKING and c.operations == ("POST /jobs",) and "onDone" in c.message


def reply_doc(headers: dict) -> dict:
    """Webhook `ping` whose 204 reply (what the receiver sends back) carries `headers`."""
    return hook_doc(responses={"204": {"description": "ack", "headers": headers}})


def test_a_webhook_reply_header_is_what_the_client_sends():
    ack = {"X-Ack-Id": {"schema": S}}
    must = {"X-Ack-Id": {"required": True, "schema": S}}
    c = only(reply_doc(ack), reply_doc(must), "webhook-reply-header-became-required")
    assert c.severity is Severity.BREAKING and c.direction.value == "request"
    assert c.pointer == "#/webhooks/ping/post/responses/204/headers/X-Ack-Id"
    assert "'X-Ack-Id' in the 204 response" in c.message and "became required" in c.message
    assert found(reply_doc({}), reply_doc(must)) == {("webhook-reply-header-added-required", Severity.BREAKING)}
    assert found(reply_doc({}), reply_doc(ack)) == {("webhook-reply-header-added-optional", Severity.ADDITIVE)}
    assert found(reply_doc(must), reply_doc(ack)) == {("webhook-reply-header-became-optional", Severity.ADDITIVE)}
    # the value the receiver sends: a narrower schema refuses what old receivers send
    narrower = {"X-Ack-Id": {"schema": {"type": "string", "maxLength": 8}}}
    assert found(reply_doc(ack), reply_doc(narrower)) == {("request-parameter-max-length-set",
                                                           Severity.BREAKING)}
    # the same change in a call's response is the server's: nothing breaks for the client
    call = lambda headers: doc({"/a": {"get": {"responses": {"200": {  # noqa: E731
        "description": "ok", "headers": headers}}}}})
    assert found(call(ack), call(must)) == set()


def test_a_callback_reply_header_is_what_the_client_sends():
    cb = lambda headers: {"onDone": {"{$request.body#/url}": {"post": {  # noqa: E731
        "responses": {"200": {"description": "ok", "headers": headers}}}}}}
    c = only(jobs(cb({})), jobs(cb({"X-Ack-Id": {"required": True, "schema": S}})),
             "webhook-reply-header-added-required")
    assert c.severity is Severity.BREAKING and c.operations == ("POST /jobs",)


# ---------------------------------------------------------------------------- media type parameters

def answers(*medias: str, status: str = "200") -> dict:
    return doc({"/report": {"get": {"responses": {status: {"description": "ok", "content": {
        m: {"schema": S} for m in medias}}}}}})


def takes(*medias: str) -> dict:
    return doc({"/report": {"post": {"requestBody": {"content": {m: {"schema": S} for m in medias}},
                                     "responses": {"204": {"description": "done"}}}}})


def test_a_response_charset_that_changes_is_breaking_and_says_both():
    c = only(answers("text/csv; charset=utf-8"), answers("text/csv; charset=iso-8859-1"),
             "response-media-type-parameter-changed")
    assert c.severity is Severity.BREAKING and c.direction.value == "response"
    assert c.pointer == "#/paths/~1report/get/responses/200/content/text~1csv; charset=utf-8"
    assert c.new_pointer == "#/paths/~1report/get/responses/200/content/text~1csv; charset=iso-8859-1"
    assert c.message == ("GET /report 200 response (text/csv) media type parameters changed from "
                         "'charset=utf-8' to 'charset=iso-8859-1'")


@pytest.mark.parametrize("old, new", [
    ("application/json", "application/json; charset=utf-8"),  # JSON is UTF-8 (RFC 8259)
    ("application/problem+json; charset=UTF-8", "application/problem+json"),
    ("text/csv; charset=utf-8", "text/csv; Charset=\"UTF-8\""),  # names and charset values without case
    ("application/*", "application/*; q=1"),  # a range is matched by the range alone
])
def test_media_type_parameters_compared_as_meant(old, new):
    assert changes(answers(old), answers(new)) == []
    assert changes(takes(old), takes(new)) == []


def test_charset_added_to_a_text_type_is_a_change():
    assert found(answers("text/plain"), answers("text/plain; charset=utf-8")) == {
        ("response-media-type-parameter-changed", Severity.BREAKING)}


def test_a_request_media_type_parameter_change_breaks_unless_the_old_one_is_still_accepted():
    assert found(takes("application/json; profile=v1"), takes("application/json; profile=v2")) == {
        ("request-media-type-parameter-changed", Severity.BREAKING)}
    assert found(takes("application/json; profile=v1"),
                 takes("application/json; profile=v1", "application/json; profile=v2")) == {
        ("request-media-type-added", Severity.ADDITIVE)}


def test_a_request_media_type_keyed_with_fewer_parameters_still_reads_what_old_clients_send():
    """OpenAPI: the most specific key applies, so `text/plain` reads `text/plain; charset=utf-8`."""
    c = only(takes("text/plain; charset=utf-8"), takes("text/plain"), "request-media-type-parameter-relaxed")
    assert c.severity is Severity.ADDITIVE
    assert c.message == ("POST /report request body (text/plain) media type parameters relaxed from "
                         "'charset=utf-8' to 'no parameters'")
    # the reverse is not: an old client sending `text/plain` (or another charset) is no longer described
    assert found(takes("text/plain"), takes("text/plain; charset=utf-8")) == {
        ("request-media-type-parameter-changed", Severity.BREAKING)}
    # one bare key reads every charset old clients sent
    assert found(takes("text/plain", "text/plain; charset=utf-8"), takes("text/plain")) == {
        ("request-media-type-parameter-relaxed", Severity.ADDITIVE)}
    # where the server sends it, the client sees exactly the parameters given
    assert found(answers("text/plain; charset=utf-8"), answers("text/plain")) == {
        ("response-media-type-parameter-changed", Severity.BREAKING)}


def test_a_media_type_parameter_change_still_compares_the_schemas():
    old = answers("application/json; version=1")
    new = copy.deepcopy(answers("application/json; version=2"))
    new["paths"]["/report"]["get"]["responses"]["200"]["content"]["application/json; version=2"]["schema"] = INT
    assert found(old, new) == {("response-media-type-parameter-changed", Severity.BREAKING),
                               ("response-type-changed", Severity.BREAKING)}


def test_an_error_response_media_type_parameter_is_not_a_success_change():
    assert found(answers("text/plain; charset=utf-8", status="500"),
                 answers("text/plain; charset=iso-8859-1", status="500")) == set()


@pytest.mark.parametrize("status, reported", [("200", True), ("2XX", True), ("404", False), ("4XX", False),
                                              ("500", False), ("default", False)])
def test_media_type_parameters_follow_the_removal_rule_by_status(status, reported):
    """POLICY: a media type removed is breaking for a success response. A parameter change is judged the
    same way (a removal of one meaning of the type): both on 2xx, neither on 4xx/5xx/default."""
    removed = found(answers("text/csv; charset=utf-8", "application/json", status=status),
                    answers("application/json", status=status))
    changed = found(answers("text/csv; charset=utf-8", status=status),
                    answers("text/csv; charset=iso-8859-1", status=status))
    assert removed == ({("response-media-type-removed", Severity.BREAKING)} if reported else set())
    assert changed == ({("response-media-type-parameter-changed", Severity.BREAKING)} if reported else set())
    # near pair: the same type, the same parameter as meant, on any status: nothing
    assert found(answers("text/csv; charset=utf-8", status=status),
                 answers("text/csv; Charset=\"UTF-8\"", status=status)) == set()


def test_a_webhook_media_type_parameter_change_is_judged_by_who_sends_it():
    sent = lambda media: hook_doc(requestBody=body(media=media))  # noqa: E731
    c = only(sent("application/json; profile=v1"), sent("application/json; profile=v2"),
             "webhook-media-type-parameter-changed")
    assert c.severity is Severity.BREAKING and c.direction.value == "response"
    replied = lambda *medias: hook_doc(responses={"200": {"description": "ok", "content": {  # noqa: E731
        m: {"schema": S} for m in medias}}})
    c = only(replied("text/plain; charset=utf-8"), replied("text/plain; charset=us-ascii"),
             "webhook-reply-media-type-parameter-changed")
    assert c.severity is Severity.BREAKING and c.direction.value == "request"


def test_a_response_code_covered_by_its_range_is_not_removed():
    old = doc({"/a": {"get": {"responses": ok(obj(a=S))}}})
    new = doc({"/a": {"get": {"responses": ok(obj(a=S, b=S), status="2XX")}}})
    assert found(old, new) == {("response-property-added-optional", Severity.ADDITIVE)}


# ---------------------------------------------------------------------------- irregular documents

def irregular(report) -> list:
    return [c for c in report.changes if c.rule == "input-irregular"]


def test_an_irregular_place_is_read_and_reported_once_naming_the_file_the_place_and_the_reading():
    old = doc({"/a": {"get": {"responses": {"200": {"content": {"application/json": {"schema": S}}}}}}})
    new = doc({"/a": {"get": {"responses": ok(INT)}}})
    report = diff(old, new)
    (note,) = irregular(report)
    assert note.severity is Severity.INFO and note.pointer == "#/paths/~1a/get/responses/200"
    assert note.message == ("old.yaml at #/paths/~1a/get/responses/200: response 200 without a description is "
                            "irregular; read as an empty description")
    assert ("response-type-changed", Severity.BREAKING) in {(c.rule, c.severity) for c in report.changes}


def test_the_same_irregularity_in_both_files_is_one_entry_naming_both():
    d = doc({"/a": {"get": {"responses": None}}})
    report = diff(d, copy.deepcopy(d))
    assert [(c.rule, c.message) for c in report.changes] == [(
        "input-irregular", "old.yaml and new.yaml at #/paths/~1a/get/responses: an empty `responses` is irregular; "
                           "read as no documented responses")]


@pytest.mark.parametrize("old_part, found_text", [
    ({"openapi": 3.1}, "`openapi: 3.1` (a number, not a string)"),
    ({"info": ["t"]}, "`info` that is a list"),
    ({"paths": {"a": {"get": {"responses": ok(S)}}}}, "the path 'a' without its leading '/'"),
    ({"paths": {"/a": {"get": {"responses": ok(S)}, "put": None}}}, "operation PUT that is null"),
    ({"paths": {"/a": {"get": {"responses": ok(S)}}, "/b": None}}, "a path item that is null"),
    ({"paths": {"/a": {"get": {"parameters": ["q"], "responses": ok(S)}}}}, "a parameter that is a string"),
    ({"paths": {"/a": {"get": {"parameters": None, "responses": ok(S)}}}}, "`parameters:` left empty (null)"),
    ({"paths": {"/a": {"get": {"security": None, "responses": ok(S)}}}}, "`security:` left empty (null)"),
    ({"paths": {"/a": {"get": {"requestBody": None, "responses": ok(S)}}}}, "`requestBody:` left empty (null)"),
])
def test_irregular_skeletons_are_read_the_obvious_way(old_part, found_text):
    """Each irregular old document is read as the regular new one: nothing but the note."""
    new = doc({"/a": {"get": {"responses": ok(S)}}})
    old = {**copy.deepcopy(new), **copy.deepcopy(old_part)}
    report = diff(old, new)
    assert [c.rule for c in report.changes] == ["input-irregular"], [(c.rule, c.message) for c in report.changes]
    assert found_text in report.changes[0].message


def test_a_null_schema_is_no_schema():
    media = lambda mt: doc({"/a": {"get": {"responses": {"200": {"description": "ok", "content": {  # noqa: E731
        "application/json": mt}}}}}})
    report = diff(media({"schema": None}), media({}))
    assert [c.rule for c in report.changes] == ["input-irregular"] and "`schema:` left empty" in report.changes[0].message
    assert ("response-type-narrowed", Severity.INFO) in found(media({"schema": None}), media({"schema": S}))


def test_a_misspelt_location_and_a_quoted_boolean_are_read_as_meant():
    param = {"name": "q", "in": "query", "required": True, "schema": S}
    new = doc({"/a": {"get": {"parameters": [param], "responses": ok(S)}}})
    old = doc({"/a": {"get": {"parameters": [{**param, "in": "Query", "required": "true"}], "responses": ok(S)}}})
    report = diff(old, new)
    assert {c.rule for c in report.changes} == {"input-irregular"} and len(report.changes) == 2


def test_strict_refuses_the_first_irregularity_naming_file_and_place():
    from apicompat.errors import InputError

    old = doc({"/a": {"get": {"responses": None}}})
    with pytest.raises(InputError) as err:
        diff(old, doc({"/a": {"get": {"responses": ok(S)}}}), strict=True)
    assert err.value.source == "old.yaml" and err.value.place == "#/paths/~1a/get/responses"
    assert "--strict" in str(err.value)


def test_strict_on_the_command_line_exits_2_with_one_line(tmp_path, capsys):
    import json

    from conftest import run_cli_captured

    (tmp_path / "old.json").write_text(json.dumps(doc({"/a": {"get": {"responses": {"200": {}}}}})))
    (tmp_path / "new.json").write_text(json.dumps(doc({"/a": {"get": {"responses": ok()}}})))
    code, out, err = run_cli_captured(["diff", str(tmp_path / "old.json"), str(tmp_path / "new.json")], capsys)
    assert code == 0 and "input-irregular" in out
    code, out, err = run_cli_captured(["diff", "--strict", str(tmp_path / "old.json"), str(tmp_path / "new.json")],
                                      capsys)
    assert code == 2 and err.count("\n") == 1
    assert "old.json: #/paths/~1a/get/responses/200: response 200 without a description is irregular" in err


def test_what_cannot_be_read_is_still_refused():
    from apicompat.errors import InputError

    with pytest.raises(InputError, match="paths must be a mapping"):
        diff(doc(), {**doc(), "paths": ["/a"]})
    with pytest.raises(InputError, match="content must be a mapping"):
        diff(doc(), doc({"/a": {"get": {"responses": {"200": {"description": "x", "content": "json"}}}}}))


def test_schema_level_irregularities_are_read_with_a_note():
    """`type: int` is read as `integer`, `oneOf: []` as no constraint; each noted once."""
    old = doc({"/a": {"get": {"responses": ok(obj(n={"type": "int"}, u={"oneOf": []}))}}})
    new = doc({"/a": {"get": {"responses": ok(obj(n=INT, u={}))}}})
    report = diff(old, new)
    assert sorted(c.rule for c in report.changes) == ["input-irregular", "input-irregular"]
    assert any("#/paths/~1a/get/responses/200/content/application~1json/schema/properties/n/type" == c.pointer
               for c in report.changes)


# ---------------------------------------------------------------------------- Swagger 2.0 pointers

def swagger(**changes_) -> dict:
    base = {
        "swagger": "2.0", "info": {"title": "t", "version": "1"},
        "securityDefinitions": {"oauth": {"type": "oauth2", "flow": "application",
                                          "tokenUrl": "https://a.example.com/token", "scopes": {"r": "read"}}},
        "security": [{"oauth": ["r"]}],
        "parameters": {"Limit": {"name": "limit", "in": "query", "type": "integer", "maximum": 100}},
        "paths": {"/pets/{id}": {
            "parameters": [{"name": "id", "in": "path", "required": True, "type": "string"}],
            "put": {"parameters": [{"$ref": "#/parameters/Limit"},
                                   {"name": "pet", "in": "body", "schema": {"type": "object", "properties": {
                                       "name": {"type": "string"}}}}],
                    "responses": {"200": {"description": "ok", "schema": {"$ref": "#/definitions/Pet"},
                                          "headers": {"X-Rate": {"type": "integer"}}}}}}},
        "definitions": {"Pet": {"type": "object", "properties": {"name": {"type": "string"}}}},
    }
    new = copy.deepcopy(base)
    for path, value in changes_.items():
        node = new
        keys = path.split(".")
        for k in keys[:-1]:
            node = node[int(k)] if isinstance(node, list) else node[k]
        node[keys[-1]] = value
    return base, new


def resolve(doc: dict, pointer: str):
    from apicompat.pointers import resolve as at

    missing = object()
    found_ = at(doc, pointer, missing)
    assert found_ is not missing, f"{pointer} is not a place in the file"
    return found_


@pytest.mark.parametrize("edit, rule, place", [
    ({"definitions.Pet.properties.name": INT}, "response-type-changed", "#/definitions/Pet/properties/name"),
    ({"parameters.Limit.maximum": 10}, "request-parameter-max-decreased", "#/parameters/Limit"),
    ({"paths./pets/{id}.put.parameters.1.schema.properties.name": INT}, "request-type-changed",
     "#/paths/~1pets~1{id}/put/parameters/1/schema/properties/name"),
    ({"paths./pets/{id}.put.responses.200.headers.X-Rate.type": "string"}, "response-header-type-changed",
     "#/paths/~1pets~1{id}/put/responses/200/headers/X-Rate"),
    ({"paths./pets/{id}.parameters.0.type": "integer"}, "request-parameter-type-changed",
     "#/paths/~1pets~1{id}/parameters/0"),
    ({"securityDefinitions.oauth.tokenUrl": "https://b.example.com/token"}, "security-scheme-oauth-url-changed",
     "#/securityDefinitions/oauth/tokenUrl"),
])
def test_swagger2_pointers_name_places_in_the_file(edit, rule, place):
    old, new = swagger(**edit)
    c = only(old, new, rule)
    assert c.pointer.startswith(place), c.pointer
    resolve(old, c.pointer)
    if c.new_pointer:
        resolve(new, c.new_pointer)


def test_swagger2_irregularities_name_places_in_the_file():
    old, new = swagger(**{"paths./pets/{id}.put.responses.200.description": None})
    (note,) = [c for c in changes(old, new) if c.rule == "input-irregular"]
    assert note.pointer == "#/paths/~1pets~1{id}/put/responses/200"


def without(d: dict, path: str) -> dict:
    """A copy of `d` with the key at dotted `path` left out."""
    out = copy.deepcopy(d)
    node = out
    *keys, last = path.split(".")
    for k in keys:
        node = node[k]
    del node[last]
    return out


PUT_200 = "paths./pets/{id}.put.responses.200"


def test_a_swagger2_response_without_its_description_is_read_with_a_note():
    old, new = swagger(**{"definitions.Pet.properties.name": INT})
    old, new = without(old, PUT_200 + ".description"), without(new, PUT_200 + ".description")
    report = diff(old, new)
    (note,) = irregular(report)
    assert note.pointer == "#/paths/~1pets~1{id}/put/responses/200" and note.severity is Severity.INFO
    assert note.message == ("old.yaml and new.yaml at #/paths/~1pets~1{id}/put/responses/200: response 200 "
                            "without a description is irregular; read as an empty description")
    resolve(old, note.pointer)
    assert ("response-type-changed", Severity.BREAKING) in {(c.rule, c.severity) for c in report.changes}


def test_a_swagger2_header_without_its_type_is_read_with_a_note():
    old, new = swagger()
    old = without(old, PUT_200 + ".headers.X-Rate.type")
    (note,) = irregular(diff(old, new))
    assert note.pointer == "#/paths/~1pets~1{id}/put/responses/200/headers/X-Rate"
    assert "header X-Rate without a schema" in note.message and "read as a header of any value" in note.message
    resolve(old, note.pointer)


def test_an_openapi3_header_without_a_schema_is_read_with_a_note():
    with_header = lambda header: doc({"/a": {"get": {"responses": {"200": {  # noqa: E731
        "description": "ok", "headers": {"X-Rate": header}}}}}})
    report = diff(with_header({"description": "the rate"}), with_header({"schema": INT}))
    (note,) = irregular(report)
    assert note.pointer == "#/paths/~1a/get/responses/200/headers/X-Rate"
    assert note.message.startswith("old.yaml at #/paths/~1a/get/responses/200/headers/X-Rate: header X-Rate "
                                   "without a schema")
    # `content` in place of `schema` is regular
    assert not irregular(diff(with_header({"schema": INT}), with_header({"content": {"text/plain": {"schema": INT}}})))


def test_a_header_described_by_content_is_compared_by_its_schema():
    with_header = lambda header: doc({"/a": {"get": {"responses": {"200": {  # noqa: E731
        "description": "ok", "headers": {"X-Rate": header}}}}}})
    c = only(with_header({"content": {"text/plain": {"schema": INT}}}), with_header({"schema": S}),
             "response-header-type-changed")
    assert c.pointer == "#/paths/~1a/get/responses/200/headers/X-Rate/content/text~1plain/schema"
    assert c.severity is Severity.BREAKING


@pytest.mark.parametrize("missing", [PUT_200 + ".description", PUT_200 + ".headers.X-Rate.type"])
def test_strict_refuses_a_swagger2_response_missing_a_required_field(tmp_path, capsys, missing):
    import json

    from conftest import run_cli_captured

    old, new = swagger()
    (tmp_path / "old.json").write_text(json.dumps(without(old, missing)))
    (tmp_path / "new.json").write_text(json.dumps(new))
    code, out, err = run_cli_captured(["diff", str(tmp_path / "old.json"), str(tmp_path / "new.json")], capsys)
    assert code == 0 and "input-irregular" in out
    code, out, err = run_cli_captured(["diff", "--strict", str(tmp_path / "old.json"), str(tmp_path / "new.json")],
                                      capsys)
    assert code == 2 and err.count("\n") == 1
    assert "old.json: #/paths/~1pets~1{id}/put/responses/200" in err and "--strict refuses it" in err


# ---------------------------------------------------------------------------- messages and places

def repos_doc(items_ref: str) -> dict:
    """GitHub: GET /user/repos lists `minimal-repository`s; GET /repos/{o} keeps using it."""
    minimal = obj(["id", "full_name"], id=INT, full_name=S, name=S)
    simple = obj(["id"], id=INT, name=S, node_id=S)
    body = lambda schema: {"200": {"description": "ok", "content": {"application/json": {"schema": schema}}}}  # noqa: E731
    return doc({"/user/repos": {"get": {"responses": body({"type": "array", "items": ref(items_ref)})}},
                "/repos/{o}": {"get": {"parameters": [{"name": "o", "in": "path", "required": True, "schema": S}],
                                       "responses": body(ref("minimal-repository"))}}},
               components={"schemas": {"minimal-repository": minimal, "simple-repository": simple}})


def test_an_operation_that_switched_components_is_reported_at_its_own_place_naming_both():
    report = changes(repos_doc("minimal-repository"), repos_doc("simple-repository"))
    items = "#/paths/~1user~1repos/get/responses/200/content/application~1json/schema/items"
    removed = [c for c in report if c.rule == "response-property-removed"]
    assert [(c.pointer, c.old_pointer, c.operations) for c in removed] == [
        (items + "/properties/full_name", "#/components/schemas/minimal-repository/properties/full_name",
         ("GET /user/repos",))]
    assert removed[0].message == ("GET /user/repos 200 response (application/json): items, which now uses "
                                  "'simple-repository' instead of 'minimal-repository', lost property 'full_name'")
    assert all(c.pointer.startswith(items) for c in report), [c.pointer for c in report]
    assert not any("minimal-repository lost" in c.message for c in report)


def test_a_change_inside_an_error_response_says_which_response():
    """Cloudflare: `success` went from `true` to `false` in the 4XX envelope only."""
    envelope = lambda v: obj(success={"type": "boolean", "enum": [v]})  # noqa: E731
    d = lambda v: doc({"/zones": {"get": {"responses": {  # noqa: E731
        "200": {"description": "ok", "content": {"application/json": {"schema": envelope(True)}}},
        "4XX": {"description": "error", "content": {"application/json": {"schema": ref("failure")}}}}}}},
        components={"schemas": {"failure": envelope(v)}})
    c = only(d(True), d(False), "response-const-changed")
    assert c.message == "GET /zones 4XX response (application/json): failure.success const changed from true to false"
    assert c.pointer == "#/components/schemas/failure/properties/success"


def whois_doc(whois: dict, order=("/phish", "/whois")) -> dict:
    """Cloudflare: every single-result response is `allOf: [envelope, {result: $ref X}]`."""
    single = lambda name: {"allOf": [ref("envelope"), {"properties": {"result": ref(name)}}]}  # noqa: E731
    ops = {"/phish": {"post": {"responses": ok(ref("phishing_single"))}},
           "/whois": {"get": {"responses": ok(ref("whois_single"))}}}
    return doc({p: ops[p] for p in order}, components={"schemas": {
        "envelope": obj(success={"type": "boolean"}, result={"type": "object"}),
        "phishing_single": single("whois"), "whois_single": single("whois"), "whois": whois}})


@pytest.mark.parametrize("order", [("/phish", "/whois"), ("/whois", "/phish")])
def test_a_change_reached_through_several_operations_is_named_after_the_component_that_changed(order):
    old = whois_doc(obj(domain=S, registrar=S), order)
    new = whois_doc(obj(domain=S), order)
    c = only(old, new, "response-property-removed")
    assert c.pointer == "#/components/schemas/whois/properties/registrar"
    assert c.message.endswith(": whois lost property 'registrar'"), c.message
    assert set(c.operations) == {"POST /phish", "GET /whois"}


def test_a_required_list_added_through_allof_is_named_after_the_schema_that_added_it():
    base = obj(name=S)
    mk = lambda req: doc({"/a": {"post": {"requestBody": body(ref("Create")), "responses": ok(S)}}},  # noqa: E731
                         components={"schemas": {"Base": base, "Create": {"allOf": [ref("Base"), req]}}})
    c = only(mk({}), mk({"required": ["name"]}), "request-property-became-required")
    assert c.message == "POST /a request body (application/json): Create property 'name' became required"


def test_a_ref_replaced_by_an_inline_schema_points_at_the_property():
    """Twilio: `category: {$ref: usage_record_enum_category}` became an inline enum."""
    record = lambda cat: obj(category=cat, price=S)  # noqa: E731
    ops = {"/Usage/Records.json": {"get": {"responses": ok(ref("usage_record"))}}}
    old = doc(ops, components={"schemas": {"usage_record": record(ref("usage_record_enum_category")),
                                           "usage_record_enum_category": {"type": "string", "enum": ["a", "b"]}}})
    new = doc(ops, components={"schemas": {"usage_record": record({"type": "string", "enum": ["a", "b", "c"]})}})
    c = only(old, new, "response-enum-value-added")
    assert c.pointer == "#/components/schemas/usage_record/properties/category"
    assert c.message == ("GET /Usage/Records.json 200 response (application/json): usage_record.category, which now "
                         "uses an inline schema instead of 'usage_record_enum_category', enum gained 'c'")


def test_every_schema_message_names_the_operation_and_the_part():
    def mk(t):
        return doc({"/a": {"post": {
            "parameters": [{"name": "limit", "in": "query", "schema": {"type": t}}],
            "requestBody": body(obj(n={"type": t})),
            "responses": {"201": {"description": "ok", "headers": {"X-Rate": {"schema": {"type": t}}},
                                  "content": {"application/json": {"schema": obj(n={"type": t})}}}}}}})
    got = sorted(c.message for c in changes(mk("boolean"), mk("array")))
    assert got == [
        "POST /a 201 response (application/json): n changed type from 'boolean' to 'array'",
        "POST /a 201 response header 'X-Rate' changed type from 'boolean' to 'array'",
        "POST /a query parameter 'limit' changed type from 'boolean' to 'array'",
        "POST /a request body (application/json): n changed type from 'boolean' to 'array'",
    ]


# ---------------------------------------------------------------------------- readOnly / writeOnly

def test_a_required_property_that_stops_being_read_only_is_newly_required_in_requests():
    """Old clients never sent `owner` (the server set it); now they must."""
    mk = lambda owner: doc({"/items": {"post": {  # noqa: E731
        "requestBody": body(ref("Item"), required=True), "responses": ok(ref("Item"))}}},
        components={"schemas": {"Item": obj(["name", "owner"], name=S, owner=owner)}})
    got = found(mk({"type": "string", "readOnly": True}), mk(S))
    assert ("request-property-became-required", Severity.BREAKING) in got


def test_a_required_read_only_property_added_is_not_required_in_requests():
    """The near pair: readOnly stays, so requests still omit it."""
    mk = lambda props, req: doc({"/items": {"post": {  # noqa: E731
        "requestBody": body(ref("Item"), required=True), "responses": ok(S)}}},
        components={"schemas": {"Item": obj(req, **props)}})
    got = found(mk({"name": S}, ["name"]), mk({"name": S, "id": {"type": "string", "readOnly": True}}, ["name", "id"]))
    assert not any(sev is Severity.BREAKING for _, sev in got), got


def test_the_same_switch_made_by_several_operations_is_one_entry_listing_them():
    def mk(name):
        d = repos_doc(name)
        d["paths"]["/orgs/{org}/repos"] = {"get": {
            "parameters": [{"name": "org", "in": "path", "required": True, "schema": S}],
            "responses": {"200": {"description": "ok", "content": {"application/json": {
                "schema": {"type": "array", "items": ref(name)}}}}}}}
        return d
    removed = [c for c in changes(mk("minimal-repository"), mk("simple-repository"))
               if c.rule == "response-property-removed"]
    assert len(removed) == 1 and removed[0].operations == ("GET /user/repos", "GET /orgs/{org}/repos")
    assert removed[0].pointer.startswith("#/paths/~1user~1repos/get/")
    assert removed[0].message.startswith("GET /user/repos (+1 more) 200 response (application/json): items, which")


def test_accept_content_type_and_authorization_header_parameters_are_ignored():
    """OpenAPI: such a parameter definition SHALL be ignored (security schemes say what Authorization carries)."""
    auth = {"name": "Authorization", "in": "header", "required": True, "schema": S}
    assert changes(with_params(path="/a"), with_params(auth, path="/a")) == []
    other = {**auth, "name": "X-Api-Version"}
    assert found(with_params(path="/a"), with_params(other, path="/a")) == {
        ("new-required-request-parameter", Severity.BREAKING)}
