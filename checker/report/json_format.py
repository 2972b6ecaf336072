"""The documented JSON report (checker/schemas/report.schema.json, shipped in the package)."""

from __future__ import annotations

import json

from ..model import Report
from .options import DEFAULT, RenderOptions


def render(report: Report, options: RenderOptions = DEFAULT) -> str:
    """Each change with the lines where it is (`locations`), so that `apicompat render` needs no input."""
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False, default=str) + "\n"
