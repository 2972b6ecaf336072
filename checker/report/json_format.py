"""The documented JSON report (checker/schemas/report.schema.json, shipped in the package)."""

from __future__ import annotations

import json

from ..model import Report


def render(report: Report, **_: object) -> str:
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False, default=str) + "\n"
