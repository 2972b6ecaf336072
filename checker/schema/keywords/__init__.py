"""The keyword units: each keyword, or a tight family, in one module that holds all about it.

A unit has `KEYWORDS` (how the dialects spell it; the normaliser reads a schema by the keywords it
has, as python-jsonschema validates), `read(norm, raw)` (its canonical form), `merge(norm, other)`
(what two values combine to under allOf: an intersection), `prune(norm)` where it applies to some
types only (`APPLIES_TO`), its diff functions (one signature: (walker, old, new, ctx) -> findings)
and `EMITS`, the rule kinds it yields (named constants of rules/schema_rules.py, written whole). The
dialects (dialects.py) map each keyword to a diff function. Its part of validating one value is `ACCEPTS`
(keyword -> part; accepts.py dispatches by the keywords a mapping has), its part of "does A accept
everything B accepts" `includes` (or `INCLUDES` by applicator kind; subsume.py asks them): one signature
each (parts.py: `Accepts`, `Includes`).
"""

from __future__ import annotations

from types import ModuleType

from ...rules import REGISTRY
from . import (applicators, bounds, discriminator, enums, formats, items, multiple_of, notes, properties,
               strings, types)
from .notes import diff_default, diff_deprecated, diff_description, diff_example, diff_title
from .applicators import applicator_differ
from .bounds import bound_differ
from .common import Findings, Spelling, finding
from .discriminator import diff_discriminator
from .enums import diff_enum, diff_extensible_enum
from .formats import VALIDATING_FORMATS, diff_format
from .items import diff_items, diff_prefix_items, diff_unique_items
from .multiple_of import diff_multiple_of
from .properties import diff_additional_properties, diff_properties, diff_unevaluated_properties
from .strings import diff_pattern
from .types import diff_nullable, diff_type

# The units the normaliser reads and merges with, in a fixed order (their reads are independent).
UNITS = (types, enums, formats, properties, items, bounds, multiple_of, strings, notes, discriminator,
         applicators)
# keyword -> the units that read it
READERS: dict[str, tuple[ModuleType, ...]] = {}
for _unit in UNITS:
    for _kw in _unit.KEYWORDS:
        READERS[_kw] = READERS.get(_kw, ()) + (_unit,)
# keyword -> what its value must be (each unit says how its keywords are spelled)
SPELLINGS: dict[str, Spelling] = {kw: spelling for _unit in UNITS for kw, spelling in _unit.SPELLINGS.items()}
# kind -> the units that emit it (the registry's link from a rule to its code)
EMITTED_BY: dict[str, tuple[str, ...]] = {}
for _unit in UNITS:
    for _kind in _unit.EMITS:
        EMITTED_BY[_kind] = EMITTED_BY.get(_kind, ()) + (_unit.__name__,)
_f = finding  # the name older units use

__all__ = [
    "EMITTED_BY", "Findings", "READERS", "UNITS", "VALIDATING_FORMATS", "applicator_differ", "bound_differ",
    "diff_additional_properties", "diff_default", "diff_deprecated", "diff_description", "diff_discriminator",
    "diff_enum", "diff_example", "diff_extensible_enum", "diff_format", "diff_items", "diff_multiple_of",
    "diff_nullable", "diff_pattern", "diff_prefix_items", "diff_properties", "diff_title", "diff_type",
    "diff_unevaluated_properties", "diff_unique_items", "finding",
]


def unit_of(rule_id: str) -> tuple[str, ...]:
    """The units that emit a schema rule (by id, e.g. `response-type-changed`); empty for others."""
    rule = REGISTRY[rule_id] if rule_id in REGISTRY else None
    return EMITTED_BY.get(rule.kind, ()) if rule is not None and rule.area == "schema" else ()
