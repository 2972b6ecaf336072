"""Commands contributed by other modules (record, check, gate, ...), registered by cli.py.

Imported eagerly on purpose: an import error in a command module must not be hidden.
"""

from __future__ import annotations


def all_commands() -> list:
    from .record.commands import record_commands
    from .report.commands import COMMANDS as report_commands
    from .report.render_command import render_report

    return [*record_commands(), *report_commands, render_report]
