"""Helpers shared by the report formats."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from ..lines import Location
from ..model import Change, Failure, Report
from ..safetext import printable

if TYPE_CHECKING:
    from ..rules import Rule


HOMEPAGE = "https://apicompat.dev"  # the fallback when the package metadata is missing (a bare checkout)


def homepage() -> str:
    """The project's Homepage from [project.urls] in pyproject.toml (the package metadata)."""
    from importlib.metadata import PackageNotFoundError, metadata  # start-up time: read only for links

    try:
        for entry in metadata("apicompat").get_all("Project-URL") or ():
            label, _, url = str(entry).partition(",")
            if label.strip().lower() == "homepage":
                return url.strip()
    except PackageNotFoundError:  # pragma: no cover - running from a checkout that was never installed
        pass
    return HOMEPAGE


def rule_info(rule_id: str) -> Rule | None:
    """The registry entry for a rule id, or None (e.g. a rule from a newer plugin)."""
    from ..rules import REGISTRY  # start-up time: the rule tables load only for formats that show rule docs

    return REGISTRY[rule_id] if rule_id in REGISTRY else None


def ops_text(change: Change, limit: int = 3) -> str:
    ops = list(change.operations)
    if not ops:
        return ""
    text = ", ".join(ops[:limit])
    if len(ops) > limit:
        text += f" (+{len(ops) - limit} more)"
    return text


def summary_line(report: Report) -> str:
    """The counts; "no changes" only when every case was compared (none failed to record)."""
    s = report.summary
    failed = failures_line(report)
    if not report.changes:
        return failed or "no changes"
    counts = (f"{s['breaking']} breaking, {s['warning']} warning, {s['additive']} additive, {s['info']} info"
              + (f", {s['suppressed']} suppressed" if s["suppressed"] else ""))
    return f"{failed}; {counts}" if failed else counts


def failures_line(report: Report) -> str:
    """ "N case(s) failed to record and were not compared", or "" when none did."""
    n = len(report.failures)
    return f"{n} case(s) failed to record and were not compared" if n else ""


def failure_text(failure: Failure) -> str:
    """One failure as a line (printable: the message may quote what the server sent)."""
    return f"case {printable(failure.case)} ({printable(failure.operation)}): {printable(failure.message)}"


def on_disk(source: str) -> bool:
    """A source named by a path, which SARIF and annotations can point at (not standard input, not a
    git revision)."""
    return bool(source) and source != "-" and not source.startswith("git:")


def file_location(report: Report, change: Change) -> Location | None:
    """The change's best location in a file on disk, if it has one."""
    return next((loc for loc in report.locations.get(change.pointer, ()) if on_disk(loc.source)), None)


def workspace_path(source: str) -> str:
    """A path relative to the working directory (the repository root in CI) when it lies under it."""
    path = Path(source)
    if path.is_absolute():
        try:
            if path.is_relative_to(Path.cwd()):
                return Path(os.path.relpath(path, Path.cwd())).as_posix()
        except (ValueError, OSError):
            pass
        return source
    return path.as_posix()
