"""Recorded-traffic rules: what `apicompat check` finds by comparing a fresh recording with the
baseline snapshots beyond the inferred schemas (headers, versions, statuses, schema violations).

Examples are snapshot samples (`form="recorded"`): old is the baseline sample, new the fresh one.
"""

from __future__ import annotations

from ..model import Direction, Severity
from . import Example, Registry, Rule
from . import clauses as C

B, W, A, I = Severity.BREAKING, Severity.WARNING, Severity.ADDITIVE, Severity.INFO
RESP, NONE = Direction.RESPONSE, Direction.NONE

H = {"content-type": "application/json", "x-request-id": "req_1", "openai-version": "2020-10-01"}


def sample(headers=None, status=200, body=None) -> dict:
    return {"status": status, "headers": dict(H if headers is None else headers), "body": body or {"id": "a"}}


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
     "A fresh response body (or stream event) does not validate against the baseline's inferred schema.",
     "{subject} does not match the baseline contract: {detail}",
     sample(body={"id": "a", "n": 1}), sample(body={"id": "a", "n": "one"}),
     sample(body={"id": "a", "n": 1}), sample(body={"id": "bbbbbb", "n": 2, "extra": True})),
    ("recorded-case-new", I, NONE, C.RECORDED,
     "A case of the plan has no baseline snapshot yet; `apicompat accept` makes the fresh one the baseline.",
     "case {subject} has no baseline yet",
     None, sample(), sample(), sample()),
]


def register(registry: Registry) -> None:
    for (rid, sev, direction, clause, text, message, old, new, near_old, near_new) in RULES:
        registry.add(Rule(
            id=rid, severity=sev, direction=direction, clause=clause, doc=text, message=message,
            example=Example(old, new, near_old, near_new, "recorded"), area="recorded",
        ))
