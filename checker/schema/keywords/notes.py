"""Annotations: `default`, `description`, `title`, `example`/`examples`, `deprecated`, and the
`x-opaque` mark. They accept nothing and reject nothing; under allOf the schema's own value wins,
then the members' in content order (normalise.py), so the pick does not depend on their order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...rules import schema_rules as R
from ..findings import Ctx
from ..form import Norm, canonical
from .common import BOOLEAN, Findings, finding

if TYPE_CHECKING:  # pragma: no cover
    from ..walker import Walker

KEYWORDS = ("default", "description", "title", "example", "examples", "deprecated", "x-opaque")
SPELLINGS = {"deprecated": BOOLEAN}
EMITS = (R.DEFAULT_ADDED, R.DEFAULT_REMOVED, R.DEFAULT_CHANGED, R.DEPRECATED, R.REACTIVATED,
         R.DESCRIPTION_CHANGED, R.TITLE_CHANGED, R.EXAMPLE_CHANGED)
# The fields a schema's own value of wins over its members' (normalise.py).
NOTES = ("default", "description", "title", "example")


def read(n: Norm, raw: dict[str, Any]) -> None:
    if "default" in raw:
        n.has_default, n.default = True, raw["default"]
    if isinstance(raw.get("description"), str):
        n.description = raw["description"]
    if isinstance(raw.get("title"), str):
        n.title = raw["title"]
    if "example" in raw:
        n.example = canonical(raw["example"])
    elif isinstance(raw.get("examples"), list) and raw["examples"]:
        ex = raw["examples"]
        n.example = canonical(ex[0] if len(ex) == 1 else ex)
    n.deprecated = raw.get("deprecated") is True
    n.opaque = raw.get("x-opaque") is True


def merge(n: Norm, m: Norm) -> None:
    """`m`'s values fill what `n` lacks."""
    if not n.has_default and m.has_default:
        n.has_default, n.default = True, m.default
    for name in ("description", "title", "example"):
        if getattr(n, name) is None and getattr(m, name) is not None:
            setattr(n, name, getattr(m, name))
    n.deprecated = n.deprecated or m.deprecated
    n.opaque = n.opaque or m.opaque


def diff_default(w: Walker, o: Norm, n: Norm, ctx: Ctx) -> Findings:
    if not o.has_default and not n.has_default:
        return
    if not o.has_default:
        yield finding(R.DEFAULT_ADDED, o, n, None, n.default)
    elif not n.has_default:
        yield finding(R.DEFAULT_REMOVED, o, n, o.default, None)
    elif canonical(o.default) != canonical(n.default):
        yield finding(R.DEFAULT_CHANGED, o, n, o.default, n.default)


def diff_deprecated(w: Walker, o: Norm, n: Norm, ctx: Ctx) -> Findings:
    if n.deprecated and not o.deprecated:
        yield finding(R.DEPRECATED, o, n)
    elif o.deprecated and not n.deprecated:
        yield finding(R.REACTIVATED, o, n)


def diff_description(w: Walker, o: Norm, n: Norm, ctx: Ctx) -> Findings:
    if o.description != n.description:
        yield finding(R.DESCRIPTION_CHANGED, o, n)


def diff_title(w: Walker, o: Norm, n: Norm, ctx: Ctx) -> Findings:
    if o.title != n.title:
        yield finding(R.TITLE_CHANGED, o, n, o.title, n.title)


def diff_example(w: Walker, o: Norm, n: Norm, ctx: Ctx) -> Findings:
    if o.example != n.example:
        yield finding(R.EXAMPLE_CHANGED, o, n)
