"""Unions of thousands of members, shared by tests/unit/test_unions.py (they diff in seconds) and
benchmarks/bench_unions.py (how many seconds): one OpenAPI document around a schema, and the member
families both build."""

from __future__ import annotations


def obj(props: dict, required=()) -> dict:
    return {"type": "object", "properties": props, **({"required": list(required)} if required else {})}


def wrap(schema: dict, side: str) -> dict:
    """An OpenAPI 3.1 document whose one operation has `schema` as its request body (`side`
    "request") or its 200 response body (any other side)."""
    op: dict = {"responses": {"200": {"description": "ok"}}}
    if side == "request":
        op["requestBody"] = {"content": {"application/json": {"schema": schema}}}
    else:
        op["responses"]["200"]["content"] = {"application/json": {"schema": schema}}
    return {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {"/x": {"post": op}}}


def tagged(n: int, value_type: str) -> dict:
    """A oneOf of `n` objects told apart by a one-value `kind` enum, each with a `v` of `value_type`."""
    return {"oneOf": [obj({"kind": {"enum": [f"k{i}"]}, "v": {"type": value_type}}, ["kind"]) for i in range(n)]}


def untagged(n: int, prefix: str) -> dict:
    """An anyOf of `n` objects, each requiring its own string property `<prefix><i>`."""
    return {"anyOf": [obj({f"{prefix}{i}": {"type": "string"}}, [f"{prefix}{i}"]) for i in range(n)]}
