"""A schema fragment as a report shows it (the HTML page's old and new sides, and the JSON report that
`apicompat render` can make that page from again): indented JSON, cut at MAX_FRAGMENT characters."""

from __future__ import annotations

import json

MAX_FRAGMENT = 4000


def fragment_text(value: object) -> str | None:
    """None for nothing to show (no value, or JSON null)."""
    if value is None:
        return None
    try:
        text = json.dumps(value, indent=2, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        text = repr(value)
    if len(text) > MAX_FRAGMENT:
        text = text[:MAX_FRAGMENT] + "\n… (truncated)"
    return text
