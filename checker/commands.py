"""Commands contributed by other modules (record, check, gate, ...), registered by cli.py."""

from __future__ import annotations

COMMANDS: list = []

from .record.commands import record_commands  # noqa: E402  (an import error here must not be hidden)

COMMANDS.extend(record_commands())

from .report.commands import COMMANDS as _report_commands  # noqa: E402  (gate, changelog)

COMMANDS.extend(_report_commands)
