"""The long fuzz campaign over recorded traffic and the baseline reader: the batches of
tests/e2e/test_traffic_fuzz.py (random responses served by a real local server, `record`, `check`
of the same traffic, then `check` of a baseline damaged at random places), from consecutive seeds,
in parallel.

    .venv/bin/python benchmarks/fuzz_traffic.py [--cases 10000] [--batch 200] [--seed 1] [--jobs 2] [--reader-rounds 60]

Each batch is one seed (rerun it with test_traffic_fuzz.run_batch(folder, seed, batch)). Results are
written to benchmarks/fuzz_traffic_results.md; the exit status is 1 when any batch broke a property.
"""

from __future__ import annotations

import argparse
import collections
import multiprocessing
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "e2e"))
sys.path.insert(0, str(ROOT / "tests"))  # test_traffic_fuzz imports tests/local_http.py


def work(args: tuple[int, int]) -> dict:
    import test_traffic_fuzz as fuzz

    seed, batch, rounds = args
    folder = Path(tempfile.mkdtemp(prefix="apicompat-fuzz-traffic-"))
    try:
        return {"seed": seed, **fuzz.run_batch(folder / "b", seed, batch, rounds)}
    except AssertionError as exc:
        return {"seed": seed, "failure": str(exc)[:2000], "cases": batch}
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", type=int, default=10_000)
    ap.add_argument("--batch", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--reader-rounds", type=int, default=60, help="damaged baselines read per batch, in process")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "fuzz_traffic_results.md"))
    args = ap.parse_args()
    batches = [(args.seed + i, args.batch, args.reader_rounds) for i in range((args.cases + args.batch - 1) // args.batch)]
    t0 = time.monotonic()
    totals = collections.Counter()
    exits = collections.Counter()
    failures = []
    with multiprocessing.Pool(args.jobs) as pool:
        for r in pool.imap_unordered(work, batches):
            totals["batches"] += 1
            totals["cases"] += r["cases"]
            if "failure" in r:
                failures.append(f"seed {r['seed']}: {r['failure']}")
                continue
            totals["recorded"] += r["recorded"]
            totals["per_case_errors"] += r["per_case_errors"]
            totals["baseline_mutations"] += r["baseline_mutations"]
            for key in ("reader_rounds", "reader_read", "reader_refused"):
                totals[key] += r[key]
            exits[r["mutated_check_exit"]] += 1
            print(f"\r{totals['cases']} cases, {len(failures)} failures", end="", file=sys.stderr)
    seconds = time.monotonic() - t0
    text = "\n".join([
        f"# Recorded-traffic fuzz campaign ({time.strftime('%Y-%m-%d')})", "",
        f"`.venv/bin/python benchmarks/fuzz_traffic.py --cases {args.cases} --batch {args.batch} --seed {args.seed} "
        f"--jobs {args.jobs} --reader-rounds {args.reader_rounds}` on Python {platform.python_version()}, {os.cpu_count()} CPUs (shared with other jobs).",
        "", "| | |", "|---|---|",
        f"| random responses served, recorded and checked | {totals['cases']:,} in {totals['batches']} batches "
        f"(seeds {batches[0][0]}-{batches[-1][0]}) |",
        f"| recorded (then read back by `check`, no change reported) | {totals['recorded']:,} |",
        f"| refused with one per-case line (not JSON, bad stream, status, encoding, cannot be stored) | "
        f"{totals['per_case_errors']:,} |",
        f"| baseline files damaged at random places, then `check` | {totals['baseline_mutations']:,} "
        f"(exit 0: {exits[0]}, 1: {exits[1]}, 2 with one line: {exits[2]} batches) |",
        f"| damaged baselines read by `check`'s comparison in process (one file changed at a random place) | "
        f"{totals['reader_rounds']:,}: read {totals['reader_read']:,}, refused with an InputError "
        f"{totals['reader_refused']:,}, anything else 0 |",
        f"| crashes (exit 3, traceback), unreadable baselines, secrets written or printed | {len(failures)} |",
        f"| duration | {seconds:.0f} s ({totals['cases'] / max(seconds, 1):.0f} cases/s) |", ""]
        + (["Failures:", ""] + [f"- {f}" for f in failures] if failures else [])) + "\n"
    Path(args.out).write_text(text)
    print("\n" + text)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
