"""Commands contributed by other modules (record, check, gate, ...), registered by cli.py."""

from __future__ import annotations

COMMANDS: list = []
