"""Index a document's operations by what a client calls: method + path template, names ignored."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..pointers import HTTP_METHODS, join

_PARAM = re.compile(r"\{[^}/]*\}")

# Follows a `$ref` of any OpenAPI object: (value, its pointer) -> (the target, the target's pointer);
# a value that is not a reference comes back as it is.
Deref = Callable[[Any, str], tuple[Any, str]]


@dataclass
class Operation:
    method: str
    path: str  # the path key as written (may carry a query string: /responses?beta=true)
    pointer: str  # #/paths/~1x/get
    raw: dict[str, Any]
    path_item: dict[str, Any]
    path_pointer: str
    kind: str = "path"  # path, webhook or callback
    path_params: list[str] = field(default_factory=list)  # template names in order
    owner: str = ""  # a callback: the operation whose call makes the server call back
    where: str = ""  # words that place a part inside the operation in messages ("callback onDone POST {$url} ")

    @property
    def name(self) -> str:
        """What a client calls: a callback's changes belong to the operation that triggers it."""
        if self.owner:
            return self.owner
        if self.kind == "webhook":
            return f"{self.method.upper()} webhook:{self.path}"
        return f"{self.method.upper()} {rooted(self.path)}"


def rooted(path: str) -> str:
    """A path as meant: `pets/{id}` (an irregular key, noted when the document was read) is `/pets/{id}`."""
    return path if path.startswith("/") else "/" + path


def template_key(path: str) -> str:
    """`/a/{id}/b?x=1` -> `/a/{}/b?x=1`: parameter names do not make an endpoint different."""
    base, sep, query = rooted(path).partition("?")
    return _PARAM.sub("{}", base.rstrip("/") or "/") + sep + query


def template_names(path: str) -> list[str]:
    return [m.group(0)[1:-1] for m in _PARAM.finditer(path.partition("?")[0])]


def index_paths(paths: object, root: str, kind: str = "path", deref: Deref | None = None, owner: str = "",
                where: str = "") -> dict[str, Operation]:
    out: dict[str, Operation] = {}
    if not isinstance(paths, dict):
        return out
    for path, item in paths.items():
        if not isinstance(path, str) or path.startswith("x-"):
            continue
        item_ptr = join(root, path)
        if deref is not None:
            item, item_ptr = deref(item, item_ptr)
        if not isinstance(item, dict):
            continue
        key_path = template_key(path) if kind == "path" else path
        for method in HTTP_METHODS:
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            key = f"{method.upper()} {key_path}"
            place = f"{where}{method.upper()} {path} " if owner else where
            out[key] = Operation(method, path, join(item_ptr, method), op, item, item_ptr, kind,
                                 template_names(path), owner, place)
    return out
