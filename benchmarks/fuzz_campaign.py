"""The long fuzz campaign: the checks of tests/unit/test_fuzz.py (hostile JSON Schemas and OpenAPI
documents, identity, mutations of a known kind) run on generated inputs from a fixed seed, in
parallel, counting inputs and every exception by kind.

    .venv/bin/python benchmarks/fuzz_campaign.py [--cases 100000] [--seed 20261127] [--jobs 2]

A case is one generated input (a pair of documents, or a document and its mutation); `diffs` counts
the calls of diff_documents (a mutation case also diffs each side against itself). The exit status
is 1 when any case raised anything but InputError or broke a property; each such case is printed
with its check and seed (rerun it with tests/unit/test_fuzz.py's run_check(name, seed)).
Results are appended to benchmarks/fuzz_results.md.
"""

from __future__ import annotations

import argparse
import collections
import multiprocessing
import os
import platform
import random
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "unit"))


def work(args: tuple[int, int, int]) -> dict:
    import test_fuzz as fuzz  # noqa: E402

    start, count, master = args
    fuzz.STATS.update(inputs=0, input_errors=0)  # per chunk: a worker process runs many chunks
    names = sorted(fuzz.CHECKS)
    out = {"cases": 0, "unusable": 0, "failures": [], "by_check": collections.Counter(),
           "errors": collections.Counter()}
    for i in range(start, start + count):
        seed = random.Random(master * 1_000_003 + i).getrandbits(63)
        name = names[i % len(names)]
        out["cases"] += 1
        out["by_check"][name] += 1
        try:
            fuzz.CHECKS[name](random.Random(seed))
        except fuzz.Unusable:
            out["unusable"] += 1
        except Exception as exc:  # noqa: BLE001 - counted and reported, that is the point
            kind = "property broken" if isinstance(exc, AssertionError) else type(exc).__name__
            out["errors"][kind] += 1
            if len(out["failures"]) < 20:
                out["failures"].append((name, seed, kind, str(exc)[:300], traceback.format_exc(limit=4)[-800:]))
    out["diffs"] = fuzz.STATS["inputs"]
    out["input_errors"] = fuzz.STATS["input_errors"]
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=20261127)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--no-record", action="store_true", help="do not append to benchmarks/fuzz_results.md")
    opts = ap.parse_args()
    chunk = 500
    tasks = [(s, min(chunk, opts.cases - s), opts.seed) for s in range(0, opts.cases, chunk)]
    t0 = time.monotonic()
    total = {"cases": 0, "unusable": 0, "diffs": 0, "input_errors": 0, "failures": [],
             "by_check": collections.Counter(), "errors": collections.Counter()}
    with multiprocessing.Pool(opts.jobs) as pool:
        for n, part in enumerate(pool.imap_unordered(work, tasks), 1):
            for key in ("cases", "unusable", "diffs", "input_errors"):
                total[key] += part[key]
            total["by_check"].update(part["by_check"])
            total["errors"].update(part["errors"])
            total["failures"].extend(part["failures"])
            if n % 20 == 0:
                print(f"  {total['cases']:,} cases, {sum(total['errors'].values())} unexpected, "
                      f"{time.monotonic() - t0:.0f} s", flush=True)
    seconds = time.monotonic() - t0
    unexpected = sum(total["errors"].values())
    lines = [
        f"## {time.strftime('%Y-%m-%d %H:%M')} (seed {opts.seed}, {opts.jobs} jobs, Python {platform.python_version()})",
        "",
        f"- cases (generated inputs): {total['cases']:,}",
        f"- diff_documents calls: {total['diffs']:,}",
        f"- refused with InputError (allowed): {total['input_errors']:,}",
        f"- mutation cases skipped (base refused, e.g. a pure $ref loop): {total['unusable']:,}",
        f"- unexpected exceptions or broken properties: {unexpected} {dict(total['errors']) or ''}",
        f"- duration: {seconds:.0f} s ({total['cases'] / seconds:,.0f} cases/s)",
        "- per check: " + ", ".join(f"{k} {v:,}" for k, v in sorted(total["by_check"].items())),
        "",
    ]
    for name, seed, kind, message, _tb in total["failures"]:
        lines.append(f"- FAILED {name} seed={seed}: {kind}: {message}")
    print("\n".join(lines))
    if not opts.no_record:
        results = ROOT / "benchmarks" / "fuzz_results.md"
        head = "" if results.exists() else "# Fuzz campaign results (benchmarks/fuzz_campaign.py)\n\n"
        with open(results, "a", encoding="utf-8") as fh:
            fh.write(head + "\n".join(lines) + "\n")
    for name, seed, _kind, _message, tb in total["failures"][:5]:
        print(f"\n--- {name} seed={seed}\n{tb}")
    return 1 if unexpected else 0


if __name__ == "__main__":
    sys.exit(main())
