"""What a report format is asked besides the report itself: one typed set for every format, each
format reading the fields it uses."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Severity


@dataclass(frozen=True)
class RenderOptions:
    # junit: a <failure> for each change at or above it (None: `--fail-on none`, never)
    fail_on: Severity | None = Severity.BREAKING
    # text: colour (None: on a terminal that can show it; apicompat.report.text.use_colour)
    colour: bool | None = None
    # text, markdown, github: list info changes too
    show_info: bool = True
    # markdown: where the full report is, named when changes are left out (a URL or a name)
    full_report: str | None = None
    # markdown, html: the heading
    title: str | None = None
    # markdown: the size budget (None: apicompat.report.markdown.MAX_CHARS)
    max_chars: int | None = None


DEFAULT = RenderOptions()
