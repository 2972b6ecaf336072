"""Fuzzing the differ with generated JSON Schemas and OpenAPI documents (paths, operations,
parameters, bodies, responses, components with $refs between them), plain and hostile, and with
mutations of a known kind.

Properties:
- nothing but `apicompat.errors.InputError` escapes `apicompat.api.diff_documents`, whatever the input;
- `diff(a, a)` is empty;
- a mutation of a known kind yields that kind's rule and severity.

The number of examples comes from the hypothesis profile (tests/conftest.py: `default` 60, `long`
25,000; HYPOTHESIS_PROFILE=long). benchmarks/fuzz_campaign.py runs these same tests with far more
examples and counts the inputs (STATS).
"""

from __future__ import annotations

import copy
import random

import pytest

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from apicompat.api import DiffOptions, diff_documents
from apicompat.errors import InputError
from apicompat.load import Document

STATS = {"inputs": 0, "input_errors": 0}
QUIET = settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                        HealthCheck.filter_too_much], deadline=None)

NAMES = ["a", "b", "id", "user_id", "type", "data", "status", "items"]
COMPONENTS = ["Job", "User", "Item", "Error", "Page"]
PATHS = ["/jobs", "/jobs/{id}", "/users", "/users/{id}/items", "/health", "/files/{id}/content"]
METHODS = ["get", "post", "put", "delete", "patch"]
STATUSES = ["200", "201", "204", "400", "404", "default"]
SCALARS = ["string", "integer", "number", "boolean"]
KEYWORDS = ["type", "properties", "required", "enum", "items", "allOf", "anyOf", "oneOf", "$ref", "nullable",
            "additionalProperties", "maximum", "minLength", "discriminator", "not", "format", "const"]

# The generators are plain functions of a random.Random: hypothesis draws the seed (fast, and every
# failure names a reproducible seed); benchmarks/fuzz_campaign.py calls the same functions in a loop.


def gen_json(rnd: random.Random, depth: int = 3) -> object:
    """Any JSON value (strings, numbers, lists, mappings), a few levels deep."""
    r = rnd.random()
    if depth <= 0 or r < 0.5:
        return rnd.choice([None, True, False, 0, -1, 7, 2.5, 10**20, "", "x", "string", "#/nope", "object",
                           "#/components/schemas/Job", "$ref"])
    if r < 0.75:
        return [gen_json(rnd, depth - 1) for _ in range(rnd.randint(0, 3))]
    return {rnd.choice(KEYWORDS + NAMES): gen_json(rnd, depth - 1) for _ in range(rnd.randint(0, 3))}


def gen_schema(rnd: random.Random, refs: list[str], hostile: bool = False, depth: int = 2) -> object:
    """A JSON Schema mixing 3.0 and 3.1 spellings, with `$ref`s to `refs`; with `hostile`, any JSON
    value may stand where a schema or a keyword value should be."""
    if hostile and rnd.random() < 0.08:
        return gen_json(rnd)
    r = rnd.random()
    if depth <= 0 or r < 0.45:
        out: dict = {"type": rnd.choice(SCALARS)}
        for key, make in (("enum", lambda: rnd.sample(["x", "y", "z"], rnd.randint(1, 3))),
                          ("maxLength", lambda: rnd.randint(0, 40)), ("minimum", lambda: rnd.randint(-5, 5)),
                          ("maximum", lambda: rnd.randint(6, 60)), ("nullable", lambda: rnd.random() < 0.5),
                          ("format", lambda: rnd.choice(["int32", "date-time", "uuid", "email"])),
                          ("description", lambda: rnd.choice(["", "d", "text"])), ("deprecated", lambda: True),
                          ("default", lambda: rnd.choice(["x", 1, True])), ("readOnly", lambda: True),
                          ("pattern", lambda: rnd.choice(["^a", "[0-9]+"]))):
            if rnd.random() < 0.15:
                out[key] = make()
    elif r < 0.62:
        props = {rnd.choice(NAMES): gen_schema(rnd, refs, hostile, depth - 1) for _ in range(rnd.randint(0, 3))}
        out = {"type": "object", "properties": props}
        if rnd.random() < 0.5:
            out["required"] = rnd.sample(NAMES, rnd.randint(0, 3))
        if rnd.random() < 0.2:
            out["additionalProperties"] = rnd.choice([True, False, gen_schema(rnd, refs, hostile, depth - 1)])
    elif r < 0.72:
        out = {"type": "array", "items": gen_schema(rnd, refs, hostile, depth - 1)}
        if rnd.random() < 0.3:
            out["maxItems"] = rnd.randint(0, 9)
    elif r < 0.84:
        out = {rnd.choice(["anyOf", "oneOf", "allOf"]):
               [gen_schema(rnd, refs, hostile, depth - 1) for _ in range(rnd.randint(1, 3))]}
    elif r < 0.95 and refs:
        out = {"$ref": rnd.choice(refs)}
    else:
        out = {"type": [rnd.choice(SCALARS), "null"]}
    if hostile and rnd.random() < 0.1:
        out[rnd.choice(KEYWORDS)] = gen_json(rnd, 2)
    return out


def gen_object(rnd: random.Random, refs: list[str]) -> dict:
    """An object schema with at least one property."""
    props = {}
    while not props:
        props = {rnd.choice(NAMES): gen_schema(rnd, refs, depth=1) for _ in range(rnd.randint(1, 4))}
    out = {"type": "object", "properties": props}
    if rnd.random() < 0.5:
        out["required"] = rnd.sample(NAMES, rnd.randint(0, 3))
    return out


def gen_openapi(rnd: random.Random, hostile: bool = False) -> dict:
    """An OpenAPI 3.0 or 3.1 document: paths, operations, parameters, bodies, responses and
    components with $refs between them (loops included)."""
    names = rnd.sample(COMPONENTS, rnd.randint(0, 3))
    refs = [f"#/components/schemas/{n}" for n in names]

    def sch():
        return gen_schema(rnd, refs, hostile)

    def maybe(value):
        return gen_json(rnd) if hostile and rnd.random() < 0.06 else value

    paths: dict = {}
    for path in rnd.sample(PATHS, rnd.randint(1, 3)):
        item: dict = {}
        for method in rnd.sample(METHODS, rnd.randint(1, 2)):
            op: dict = {"operationId": f"{method}{path}"}
            params = []
            if "{id}" in path:
                params.append({"name": "id", "in": "path", "required": True, "schema": {"type": "string"}})
            for q in rnd.sample(["limit", "after", "order", "q"], rnd.randint(0, 2)):
                params.append(maybe({"name": q, "in": rnd.choice(["query", "header"]),
                                     "required": rnd.random() < 0.5, "schema": sch()}))
            if params:
                op["parameters"] = maybe(params)
            if method in ("post", "put", "patch") and rnd.random() < 0.6:
                op["requestBody"] = maybe({"required": rnd.random() < 0.5,
                                           "content": maybe({"application/json": {"schema": sch()}})})
            responses: dict = {}
            for code in rnd.sample(STATUSES, rnd.randint(1, 2)):
                resp: dict = {"description": "x"}
                if code != "204" and rnd.random() < 0.7:
                    resp["content"] = {"application/json": {"schema": sch()}}
                responses[code] = maybe(resp)
            op["responses"] = maybe(responses)
            item[method] = maybe(op)
        paths[path] = item
    return {"openapi": rnd.choice(["3.0.3", "3.1.0"]), "info": {"title": "fuzz", "version": "1"},
            "paths": maybe(paths), "components": {"schemas": maybe({n: sch() for n in names})}}


seeds = st.integers(0, 2**63)


def diff(old: object, new: object, direction: str | None = None):
    STATS["inputs"] += 1
    return diff_documents(Document("old.json", old), Document("new.json", new), DiffOptions(direction=direction))


def diff_or_input_error(old: object, new: object, direction: str | None = None):
    """The only exception allowed out of the differ is InputError."""
    try:
        return diff(old, new, direction)
    except InputError as exc:
        STATS["input_errors"] += 1
        assert str(exc).startswith(("old.json", "new.json")), str(exc)
        return None


def well_formed(doc: dict) -> bool:
    try:
        diff(doc, doc)
    except InputError:  # e.g. a generated pure $ref loop between components
        return False
    return True


# ---- nothing but InputError escapes --------------------------------------------------------------

def check_hostile_schemas(rnd: random.Random) -> None:
    refs = ["#/$defs/A"]
    defs = gen_schema(rnd, [], hostile=True)
    old, new = (gen_schema(rnd, refs, hostile=True) for _ in range(2))
    wrap = lambda s: {"$defs": {"A": defs}, "allOf": [s]} if rnd.random() < 0.7 else s  # noqa: E731
    diff_or_input_error(wrap(old), wrap(new), rnd.choice(["request", "response"]))


def check_hostile_openapi(rnd: random.Random) -> None:
    diff_or_input_error(gen_openapi(rnd, hostile=True), gen_openapi(rnd, hostile=True))


def check_openapi_against_junk(rnd: random.Random) -> None:
    doc, junk = gen_openapi(rnd, hostile=True), gen_json(rnd)
    diff_or_input_error(doc, junk)
    diff_or_input_error(junk, doc)


# ---- identity --------------------------------------------------------------------------------

def check_schema_identity(rnd: random.Random) -> None:
    schema = gen_schema(rnd, ["#/$defs/A"], depth=3)
    doc = {"$defs": {"A": gen_schema(rnd, [])}, "allOf": [schema]}
    report = diff_or_input_error(doc, copy.deepcopy(doc), rnd.choice(["request", "response"]))
    assert report is None or report.changes == [], [c.rule for c in report.changes]


def check_openapi_identity(rnd: random.Random) -> None:
    doc = gen_openapi(rnd)
    report = diff_or_input_error(doc, copy.deepcopy(doc))
    assert report is None or report.changes == [], [c.rule for c in report.changes]


# ---- mutations of a known kind -------------------------------------------------------------------

class Unusable(Exception):
    """The generated base document is refused (a pure $ref loop between components): skip it."""


def pick_operation(rnd: random.Random, doc: dict) -> dict:
    path, method = rnd.choice([(p, m) for p, item in doc["paths"].items() for m in item])
    return doc["paths"][path][method]


def refs_of(doc: dict) -> list[str]:
    return [f"#/components/schemas/{n}" for n in doc["components"]["schemas"]]


def response_schema(op: dict) -> dict:
    return op["responses"]["200"]["content"]["application/json"]["schema"]


def expect(old: dict, new: dict, rule: str, severity: str) -> None:
    try:
        diff(old, old)
        diff(new, new)
    except InputError:
        raise Unusable() from None
    report = diff(old, new)
    assert any(c.rule == rule and c.severity.label == severity for c in report.changes), (
        rule, [(c.rule, c.severity.label, c.pointer) for c in report.changes])


def mutate_remove_response_property(rnd: random.Random) -> None:
    doc = gen_openapi(rnd)
    op = pick_operation(rnd, doc)
    obj = gen_object(rnd, refs_of(doc))
    gone = rnd.choice(sorted(obj["properties"]))
    obj["required"] = [r for r in obj.get("required", []) if r != gone]
    op.setdefault("responses", {})["200"] = {"description": "ok", "content": {"application/json": {"schema": obj}}}
    new = copy.deepcopy(doc)
    del response_schema(pick_same(new, doc, op))["properties"][gone]
    expect(doc, new, "response-property-removed", "breaking")


def pick_same(new: dict, old: dict, op: dict) -> dict:
    """The operation of `new` at the place `op` has in `old`."""
    for p, item in old["paths"].items():
        for m, o in item.items():
            if o is op:
                return new["paths"][p][m]
    raise AssertionError("operation not found")


def mutate_add_optional_query_parameter(rnd: random.Random) -> None:
    doc = gen_openapi(rnd)
    op = pick_operation(rnd, doc)
    new = copy.deepcopy(doc)
    target = pick_same(new, doc, op)
    target["parameters"] = target.get("parameters", []) + [
        {"name": "zz_new", "in": "query", "required": False, "schema": gen_schema(rnd, refs_of(doc), depth=1)}]
    expect(doc, new, "new-optional-request-parameter", "additive")


def mutate_add_required_request_property(rnd: random.Random) -> None:
    doc = gen_openapi(rnd)
    op = pick_operation(rnd, doc)
    op["requestBody"] = {"required": True, "content": {"application/json": {"schema": gen_object(rnd, refs_of(doc))}}}
    new = copy.deepcopy(doc)
    body = pick_same(new, doc, op)["requestBody"]["content"]["application/json"]["schema"]
    body["properties"]["zz_new"] = {"type": "string"}
    body["required"] = body.get("required", []) + ["zz_new"]
    expect(doc, new, "request-property-added-required", "breaking")


def mutate_remove_operation(rnd: random.Random) -> None:
    doc = gen_openapi(rnd)
    path, method = rnd.choice([(p, m) for p, item in doc["paths"].items() for m in item])
    new = copy.deepcopy(doc)
    del new["paths"][path][method]
    if not new["paths"][path]:
        del new["paths"][path]
    expect(doc, new, "endpoint-removed", "breaking")


def mutate_add_response_enum_value(rnd: random.Random) -> None:
    doc = gen_openapi(rnd)
    op = pick_operation(rnd, doc)
    obj = gen_object(rnd, refs_of(doc))
    obj["properties"]["zz_state"] = {"type": "string", "enum": rnd.sample(["a", "b", "c"], rnd.randint(1, 3))}
    op.setdefault("responses", {})["200"] = {"description": "ok", "content": {"application/json": {"schema": obj}}}
    new = copy.deepcopy(doc)
    response_schema(pick_same(new, doc, op))["properties"]["zz_state"]["enum"].append("zz")
    expect(doc, new, "response-enum-value-added", "warning")


def mutate_make_response_property_nullable(rnd: random.Random) -> None:
    doc = gen_openapi(rnd)
    op = pick_operation(rnd, doc)
    obj = gen_object(rnd, refs_of(doc))
    kind = rnd.choice(SCALARS)
    obj["properties"]["zz_value"] = {"type": kind}
    op.setdefault("responses", {})["200"] = {"description": "ok", "content": {"application/json": {"schema": obj}}}
    new = copy.deepcopy(doc)
    prop = response_schema(pick_same(new, doc, op))["properties"]["zz_value"]
    if doc["openapi"].startswith("3.0"):
        prop["nullable"] = True
    else:
        prop["type"] = [kind, "null"]
    expect(doc, new, "response-became-nullable", "breaking")


CHECKS = {
    "hostile-json-schemas": check_hostile_schemas,
    "hostile-openapi": check_hostile_openapi,
    "openapi-against-junk": check_openapi_against_junk,
    "schema-identity": check_schema_identity,
    "openapi-identity": check_openapi_identity,
    "response-property-removed": mutate_remove_response_property,
    "new-optional-request-parameter": mutate_add_optional_query_parameter,
    "request-property-added-required": mutate_add_required_request_property,
    "endpoint-removed": mutate_remove_operation,
    "response-enum-value-added": mutate_add_response_enum_value,
    "response-became-nullable": mutate_make_response_property_nullable,
}


def run_check(name: str, seed: int) -> None:
    try:
        CHECKS[name](random.Random(seed))
    except Unusable:
        assume(False)


@pytest.mark.parametrize("name", sorted(CHECKS))
@QUIET
@given(seed=seeds)
def test_fuzz(name, seed):
    """Each check on generated inputs; a failure names the check and the seed (rerun it with
    `run_check(name, seed)`)."""
    run_check(name, seed)
