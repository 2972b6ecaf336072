"""`apicompat changelog`: every change, grouped by operation, as Markdown.

A change that affects one operation is listed under it. A change shared by several operations (a
component used across the API) is listed once, under the set of operations it affects; each set's
operations are listed once, collapsed in a <details>, however many changes share it. So the
changelog grows with the changes, not with changes x operations (on the Stripe pair: 99,854 lines
when every change was repeated under each of its operations).

Values from the documents are code spans (markdown.code): no mention, link or HTML goes live."""

from __future__ import annotations

from typing import Any

from ..model import Change, Report
from ._common import summary_line
from .markdown import code

INLINE_OPS = 3  # a set this small is named in its heading


def _line(c: Change) -> str:
    line = f"- **{c.severity.label.capitalize()}** {code(c.rule, False)}: {code(c.message, False, None)}"
    if c.suppressed is not None:
        line += f" _(suppressed: {code(c.suppressed, False)})_"
    return line


def _ordered(changes: list[Any]) -> list[Any]:
    return sorted(changes, key=lambda c: (-int(c.severity), c.rule, c.pointer))


def render_changelog(report: Report, title: str | None = None) -> str:
    single: dict[str, list[Any]] = {}
    shared: dict[tuple[str, ...], list[Any]] = {}
    general: list[Any] = []
    for c in report.changes:
        if not c.operations:
            general.append(c)
        elif len(c.operations) == 1:
            single.setdefault(c.operations[0], []).append(c)
        else:
            shared.setdefault(tuple(c.operations), []).append(c)
    out = [f"# {title or 'API changelog'}", "",
           f"{code(report.old_source or 'old', False)} → {code(report.new_source or 'new', False)}", "",
           summary_line(report) if report.changes or report.failures else "No changes."]
    if report.failures:
        out += ["", "## Not recorded, so not compared", ""]
        out += [f"- {code(f.case, False)} ({code(f.operation, False)}): {code(f.message, False)}"
                for f in report.failures]
    for op in sorted(single, key=lambda op: (op.split(" ", 1)[-1], op)):
        out += ["", f"## {code(op, False)}", ""]
        out += [_line(c) for c in _ordered(single[op])]
    for number, (ops, changes) in enumerate(sorted(shared.items(), key=lambda kv: (-len(kv[0]), kv[0])), 1):
        if len(ops) <= INLINE_OPS:
            out += ["", "## " + ", ".join(code(op, False) for op in ops), ""]
        else:
            out += ["", f"## Shared by {len(ops)} operations (set {number})", "",
                    f"<details><summary>The {len(ops)} operations</summary>", ""]
            out += [f"- {code(op, False)}" for op in ops]
            out += ["", "</details>", ""]
        out += [_line(c) for c in _ordered(changes)]
    if general:
        out += ["", "## General", ""]
        out += [_line(c) for c in _ordered(general)]
    for note in report.notes:
        out += ["", f"> note: {code(note, False, None)}"]
    return "\n".join(out) + "\n"
