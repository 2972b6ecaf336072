"""GitHub Actions workflow commands: a summary notice first, then `::error file=F,line=L,title=RULE::`
per breaking change, `::warning` per warning, `::notice` per additive or info change, within what
GitHub shows.

GitHub keeps at most 10 error, 10 warning and 10 notice annotations per step and 50 per job
(actions/toolkit, docs/problem-matchers.md, "Limitations"); past that they are dropped silently,
in the order printed. So the summary comes first and says how many were left out, with the rest
counted by rule; at most MAX_PER_KIND of each kind follow, worst first.

Values from the documents go through `printable` (no raw control characters) and then the
workflow-command escaping (`%`, CR, LF; in properties also `:` and `,`), so a name holding a
newline cannot start a line of its own (`::error::...`, `::stop-commands::...`)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from ..model import Change, Report, Severity
from ..safetext import printable
from ._common import failure_text, file_location, on_disk, ops_text, summary_line, workspace_path
from .options import DEFAULT, RenderOptions

COMMANDS = {Severity.BREAKING: "error", Severity.WARNING: "warning", Severity.ADDITIVE: "notice",
            Severity.INFO: "notice"}
MAX_PER_KIND = 10  # GitHub shows 10 annotations of each kind per step
MAX_RULES_IN_SUMMARY = 15
MAX_FAILURES = 20  # cases not recorded, named in the summary annotation


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(command: str, message: str, **props: object) -> str:
    parts = ",".join(f"{k}={escape_property(str(v))}" for k, v in props.items() if v not in (None, ""))
    return f"::{command}{' ' + parts if parts else ''}::{escape_data(message)}"


def _file_for(report: Report, change: Change) -> tuple[str | None, int | None]:
    """The annotation's file and line: the change's first location in a file of the checkout, else the
    new file without a line (standard input and git revisions are no file an annotation can name)."""
    loc = file_location(report, change)
    file = loc.source if loc else (report.new_source if on_disk(report.new_source) else None)
    return (printable(workspace_path(file)) if file else None), (loc.line if loc else None)


def render(report: Report, options: RenderOptions = DEFAULT) -> str:
    show_info = options.show_info
    shown: list[Any] = []
    left_out: list[Any] = []
    used = Counter({"notice": 1})  # the summary is a notice
    for c in report.active:
        if c.severity is Severity.INFO and not show_info:
            continue
        kind = COMMANDS[c.severity]
        if used[kind] < MAX_PER_KIND:
            used[kind] += 1
            shown.append(c)
        else:
            left_out.append(c)
    lines = [annotation("error" if report.failures else "notice", _summary(report, shown, left_out),
                        title="apicompat summary")]
    for c in shown:
        file, line = _file_for(report, c)
        ops = printable(ops_text(c))
        message = (printable(c.message) + (f" [{ops}]" if ops else "") + f"\nat {printable(c.pointer)}"
                   + f"\npolicy: {printable(c.policy)}")
        lines.append(annotation(COMMANDS[c.severity], message, file=file, line=line, title=printable(c.rule)))
    return "\n".join(lines) + "\n"


def _summary(report: Report, shown: list[Any], left_out: list[Any]) -> str:
    text = f"apicompat: {summary_line(report)}"
    if left_out:
        text += (f"\n{len(shown)} change(s) annotated, {len(left_out)} more not (GitHub shows "
                 f"{MAX_PER_KIND} annotations of each kind per step); the full list is in the job summary "
                 "or `--format text`. Not annotated, by rule:")
        counts = Counter((c.rule, c.severity.label) for c in left_out)
        for (rule, label), n in counts.most_common(MAX_RULES_IN_SUMMARY):
            text += f"\n  {n} x {printable(rule)} ({label})"
        if len(counts) > MAX_RULES_IN_SUMMARY:
            rest = counts.most_common()[MAX_RULES_IN_SUMMARY:]
            text += f"\n  and {sum(n for _, n in rest)} more under {len(rest)} other rule(s)"
    text += "".join(f"\nnot recorded: {failure_text(f)}" for f in report.failures[:MAX_FAILURES])
    if len(report.failures) > MAX_FAILURES:
        text += f"\nand {len(report.failures) - MAX_FAILURES} more case(s) not recorded"
    text += "".join(f"\nnote: {printable(n)}" for n in report.notes)
    return text
