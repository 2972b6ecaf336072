"""Commands on reports and rules: `render REPORT.json` renders a saved JSON report again in another
format (a nightly job records once and publishes HTML, SARIF and Markdown from the same run); `rules`
prints the rule catalogue."""

from __future__ import annotations

import click

from ..model import Report
from .options import EXIT_OK, FAIL_ON, format_option, full_report_option, parse_fail_on
from .output import check_output, emit


@click.command("render")
@click.argument("report_file")
@format_option()
@click.option("--output", "-o", default=None, callback=check_output, metavar="FILE",
              help="Write to a file.")
@click.option("--fail-on", type=FAIL_ON, default="none", show_default=True,
              help="Exit 1 when a change reaches this severity.")
@full_report_option
@click.option("--max-size", type=click.IntRange(1, 4096), default=64, show_default=True,
              help="Largest report file, in MB.")
def render_report(report_file: str, fmt: str, output: str | None, fail_on: str, full_report: str | None,
                  max_size: int) -> int:
    """Render a report saved with --format json (a file, '-' or git:REV:PATH) in another format."""
    from ..jsonschemas import validate_report  # start-up time: the reader loads only when `render` runs
    from ..load.documents import load_json  # start-up time: the reader loads only when `render` runs
    from ..load.limits import MB, Limits  # start-up time: the reader loads only when `render` runs

    # read like every input: regular files within the size limit; never /dev/zero until memory runs out
    data = load_json(report_file, Limits(max_bytes=max_size * MB))
    validate_report(report_file, data)
    assert isinstance(data, dict)  # validated: a report is a mapping
    return emit(Report.from_dict(data), fmt, output, parse_fail_on(fail_on), full_report=full_report)


@click.command()
@format_option(choices=("text", "json", "markdown"))
def rules(fmt: str) -> int:
    """Print the rule catalogue."""
    from ..catalogue import render_catalogue  # start-up time: the rule tables load only for `rules`

    click.echo(render_catalogue(fmt), nl=False)
    return EXIT_OK


COMMANDS = [render_report, rules]
