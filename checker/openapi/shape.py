"""Read an OpenAPI document's skeleton (paths, operations, parameters, bodies, responses, headers,
security, components) before any diffing.

What cannot be read at all (`paths` a list, `content` a string) is refused with one clear error
naming the place. What is irregular but has an obvious reading is read that way and noted
(apicompat.irregular): an empty `responses:`, a response without a description (Swagger 2.0 included),
a header without a schema (a Swagger 2.0 header without a `type`), a path without its leading `/`,
`openapi: 3.0` unquoted, an operation or a parameter that is not a mapping (skipped), `required: "true"`.
The reading is made here, once, on a copy of only the places it changes, so the
comparison downstream sees a regular document and every reading has its note.
"""

from __future__ import annotations

from typing import Any, NoReturn
from collections.abc import Callable

from ..errors import InputError
from ..irregular import Irregularities
from ..jsontypes import describe_type
from ..pointers import HTTP_METHODS, join

PARAMETER_LOCATIONS = ("query", "header", "path", "cookie")
_DROP = object()  # a method's answer: remove this key

# A field's reader: (value, pointer) -> the value as read (the same object when regular, or _DROP);
# an entry's reader: (name, value, pointer) -> the same.
FieldReader = Callable[[Any, str], Any]
EntryReader = Callable[[Any, Any, str], Any]


class _Copy:
    """A mapping or list copied the first time one of its children is read differently."""

    def __init__(self, value: dict[Any, Any] | list[Any]) -> None:
        self.original = value
        self.value: dict[Any, Any] | list[Any] = value

    def set(self, key: Any, new: Any) -> None:
        if self.value is self.original:
            self.value = dict(self.value) if isinstance(self.value, dict) else list(self.value)
        if new is _DROP:
            del self.value[key]
        else:
            self.value[key] = new


class SkeletonReader:
    def __init__(self, source: str, irregular: Irregularities) -> None:
        self.source = source
        self.irregular = irregular

    # -- the two outcomes -------------------------------------------------------------------------
    def fail(self, pointer: str, message: str) -> NoReturn:
        raise InputError(self.source, message, pointer)

    def note(self, pointer: str, found: str, read_as: str) -> None:
        self.irregular.note(self.source, pointer, found, read_as)

    def need(self, value: Any, kind: type, pointer: str, what: str) -> None:
        if not isinstance(value, kind):
            noun = "a mapping" if kind is dict else "a list"
            self.fail(pointer, f"{what} must be {noun}, not {describe_type(value)}")

    def _fields(self, value: dict[str, Any], ptr: str, readers: dict[str, FieldReader]) -> Any:
        """Apply `readers` to the fields of `value` present, copying `value` only if one changes."""
        out = _Copy(value)
        for key, read in readers.items():
            if key in value:
                new = read(value[key], join(ptr, key))
                if new is not value[key]:
                    out.set(key, new)
        return out.value

    def _absent_if_null(self, value: Any, ptr: str, what: str, read_as: str) -> Any:
        """`x:` with nothing after it: read as if the key were not there."""
        if value is None:
            self.note(ptr, f"`{what}:` left empty (null)", read_as)
            return _DROP
        return value

    # -- the document -----------------------------------------------------------------------------
    def document(self, doc: dict[str, Any]) -> dict[str, Any]:
        read: dict[str, Any] = self._fields(doc, "#", {
            "openapi": self.version, "swagger": self.version, "info": self.info,
            "paths": lambda v, p: self.paths(v, p, templated=True),
            "webhooks": lambda v, p: self.paths(v, p, templated=False),
            "security": self.security, "components": self.components,
        })
        return read

    def version(self, value: Any, ptr: str) -> Any:
        if isinstance(value, str):
            return value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            text = str(value)
            self.note(ptr, f"`{ptr[2:]}: {text}` (a number, not a string)", f"'{text}'")
            return text
        field = ptr.rsplit("/", 1)[-1]
        self.fail(ptr, f"{field} must be a string (quote it: '3.1.0'), not {describe_type(value)}")

    def info(self, value: Any, ptr: str) -> Any:
        if not isinstance(value, dict):
            self.note(ptr, f"`info` that is {describe_type(value)}", "no info (no version)")
        return value

    def paths(self, value: Any, ptr: str, templated: bool) -> Any:
        if value is None:
            self.note(ptr, f"`{ptr[2:]}:` left empty (null)", f"no {ptr[2:]}")
            return _DROP
        self.need(value, dict, ptr, ptr[2:])
        out = _Copy(value)
        for path, item in value.items():
            item_ptr = join(ptr, path)
            if isinstance(path, str) and path.startswith("x-"):
                continue  # an extension
            if templated and isinstance(path, str) and not path.startswith("/"):
                self.note(item_ptr, f"the path '{path}' without its leading '/'", f"'/{path}'")
            if item is None or not isinstance(item, dict):
                self.note(item_ptr, f"a path item that is {describe_type(item)}",
                          "a path with no operations")
                continue
            new = self.path_item(item, item_ptr)
            if new is not item:
                out.set(path, new)
        return out.value

    def path_item(self, item: dict[str, Any], ptr: str) -> Any:
        if "$ref" in item:
            return item
        readers: dict[str, FieldReader] = {"parameters": self.parameters}
        for method in HTTP_METHODS:
            readers[method] = self.operation
        return self._fields(item, ptr, readers)

    def operation(self, op: Any, ptr: str) -> Any:
        if not isinstance(op, dict):
            method = ptr.rsplit("/", 1)[-1].upper()
            self.note(ptr, f"operation {method} that is {describe_type(op)}", "no such operation (skipped)")
            return op
        return self._fields(op, ptr, {
            "parameters": self.parameters, "requestBody": self.request_body, "responses": self.responses,
            "security": self.security, "callbacks": self.callbacks,
        })

    # -- parameters -------------------------------------------------------------------------------
    def parameters(self, params: Any, ptr: str) -> Any:
        params = self._absent_if_null(params, ptr, "parameters", "no parameters")
        if params is _DROP:
            return params
        self.need(params, list, ptr, "parameters")
        out = _Copy(params)
        for i, p in enumerate(params):
            new = self.parameter(p, join(ptr, i))
            if new is not p:
                out.set(i, new)
        return out.value

    def parameter(self, p: Any, ptr: str) -> Any:
        """A parameter that cannot be told apart (no name, no place) is left where it is: the
        comparison skips it, so the other parameters keep their places."""
        if not isinstance(p, dict):
            self.note(ptr, f"a parameter that is {describe_type(p)}", "no parameter (skipped)")
            return p
        if "$ref" in p:
            return p
        where = p.get("in")
        if not isinstance(p.get("name"), str) or not isinstance(where, str):
            self.note(ptr, "a parameter without a string `name` and `in`", "no parameter (skipped)")
            return p
        if where not in PARAMETER_LOCATIONS:
            if where.lower() in PARAMETER_LOCATIONS:
                self.note(join(ptr, "in"), f"`in: {where}`", f"`in: {where.lower()}`")
                p = {**p, "in": where.lower()}
            else:
                self.note(join(ptr, "in"), f"`in: {where}` (not query, header, path or cookie)",
                          "no parameter (skipped)")
                return p
        return self._fields(p, ptr, {"required": self.boolean, "schema": self.schema, "content": self.content})

    def boolean(self, value: Any, ptr: str) -> Any:
        if isinstance(value, bool) or value is None:
            return value
        if isinstance(value, str) and value.strip().lower() in ("true", "false"):
            self.note(ptr, f"`{ptr.rsplit('/', 1)[-1]}: \"{value}\"` (a string)", value.strip().lower())
            return value.strip().lower() == "true"
        return value

    # -- bodies, responses, headers ----------------------------------------------------------------
    def request_body(self, body: Any, ptr: str) -> Any:
        body = self._absent_if_null(body, ptr, "requestBody", "no request body")
        if body is _DROP:
            return body
        self.need(body, dict, ptr, "requestBody")
        if "$ref" in body:
            return body
        return self._fields(body, ptr, {"required": self.boolean, "content": self.content})

    def responses(self, responses: Any, ptr: str) -> Any:
        if responses is None or responses == {}:
            self.note(ptr, "an empty `responses`", "no documented responses")
            return {}
        return self._entries(responses, ptr, "responses", lambda status, resp, rptr: resp if str(status).startswith(
            "x-") else self.response(resp, rptr, str(status)))

    def response(self, resp: Any, ptr: str, status: str) -> Any:
        if isinstance(resp, str) or resp is None:
            text = resp or ""
            self.note(ptr, f"response {status} that is {describe_type(resp)}",
                      f"a response described {text!r} with no content" if text else "a response with no content")
            return {"description": text}
        self.need(resp, dict, ptr, f"response {status}")
        if "$ref" in resp:
            return resp
        if not isinstance(resp.get("description"), str):
            self.note(ptr, f"response {status} without a description", "an empty description")
        return self._fields(resp, ptr, {"content": self.content, "headers": self.headers})

    def content(self, content: Any, ptr: str) -> Any:
        return self._optional_entries(content, ptr, "content", "no content", self.media_type)

    def media_type(self, media: Any, mt: Any, ptr: str) -> Any:
        if mt is None:
            self.note(ptr, f"media type {media} left empty (null)", "a media type with no schema")
            return {}
        self.need(mt, dict, ptr, f"media type {media}")
        return self._fields(mt, ptr, {"schema": self.schema, "itemSchema": self.schema})

    def headers(self, headers: Any, ptr: str) -> Any:
        return self._optional_entries(headers, ptr, "headers", "no headers", self.header)

    def header(self, name: Any, header: Any, ptr: str) -> Any:
        if header is None:
            self.note(ptr, f"header {name} left empty (null)", "a header with no schema")
            return {}
        self.need(header, dict, ptr, f"header {name}")
        if "$ref" in header:
            return header
        if "schema" not in header and "content" not in header:  # OpenAPI: one of them MUST be there
            self.note(ptr, f"header {name} without a schema or content (Swagger 2.0: without a type)",
                      "a header of any value")
        return self._fields(header, ptr, {"required": self.boolean, "schema": self.schema, "content": self.content})

    def schema(self, value: Any, ptr: str) -> Any:
        """The `schema` of a parameter, header or media type: a mapping (or a boolean in 3.1)."""
        if value is None:
            self.note(ptr, "`schema:` left empty (null)", "no schema (any value)")
            return _DROP
        if not isinstance(value, (dict, bool)):
            self.fail(ptr, f"a schema must be a mapping or a boolean, not {describe_type(value)}")
        return value

    # -- security, callbacks, components -----------------------------------------------------------
    def security(self, value: Any, ptr: str) -> Any:
        if value is None:
            inherited = "the document's security" if "/paths/" in ptr or "/webhooks/" in ptr else "no security"
            self.note(ptr, "`security:` left empty (null)", inherited)
            return _DROP
        self.need(value, list, ptr, "security")
        for i, req in enumerate(value):
            if not isinstance(req, dict):
                self.note(join(ptr, i), f"a security requirement that is {describe_type(req)}",
                          "no requirement (skipped)")
        return value

    def callbacks(self, value: Any, ptr: str) -> Any:
        return self._optional_entries(value, ptr, "callbacks", "no callbacks", self.callback)

    def callback(self, name: Any, callback: Any, ptr: str) -> Any:
        if not isinstance(callback, dict):
            self.note(ptr, f"callback {name} that is {describe_type(callback)}", "no callback")
            return callback
        return callback if "$ref" in callback else self.paths(callback, ptr, templated=False)

    def components(self, value: Any, ptr: str) -> Any:
        return self._optional_entries(value, ptr, "components", "no components", self.section)

    def section(self, section: Any, entries: Any, ptr: str) -> Any:
        if entries is None:
            self.note(ptr, f"`components.{section}:` left empty (null)", "none")
            return entries
        self.need(entries, dict, ptr, f"components.{section}")
        readers: dict[str, EntryReader] = {"responses": lambda name, r, p: self.response(r, p, str(name)),
                   "parameters": lambda name, p, pp: self.parameter(p, pp),
                   "requestBodies": lambda name, b, p: self.request_body(b, p)}
        return self._entries(entries, ptr, f"components.{section}", readers[section]) if section in readers \
            else entries

    # -- mappings of named things ---------------------------------------------------------------------
    def _optional_entries(self, value: Any, ptr: str, what: str, read_as: str, read: EntryReader) -> Any:
        """A mapping of named things that may be left empty (`headers:` with nothing: none)."""
        value = self._absent_if_null(value, ptr, what, read_as)
        return value if value is _DROP else self._entries(value, ptr, what, read)

    def _entries(self, value: Any, ptr: str, what: str, read: EntryReader) -> Any:
        """`read(name, entry, pointer)` over a mapping's entries, copying it only if one changes."""
        self.need(value, dict, ptr, what)
        out = _Copy(value)
        for name, entry in value.items():
            new = read(name, entry, join(ptr, name))
            if new is not entry:
                out.set(name, new)
        return out.value


def read_skeleton(doc: dict[str, Any], source: str, irregular: Irregularities) -> dict[str, Any]:
    """`doc` as read: the same object when regular, else a copy of only the places read otherwise."""
    return SkeletonReader(source, irregular).document(doc)


def check_shape(doc: dict[str, Any], source: str) -> None:
    """Refuse a document whose skeleton cannot be read at all (for commands that read the raw
    document defensively, like `conform`)."""
    read_skeleton(doc, source, Irregularities())
