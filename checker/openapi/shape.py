"""Refuse an OpenAPI document whose skeleton has the wrong shape, naming the place, before any
diffing: a clear one-line error beats a half-compared document."""

from __future__ import annotations

from ..errors import InputError
from ..jsontypes import describe_type
from ..pointers import HTTP_METHODS, join

PARAMETER_LOCATIONS = ("query", "header", "path", "cookie", "body", "formData")


class ShapeChecker:
    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, pointer: str, message: str) -> None:
        raise InputError(self.source, message, pointer)

    def need(self, value, kind: type, pointer: str, what: str) -> None:
        if not isinstance(value, kind):
            noun = "a mapping" if kind is dict else "a list"
            self.fail(pointer, f"{what} must be {noun}, not {describe_type(value)}")

    def document(self, doc: dict) -> None:
        for key in ("openapi", "swagger"):
            if key in doc and not isinstance(doc[key], str):
                self.fail(f"#/{key}", f"{key} must be a string (quote it: '3.1.0'), not {describe_type(doc[key])}")
        if "info" in doc:
            self.need(doc["info"], dict, "#/info", "info")
        for field in ("paths", "webhooks"):
            if doc.get(field) is None:
                continue
            self.need(doc[field], dict, f"#/{field}", field)
            for path, item in doc[field].items():
                item_ptr = join(f"#/{field}", path)
                self.need(item, dict, item_ptr, "a path item")
                self.path_item(item, item_ptr)
        components = doc.get("components")
        if components is not None:
            self.need(components, dict, "#/components", "components")
            for section, value in components.items():
                if value is not None:
                    self.need(value, dict, join("#/components", section), f"components.{section}")

    def path_item(self, item: dict, item_ptr: str) -> None:
        if "$ref" in item:
            return
        if "parameters" in item:
            self.parameters(item["parameters"], join(item_ptr, "parameters"))
        for method in HTTP_METHODS:
            if method in item:
                self.operation(item[method], join(item_ptr, method), method)

    def operation(self, op, op_ptr: str, method: str) -> None:
        self.need(op, dict, op_ptr, f"operation {method.upper()}")
        if "parameters" in op:
            self.parameters(op["parameters"], join(op_ptr, "parameters"))
        if op.get("requestBody") is not None:
            self.need(op["requestBody"], dict, join(op_ptr, "requestBody"), "requestBody")
            self.content(op["requestBody"], join(op_ptr, "requestBody"))
        if "responses" in op:
            self.need(op["responses"], dict, join(op_ptr, "responses"), "responses")
            for status, resp in op["responses"].items():
                rptr = join(op_ptr, "responses", status)
                self.need(resp, dict, rptr, f"response {status}")
                self.content(resp, rptr)
                if resp.get("headers") is not None:
                    self.need(resp["headers"], dict, join(rptr, "headers"), "headers")
                    for name, header in resp["headers"].items():
                        hptr = join(rptr, "headers", name)
                        self.need(header, dict, hptr, f"header {name}")
                        self.schema(header, hptr)
                        self.content(header, hptr)
        if op.get("security") is not None:
            self.need(op["security"], list, join(op_ptr, "security"), "security")
        if op.get("callbacks") is not None:
            self.need(op["callbacks"], dict, join(op_ptr, "callbacks"), "callbacks")

    def parameters(self, params, ptr: str) -> None:
        self.need(params, list, ptr, "parameters")
        for i, p in enumerate(params):
            pptr = join(ptr, i)
            self.need(p, dict, pptr, "a parameter")
            if "$ref" not in p and (not isinstance(p.get("name"), str) or p.get("in") not in PARAMETER_LOCATIONS):
                self.fail(pptr, "a parameter needs a string `name` and `in` (query, header, path or cookie)")
            self.schema(p, pptr)
            self.content(p, pptr)

    def content(self, holder: dict, ptr: str) -> None:
        if "$ref" in holder or holder.get("content") is None:
            return
        self.need(holder["content"], dict, join(ptr, "content"), "content")
        for media, mt in holder["content"].items():
            self.need(mt, dict, join(ptr, "content", media), f"media type {media}")
            self.schema(mt, join(ptr, "content", media))

    def schema(self, holder: dict, ptr: str) -> None:
        """The `schema` of a parameter, header or media type: a mapping (or a boolean in 3.1)."""
        if "$ref" in holder or "schema" not in holder or holder["schema"] is None:
            return
        value = holder["schema"]
        if not isinstance(value, (dict, bool)):
            self.fail(join(ptr, "schema"), f"a schema must be a mapping or a boolean, not {describe_type(value)}")


def check_shape(doc: dict, source: str) -> None:
    ShapeChecker(source).document(doc)
