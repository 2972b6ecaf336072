"""Commands on reports and rules: `render REPORT.json` renders a saved JSON report again in another
format (a nightly job records once and publishes HTML, SARIF and Markdown from the same run); `rules`
prints the rule catalogue."""

from __future__ import annotations

import json

import click

from ..errors import InputError
from ..model import Report
from .options import EXIT_OK, parse_fail_on
from .output import check_output, emit


@click.command("render")
@click.argument("report_file", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", default="text", show_default=True, help="Report format.")
@click.option("--output", "-o", default=None, callback=check_output, metavar="FILE",
              help="Write to a file.")
@click.option("--fail-on", type=click.Choice(["breaking", "warning", "additive", "info", "none"]),
              default="none", show_default=True, help="Exit 1 when a change reaches this severity.")
def render_report(report_file: str, fmt: str, output: str | None, fail_on: str) -> int:
    """Render a report saved with --format json in another format."""
    from ..jsonschemas import validate_report

    try:
        with open(report_file, encoding="utf-8") as fh:
            data = json.load(fh)
    except FileNotFoundError:
        raise InputError(report_file, "no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(report_file, f"cannot read: {exc}") from None
    except json.JSONDecodeError as exc:
        raise InputError(report_file, f"invalid JSON: {exc.msg}", f"line {exc.lineno}, column {exc.colno}") from None
    validate_report(report_file, data)
    return emit(Report.from_dict(data), fmt, output, parse_fail_on(fail_on))


@click.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True)
def rules(fmt: str) -> int:
    """Print the rule catalogue."""
    from ..catalogue import render_catalogue

    click.echo(render_catalogue(fmt), nl=False)
    return EXIT_OK


COMMANDS = [render_report, rules]
