"""JSON pointers: building them, and naming what they point at in words people read."""

from __future__ import annotations

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def escape(token: object) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


def unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def join(base: str, *tokens: object) -> str:
    return base + "".join("/" + escape(t) for t in tokens)


def tokens(pointer: str) -> list[str]:
    frag = pointer.split("#", 1)[1] if "#" in pointer else pointer
    return [unescape(t) for t in frag.split("/")[1:]] if frag else []


def resolve(doc: object, pointer: str, default: object = None) -> object:
    """The node at `pointer` in `doc` (no `$ref` following), or `default`."""
    node = doc
    for tok in tokens(pointer):
        if isinstance(node, dict) and tok in node:
            node = node[tok]
        elif isinstance(node, list) and tok.isdigit() and tok.isascii() and int(tok) < len(node):
            node = node[int(tok)]
        else:
            return default
    return node


def describe(pointer: str) -> str:
    """`#/components/schemas/Job/properties/steps/items/properties/id` -> `Job.steps[].id`."""
    parts = tokens(pointer)
    start = 0
    name = "schema"
    for i in range(len(parts) - 1):
        if parts[i] in ("schemas", "$defs", "definitions") and (i == 0 or parts[i - 1] != "properties"):
            start, name = i + 2, parts[i + 1]
    if start == 0 and parts[:1] in (["paths"], ["webhooks"]):
        name, start = _operation_part(parts)
    return name + path_words(parts[start:])


def path_words(parts: list[str]) -> str:
    """Schema pointer tokens in words: `properties/a/items/properties/b` -> `.a[].b`."""
    out = ""
    i = 0
    while i < len(parts):
        t = parts[i]
        if t == "properties" and i + 1 < len(parts):
            out += "." + parts[i + 1]
            i += 2
            continue
        if t == "items":
            out += "[]"
        elif t == "additionalProperties":
            out += "{*}"
        elif t in ("prefixItems",) and i + 1 < len(parts):
            out += f"[{parts[i + 1]}]"
            i += 1
        elif t in ("anyOf", "oneOf", "allOf") and i + 1 < len(parts):
            i += 1
        i += 1
    return out


def _operation_part(parts: list[str]) -> tuple[str, int]:
    """Name the request/response part of an inline schema under paths."""
    for i, t in enumerate(parts):
        if t == "requestBody":
            j = parts.index("schema", i) if "schema" in parts[i:] else len(parts)
            return "request body", j + 1
        if t == "responses" and i + 1 < len(parts):
            status = parts[i + 1]
            if "headers" in parts[i:]:
                h = parts.index("headers", i)
                if h + 1 < len(parts):
                    j = parts.index("schema", h) if "schema" in parts[h:] else len(parts)
                    return f"response header {parts[h + 1]}", j + 1
            j = parts.index("schema", i) if "schema" in parts[i:] else len(parts)
            return f"{status} response", j + 1
        if t == "parameters" and i + 1 < len(parts):
            j = parts.index("schema", i) if "schema" in parts[i:] else len(parts)
            return "parameter", j + 1
    return "operation", len(parts)


def operation_name(method: str, path: str) -> str:
    return f"{method.upper()} {path}"
