"""Markdown for a pull-request comment or a GitHub step summary: the totals, then the changes,
breaking first, each with its rule id, operations and pointer.

Fits where it goes: a GitHub comment holds 65,536 characters, so the report stops adding rows at
MAX_CHARS (a margin below the limit for a workflow's own header) and ends by saying what it left
out, counted by severity and rule, and where the full report is (`--full-report`, else how to
make it). The totals and the breaking changes come first, so they are what survives.

Nothing from the documents is live: every value (names, messages, paths, pointers, notes, reasons)
is a code span, where GitHub renders no `@mention`, link, autolink, image, raw HTML, emoji or issue
reference; control and bidi characters are shown as escapes (`printable`)."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from ..model import SEVERITY_ORDER, Change, Report, Severity
from ..safetext import printable
from ._common import summary_line
from .options import DEFAULT, RenderOptions

ICONS = {Severity.BREAKING: "🔴", Severity.WARNING: "🟠", Severity.ADDITIVE: "🟢", Severity.INFO: "⚪"}
GITHUB_COMMENT_LIMIT = 65_536
MAX_CHARS = 60_000  # leaves room for a workflow's own header or sticky-comment marker
MAX_CELL = 300  # characters of one value in a table cell
MAX_OPS = 5  # operations named per change; the rest are counted
MAX_LEFT_OUT_RULES = 20
MAX_NOTES = 20
MAX_FAILURES = 50  # cases that failed to record, listed; the rest are counted


def size(text: str) -> int:
    """Length as GitHub counts it (UTF-16 code units: an emoji is 2)."""
    return len(text.encode("utf-16-le")) // 2


def code(text: object, in_table: bool = True, limit: int | None = MAX_CELL) -> str:
    """`text` as a code span: shown verbatim, never rendered as Markdown, HTML or a mention."""
    text = printable(text)
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    if not text:
        return "—"
    if in_table:
        text = text.replace("|", "\\|")
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text[0] in "` " or text[-1] in "` " else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _operations(c: Change) -> str:
    ops = list(c.operations)
    if not ops:
        return "—"
    text = code(", ".join(ops[:MAX_OPS]))
    return text + (f" (+{len(ops) - MAX_OPS} more)" if len(ops) > MAX_OPS else "")


def _where(report: Report, c: Change) -> str:
    where = code(c.pointer)
    loc = report.location(c)
    if loc:
        where += f" ({code(loc.label)})"
    return where


def _full_report_hint(full_report: str | None) -> str:
    if full_report and re.fullmatch(r"https?://[^\s<>`]+", full_report):
        return f"The full report: <{full_report}>."
    if full_report:
        return f"The full report: {code(full_report, in_table=False)}."
    return ("For the full list, render the JSON report again (`apicompat render REPORT.json --format html`) "
            "or run the diff with `--format html` or `--format text`.")


def render(report: Report, options: RenderOptions = DEFAULT) -> str:
    show_info, full_report = options.show_info, options.full_report
    max_chars = MAX_CHARS if options.max_chars is None else options.max_chars
    s = report.summary
    head = [f"## {options.title or 'API compatibility report'}", "",
            f"{code(report.old_source or 'old', False)} → {code(report.new_source or 'new', False)}: "
            f"**{summary_line(report)}**", "",
            "| Severity | Changes |", "|---|---:|"]
    head += [f"| {ICONS[sev]} {sev.label} | {s[sev.label]} |" for sev in SEVERITY_ORDER]
    head.append(f"| suppressed | {s['suppressed']} |")
    if report.failures:  # first after the totals: a failed case is what a reader must see
        head += ["", f"### ❌ Not recorded, so not compared ({len(report.failures)})", "",
                 "| Case | Operation | Why |", "|---|---|---|"]
        head += [f"| {code(f.case)} | {code(f.operation)} | {code(f.message)} |"
                 for f in report.failures[:MAX_FAILURES]]
        if len(report.failures) > MAX_FAILURES:
            head.append(f"| … | | {len(report.failures) - MAX_FAILURES} more case(s) |")
    notes: list[str] = []
    if report.notes:
        notes = ["", "**Notes**", ""] + [f"- {code(note, False, 1000)}" for note in report.notes[:MAX_NOTES]]
        if len(report.notes) > MAX_NOTES:
            notes.append(f"- and {len(report.notes) - MAX_NOTES} more note(s)")

    out = list(head)
    used = sum(size(line) + 1 for line in out + notes)
    reserve = 3000  # the "left out" paragraph
    left_out: list[Any] = []

    def fits(lines: list[str]) -> bool:
        return used + sum(size(line) + 1 for line in lines) + reserve <= max_chars

    groups = [(sev, [c for c in report.active if c.severity is sev]) for sev in SEVERITY_ORDER
              if not (sev is Severity.INFO and not show_info)]
    for sev, group in groups:
        if not group:
            continue
        heading = ["", f"### {ICONS[sev]} {sev.label.capitalize()} ({len(group)})", "",
                   "| Rule | Change | Operations | Where |", "|---|---|---|---|"]
        rows = [f"| {code(c.rule)} | {code(c.message)} | {_operations(c)} | {_where(report, c)} |" for c in group]
        if left_out or not fits(heading + rows[:1]):
            left_out += group
            continue
        out += heading
        used += sum(size(line) + 1 for line in heading)
        for i, row in enumerate(rows):
            if not fits([row]):
                left_out += group[i:]
                out.append(f"| … | {len(group) - i} more {sev.label} change(s) left out, see below | | |")
                break
            out.append(row)
            used += size(row) + 1

    suppressed = [c for c in report.changes if c.suppressed is not None]
    if suppressed:
        block = ["", f"<details><summary>Suppressed ({len(suppressed)})</summary>", "",
                 "| Rule | Severity | Change | Reason |", "|---|---|---|---|"]
        shown = 0
        for c in suppressed:
            row = f"| {code(c.rule)} | {c.severity.label} | {code(c.message)} | {code(c.suppressed)} |"
            if not fits(block + [row]):
                break
            block.append(row)
            shown += 1
        if shown < len(suppressed):
            block.append(f"| … | | {len(suppressed) - shown} more suppressed change(s) left out | |")
        block += ["", "</details>"]
        out += block
        used += sum(size(line) + 1 for line in block)

    out += notes
    if left_out:
        out += ["", "---", "", _left_out(left_out, full_report)]
    return "\n".join(out) + "\n"


def _left_out(changes: list[Any], full_report: str | None) -> str:
    by_severity = Counter(c.severity for c in changes)
    counts = ", ".join(f"{by_severity[sev]} {sev.label}" for sev in SEVERITY_ORDER if by_severity[sev])
    rules = Counter(c.rule for c in changes).most_common()
    named = ", ".join(f"{code(rule, False)} {n}" for rule, n in rules[:MAX_LEFT_OUT_RULES])
    if len(rules) > MAX_LEFT_OUT_RULES:
        named += f" and {len(rules) - MAX_LEFT_OUT_RULES} more rule(s)"
    return (f"**Left out to fit GitHub's {GITHUB_COMMENT_LIMIT:,}-character limit: {len(changes)} change(s)** "
            f"({counts}; by rule: {named}). {_full_report_hint(full_report)}")
