"""Bounds chosen deliberately so hostile input ends fast and clearly (see docs/reliability.md)."""

from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    # Largest real spec seen is ~4 MB (Stripe); 64 MB leaves room without letting a file eat memory.
    max_bytes: int = 64 * MB
    # Nesting of data (YAML's own parser stops at 256 levels; JSON is held to the same).
    max_depth: int = 256
    # Total node expansions through YAML aliases (alias bombs).
    max_alias_events: int = 1_000_000


DEFAULT_LIMITS = Limits()
