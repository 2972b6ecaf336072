"""`discriminator` (OpenAPI): which property tells a union's members apart, and the mapping of its
values to members. Documentation for validators; a changed property or mapping changes how clients
dispatch. Under allOf the schema's own wins, then the members' in content order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...rules import schema_rules as R
from ..findings import Ctx
from ..form import Norm
from .common import MAPPING, Findings, finding

if TYPE_CHECKING:  # pragma: no cover
    from ..walker import Walker

KEYWORDS = ("discriminator",)
SPELLINGS = {"discriminator": MAPPING}
EMITS = (R.DISCRIMINATOR_ADDED, R.DISCRIMINATOR_REMOVED, R.DISCRIMINATOR_PROPERTY_CHANGED,
         R.DISCRIMINATOR_MAPPING_CHANGED)


def read(n: Norm, raw: dict[str, Any]) -> None:
    if isinstance(raw["discriminator"], dict):
        n.discriminator = raw["discriminator"]


def merge(n: Norm, m: Norm) -> None:
    if n.discriminator is None and m.discriminator is not None:
        n.discriminator = m.discriminator


def diff_discriminator(w: Walker, o: Norm, n: Norm, ctx: Ctx) -> Findings:
    od, nd = o.discriminator, n.discriminator
    if od == nd:
        return
    if od is None:
        yield finding(R.DISCRIMINATOR_ADDED, o, n, None, (nd or {}).get("propertyName"))
        return
    if nd is None:
        yield finding(R.DISCRIMINATOR_REMOVED, o, n, od.get("propertyName"), None)
        return
    if od.get("propertyName") != nd.get("propertyName"):
        yield finding(R.DISCRIMINATOR_PROPERTY_CHANGED, o, n, od.get("propertyName"), nd.get("propertyName"))
    om, nm = od.get("mapping"), nd.get("mapping")
    om = om if isinstance(om, dict) else {}
    nm = nm if isinstance(nm, dict) else {}
    for value, target in om.items():
        if value in nm and nm[value] != target and not w.same_target(target, nm[value]):
            yield finding(R.DISCRIMINATOR_MAPPING_CHANGED, o, n, f"{value} -> {target}", f"{value} -> {nm[value]}")
        elif value not in nm:
            yield finding(R.DISCRIMINATOR_MAPPING_CHANGED, o, n, f"{value} -> {target}", None)
