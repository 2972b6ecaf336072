"""What every keyword unit shares: the signature of a diff function and how a finding is made.

A unit's diff function is `(walker, old, new, ctx) -> findings`: it compares the canonical forms of
both sides (normalise.py) and yields neutral *kinds* (named constants of rules/schema_rules.py);
the registry gives each kind its rule id and severity for the context.
"""

from __future__ import annotations

from typing import Iterator

from ..findings import Finding
from ..form import Node, Norm

Findings = Iterator[Finding]


def finding(kind: str, o: Norm, n: Norm, old=None, new=None, detail: str = "", at: Node | None = None,
            new_at: Node | None = None) -> Finding:
    """A finding about the pair (o, n); `at`/`new_at`: a part of it (a property) where it is."""
    pointer = (at or o.node).ptr
    return Finding(kind, pointer, o.ptr, old, new, detail, (new_at or n.node).ptr)
