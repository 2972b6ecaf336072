"""`apicompat render REPORT.json`: render a saved JSON report again in another format, so a
nightly job records once and publishes HTML, SARIF and Markdown from the same run."""

from __future__ import annotations

import json

import click

from ..errors import InputError
from ..model import Report


@click.command("render")
@click.argument("report_file", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", default="text", show_default=True, help="Report format.")
@click.option("--output", "-o", type=click.Path(dir_okay=False), default=None, help="Write to a file.")
@click.option("--fail-on", type=click.Choice(["breaking", "warning", "additive", "info", "none"]),
              default="none", show_default=True, help="Exit 1 when a change reaches this severity.")
def render_report(report_file: str, fmt: str, output: str | None, fail_on: str) -> int:
    """Render a report saved with --format json in another format."""
    from ..cli import parse_fail_on
    from ..jsonschemas import validate_report
    from ..output import emit

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
