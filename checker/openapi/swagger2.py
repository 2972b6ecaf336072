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

Report pointers therefore refer to the converted document (`#/components/schemas/X`, not
`#/definitions/X`).
"""

from __future__ import annotations

from ..jsontypes import mappings

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


def convert(doc: dict) -> dict:
    """An OpenAPI 3.0.3 document equivalent to the Swagger 2.0 `doc`. Schemas, operations and
    parameters are new objects; values kept as they are (`info`, `tags`, `x-*`, examples) are shared."""
    out: dict = {"openapi": "3.0.3"}
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
    shared_params = doc.get("parameters") if isinstance(doc.get("parameters"), dict) else {}
    conv = _Converter(shared_params, consumes, produces)

    paths = doc.get("paths")
    if isinstance(paths, dict):
        out["paths"] = {}
        for path, item in paths.items():
            out["paths"][path] = conv.path_item(item) if isinstance(item, dict) else item

    components: dict = {}
    if isinstance(doc.get("definitions"), dict):
        components["schemas"] = {k: schema(v) for k, v in doc["definitions"].items()}
    if isinstance(doc.get("responses"), dict):
        components["responses"] = {k: conv.response(v, produces) for k, v in doc["responses"].items()}
    plain = {k: conv.parameter(p) for k, p in shared_params.items()
             if isinstance(p, dict) and p.get("in") not in ("body", "formData")}
    if plain:
        components["parameters"] = plain
    if isinstance(doc.get("securityDefinitions"), dict):
        components["securitySchemes"] = {k: security_scheme(v) for k, v in doc["securityDefinitions"].items()}
    if components:
        out["components"] = components
    return _rewrite_refs(out)


def _list(value: object) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _servers(doc: dict) -> list[dict]:
    host, base = doc.get("host"), doc.get("basePath")
    if not isinstance(host, str) and not isinstance(base, str):
        return []
    base = base if isinstance(base, str) else ""
    if not isinstance(host, str):
        return [{"url": base or "/"}]
    schemes = _list(doc.get("schemes")) or ["https"]
    return [{"url": f"{scheme}://{host}{base}"} for scheme in schemes]


def schema(s: object) -> object:
    if isinstance(s, list):
        return [schema(v) for v in s]
    if not isinstance(s, dict):
        return s
    out: dict = {}
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


def _param_schema(p: dict) -> dict:
    s = {k: p[k] for k in SCHEMA_FIELDS if k in p and k != "collectionFormat"}
    if isinstance(s.get("items"), dict):
        s["items"] = _param_schema(s["items"]) if "$ref" not in s["items"] else s["items"]
    for key, value in p.items():
        if key == "x-nullable" and value is True:
            s["nullable"] = True
    return schema(s)


def _style(p: dict) -> dict:
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


def security_scheme(s: object) -> object:
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
                "accessCode": "authorizationCode"}.get(s.get("flow"), s.get("flow"))
        body: dict = {"scopes": s.get("scopes") or {}}
        if "authorizationUrl" in s and flow in ("implicit", "authorizationCode"):
            body["authorizationUrl"] = s["authorizationUrl"]
        if "tokenUrl" in s and flow in ("password", "clientCredentials", "authorizationCode"):
            body["tokenUrl"] = s["tokenUrl"]
        return {"type": "oauth2", "flows": {str(flow): body}, **extras}
    return s


class _Converter:
    def __init__(self, shared: dict, consumes: list[str], produces: list[str]) -> None:
        self.shared = shared
        self.consumes = consumes
        self.produces = produces

    def _deref_param(self, p: object) -> object:
        for _ in range(16):
            if not (isinstance(p, dict) and isinstance(p.get("$ref"), str)
                    and p["$ref"].startswith("#/parameters/")):
                return p
            name = p["$ref"][len("#/parameters/"):].replace("~1", "/").replace("~0", "~")
            p = self.shared.get(name, p if name not in self.shared else None)
            if p is None:
                return None
        return p

    def parameter(self, p: dict) -> dict:
        out = {k: v for k, v in p.items() if k in ("name", "in", "description", "required", "deprecated",
                                                       "allowEmptyValue") or (isinstance(k, str) and k.startswith("x-"))}
        out.pop("x-nullable", None)
        out.update(_style(p))
        out["schema"] = _param_schema(p)
        return out

    def path_item(self, item: dict) -> dict:
        out: dict = {}
        common = [self._deref_param(p) for p in item.get("parameters") or []] \
            if isinstance(item.get("parameters"), list) else []
        common = [p for p in common if isinstance(p, dict)]
        for key, value in item.items():
            if key in METHODS and isinstance(value, dict):
                out[key] = self.operation(value, common)
            elif key == "parameters":
                kept = [self.parameter(p) for p in common if p.get("in") not in ("body", "formData")]
                if kept:
                    out["parameters"] = kept
            elif key == "$ref" or key in ("summary", "description") or (isinstance(key, str) and key.startswith("x-")):
                out[key] = value
        return out

    def operation(self, op: dict, common: list[dict]) -> dict:
        out: dict = {}
        consumes = _list(op.get("consumes")) or self.consumes
        produces = _list(op.get("produces")) or self.produces
        own = [self._deref_param(p) for p in op.get("parameters") or []] \
            if isinstance(op.get("parameters"), list) else []
        own = [p for p in own if isinstance(p, dict)]
        own_keys = {(p.get("in"), p.get("name")) for p in own}
        body_params = [p for p in common if (p.get("in"), p.get("name")) not in own_keys
                       and p.get("in") in ("body", "formData")] + [p for p in own if p.get("in") in ("body", "formData")]
        for key, value in op.items():
            if key in ("consumes", "produces", "schemes"):
                continue
            if key == "parameters":
                plain = [self.parameter(p) for p in own if p.get("in") not in ("body", "formData")]
                if plain:
                    out["parameters"] = plain
            elif key == "responses" and isinstance(value, dict):
                out["responses"] = {str(code): self.response(r, produces) for code, r in value.items()}
            else:
                out[key] = value
        body = self.request_body(body_params, consumes)
        if body is not None:
            out["requestBody"] = body
        return out

    def request_body(self, params: list[dict], consumes: list[str]) -> dict | None:
        body = next((p for p in params if p.get("in") == "body"), None)
        if body is not None:
            out = {"content": {m: {"schema": schema(body.get("schema", {}))} for m in consumes}}
            if body.get("description"):
                out["description"] = body["description"]
            if body.get("required"):
                out["required"] = True
            return out
        form = [p for p in params if p.get("in") == "formData"]
        if not form:
            return None
        media = [m for m in consumes if m.split(";")[0].strip().lower() in FORM_MEDIA]
        if not media:
            media = [FORM_MEDIA[0] if any(p.get("type") == "file" for p in form) else FORM_MEDIA[1]]
        props = {}
        for p in form:
            s = _param_schema(p)
            if p.get("description"):
                s["description"] = p["description"]
            props[p.get("name")] = s
        obj: dict = {"type": "object", "properties": props}
        required = [p.get("name") for p in form if p.get("required")]
        if required:
            obj["required"] = required
        out = {"content": {m: {"schema": obj} for m in media}}
        if required:
            out["required"] = True
        return out

    def response(self, r: object, produces: list[str]) -> object:
        if not isinstance(r, dict) or "$ref" in r:
            return r
        out: dict = {"description": r.get("description", "")}
        if isinstance(r.get("headers"), dict):
            out["headers"] = {}
            for name, h in r["headers"].items():
                if not isinstance(h, dict):
                    continue
                header = {k: v for k, v in h.items() if k == "description" or (isinstance(k, str) and k.startswith("x-"))}
                header["schema"] = _param_schema(h)
                out["headers"][name] = header
        if "schema" in r:
            examples = r.get("examples") if isinstance(r.get("examples"), dict) else {}
            out["content"] = {}
            for m in produces:
                mt: dict = {"schema": schema(r["schema"])}
                if m in examples:
                    mt["example"] = examples[m]
                out["content"][m] = mt
        for key, value in r.items():
            if isinstance(key, str) and key.startswith("x-"):
                out[key] = value
        return out


def _rewrite_refs(node: object) -> object:
    """Rewrite `$ref`s to their 3.0 homes."""
    for mapping in mappings(node):
        ref = mapping.get("$ref")
        if isinstance(ref, str):
            for old, new in _REFS:
                if ref.startswith(old):  # local refs only: another file is not converted
                    mapping["$ref"] = new + ref[len(old):]
                    break
    return node
