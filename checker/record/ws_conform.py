"""`apicompat conform` for recorded WebSocket sessions: each received server event is validated
against the member of the spec's event catalogue that its `type` names.

Where the catalogue comes from:
- an OpenAPI document: a server event catalogue as apicompat.openapi.events sees them (a union
  component named `...ServerEvent`, like OpenAI's `RealtimeServerEvent`): the one documenting most
  of the session's event types, then the one whose name matches the path (`/realtime` ->
  `Realtime...`), then the shortest name. Findings are reported under its `EVENTS <name>` label.
- an AsyncAPI 2.x/3.x document: what the server sends on the channel whose address matches the
  recorded path (server base paths stripped, parameters matching one segment), else the flow
  documenting most of the session's event types; findings under its `SEND <channel>` /
  `SUBSCRIBE <channel>` label. Payloads are validated as JSON Schema 2020-12, like OpenAPI 3.1.

An event type the catalogue lacks is `conform-undocumented-event-type` (additive, as for SSE);
a session no catalogue or channel describes is `conform-undocumented-operation` (warning).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from typing import TYPE_CHECKING

from ..openapi.events import SCHEMAS, SUFFIXES
from ..pointers import escape, join
from .infer import event_type
from .websocket import operation

if TYPE_CHECKING:  # conform.py imports this module
    from .conform import AsyncConformer, Conformer

SERVER_SIDE = "response"
MAX_FINDINGS = 50  # per case and rule family (conform.py's bound too)


def session_types(snap: dict) -> list[str]:
    """The event types a session received, in first-seen order."""
    seen: dict[str, None] = {}
    for sample in _samples(snap):
        for e in sample.get("events") or []:
            if isinstance(e, dict):
                seen.setdefault(event_type(e), None)
    return list(seen)


def _samples(snap: dict) -> list[dict]:
    return [s for s in snap.get("samples") or [] if isinstance(s, dict)]


def session_path(snap: dict) -> str:
    request = snap.get("request")
    if not isinstance(request, dict):
        request = {}
    target = str(request.get("path") or "/")
    try:
        return urlsplit(target).path or "/"
    except ValueError:
        return target


# ---- where a session's events are documented -----------------------------------------------------

def best_catalogue(catalogues: dict[str, set[str]], path: str, types) -> str | None:
    """The catalogue (name -> its event types) that documents a session: the one holding most of
    `types`, then the one whose name starts with a word of the path (`/realtime` -> `Realtime...`),
    then the shortest name. None when none holds any of them and none is named by the path."""
    words = [w for w in re.split(r"[^a-z0-9]+", path.lower()) if w]
    best, best_key = None, None
    for name, members in catalogues.items():
        covered = sum(1 for t in types if t in members)
        named = any(name.lower().startswith(w) for w in words)
        key = (covered, named, -len(name), name)
        if best_key is None or key > best_key:
            best, best_key = name, key
    if best_key is None or (best_key[0] == 0 and not best_key[1]):  # (set together with best)
        return None
    return best


def openapi_catalogue(conformer: Conformer, path: str, types: list[str]) -> tuple[str, dict, str] | None:
    """(label, event type -> member pointer, union pointer) of the server event catalogue."""
    schemas = ((conformer.doc.get("components") or {}).get("schemas") or {}) if isinstance(conformer.doc, dict) else {}
    server = [s for s, side in SUFFIXES.items() if side == SERVER_SIDE]
    found = {}
    for name in schemas if isinstance(schemas, dict) else ():
        if isinstance(name, str) and any(name.endswith(s) for s in server):
            members, union_ptr = conformer._event_members(SCHEMAS + escape(name))
            if members:
                found[name] = (members, union_ptr)
    name = best_catalogue({n: set(m) for n, (m, _) in found.items()}, path, types)
    if name is None:
        return None
    return f"EVENTS {name}", found[name][0], found[name][1]


def asyncapi_flow(conformer: AsyncConformer, path: str, types: list[str]) -> tuple[str, dict, str] | None:
    """(label, event type -> payload pointer, flow pointer) of what the server sends on the channel."""
    flows = [f for f in conformer.api.flows.values() if f.side == SERVER_SIDE]
    if not flows:
        return None
    channels = conformer.api.channels
    by_path = [f for f in flows if f.channel in channels and address_matches(channels[f.channel].label, path,
                                                                             conformer.bases)]
    candidates = by_path or flows
    best, best_key = None, None
    for flow in candidates:
        members: dict[str, str] = {}
        for message in flow.messages:
            payload = message.payload
            if payload is None or not message.readable or payload.base not in ("", conformer.root):
                continue
            for value in message.tags.get("type") or ():
                members.setdefault(value, payload.ptr)
        covered = sum(1 for t in types if t in members)
        key = (covered, -len(flow.label), flow.label)
        if best_key is None or key > best_key:
            best, best_key = (flow.label, members, flow.pointer), key
    if not by_path and len(flows) > 1 and best_key is not None and best_key[0] == 0:
        return None
    return best


def address_matches(address: str, path: str, bases: list[str]) -> bool:
    pattern = "/?" + "/".join(
        "[^/]+" if re.fullmatch(r"\{[^{}]*\}", part) else re.escape(part)
        for part in address.strip("/").split("/")) + "/?"
    tries = {path} | {path[len(b.rstrip("/")):] for b in bases if b and path.startswith(b.rstrip("/") + "/")}
    return any(re.fullmatch(pattern, p.strip("/") and "/" + p.strip("/") or "/") for p in tries)


# ---- one session ---------------------------------------------------------------------------------

def check_session(conformer: Conformer, case: str, snap: dict) -> None:
    """Validate every received event of a recorded session against its catalogue member."""
    path = session_path(snap)
    types = session_types(snap)
    target = conformer.session_target(path, types)  # openapi_catalogue, or asyncapi_flow for AsyncAPI
    if target is None:
        conformer.out.add("conform-undocumented-operation", "#", operation(path),
                          subject=f"{operation(path)} (case {case}), whose events no event catalogue or "
                                  "channel documents,")
        return
    label, members, union_ptr = target
    budget = {"violation": MAX_FINDINGS, "undocumented": MAX_FINDINGS}
    reported: set[str] = set()
    for sample in _samples(snap):
        conformer.checked += 1
        for e in sample.get("events") or []:
            if not isinstance(e, dict) or not isinstance(e.get("data"), (dict, list)):
                continue
            name = event_type(e)
            if name not in members:
                if name not in reported:
                    reported.add(name)
                    conformer.out.add("conform-undocumented-event-type", join(union_ptr, name), label,
                                      subject=f"{case}: event type '{name}'")
                continue
            conformer._value(case, e["data"], members[name], label, f"event {name} data", budget)


def server_paths(data: dict) -> list[str]:
    """Base paths of the servers: 3.x `pathname`, 2.x the path of `url`."""
    out = []
    servers = data.get("servers")
    for server in (servers.values() if isinstance(servers, dict) else ()):
        if not isinstance(server, dict):
            continue
        if isinstance(server.get("pathname"), str):
            out.append(server["pathname"])
        elif isinstance(server.get("url"), str):
            try:
                url = server["url"] if "://" in server["url"] else "ws://" + server["url"]
                out.append(urlsplit(url).path)
            except ValueError:
                continue
    return [p for p in out if p and p != "/"]
