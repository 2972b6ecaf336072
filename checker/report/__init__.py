"""Report formats: one module per format, each `render(report) -> str`."""

from __future__ import annotations

from typing import Callable

from ..model import Report
from . import json_format, text

FORMATTERS: dict[str, Callable[..., str]] = {
    "text": text.render,
    "json": json_format.render,
}


def render(report: Report, fmt: str, **options) -> str:
    return FORMATTERS[fmt](report, **options)
