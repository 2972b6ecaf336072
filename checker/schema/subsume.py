"""Does one schema accept every value another accepts? A conservative answer (False when unsure),
used to judge a union as a whole: a request union member that covers an old value makes the
narrowing of another member harmless, and so on.
"""

from __future__ import annotations

import re

from ..jsontypes import json_type
from .normalise import Norm, canonical, stricter

MAX_DEPTH = 32


class Subsumption:
    def __init__(self, sides: dict) -> None:
        self.sides = sides  # "old"/"new" -> Normaliser
        self._memo: dict[tuple[str, str, str, str], bool] = {}

    def covers(self, wide: Norm, narrow: Norm, wide_side: str, narrow_side: str, depth: int = 0) -> bool:
        key = (wide.key, narrow.key, wide_side, narrow_side)
        hit = self._memo.get(key)
        if hit is not None:
            return hit
        if depth > MAX_DEPTH:
            return False
        self._memo[key] = True  # co-inductive: a cycle that reaches itself is consistent
        result = self._covers(wide, narrow, wide_side, narrow_side, depth)
        self._memo[key] = result
        return result

    def _norm(self, side: str, node) -> Norm:
        return self.sides[side].norm(node)

    def _covers(self, a: Norm, b: Norm, sa: str, sb: str, depth: int) -> bool:
        if b.false:
            return True
        if a.false:
            return False
        if b.nullable and not a.nullable and not (a.types is None and a.union is None and a.enum is None):
            return False
        if a.union is not None:
            if any(self.covers(self._norm(sa, m), b, sa, sb, depth + 1) for m in a.union):
                return True
            if b.union is not None:
                return all(self.covers(a, self._norm(sb, m), sa, sb, depth + 1) for m in b.union)
            return False
        if b.union is not None:
            return all(self.covers(a, self._norm(sb, m), sa, sb, depth + 1) for m in b.union)
        if b.enum is not None:
            return all(self._accepts_value(a, v, sa) for v in b.enum)
        if a.enum is not None:
            return False
        if a.types is not None:
            if b.types is None:
                return False
            if not all(t in a.types or (t == "integer" and "number" in a.types) for t in b.types):
                return False
        for name, bound in a.bounds.items():
            other = b.bounds.get(name)
            if other is None or not (other == bound or stricter(name, other, bound)):
                return False
        if a.pattern is not None and a.pattern != b.pattern:
            return False
        if a.multiple_of is not None and a.multiple_of != b.multiple_of:
            return False
        if a.unique_items and not b.unique_items:
            return False
        for kind, text in a.applicators.items():
            if b.applicators.get(kind) != text:
                return False
        if a.format is not None and a.format != b.format and a.format in _VALIDATING:
            return False
        if not a.required <= b.required:
            return False
        for name, child in a.props.items():
            if name in b.props:
                if not self.covers(self._norm(sa, child), self._norm(sb, b.props[name]), sa, sb, depth + 1):
                    return False
            elif b.additional is not False and not trivial(self._norm(sa, child)):
                return False
        if a.additional is False:
            if b.additional is not False or not set(b.props) <= set(a.props):
                return False
        if a.items is not None:
            if b.items is None or not self.covers(self._norm(sa, a.items), self._norm(sb, b.items), sa, sb, depth + 1):
                return False
        return True

    def _accepts_value(self, a: Norm, value, sa: str) -> bool:
        if value is None:
            return a.nullable or (a.types is None and a.union is None)
        if a.union is not None:
            return any(self._accepts_value(self._norm(sa, m), value, sa) for m in a.union)
        if a.enum is not None:
            return canonical(value) in {canonical(v) for v in a.enum}
        if a.types is not None and json_type(value, integral_floats=True) not in a.types and not (
            json_type(value, integral_floats=True) == "integer" and "number" in a.types
        ):
            return False
        if isinstance(value, str):
            if "max-length" in a.bounds and len(value) > a.bounds["max-length"]:
                return False
            if "min-length" in a.bounds and len(value) < a.bounds["min-length"]:
                return False
            if a.pattern is not None:
                try:
                    if re.search(a.pattern, value) is None:
                        return False
                except re.error:
                    return False
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if "max" in a.bounds:
                limit, excl = a.bounds["max"]
                if value > limit or (excl and value == limit):
                    return False
            if "min" in a.bounds:
                limit, excl = a.bounds["min"]
                if value < limit or (excl and value == limit):
                    return False
        return not isinstance(value, (dict, list)) or a.types is None or json_type(value, integral_floats=True) in a.types


_VALIDATING = {"date-time", "date", "time", "email", "uuid", "uri", "ipv4", "ipv6", "hostname", "int32", "float"}


def trivial(n: Norm) -> bool:
    return (n.types is None and n.enum is None and n.union is None and not n.bounds and not n.props
            and n.pattern is None and not n.applicators and not n.false)


