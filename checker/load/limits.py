"""Bounds chosen deliberately so hostile input ends fast and clearly (see docs/reliability.md)."""

from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    # Largest real spec seen is ~4 MB (Stripe); 64 MB leaves room without letting a file eat memory.
    max_bytes: int = 64 * MB
    # Nesting of data. YAML's own parser (yaml-rs) stops at 255 levels; JSON may go to 1000, so a
    # schema with properties nested 200 deep (about 400 levels of data) is still diffed.
    max_depth: int = 1000
    # Total node expansions through YAML aliases (alias bombs).
    max_alias_events: int = 1_000_000
    # How long a FIFO given as a file (`<(git show ...)`) may take to be written and closed.
    fifo_seconds: float = 30.0


DEFAULT_LIMITS = Limits()
