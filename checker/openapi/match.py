"""Concrete requests -> the spec's operations: `POST /v1/models/gpt-4` -> `POST /models/{model}`.

Used by `apicompat gate --usage` and `apicompat conform`. `servers` base paths (`/v1` of
`https://api.openai.com/v1`) are stripped; a template with more literal characters beats one with
more parameters (`/jobs/active` beats `/jobs/{id}`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import re2
from urllib.parse import urlsplit

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_PARAM = re.compile(r"\{[^{}/]+\}")


@lru_cache(maxsize=4096)
def _template_regex(template: str) -> Any:  # an re2 pattern (re2 ships no types)
    """The template as a regular expression, matched by RE2 (linear time): with Python's backtracking
    engine, parameters side by side in one segment (`/{a}.{b}.{c}`) take time exponential in their
    number on a long segment."""
    parts = re.split(r"(\{[^{}/]+\})", template.partition("?")[0])
    body = "".join("[^/]+" if p.startswith("{") and p.endswith("}") else re.escape(p) for p in parts)
    return re2.compile(f"^{body}/?$")


def base_paths(doc: object) -> list[str]:
    """"" and the path part of every `servers[].url` (the first server's first)."""
    bases = [""]
    servers = doc.get("servers") if isinstance(doc, dict) else None
    for server in servers if isinstance(servers, list) else []:
        url = server.get("url") if isinstance(server, dict) else None
        if isinstance(url, str):
            try:
                base = urlsplit(url).path.rstrip("/")
            except ValueError:
                continue
            if base and base not in bases:
                bases.append(base)
    return bases


def spec_operations(*docs: object) -> list[tuple[str, str]]:
    """(METHOD, path template) of every operation in the documents."""
    ops: list[tuple[str, str]] = []
    for doc in docs:
        paths = doc.get("paths") if isinstance(doc, dict) else None
        if not isinstance(paths, dict):
            continue
        for template, item in paths.items():
            if not isinstance(item, dict) or not isinstance(template, str):
                continue
            for method in item:
                if method in HTTP_METHODS and (method.upper(), template) not in ops:
                    ops.append((method.upper(), template))
    return ops


def match_operation(method: str, path: str, operations: list[tuple[str, str]], bases: list[str]) -> str | None:
    """The "METHOD /template" a concrete request calls; literal segments beat parameters."""
    found = match_template(method, path, operations, bases)
    return f"{found[0]} {found[1]}" if found else None


def match_template(method: str, path: str, operations: list[tuple[str, str]],
                   bases: list[str]) -> tuple[str, str] | None:
    """(METHOD, template) of the operation a concrete request calls, or None."""
    method = method.upper()
    if "?" in path or "#" in path:
        path = urlsplit(path).path or "/"
    best: tuple[tuple[int, int], tuple[str, str]] | None = None
    for base in bases:
        if base and not path.startswith(base + "/") and path != base:
            continue
        rel = (path[len(base):] or "/") if base else path
        for op_method, template in operations:
            if op_method != method or not _template_regex(template).match(rel):
                continue
            bare, _, query = template.partition("?")
            literal = (len(_PARAM.sub("", bare)), not query)  # `/x` before `/x?beta=true`
            if best is None or literal > best[0]:
                best = (literal, (op_method, template))
        if best is not None:
            return best[1]
    return best[1] if best else None
