"""The shared end of every reporting command: policy, format, output file, exit status."""

from __future__ import annotations

import sys

import click

from ..atomic import write_atomic
from ..model import Report, Severity
from ..report import FORMATTERS, RenderOptions, render


def load_policy(path: str | None):
    """The `--policy FILE` (apicompat.policy), or None."""
    if path is None:
        return None
    from .. import policy as policy_module

    return policy_module.load(path)


def plan_policy(path: str | None, plan) -> object:
    """`--policy FILE` when given, else the plan's `policy:` key (a file beside the plan, or an
    inline mapping), else None."""
    if path is not None:
        return load_policy(path)
    if plan is None:
        return None
    from .. import policy as policy_module

    if getattr(plan, "policy_text", None) is not None:
        return policy_module.loads(plan.policy_text, f"{plan.source} (policy)", lines=False)
    if getattr(plan, "policy", None) is not None:
        return policy_module.load(plan.policy)
    return None


def emit(report: Report, fmt: str, output: str | None, fail_on: Severity | None, policy=None,
         full_report: str | None = None) -> int:
    """The report (the policy applied) in `fmt`, to `output` or standard output; the exit status.
    Formats read only the report: the lines and fragments they show come from the documents it
    carries, read once at load time."""
    if fmt not in FORMATTERS:  # the commands' --format is a click.Choice: this is for API callers
        raise click.UsageError(f"unknown format {fmt!r} (choose from: {', '.join(FORMATTERS)})")
    if policy is not None:
        report = policy.apply(report)
    options = RenderOptions(fail_on=fail_on, full_report=full_report, colour=False if output else None)
    text = render(report, fmt, options)
    if output:
        write_atomic(output, text)
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
    return 1 if report.fails(fail_on) else 0
