"""What every command shares, declared once: the reporting options (diff, gate, check, conform),
exit statuses, --fail-on parsing, and one-line error text."""

from __future__ import annotations

import click

from ..model import Severity
from .output import check_output

# 0 nothing reaches --fail-on, 1 something does, 2 usage error or bad input, 3 an internal error (a bug in
# apicompat, not in the input): a CI gate can tell a crash from a bad spec.
EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


def parse_fail_on(value: str) -> Severity | None:
    return None if value == "none" else Severity.parse(value)


def one_line(text: str, limit: int = 2000) -> str:
    """Errors are one line: parser messages can carry newlines and snippets; huge ones are cut."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


FAIL_ON = click.Choice(["breaking", "warning", "additive", "info", "none"])


def report_options(policy_help: str = "Policy file (severity, ignore, opaque).", with_policy: bool = True):
    """--format, --output, --fail-on and (usually) --policy, in that order."""

    def decorate(f):
        if with_policy:
            f = click.option("--policy", type=click.Path(dir_okay=False), default=None, help=policy_help)(f)
        f = click.option("--fail-on", type=FAIL_ON, default="breaking", show_default=True,
                         help="Exit 1 when a change reaches this severity; 'none' never fails.")(f)
        f = click.option("--output", "-o", default=None, callback=check_output, metavar="FILE",
                         help="Write the report to a file.")(f)
        f = click.option("--format", "fmt", default="text", show_default=True,
                         help="Report format: text, json, markdown, junit, sarif, github, html.")(f)
        return f

    return decorate
