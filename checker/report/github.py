"""GitHub Actions workflow commands: `::error file=F,line=L,title=RULE::message` per change
(breaking -> error, warning -> warning, additive and info -> notice), then a summary notice."""

from __future__ import annotations

from ..model import Report, Severity
from ._common import ops_text, summary_line, workspace_path

COMMANDS = {Severity.BREAKING: "error", Severity.WARNING: "warning", Severity.ADDITIVE: "notice",
            Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(command: str, message: str, **props: object) -> str:
    parts = ",".join(f"{k}={escape_property(str(v))}" for k, v in props.items() if v not in (None, ""))
    return f"::{command}{' ' + parts if parts else ''}::{escape_data(message)}"


def render(report: Report, show_info: bool = True, **_: object) -> str:
    lines: list[str] = []
    for c in report.active:
        if c.severity is Severity.INFO and not show_info:
            continue
        loc = report.locations.get(c.pointer)
        file = loc[0] if loc else (report.new_source if report.new_source not in ("", "-")
                                   and not report.new_source.startswith("git:") else None)
        if file:
            file = workspace_path(file)
        ops = ops_text(c)
        message = f"{c.message}" + (f" [{ops}]" if ops else "") + f"\nat {c.pointer}\npolicy: {c.policy}"
        lines.append(annotation(COMMANDS[c.severity], message, file=file, line=loc[1] if loc else None,
                                title=c.rule))
    lines.append(annotation("notice", f"apicompat: {summary_line(report)}" +
                            "".join(f"\nnote: {n}" for n in report.notes), title="apicompat summary"))
    return "\n".join(lines) + "\n"
