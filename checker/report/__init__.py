"""Report formats: one module per format, each `render(report, options) -> str`. A format reads only
the report (its changes, and the locations and documents it carries) and its typed options."""

from __future__ import annotations

from collections.abc import Callable

from ..model import Report
from . import github, html, json_format, junit, markdown, sarif, text
from .options import DEFAULT, RenderOptions

FORMATTERS: dict[str, Callable[[Report, RenderOptions], str]] = {
    "text": text.render,
    "json": json_format.render,
    "markdown": markdown.render,
    "junit": junit.render,
    "sarif": sarif.render,
    "github": github.render,
    "html": html.render,
}

__all__ = ["FORMATTERS", "RenderOptions", "render"]


def render(report: Report, fmt: str, options: RenderOptions = DEFAULT) -> str:
    return FORMATTERS[fmt](report, options)
