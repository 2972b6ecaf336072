"""`dependentRequired` and `dependentSchemas` (draft-07: the two forms of `dependencies`): when a
property is present, others must be too, or the object must match a schema."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...rules import schema_rules as R
from ..findings import Ctx
from ..form import Node, Norm
from .judged import Findings, Verdicts, carries, constraint, judge
from .parts import NAMED, Atoms, both

if TYPE_CHECKING:  # pragma: no cover
    from ..accepts import Acceptor
    from ..subsume import Subsumption
    from ..walker import Walker

REQUIRED_KINDS = Verdicts(R.DEPENDENT_REQUIRED_ADDED, R.DEPENDENT_REQUIRED_REMOVED, R.DEPENDENT_REQUIRED_TIGHTENED,
                          R.DEPENDENT_REQUIRED_LOOSENED, R.DEPENDENT_REQUIRED_REPLACED, R.DEPENDENT_REQUIRED_CHANGED)
SCHEMA_KINDS = Verdicts(R.DEPENDENT_SCHEMAS_ADDED, R.DEPENDENT_SCHEMAS_REMOVED, R.DEPENDENT_SCHEMAS_TIGHTENED,
                        R.DEPENDENT_SCHEMAS_LOOSENED, R.DEPENDENT_SCHEMAS_REPLACED, R.DEPENDENT_SCHEMAS_CHANGED)


def required_deps(raw: dict[str, Any]) -> dict[str, list[Any]]:
    out = {k: v for k, v in (raw.get("dependentRequired") or {}).items() if isinstance(v, list)} \
        if isinstance(raw.get("dependentRequired"), dict) else {}
    if isinstance(raw.get("dependencies"), dict):
        for k, v in raw["dependencies"].items():
            if isinstance(v, list):
                out[k] = list(dict.fromkeys(out.get(k, []) + v))
    return out


def _pick_required(raw: dict[str, Any]) -> dict[str, Any] | None:
    deps = {k: v for k, v in required_deps(raw).items() if v}
    return {"dependentRequired": deps} if deps else None


def _pick_schemas(raw: dict[str, Any]) -> dict[str, Any] | None:
    out = {}
    if isinstance(raw.get("dependentSchemas"), dict):
        out["dependentSchemas"] = raw["dependentSchemas"]
    if isinstance(raw.get("dependencies"), dict):
        schemas = {k: v for k, v in raw["dependencies"].items() if not isinstance(v, list)}
        if schemas:
            out["dependencies"] = schemas
    return out or None


def diff_dependent_required(w: Walker, o: Norm, n: Norm, ctx: Ctx) -> Findings:
    if not carries(o, n, "dependentRequired", "dependencies", applies_to=("object",)):
        return
    yield from judge(w, o, n, constraint(o, _pick_required, "depreq"), constraint(n, _pick_required, "depreq"),
                     REQUIRED_KINDS, "dependentRequired")


def diff_dependent_schemas(w: Walker, o: Norm, n: Norm, ctx: Ctx) -> Findings:
    if not carries(o, n, "dependentSchemas", "dependencies", applies_to=("object",)):
        return
    yield from judge(w, o, n, constraint(o, _pick_schemas, "depsch"), constraint(n, _pick_schemas, "depsch"),
                     SCHEMA_KINDS, "dependentSchemas")


def includes_required(rel: Subsumption, a: Norm, b: Norm, sa: str, sb: str, depth: int) -> bool:
    """Whatever a demands of a present key, b demands too (or requires outright)."""
    b_deps: dict[str, set[str]] = {}
    for p in b.parts:
        if isinstance(p.raw, dict):
            for k, v in required_deps(p.raw).items():
                b_deps.setdefault(k, set()).update(x for x in v if isinstance(x, str))
    for p in a.parts:
        if not isinstance(p.raw, dict):
            continue
        for k, need in required_deps(p.raw).items():
            have = b_deps.get(k, set()) | set(b.required)
            if not {x for x in need if isinstance(x, str)} <= have:
                return False
    return True


def includes_schemas(rel: Subsumption, a: Norm, b: Norm, sa: str, sb: str, depth: int) -> bool:
    """Each schema a applies when a key is present covers b's for that key, or b as a whole."""
    for p in a.parts:
        picked = _pick_schemas(p.raw) if isinstance(p.raw, dict) else None
        for kw, deps in (picked or {}).items():
            for key in deps:
                wide = rel.norm(sa, p.child(kw, key))
                if rel.covers(wide, b, sa, sb, depth + 1):
                    continue
                mine = [q.child(k2, key) for q in b.parts if isinstance(q.raw, dict)
                        for k2, d in (_pick_schemas(q.raw) or {}).items() if key in d]
                if not any(rel.covers(wide, rel.norm(sb, m), sa, sb, depth + 1) for m in mine):
                    return False
    return True


def accepts(acc: Acceptor, node: Node, value: Any, depth: int) -> bool | None:
    """A present key's required names (dependentRequired, a list under `dependencies`), then its schema
    (dependentSchemas, a schema under `dependencies`), on the whole object."""
    if not isinstance(value, dict):
        return True
    raw = node.raw
    deps = raw["dependentRequired"] if isinstance(raw.get("dependentRequired"), dict) else {}
    old_deps = raw["dependencies"] if isinstance(raw.get("dependencies"), dict) else {}
    for key, need in list(deps.items()) + [(k, v) for k, v in old_deps.items() if isinstance(v, list)]:
        if key in value and any(isinstance(x, str) and x not in value for x in need):
            return False
    checks: list[bool | None] = []
    if isinstance(raw.get("dependentSchemas"), dict):
        checks.extend(acc.accepts(node.child("dependentSchemas", key), value, depth)
                      for key in raw["dependentSchemas"] if key in value)
    checks.extend(acc.accepts(node.child("dependencies", key), value, depth)
                  for key, v in old_deps.items() if not isinstance(v, list) and key in value)
    return both(checks)


def constants(raw: dict[str, Any], atoms: Atoms) -> None:
    for kw in ("dependentSchemas", "dependencies", "dependentRequired"):
        atoms.keys(raw, kw)


INCLUDES = {"dependent-required": includes_required, "dependent-schemas": includes_schemas}
ACCEPTS = dict.fromkeys(("dependentRequired", "dependentSchemas", "dependencies"), accepts)
SUBSCHEMAS = {"dependentSchemas": NAMED, "dependencies": NAMED}
