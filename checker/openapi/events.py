"""Event catalogues in OpenAPI documents: unions of the events a WebSocket carries, which no
operation references (OpenAI's `RealtimeServerEvent` / `RealtimeClientEvent`, the Responses API's
WebSocket mode), judged as the events they are.

A component whose name ends in `ServerEvent` is what the server sends (response side), one ending
in `ClientEvent` what the client sends (request side); the policy file names others
(`events: {server: [...], client: [...]}`, pointers or globs). Each catalogue is diffed with the
schema differ in its side's context and reported under an operation-like label,
`EVENTS <name>`: a new server event type is additive, a removed one breaking, a client event's
property newly required breaking, and so on. A catalogue renamed with the same event types is
the same catalogue; one that is gone is `event-catalogue-removed`.
"""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any

from ..collect import Collector
from ..errors import InputError
from ..eventtypes import union_event_types
from ..pointers import escape, resolve, tokens
from ..schema import Node, Normaliser, Walker
from ..schema.clean import CleanIndex, refs_in

SCHEMAS = "#/components/schemas/"
SUFFIXES = {"ServerEvent": "response", "ClientEvent": "request"}
SIDES = ("response", "request")  # server events, client events
# The policy's pointer globs naming event catalogues: (server events, client events).
EventGlobs = tuple[tuple[str, ...], tuple[str, ...]]
_MISSING = object()
_GLOB = frozenset("*?[")


@dataclass(frozen=True)
class Catalogue:
    pointer: str
    side: str  # response: the server sends these events; request: the client does

    @property
    def name(self) -> str:
        parts = tokens(self.pointer)
        if self.pointer.startswith(SCHEMAS) and len(parts) == 3:
            return parts[2]
        return self.pointer

    @property
    def label(self) -> str:
        return f"EVENTS {self.name}"


def diff_event_catalogues(old: dict[str, Any], new: dict[str, Any], old_norm: Normaliser, new_norm: Normaliser,
                          walker: Walker, out: Collector, events: EventGlobs = ((), ())) -> None:
    """`events`: the policy's (server, client) pointer globs."""
    named = _named(old, old_norm) | _named(new, new_norm)
    if named:  # one an operation reaches in both documents is judged there, where it is used
        used = _used_by_operations(old, walker.clean) & _used_by_operations(new, walker.clean)
        named = {c for c in named if c.pointer not in used}
    chosen = named | _from_policy(old, new, events)
    in_old = {c for c in chosen if resolve(old, c.pointer, _MISSING) is not _MISSING}
    in_new = {c for c in chosen if resolve(new, c.pointer, _MISSING) is not _MISSING}
    removed, added = sorted(in_old - in_new, key=_order), sorted(in_new - in_old, key=_order)
    pairs = [(c, c) for c in sorted(in_old & in_new, key=_order)]
    pairs += _renamed(removed, added, old_norm, new_norm)
    for o, n in pairs:
        o_node, n_node = Node(resolve(old, o.pointer), o.pointer), Node(resolve(new, n.pointer), n.pointer)
        found = walker.diff_nodes(o_node, n_node, o.side)
        out.add_findings(found, o.side, operation=n.label)
    for c in removed:
        out.add("event-catalogue-removed", c.pointer, c.label, detail=c.name, old=_types(old_norm, c))
    for c in added:
        out.add("event-catalogue-added", c.pointer, c.label, detail=c.name, new=_types(new_norm, c),
                new_pointer=c.pointer)


def _order(c: Catalogue) -> tuple[str, str]:
    return (c.pointer, c.side)


def _schemas(doc: dict[str, Any]) -> dict[str, Any]:
    components = doc.get("components")
    schemas = components.get("schemas") if isinstance(components, dict) else None
    return schemas if isinstance(schemas, dict) else {}


def _named(doc: dict[str, Any], norm: Normaliser) -> set[Catalogue]:
    """Components named `...ServerEvent` / `...ClientEvent` that are unions."""
    out = set()
    for name, raw in _schemas(doc).items():
        side = next((s for suffix, s in SUFFIXES.items() if isinstance(name, str) and name.endswith(suffix)), None)
        if side is None:
            continue
        pointer = SCHEMAS + escape(name)
        target = norm.deref(Node(raw, pointer)).raw
        if isinstance(target, dict) and any(isinstance(target.get(k), list) for k in ("anyOf", "oneOf")):
            out.add(Catalogue(pointer, side))
    return out


def _from_policy(old: dict[str, Any], new: dict[str, Any], events: EventGlobs) -> set[Catalogue]:
    out: set[Catalogue] = set()
    components = {SCHEMAS + escape(name) for doc in (old, new) for name in _schemas(doc)}
    for side, patterns in zip(SIDES, events):
        for pattern in patterns:
            if _GLOB & set(pattern):
                out.update(Catalogue(p, side) for p in components if fnmatchcase(p, pattern))
            elif resolve(old, pattern, _MISSING) is not _MISSING or resolve(new, pattern, _MISSING) is not _MISSING:
                out.add(Catalogue(pattern, side))
            else:
                raise InputError("the policy file", f"{pattern!r} is in neither document",
                                 f"events.{'server' if side == 'response' else 'client'}")
    return out


def _types(norm: Normaliser, c: Catalogue) -> list[str]:
    return sorted(union_event_types(norm, Node({"$ref": c.pointer}, c.pointer)))


def _renamed(removed: list[Catalogue], added: list[Catalogue], old_norm: Normaliser,
             new_norm: Normaliser) -> list[tuple[Catalogue, Catalogue]]:
    """A catalogue under a new name sharing at least half its event types with one that is gone."""
    pairs = []
    for o in list(removed):
        o_types = set(_types(old_norm, o))
        best, best_share = None, 0.5
        for n in added:
            if n.side != o.side:
                continue
            n_types = set(_types(new_norm, n))
            share = len(o_types & n_types) / max(len(o_types | n_types), 1)
            if share >= best_share:
                best, best_share = n, share
        if best is not None:
            pairs.append((o, best))
            removed.remove(o)
            added.remove(best)
    return pairs


def _used_by_operations(doc: dict[str, Any], clean: CleanIndex | None = None) -> set[str]:
    """Component pointers reachable through `$ref`s from the paths and webhooks (callbacks included).
    `clean` knows the refs inside the components that are the same in both documents."""
    roots = [doc.get(k) for k in ("paths", "webhooks") if isinstance(doc.get(k), (dict, list))]
    stack = [ref for root in roots for ref in refs_in(root)]
    seen: set[str] = set()
    place: dict[str, str] = {}  # ref -> the component it is in (a ref is often written many times)
    while stack:
        ref = stack.pop()
        at = place.get(ref)
        if at is None:
            at = place[ref] = _component_at(ref)
        if not at or at in seen:
            continue
        seen.add(at)
        known = clean.refs_of(at) if clean is not None else None
        stack.extend(known if known is not None else refs_in(resolve(doc, at)))
    return seen


def _component_at(ref: str) -> str:
    """`#/components/schemas/A/properties/b` -> `#/components/schemas/A`; another local ref as it is;
    "" for a ref to another file."""
    if not ref.startswith("#/"):
        return ""
    parts = tokens(ref)
    return "#/" + "/".join(escape(p) for p in parts[:3]) if parts[:1] == ["components"] else ref
