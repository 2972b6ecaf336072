"""Dedupe: one entry per distinct change, listing every operation it affects (oasdiff repeats a
component change for each operation that reaches it: 337,445 entries on the Stripe pair).

A schema change is reached from *sites*: an operation's part (a 4XX response's JSON body, a query
parameter) whose schema led to it. The message names the first site's operation and part, then the
schema that changed: its component, or its path inside the site's own inline schema. Where the change
is placed and which schema it is named after is the OpenAPI layer's to say (`Collector.placer`,
apicompat.openapi.places); a bare JSON Schema diff keeps the differ's places.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol
from collections.abc import Callable

from .model import Change
from .pointers import describe, path_words, tokens
from .rules import REGISTRY
from .rules.schema_rules import rule_id
from .schema.findings import Finding


@dataclass(frozen=True)
class Site:
    """A schema an operation sends or receives: which operation, which part, and where it starts."""

    operation: str  # GET /a
    part: str  # "4XX response (application/json)", "query parameter 'limit'"
    old: str  # the schema's pointer in the old document
    new: str


@dataclass
class Placed:
    """Where a schema change is reported and what it is named after, for some of its sites."""

    pointer: str
    new_pointer: str | None
    old_pointer: str | None  # the old document's real place, when `pointer` goes through a `$ref`
    subject: str  # the pointer of the schema the message names
    note: str  # words that follow the subject's name (", which now uses 'B' instead of 'A',")
    sites: tuple[Site, ...]
    key: tuple | None = None  # what makes two placements one change (default: the pointer)


class Placer(Protocol):
    def subject_of(self, finding: Finding, sites: tuple[Site, ...]) -> str | None:
        """The schema a finding is named after, reported at its own pointer; None: see `switched`."""

    def switched(self, finding: Finding, sites: tuple[Site, ...]) -> list[Placed]:
        """Where a finding is reported when it is not at its own pointer, site by site."""


@dataclass
class Entry:
    rule: str
    pointer: str
    subject: str
    old: object = None
    new: object = None
    detail: str = ""
    new_pointer: str | None = None
    operations: dict[str, None] = field(default_factory=dict)  # ordered set
    site: Site | None = None  # the first site that reached a schema change (None: an operation-level rule)
    old_pointer: str | None = None
    note: str = ""


def _same(pointer: str) -> str:
    return pointer


class Collector:
    def __init__(self, old_place: Callable[[str], str] = _same, new_place: Callable[[str], str] = _same) -> None:
        """`old_place`/`new_place`: a pointer into the document compared -> the place in the file
        (they differ for a Swagger 2.0 file, compared as its OpenAPI 3.0 conversion)."""
        self.old_place = old_place
        self.new_place = new_place
        self.placer: Placer | None = None
        self._entries: dict[tuple, Entry] = {}
        # (id of a findings list, context) -> (the list, context, operations and sites that reached it)
        self._groups: dict[tuple[int, str], tuple[list[Finding], str, dict[str, None], dict[Site, None]]] = {}

    def add(self, rule: str, pointer: str, operation: str | None = None, *, old=None, new=None,
            detail: str = "", new_pointer: str | None = None, subject: str | None = None) -> None:
        key = (rule, pointer)
        entry = self._entries.get(key)
        if entry is None:
            entry = Entry(rule, pointer, subject if subject is not None else pointer, old, new, detail, new_pointer)
            self._entries[key] = entry
        if operation:
            entry.operations[operation] = None

    def add_findings(self, findings: list[Finding], context: str, operation: str | None = None,
                     site: Site | None = None) -> None:
        """Findings lists are memoised by the walker: a component reached from 400 operations hands
        the same list 400 times. Group by list and expand once, when the changes are asked for."""
        key = (id(findings), context)
        group = self._groups.get(key)
        if group is None:
            group = self._groups[key] = (findings, context, {}, {})
        if operation:
            group[2][operation] = None
        if site is not None:
            group[3][site] = None

    def _expand(self) -> None:
        entries = self._entries
        subjects: dict[int, tuple[Finding, str | None]] = {}  # a finding is in many (nested) lists
        for findings, context, operations, sites in self._groups.values():
            site_list = tuple(sites)
            if site_list:
                operations = dict.fromkeys(s.operation for s in site_list)
            first = site_list[0] if site_list else None
            for f in findings:
                rid = rule_id(context, f.kind)
                known = subjects.get(id(f))
                if known is None:
                    subject = f.subject if self.placer is None else self.placer.subject_of(f, site_list)
                    known = subjects[id(f)] = (f, subject)
                if known[1] is not None:
                    entry = entries.get((rid, f.pointer))
                    if entry is None:
                        entry = entries[(rid, f.pointer)] = Entry(rid, f.pointer, known[1], f.old, f.new, f.detail,
                                                                  f.new_pointer)
                    entry.operations.update(operations)
                    if entry.site is None:
                        entry.site = first
                    continue
                assert self.placer is not None  # only the placer leaves a finding without a subject
                for p in self.placer.switched(f, site_list):
                    entry = self._entry(rid, f, p)
                    entry.operations.update(dict.fromkeys(s.operation for s in p.sites))
                    if entry.site is None and p.sites:
                        entry.site = p.sites[0]
        self._groups.clear()

    def _entry(self, rid: str, f: Finding, p: Placed) -> Entry:
        key = (rid, p.pointer) if p.key is None else (rid, *p.key)
        entry = self._entries.get(key)
        if entry is None:
            entry = self._entries[key] = Entry(rid, p.pointer, p.subject, f.old, f.new, f.detail, p.new_pointer,
                                               old_pointer=p.old_pointer, note=p.note)
        return entry

    def changes(self) -> list[Change]:
        self._expand()
        out = []
        for e in self._entries.values():
            rule = REGISTRY[e.rule]
            ops = tuple(e.operations)
            added = e.new_pointer == e.pointer  # then the pointer is a place in the new document
            pointer = self.new_place(e.pointer) if added else self.old_place(e.pointer)
            old_pointer = self.old_place(e.old_pointer) if e.old_pointer else None if added else pointer
            out.append(Change(
                rule=e.rule,
                severity=rule.severity,
                direction=rule.direction,
                message=render(rule.message, e, ops),
                pointer=pointer,
                operations=ops,
                policy=rule.clause,
                old_pointer=old_pointer,
                new_pointer=self.new_place(e.new_pointer) if e.new_pointer is not None else None,
                old_value=e.old,
                new_value=e.new,
            ))
        return out


def fmt(value: object) -> str:
    if value is None:
        return "none"
    if isinstance(value, (list, tuple)):
        shown = ", ".join(fmt(v) for v in list(value)[:8])
        return shown + (f" (+{len(value) - 8} more)" if len(value) > 8 else "")
    if isinstance(value, str):
        return f"'{value}'" if len(value) <= 80 else f"'{value[:77]}...'"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _operations_text(operations: tuple[str, ...]) -> str:
    if not operations:
        return "the document"
    return operations[0] + (f" (+{len(operations) - 1} more)" if len(operations) > 1 else "")


def _subject_words(subject: str, site: Site | None) -> str:
    """The schema a message names: its path inside the site's inline schema ("" at the site's own
    schema), or its component and path (`Pet.owner`)."""
    if site is not None and (subject == site.old or subject.startswith(site.old + "/")):
        words = path_words(tokens(subject)[len(tokens(site.old)):]).lstrip(".")
        return "items" + words[2:] if words.startswith("[]") else words
    if subject.startswith("#") or "#/" in subject:
        return describe(subject)
    return subject


def render(template: str, entry: Entry, operations: tuple[str, ...]) -> str:
    operation = _operations_text(operations)
    site = entry.site
    subject = _subject_words(entry.subject, site)
    values = dict(old=fmt(entry.old), new=fmt(entry.new), detail=entry.detail, operation=operation)
    try:
        if site is None:
            return template.format(subject=subject + entry.note, **values)
        where = f"{operation} {site.part}"
        if not subject:  # the site's own schema
            return template.format(subject=where + entry.note, **values)
        return f"{where}: " + template.format(subject=subject + entry.note, **values)
    except (KeyError, IndexError, ValueError):  # pragma: no cover - a template bug must not crash a run
        return f"{template} ({subject})"
