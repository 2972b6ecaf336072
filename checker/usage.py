"""What your recorded traffic uses: the operations your snapshots call, and a report restricted to them
(`apicompat gate --usage`)."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from .asyncapi.read import read_api
from .errors import InputError
from .eventtypes import union_event_types
from .kinds import is_asyncapi
from .load.documents import decode, parse_text, read_source
from .model import SEVERITY_ORDER, Report
from .openapi.events import SCHEMAS, SUFFIXES, Catalogue
from .openapi.match import base_paths, match_operation, spec_operations
from .pointers import escape
from .record.store import refuse_pending
from .record.websocket import operation
from .schema import Node, Normaliser
from .schema.refs import Resolver

NOT_USED = "not used by you"
SNAPSHOT_SUFFIXES = (".yaml", ".yml", ".json")


# ---- recordings ----

@dataclass(frozen=True)
class Recording:
    file: str
    method: str
    path: str  # concrete, without the query
    websocket: bool = False  # a WebSocket session: what it used is told by its event types
    received: frozenset[str] = frozenset()  # event types the server sent
    sent: frozenset[str] = frozenset()  # event types the client sent


def read_recordings(directory: str) -> list[Recording]:
    """Every snapshot file under `directory`.

    A snapshot is any YAML/JSON file with top-level `request.method` and `request.path`
    (the recorder's format); other files are skipped. Read like every input: the shared loader
    (YAML 1.2, its guards and limits), so a malformed file is one error naming it and its line.
    Like the other readers that take no lock (mock-server, conform), a folder whose baseline swap a
    killed record/accept left half done (its journal is there) is refused, never read half old, half new.
    """
    if not os.path.isdir(directory):
        raise InputError(directory, "is not a directory of recorded snapshots")
    found: list[Recording] = []
    for root, dirs, files in os.walk(directory):
        refuse_pending(root)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.endswith(SNAPSHOT_SUFFIXES) or name.startswith("."):
                continue
            path = os.path.join(root, name)
            # YAML 1.2 with the loader's guards (size, devices, encoding, tags, aliases), like every input
            text = decode(path, read_source(path)[0])
            data = parse_text(path, text) if text.strip() else None
            if not isinstance(data, dict):
                continue
            request = data.get("request")
            if not isinstance(request, dict):
                continue
            method, target = request.get("method"), request.get("path")
            if not isinstance(method, str) or not isinstance(target, str):
                continue
            found.append(_recording(path, method.upper(), urlsplit(target).path or "/", data, request))
    return found


def _recording(file: str, method: str, path: str, data: dict, request: dict) -> Recording:
    if data.get("websocket") is not True:
        return Recording(file, method, path)
    received = set()
    for sample in data.get("samples") or []:
        for event in (sample.get("events") or []) if isinstance(sample, dict) else []:
            if isinstance(event, dict):
                body = event.get("data")
                name = body.get("type") if isinstance(body, dict) else None
                received.add(name if isinstance(name, str) else str(event.get("event", "message")))
    sent = {m["type"] for m in request.get("send") or [] if isinstance(m, dict) and isinstance(m.get("type"), str)}
    return Recording(file, method, path, True, frozenset(received), frozenset(sent))


def restrict_to_usage(report: Report, used: set[str]) -> Report:
    """Set aside (suppressed = "not used by you") every change whose operations are all uncalled.
    Changes without an operation (a bare schema, info.version) are kept."""
    changes = []
    set_aside = []
    for c in report.changes:
        if c.suppressed is None and c.operations and not any(op in used for op in c.operations):
            c = replace(c, suppressed=NOT_USED)
            set_aside.append(c)
        changes.append(c)
    notes = list(report.notes)
    if set_aside:
        worst = {s.label: sum(1 for c in set_aside if c.severity is s) for s in SEVERITY_ORDER}
        detail = ", ".join(f"{n} {label}" for label, n in worst.items() if n)
        notes.append(f"gate: {len(set_aside)} change(s) to operations your recordings do not call were set aside "
                     f"({detail})")
    return replace(report, changes=changes, notes=notes)


def used_operations(recordings: list[Recording], old_data: object, new_data: object
                    ) -> tuple[set[str], list[str]]:
    """The spec operations (`METHOD /path`, and for WebSocket sessions the event catalogues'
    `EVENTS <name>` or AsyncAPI's `SEND <channel>`... labels) the recordings use, and the
    recordings that match none."""
    sessions = [r for r in recordings if r.websocket]
    if is_asyncapi(new_data) or is_asyncapi(old_data):
        used: set[str] = set()
        unmatched = [f"{r.method} {r.path}" for r in recordings if not r.websocket]
    else:
        used, unmatched = _http_operations([r for r in recordings if not r.websocket], old_data, new_data)
    for r in sessions:
        labels = set().union(*(session_labels(r, data) for data in (old_data, new_data)))
        used |= labels
        if not labels:
            unmatched.append(operation(r.path))
    return used, unmatched


def _http_operations(recordings: list[Recording], old_data: object, new_data: object
                     ) -> tuple[set[str], list[str]]:
    operations = spec_operations(new_data, old_data)
    new_bases = base_paths(new_data)
    bases = new_bases + [b for b in base_paths(old_data) if b not in new_bases]
    used: set[str] = set()
    unmatched: list[str] = []
    for r in recordings:
        op = match_operation(r.method, r.path, operations, bases)
        if op is None:
            unmatched.append(f"{r.method} {r.path}")
        else:
            used.add(op)
    return used, unmatched


# ---- WebSocket sessions ----

def session_labels(recording: Recording, data: object) -> set[str]:
    """The labels a WebSocket session uses in one document: OpenAPI event catalogues
    (`EVENTS <name>`, apicompat.openapi.events) holding an event type it received (server side) or
    sent (client side); AsyncAPI flows (`SEND <channel>`, `SUBSCRIBE <channel>`, ...) on the channel
    its path names, or holding one of its event types on their side."""
    if not isinstance(data, dict):
        return set()
    if is_asyncapi(data):
        return _asyncapi_labels(recording, data)
    return _catalogue_labels(recording, data)


def _normaliser(data: dict):
    return Normaliser(Resolver(data, "usage"))


def _catalogue_labels(recording: Recording, data: dict) -> set[str]:
    """The server catalogue that documents what the session received, and the client catalogue
    that documents what it sent, each chosen as `conform` chooses (record/ws_conform.py)."""
    from .record.ws_conform import best_catalogue  # start-up time: jsonschema, WebSocket sessions only

    schemas = (data.get("components") or {}).get("schemas") if isinstance(data.get("components"), dict) else None
    if not isinstance(schemas, dict):
        return set()
    norm = None
    by_side: dict[str, dict[str, set[str]]] = {"response": {}, "request": {}}
    for name in schemas:
        side = next((s for suffix, s in SUFFIXES.items() if isinstance(name, str) and name.endswith(suffix)), None)
        if side is None:
            continue
        norm = norm or _normaliser(data)
        pointer = SCHEMAS + escape(name)
        by_side[side][name] = union_event_types(norm, Node({"$ref": pointer}, pointer))
    out = set()
    for side, mine in (("response", recording.received), ("request", recording.sent)):
        if not mine:
            continue
        name = best_catalogue(by_side[side], recording.path, sorted(mine))
        if name is not None:
            out.add(Catalogue(SCHEMAS + escape(name), side).label)
    return out


def _asyncapi_labels(recording: Recording, data: dict) -> set[str]:
    """The flows on the channel the session's path names; without one, the flows holding one of its
    event types on their side."""
    from .record.ws_conform import address_matches, server_paths  # start-up time: jsonschema, WebSocket sessions only

    try:
        api = read_api("usage", data, _normaliser(data))
    except InputError:  # the diff itself reports what is wrong with the document
        return set()
    bases = server_paths(data)
    by_path = {flow.label for flow in api.flows.values() if flow.channel in api.channels
               and address_matches(api.channels[flow.channel].label, recording.path, bases)}
    if by_path:
        return by_path
    return {flow.label for flow in api.flows.values()
            if any(set(m.tags.get("type") or ()) & (recording.received if flow.side == "response" else recording.sent)
                   for m in flow.messages)}
