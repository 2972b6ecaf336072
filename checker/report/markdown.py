"""Markdown for a pull-request comment or a GitHub step summary: a summary table, then the
changes, breaking first, each with its rule id, operations and pointer."""

from __future__ import annotations

from ..model import SEVERITY_ORDER, Report, Severity
from ._common import ops_text, summary_line

ICONS = {Severity.BREAKING: "🔴", Severity.WARNING: "🟠", Severity.ADDITIVE: "🟢", Severity.INFO: "⚪"}


def cell(text: object) -> str:
    """Safe inside a table cell: no pipes or newlines break the row."""
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def code(text: object) -> str:
    text = str(text).replace("\n", " ")
    fence = "``" if "`" in text else "`"
    return f"{fence}{text}{fence}" if fence == "`" else f"{fence} {text} {fence}"


def render(report: Report, show_info: bool = True, title: str | None = None, **_: object) -> str:
    s = report.summary
    out: list[str] = []
    out.append(f"## {title or 'API compatibility report'}")
    out.append("")
    out.append(f"{code(report.old_source or 'old')} → {code(report.new_source or 'new')}: **{summary_line(report)}**")
    out.append("")
    out.append("| Severity | Changes |")
    out.append("|---|---:|")
    for sev in SEVERITY_ORDER:
        out.append(f"| {ICONS[sev]} {sev.label} | {s[sev.label]} |")
    out.append(f"| suppressed | {s['suppressed']} |")
    for sev in SEVERITY_ORDER:
        group = [c for c in report.active if c.severity is sev]
        if not group or (sev is Severity.INFO and not show_info):
            continue
        out.append("")
        out.append(f"### {ICONS[sev]} {sev.label.capitalize()} ({len(group)})")
        out.append("")
        out.append("| Rule | Change | Operations | Where |")
        out.append("|---|---|---|---|")
        for c in group:
            where = code(c.pointer)
            loc = report.locations.get(c.pointer)
            if loc:
                where += f" ({cell(loc[0])}:{loc[1]})"
            out.append(f"| {code(c.rule)} | {cell(c.message)} | {cell(ops_text(c, 5)) or '—'} | {where} |")
    suppressed = [c for c in report.changes if c.suppressed is not None]
    if suppressed:
        out.append("")
        out.append(f"<details><summary>Suppressed ({len(suppressed)})</summary>")
        out.append("")
        out.append("| Rule | Severity | Change | Reason |")
        out.append("|---|---|---|---|")
        for c in suppressed:
            out.append(f"| {code(c.rule)} | {c.severity.label} | {cell(c.message)} | {cell(c.suppressed)} |")
        out.append("")
        out.append("</details>")
    if report.notes:
        out.append("")
        out.append("**Notes**")
        out.append("")
        for note in report.notes:
            out.append(f"- {cell(note)}")
    return "\n".join(out) + "\n"
