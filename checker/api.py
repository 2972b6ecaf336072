"""The public entry point: two documents in, a Report out. No printing, no exit codes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from .collect import Collector
from .load import Document, Limits, load_document
from .model import Report
from .openapi import diff_openapi, is_openapi
from .openapi.shape import check_shape
from .schema import Node, Normaliser, Walker
from .schema.clean import CleanIndex
from .schema.dialects import dialect_of
from .schema.refs import Resolver


@dataclass
class DiffOptions:
    direction: str | None = None  # for bare JSON Schemas: request or response (default response)
    allow_remote_refs: bool = False
    opaque: Iterable[str] = field(default_factory=tuple)
    limits: Limits = field(default_factory=Limits)


def diff_documents(old: Document, new: Document, options: DiffOptions | None = None) -> Report:
    options = options or DiffOptions()
    notes: list[str] = []
    old, new = _upgrade_swagger2(old, notes), _upgrade_swagger2(new, notes)
    old_norm = Normaliser(Resolver(old.data, old.source, old.path, options.allow_remote_refs, options.limits))
    new_norm = Normaliser(Resolver(new.data, new.source, new.path, options.allow_remote_refs, options.limits))
    dialect = dialect_of(new.data)
    walker = Walker(old_norm, new_norm, dialect, options.opaque, CleanIndex(old.data, new.data))
    out = Collector()
    if is_openapi(old.data) and is_openapi(new.data):
        check_shape(old.data, old.source)
        check_shape(new.data, new.source)
        diff_openapi(old.data, new.data, old_norm, new_norm, walker, out)
    elif is_openapi(old.data) != is_openapi(new.data):
        from .errors import InputError

        which = new if is_openapi(old.data) else old
        raise InputError(which.source, "is not an OpenAPI document while the other one is; "
                         "compare two OpenAPI documents or two JSON Schemas")
    else:
        context = options.direction or "response"
        found = walker.diff_nodes(Node(old.data, "#"), Node(new.data, "#"), context)
        out.add_findings(found, context)
    return Report(changes=out.changes(), old_source=old.source, new_source=new.source, notes=notes)


def _upgrade_swagger2(doc: Document, notes: list[str]) -> Document:
    """A Swagger 2.0 document converted to OpenAPI 3.0 (apicompat.openapi.swagger2); others as they are."""
    from .openapi.swagger2 import convert, is_swagger2

    if not is_swagger2(doc.data):
        return doc
    notes.append(f"{doc.source}: Swagger 2.0, converted to OpenAPI 3.0 before diffing; pointers refer to the "
                 "converted document (#/components/schemas/X for #/definitions/X)")
    return Document(source=doc.source, data=convert(doc.data), text=doc.text, path=doc.path)


def diff_files(old: str, new: str, options: DiffOptions | None = None) -> Report:
    options = options or DiffOptions()
    return diff_documents(load_document(old, options.limits), load_document(new, options.limits), options)


def diff_schemas(old: object, new: object, direction: str = "response") -> Report:
    """Diff two in-memory JSON Schemas (or OpenAPI documents)."""
    return diff_documents(Document("old", old), Document("new", new), DiffOptions(direction=direction))
