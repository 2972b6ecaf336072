"""For people: grouped by severity, one line per change with its rule id, a summary at the end."""

from __future__ import annotations

import os
import sys

from ..model import SEVERITY_ORDER, Report, Severity

COLOURS = {
    Severity.BREAKING: "\033[31m",
    Severity.WARNING: "\033[33m",
    Severity.ADDITIVE: "\033[32m",
    Severity.INFO: "\033[2m",
}
RESET = "\033[0m"
BOLD = "\033[1m"


def use_colour(stream=None) -> bool:
    stream = stream or sys.stdout
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(stream, "isatty") and stream.isatty()


def render(report: Report, colour: bool | None = None, show_info: bool = True, **_: object) -> str:
    colour = use_colour() if colour is None else colour

    def paint(text: str, code: str) -> str:
        return f"{code}{text}{RESET}" if colour else text

    lines: list[str] = []
    title = f"apicompat: {report.old_source or 'old'} -> {report.new_source or 'new'}"
    lines.append(paint(title, BOLD))
    for severity in SEVERITY_ORDER:
        group = [c for c in report.active if c.severity is severity]
        if not group or (severity is Severity.INFO and not show_info):
            continue
        lines.append("")
        lines.append(paint(f"{severity.label.upper()} ({len(group)})", COLOURS[severity] + BOLD))
        for c in group:
            ops = ""
            if c.operations:
                ops = f" [{c.operations[0]}" + (f" +{len(c.operations) - 1} more" if len(c.operations) > 1 else "") + "]"
            lines.append(f"  {paint(c.rule, COLOURS[severity])}: {c.message}{ops}")
            lines.append(f"      at {c.pointer}")
    suppressed = [c for c in report.changes if c.suppressed is not None]
    if suppressed:
        lines.append("")
        lines.append(paint(f"SUPPRESSED ({len(suppressed)})", BOLD))
        for c in suppressed:
            lines.append(f"  {c.rule}: {c.message} (reason: {c.suppressed})")
    for note in report.notes:
        lines.append("")
        lines.append(f"note: {note}")
    s = report.summary
    lines.append("")
    summary = (f"{s['breaking']} breaking, {s['warning']} warning, {s['additive']} additive, "
               f"{s['info']} info" + (f", {s['suppressed']} suppressed" if s["suppressed"] else ""))
    if not report.changes:
        summary = "no changes"
    lines.append(paint(summary, BOLD))
    return "\n".join(lines) + "\n"
