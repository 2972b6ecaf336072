"""Recorded-traffic rules: what `apicompat check` finds by comparing a fresh recording with the
baseline snapshots beyond the inferred schemas (headers, versions, statuses, schema violations),
and what `apicompat conform` finds by validating recordings against the spec (`conform-*`).

Examples are snapshot samples (`form="recorded"`): for `recorded-*` old is the baseline sample and
new the fresh one (an old sample's `contract`, when there is one, is the baseline schema as edited by
hand; without it the baseline schema is inferred from the sample; its `plan`, the case's `pins:` and
`volatile:`); for `conform-*` old is the spec's response schema (or, for operations and
statuses, the spec's `paths`) and new the recorded sample.
"""

from __future__ import annotations

from ..model import Direction, Severity
from .registry import Example, Registry, Rule
from . import clauses as C

B, W, A, I = Severity.BREAKING, Severity.WARNING, Severity.ADDITIVE, Severity.INFO
RESP, NONE = Direction.RESPONSE, Direction.NONE

H = {"content-type": "application/json", "x-request-id": "req_1", "openai-version": "2020-10-01"}


def sample(headers=None, status=200, body=None) -> dict:
    return {"status": status, "headers": dict(H if headers is None else headers), "body": body or {"id": "a"}}


# a baseline contract tightened by hand: the model must be a gpt-4.1 one
TIGHTENED = {"type": "object", "required": ["id", "model"], "properties": {
    "id": {"type": "string", "x-opaque": True}, "model": {"type": "string", "pattern": "^gpt-4\\.1"}}}


def without(name: str) -> dict:
    return {k: v for k, v in H.items() if k != name}


# (id, severity, direction, clause, doc, message, old, new, near_old, near_new)
RULES = [
    ("recorded-header-missing", B, RESP, C.HEADER_REMOVED,
     "A response header every baseline sample had (x-request-id, openai-version, openai-processing-ms) "
     "is missing from a fresh sample.",
     "response header {subject} is missing (the baseline always had it)",
     sample(), sample(without("x-request-id")),
     sample(), sample({**H, "x-request-id": "req_2"})),
    ("recorded-version-changed", B, RESP, C.RECORDED,
     "The `openai-version` response header changed: the API now answers under another version.",
     "openai-version changed from {old} to {new}",
     sample(), sample({**H, "openai-version": "2025-01-01"}),
     sample(), sample(dict(H))),
    ("recorded-status-changed", B, RESP, C.STATUS_REMOVED,
     "The response status of a recorded case changed (e.g. 200 became 404).",
     "status changed from {old} to {new}",
     sample(), sample(status=404), sample(), sample(status=200)),
    ("recorded-content-type-changed", B, RESP, C.MEDIA_TYPE_REMOVED,
     "The response media type changed (e.g. a JSON body became an event stream).",
     "content type changed from {old} to {new}",
     sample(), sample({**H, "content-type": "text/plain"}),
     sample(), sample({**H, "content-type": "application/json; charset=utf-8"})),
    ("recorded-schema-violation", B, RESP, C.RECORDED,
     "A fresh response body (or stream event) does not validate against the baseline's schema. Where the "
     "schema diff finds a change at the same place that is as severe (a property removed, a type changed), "
     "the two are one entry under the schema rule; this rule names the entry when the violation is worse, "
     "e.g. a value breaking a constraint added by hand to the baseline contract.",
     "{subject} does not match the baseline contract: {detail}",
     {**sample(body={"id": "a", "model": "gpt-4.1"}), "contract": TIGHTENED},
     sample(body={"id": "a", "model": "o3"}),
     {**sample(body={"id": "a", "model": "gpt-4.1"}), "contract": TIGHTENED},
     sample(body={"id": "bbbbbb", "model": "gpt-4.1-mini", "extra": True})),
    ("recorded-value-changed", I, RESP, C.RECORDED,
     "Recorded values differ from the baseline's where the contract does not (deepdiff, one entry per case, "
     "for review): ids, timestamps, request ids, model output text and token counts are volatile and never "
     "compared, nor the plan's `volatile:` paths.",
     "values changed in case {subject}: {detail}",
     sample(body={"id": "a", "model": "gpt-4.1-2025-04-14"}), sample(body={"id": "b", "model": "gpt-4.1-2025-06-01"}),
     sample(body={"id": "a", "model": "gpt-4.1-2025-04-14", "created": 1}),
     sample(body={"id": "b", "model": "gpt-4.1-2025-04-14", "created": 2})),
    ("recorded-pinned-value-changed", B, RESP, C.RECORDED,
     "A value the plan pins (`pins:`, e.g. `$.model` or the `openai-version` header) changed: pin what your "
     "code relies on, as OpenAI advises for model versions.",
     "pinned {subject} changed from {old} to {new}",
     {**sample(body={"id": "a", "model": "gpt-4.1-2025-04-14"}), "plan": {"pins": ["$.model"]}},
     sample(body={"id": "a", "model": "gpt-4.1-2025-06-01"}),
     {**sample(body={"id": "a", "model": "gpt-4.1-2025-04-14", "seed": 1}), "plan": {"pins": ["$.model"]}},
     sample(body={"id": "b", "model": "gpt-4.1-2025-04-14", "seed": 2})),
    ("recorded-case-new", I, NONE, C.RECORDED,
     "A case of the plan has no baseline snapshot yet; `apicompat accept` makes the fresh one the baseline.",
     "case {subject} has no baseline yet",
     None, sample(), sample(), sample()),
]


OBJ = {"type": "object", "properties": {"id": {"type": "string"}, "n": {"type": "integer"}}, "required": ["id"]}
PATHS = {"/models/{model}": {"get": {"responses": {"200": {"description": "ok"}}}}}
PATHS_JSON = {"/models/{model}": {"get": {"responses": {"200": {"description": "ok", "content": {
    "application/json": {"schema": {"type": "object"}}}}}}}}


def conform_sample(method="GET", path="/models/gpt-4", status=200, body=None) -> dict:
    return {"request": {"method": method, "path": path}, **sample(status=status, body=body)}


CONFORM_RULES = [
    ("conform-schema-violation", B, RESP, C.RECORDED,
     "A recorded response body (or stream event data) does not validate against the response schema the "
     "spec documents for its operation, status and media type: the spec or the server is wrong.",
     "{subject} does not match the spec: {detail}",
     OBJ, conform_sample(body={"id": "a", "n": "one"}),
     OBJ, conform_sample(body={"id": "a", "n": 1})),
    ("conform-undocumented-property", A, RESP, C.NEW_RESPONSE_PROPERTY,
     "A recorded response (or event) has a property the spec's schema does not list (and no "
     "`additionalProperties`/`patternProperties` covers): the spec is behind the server.",
     "{subject} is in the recorded response but not in the spec",
     OBJ, conform_sample(body={"id": "a", "extra": True}),
     OBJ, conform_sample(body={"id": "a", "n": 2})),
    ("conform-undocumented-event-type", A, RESP, C.NEW_EVENT_TYPE,
     "A recorded stream has an event type that the spec's event union does not list.",
     "{subject} is in the recorded stream but not in the spec's event union",
     {"anyOf": [{"type": "object", "properties": {"type": {"const": "a.done"}}}]},
     conform_sample(body={"type": "a.delta"}),
     {"anyOf": [{"type": "object", "properties": {"type": {"const": "a.done"}}}]},
     conform_sample(body={"type": "a.done"})),
    ("conform-undocumented-operation", W, NONE, C.RECORDED,
     "A recording calls a method and path that match no operation of the spec (after stripping the "
     "`servers` base path), so it cannot be validated.",
     "{subject} is not an operation of the spec",
     PATHS, conform_sample(path="/files/f1"), PATHS, conform_sample(path="/v1/models/gpt-4")),
    ("conform-undocumented-status", W, RESP, C.RECORDED,
     "A recorded response status is not documented for its operation (neither the code, its `2XX` "
     "range nor `default`).",
     "status {subject} is not documented for {operation}",
     PATHS, conform_sample(status=404), PATHS, conform_sample(status=200)),
    ("conform-undocumented-media-type", W, RESP, C.RECORDED,
     "A recorded response's content type is not documented for its operation and status.",
     "content type {subject} is not documented for {operation}",
     PATHS_JSON, conform_sample(body={"id": "a"}) | {"headers": {"content-type": "text/plain"}},
     PATHS_JSON, conform_sample(status=200)),
]


def register(registry: Registry) -> None:
    for (rid, sev, direction, clause, text, message, old, new, near_old, near_new) in RULES + CONFORM_RULES:
        registry.add(Rule(
            id=rid, severity=sev, direction=direction, clause=clause, doc=text, message=message,
            example=Example(old, new, near_old, near_new, "recorded"), area="recorded",
        ))
