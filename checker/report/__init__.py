"""Report formats: one module per format, each `render(report, **options) -> str`."""

from __future__ import annotations

from typing import Callable

from ..model import Report
from . import github, html, json_format, junit, markdown, sarif, text

FORMATTERS: dict[str, Callable[..., str]] = {
    "text": text.render,
    "json": json_format.render,
    "markdown": markdown.render,
    "junit": junit.render,
    "sarif": sarif.render,
    "github": github.render,
    "html": html.render,
}

# Formats that show source lines: apicompat.cli.output.emit fills report.locations for them.
NEEDS_LINES = frozenset({"sarif", "github", "markdown", "html"})
# Formats that show schema fragments: emit passes the parsed documents when the inputs are files.
NEEDS_DOCUMENTS = frozenset({"html"})


def render(report: Report, fmt: str, **options) -> str:
    return FORMATTERS[fmt](report, **options)
