"""For people: grouped by operation, then severity; one line per change with its rule id; a
summary at the end. Colour on a terminal only (NO_COLOR turns it off)."""

from __future__ import annotations

import os
import sys

from ..model import SEVERITY_ORDER, Change, Report, Severity

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


def use_colour(stream=None) -> bool:
    stream = stream or sys.stdout
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(stream, "isatty") and stream.isatty()


def _group(change: Change) -> str:
    if not change.operations:
        return DOCUMENT
    if len(change.operations) == 1:
        return change.operations[0]
    return SHARED


def render(report: Report, colour: bool | None = None, show_info: bool = True, **_: object) -> str:
    colour = use_colour() if colour is None else colour

    def paint(text: str, code: str) -> str:
        return f"{code}{text}{RESET}" if colour else text

    lines: list[str] = [paint(f"apicompat: {report.old_source or 'old'} -> {report.new_source or 'new'}", BOLD)]
    groups: dict[str, list[Change]] = {}
    for c in report.active:
        if c.severity is Severity.INFO and not show_info:
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
            lines.append(f"  {sev} {paint(c.rule, COLOURS[c.severity])}: {c.message}")
            where = f"at {c.pointer}"
            if name == SHARED:
                where += f" ({len(c.operations)} operations: {', '.join(c.operations[:3])}" + (
                    ", ..." if len(c.operations) > 3 else "") + ")"
            lines.append(f"           {where}")
    suppressed = [c for c in report.changes if c.suppressed is not None]
    if suppressed:
        lines.append("")
        lines.append(paint(f"Suppressed ({len(suppressed)})", BOLD))
        for c in suppressed:
            lines.append(f"  {c.rule}: {c.message} (reason: {c.suppressed})")
    for note in report.notes:
        lines.append("")
        lines.append(f"note: {note}")
    s = report.summary
    lines.append("")
    if not report.changes:
        lines.append(paint("no changes", BOLD))
    else:
        lines.append(paint(f"{s['breaking']} breaking, {s['warning']} warning, {s['additive']} additive, "
                           f"{s['info']} info" + (f", {s['suppressed']} suppressed" if s["suppressed"] else ""), BOLD))
    return "\n".join(lines) + "\n"
