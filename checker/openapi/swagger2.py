"""Swagger 2.0 -> OpenAPI 3.0, in memory, so that the differ (and `conform`) see one shape.

- `in: body` parameters -> `requestBody` (one media type per `consumes`, default
  `application/json`); `in: formData` -> a `multipart/form-data` or
  `application/x-www-form-urlencoded` body whose schema is an object of the form fields.
- other parameters: their `type`/`format`/`items`/`enum`/bounds move into `schema`;
  `collectionFormat` becomes `style`/`explode` (csv, the 2.0 default, is `explode: false`).
- responses: `schema` -> `content` (one media type per `produces`), `examples` -> `example`,
  header `type`... -> header `schema`.
- `definitions` -> `components/schemas`, `parameters` -> inlined where used, `responses` ->
  `components/responses`, `securityDefinitions` -> `components/securitySchemes`; `$ref`s are
  rewritten (`#/definitions/X` -> `#/components/schemas/X`).
- schemas: `x-nullable: true` -> `nullable: true`, `type: file` -> `type: string, format: binary`,
  a string `discriminator` -> `{propertyName: ...}`.
- `host`, `basePath`, `schemes` -> `servers`.

The converter records where each converted place came from (`Origins`), so that reports name places
in the file itself: `#/definitions/X`, `#/parameters/Limit`, the body parameter of an operation
(`#/paths/~1pets/post/parameters/0/schema`), a response's `schema` and header fields.
"""

from __future__ import annotations

from typing import Any

from ..jsontypes import mappings
from ..pointers import join

DEFAULT_MEDIA = "application/json"
FORM_MEDIA = ("multipart/form-data", "application/x-www-form-urlencoded")
METHODS = ("get", "put", "post", "delete", "options", "head", "patch")
SCHEMA_FIELDS = ("type", "format", "items", "collectionFormat", "default", "maximum", "exclusiveMaximum",
                 "minimum", "exclusiveMinimum", "maxLength", "minLength", "pattern", "maxItems", "minItems",
                 "uniqueItems", "enum", "multipleOf")
_REFS = (("#/definitions/", "#/components/schemas/"), ("#/responses/", "#/components/responses/"),
         ("#/parameters/", "#/components/parameters/"))


def is_swagger2(data: object) -> bool:
    return isinstance(data, dict) and str(data.get("swagger", "")).startswith("2")


class Origins:
    """Converted place -> the place in the Swagger 2.0 file it was made from, by pointer prefix."""

    def __init__(self) -> None:
        self._from: dict[str, str] = {}

    def add(self, converted: str, original: str) -> None:
        if converted != original:
            self._from[converted] = original

    def place(self, pointer: str) -> str:
        """The file's own pointer for a pointer into the converted document."""
        head = pointer
        while head:
            original = self._from.get(head)
            if original is not None:
                return original + pointer[len(head):]
            cut = head.rfind("/")
            if cut <= 1:
                break
            head = head[:cut]
        return pointer


def convert(doc: dict[str, Any]) -> dict[str, Any]:
    """An OpenAPI 3.0.3 document equivalent to the Swagger 2.0 `doc`."""
    return convert_with_origins(doc)[0]


def convert_with_origins(doc: dict[str, Any]) -> tuple[dict[str, Any], Origins]:
    """An OpenAPI 3.0.3 document equivalent to the Swagger 2.0 `doc`, and where its places come
    from. Schemas, operations and parameters are new objects; values kept as they are (`info`,
    `tags`, `x-*`, examples) are shared."""
    origins = Origins()
    out: dict[str, Any] = {"openapi": "3.0.3"}
    for key in ("info", "tags", "externalDocs", "security"):
        if key in doc:
            out[key] = doc[key]
    servers = _servers(doc)
    if servers:
        out["servers"] = servers
    for key, value in doc.items():
        if isinstance(key, str) and key.startswith("x-"):
            out[key] = value
    consumes = _list(doc.get("consumes")) or [DEFAULT_MEDIA]
    produces = _list(doc.get("produces")) or [DEFAULT_MEDIA]
    shared = doc.get("parameters")
    shared_params: dict[str, Any] = shared if isinstance(shared, dict) else {}
    conv = _Converter(shared_params, consumes, produces, origins)

    paths = doc.get("paths")
    if isinstance(paths, dict):
        out["paths"] = {}
        for path, item in paths.items():
            ptr = join("#/paths", path)
            out["paths"][path] = conv.path_item(item, ptr) if isinstance(item, dict) else item
    elif "paths" in doc:
        out["paths"] = paths

    components: dict[str, Any] = {}
    if isinstance(doc.get("definitions"), dict):
        components["schemas"] = {k: schema(v) for k, v in doc["definitions"].items()}
        origins.add("#/components/schemas", "#/definitions")
    if isinstance(doc.get("responses"), dict):
        components["responses"] = {k: conv.response(v, produces, join("#/components/responses", k),
                                                    join("#/responses", k)) for k, v in doc["responses"].items()}
        origins.add("#/components/responses", "#/responses")
    plain = {k: conv.parameter(p) for k, p in shared_params.items()
             if isinstance(p, dict) and p.get("in") not in ("body", "formData")}
    for k in plain:
        origins.add(join("#/components/parameters", k), join("#/parameters", k))
        origins.add(join("#/components/parameters", k, "schema"), join("#/parameters", k))
    if plain:
        components["parameters"] = plain
    if isinstance(doc.get("securityDefinitions"), dict):
        components["securitySchemes"] = {k: security_scheme(v) for k, v in doc["securityDefinitions"].items()}
        origins.add("#/components/securitySchemes", "#/securityDefinitions")
        for k, v in doc["securityDefinitions"].items():
            _security_origins(k, v, origins)
    if components:
        out["components"] = components
    return _rewrite_refs(out), origins


def _security_origins(name: str, s: object, origins: Origins) -> None:
    """2.0 keeps a scheme's fields flat: `flow`, `tokenUrl` and `scopes` sit on the scheme itself."""
    ptr, orig = join("#/components/securitySchemes", name), join("#/securityDefinitions", name)
    if not isinstance(s, dict):
        return
    if s.get("type") == "basic":
        origins.add(join(ptr, "scheme"), join(orig, "type"))
    if s.get("type") == "oauth2":
        origins.add(join(ptr, "flows"), join(orig, "flow"))
        converted = security_scheme(s)
        for flow in converted.get("flows", {}):
            origins.add(join(ptr, "flows", flow), orig)


def _list(value: object) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _servers(doc: dict[str, Any]) -> list[dict[str, Any]]:
    host, base = doc.get("host"), doc.get("basePath")
    if not isinstance(host, str) and not isinstance(base, str):
        return []
    base = base if isinstance(base, str) else ""
    if not isinstance(host, str):
        return [{"url": base or "/"}]
    schemes = _list(doc.get("schemes")) or ["https"]
    return [{"url": f"{scheme}://{host}{base}"} for scheme in schemes]


def schema(s: Any) -> Any:
    if isinstance(s, list):
        return [schema(v) for v in s]
    if not isinstance(s, dict):
        return s
    out: dict[str, Any] = {}
    for key, value in s.items():
        if key == "x-nullable":
            if value is True:
                out["nullable"] = True
            continue
        if key in ("properties", "patternProperties") and isinstance(value, dict):
            out[key] = {k: schema(v) for k, v in value.items()}
        elif key in ("items", "additionalProperties", "not", "allOf", "anyOf", "oneOf"):
            out[key] = schema(value)
        elif key == "discriminator" and isinstance(value, str):
            out[key] = {"propertyName": value}
        else:
            out[key] = value
    if out.get("type") == "file":
        out["type"] = "string"
        out["format"] = "binary"
    return out


def _param_schema(p: dict[str, Any]) -> dict[str, Any]:
    s = {k: p[k] for k in SCHEMA_FIELDS if k in p and k != "collectionFormat"}
    if isinstance(s.get("items"), dict):
        s["items"] = _param_schema(s["items"]) if "$ref" not in s["items"] else s["items"]
    for key, value in p.items():
        if key == "x-nullable" and value is True:
            s["nullable"] = True
    converted: dict[str, Any] = schema(s)
    return converted


def _style(p: dict[str, Any]) -> dict[str, Any]:
    if p.get("type") != "array":
        return {}
    fmt = p.get("collectionFormat", "csv")
    where = p.get("in")
    if fmt == "multi":
        return {"style": "form", "explode": True}
    if fmt == "csv":
        return {"style": "form", "explode": False} if where in ("query", "cookie") else {"style": "simple"}
    if fmt == "ssv":
        return {"style": "spaceDelimited", "explode": False}
    if fmt == "pipes":
        return {"style": "pipeDelimited", "explode": False}
    return {}  # tsv has no 3.0 equivalent


def security_scheme(s: Any) -> Any:
    if not isinstance(s, dict):
        return s
    kind = s.get("type")
    extras = {k: v for k, v in s.items() if k == "description" or (isinstance(k, str) and k.startswith("x-"))}
    if kind == "basic":
        return {"type": "http", "scheme": "basic", **extras}
    if kind == "apiKey":
        return {"type": "apiKey", "name": s.get("name"), "in": s.get("in"), **extras}
    if kind == "oauth2":
        flow = {"implicit": "implicit", "password": "password", "application": "clientCredentials",
                "accessCode": "authorizationCode"}.get(str(s.get("flow")), s.get("flow"))
        body: dict[str, Any] = {"scopes": s.get("scopes") or {}}
        if "authorizationUrl" in s and flow in ("implicit", "authorizationCode"):
            body["authorizationUrl"] = s["authorizationUrl"]
        if "tokenUrl" in s and flow in ("password", "clientCredentials", "authorizationCode"):
            body["tokenUrl"] = s["tokenUrl"]
        return {"type": "oauth2", "flows": {str(flow): body}, **extras}
    return s


class _Converter:
    def __init__(self, shared: dict[str, Any], consumes: list[str], produces: list[str], origins: Origins) -> None:
        self.shared = shared
        self.consumes = consumes
        self.produces = produces
        self.origins = origins

    def _deref_param(self, p: Any, ptr: str) -> tuple[Any, str]:
        """A parameter and the place it is written (`#/parameters/Name` when it is a `$ref`)."""
        for _ in range(16):
            if not (isinstance(p, dict) and isinstance(p.get("$ref"), str)
                    and p["$ref"].startswith("#/parameters/")):
                return p, ptr
            name = p["$ref"][len("#/parameters/"):].replace("~1", "/").replace("~0", "~")
            if name not in self.shared:
                return p, ptr
            p, ptr = self.shared[name], join("#/parameters", name)
        return p, ptr

    def _params(self, holder: dict[str, Any], ptr: str) -> list[tuple[dict[str, Any], str]]:
        params = holder.get("parameters")
        if not isinstance(params, list):
            return []
        found = [self._deref_param(p, join(ptr, "parameters", i)) for i, p in enumerate(params)]
        return [(p, where) for p, where in found if isinstance(p, dict)]

    def _plain(self, params: list[tuple[dict[str, Any], str]], ptr: str) -> list[dict[str, Any]]:
        """The non-body parameters, converted, each converted place traced to its own."""
        out: list[dict[str, Any]] = []
        for p, where in params:
            if p.get("in") in ("body", "formData"):
                continue
            converted = join(ptr, "parameters", len(out))
            self.origins.add(converted, where)
            self.origins.add(join(converted, "schema"), where)  # 2.0 keeps type, bounds on the parameter
            out.append(self.parameter(p))
        return out

    def parameter(self, p: dict[str, Any]) -> dict[str, Any]:
        kept = ("name", "in", "description", "required", "deprecated", "allowEmptyValue")
        out = {k: v for k, v in p.items() if k in kept or (isinstance(k, str) and k.startswith("x-"))}
        out.pop("x-nullable", None)
        out.update(_style(p))
        out["schema"] = _param_schema(p)
        return out

    def path_item(self, item: dict[str, Any], ptr: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        common = self._params(item, ptr)
        for key, value in item.items():
            if key in METHODS:
                out[key] = self.operation(value, common, join(ptr, key)) if isinstance(value, dict) else value
            elif key == "parameters":
                kept = self._plain(common, ptr)
                if kept:
                    out["parameters"] = kept
            elif key == "$ref" or key in ("summary", "description") or (isinstance(key, str) and key.startswith("x-")):
                out[key] = value
        return out

    def operation(self, op: dict[str, Any], common: list[tuple[dict[str, Any], str]], ptr: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        consumes = _list(op.get("consumes")) or self.consumes
        produces = _list(op.get("produces")) or self.produces
        own = self._params(op, ptr)
        own_keys = {(p.get("in"), p.get("name")) for p, _ in own}
        body_params = [(p, w) for p, w in common if (p.get("in"), p.get("name")) not in own_keys
                       and p.get("in") in ("body", "formData")] + \
            [(p, w) for p, w in own if p.get("in") in ("body", "formData")]
        for key, value in op.items():
            if key in ("consumes", "produces", "schemes"):
                continue
            if key == "parameters":
                plain = self._plain(own, ptr)
                if plain:
                    out["parameters"] = plain
            elif key == "responses" and isinstance(value, dict):
                out["responses"] = {str(code): self.response(r, produces, join(ptr, "responses", code),
                                                             join(ptr, "responses", code))
                                    for code, r in value.items()}
            else:
                out[key] = value
        body = self.request_body(body_params, consumes, ptr)
        if body is not None:
            out["requestBody"] = body
        return out

    def request_body(self, params: list[tuple[dict[str, Any], str]], consumes: list[str],
                     ptr: str) -> dict[str, Any] | None:
        at = join(ptr, "requestBody")
        found = next(((p, w) for p, w in params if p.get("in") == "body"), None)
        if found is not None:
            body, where = found
            self.origins.add(at, where)
            for m in consumes:
                self.origins.add(join(at, "content", m), where)
                self.origins.add(join(at, "content", m, "schema"), join(where, "schema"))
            out: dict[str, Any] = {"content": {m: {"schema": schema(body.get("schema", {}))} for m in consumes}}
            if body.get("description"):
                out["description"] = body["description"]
            if body.get("required"):
                out["required"] = True
            return out
        form = [(p, w) for p, w in params if p.get("in") == "formData"]
        if not form:
            return None
        media = [m for m in consumes if m.split(";")[0].strip().lower() in FORM_MEDIA]
        if not media:
            media = [FORM_MEDIA[0] if any(p.get("type") == "file" for p, _ in form) else FORM_MEDIA[1]]
        self.origins.add(at, join(ptr, "parameters"))
        props: dict[Any, Any] = {}  # keyed by the parameter names as written (a missing one: None)
        for p, where in form:
            s = _param_schema(p)
            if p.get("description"):
                s["description"] = p["description"]
            props[p.get("name")] = s
            for m in media:
                self.origins.add(join(at, "content", m, "schema", "properties", p.get("name")), where)
        obj: dict[str, Any] = {"type": "object", "properties": props}
        required = [p.get("name") for p, _ in form if p.get("required")]
        if required:
            obj["required"] = required
        out = {"content": {m: {"schema": obj} for m in media}}
        if required:
            out["required"] = True
        return out

    def response(self, r: Any, produces: list[str], ptr: str, orig: str) -> Any:
        """`ptr`: where the converted response goes; `orig`: where the 2.0 response is written."""
        if not isinstance(r, dict) or "$ref" in r:
            return r
        self.origins.add(ptr, orig)
        # A required field left out (a response's `description`, a header's `type`) stays out: the
        # skeleton reader (apicompat.openapi.shape) notes it as irregular, as for an OpenAPI 3 file.
        out: dict[str, Any] = {"description": r["description"]} if "description" in r else {}
        if isinstance(r.get("headers"), dict):
            out["headers"] = {}
            for name, h in r["headers"].items():
                if not isinstance(h, dict):
                    continue
                header = {k: v for k, v in h.items()
                          if k == "description" or (isinstance(k, str) and k.startswith("x-"))}
                value = _param_schema(h)
                if value:
                    header["schema"] = value
                out["headers"][name] = header
                self.origins.add(join(ptr, "headers", name, "schema"), join(orig, "headers", name))
        if "schema" in r:
            given = r.get("examples")
            examples = given if isinstance(given, dict) else {}
            out["content"] = {}
            for m in produces:
                mt: dict[str, Any] = {"schema": schema(r["schema"])}
                if m in examples:
                    mt["example"] = examples[m]
                out["content"][m] = mt
                self.origins.add(join(ptr, "content", m), orig)
                self.origins.add(join(ptr, "content", m, "schema"), join(orig, "schema"))
        for key, value in r.items():
            if isinstance(key, str) and key.startswith("x-"):
                out[key] = value
        return out


def _rewrite_refs(node: Any) -> Any:
    """Rewrite `$ref`s to their 3.0 homes."""
    for mapping in mappings(node):
        ref = mapping.get("$ref")
        if isinstance(ref, str):
            for old, new in _REFS:
                if ref.startswith(old):  # local refs only: another file is not converted
                    mapping["$ref"] = new + ref[len(old):]
                    break
    return node
