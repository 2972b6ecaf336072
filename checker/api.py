"""The public entry point: two documents in, a Report out. No printing, no exit codes."""

from __future__ import annotations

from dataclasses import dataclass, field
from collections.abc import Callable, Iterable

from .asyncapi import diff_asyncapi
from .collect import Collector
from .irregular import Irregularities
from .load import Document, Limits, load_document
from .kinds import ASYNCAPI, OPENAPI, pair_kind
from .model import Change, Report, SourceDocument
from .openapi import diff_openapi
from .openapi.shape import read_skeleton
from .openapi.swagger2 import convert_with_origins, is_swagger2
from .rules import REGISTRY
from .rules.openapi_rules import INPUT_IRREGULAR
from .schema import Node, Normaliser, Walker
from .schema.clean import CleanIndex
from .schema.dialects import dialect_of
from .schema.refs import Resolver


@dataclass
class DiffOptions:
    direction: str | None = None  # for bare JSON Schemas: request or response (default response)
    allow_remote_refs: bool = False
    opaque: Iterable[str] = field(default_factory=tuple)
    # Event catalogues named by the policy file (`events: {server: [...], client: [...]}`): pointer globs.
    server_events: Iterable[str] = field(default_factory=tuple)
    client_events: Iterable[str] = field(default_factory=tuple)
    limits: Limits = field(default_factory=Limits)
    strict: bool = False  # refuse an irregular document (exit 2) instead of reading it with a note


def diff_documents(old: Document, new: Document, options: DiffOptions | None = None) -> Report:
    options = options or DiffOptions()
    kept = source_document(old), source_document(new)  # as in the files: pointers name their places
    notes: list[str] = []
    irregular = Irregularities(strict=options.strict)
    (old, old_place), (new, new_place) = _upgrade_swagger2(old, notes), _upgrade_swagger2(new, notes)
    for doc, place in ((old, old_place), (new, new_place)):
        if place is not None:
            irregular.map_places(doc.source, place)
    kind = pair_kind(old.source, old.data, new.source, new.data)  # a mixed or unknown pair: exit 2
    if kind == OPENAPI:
        old, new = _read(old, irregular), _read(new, irregular)
    remote, limits = options.allow_remote_refs, options.limits
    old_norm = Normaliser(Resolver(old.data, old.source, old.path, remote, limits), irregular=irregular)
    new_norm = Normaliser(Resolver(new.data, new.source, new.path, remote, limits), irregular=irregular)
    dialect = dialect_of(new.data)
    walker = Walker(old_norm, new_norm, dialect, options.opaque, CleanIndex(old.data, new.data))
    out = Collector(old_place or _same, new_place or _same)
    if kind == OPENAPI:
        assert isinstance(old.data, dict) and isinstance(new.data, dict)  # pair_kind: both OpenAPI mappings
        diff_openapi(old.data, new.data, old_norm, new_norm, walker, out,
                     events=(tuple(options.server_events), tuple(options.client_events)))
    elif kind == ASYNCAPI:
        assert isinstance(old.data, dict) and isinstance(new.data, dict)  # pair_kind: both AsyncAPI mappings
        diff_asyncapi(old.source, old.data, new.source, new.data, old_norm, new_norm, walker, out)
    else:
        context = options.direction or "response"
        found = walker.diff_nodes(Node(old.data, "#"), Node(new.data, "#"), context)
        out.add_findings(found, context)
    changes = out.changes() + irregular_changes(irregular, old.source, new.source)
    return Report(changes=changes, old_source=old.source, new_source=new.source, notes=notes,
                  old_document=kept[0], new_document=kept[1])


def source_document(doc: Document) -> SourceDocument:
    """What the report keeps of a loaded input, for the formats that show its lines or fragments."""
    return SourceDocument(source=doc.source, text=doc.text, data=doc.data)


def _read(doc: Document, irregular: Irregularities) -> Document:
    """The document as its skeleton is read (apicompat.openapi.shape): irregular places noted."""
    assert isinstance(doc.data, dict)  # pair_kind said OpenAPI: a mapping
    data = read_skeleton(doc.data, doc.source, irregular)
    if data is doc.data:
        return doc
    return Document(source=doc.source, data=data, text=doc.text, path=doc.path)


def irregular_changes(irregular: Irregularities, old_source: str, new_source: str) -> list[Change]:
    """One `input-irregular` entry per irregular place; a place irregular in both documents the same
    way is one entry naming both files."""
    rule = REGISTRY[INPUT_IRREGULAR]
    grouped: dict[tuple[str, str, str], list[str]] = {}
    for note in irregular:
        grouped.setdefault((note.pointer, note.found, note.read_as), []).append(note.source)
    out = []
    for (pointer, found, read_as), sources in grouped.items():
        files = " and ".join(dict.fromkeys(sources))
        in_new = new_source in sources
        out.append(Change(
            rule=rule.id, severity=rule.severity, direction=rule.direction,
            message=f"{files} at {pointer}: {found} is irregular; read as {read_as}",
            pointer=pointer, policy=rule.clause,
            old_pointer=pointer if old_source in sources else None,
            new_pointer=pointer if in_new else None,
        ))
    return out


def _same(pointer: str) -> str:
    return pointer


def _upgrade_swagger2(doc: Document, notes: list[str]) -> tuple[Document, Callable[[str], str] | None]:
    """A Swagger 2.0 document converted to OpenAPI 3.0 (apicompat.openapi.swagger2), with the map from
    converted places back to the file's own; others as they are."""
    if not isinstance(doc.data, dict) or not is_swagger2(doc.data):
        return doc, None
    notes.append(f"{doc.source}: Swagger 2.0, converted to OpenAPI 3.0 before diffing; pointers name places in "
                 "the file (#/definitions/X, the body parameter, a response's schema)")
    data, origins = convert_with_origins(doc.data)
    return Document(source=doc.source, data=data, text=doc.text, path=doc.path), origins.place


def diff_files(old: str, new: str, options: DiffOptions | None = None) -> Report:
    options = options or DiffOptions()
    return diff_documents(load_document(old, options.limits), load_document(new, options.limits), options)


def diff_schemas(old: object, new: object, direction: str = "response") -> Report:
    """Diff two in-memory JSON Schemas (or OpenAPI documents)."""
    return diff_documents(Document("old", old), Document("new", new), DiffOptions(direction=direction))
