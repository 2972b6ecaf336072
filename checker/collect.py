"""Dedupe: one entry per distinct change, listing every operation it affects (oasdiff repeats a
component change for each operation that reaches it: 337,445 entries on the Stripe pair)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from .model import Change
from .pointers import describe
from .rules import REGISTRY
from .rules.schema_rules import rule_id
from .schema.findings import Finding


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


def _same(pointer: str) -> str:
    return pointer


class Collector:
    def __init__(self, old_place: Callable[[str], str] = _same, new_place: Callable[[str], str] = _same) -> None:
        """`old_place`/`new_place`: a pointer into the document compared -> the place in the file
        (they differ for a Swagger 2.0 file, compared as its OpenAPI 3.0 conversion)."""
        self.old_place = old_place
        self.new_place = new_place
        self._entries: dict[tuple, Entry] = {}
        # (id of a findings list, context) -> (the list, context, operations that reached it)
        self._groups: dict[tuple[int, str], tuple[list[Finding], str, dict[str, None]]] = {}

    def add(self, rule: str, pointer: str, operation: str | None = None, *, old=None, new=None,
            detail: str = "", new_pointer: str | None = None, subject: str | None = None) -> None:
        key = (rule, pointer)
        entry = self._entries.get(key)
        if entry is None:
            entry = Entry(rule, pointer, subject if subject is not None else pointer, old, new, detail, new_pointer)
            self._entries[key] = entry
        if operation:
            entry.operations[operation] = None

    def add_findings(self, findings: list[Finding], context: str, operation: str | None = None) -> None:
        """Findings lists are memoised by the walker: a component reached from 400 operations hands
        the same list 400 times. Group by list and expand once, when the changes are asked for."""
        key = (id(findings), context)
        group = self._groups.get(key)
        if group is None:
            group = self._groups[key] = (findings, context, {})
        if operation:
            group[2][operation] = None

    def _expand(self) -> None:
        entries = self._entries
        for findings, context, operations in self._groups.values():
            for f in findings:
                rid = rule_id(context, f.kind)
                key = (rid, f.pointer)
                entry = entries.get(key)
                if entry is None:
                    entry = Entry(rid, f.pointer, f.subject, f.old, f.new, f.detail, f.new_pointer)
                    entries[key] = entry
                entry.operations.update(operations)
        self._groups.clear()

    def changes(self) -> list[Change]:
        self._expand()
        out = []
        for e in self._entries.values():
            rule = REGISTRY[e.rule]
            ops = tuple(e.operations)
            added = e.new_pointer == e.pointer  # then the pointer is a place in the new document
            pointer = self.new_place(e.pointer) if added else self.old_place(e.pointer)
            out.append(Change(
                rule=e.rule,
                severity=rule.severity,
                direction=rule.direction,
                message=render(rule.message, e, ops),
                pointer=pointer,
                operations=ops,
                policy=rule.clause,
                old_pointer=None if added else pointer,
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


def render(template: str, entry: Entry, operations: tuple[str, ...]) -> str:
    operation = operations[0] if operations else "the document"
    if len(operations) > 1 and "{operation}" in template:
        operation = f"{operations[0]} (+{len(operations) - 1} more)"
    subject = describe(entry.subject) if entry.subject.startswith("#") or "#/" in entry.subject else entry.subject
    try:
        return template.format(subject=subject, old=fmt(entry.old), new=fmt(entry.new),
                               detail=entry.detail, operation=operation)
    except (KeyError, IndexError, ValueError):  # pragma: no cover - a template bug must not crash a run
        return f"{template} ({subject})"
