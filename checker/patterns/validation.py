"""jsonschema validators whose regex work is bounded (engine.py) instead of Python's backtracking `re`.

jsonschema matches `pattern`, `patternProperties`, and the patterns that `additionalProperties` and
`unevaluatedProperties` consult, with `re.search`; the four keywords are replaced here by versions
that match through the bounded engine. A match that cannot be decided becomes a validation error at
its place ("... could not be checked against the pattern ...: matching did not finish within
0.05 s"), never a hang and never a crash. `format: regex`, when a format checker is given, is
checked by the same parser instead of `re.compile`.
"""

from __future__ import annotations

import warnings
from typing import Any

from jsonschema import FormatChecker
from jsonschema import validators as _validators
from jsonschema.exceptions import ValidationError
from jsonschema.protocols import Validator
from jsonschema.validators import Draft202012Validator

from . import engine

__all__ = ["safe_validator_for", "safe_validator_class"]


def _short(value: object, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _unchecked(text: str, pattern: str, reason: str) -> str:
    return f"{_short(text)} could not be checked against the pattern {_short(pattern)}: {reason}"


def _match(validator, pattern: str, text: str) -> bool:
    return engine.search(pattern, text, getattr(validator.format_checker, "budget", None))


def pattern(validator, patrn, instance, schema):
    if not validator.is_type(instance, "string"):
        return
    try:
        matched = _match(validator, patrn, instance)
    except engine.MatchUndecided as exc:
        yield ValidationError(_unchecked(instance, patrn, exc.reason))
        return
    if not matched:
        yield ValidationError(f"{_short(instance)} does not match {patrn!r}")


def patternProperties(validator, patternProperties, instance, schema):
    if not validator.is_type(instance, "object"):
        return
    for patrn, subschema in patternProperties.items():
        for k, v in instance.items():
            try:
                matched = _match(validator, patrn, k)
            except engine.MatchUndecided as exc:
                yield ValidationError("property name " + _unchecked(k, patrn, exc.reason), path=[k],
                                      schema_path=[patrn])
                continue
            if matched:
                yield from validator.descend(v, subschema, path=k, schema_path=patrn)


def _matches_any(validator, patterns, key: str) -> bool:
    """Whether `key` matches one of the patterns. An undecided match counts as a match: the
    `patternProperties` that owns the pattern is validated too, and reports it at its place."""
    for patrn in patterns:
        try:
            if _match(validator, patrn, key):
                return True
        except engine.MatchUndecided:
            return True
    return False


def additionalProperties(validator, aP, instance, schema):
    if not validator.is_type(instance, "object"):
        return
    properties = schema.get("properties", {})
    patterns = schema.get("patternProperties", {})
    extras = [k for k in instance if k not in properties and not _matches_any(validator, patterns, k)]
    if validator.is_type(aP, "object"):
        for extra in extras:
            yield from validator.descend(instance[extra], aP, path=extra)
    elif not aP and extras:
        extras = sorted(extras, key=str)
        if patterns:
            verb = "does" if len(extras) == 1 else "do"
            joined = ", ".join(repr(each) for each in extras)
            listed = ", ".join(repr(each) for each in sorted(patterns))
            yield ValidationError(f"{joined} {verb} not match any of the regexes: {listed}")
        else:
            verb = "was" if len(extras) == 1 else "were"
            yield ValidationError(f"Additional properties are not allowed "
                                  f"({', '.join(repr(e) for e in extras)} {verb} unexpected)")


def _valid(errors) -> bool:
    return next(errors, None) is None


def _evaluated_keys(validator, instance, schema) -> set:
    """The keys evaluated by `schema` and what it applies in place, as jsonschema's
    find_evaluated_property_keys_by_schema (2020-12) computes them, with bounded pattern matching."""
    if validator.is_type(schema, "boolean"):
        return set()
    keys: set = set()
    for ref_keyword in ("$ref", "$dynamicRef"):
        ref = schema.get(ref_keyword)
        if ref is not None:
            resolved = validator._resolver.lookup(ref)
            keys |= _evaluated_keys(validator.evolve(schema=resolved.contents, _resolver=resolved.resolver),
                                    instance, resolved.contents)
    properties = schema.get("properties")
    if validator.is_type(properties, "object"):
        keys |= properties.keys() & instance.keys()
    for keyword in ("additionalProperties", "unevaluatedProperties"):
        subschema = schema.get(keyword)
        if subschema is not None:
            keys |= {k for k, v in instance.items() if _valid(validator.descend(v, subschema))}
    if "patternProperties" in schema:
        keys |= {k for k in instance if _matches_any(validator, schema["patternProperties"], k)}
    for prop, subschema in (schema.get("dependentSchemas") or {}).items():
        if prop in instance:
            keys |= _evaluated_keys(validator, instance, subschema)
    for keyword in ("allOf", "oneOf", "anyOf"):
        for subschema in schema.get(keyword, []):
            if _valid(validator.descend(instance, subschema)):
                keys |= _evaluated_keys(validator, instance, subschema)
    if "if" in schema:
        if validator.evolve(schema=schema["if"]).is_valid(instance):
            keys |= _evaluated_keys(validator, instance, schema["if"])
            if "then" in schema:
                keys |= _evaluated_keys(validator, instance, schema["then"])
        elif "else" in schema:
            keys |= _evaluated_keys(validator, instance, schema["else"])
    return keys


def unevaluatedProperties(validator, uP, instance, schema):
    if not validator.is_type(instance, "object"):
        return
    evaluated = _evaluated_keys(validator, instance, schema)
    unevaluated = []
    for prop in instance:
        if prop not in evaluated:
            for _ in validator.descend(instance[prop], uP, path=prop, schema_path=prop):
                unevaluated.append(prop)
                break
    if unevaluated:
        verb = "was" if len(unevaluated) == 1 else "were"
        listed = ", ".join(repr(e) for e in sorted(unevaluated, key=str))
        if uP is False:
            yield ValidationError(f"Unevaluated properties are not allowed ({listed} {verb} unexpected)")
        else:
            yield ValidationError(f"Unevaluated properties are not valid under the given schema "
                                  f"({listed} {verb} unevaluated and invalid)")


_KEYWORDS = {"pattern": pattern, "patternProperties": patternProperties,
             "additionalProperties": additionalProperties}
_CLASSES: dict[type[Validator], type[Validator]] = {}


def safe_validator_class(base: type[Validator] = Draft202012Validator) -> type[Validator]:
    """`base` (a jsonschema validator class) with bounded regex matching; one class per base."""
    cls = _CLASSES.get(base)
    if cls is None:
        keywords = dict(_KEYWORDS)
        if "unevaluatedProperties" in base.VALIDATORS:
            keywords["unevaluatedProperties"] = unevaluatedProperties
        cls = _validators.extend(base, keywords)
        _CLASSES[base] = cls
    return cls


class _Formats(FormatChecker):
    """A format checker that also carries the validator's matching budget: jsonschema validators
    take no attributes of their own, and `evolve` hands the format checker down to every subschema.
    Without a caller's checker it checks no format, as jsonschema does by default."""

    def __init__(self, base: FormatChecker | None) -> None:
        super().__init__(formats=())
        self.budget = engine.Budget()
        if base is not None:
            self.checkers = dict(base.checkers)
            if "regex" in self.checkers:
                self.checks("regex", raises=ValueError)(_is_regex)


def _is_regex(instance: object) -> bool:
    """`format: regex` judged by the ECMA-262 parser, not by compiling with `re`."""
    if isinstance(instance, str):
        error = engine.compile_pattern(instance).error
        if error:
            raise ValueError(error)
    return True


def safe_validator_for(schema: Any, *, format_checker: FormatChecker | None = None, check_formats: bool = False,
                       default: type[Validator] = Draft202012Validator, **kwargs: Any) -> Validator:
    """A validator for `schema` (its draft chosen by `$schema`, else `default`) whose pattern
    matching is bounded in time. Formats are checked by `format_checker`, else with `check_formats`
    by that draft's own checker (a format it does not know passes), else not at all. Extra keyword
    arguments (`registry`, ...) go to the validator."""
    with warnings.catch_warnings():  # an unknown `$schema` (an OpenAPI dialect URI) means `default`
        warnings.simplefilter("ignore", DeprecationWarning)
        base = _validators.validator_for(schema, default=default)
    if format_checker is None and check_formats:
        format_checker = base.FORMAT_CHECKER
    cls = safe_validator_class(base)
    return cls(schema, format_checker=_Formats(format_checker), **kwargs)
