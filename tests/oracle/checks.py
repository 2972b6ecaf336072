"""The checks the property tests and the campaign run: a schema, a mutation of a named kind, and
the judgement of the pair on both sides. Plain functions of a seed, so that every failure names a
reproducible (seed, kind, flavour) or (seed, kind, document)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from . import corpus
from .dialect import FLAVOURS, Unusable
from .judge import Case, Judgement, Prepared, judge
from .schemas import KINDS, PREPARED_BY, SchemaGen, mutate, spell

DIRECTIONS = ("request", "response")


class NotApplicable(Exception):
    """The kind applies nowhere in the schema drawn (or the corpus component is too large)."""


@dataclass
class Pair:
    old: object
    new: object
    flavour: str
    kind: str
    equivalent: bool
    origin: str = ""  # "random" or "document#/components/schemas/Name"
    judgements: list[Judgement] = field(default_factory=list)


def random_pair(seed: int, kind: str | None = None, flavour: str | None = None) -> Pair:
    # A kind given: the schema depends on it too, so that one seed is not one schema for every kind.
    rnd = random.Random(seed if kind is None else f"{kind}/{seed}")
    flavour = flavour or rnd.choice(FLAVOURS)
    kind_name = kind or rnd.choice(sorted(KINDS))
    for attempt in range(8):  # another schema when the kind applies nowhere in this one
        base = SchemaGen(rnd, flavour).document(rnd.choice([2, 3, 3]))
        if attempt >= 2 and kind_name in PREPARED_BY:  # give it the keyword it removes or changes
            base = mutate(base, KINDS[PREPARED_BY[kind_name]], rnd, flavour) or base
        new = mutate(base, KINDS[kind_name], rnd, flavour)
        if new is not None:
            return Pair(spell(base, flavour), spell(new, flavour), flavour, kind_name,
                        KINDS[kind_name].equivalent, "random")
    raise NotApplicable(f"{kind_name} applies to none of the schemas drawn from seed {seed}")


def corpus_pair(seed: int, document: str, kind: str | None = None) -> Pair:
    rnd = random.Random(seed if kind is None else f"{kind}/{seed}")
    names = corpus.component_names(document)
    flavour = corpus.flavour_of_document(corpus.document(document))
    kind_name = kind or rnd.choice(sorted(KINDS))
    for attempt in range(8):
        component = rnd.choice(names)
        schema = corpus.standalone(document, component)
        if schema is None:
            continue
        base = corpus.neutral(schema, flavour)
        if attempt >= 2 and kind_name in PREPARED_BY:
            base = mutate(base, KINDS[PREPARED_BY[kind_name]], rnd, flavour) or base
        new = mutate(base, KINDS[kind_name], rnd, flavour)
        if new is not None:
            return Pair(spell(base, flavour), spell(new, flavour), flavour, kind_name,
                        KINDS[kind_name].equivalent, f"{document}#/components/schemas/{component}")
    raise NotApplicable(f"{kind_name} applies to none of the components drawn from seed {seed}")


def judge_pair(pair: Pair, seed: int, wrap: str | None = None, budget: int = 120) -> Pair:
    """Judge the pair on both sides, sharing the candidates. `wrap`: "bare" (a JSON Schema pair),
    "openapi" (the body of an operation), or None: drawn (OpenAPI more often for 3.0 and the corpus)."""
    rnd = random.Random(seed ^ 0x5EED)
    try:
        prepared: Prepared | None = Prepared(pair.old, pair.new, pair.flavour, rnd, budget)
    except Unusable:
        prepared = None  # judge() says why, per side
    for direction in DIRECTIONS:
        how = wrap
        if how is None:
            native = pair.origin != "random" or pair.flavour == "openapi-3.0"  # a body in an OpenAPI document
            openapi_share = 0.0 if pair.flavour == "draft-07" else 0.8 if native else 0.2
            how = "openapi" if rnd.random() < openapi_share else "bare"
        case = Case(pair.old, pair.new, direction, pair.flavour, pair.kind, pair.equivalent, how)
        pair.judgements.append(judge(case, rnd, prepared=prepared))
    return pair


def failures(pair: Pair) -> list[str]:
    """The failures of a judged pair, explained (empty when the verdicts keep their promises)."""
    out = []
    for j in pair.judgements:
        if j.failed:
            out.append(f"[{pair.origin}] " + j.explain())
    return out
