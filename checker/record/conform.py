"""`apicompat conform`: do the recorded responses match what the spec documents?

Each snapshot (written by `apicompat record`) is matched to an operation of the spec by method and
concrete path (`servers` base paths stripped, literal templates before parameterised ones, see
apicompat.openapi.match), then to a response by status (`200`, `2XX`, `default`) and media type, and
its body (or each stream event's data) is validated with jsonschema against that response's schema:

- 3.1 documents are validated as JSON Schema 2020-12; 3.0 documents are converted first
  (apicompat.openapi.schema30: `nullable`, boolean exclusive bounds, `example`).
- `$ref`s resolve through a `referencing.Registry` holding only the spec: nothing is fetched.
- WebSocket sessions (`websocket: true`): each event against the member of the spec's server event
  catalogue (OpenAPI) or channel (AsyncAPI) its `type` names; see ws_conform.py.
- `text/event-stream` responses: the event schema is the media type's `itemSchema` (its
  `data.contentSchema` when it describes the whole SSE event) or `schema`; when it is a union whose
  members are told apart by `type` (`const` or `enum`), each event is validated against its member.

Findings: a validation error is breaking (`conform-schema-violation`), a property the schema does
not list is additive (`conform-undocumented-property`), an event type the union lacks is additive
(`conform-undocumented-event-type`), and a recording the spec cannot describe (operation, status,
media type) is a warning. Pointers refer to the spec (the converted document for 3.0, which keeps
the original structure wherever `nullable` sits beside a `type`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from urllib.parse import quote, unquote, urlsplit

from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match
from referencing import Registry
from referencing.exceptions import Unresolvable
from referencing.jsonschema import DRAFT202012

from ..asyncapi.read import read_api
from ..collect import Collector
from ..errors import InputError
from ..kinds import is_asyncapi
from ..load import Document
from ..model import Report
from ..openapi.compare import EVENT_STREAM
from ..openapi.match import base_paths, match_template, spec_operations
from ..openapi.media import media_key
from ..openapi.schema30 import convert_document
from ..openapi.swagger2 import convert as swagger2_convert
from ..patterns import engine, safe_validator_for
from ..pointers import join
from ..pointers import resolve as resolve_pointer
from ..schema import Normaliser
from ..schema.refs import Resolver
from .store import load_snapshot, refuse_pending
from .websocket import is_session
from .ws_conform import MAX_FINDINGS, asyncapi_flow, check_session, openapi_catalogue, server_paths, session_path

SPEC_URI = "urn:apicompat:spec"
MAX_DEPTH = 200
_SUMMARY_KEYS = {"description", "title", "examples", "default", "discriminator", "deprecated", "readOnly",
                 "writeOnly", "externalDocs", "xml", "x-oaiMeta", "x-stainless-const"}


def _where(path) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else f".{p}"
    return out


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


class Conformer:
    def __init__(self, spec: Document) -> None:
        data = spec.data
        if not isinstance(data, dict) or "openapi" not in data:
            if isinstance(data, dict) and "swagger" in data:
                data = swagger2_convert(data)
            else:
                raise InputError(spec.source, "is not an OpenAPI document (no 'openapi' key)")
        self.source = spec.source
        self.version = str(data.get("openapi"))
        self.is30 = self.version.startswith("3.0")
        self.doc = convert_document(data) if self.is30 else data
        self.registry = Registry().with_resource(SPEC_URI, DRAFT202012.create_resource(self.doc))
        self.operations = spec_operations(self.doc)
        self.bases = base_paths(self.doc)
        self._validators: dict[str, Draft202012Validator] = {}
        self.out = Collector()
        self.checked = 0
        self.case_count = 0

    # -- the spec ----------------------------------------------------------------------------------
    def resolve(self, pointer: str) -> object:
        return resolve_pointer(self.doc, pointer)

    def deref(self, node: object, pointer: str) -> tuple[object, str]:
        for _ in range(64):
            if not (isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#")):
                return node, pointer
            pointer = unquote(node["$ref"])
            node = self.resolve(pointer)
        return node, pointer

    def validator(self, pointer: str) -> Draft202012Validator:
        v = self._validators.get(pointer)
        if v is None:
            self._check_schema(pointer)
            ref = SPEC_URI + "#" + quote(pointer[1:], safe="/~")
            v = safe_validator_for({"$ref": ref}, registry=self.registry, check_formats=True)
            self._validators[pointer] = v
        return v

    def _check_schema(self, pointer: str) -> None:
        """A malformed schema is the spec's fault: one clear line, never a crash mid-validation."""
        schema = self.resolve(pointer)
        error = next(iter(Draft202012Validator(Draft202012Validator.META_SCHEMA).iter_errors(schema)), None)
        if error is not None:
            where = join(pointer, *error.absolute_path)
            raise InputError(self.source, f"malformed schema: {error.message}", where)

    def errors(self, instance: object, pointer: str) -> list:
        try:
            return list(self.validator(pointer).iter_errors(instance))
        except Unresolvable as exc:
            raise InputError(self.source, f"cannot resolve $ref {getattr(exc, 'ref', exc)!s} (only references "
                             "inside the spec are followed)", pointer) from None
        except (AttributeError, TypeError, ValueError) as exc:  # a malformed schema behind a $ref
            raise InputError(self.source, f"malformed schema reached from here: {exc}", pointer) from None

    def is_valid(self, instance: object, pointer: str) -> bool:
        return not self.errors(instance, pointer)

    def spec_pointer(self, start: str, path) -> str:
        """The place in the spec a jsonschema schema path (from `start`) names, `$ref`s followed."""
        node, ptr = self.resolve(start), start
        for seg in path:  # jsonschema leaves `$ref` out of schema paths: follow one where the path goes on
            if isinstance(node, dict) and str(seg) not in node:
                node, ptr = self.deref(node, ptr)
            if isinstance(node, dict) and str(seg) in node:
                node, ptr = node[str(seg)], join(ptr, seg)
            elif isinstance(node, list) and isinstance(seg, int) and 0 <= seg < len(node):
                node, ptr = node[seg], join(ptr, seg)
            else:
                break
        return ptr

    def session_target(self, path: str, types: list[str]) -> tuple[str, dict, str] | None:
        """Where a WebSocket session's events are documented (ws_conform.check_session asks)."""
        return openapi_catalogue(self, path, types)

    # -- one snapshot ------------------------------------------------------------------------------
    def check(self, case: str, snap: dict) -> None:
        self.case_count += 1
        if is_session(snap):  # a WebSocket session: against the spec's event catalogue
            return check_session(self, case, snap)
        request = snap.get("request")
        if not isinstance(request, dict):
            request = {}
        method = str(request.get("method") or "GET").upper()
        target = str(request.get("path") or "/")
        try:
            path = urlsplit(target).path or "/"
        except ValueError:
            path = target
        samples = [s for s in snap.get("samples") or [] if isinstance(s, dict)]
        found = match_template(method, path, self.operations, self.bases)
        if found is None:
            self.out.add("conform-undocumented-operation", join("#/paths", path, method.lower()),
                         f"{method} {path}", subject=f"{method} {path} (case {case})")
            return
        op_method, template = found
        op_name = f"{op_method} {template}"
        item, item_ptr = self.deref(self.resolve(join("#/paths", template)), join("#/paths", template))
        op = item.get(op_method.lower()) if isinstance(item, dict) else None
        op_ptr = join(item_ptr, op_method.lower())
        responses = op.get("responses") if isinstance(op, dict) else None
        responses = responses if isinstance(responses, dict) else {}
        budget = {"violation": MAX_FINDINGS, "undocumented": MAX_FINDINGS}
        for sample in samples:
            self.checked += 1
            self._sample(case, sample, bool(snap.get("stream")), op_name, op_ptr, responses, budget)

    def _sample(self, case: str, sample: dict, stream: bool, op_name: str, op_ptr: str, responses: dict,
                budget: dict) -> None:
        status = str(sample.get("status", ""))
        keys = {str(k).upper(): k for k in responses}
        key = next((keys[k] for k in (status, f"{status[:1]}XX", "DEFAULT") if k in keys), None)
        if key is None:
            self.out.add("conform-undocumented-status", join(op_ptr, "responses", status), op_name,
                         subject=status)
            return
        resp, resp_ptr = self.deref(responses[key], join(op_ptr, "responses", key))
        events = sample.get("events") if stream else None
        body = sample.get("body")
        if not stream and body is None:
            return  # no body (204, HEAD): nothing to validate
        headers = sample.get("headers")
        if not isinstance(headers, dict):
            headers = {}
        media = media_key(str(headers.get("content-type") or (EVENT_STREAM if stream else "application/json")))
        content = resp.get("content") if isinstance(resp, dict) else None
        content = content if isinstance(content, dict) else {}
        by_key = {media_key(str(m)): m for m in content}
        chosen = next((by_key[m] for m in (media, media.split("/")[0] + "/*", "*/*") if m in by_key), None)
        if chosen is None:
            self.out.add("conform-undocumented-media-type", join(resp_ptr, "content", media), op_name,
                         subject=media)
            return
        mt, mt_ptr = content[chosen], join(resp_ptr, "content", chosen)
        if not isinstance(mt, dict):
            return
        if stream:
            self._events(case, events or [], mt, mt_ptr, op_name, budget)
        elif "schema" in mt and (media.endswith("json") or not isinstance(body, str)):
            self._value(case, body, join(mt_ptr, "schema"), op_name, "body", budget)

    def _events(self, case: str, events: list, mt: dict, mt_ptr: str, op_name: str, budget: dict) -> None:
        if "itemSchema" in mt:
            ptr = join(mt_ptr, "itemSchema")
            node, dptr = self.deref(mt["itemSchema"], ptr)
            data = (node.get("properties") or {}).get("data") if isinstance(node, dict) else None
            if isinstance(data, dict) and "contentSchema" in data:
                ptr = join(dptr, "properties", "data", "contentSchema")
        elif "schema" in mt:
            ptr = join(mt_ptr, "schema")
        else:
            return
        members, union_ptr = self._event_members(ptr)
        for i, e in enumerate(events):
            if not isinstance(e, dict):
                continue
            data = e.get("data")
            if not isinstance(data, (dict, list)):
                continue  # a sentinel such as [DONE], or an empty event
            name = data.get("type") if isinstance(data, dict) else None
            where = f"event {name or e.get('event') or i}"
            if members and isinstance(name, str):
                if name not in members:
                    self.out.add("conform-undocumented-event-type", join(union_ptr, name), op_name,
                                 subject=f"{case}: event type '{name}'")
                    continue
                self._value(case, data, members[name], op_name, where + " data", budget)
            else:
                self._value(case, data, ptr, op_name, where + " data", budget)

    def _event_members(self, ptr: str) -> tuple[dict[str, str], str]:
        """Event type -> member pointer, when the event schema is a union told apart by `type`."""
        node, nptr = self.deref(self.resolve(ptr), ptr)
        members: dict[str, str] = {}

        def collect(node: object, nptr: str, depth: int) -> None:
            node, nptr = self.deref(node, nptr)
            if not isinstance(node, dict) or depth > 8:
                return
            for union in ("anyOf", "oneOf"):
                for i, m in enumerate(node.get(union) or []):
                    mptr = join(nptr, union, i)
                    target, tptr = self.deref(m, mptr)
                    if isinstance(target, dict) and any(k in target for k in ("anyOf", "oneOf")) \
                            and "properties" not in target:
                        collect(target, tptr, depth + 1)
                        continue
                    prop = ((target.get("properties") or {}).get("type") if isinstance(target, dict) else None)
                    prop, _ = self.deref(prop, "")
                    names = []
                    if isinstance(prop, dict):
                        if isinstance(prop.get("const"), str):
                            names = [prop["const"]]
                        elif isinstance(prop.get("enum"), list):
                            names = [v for v in prop["enum"] if isinstance(v, str)]
                    for n in names:
                        members.setdefault(n, mptr)

        collect(node, nptr, 0)
        return members, nptr

    # -- one value against one schema ----------------------------------------------------------------
    def _value(self, case: str, value: object, ptr: str, op_name: str, what: str, budget: dict) -> None:
        errors = self.errors(value, ptr)
        for error in errors:
            # the null branch of a nullable union says least about what went wrong
            context = [e for e in error.context if e.schema != {"type": "null"}] or error.context
            deep = best_match(context) if context else None
            shown = deep if deep is not None else error
            if budget["violation"] <= 0:
                break
            budget["violation"] -= 1
            pointer = self.spec_pointer(ptr, list(shown.absolute_schema_path))
            self.out.add("conform-schema-violation", pointer, op_name,
                         subject=f"{case}: {what}{_where(shown.absolute_path)}", detail=_short(shown.message))
        for pointer, where in self._undocumented(value, ptr, [], 0):
            if budget["undocumented"] <= 0:
                break
            budget["undocumented"] -= 1
            self.out.add("conform-undocumented-property", pointer, op_name, subject=f"{case}: {what}{where}")

    def _views(self, value: object, node: object, ptr: str, depth: int = 0) -> Iterator[tuple[dict, str]]:
        """The schemas that apply to `value` at this place: itself, its allOf members, and the
        anyOf/oneOf members `value` is valid against."""
        node, ptr = self.deref(node, ptr)
        if not isinstance(node, dict) or depth > 16:
            return
        yield node, ptr
        for i, m in enumerate(node.get("allOf") or []):
            yield from self._views(value, m, join(ptr, "allOf", i), depth + 1)
        for union in ("anyOf", "oneOf"):
            for i, m in enumerate(node.get(union) or []):
                mptr = join(ptr, union, i)
                if self.is_valid(value, mptr):
                    yield from self._views(value, m, mptr, depth + 1)

    def _undocumented(self, value: object, ptr: str, path: list, depth: int) -> Iterator[tuple[str, str]]:
        if depth > MAX_DEPTH or not isinstance(value, (dict, list)):
            return
        views = list(self._views(value, self.resolve(ptr), ptr))
        if isinstance(value, dict):
            with_props = [(v, p) for v, p in views if isinstance(v.get("properties"), dict)]
            open_map = [(v, p) for v, p in views if "additionalProperties" in v
                        and v["additionalProperties"] is not False]
            for key, item in value.items():
                sub = next(((v["properties"][key], join(p, "properties", key)) for v, p in with_props
                            if key in v["properties"]), None)
                if sub is None:
                    for v, p in views:
                        for pattern, s in (v.get("patternProperties") or {}).items():
                            try:
                                if engine.search(pattern, str(key)):
                                    sub = (s, join(p, "patternProperties", pattern))
                                    break
                            except engine.MatchUndecided:
                                continue
                        if sub is not None:
                            break
                if sub is None and open_map:
                    v, p = open_map[0]
                    sub = (v["additionalProperties"], join(p, "additionalProperties"))
                if sub is None:
                    if with_props:
                        yield join(with_props[0][1], "properties", key), _where([*path, key])
                    continue
                target, tptr = self.deref(sub[0], sub[1])
                yield from self._undocumented(item, tptr, [*path, key], depth + 1)
        else:
            for v, p in views:
                items = v.get("items")
                prefix = v.get("prefixItems")
                if not isinstance(prefix, list):
                    prefix = []
                if not isinstance(items, dict) and not prefix:
                    continue
                for i, item in enumerate(value):
                    if i < len(prefix):
                        schema, sptr = prefix[i], join(p, "prefixItems", i)
                    elif isinstance(items, dict):
                        schema, sptr = items, join(p, "items")
                    else:
                        continue
                    target, tptr = self.deref(schema, sptr)
                    yield from self._undocumented(item, tptr, [*path, i], depth + 1)
                break

    def report(self, snapshots_source: str) -> Report:
        notes = [f"conform: {self.checked} sample(s) of {self.case_count} recording(s) checked against "
                 f"{len(self.operations)} operation(s) of {self.source}"]
        if self.is30:
            notes.append("conform: OpenAPI 3.0 schemas were converted to JSON Schema 2020-12 for validation "
                         "(nullable, exclusiveMinimum/Maximum, example)")
        return Report(changes=self.out.changes(), old_source=snapshots_source, new_source=self.source, notes=notes)


def snapshot_files(directory: str) -> list[str]:
    if not os.path.isdir(directory):
        raise InputError(directory, "is not a directory of recorded snapshots")
    refuse_pending(directory)
    return sorted(os.path.join(directory, n) for n in os.listdir(directory)
                  if n.endswith((".yaml", ".yml")) and not n.startswith(".")
                  and os.path.isfile(os.path.join(directory, n)))


def conform(spec: Document, snapshots_dir: str) -> Report:
    """Validate every snapshot in `snapshots_dir` against `spec`."""
    files = snapshot_files(snapshots_dir)
    if not files:
        raise InputError(snapshots_dir, "holds no recorded snapshots (*.yaml written by `apicompat record`)")
    if is_asyncapi(spec.data):  # describes WebSocket sessions only
        checker: Conformer = AsyncConformer(spec)
    else:
        checker = Conformer(spec)
    for path in files:
        snap = load_snapshot(path)
        case = str(snap.get("case") or os.path.splitext(os.path.basename(path))[0])
        checker.check(case, snap)
    return checker.report(snapshots_dir)


class AsyncConformer(Conformer):
    """The Conformer's validation over an AsyncAPI document: only WebSocket sessions are described."""

    def __init__(self, spec) -> None:
        norm = Normaliser(Resolver(spec.data, spec.source, spec.path))
        self.source = spec.source
        self.version = str(spec.data.get("asyncapi"))
        self.is30 = False
        self.doc = spec.data
        self.registry = Registry().with_resource(SPEC_URI, DRAFT202012.create_resource(self.doc))
        self.api = read_api(spec.source, spec.data, norm)
        self.root = norm.resolver.base_for_root()
        self.operations = []
        self.bases = server_paths(spec.data)
        self._validators = {}
        self.out = Collector()
        self.checked = 0
        self.case_count = 0

    def session_target(self, path: str, types: list[str]) -> tuple[str, dict, str] | None:
        return asyncapi_flow(self, path, types)

    def check(self, case: str, snap: dict) -> None:
        if is_session(snap):
            self.case_count += 1
            return check_session(self, case, snap)
        self.case_count += 1
        request = snap.get("request")
        if not isinstance(request, dict):
            request = {}
        op = f"{str(request.get('method') or 'GET').upper()} {session_path(snap)}"
        self.out.add("conform-undocumented-operation", "#", op,
                     subject=f"{op} (case {case})")

    def report(self, snapshots_source: str):
        notes = [f"conform: {self.checked} session sample(s) of {self.case_count} recording(s) checked against "
                 f"{len(self.api.flows)} channel operation(s) of {self.source}"]
        return Report(changes=self.out.changes(), old_source=snapshots_source, new_source=self.source, notes=notes)
