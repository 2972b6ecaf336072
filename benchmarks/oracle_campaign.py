"""The oracle campaign: the checks of tests/unit/test_oracle.py at length.

Random schemas of each flavour (2020-12, OpenAPI 3.0, draft-07) and components of the real OpenAI
and Stripe documents, each under a named mutation, judged on the request and the response side by
tests/oracle (judge.py says what each verdict promises). A check is one (old, new, direction) with
its instances validated.

    .venv/bin/python benchmarks/oracle_campaign.py [--checks 100000] [--seed 9] [--jobs 2]
        [--corpus-share 0.3] [--minimise 2] [--out benchmarks/oracle_results.md]

Counterexamples are grouped (kind, side, failure, verdict, rejecting keyword), a few per group are
minimised (tests/oracle/minimise.py), and the distinct minimal pairs are written to the results
with the counts per mutation kind. Exit status 0 always: the results are the product; failures
are the differ's, listed for its rebuild.
"""

from __future__ import annotations

import argparse
import collections
import json
import multiprocessing
import os
import platform
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
os.environ.setdefault("XDG_CACHE_HOME", "/tmp/apicompat-oracle-campaign-cache")

OUTCOMES = ("kept", "counterexample", "false-alarm", "noise", "alarm-witnessed", "alarm-unwitnessed",
            "suspected-false-alarm", "alarm-vacuous")


def outcome(j) -> str:
    if j.counterexample is not None:
        return "counterexample"
    if j.false_alarm:
        return "false-alarm"
    if j.noise:
        return "noise"
    if j.alarm == "unwitnessed" and j.same_on_pool and min(j.accepted) > 0:
        return "suspected-false-alarm"
    if j.alarm:
        return "alarm-" + j.alarm
    return "kept"


def group_key(j) -> str:
    kw = ""
    if j.counterexample is not None and j.counterexample.errors:
        kw = j.counterexample.errors[0].split(" ", 1)[0]
    if outcome(j) == "suspected-false-alarm":
        kw = ", ".join(r for r in j.rules if not r.endswith(("(info)", "(additive)")))
    return " | ".join([j.case.kind, j.case.direction, outcome(j), j.verdict, kw])


def work(args: tuple[int, int, int, float, int]) -> dict:
    from oracle import checks, corpus

    start, count, master, corpus_share, budget = args
    cpu_started = time.process_time()
    out = {"cpu": 0.0, "pairs": 0, "checks": 0, "unusable": 0, "not_applicable": 0, "crashes": [],
           "by_kind": collections.defaultdict(collections.Counter), "by_origin": collections.Counter(),
           "by_flavour": collections.Counter(), "excused": collections.Counter(),
           "unwitnessed_rules": collections.Counter(), "witnessed_rules": collections.Counter(),
           "failures": collections.defaultdict(list), "suspects": collections.defaultdict(list), "instances": 0}
    use_corpus = corpus.available()
    for i in range(start, start + count):
        seed = random.Random(master * 1_000_003 + i).getrandbits(63)
        rnd = random.Random(seed)
        try:
            if use_corpus and rnd.random() < corpus_share:
                pair = checks.corpus_pair(seed, rnd.choice(corpus.DOCUMENTS))
                origin = "corpus"
            else:
                pair = checks.random_pair(seed)
                origin = "random"
            checks.judge_pair(pair, seed, budget=budget)
        except checks.NotApplicable:
            out["not_applicable"] += 1
            continue
        except Exception as exc:  # noqa: BLE001 - a crash of the differ or the oracle is a finding
            out["crashes"].append(f"seed {seed}: {type(exc).__name__}: {str(exc)[:300]}")
            continue
        out["pairs"] += 1
        for j in pair.judgements:
            if j.unusable:
                out["unusable"] += 1
                continue
            out["checks"] += 1
            out["instances"] += j.checked
            out["by_origin"][origin] += 1
            out["by_flavour"][f"{pair.flavour} ({j.case.wrap})"] += 1
            o = outcome(j)
            out["by_kind"][pair.kind][o] += 1
            out["excused"].update(j.excused)
            if j.alarm in ("witnessed", "unwitnessed"):
                target = out["witnessed_rules"] if j.alarm == "witnessed" else out["unwitnessed_rules"]
                threshold = "(breaking)" if j.case.direction == "request" else ("(warning)", "(breaking)")
                for rule in j.rules:
                    if rule.endswith(threshold):
                        target[rule] += 1
            if j.failed or o == "suspected-false-alarm":
                bucket = out["failures" if j.failed else "suspects"][group_key(j)]
                if len(bucket) < 3:
                    witness = j.counterexample.instance if j.counterexample is not None else None
                    bucket.append({"case": j.case.to_dict(), "witness": witness,
                                   "has_witness": j.counterexample is not None, "origin": pair.origin,
                                   "seed": seed, "rules": j.rules})
                else:
                    bucket.append(None)  # counted only
    out["cpu"] = time.process_time() - cpu_started
    return out


def merge(total: dict, part: dict) -> None:
    for k in ("cpu", "pairs", "checks", "unusable", "not_applicable", "instances"):
        total[k] += part[k]
    total["crashes"] += part["crashes"]
    for kind, counter in part["by_kind"].items():
        total["by_kind"][kind].update(counter)
    for k in ("by_origin", "by_flavour", "excused", "unwitnessed_rules", "witnessed_rules"):
        total[k].update(part[k])
    for bucket in ("failures", "suspects"):
        for key, items in part[bucket].items():
            total[bucket][key] += items


def args_cpu_seconds() -> float:
    return float(os.environ.get("ORACLE_MINIMISE_CPU_SECONDS", "3"))


def shrink(item: dict) -> dict:
    from oracle.judge import Case
    from oracle.minimise import minimise

    c = item["case"]
    case = Case(c["old"], c["new"], c["direction"], c["flavour"], c["kind"], c["equivalent"], c["wrap"])
    started = time.perf_counter()
    try:
        extra = {"witness": item["witness"]} if item["has_witness"] else {}
        small, j = minimise(case, cpu_seconds=args_cpu_seconds(), **extra)
    except Exception as exc:  # noqa: BLE001 - the unshrunk case is still reported
        return {**item, "minimal": None, "error": f"{type(exc).__name__}: {exc}"}
    return {**item, "minimal": {"old": small.old, "new": small.new, "direction": small.direction,
                                "flavour": small.flavour, "wrap": small.wrap, "verdict": j.verdict, "rules": j.rules,
                                "witness": j.counterexample.describe() if j.counterexample else None,
                                "false_alarm": j.false_alarm},
            "seconds": time.perf_counter() - started}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--checks", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=9)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--corpus-share", type=float, default=0.3)
    ap.add_argument("--budget", type=int, default=120, help="candidate instances drawn from each schema")
    ap.add_argument("--minimise", type=int, default=1, help="minimised examples per failure group")
    ap.add_argument("--groups", type=int, default=60, help="minimise the largest N failure groups")
    ap.add_argument("--suspect-groups", type=int, default=None, help="minimise the largest N suspect groups (N/3)")
    ap.add_argument("--suspect-examples", type=int, default=None,
                    help="minimised examples per suspect group (as --minimise; at most 3 are kept per group)")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "oracle_results.md"))
    ap.add_argument("--json", default=str(ROOT / "benchmarks" / "oracle_failures.json"))
    args = ap.parse_args()

    started = time.perf_counter()
    # Two checks a pair; about one draw in ten applies its kind nowhere (or is unusable): draw a quarter more.
    pairs_wanted = args.checks // 2 + args.checks // 8
    chunk = 100
    tasks = [(s, min(chunk, pairs_wanted - s), args.seed, args.corpus_share, args.budget)
             for s in range(0, pairs_wanted, chunk)]
    total = {"cpu": 0.0, "pairs": 0, "checks": 0, "unusable": 0, "not_applicable": 0, "instances": 0, "crashes": [],
             "by_kind": collections.defaultdict(collections.Counter), "by_origin": collections.Counter(),
             "by_flavour": collections.Counter(), "excused": collections.Counter(),
             "unwitnessed_rules": collections.Counter(), "witnessed_rules": collections.Counter(),
             "failures": collections.defaultdict(list), "suspects": collections.defaultdict(list)}
    with multiprocessing.Pool(args.jobs) as pool:
        for done, part in enumerate(pool.imap_unordered(work, tasks), 1):
            merge(total, part)
            if done % 10 == 0 or done == len(tasks):
                print(f"{done}/{len(tasks)} chunks, {total['checks']} checks, "
                      f"{sum(len(v) for v in total['failures'].values())} failing, "
                      f"{time.perf_counter() - started:.0f} s", flush=True)
            if done % 40 == 0:  # a checkpoint, in case the run is cut short
                write_results(Path(args.out), args, total, [], time.perf_counter() - started, 0.0)
                Path(args.json).with_suffix(".checkpoint.json").write_text(json.dumps(
                    {k: v for k, v in total.items() if k in ("failures", "suspects")}, default=str))
    run_seconds = time.perf_counter() - started

    to_shrink = []
    suspect_groups = args.groups // 3 if args.suspect_groups is None else args.suspect_groups
    suspect_examples = args.minimise if args.suspect_examples is None else args.suspect_examples
    for bucket, groups, per_group in (("failures", args.groups, args.minimise),
                                      ("suspects", suspect_groups, suspect_examples)):
        largest = sorted(total[bucket].items(), key=lambda kv: -len(kv[1]))[:groups]
        for key, items in largest:
            for item in [x for x in items if x is not None][:per_group]:
                to_shrink.append({**item, "group": key, "bucket": bucket})
    shrink_started = time.perf_counter()
    with multiprocessing.Pool(args.jobs) as pool:
        shrunk = pool.map(shrink, to_shrink)
    shrink_seconds = time.perf_counter() - shrink_started
    Path(args.json).write_text(json.dumps(shrunk, indent=1, sort_keys=True, default=str))
    write_results(Path(args.out), args, total, shrunk, run_seconds, shrink_seconds)
    print(f"done: {total['checks']} checks in {run_seconds:.0f} s; results in {args.out}")
    return 0


def write_results(path: Path, args, total: dict, shrunk: list[dict], run_seconds: float, shrink_seconds: float) -> None:
    lines = [
        "# Oracle campaign results",
        "",
        "Written by `benchmarks/oracle_campaign.py` (the checks of tests/unit/test_oracle.py at length). "
        "A check is one (old, new, direction) with its candidate instances validated against both schemas. "
        "What each verdict promises, and the exceptions, are in tests/oracle/promises.py and judge.py.",
        "",
        f"- command: `.venv/bin/python benchmarks/oracle_campaign.py --checks {args.checks} --seed {args.seed} "
        f"--jobs {args.jobs} --corpus-share {args.corpus_share} --budget {args.budget} --minimise {args.minimise}`",
        f"- machine: {platform.machine()}, {os.cpu_count()} cores (shared), Python {platform.python_version()}",
        f"- checks: **{total['checks']}** ({total['pairs']} pairs judged on both sides; "
        f"{total['unusable']} sides unusable, {total['not_applicable']} draws where the kind applied nowhere)",
        f"- instances validated: {total['instances']} (each against both schemas and the exceptions that apply)",
        f"- time: {run_seconds:.0f} s for the checks ({1000 * run_seconds / max(1, total['checks']):.1f} ms a check "
        f"with {args.jobs} processes; {1000 * total['cpu'] / max(1, total['checks']):.1f} ms of CPU a check), "
        f"{shrink_seconds:.0f} s to minimise {len(shrunk)} examples",
        f"- origins: {dict(total['by_origin'])}",
        f"- flavours: {dict(sorted(total['by_flavour'].items()))}",
        f"- crashes (an exception out of the differ or the oracle): {len(total['crashes'])}",
        "",
    ]
    fails = sum(len(v) for v in total["failures"].values())
    by_outcome = collections.Counter()
    for counter in total["by_kind"].values():
        by_outcome.update(counter)
    lines += ["## Outcomes", "",
              "- `kept`: the verdict promised an inclusion and no instance broke it;",
              "- `counterexample`: an instance broke the promise (a missed breaking change or loosening): a failure;",
              "- `false-alarm`: an equivalent mutation (reorder, allOf shuffle/split, $ref inlined, null respelled, "
              "empty pattern) called warning or breaking: a failure;",
              "- `noise`: an equivalent mutation called additive;",
              "- `alarm-witnessed` / `alarm-unwitnessed`: the verdict promised nothing (request: breaking; response: "
              "warning or breaking) and an instance shows why / none was found.", "",
              f"Totals: {dict(by_outcome)}; failing checks: **{fails}**.", "",
              "| mutation kind | checks | " + " | ".join(OUTCOMES) + " |",
              "|---|---|" + "---|" * len(OUTCOMES)]
    for kind in sorted(total["by_kind"]):
        c = total["by_kind"][kind]
        lines.append(f"| {kind} | {sum(c.values())} | " + " | ".join(str(c.get(o, 0)) for o in OUTCOMES) + " |")
    lines += ["", "## Exceptions that excused an instance", "",
              "| exception | instances |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in total["excused"].most_common()]
    lines += ["", "## Alarms with and without a witness, by rule", "",
              "A rule at the side's threshold (request: breaking; response: warning or breaking) reported on a pair where "
              "no candidate instance shows a difference: a possible false alarm, or a rule that is not about what the "
              "schemas accept (a removed response property, a changed default, an annotation-only format).", "",
              "| rule | witnessed | unwitnessed | unwitnessed share |", "|---|---|---|---|"]
    rules = set(total["witnessed_rules"]) | set(total["unwitnessed_rules"])
    for rule in sorted(rules, key=lambda r: -total["unwitnessed_rules"][r]):
        w, u = total["witnessed_rules"][rule], total["unwitnessed_rules"][rule]
        lines.append(f"| {rule} | {w} | {u} | {100 * u / max(1, w + u):.0f}% |")
    lines += ["", "## Failure groups", "",
              "Grouped by (mutation kind, side, outcome, verdict, the keyword that rejects the witness).", "",
              "| group | failing checks |", "|---|---|"]
    for key, items in sorted(total["failures"].items(), key=lambda kv: -len(kv[1])):
        lines.append(f"| {key} | {len(items)} |")
    lines += ["", "## Suspected false alarms", "",
              "Unwitnessed alarms on pairs that no candidate tells apart either way (both schemas accept something): "
              "grouped by (kind, side, outcome, verdict, rules at or above warning). Not failures; minimised below "
              "with the failures.", "", "| group | checks |", "|---|---|"]
    for key, items in sorted(total["suspects"].items(), key=lambda kv: -len(kv[1])):
        lines.append(f"| {key} | {len(items)} |")
    lines += ["", "## Minimised examples", "",
              "Distinct minimal pairs (tests/oracle/minimise.py) of the first failures (then suspected false alarms) "
              "of each group.", ""]
    seen: set[str] = set()
    for item in shrunk:
        m = item.get("minimal")
        if m is None:
            continue
        sig = json.dumps([m["old"], m["new"], m["direction"], m["flavour"]], sort_keys=True)
        if sig in seen:
            continue
        seen.add(sig)
        lines += [f"### {item['group']}", "",
                  f"- origin: {item['origin']} (seed {item['seed']}); {m['flavour']}, {m['wrap']}, {m['direction']} side",
                  f"- old: `{json.dumps(m['old'], sort_keys=True)}`",
                  f"- new: `{json.dumps(m['new'], sort_keys=True)}`",
                  f"- differ: {m['verdict']} {m['rules']}",
                  "- " + (f"witness: {m['witness']}" if m["witness"] else
                          f"no instance tells them apart; called {m['verdict']}"), ""]
    if total["crashes"]:
        lines += ["## Crashes", ""] + [f"- {c}" for c in total["crashes"][:50]] + [""]
    path.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    sys.exit(main())
