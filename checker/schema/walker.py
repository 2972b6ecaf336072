"""The memoised traversal: each (old node, new node, context) pair is diffed once, however many
operations reach it, and recursive schemas terminate."""

from __future__ import annotations

from fnmatch import fnmatchcase
from collections.abc import Iterable, Iterator

from ..model import Severity
from ..rules import REGISTRY
from ..rules import schema_rules as R
from ..rules.schema_rules import rule_id
from . import unions
from .settle import settle
from .dialects import DIALECTS, UNION_OUTER
from .findings import Ctx, Finding
from .clean import CleanIndex
from .normalise import Node, Normaliser, Norm
from .subsume import Subsumption


# A pair's memo key: (old key, new key, context, opaque, expandable).
_Key = tuple[str, str, str, bool, bool]

# The kinds the walker itself yields (a schema that became, or stopped being, `false`).
EMITS = (R.SCHEMA_BECAME_FALSE, R.TYPE_WIDENED)


class Walker:
    def __init__(self, old: Normaliser, new: Normaliser, dialect: str = "2020-12",
                 opaque: Iterable[str] = (), clean: CleanIndex | None = None) -> None:
        self.old = old
        self.new = new
        self.clean = clean
        self.keywords = DIALECTS[dialect]
        self.outer = {k: self.keywords[k] for k in UNION_OUTER if k in self.keywords}
        self.opaque_globs = tuple(opaque)
        self._memo: dict[_Key, list[Finding]] = {}
        self._active: set[_Key] = set()
        self.relation = Subsumption({"old": old, "new": new})  # the keyword units judge by it (judged.py)
        self._severity_cache: dict[tuple[str, str], Severity] = {}
        # The base of a node in each document itself (not in a file it refers to).
        self._old_root, self._new_root = old.resolver.base_for_root(), new.resolver.base_for_root()

    # -- entry points -----------------------------------------------------------------------------
    def diff_nodes(self, o: Node, n: Node, context: str, opaque: bool = False,
                   norms: tuple[Norm, Norm] | None = None, expandable: bool = False) -> list[Finding]:
        if self.clean is not None:
            if norms is None:
                if not o.base and not n.base and self._unchanged(o, n):
                    return []
            elif self._same_component(norms[0], norms[1]):
                return []
        on, nn = norms if norms is not None else (self.old.norm(o), self.new.norm(n))
        opaque = opaque or on.opaque or nn.opaque or self._opaque_pointer(on.ptr)
        key = (on.key, nn.key, context, opaque, expandable)
        hit = self._memo.get(key)
        if hit is not None:
            return hit
        if key in self._active:
            return []
        self._active.add(key)
        try:
            ctx = Ctx(context, opaque, expandable)
            result = settle(self, on, nn, ctx, _once(self._compare(on, nn, ctx)))
        finally:
            self._active.discard(key)
        self._memo[key] = result
        return result

    def _unchanged(self, o: Node, n: Node) -> bool:
        """Both sides the same `$ref` to an unchanged component (cheap), or, at a top-level schema
        (an operation's body, parameter or header), the same value throughout."""
        clean = self.clean
        if clean is None:
            return False
        o_raw, n_raw = o.raw, n.raw
        if isinstance(o_raw, dict) and isinstance(n_raw, dict) and "$ref" in o_raw:
            ref = o_raw["$ref"]
            return len(o_raw) == 1 == len(n_raw) and ref == n_raw.get("$ref") and clean.clean_ref(ref)
        return "/properties/" not in o.ptr and clean.same(o_raw, n_raw)

    def _same_component(self, on: Norm, nn: Norm) -> bool:
        """Two canonical forms (a union's members) built from the same place of an unchanged
        component (nothing combined into them: their key is a plain pointer) in both documents."""
        assert self.clean is not None  # diff_nodes asks only with an index
        key = on.key
        return (key == nn.key and "|" not in key and on.node.base in ("", self._old_root)
                and nn.node.base in ("", self._new_root) and self.clean.clean_ref(key))

    # -- helpers used by keyword functions --------------------------------------------------------
    def covers(self, wide: Norm, narrow: Norm, wide_side: str, narrow_side: str) -> bool:
        return self.relation.covers(wide, narrow, wide_side, narrow_side)

    def severity(self, ctx: Ctx, kind: str) -> Severity:
        key = (ctx.context, kind)
        sev = self._severity_cache.get(key)
        if sev is None:
            rid = rule_id(ctx.context, kind)
            sev = REGISTRY[rid].severity if rid in REGISTRY else Severity.INFO
            self._severity_cache[key] = sev
        return sev

    def same_target(self, a: str, b: str) -> bool:
        return a.rsplit("/", 1)[-1] == b.rsplit("/", 1)[-1]

    # -- internals --------------------------------------------------------------------------------
    def _opaque_pointer(self, ptr: str) -> bool:
        return any(fnmatchcase(ptr, g) for g in self.opaque_globs) if self.opaque_globs else False

    def _compare(self, o: Norm, n: Norm, ctx: Ctx) -> Iterator[Finding]:
        if o.false or n.false:
            if n.false and not o.false:
                yield Finding(R.SCHEMA_BECAME_FALSE, o.ptr, o.ptr, None, False, "", n.ptr)
            elif o.false and not n.false:
                yield Finding(R.TYPE_WIDENED, o.ptr, o.ptr, "false", "true", "", n.ptr)
            return
        if (o.union is not None or n.union is not None) and (
            unions.is_union_shaped(o) or unions.is_union_shaped(n)
        ):
            for fn in self.outer.values():
                yield from fn(self, o, n, ctx)
            yield from unions.diff_union_nullability(self, o, n)
            yield from unions.diff_union(self, o, n, ctx)
            return
        for fn in self.keywords.values():
            yield from fn(self, o, n, ctx)


def _once(findings: Iterable[Finding]) -> list[Finding]:
    """The findings, each object once: a child's memoised list comes back from every place that
    reaches the child (two properties of one component), and lists nest, so a component's list on
    Stripe held its findings ~20 times over (282,000 entries for 13,000 findings to report)."""
    seen: set[int] = set()
    out = []
    for f in findings:
        if id(f) not in seen:
            seen.add(id(f))
            out.append(f)
    return out
