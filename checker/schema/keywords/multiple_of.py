"""`multipleOf`. Under allOf a value must be a multiple of each: of their least common multiple."""

from __future__ import annotations

import math
from fractions import Fraction
from math import gcd
from typing import TYPE_CHECKING, Any

from ...rules import schema_rules as R
from ..findings import Ctx
from ..form import Node, Norm
from .common import NUMBER, Findings, finding
from .parts import Atoms, is_number

if TYPE_CHECKING:  # pragma: no cover
    from ..accepts import Acceptor
    from ..subsume import Subsumption
    from ..walker import Walker

KEYWORDS = ("multipleOf",)
APPLIES_TO = ("number", "integer")
SPELLINGS = {"multipleOf": NUMBER}
EMITS = (R.MULTIPLE_OF_SET, R.MULTIPLE_OF_UNSET, R.MULTIPLE_OF_CHANGED)


def read(n: Norm, raw: dict[str, Any]) -> None:
    mo = raw["multipleOf"]
    if isinstance(mo, (int, float)) and not isinstance(mo, bool) and mo > 0:
        n.multiple_of = mo


def merge(n: Norm, m: Norm) -> None:
    if m.multiple_of is not None:
        n.multiple_of = m.multiple_of if n.multiple_of is None else lcm(n.multiple_of, m.multiple_of)


def prune(n: Norm) -> None:
    n.multiple_of = None


def lcm(a: Any, b: Any) -> Any:
    """The least common multiple of two positive rationals: multiples of both are its multiples."""
    fa, fb = Fraction(str(a)), Fraction(str(b))
    num = fa.numerator * fb.numerator // gcd(fa.numerator, fb.numerator)
    out = Fraction(num, gcd(fa.denominator, fb.denominator))
    return int(out) if out.denominator == 1 and isinstance(a, int) and isinstance(b, int) else float(out)


def divides(wide: float, narrow: float | None) -> bool:
    """Every multiple of `narrow` is a multiple of `wide`."""
    if narrow is None:
        return False
    q = narrow / wide
    return abs(q - round(q)) < 1e-9 and round(q) != 0


def whole(n: Norm) -> bool:
    """Every number the form accepts is an integer: it must be a multiple of a whole number."""
    return n.multiple_of is not None and float(n.multiple_of).is_integer()


def includes(rel: Subsumption, a: Norm, b: Norm, sa: str, sb: str, depth: int) -> bool:
    return a.multiple_of is None or divides(a.multiple_of, b.multiple_of)


def accepts(acc: Acceptor, node: Node, value: Any, depth: int) -> bool | None:
    mo = node.raw["multipleOf"]
    if is_number(value) and is_number(mo) and mo > 0:
        q = value / mo
        return math.isfinite(q) and abs(q - round(q)) < 1e-9
    return True


ACCEPTS = {"multipleOf": accepts}


def constants(raw: dict[str, Any], atoms: Atoms) -> None:
    atoms.number(raw.get("multipleOf"))
    atoms.step(raw.get("multipleOf"))


def multiples(atoms: Atoms) -> list[int | float]:
    """Numbers that meet a step and a bound at once: the first few multiples of each step at or past each
    numeric bound (and zero): an odd multiple of 3 above 10 is 15, which neither constant's neighbours are."""
    out: list[int | float] = []
    for step in atoms.steps:
        for bound in atoms.bounds:
            first = math.ceil(bound / step)
            for k in range(first, first + 4):
                v = k * step
                out.append(int(v) if float(v).is_integer() and abs(v) < 2**53 else v)
    return out


def diff_multiple_of(w: Walker, o: Norm, n: Norm, ctx: Ctx) -> Findings:
    om, nm = o.multiple_of, n.multiple_of
    if om == nm:
        return
    if om is None:
        yield finding(R.MULTIPLE_OF_SET, o, n, None, nm)
    elif nm is None:
        yield finding(R.MULTIPLE_OF_UNSET, o, n, om, None)
    else:
        yield finding(R.MULTIPLE_OF_CHANGED, o, n, om, nm)
