"""For people: grouped by operation, then severity; one line per change with its rule id; a
summary at the end. Colour on a terminal only (NO_COLOR, or TERM=dumb, turns it off). Every value
from the documents goes through `printable`: a spec cannot send escapes to the terminal."""

from __future__ import annotations

import os
import sys
from typing import TextIO

from ..model import SEVERITY_ORDER, Change, Report, Severity
from ..safetext import printable as p
from ._common import failure_text, summary_line
from .options import DEFAULT, RenderOptions

COLOURS = {
    Severity.BREAKING: "\033[31m",
    Severity.WARNING: "\033[33m",
    Severity.ADDITIVE: "\033[32m",
    Severity.INFO: "\033[2m",
}
RESET = "\033[0m"
BOLD = "\033[1m"
SHARED = "Shared by several operations"
DOCUMENT = "Document"


def use_colour(stream: TextIO | None = None) -> bool:
    """Colour on a terminal that can show it: never with NO_COLOR (no-color.org) or TERM=dumb;
    FORCE_COLOR forces it elsewhere."""
    stream = stream or sys.stdout
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(stream, "isatty") and stream.isatty()


def _group(change: Change) -> str:
    if not change.operations:
        return DOCUMENT
    if len(change.operations) == 1:
        return p(change.operations[0])
    return SHARED


def render(report: Report, options: RenderOptions = DEFAULT) -> str:
    colour = use_colour() if options.colour is None else options.colour

    def paint(text: str, code: str) -> str:
        return f"{code}{text}{RESET}" if colour else text

    lines: list[str] = [paint(f"apicompat: {p(report.old_source or 'old')} -> {p(report.new_source or 'new')}", BOLD)]
    groups: dict[str, list[Change]] = {}
    for c in report.active:
        if c.severity is Severity.INFO and not options.show_info:
            continue
        groups.setdefault(_group(c), []).append(c)
    # Worst groups first; the document and shared groups keep their place by severity too.
    order = sorted(groups, key=lambda g: (-max(int(c.severity) for c in groups[g]), g == DOCUMENT, g))
    for name in order:
        changes = sorted(groups[name], key=lambda c: SEVERITY_ORDER.index(c.severity))
        lines.append("")
        lines.append(paint(name, BOLD))
        for c in changes:
            sev = paint(f"{c.severity.label:<8}", COLOURS[c.severity])
            lines.append(f"  {sev} {paint(p(c.rule), COLOURS[c.severity])}: {p(c.message)}")
            where = f"at {p(c.pointer)}"
            if name == SHARED:
                where += f" ({len(c.operations)} operations: {', '.join(p(o) for o in c.operations[:3])}" + (
                    ", ..." if len(c.operations) > 3 else "") + ")"
            lines.append(f"           {where}")
    suppressed = [c for c in report.changes if c.suppressed is not None]
    if suppressed:
        lines.append("")
        lines.append(paint(f"Suppressed ({len(suppressed)})", BOLD))
        for c in suppressed:
            lines.append(f"  {p(c.rule)}: {p(c.message)} (reason: {p(c.suppressed)})")
    if report.failures:
        lines.append("")
        lines.append(paint(f"Not recorded, so not compared ({len(report.failures)})", BOLD))
        lines += [f"  {paint('failed', COLOURS[Severity.BREAKING])}   {failure_text(f)}" for f in report.failures]
    for note in report.notes:
        lines.append("")
        lines.append(f"note: {p(note)}")
    lines.append("")
    lines.append(paint(summary_line(report), BOLD))
    return "\n".join(lines) + "\n"
