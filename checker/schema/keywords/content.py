"""`contentSchema`: the schema of a string's decoded content (with `contentMediaType`). Judged like any
schema, on the decoded content: a new contentSchema that rejects content the old accepted is a break."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...rules import schema_rules as R
from ..findings import Ctx
from ..normalise import Node, Norm
from ..subsume import values
from .judged import Findings, Verdicts, carries, judge

if TYPE_CHECKING:  # pragma: no cover
    from ..walker import Walker

KINDS = Verdicts(R.CONTENT_SCHEMA_ADDED, R.CONTENT_SCHEMA_REMOVED, R.CONTENT_SCHEMA_TIGHTENED,
                 R.CONTENT_SCHEMA_LOOSENED, R.CONTENT_SCHEMA_REPLACED, R.CONTENT_SCHEMA_CHANGED)


def _content(n: Norm) -> Node | None:
    found = values(n, "contentSchema")
    return found[0] if found else None


def diff_content_schema(w: "Walker", o: Norm, n: Norm, ctx: Ctx) -> Findings:
    if not carries(o, n, "contentSchema"):
        return
    oc, nc = _content(o), _content(n)
    if oc is None and nc is None:
        return
    o_whole = w.old.norm(oc or Node(True, o.ptr + "/contentSchema", o.key + "/contentSchema|any"))
    n_whole = w.new.norm(nc or Node(True, n.ptr + "/contentSchema", n.key + "/contentSchema|any"))
    yield from judge(w, o, n, oc, nc, KINDS, "contentSchema", o_whole, n_whole)
