"""What every command shares, declared once: the reporting options (diff, gate, check, conform),
exit statuses, --fail-on parsing, and one-line error text."""

from __future__ import annotations

import click

from ..model import Severity
from ..safetext import printable
from .output import check_output

# 0 nothing reaches --fail-on, 1 something does, 2 usage error or bad input, 3 an internal error (a bug in
# apicompat, not in the input): a CI gate can tell a crash from a bad spec.
EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


def parse_fail_on(value: str) -> Severity | None:
    return None if value == "none" else Severity.parse(value)


def one_line(text: str, limit: int = 2000) -> str:
    """Errors are one line: parser messages can carry newlines and snippets (whitespace runs become
    one space), names from a hostile file can carry terminal escapes (shown as `\x1b`, never sent);
    huge ones are cut."""
    text = printable(" ".join(text.split()))
    return text if len(text) <= limit else text[: limit - 3] + "..."


FAIL_ON = click.Choice(["breaking", "warning", "additive", "info", "none"])
# The report formats (apicompat.report.FORMATTERS; a test keeps the two in step), spelled out here so
# that a wrong --format is refused before any work starts, without importing every formatter.
FORMATS = ("text", "json", "markdown", "junit", "sarif", "github", "html")


def format_option(default: str = "text", choices: tuple[str, ...] = FORMATS):
    return click.option("--format", "fmt", type=click.Choice(choices), default=default, show_default=True,
                        help="Report format: " + ", ".join(choices) + ".")


def full_report_option(f):
    return click.option("--full-report", default=None, metavar="URL|TEXT",
                        help="Where the full report is (a URL, an artifact name), named by a Markdown report "
                             "that had to leave changes out to fit GitHub's 65,536-character limit.")(f)


def report_options(policy_help: str = "Policy file (severity, ignore, opaque, events).", with_policy: bool = True):
    """--format, --output, --fail-on, (usually) --policy and --full-report, in that order."""

    def decorate(f):
        f = full_report_option(f)
        if with_policy:
            f = click.option("--policy", type=click.Path(dir_okay=False), default=None, help=policy_help)(f)
        f = click.option("--fail-on", type=FAIL_ON, default="breaking", show_default=True,
                         help="Exit 1 when a change reaches this severity; 'none' never fails.")(f)
        f = click.option("--output", "-o", default=None, callback=check_output, metavar="FILE",
                         help="Write the report to a file.")(f)
        f = format_option()(f)
        return f

    return decorate


def strict_option():
    """--strict: refuse an irregular document (exit 2) instead of reading it with an `input-irregular` note."""
    return click.option("--strict", is_flag=True,
                        help="Refuse irregular documents (exit 2) instead of reading them the obvious way.")


def max_size_option(what: str = "Largest input file, in MB."):
    """--max-size MB: what the loader's "larger than the N MB limit (raise it with --max-size MB)" names,
    so every command that reads a document has it."""
    return click.option("--max-size", type=click.IntRange(1, 4096), default=64, show_default=True, help=what)
