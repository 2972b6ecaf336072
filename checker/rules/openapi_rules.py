"""Operation-level rules: endpoints, parameters, bodies, responses, headers, security, streams."""

from __future__ import annotations

import copy

from ..model import Direction, Severity
from .registry import Example, Registry, Rule
from . import clauses as C


# Rule ids, whole: the emitters (apicompat.openapi) import these names.
ENDPOINT_ADDED = "endpoint-added"
ENDPOINT_REMOVED = "endpoint-removed"
ENDPOINT_DEPRECATED_REMOVED = "endpoint-deprecated-removed"
ENDPOINT_DEPRECATED = "endpoint-deprecated"
ENDPOINT_REACTIVATED = "endpoint-reactivated"
OPERATION_ID_CHANGED = "operation-id-changed"
OPERATION_SUMMARY_CHANGED = "operation-summary-changed"
WEBHOOK_ADDED = "webhook-added"
WEBHOOK_REMOVED = "webhook-removed"
NEW_REQUIRED_REQUEST_PARAMETER = "new-required-request-parameter"
NEW_OPTIONAL_REQUEST_PARAMETER = "new-optional-request-parameter"
REQUEST_PARAMETER_REMOVED = "request-parameter-removed"
REQUEST_PARAMETER_BECAME_REQUIRED = "request-parameter-became-required"
REQUEST_PARAMETER_BECAME_OPTIONAL = "request-parameter-became-optional"
REQUEST_PARAMETER_STYLE_CHANGED = "request-parameter-style-changed"
REQUEST_PARAMETER_BECAME_DEPRECATED = "request-parameter-became-deprecated"
REQUEST_PARAMETER_MEDIA_TYPE_CHANGED = "request-parameter-media-type-changed"
REQUEST_BODY_ADDED_REQUIRED = "request-body-added-required"
REQUEST_BODY_ADDED_OPTIONAL = "request-body-added-optional"
REQUEST_BODY_REMOVED = "request-body-removed"
REQUEST_BODY_BECAME_REQUIRED = "request-body-became-required"
REQUEST_BODY_BECAME_OPTIONAL = "request-body-became-optional"
REQUEST_MEDIA_TYPE_REMOVED = "request-media-type-removed"
REQUEST_MEDIA_TYPE_ADDED = "request-media-type-added"
RESPONSE_SUCCESS_STATUS_REMOVED = "response-success-status-removed"
RESPONSE_SUCCESS_STATUS_ADDED = "response-success-status-added"
RESPONSE_NON_SUCCESS_STATUS_REMOVED = "response-non-success-status-removed"
RESPONSE_NON_SUCCESS_STATUS_ADDED = "response-non-success-status-added"
RESPONSE_MEDIA_TYPE_REMOVED = "response-media-type-removed"
RESPONSE_MEDIA_TYPE_ADDED = "response-media-type-added"
RESPONSE_EVENT_STREAM_ADDED = "response-event-stream-added"
RESPONSE_EVENT_STREAM_REMOVED = "response-event-stream-removed"
REQUIRED_RESPONSE_HEADER_REMOVED = "required-response-header-removed"
OPTIONAL_RESPONSE_HEADER_REMOVED = "optional-response-header-removed"
RESPONSE_HEADER_BECAME_OPTIONAL = "response-header-became-optional"
RESPONSE_HEADER_ADDED = "response-header-added"
SECURITY_REQUIREMENT_ADDED = "security-requirement-added"
SECURITY_REQUIREMENT_REMOVED = "security-requirement-removed"
SECURITY_SCOPE_ADDED = "security-scope-added"
SECURITY_SCOPE_REMOVED = "security-scope-removed"
REQUEST_PARAMETER_LOCATION_CHANGED = "request-parameter-location-changed"
REQUEST_PARAMETER_ALLOW_EMPTY_VALUE_REMOVED = "request-parameter-allow-empty-value-removed"
REQUEST_PARAMETER_ALLOW_EMPTY_VALUE_ADDED = "request-parameter-allow-empty-value-added"
REQUEST_PARAMETER_ALLOW_RESERVED_REMOVED = "request-parameter-allow-reserved-removed"
REQUEST_PARAMETER_ALLOW_RESERVED_ADDED = "request-parameter-allow-reserved-added"
WEBHOOK_PARAMETER_REMOVED = "webhook-parameter-removed"
WEBHOOK_PARAMETER_ADDED = "webhook-parameter-added"
WEBHOOK_PARAMETER_BECAME_REQUIRED = "webhook-parameter-became-required"
WEBHOOK_PARAMETER_BECAME_OPTIONAL = "webhook-parameter-became-optional"
WEBHOOK_PARAMETER_STYLE_CHANGED = "webhook-parameter-style-changed"
WEBHOOK_BODY_ADDED = "webhook-body-added"
WEBHOOK_BODY_REMOVED = "webhook-body-removed"
WEBHOOK_BODY_BECAME_REQUIRED = "webhook-body-became-required"
WEBHOOK_BODY_BECAME_OPTIONAL = "webhook-body-became-optional"
WEBHOOK_MEDIA_TYPE_ADDED = "webhook-media-type-added"
WEBHOOK_MEDIA_TYPE_REMOVED = "webhook-media-type-removed"
WEBHOOK_REPLY_STATUS_REMOVED = "webhook-reply-status-removed"
WEBHOOK_REPLY_STATUS_ADDED = "webhook-reply-status-added"
WEBHOOK_REPLY_MEDIA_TYPE_REMOVED = "webhook-reply-media-type-removed"
WEBHOOK_REPLY_MEDIA_TYPE_ADDED = "webhook-reply-media-type-added"
CALLBACK_ADDED = "callback-added"
CALLBACK_REMOVED = "callback-removed"
SECURITY_SCHEME_TYPE_CHANGED = "security-scheme-type-changed"
SECURITY_SCHEME_API_KEY_LOCATION_CHANGED = "security-scheme-api-key-location-changed"
SECURITY_SCHEME_API_KEY_NAME_CHANGED = "security-scheme-api-key-name-changed"
SECURITY_SCHEME_HTTP_SCHEME_CHANGED = "security-scheme-http-scheme-changed"
SECURITY_SCHEME_BEARER_FORMAT_CHANGED = "security-scheme-bearer-format-changed"
SECURITY_SCHEME_OAUTH_FLOW_REMOVED = "security-scheme-oauth-flow-removed"
SECURITY_SCHEME_OAUTH_FLOW_ADDED = "security-scheme-oauth-flow-added"
SECURITY_SCHEME_OAUTH_URL_CHANGED = "security-scheme-oauth-url-changed"
SECURITY_SCHEME_OAUTH_SCOPE_REMOVED = "security-scheme-oauth-scope-removed"
SECURITY_SCHEME_OAUTH_SCOPE_ADDED = "security-scheme-oauth-scope-added"
SECURITY_SCHEME_OPENID_CONNECT_URL_CHANGED = "security-scheme-openid-connect-url-changed"
SECURITY_SCHEME_REMOVED_STILL_REQUIRED = "security-scheme-removed-still-required"
SECURITY_SCHEME_REMOVED = "security-scheme-removed"
SECURITY_SCHEME_ADDED = "security-scheme-added"
API_VERSION_CHANGED = "api-version-changed"
INPUT_IRREGULAR = "input-irregular"
API_SCHEMA_REMOVED = "api-schema-removed"
REQUEST_MEDIA_TYPE_PARAMETER_CHANGED = "request-media-type-parameter-changed"
RESPONSE_MEDIA_TYPE_PARAMETER_CHANGED = "response-media-type-parameter-changed"
WEBHOOK_MEDIA_TYPE_PARAMETER_CHANGED = "webhook-media-type-parameter-changed"
WEBHOOK_REPLY_MEDIA_TYPE_PARAMETER_CHANGED = "webhook-reply-media-type-parameter-changed"
WEBHOOK_REPLY_HEADER_ADDED_REQUIRED = "webhook-reply-header-added-required"
WEBHOOK_REPLY_HEADER_ADDED_OPTIONAL = "webhook-reply-header-added-optional"
WEBHOOK_REPLY_HEADER_REMOVED = "webhook-reply-header-removed"
WEBHOOK_REPLY_HEADER_BECAME_REQUIRED = "webhook-reply-header-became-required"
WEBHOOK_REPLY_HEADER_BECAME_OPTIONAL = "webhook-reply-header-became-optional"
REQUEST_MEDIA_TYPE_PARAMETER_RELAXED = "request-media-type-parameter-relaxed"
WEBHOOK_REPLY_MEDIA_TYPE_PARAMETER_RELAXED = "webhook-reply-media-type-parameter-relaxed"

B, W, A, I = Severity.BREAKING, Severity.WARNING, Severity.ADDITIVE, Severity.INFO
REQ, RESP, NONE = Direction.REQUEST, Direction.RESPONSE, Direction.NONE

S = {"type": "string"}
ARRAY = {"type": "array", "items": S}


def doc(paths: dict, **extra) -> dict:
    return {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": paths, **extra}


def ok(schema=None, media="application/json", headers=None) -> dict:
    resp: dict = {"description": "ok"}
    if schema is not None:
        resp["content"] = {media: {"schema": schema}}
    if headers:
        resp["headers"] = headers
    return {"200": resp}


def op(**parts) -> dict:
    out = {"responses": ok()}
    out.update(parts)
    return out


def with_op(operation: dict, path: str = "/items", method: str = "get", **extra) -> dict:
    return doc({path: {method: operation}}, **extra)


def param(name: str, required=False, where="query", schema=S, **extra) -> dict:
    return {"name": name, "in": where, "required": required, "schema": schema, **extra}


def body(schema=S, required=False, media="application/json") -> dict:
    return {"required": required, "content": {media: {"schema": schema}}}


def changed(base: dict, mutate) -> dict:
    out = copy.deepcopy(base)
    mutate(out)
    return out


def secured(schemes: dict, security: list | None = None) -> dict:
    """One operation that requires scheme `k`, with `schemes` as the document's definitions."""
    return with_op(op(security=[{"k": []}] if security is None else security),
                   components={"securitySchemes": schemes})


def oauth(flows: dict) -> dict:
    return {"k": {"type": "oauth2", "flows": flows}}


KEY = {"k": {"type": "apiKey", "in": "header", "name": "X-Key"}}
HTTP = lambda scheme, **extra: {"k": {"type": "http", "scheme": scheme, **extra}}  # noqa: E731
CODE = lambda scopes, token="https://a.example.com/token": {  # noqa: E731
    "authorizationCode": {"authorizationUrl": "https://a.example.com/auth", "tokenUrl": token, "scopes": scopes}}
CLIENT = {"clientCredentials": {"tokenUrl": "https://a.example.com/token", "scopes": {"read": "r"}}}


def hook(**parts) -> dict:
    """A document with one webhook, `ping`, whose POST the server sends."""
    return doc({}, webhooks={"ping": {"post": op(**parts)}})


def with_callback(**parts) -> dict:
    """POST /jobs, which makes the server call back `onDone` with POST {$request.body#/url}."""
    callback = {"onDone": {"{$request.body#/url}": {"post": op(**parts)}}}
    return with_op(op(callbacks=callback), "/jobs", "post")


def replies(*statuses: str, media: str = "application/json") -> dict:
    return {s: {"description": s, "content": {media: {"schema": S}}} for s in statuses}


def csv_reply(*medias: str) -> dict:
    """GET /items answering 200 with each of `medias` (a string schema)."""
    return with_op(op(responses={"200": {"description": "ok", "content": {m: {"schema": S} for m in medias}}}))


def takes(*medias: str) -> dict:
    """POST /items taking a body of each of `medias`."""
    return with_op(op(requestBody={"content": {m: {"schema": S} for m in medias}}), method="post")


def hook_reply(headers: dict | None = None, *medias: str) -> dict:
    """Webhook `ping` whose 200 reply (what the receiver sends back) has `headers` and `medias`."""
    reply: dict = {"description": "ok"}
    if medias:
        reply["content"] = {m: {"schema": S} for m in medias}
    if headers:
        reply["headers"] = headers
    return hook(responses={"200": reply})


BASE = with_op(op())
EVENT_A = {"type": "object", "properties": {"type": {"const": "a"}}, "required": ["type"]}
EVENT_B = {"type": "object", "properties": {"type": {"const": "b"}}, "required": ["type"]}

# (id, severity, direction, area, clause, doc, message, old, new, near_old, near_new)
RULES = [
    # --- endpoints -------------------------------------------------------------------------
    (ENDPOINT_ADDED, A, NONE, "paths", C.NEW_RESOURCE,
     "A new operation (method + path).", "{operation} was added",
     BASE, doc({"/items": {"get": op()}, "/other": {"get": op()}}),
     doc({"/items/{id}": {"get": op(parameters=[param("id", True, "path")])}}),
     doc({"/items/{item_id}": {"get": op(parameters=[param("item_id", True, "path")])}})),
    (ENDPOINT_REMOVED, B, NONE, "paths", C.ENDPOINT_REMOVED,
     "An operation was removed.", "{operation} was removed",
     doc({"/items": {"get": op()}, "/other": {"get": op()}}), BASE,
     doc({"/a/{x}": {"get": op(parameters=[param("x", True, "path")])}}),
     doc({"/a/{y}": {"get": op(parameters=[param("y", True, "path")])}})),
    (ENDPOINT_DEPRECATED_REMOVED, B, NONE, "paths", C.ENDPOINT_REMOVED,
     "A deprecated operation was removed (still breaking for clients that call it).",
     "{operation} was removed (it was deprecated{detail})",
     doc({"/items": {"get": op()}, "/old": {"get": op(deprecated=True)}}), BASE,
     doc({"/items": {"get": op()}, "/old": {"get": op(deprecated=True)}}),
     doc({"/items": {"get": op()}, "/old": {"get": op(deprecated=True)}})),
    (ENDPOINT_DEPRECATED, I, NONE, "paths", C.ANNOTATION,
     "An operation was marked deprecated.", "{operation} {detail}was deprecated",
     BASE, with_op(op(deprecated=True)), BASE, BASE),
    (ENDPOINT_REACTIVATED, I, NONE, "paths", C.ANNOTATION,
     "An operation is no longer deprecated.", "{operation} {detail}is no longer deprecated",
     with_op(op(deprecated=True)), BASE, BASE, BASE),
    (OPERATION_ID_CHANGED, I, NONE, "paths", C.ANNOTATION,
     "The operationId changed (generated SDK method names may change).",
     "{operation} operationId changed from {old} to {new}",
     with_op(op(operationId="listItems")), with_op(op(operationId="itemsList")),
     with_op(op(operationId="listItems")), with_op(op(operationId="listItems", summary="s"))),
    (OPERATION_SUMMARY_CHANGED, I, NONE, "paths", C.ANNOTATION,
     "The summary or description of an operation changed.", "{operation} {detail} changed",
     with_op(op(summary="a")), with_op(op(summary="b")), with_op(op(summary="a")), with_op(op(summary="a"))),
    (WEBHOOK_ADDED, A, NONE, "webhooks", C.NEW_RESOURCE,
     "A new webhook.", "webhook {operation} was added",
     doc({}), doc({}, webhooks={"ping": {"post": op(requestBody=body())}}),
     doc({}), doc({})),
    (WEBHOOK_REMOVED, B, NONE, "webhooks", C.ENDPOINT_REMOVED,
     "A webhook was removed.", "webhook {operation} was removed",
     doc({}, webhooks={"ping": {"post": op(requestBody=body())}}), doc({}),
     doc({}, webhooks={"ping": {"post": op(requestBody=body())}}),
     doc({}, webhooks={"ping": {"post": op(requestBody=body())}})),
    # --- parameters --------------------------------------------------------------------------
    (NEW_REQUIRED_REQUEST_PARAMETER, B, REQ, "parameters", C.NEWLY_REQUIRED,
     "A new required parameter: old requests lack it.", "{operation} gained required {detail}",
     BASE, with_op(op(parameters=[param("q", True)])),
     BASE, with_op(op(parameters=[param("q", False)]))),
    (NEW_OPTIONAL_REQUEST_PARAMETER, A, REQ, "parameters", C.NEW_OPTIONAL_PARAMETER,
     "A new optional parameter.", "{operation} gained optional {detail}",
     BASE, with_op(op(parameters=[param("q", False)])),
     BASE, with_op(op(parameters=[param("q", True)]))),
    (REQUEST_PARAMETER_REMOVED, W, REQ, "parameters", C.REMOVED,
     "A parameter was removed (a strict server may reject it).", "{operation} lost {detail}",
     with_op(op(parameters=[param("q")])), BASE,
     with_op(op(parameters=[param("X-Trace", where="header")])),
     with_op(op(parameters=[param("x-trace", where="header")]))),
    (REQUEST_PARAMETER_BECAME_REQUIRED, B, REQ, "parameters", C.NEWLY_REQUIRED,
     "An optional parameter became required.", "{operation} {detail} became required",
     with_op(op(parameters=[param("q")])), with_op(op(parameters=[param("q", True)])),
     with_op(op(parameters=[param("q", True)])), with_op(op(parameters=[param("q", False)]))),
    (REQUEST_PARAMETER_BECAME_OPTIONAL, A, REQ, "parameters", C.NEW_OPTIONAL_PARAMETER,
     "A required parameter became optional.", "{operation} {detail} became optional",
     with_op(op(parameters=[param("q", True)])), with_op(op(parameters=[param("q")])),
     with_op(op(parameters=[param("q")])), with_op(op(parameters=[param("q", True)]))),
    (REQUEST_PARAMETER_STYLE_CHANGED, B, REQ, "parameters", C.TYPE_CHANGED,
     "What the client sends for a parameter changed (style, explode; defaults included; only the shapes of value "
     "the schema admits).",
     "{operation} {detail} serialisation changed from {old} to {new}",
     with_op(op(parameters=[param("q", schema=ARRAY, style="form")])),
     with_op(op(parameters=[param("q", schema=ARRAY, style="spaceDelimited", explode=False)])),
     with_op(op(parameters=[param("q", schema=ARRAY)])),
     with_op(op(parameters=[param("q", schema=ARRAY, style="form", explode=True)]))),
    (REQUEST_PARAMETER_BECAME_DEPRECATED, I, REQ, "parameters", C.ANNOTATION,
     "A parameter was marked deprecated.", "{operation} {detail} was deprecated",
     with_op(op(parameters=[param("q")])), with_op(op(parameters=[param("q", deprecated=True)])),
     with_op(op(parameters=[param("q")])), with_op(op(parameters=[param("q")]))),
    (REQUEST_PARAMETER_MEDIA_TYPE_CHANGED, B, REQ, "parameters", C.MEDIA_TYPE_REMOVED,
     "A parameter described by `content` changed its media type.",
     "{operation} {detail} media type changed from {old} to {new}",
     with_op(op(parameters=[{"name": "f", "in": "query", "content": {"application/json": {"schema": S}}}])),
     with_op(op(parameters=[{"name": "f", "in": "query", "content": {"text/plain": {"schema": S}}}])),
     with_op(op(parameters=[{"name": "f", "in": "query", "content": {"application/json": {"schema": S}}}])),
     with_op(op(parameters=[{"name": "f", "in": "query",
                             "content": {"application/json; charset=utf-8": {"schema": S}}}]))),
    (REQUEST_PARAMETER_LOCATION_CHANGED, B, REQ, "parameters", C.REQUEST_PRINCIPLE,
     "A parameter moved between query, header and cookie: the value old clients send is no longer read.",
     "{operation} {detail} moved from the {old} to the {new}",
     with_op(op(parameters=[param("api_key")])), with_op(op(parameters=[param("api_key", where="header")])),
     with_op(op(parameters=[param("api_key")])),
     with_op(op(parameters=[param("api_key"), param("api_key", where="header")]))),
    (REQUEST_PARAMETER_ALLOW_EMPTY_VALUE_REMOVED, B, REQ, "parameters", C.TIGHTENED,
     "A query parameter no longer allows an empty value: `?q=` is rejected.",
     "{operation} {detail} no longer allows an empty value",
     with_op(op(parameters=[param("q", allowEmptyValue=True)])), with_op(op(parameters=[param("q")])),
     with_op(op(parameters=[param("q")])), with_op(op(parameters=[param("q", allowEmptyValue=False)]))),
    (REQUEST_PARAMETER_ALLOW_EMPTY_VALUE_ADDED, A, REQ, "parameters", C.LOOSENED,
     "A query parameter now allows an empty value.",
     "{operation} {detail} now allows an empty value",
     with_op(op(parameters=[param("q")])), with_op(op(parameters=[param("q", allowEmptyValue=True)])),
     with_op(op(parameters=[param("q", allowEmptyValue=True)])),
     with_op(op(parameters=[param("q", allowEmptyValue="true")]))),
    (REQUEST_PARAMETER_ALLOW_RESERVED_REMOVED, B, REQ, "parameters", C.TIGHTENED,
     "A query parameter no longer allows reserved characters unencoded (`?q=a/b`).",
     "{operation} {detail} no longer allows reserved characters unencoded",
     with_op(op(parameters=[param("q", allowReserved=True)])), with_op(op(parameters=[param("q")])),
     with_op(op(parameters=[param("q", allowReserved=True)])),
     with_op(op(parameters=[param("q", allowReserved=True, style="form")]))),
    (REQUEST_PARAMETER_ALLOW_RESERVED_ADDED, A, REQ, "parameters", C.LOOSENED,
     "A query parameter now allows reserved characters unencoded.",
     "{operation} {detail} now allows reserved characters unencoded",
     with_op(op(parameters=[param("q")])), with_op(op(parameters=[param("q", allowReserved=True)])),
     with_op(op(parameters=[param("q")])), with_op(op(parameters=[param("q", allowReserved=False)]))),
    # --- request bodies ----------------------------------------------------------------------
    (REQUEST_BODY_ADDED_REQUIRED, B, REQ, "request-body", C.NEWLY_REQUIRED,
     "A required request body was added.", "{operation} now requires a request body",
     with_op(op(), method="post"), with_op(op(requestBody=body(required=True)), method="post"),
     with_op(op(), method="post"), with_op(op(requestBody=body()), method="post")),
    (REQUEST_BODY_ADDED_OPTIONAL, A, REQ, "request-body", C.NEW_OPTIONAL_PARAMETER,
     "An optional request body was added.", "{operation} accepts an optional request body",
     with_op(op(), method="post"), with_op(op(requestBody=body()), method="post"),
     with_op(op(), method="post"), with_op(op(requestBody=body(required=True)), method="post")),
    (REQUEST_BODY_REMOVED, W, REQ, "request-body", C.REMOVED,
     "The request body was removed (the server may reject or ignore one).",
     "{operation} no longer takes a request body",
     with_op(op(requestBody=body()), method="post"), with_op(op(), method="post"),
     with_op(op(requestBody=body()), method="post"), with_op(op(requestBody=body()), method="post")),
    (REQUEST_BODY_BECAME_REQUIRED, B, REQ, "request-body", C.NEWLY_REQUIRED,
     "The request body became required.", "{operation} request body became required",
     with_op(op(requestBody=body()), method="post"), with_op(op(requestBody=body(required=True)), method="post"),
     with_op(op(requestBody=body(required=True)), method="post"),
     with_op(op(requestBody=body(required=True)), method="post")),
    (REQUEST_BODY_BECAME_OPTIONAL, A, REQ, "request-body", C.NEW_OPTIONAL_PARAMETER,
     "The request body became optional.", "{operation} request body became optional",
     with_op(op(requestBody=body(required=True)), method="post"), with_op(op(requestBody=body()), method="post"),
     with_op(op(requestBody=body()), method="post"), with_op(op(requestBody=body()), method="post")),
    (REQUEST_MEDIA_TYPE_REMOVED, B, REQ, "request-body", C.MEDIA_TYPE_REMOVED,
     "A request media type is no longer accepted.", "{operation} no longer accepts {detail}",
     with_op(op(requestBody={"content": {"application/json": {"schema": S}, "text/plain": {"schema": S}}}),
             method="post"),
     with_op(op(requestBody=body()), method="post"),
     with_op(op(requestBody=body()), method="post"), with_op(op(requestBody=body()), method="post")),
    (REQUEST_MEDIA_TYPE_ADDED, A, REQ, "request-body", C.NEW_OPTIONAL_PARAMETER,
     "A request media type was added.", "{operation} now also accepts {detail}",
     with_op(op(requestBody=body()), method="post"),
     with_op(op(requestBody={"content": {"application/json": {"schema": S}, "text/plain": {"schema": S}}}),
             method="post"),
     with_op(op(requestBody=body()), method="post"), with_op(op(requestBody=body()), method="post")),
    (REQUEST_MEDIA_TYPE_PARAMETER_CHANGED, B, REQ, "request-body", C.MEDIA_TYPE_REMOVED,
     "A request media type is kept with other parameters (charset, profile, version): old clients send the old "
     "one. Parameter names and charset values compared without case; charset=utf-8 on a JSON type is no change.",
     "{operation} {detail} media type parameters changed from {old} to {new}",
     takes("text/plain; charset=utf-8"), takes("text/plain; charset=iso-8859-1"),
     takes("text/plain; charset=utf-8"), takes("text/plain; charset=utf-8", "text/plain; charset=iso-8859-1")),
    (REQUEST_MEDIA_TYPE_PARAMETER_RELAXED, A, REQ, "request-body", C.LOOSENED,
     "A request media type is now keyed with fewer parameters: the most specific key applies (OpenAPI), so it "
     "still reads what old clients send (`text/plain` reads `text/plain; charset=utf-8`).",
     "{operation} {detail} media type parameters relaxed from {old} to {new}",
     takes("text/plain; charset=utf-8"), takes("text/plain"),
     takes("text/plain"), takes("text/plain; charset=utf-8")),
    # --- responses ---------------------------------------------------------------------------
    (RESPONSE_SUCCESS_STATUS_REMOVED, B, RESP, "responses", C.STATUS_REMOVED,
     "A success (2xx) status code was removed.", "{operation} no longer answers {detail}",
     with_op(op(responses={"200": {"description": "ok"}, "201": {"description": "c"}})),
     with_op(op(responses={"200": {"description": "ok"}})),
     with_op(op(responses={"200": {"description": "ok"}, "404": {"description": "n"}})),
     with_op(op(responses={"200": {"description": "ok"}}))),
    (RESPONSE_SUCCESS_STATUS_ADDED, W, RESP, "responses", C.UNION_ADDED,
     "A new success status code: clients may not expect it.", "{operation} may now answer {detail}",
     with_op(op(responses={"200": {"description": "ok"}})),
     with_op(op(responses={"200": {"description": "ok"}, "202": {"description": "a"}})),
     with_op(op(responses={"200": {"description": "ok"}})),
     with_op(op(responses={"200": {"description": "ok"}, "400": {"description": "bad"}}))),
    (RESPONSE_NON_SUCCESS_STATUS_REMOVED, I, RESP, "responses", C.ANNOTATION,
     "An error status code is no longer documented.", "{operation} no longer documents {detail}",
     with_op(op(responses={"200": {"description": "ok"}, "404": {"description": "n"}})),
     with_op(op(responses={"200": {"description": "ok"}})),
     with_op(op(responses={"200": {"description": "ok"}})), with_op(op(responses={"200": {"description": "ok"}}))),
    (RESPONSE_NON_SUCCESS_STATUS_ADDED, I, RESP, "responses", C.ANNOTATION,
     "An error status code is newly documented.", "{operation} now documents {detail}",
     with_op(op(responses={"200": {"description": "ok"}})),
     with_op(op(responses={"200": {"description": "ok"}, "404": {"description": "n"}})),
     with_op(op(responses={"200": {"description": "ok"}})), with_op(op(responses={"200": {"description": "ok"}}))),
    (RESPONSE_MEDIA_TYPE_REMOVED, B, RESP, "responses", C.MEDIA_TYPE_REMOVED,
     "A success response media type was removed.", "{operation} no longer returns {detail}",
     with_op(op(responses={"200": {"description": "ok",
                                   "content": {"application/json": {"schema": S}, "text/csv": {"schema": S}}}})),
     with_op(op(responses=ok(S))),
     with_op(op(responses=ok(S))), with_op(op(responses=ok(S)))),
    (RESPONSE_MEDIA_TYPE_ADDED, A, RESP, "responses", C.NEW_RESOURCE,
     "A response media type was added (served only to clients that ask for it).", "{operation} can now return {detail}",
     with_op(op(responses=ok(S))),
     with_op(op(responses={"200": {"description": "ok",
                                   "content": {"application/json": {"schema": S}, "text/csv": {"schema": S}}}})),
     with_op(op(responses=ok(S))), with_op(op(responses=ok(S)))),
    (RESPONSE_MEDIA_TYPE_PARAMETER_CHANGED, B, RESP, "responses", C.MEDIA_TYPE_REMOVED,
     "A success response media type is kept with other parameters (charset, profile, version): clients may "
     "decode it differently. charset=utf-8 on JSON (RFC 8259) or an event stream is no change; on text/* it is.",
     "{operation} {detail} media type parameters changed from {old} to {new}",
     csv_reply("text/csv; charset=utf-8"), csv_reply("text/csv; charset=iso-8859-1"),
     csv_reply("application/json"), csv_reply("application/json; Charset=UTF-8")),
    (RESPONSE_EVENT_STREAM_ADDED, A, RESP, "streams", C.NEW_EVENT_TYPE,
     "The operation can now stream (text/event-stream).", "{operation} can now stream server-sent events",
     with_op(op(responses=ok(S))),
     with_op(op(responses={"200": {"description": "ok", "content": {
         "application/json": {"schema": S}, "text/event-stream": {"schema": {"anyOf": [EVENT_A]}}}}})),
     with_op(op(responses=ok(S))), with_op(op(responses=ok(S)))),
    (RESPONSE_EVENT_STREAM_REMOVED, B, RESP, "streams", C.MEDIA_TYPE_REMOVED,
     "The operation no longer streams server-sent events.", "{operation} no longer streams server-sent events",
     with_op(op(responses={"200": {"description": "ok", "content": {
         "application/json": {"schema": S}, "text/event-stream": {"schema": {"anyOf": [EVENT_A]}}}}})),
     with_op(op(responses=ok(S))),
     with_op(op(responses=ok(S))), with_op(op(responses=ok(S)))),
    # --- response headers --------------------------------------------------------------------
    (REQUIRED_RESPONSE_HEADER_REMOVED, B, RESP, "headers", C.HEADER_REMOVED,
     "A required response header (x-request-id, openai-version, ...) was removed.",
     "{operation} response no longer carries required header {detail}",
     with_op(op(responses=ok(headers={"x-request-id": {"required": True, "schema": S}}))),
     with_op(op(responses=ok())),
     with_op(op(responses=ok(headers={"x-request-id": {"required": True, "schema": S}}))),
     with_op(op(responses=ok(headers={"X-Request-Id": {"required": True, "schema": S}})))),
    (OPTIONAL_RESPONSE_HEADER_REMOVED, W, RESP, "headers", C.REMOVED,
     "An optional response header was removed.", "{operation} response lost optional header {detail}",
     with_op(op(responses=ok(headers={"x-ratelimit-limit-requests": {"schema": S}}))),
     with_op(op(responses=ok())),
     with_op(op(responses=ok())), with_op(op(responses=ok()))),
    (RESPONSE_HEADER_BECAME_OPTIONAL, B, RESP, "headers", C.NO_LONGER_REQUIRED,
     "A required response header became optional.", "{operation} response header {detail} is no longer required",
     with_op(op(responses=ok(headers={"x-request-id": {"required": True, "schema": S}}))),
     with_op(op(responses=ok(headers={"x-request-id": {"schema": S}}))),
     with_op(op(responses=ok(headers={"x-request-id": {"schema": S}}))),
     with_op(op(responses=ok(headers={"x-request-id": {"schema": S}})))),
    (RESPONSE_HEADER_ADDED, A, RESP, "headers", C.NEW_RESPONSE_PROPERTY,
     "A response header was added.", "{operation} response gained header {detail}",
     with_op(op(responses=ok())), with_op(op(responses=ok(headers={"openai-processing-ms": {"schema": S}}))),
     with_op(op(responses=ok())), with_op(op(responses=ok()))),
    # --- security ----------------------------------------------------------------------------
    (SECURITY_REQUIREMENT_ADDED, B, REQ, "security", C.SECURITY_ADDED,
     "A new security requirement: old requests lack the credential.", "{operation} now requires {detail}",
     with_op(op()), with_op(op(security=[{"apiKey": []}])),
     with_op(op(security=[{"apiKey": []}])), with_op(op(security=[{"apiKey": []}]))),
    (SECURITY_REQUIREMENT_REMOVED, I, REQ, "security", C.ANNOTATION,
     "A security requirement was removed.", "{operation} no longer requires {detail}",
     with_op(op(security=[{"apiKey": []}])), with_op(op()),
     with_op(op()), with_op(op())),
    (SECURITY_SCOPE_ADDED, B, REQ, "security", C.SECURITY_ADDED,
     "A security requirement needs a new scope.", "{operation} security {detail} now needs scope {new}",
     with_op(op(security=[{"oauth": ["read"]}])), with_op(op(security=[{"oauth": ["read", "write"]}])),
     with_op(op(security=[{"oauth": ["read", "write"]}])), with_op(op(security=[{"oauth": ["write", "read"]}]))),
    (SECURITY_SCOPE_REMOVED, I, REQ, "security", C.ANNOTATION,
     "A security requirement needs one scope fewer.", "{operation} security {detail} no longer needs scope {old}",
     with_op(op(security=[{"oauth": ["read", "write"]}])), with_op(op(security=[{"oauth": ["read"]}])),
     with_op(op(security=[{"oauth": ["read"]}])), with_op(op(security=[{"oauth": ["read"]}]))),
    # --- webhooks and callbacks: the server sends the request, the client the reply -------------
    (WEBHOOK_PARAMETER_REMOVED, B, RESP, "webhooks", C.REMOVED,
     "A webhook or callback no longer sends a parameter (a header, query value) receivers may read.",
     "{operation} {detail} is no longer sent",
     hook(parameters=[param("X-Signature", where="header")]), hook(),
     hook(parameters=[param("X-Signature", where="header")]), hook(parameters=[param("x-signature", where="header")])),
    (WEBHOOK_PARAMETER_ADDED, A, RESP, "webhooks", C.NEW_RESPONSE_PROPERTY,
     "A webhook or callback sends a new parameter.", "{operation} {detail} is now sent",
     hook(), hook(parameters=[param("X-Signature", True, where="header")]),
     hook(parameters=[param("X-Signature", where="header")]), hook(parameters=[param("x-signature", where="header")])),
    (WEBHOOK_PARAMETER_BECAME_REQUIRED, A, RESP, "webhooks", C.NEWLY_REQUIRED,
     "A webhook or callback now always sends a parameter.", "{operation} {detail} is now always sent",
     hook(parameters=[param("q")]), hook(parameters=[param("q", True)]),
     hook(parameters=[param("q", True)]), hook(parameters=[param("q", "true")])),
    (WEBHOOK_PARAMETER_BECAME_OPTIONAL, B, RESP, "webhooks", C.NO_LONGER_REQUIRED,
     "A webhook or callback parameter that was always sent may now be missing.",
     "{operation} {detail} may now be missing",
     hook(parameters=[param("q", True)]), hook(parameters=[param("q")]),
     hook(parameters=[param("q")]), hook(parameters=[param("q", False)])),
    (WEBHOOK_PARAMETER_STYLE_CHANGED, B, RESP, "webhooks", C.TYPE_CHANGED,
     "A webhook or callback parameter is serialised differently: receivers parse another text.",
     "{operation} {detail} serialisation changed from {old} to {new}",
     hook(parameters=[param("q", schema={"type": "array", "items": S})]),
     hook(parameters=[param("q", schema={"type": "array", "items": S}, explode=False)]),
     hook(parameters=[param("q")]), hook(parameters=[param("q", explode=False)])),
    (WEBHOOK_BODY_REMOVED, B, RESP, "webhooks", C.REMOVED,
     "A webhook or callback no longer sends a body.", "{operation} {detail}no longer sends a body",
     hook(requestBody=body()), hook(),
     hook(requestBody=body()), hook(requestBody=body(required=True))),
    (WEBHOOK_BODY_ADDED, A, RESP, "webhooks", C.NEW_RESPONSE_PROPERTY,
     "A webhook or callback now sends a body.", "{operation} {detail}now sends a body",
     hook(), hook(requestBody=body()), hook(requestBody=body()), hook(requestBody=body(required=True))),
    (WEBHOOK_BODY_BECAME_OPTIONAL, B, RESP, "webhooks", C.NO_LONGER_REQUIRED,
     "A webhook or callback body that was always sent may now be missing.",
     "{operation} {detail}body may now be missing",
     hook(requestBody=body(required=True)), hook(requestBody=body()),
     hook(requestBody=body()), hook(requestBody=body(required=True))),
    (WEBHOOK_BODY_BECAME_REQUIRED, A, RESP, "webhooks", C.NEWLY_REQUIRED,
     "A webhook or callback body is now always sent.", "{operation} {detail}body is now always sent",
     hook(requestBody=body()), hook(requestBody=body(required=True)),
     hook(requestBody=body(required=True)), hook(requestBody=body())),
    (WEBHOOK_MEDIA_TYPE_ADDED, B, RESP, "webhooks", C.UNION_ADDED,
     "A webhook or callback may send a media type receivers never got.",
     "{operation} may now send {detail}",
     hook(requestBody=body()),
     hook(requestBody={"content": {"application/json": {"schema": S}, "application/xml": {"schema": S}}}),
     hook(requestBody=body()), hook(requestBody=body(media="application/json; charset=utf-8"))),
    (WEBHOOK_MEDIA_TYPE_REMOVED, I, RESP, "webhooks", C.UNION_REMOVED,
     "A webhook or callback no longer sends one of its media types (receivers get less variety).",
     "{operation} no longer sends {detail}",
     hook(requestBody={"content": {"application/json": {"schema": S}, "application/xml": {"schema": S}}}),
     hook(requestBody=body()),
     hook(requestBody=body()), hook(requestBody=body())),
    (WEBHOOK_REPLY_STATUS_REMOVED, B, REQ, "webhooks", C.ENUM_REMOVED,
     "A status a receiver may answer a webhook or callback with is no longer documented.",
     "{operation} reply status {detail} is no longer accepted",
     hook(responses=replies("200", "202")), hook(responses=replies("200")),
     hook(responses=replies("200", "202")), hook(responses=replies("2XX"))),
    (WEBHOOK_REPLY_STATUS_ADDED, A, REQ, "webhooks", C.ENUM_ADDED,
     "A webhook or callback accepts a new reply status.", "{operation} now accepts reply status {detail}",
     hook(responses=replies("200")), hook(responses=replies("200", "410")),
     hook(responses=replies("2XX")), hook(responses=replies("2XX", "204"))),
    (WEBHOOK_REPLY_MEDIA_TYPE_REMOVED, B, REQ, "webhooks", C.MEDIA_TYPE_REMOVED,
     "A webhook or callback no longer accepts a reply media type receivers send.",
     "{operation} no longer accepts a reply of {detail}",
     hook(responses={"200": {"description": "ok", "content": {"application/json": {"schema": S},
                                                              "text/plain": {"schema": S}}}}),
     hook(responses=replies("200")),
     hook(responses=replies("200")), hook(responses=replies("200", media="application/json; charset=utf-8"))),
    (WEBHOOK_REPLY_MEDIA_TYPE_ADDED, A, REQ, "webhooks", C.NEW_OPTIONAL_PARAMETER,
     "A webhook or callback accepts a new reply media type.", "{operation} now accepts a reply of {detail}",
     hook(responses=replies("200")),
     hook(responses={"200": {"description": "ok", "content": {"application/json": {"schema": S},
                                                              "text/plain": {"schema": S}}}}),
     hook(responses=replies("200")), hook(responses=replies("200"))),
    (WEBHOOK_MEDIA_TYPE_PARAMETER_CHANGED, B, RESP, "webhooks", C.UNION_ADDED,
     "A webhook or callback sends one of its media types with other parameters: receivers may decode it "
     "differently.",
     "{operation} {detail} media type parameters changed from {old} to {new}",
     hook(requestBody=body(media="application/json; profile=v1")),
     hook(requestBody=body(media="application/json; profile=v2")),
     hook(requestBody=body(media="application/json; profile=v1")),
     hook(requestBody=body(media="application/json; PROFILE=v1"))),
    (WEBHOOK_REPLY_MEDIA_TYPE_PARAMETER_CHANGED, B, REQ, "webhooks", C.MEDIA_TYPE_REMOVED,
     "A webhook or callback accepts a reply media type only with other parameters: receivers send the old one.",
     "{operation} {detail} media type parameters changed from {old} to {new}",
     hook_reply(None, "text/plain; charset=utf-8"), hook_reply(None, "text/plain; charset=us-ascii"),
     hook_reply(None, "text/plain; charset=utf-8"), hook_reply(None, "text/plain")),
    (WEBHOOK_REPLY_MEDIA_TYPE_PARAMETER_RELAXED, A, REQ, "webhooks", C.LOOSENED,
     "A webhook or callback reply media type is now keyed with fewer parameters: it still reads what receivers "
     "send.",
     "{operation} {detail} media type parameters relaxed from {old} to {new}",
     hook_reply(None, "text/plain; charset=utf-8"), hook_reply(None, "text/plain"),
     hook_reply(None, "text/plain"), hook_reply(None, "text/plain; charset=utf-8")),
    (WEBHOOK_REPLY_HEADER_ADDED_REQUIRED, B, REQ, "webhooks", C.NEWLY_REQUIRED,
     "A webhook or callback reply must carry a new header: receivers do not send it.",
     "{operation} reply must now carry header {detail}",
     hook_reply(), hook_reply({"X-Ack": {"required": True, "schema": S}}),
     hook_reply(), hook_reply({"X-Ack": {"schema": S}})),
    (WEBHOOK_REPLY_HEADER_ADDED_OPTIONAL, A, REQ, "webhooks", C.NEW_OPTIONAL_PARAMETER,
     "A webhook or callback reply may carry a new header.",
     "{operation} reply may now carry header {detail}",
     hook_reply(), hook_reply({"X-Ack": {"schema": S}}),
     hook_reply(), hook_reply({"X-Ack": {"required": True, "schema": S}})),
    (WEBHOOK_REPLY_HEADER_REMOVED, W, REQ, "webhooks", C.REMOVED,
     "A webhook or callback reply header is no longer documented (a strict server may reject it).",
     "{operation} reply header {detail} is no longer documented",
     hook_reply({"X-Ack": {"schema": S}}), hook_reply(),
     hook_reply({"X-Ack": {"schema": S}}), hook_reply({"x-ack": {"schema": S}})),
    (WEBHOOK_REPLY_HEADER_BECAME_REQUIRED, B, REQ, "webhooks", C.NEWLY_REQUIRED,
     "A webhook or callback reply header receivers may omit became required.",
     "{operation} reply header {detail} became required",
     hook_reply({"X-Ack": {"schema": S}}), hook_reply({"X-Ack": {"required": True, "schema": S}}),
     hook_reply({"X-Ack": {"required": True, "schema": S}}), hook_reply({"x-ack": {"required": True, "schema": S}})),
    (WEBHOOK_REPLY_HEADER_BECAME_OPTIONAL, A, REQ, "webhooks", C.NEW_OPTIONAL_PARAMETER,
     "A webhook or callback reply header became optional.",
     "{operation} reply header {detail} became optional",
     hook_reply({"X-Ack": {"required": True, "schema": S}}), hook_reply({"X-Ack": {"schema": S}}),
     hook_reply({"X-Ack": {"schema": S}}), hook_reply({"X-Ack": {"required": False, "schema": S}})),
    (CALLBACK_REMOVED, B, NONE, "webhooks", C.ENDPOINT_REMOVED,
     "An operation no longer calls back (or a callback lost an operation).", "{operation} no longer makes {detail}",
     with_callback(), with_op(op(), "/jobs", "post"),
     with_callback(), with_callback(summary="done")),
    (CALLBACK_ADDED, A, NONE, "webhooks", C.NEW_RESOURCE,
     "An operation now calls back.", "{operation} now makes {detail}",
     with_op(op(), "/jobs", "post"), with_callback(),
     with_callback(), with_callback(summary="done")),
    # --- security scheme definitions (what a client implements to authenticate) ---------------
    (SECURITY_SCHEME_TYPE_CHANGED, B, REQ, "security", C.SECURITY_SCHEME_CHANGED,
     "A security scheme changed type (apiKey, http, oauth2, openIdConnect, mutualTLS): clients authenticate "
     "another way.", "security scheme {detail} changed type from {old} to {new}",
     secured(KEY), secured(HTTP("bearer")),
     secured(KEY), secured({"k": {**KEY["k"], "description": "the key"}})),
    (SECURITY_SCHEME_API_KEY_LOCATION_CHANGED, B, REQ, "security", C.SECURITY_SCHEME_CHANGED,
     "An API key moved (header, query, cookie): clients send it where the server no longer looks.",
     "security scheme {detail} API key moved from {old} to {new}",
     secured(KEY), secured({"k": {**KEY["k"], "in": "query"}}),
     secured(KEY), secured({"k": {**KEY["k"], "name": "x-key"}})),
    (SECURITY_SCHEME_API_KEY_NAME_CHANGED, B, REQ, "security", C.SECURITY_SCHEME_CHANGED,
     "An API key's header, query or cookie name changed (header names compared without case).",
     "security scheme {detail} API key name changed from {old} to {new}",
     secured(KEY), secured({"k": {**KEY["k"], "name": "X-Api-Key"}}),
     secured(KEY), secured({"k": {**KEY["k"], "name": "x-key"}})),
    (SECURITY_SCHEME_HTTP_SCHEME_CHANGED, B, REQ, "security", C.SECURITY_SCHEME_CHANGED,
     "An HTTP authentication scheme changed (basic, bearer, digest; compared without case).",
     "security scheme {detail} HTTP scheme changed from {old} to {new}",
     secured(HTTP("basic")), secured(HTTP("digest")),
     secured(HTTP("Bearer")), secured(HTTP("bearer"))),
    (SECURITY_SCHEME_BEARER_FORMAT_CHANGED, I, REQ, "security", C.ANNOTATION,
     "A bearer token's format hint changed (documentation: the token still comes from the server).",
     "security scheme {detail} bearer format changed from {old} to {new}",
     secured(HTTP("bearer", bearerFormat="JWT")), secured(HTTP("bearer", bearerFormat="opaque")),
     secured(HTTP("bearer", bearerFormat="JWT")), secured(HTTP("Bearer", bearerFormat="JWT"))),
    (SECURITY_SCHEME_OAUTH_FLOW_REMOVED, B, REQ, "security", C.SECURITY_SCHEME_CHANGED,
     "An OAuth flow was removed: clients that obtain tokens that way cannot any more.",
     "security scheme {detail} was removed",
     secured(oauth({**CODE({"read": "r"}), **CLIENT})), secured(oauth(CODE({"read": "r"}))),
     secured(oauth(CODE({"read": "r"}))), secured(oauth(CODE({"read": "r", "write": "w"})))),
    (SECURITY_SCHEME_OAUTH_FLOW_ADDED, A, REQ, "security", C.NEW_OPTIONAL_PARAMETER,
     "A new OAuth flow: one more way to obtain a token.",
     "security scheme {detail} was added",
     secured(oauth(CODE({"read": "r"}))), secured(oauth({**CODE({"read": "r"}), **CLIENT})),
     secured(oauth(CODE({"read": "r"}))), secured(oauth(CODE({"read": "r", "write": "w"})))),
    (SECURITY_SCHEME_OAUTH_URL_CHANGED, B, REQ, "security", C.SECURITY_SCHEME_CHANGED,
     "An OAuth flow's authorizationUrl, tokenUrl or refreshUrl changed or went.",
     "security scheme {detail} changed from {old} to {new}",
     secured(oauth(CODE({"read": "r"}))), secured(oauth(CODE({"read": "r"}, "https://b.example.com/token"))),
     secured(oauth(CODE({"read": "r"}))),
     secured(oauth({"authorizationCode": {**CODE({"read": "r"})["authorizationCode"],
                                          "refreshUrl": "https://a.example.com/refresh"}}))),
    (SECURITY_SCHEME_OAUTH_SCOPE_REMOVED, B, REQ, "security", C.SECURITY_SCHEME_CHANGED,
     "An OAuth scope was removed: clients that ask for it are refused a token.",
     "security scheme {detail} lost scope {old}",
     secured(oauth(CODE({"read": "r", "write": "w"}))), secured(oauth(CODE({"read": "r"}))),
     secured(oauth(CODE({"read": "r"}))), secured(oauth(CODE({"read": "read things"})))),
    (SECURITY_SCHEME_OAUTH_SCOPE_ADDED, A, REQ, "security", C.NEW_OPTIONAL_PARAMETER,
     "A new OAuth scope a client may ask for (an operation requiring it is reported there).",
     "security scheme {detail} gained scope {new}",
     secured(oauth(CODE({"read": "r"}))), secured(oauth(CODE({"read": "r", "write": "w"}))),
     secured(oauth(CODE({"read": "r"}))), secured(oauth(CODE({"read": "read things"})))),
    (SECURITY_SCHEME_OPENID_CONNECT_URL_CHANGED, B, REQ, "security", C.SECURITY_SCHEME_CHANGED,
     "An OpenID Connect discovery URL changed.",
     "security scheme {detail} openIdConnectUrl changed from {old} to {new}",
     secured({"k": {"type": "openIdConnect", "openIdConnectUrl": "https://a.example.com/.well-known/openid-configuration"}}),
     secured({"k": {"type": "openIdConnect", "openIdConnectUrl": "https://b.example.com/.well-known/openid-configuration"}}),
     secured({"k": {"type": "openIdConnect", "openIdConnectUrl": "https://a.example.com/.well-known/openid-configuration"}}),
     secured({"k": {"type": "openIdConnect", "description": "sso",
                    "openIdConnectUrl": "https://a.example.com/.well-known/openid-configuration"}})),
    (SECURITY_SCHEME_REMOVED_STILL_REQUIRED, B, REQ, "security", C.SECURITY_SCHEME_CHANGED,
     "A security scheme was removed while operations still require it: clients cannot know how to authenticate.",
     "security scheme {detail} was removed but is still required",
     secured(KEY), changed(secured(KEY), lambda d: d.pop("components")),
     secured(KEY), changed(secured(KEY), lambda d: (d.pop("components"), d["paths"]["/items"]["get"].pop("security")))),
    (SECURITY_SCHEME_REMOVED, I, REQ, "security", C.ANNOTATION,
     "A security scheme no operation requires any more was removed.",
     "security scheme {detail} was removed",
     secured(KEY, security=[]), with_op(op()),
     secured(KEY), changed(secured({"k2": KEY["k"]}, security=[{"k2": []}]), lambda d: None)),
    (SECURITY_SCHEME_ADDED, A, REQ, "security", C.NEW_OPTIONAL_PARAMETER,
     "A new security scheme (an operation that now requires it is reported there).",
     "security scheme {detail} was added",
     with_op(op()), secured(KEY, security=[]),
     secured(KEY), changed(secured({"k2": KEY["k"]}, security=[{"k2": []}]), lambda d: None)),
    # --- inputs --------------------------------------------------------------------------------
    (INPUT_IRREGULAR, I, NONE, "input", C.IRREGULAR,
     "A place in a document is irregular but readable (an empty `responses:`, `type: int`): it was read the "
     "obvious way, said how; `--strict` refuses it instead (exit 2).",
     "{detail}",
     BASE, with_op({"responses": {"200": {"content": {"application/json": {"schema": S}}}}}),
     BASE, with_op(op(summary="regular"))),
    # --- document ----------------------------------------------------------------------------
    (API_VERSION_CHANGED, I, NONE, "info", C.ANNOTATION,
     "info.version changed.", "API version changed from {old} to {new}",
     BASE, changed(BASE, lambda d: d["info"].update(version="2")),
     BASE, changed(BASE, lambda d: d["info"].update(title="other"))),
    (API_SCHEMA_REMOVED, I, NONE, "components", C.ANNOTATION,
     "A component schema was removed (breaking only where an operation used it; that is reported there).",
     "component schema {detail} was removed",
     changed(BASE, lambda d: d.update(components={"schemas": {"Old": S}})), BASE,
     changed(BASE, lambda d: d.update(components={"schemas": {"Old": S}})),
     changed(BASE, lambda d: d.update(components={"schemas": {"Old": S}}))),
]


def register(registry: Registry) -> None:
    for (rid, sev, direction, area, clause, text, message, old, new, near_old, near_new) in RULES:
        registry.add(Rule(
            id=rid, severity=sev, direction=direction, clause=clause, doc=text, message=message,
            example=Example(old, new, near_old, near_new, "openapi"), area=area,
        ))
