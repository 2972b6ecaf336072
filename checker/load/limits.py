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
    # YAML aliases (alias bombs). What aliases add to a document, measured before anything is expanded:
    # at most `alias_factor` times what the document holds itself (scalar bytes, and values), plus a floor
    # for small documents; and never more than `max_alias_events` values in all. A 1 MiB scalar aliased
    # 1,500 times (1.5 GB) or billion laughs end at once; real specs that reuse a few blocks pass.
    max_alias_events: int = 1_000_000
    alias_factor: int = 1
    alias_floor_bytes: int = 1 * MB
    alias_floor_nodes: int = 100_000
    # How long a FIFO given as a file (`<(git show ...)`) may take to be written and closed.
    fifo_seconds: float = 30.0
    # Values (every mapping, list, key and scalar, aliases expanded) per document, and in all the
    # files it $refs together: what memory grows with (~150-350 bytes each once parsed and diffed), so
    # bounded too, at one per `bytes_per_value` bytes of the size limit (838,860 at 64 MB). Real specs
    # hold one per 24-30 bytes of YAML (Stripe: 174,000 values); `{"a": [{},{},...]}` holds one per 3
    # bytes and would cost ~50x its size. With these two bounds, two documents within the default limits
    # stay under 1 GB (benchmarks/hostile_memory.py).
    bytes_per_value: int = 80

    @property
    def max_values(self) -> int:
        return max(self.max_bytes // self.bytes_per_value, 100_000)


DEFAULT_LIMITS = Limits()
