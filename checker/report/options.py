"""The options every reporting command shares (diff, gate, check, conform), declared once."""

from __future__ import annotations

import click

FAIL_ON = click.Choice(["breaking", "warning", "additive", "info", "none"])


def report_options(policy_help: str = "Policy file (severity, ignore, opaque).", with_policy: bool = True):
    """--format, --output, --fail-on and (usually) --policy, in that order."""

    def decorate(f):
        if with_policy:
            f = click.option("--policy", type=click.Path(dir_okay=False), default=None, help=policy_help)(f)
        f = click.option("--fail-on", type=FAIL_ON, default="breaking", show_default=True,
                         help="Exit 1 when a change reaches this severity; 'none' never fails.")(f)
        f = click.option("--output", "-o", type=click.Path(dir_okay=False), default=None,
                         help="Write the report to a file.")(f)
        f = click.option("--format", "fmt", default="text", show_default=True,
                         help="Report format: text, json, markdown, junit, sarif, github, html.")(f)
        return f

    return decorate


def strict_option():
    """--strict: refuse an irregular document (exit 2) instead of reading it with an `input-irregular` note."""
    return click.option("--strict", is_flag=True,
                        help="Refuse irregular documents (exit 2) instead of reading them the obvious way.")
