"""`contentMediaType`, `contentEncoding` and `contentSchema`: how a string's content is encoded, what it is,
and the schema of the decoded content. The first two are compared as values (a server that starts or
stops decoding base64 reads old requests differently); contentSchema is judged like any schema, on the
decoded content: a new one that rejects content the old accepted is a break."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...rules import schema_rules as R
from ..findings import Ctx, Finding
from ..form import Node, Norm
from .common import DiffFn
from .judged import Findings, Verdicts, carries, judge
from .parts import ONE, Includes, values

if TYPE_CHECKING:  # pragma: no cover
    from ..subsume import Subsumption
    from ..walker import Walker

KINDS = Verdicts(R.CONTENT_SCHEMA_ADDED, R.CONTENT_SCHEMA_REMOVED, R.CONTENT_SCHEMA_TIGHTENED,
                 R.CONTENT_SCHEMA_LOOSENED, R.CONTENT_SCHEMA_REPLACED, R.CONTENT_SCHEMA_CHANGED)


def _content(n: Norm) -> Node | None:
    found = values(n, "contentSchema")
    return found[0] if found else None


def diff_content_schema(w: Walker, o: Norm, n: Norm, ctx: Ctx) -> Findings:
    if not carries(o, n, "contentSchema", applies_to=("string",)):
        return
    oc, nc = _content(o), _content(n)
    if oc is None and nc is None:
        return
    o_whole = w.old.norm(oc or Node(True, o.ptr + "/contentSchema", o.key + "/contentSchema|any"))
    n_whole = w.new.norm(nc or Node(True, n.ptr + "/contentSchema", n.key + "/contentSchema|any"))
    yield from judge(w, o, n, oc, nc, KINDS, "contentSchema", o_whole, n_whole)


def _value_differ(keyword: str, added: str, removed: str, changed: str) -> DiffFn:
    def diff_value(w: Walker, o: Norm, n: Norm, ctx: Ctx) -> Findings:
        if not carries(o, n, keyword):
            return
        ov, nv = _own(o, keyword), _own(n, keyword)
        if ov == nv:
            return
        kind = added if ov is None else removed if nv is None else changed
        yield Finding(kind, o.ptr, o.ptr, ov, nv, "", n.ptr)

    diff_value.__name__ = f"diff_{keyword}"
    return diff_value


def _own(n: Norm, keyword: str) -> str | None:
    found = [p.raw[keyword] for p in n.parts if isinstance(p.raw, dict) and isinstance(p.raw.get(keyword), str)]
    return " & ".join(sorted(set(found))) if found else None


diff_content_media_type = _value_differ("contentMediaType", R.CONTENT_MEDIA_TYPE_ADDED, R.CONTENT_MEDIA_TYPE_REMOVED,
                                        R.CONTENT_MEDIA_TYPE_CHANGED)
diff_content_encoding = _value_differ("contentEncoding", R.CONTENT_ENCODING_ADDED, R.CONTENT_ENCODING_REMOVED,
                                      R.CONTENT_ENCODING_CHANGED)


def _same_text(kind: str) -> Includes:
    """Content is not validated (2020-12: an annotation), but compared as the contract it states: a covers
    b when b states the same, and a conjoins no other mapping's statement."""
    def includes(rel: Subsumption, a: Norm, b: Norm, sa: str, sb: str, depth: int) -> bool:
        return b.applicators.get(kind) == a.applicators.get(kind) and len(a.parts) <= 1

    return includes


INCLUDES = {kind: _same_text(kind) for kind in ("content-schema", "content-media-type", "content-encoding")}
SUBSCHEMAS = {"contentSchema": ONE}
