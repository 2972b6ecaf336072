"""The command line (click): argument parsing and exit statuses only; the work is done by plain
functions underneath (api, record.run, usage, report)."""

from .main import cli, main

__all__ = ["cli", "main"]
