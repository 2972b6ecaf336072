"""Unions of thousands of members (issue 11, item 10): the time `diff_documents` takes on a pair of
N-member unions of seven shapes, as a request body and as a response body.

    .venv/bin/python benchmarks/bench_unions.py            # N = 10,000
    .venv/bin/python benchmarks/bench_unions.py --members 1000

Shapes: objects each requiring its own property (all changed), events told apart by `type` (all
changed), strings with growing maxLength (shifted by one), members shuffled, objects told apart by
a `kind` enum (all changed), every member replaced by an unrelated one, objects of one shape with
growing maxLength."""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from apicompat import DiffOptions, diff_documents  # noqa: E402
from apicompat.load import Document  # noqa: E402
from big_unions import obj, tagged, untagged, wrap  # noqa: E402


def family(name: str, n: int) -> tuple[dict, dict]:
    if name == "required-objects":
        return ({"anyOf": [obj({f"p{i}": {"type": "string"}, "k": {"enum": [i]}}, [f"p{i}"]) for i in range(n)]},
                {"anyOf": [obj({f"p{i}": {"type": "integer"}, "k": {"enum": [i]}}, [f"p{i}"]) for i in range(n)]})
    if name == "events":
        def ev(i, t):
            return obj({"type": {"const": f"e{i}"}, "v": {"type": t}}, ["type"])
        return {"oneOf": [ev(i, "string") for i in range(n)]}, {"oneOf": [ev(i, "integer") for i in range(n)]}
    if name == "strings":
        return ({"oneOf": [{"type": "string", "maxLength": i + 1} for i in range(n)]},
                {"oneOf": [{"type": "string", "maxLength": i + 2} for i in range(n)]})
    if name == "shuffled":
        members = [obj({f"p{i}": {"type": "string"}}, [f"p{i}"]) for i in range(n)]
        shuffled = members[:]
        random.Random(1).shuffle(shuffled)
        return {"oneOf": members}, {"oneOf": shuffled}
    if name == "kind-enum":
        return tagged(n, "string"), tagged(n, "integer")
    if name == "replaced":
        return untagged(n, "a"), untagged(n, "b")
    if name == "same-shape":
        return ({"oneOf": [obj({"a": {"type": "string", "maxLength": i + 1}}) for i in range(n)]},
                {"oneOf": [obj({"a": {"type": "string", "maxLength": i + 2}}) for i in range(n)]})
    raise ValueError(name)


FAMILIES = ["required-objects", "events", "strings", "shuffled", "kind-enum", "replaced", "same-shape"]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--members", type=int, default=10_000)
    args = ap.parse_args()
    print("| shape | side | members | s | findings |\n|---|---|---|---|---|")
    for name in FAMILIES:
        old, new = family(name, args.members)
        for side in ("request", "response"):
            start = time.perf_counter()
            report = diff_documents(Document("o.json", wrap(old, side)), Document("n.json", wrap(new, side)),
                                    DiffOptions())
            took = time.perf_counter() - start
            rules = Counter(c.rule for c in report.changes)
            print(f"| {name} | {side} | {args.members:,} | {took:.2f} | "
                  + ", ".join(f"{r} {k}" for r, k in sorted(rules.items())) + " |", flush=True)


if __name__ == "__main__":
    main()
