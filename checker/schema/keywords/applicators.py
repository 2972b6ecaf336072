"""Applicators compared by their text: `not`, `contains`, `propertyNames`, `patternProperties`,
`dependentRequired`/`dependentSchemas` (draft-07 `dependencies`), `if`/`then`/`else`, `contentSchema`,
`contentMediaType`, `contentEncoding`. Where a unit judges a keyword by what it accepts, the dialects
map the keyword to that unit instead; this reading stays the fallback and what `Norm.applicators`
(a signature of each, for subsumption and union matching) holds. Under allOf two texts of one
keyword are kept together, in content order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...rules import schema_rules as R
from ..findings import Ctx
from ..form import Norm, canonical
from .common import MAPPING, SCHEMA, DiffFn, Findings, finding

if TYPE_CHECKING:  # pragma: no cover
    from ..walker import Walker

# keyword -> (name, added, removed, changed)
APPLICATORS: dict[str, tuple[str, str, str, str]] = {
    "not": ("not", R.NOT_ADDED, R.NOT_REMOVED, R.NOT_CHANGED),
    "contains": ("contains", R.CONTAINS_ADDED, R.CONTAINS_REMOVED, R.CONTAINS_CHANGED),
    "propertyNames": ("property-names", R.PROPERTY_NAMES_ADDED, R.PROPERTY_NAMES_REMOVED, R.PROPERTY_NAMES_CHANGED),
    "patternProperties": ("pattern-properties", R.PATTERN_PROPERTIES_ADDED, R.PATTERN_PROPERTIES_REMOVED,
                          R.PATTERN_PROPERTIES_CHANGED),
    "dependentRequired": ("dependent-required", R.DEPENDENT_REQUIRED_ADDED, R.DEPENDENT_REQUIRED_REMOVED,
                          R.DEPENDENT_REQUIRED_CHANGED),
    "dependentSchemas": ("dependent-schemas", R.DEPENDENT_SCHEMAS_ADDED, R.DEPENDENT_SCHEMAS_REMOVED,
                         R.DEPENDENT_SCHEMAS_CHANGED),
    "if": ("conditional", R.CONDITIONAL_ADDED, R.CONDITIONAL_REMOVED, R.CONDITIONAL_CHANGED),
    "contentSchema": ("content-schema", R.CONTENT_SCHEMA_ADDED, R.CONTENT_SCHEMA_REMOVED, R.CONTENT_SCHEMA_CHANGED),
    "contentMediaType": ("content-media-type", R.CONTENT_MEDIA_TYPE_ADDED, R.CONTENT_MEDIA_TYPE_REMOVED,
                         R.CONTENT_MEDIA_TYPE_CHANGED),
    "contentEncoding": ("content-encoding", R.CONTENT_ENCODING_ADDED, R.CONTENT_ENCODING_REMOVED,
                        R.CONTENT_ENCODING_CHANGED),
}
KEYWORDS = tuple(APPLICATORS) + ("dependencies",)
SPELLINGS = {**dict.fromkeys(("not", "contains", "propertyNames", "if", "then", "else"), SCHEMA),
             "patternProperties": MAPPING, "dependentSchemas": MAPPING}
EMITS = tuple(k for _, *kinds in APPLICATORS.values() for k in kinds)
_BY_NAME = {name: kinds for name, *kinds in APPLICATORS.values()}


def read(n: Norm, raw: dict[str, Any]) -> None:
    for kw, (name, *_) in APPLICATORS.items():
        if kw == "if":
            if "if" in raw:
                n.applicators[name] = canonical([raw.get("if"), raw.get("then"), raw.get("else")])
        elif kw in raw:
            n.applicators[name] = canonical(raw[kw])
    if isinstance(raw.get("dependencies"), dict):  # draft-07
        deps = raw["dependencies"]
        req_deps = {k: v for k, v in deps.items() if isinstance(v, list)}
        schema_deps = {k: v for k, v in deps.items() if not isinstance(v, list)}
        if req_deps:
            n.applicators["dependent-required"] = canonical(req_deps)
        if schema_deps:
            n.applicators["dependent-schemas"] = canonical(schema_deps)


def merge(n: Norm, m: Norm) -> None:
    for name, text in m.applicators.items():
        mine = n.applicators.get(name)
        n.applicators[name] = text if mine is None or mine == text else canonical(sorted([mine, text]))


def applicator_differ(name: str) -> DiffFn:
    """The diff function of one applicator, by its name (`not`, `conditional`, ...)."""
    added, removed, changed = _BY_NAME[name]

    def diff_applicator(w: Walker, o: Norm, n: Norm, ctx: Ctx) -> Findings:
        oa, na = o.applicators.get(name), n.applicators.get(name)
        if oa == na:
            return
        if oa is None:
            yield finding(added, o, n)
        elif na is None:
            yield finding(removed, o, n)
        else:
            yield finding(changed, o, n)

    diff_applicator.__name__ = f"diff_{name.replace('-', '_')}"
    return diff_applicator
