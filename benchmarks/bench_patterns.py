"""Side by side: regular-language engines for `pattern` containment, on the corpus's real patterns.

Candidates: apicompat.patterns (our lazy product construction), greenery and interegular (PyPI).
Neither library reads ECMA-262 anchors, so for them each pattern goes through our parser and is
written in the library's dialect with the search semantics spelled out (`^` stripped or
`[\\s\\S]*` prepended, the same at the end); an anchor anywhere else cannot be written that way.

Measured, each candidate in its own process (so peak RSS is its own):
- parse: the library's own parser on the pattern as written; and through our front end.
- pairs: every ordered pair of distinct corpus patterns, plus random small pairs (seeded), asked
  "does every string matching B match A?". Ground truth: Python `re` on the ECMA meaning written
  in Python syntax (render.py, independent of any automaton) over strings sampled from both
  patterns and mutated (corpus), or every string up to length 5 over a 5-letter alphabet (random).
  An answer "holds" is wrong when a string refutes it; "does not hold" is checked with the
  engine's own counterexample (the first string of B minus A), wrong when re disagrees.
- hostile: patterns with a huge DFA or repeat, 20 s each at most.

    .venv/bin/pip install greenery interegular   # only for this script
    .venv/bin/python benchmarks/bench_patterns.py [--shared ../shared] [--write benchmarks/patterns.md]
"""

from __future__ import annotations

import argparse
import functools
import glob
import itertools
import json
import os
import random
import re
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CANDIDATES = ("apicompat", "greenery", "interegular")
PAIR_LIMIT = 2.0  # seconds per pair
HOSTILE_LIMIT = 20.0
HOSTILE = ["a{1000}", "^.{0,2000}$", "[ab]*a[ab]{10}", "[ab]*a[ab]{14}", "(?:a|b|c|d|e|f|g|h)*a.{12}",
           "(a{100}){100}", "((a|aa)*){1000}", "^(a+)+$"]


# -- inputs -----------------------------------------------------------------------------------------
def corpus_patterns(shared: Path) -> list[str]:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    found: dict[str, None] = {}

    def walk(node):
        stack = [node]
        while stack:
            n = stack.pop()
            if isinstance(n, dict):
                if isinstance(n.get("pattern"), str):
                    found.setdefault(n["pattern"])
                if isinstance(n.get("patternProperties"), dict):
                    for k in n["patternProperties"]:
                        found.setdefault(str(k))
                stack.extend(n.values())
            elif isinstance(n, list):
                stack.extend(n)

    for f in sorted(glob.glob(str(shared / "corpus/openai/*.yaml")) + glob.glob(str(shared / "corpus/stripe/*.yaml"))):
        with open(f, encoding="utf-8") as fh:
            walk(yaml.load(fh, Loader=loader))
    return list(found)


_ATOMS = ["a", "b", "0", "[ab]", "[^a]", "[a0]", ".", "\\d", "\\w", "\\s", "\\n", "^", "$"]
_QUANTIFIERS = ["*", "+", "?", "{2}", "{1,2}", "{0,3}", "{2,}", "*?"]


def random_pattern(r: random.Random, depth: int = 0) -> str:
    k = r.random()
    if depth > 3 or k < 0.35:
        return r.choice(_ATOMS)
    if k < 0.6:
        return random_pattern(r, depth + 1) + random_pattern(r, depth + 1)
    if k < 0.8:
        return f"(?:{random_pattern(r, depth + 1)}|{random_pattern(r, depth + 1)})"
    return f"(?:{random_pattern(r, depth + 1)}){r.choice(_QUANTIFIERS)}"


def derived_pairs(patterns: list[str]) -> list[tuple[str, str]]:
    """Pairs where containment holds one way: each pattern against itself loosened (no `$`) or
    tightened (a literal suffix), in both orders."""
    out = []
    for p in patterns:
        wider, narrower = (p[:-1], p) if p.endswith("$") else (p, p + "/x")
        out += [(wider, narrower), (narrower, wider)]
    return out


def random_pairs(n: int) -> list[tuple[str, str]]:
    r = random.Random(20261201)
    return [(random_pattern(r), random_pattern(r)) for _ in range(n)]


# -- ground truth -----------------------------------------------------------------------------------
def python_regex(pattern: str):
    from apicompat.patterns.render import render
    from apicompat.patterns.syntax import parse

    return re.compile(render(parse(pattern), "python"))


def samples(pattern: str, r: random.Random, count: int = 30) -> list[str]:
    """Strings built from the pattern's own tree, then mutated: near misses are what refute."""
    from apicompat.patterns import syntax as sx

    def gen(node) -> str:
        if isinstance(node, sx.Chars):
            if not node.ranges:
                return ""
            lo, hi = r.choice(node.ranges)
            hi = min(hi, lo + 200)
            return chr(r.randint(lo, hi))
        if isinstance(node, sx.Seq):
            return "".join(gen(i) for i in node.items)
        if isinstance(node, sx.Alt):
            return gen(r.choice(node.options))
        if isinstance(node, sx.Group):
            return gen(node.item)
        if isinstance(node, sx.Repeat):
            hi = node.max if node.max is not None else node.min + 3
            return "".join(gen(node.item) for _ in range(r.randint(node.min, min(hi, node.min + 3))))
        return ""

    tree = sx.parse(pattern)
    out = []
    for _ in range(count):
        s = gen(tree)
        out.append(s)
        if s:
            i = r.randrange(len(s))
            out += [s[:i] + s[i + 1:], s[:i] + r.choice("a/_-0Z") + s[i:], s + "/x", "x" + s, s[:i]]
    return out


BRUTE = [""] + ["".join(t) for n in range(1, 6) for t in itertools.product("ab0\n ", repeat=n)]


def truth_strings(w: str, n: str, corpus: bool, r: random.Random) -> list[str]:
    return samples(w, r) + samples(n, r) if corpus else BRUTE


# -- the candidates, each in a worker process -------------------------------------------------------
class _Timeout(Exception):
    pass


def _alarm(_sig, _frame):
    raise _Timeout


def _library_text(pattern: str) -> str:
    """ECMA pattern -> greenery/interegular dialect with the search semantics written out."""
    from apicompat.patterns import syntax as sx

    def chars(ranges) -> str:
        if ranges == sx.ANY:
            return "[\\s\\S]"
        comp = sx.negate(ranges)
        neg = len(comp) < len(ranges) or sum(h - lo for lo, h in ranges) > 50_000
        body = "".join(esc(lo) if lo == hi else f"{esc(lo)}-{esc(hi)}" for lo, hi in (comp if neg else ranges))
        return "[" + ("^" if neg else "") + body + "]"

    def esc(code: int) -> str:
        c = chr(code)
        if c in "\\[]^-":
            return "\\" + c
        return f"\\x{code:02x}" if code < 0x20 else c

    def text(node) -> str:
        if isinstance(node, sx.Chars):
            return chars(node.ranges)
        if isinstance(node, sx.Seq):
            return "".join(text(i) for i in node.items)
        if isinstance(node, sx.Alt):
            return "(?:" + "|".join(text(o) for o in node.options) + ")"
        if isinstance(node, sx.Group):
            return "(?:" + text(node.item) + ")"
        if isinstance(node, sx.Repeat):
            hi = "" if node.max is None else str(node.max)
            return f"(?:{text(node.item)}){{{node.min},{hi}}}"
        raise ValueError(f"cannot be written for the library: {type(node).__name__}")

    tree = sx.parse(pattern)
    branches = tree.options if isinstance(tree, sx.Alt) else (tree,)
    out = []
    for b in branches:
        items = list(b.items) if isinstance(b, sx.Seq) else [b]
        start = end = False
        while items and items[0] == sx.Anchor("start"):
            items.pop(0)
            start = True
        while items and items[-1] == sx.Anchor("end"):
            items.pop()
            end = True
        body = text(sx.Seq(tuple(items)))
        out.append(("" if start else "[\\s\\S]*") + body + ("" if end else "[\\s\\S]*"))
    return "|".join(f"(?:{o})" for o in out)


def worker(name: str, job: dict) -> dict:
    signal.signal(signal.SIGALRM, _alarm)
    if name == "apicompat":
        from apicompat.patterns import contains, lang

        def build(p):
            lang.compile_pattern(p)
            return p

        def ask(w, n):
            v = contains([w], [n])
            return v.holds, v.counterexample

        def raw(p):
            build(p)
    elif name == "greenery":
        import greenery

        def build(p):
            return greenery.parse(_library_text(p)).to_fsm()

        def ask(w, n):
            fw, fn = build(w), build(n)
            diff = fn - fw
            if diff.empty():
                return True, None
            return False, next(iter(diff.strings(["\U0010fffd"])), None)

        def raw(p):
            greenery.parse(p)
    else:
        import interegular
        from interegular.fsm import Alphabet, anything_else
        from interegular.patterns import REFlags

        def build(p):
            return interegular.parse_pattern(_library_text(p))

        def ask(w, n):
            pw, pn = build(w), build(n)
            alphabet = Alphabet.union(pw.get_alphabet(REFlags(0)), pn.get_alphabet(REFlags(0)))[0]
            diff = pn.to_fsm(alphabet) - pw.to_fsm(alphabet)
            if diff.empty():
                return True, None
            first = next(iter(diff.strings()), None)
            if first is None or any(c is anything_else for c in first):
                return False, None
            return False, "".join(first)

        def raw(p):
            interegular.parse_pattern(p).to_fsm()

    build = functools.lru_cache(maxsize=None)(build)
    base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result: dict = {"raw_parse": 0, "front_end": 0, "front_end_failures": [], "pairs": []}
    for p in job["patterns"]:
        try:
            raw(p)
            result["raw_parse"] += 1
        except Exception:
            pass
        try:
            build(p)
            result["front_end"] += 1
        except Exception as exc:
            result["front_end_failures"].append(f"{p}: {type(exc).__name__}")
    started = time.perf_counter()
    for w, n in job["pairs"]:
        t = time.perf_counter()
        signal.setitimer(signal.ITIMER_REAL, job["limit"])
        try:
            holds, example = ask(w, n)
        except _Timeout:
            holds, example = "timeout", None
        except Exception as exc:
            holds, example = f"error {type(exc).__name__}: {str(exc)[:60]}", None
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        result["pairs"].append([holds, example, time.perf_counter() - t])
    result["seconds"] = time.perf_counter() - started
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result["rss_growth_mb"] = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base_rss) / 1024
    return result


def run_worker(name: str, job: dict, timeout: float) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--worker", name], input=json.dumps(job), text=True,
                          capture_output=True, timeout=timeout)
    if proc.returncode != 0:
        raise SystemExit(f"{name} worker failed: {proc.stderr[-2000:]}")
    return json.loads(proc.stdout)


# -- the comparison ---------------------------------------------------------------------------------
def judge(pairs, answers, truths) -> dict:
    out = {"holds": 0, "fails": 0, "undecided": 0, "timeout": 0, "error": 0, "wrong": 0, "unverified": 0,
           "errors": {}}
    for (w, n), (holds, example, _), strings in zip(pairs, answers, truths):
        rw, rn = python_regex(w), python_regex(n)
        if holds is True:
            out["holds"] += 1
            if any(rn.search(s) and not rw.search(s) for s in strings):
                out["wrong"] += 1
        elif holds is False:
            out["fails"] += 1
            if example is None:
                out["unverified"] += 1
            elif not (rn.search(example) and not rw.search(example)):
                out["wrong"] += 1
        elif holds is None:
            out["undecided"] += 1
        elif holds == "timeout":
            out["timeout"] += 1
        else:
            out["error"] += 1
            out["errors"][holds] = out["errors"].get(holds, 0) + 1
    return out


# -- part 2: matching engines for validation -----------------------------------------------------------
ENGINE_HOSTILE = [("^(a+)+$", "a" * 50 + "!"), ("^(a|aa)+$", "a" * 60 + "!"), ("^(\\w+\\s?)*$", "word " * 12 + "!"),
                  ("^(?!z)(a|aa)+$", "a" * 60 + "!"), ("(x+x+)+y", "x" * 40)]


def engine_worker(job: dict) -> dict:
    """One engine in its own process: throughput on the corpus, then the hostile cases."""
    import regex
    import re2

    from apicompat.patterns import engine
    from apicompat.patterns.render import render
    from apicompat.patterns.syntax import parse

    signal.signal(signal.SIGALRM, _alarm)
    name = job["engine"]
    options = re2.Options()
    options.log_errors = False
    if name == "re":
        comp = re.compile
        def run(c, s): return c.search(s) is not None  # noqa: E301
    elif name == "re2":
        def comp(p): return re2.compile(render(parse(p), "re2").encode(), options)  # noqa: E301
        def run(c, s): return c.search(s.encode()) is not None  # noqa: E301
    elif name == "regex":
        def comp(p): return regex.compile(render(parse(p), "python"))  # noqa: E301
        def run(c, s): return c.search(s, timeout=0.05) is not None  # noqa: E301
    else:  # apicompat.patterns.engine: re2, else regex with a time limit
        def comp(p): return p  # noqa: E301
        def run(c, s):  # noqa: E301
            try:
                return engine.search(c, s)
            except engine.MatchUndecided:
                return None
    out = {"compiled": 0, "answers": [], "hostile": []}
    compiled = {}
    for p in job["patterns"]:
        try:
            compiled[p] = comp(p)
            out["compiled"] += 1
        except Exception:
            pass
    started = time.perf_counter()
    for p, s in job["checks"]:
        out["answers"].append(run(compiled[p], s) if p in compiled else "n/a")
    out["seconds"] = time.perf_counter() - started
    for p, s in ENGINE_HOSTILE:
        t = time.perf_counter()
        signal.setitimer(signal.ITIMER_REAL, HOSTILE_LIMIT)
        try:
            c = comp(p)
            try:
                answer = run(c, s)
            except TimeoutError:
                answer = "timeout"
        except _Timeout:
            answer = "stopped"
        except Exception as exc:
            answer = f"refused ({type(exc).__name__})"
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        out["hostile"].append([answer, time.perf_counter() - t])
    return out


def engines(patterns: list[str]) -> str:
    r = random.Random(11)
    checks = [(p, s) for p in patterns for s in samples(p, r, 20)]
    results = {}
    for name in ("re", "re2", "regex", "apicompat"):
        proc = subprocess.run([sys.executable, __file__, "--engine-worker"], text=True, capture_output=True,
                              input=json.dumps({"engine": name, "patterns": patterns, "checks": checks}),
                              timeout=HOSTILE_LIMIT * len(ENGINE_HOSTILE) + 300)
        if proc.returncode:
            raise SystemExit(proc.stderr[-2000:])
        results[name] = json.loads(proc.stdout)
    truth = [bool(python_regex(p).search(s)) for p, s in checks]
    names = list(results)
    lines = [f"{len(checks)} (pattern, string) checks: strings sampled from each corpus pattern and mutated; "
             "truth is `re` on the ECMA meaning written for Python.", "",
             "| | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]

    def row(label, f):
        lines.append(f"| {label} | " + " | ".join(f(results[n]) for n in names) + " |")

    row("corpus patterns compiled", lambda x: f"{x['compiled']}/{len(patterns)}")
    row("answers that differ from the ECMA meaning", lambda x: str(sum(
        1 for a, t in zip(x["answers"], truth) if a != t)))
    row("time for all checks, ms", lambda x: f"{x['seconds'] * 1000:.0f}")
    row("per check, us", lambda x: f"{x['seconds'] / len(checks) * 1e6:.1f}")
    for i, (p, s) in enumerate(ENGINE_HOSTILE):
        row(f"`{p}` on {s[:6]!r}... ({len(s)} chars)", lambda x, i=i: _engine_cell(x["hostile"][i]))
    return "\n".join(lines) + "\n"


def _engine_cell(cell) -> str:
    answer, seconds = cell
    label = {True: "match", False: "no match", None: "undecided"}.get(answer, str(answer))
    if answer == "stopped":
        return f"> {HOSTILE_LIMIT:g} s (stopped)"
    return f"{label}, {seconds:.3f} s"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--random-pairs", type=int, default=300)
    ap.add_argument("--corpus-pairs", type=int, default=400, help="a seeded sample of the ordered pairs")
    ap.add_argument("--write", help="write the markdown table to this file")
    ap.add_argument("--worker")
    ap.add_argument("--engine-worker", action="store_true")
    ap.add_argument("--engines-only", action="store_true", help="only part 2, the matching engines")
    args = ap.parse_args()
    if args.engine_worker:
        print(json.dumps(engine_worker(json.load(sys.stdin))))
        return 0
    if args.engines_only:
        print(engines(corpus_patterns(Path(args.shared))))
        return 0
    if args.worker:
        print(json.dumps(worker(args.worker, json.load(sys.stdin))))
        return 0
    patterns = corpus_patterns(Path(args.shared))
    all_pairs = [(w, n) for w in patterns for n in patterns if w != n]
    corpus_pairs = random.Random(3).sample(all_pairs, min(args.corpus_pairs, len(all_pairs)))
    corpus_pairs += derived_pairs(patterns)
    rnd_pairs = random_pairs(args.random_pairs)
    r = random.Random(7)
    truths = [truth_strings(w, n, True, r) for w, n in corpus_pairs] + [BRUTE] * len(rnd_pairs)
    pairs = corpus_pairs + rnd_pairs
    rows = {}
    for name in CANDIDATES:
        res = run_worker(name, {"patterns": patterns, "pairs": pairs, "limit": PAIR_LIMIT}, timeout=7200)
        answers = res["pairs"]
        rows[name] = {
            "res": res,
            "corpus": judge(corpus_pairs, answers[:len(corpus_pairs)], truths[:len(corpus_pairs)]),
            "random": judge(rnd_pairs, answers[len(corpus_pairs):], truths[len(corpus_pairs):]),
            "corpus_s": sum(a[2] for a in answers[:len(corpus_pairs)]),
            "random_s": sum(a[2] for a in answers[len(corpus_pairs):]),
        }
        hostile = run_worker(name, {"patterns": [], "pairs": [("^x", h) for h in HOSTILE],
                                    "limit": HOSTILE_LIMIT}, timeout=HOSTILE_LIMIT * len(HOSTILE) + 120)
        rows[name]["hostile"] = hostile["pairs"]
        rows[name]["hostile_rss"] = hostile["peak_rss_mb"]
        print(f"{name}: done in {res['seconds']:.0f} s", file=sys.stderr, flush=True)
    text = report(patterns, corpus_pairs, rnd_pairs, rows)
    print(text)
    if args.write:
        Path(args.write).write_text(text, encoding="utf-8")
    return 0


def report(patterns, corpus_pairs, rnd_pairs, rows) -> str:
    import platform

    lines = [f"- corpus: {len(patterns)} distinct patterns (`pattern` values and `patternProperties` keys of "
             f"the OpenAI and Stripe specs); {len(corpus_pairs)} ordered pairs: a seeded sample of pairs of "
             f"them, and each against itself loosened (`$` dropped) or tightened (`/x` appended), both ways; "
             f"{len(rnd_pairs)} random pairs of small patterns.",
             f"- machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
             f"per-pair limit {PAIR_LIMIT:g} s, hostile limit {HOSTILE_LIMIT:g} s.", "",
             "| | " + " | ".join(CANDIDATES) + " |", "|---|" + "---|" * len(CANDIDATES)]

    def row(label, f):
        lines.append(f"| {label} | " + " | ".join(f(rows[c]) for c in CANDIDATES) + " |")

    n = len(patterns)
    row("library's own parser, pattern as written", lambda x: f"{x['res']['raw_parse']}/{n}")
    row("through our ECMA-262 front end", lambda x: f"{x['res']['front_end']}/{n}")
    for part in ("corpus", "random"):
        row(f"{part} pairs: holds / fails / undecided / timeout / error",
            lambda x, part=part: "{holds} / {fails} / {undecided} / {timeout} / {error}".format(**x[part]))
        row(f"{part} pairs: wrong answers (refuted by `re`)", lambda x, part=part: str(x[part]["wrong"]))
        row(f"{part} pairs: 'fails' with no counterexample to check", lambda x, part=part: str(x[part]["unverified"]))
        row(f"{part} pairs: total time, s", lambda x, part=part: f"{x[part + '_s']:.2f}")
    for part in ("corpus", "random"):
        row(f"{part} pairs: most common error", lambda x, part=part: ", ".join(
            f"{k} ({v})" for k, v in sorted(x[part]["errors"].items(), key=lambda kv: -kv[1])[:1]) or "-")
    row("peak RSS of the worker, MB", lambda x: f"{x['res']['peak_rss_mb']:.0f}")
    for i, h in enumerate(HOSTILE):
        row(f"hostile `{h}` vs `^x`", lambda x, i=i: _hostile_cell(x["hostile"][i]))
    row("peak RSS on the hostile set, MB", lambda x: f"{x['hostile_rss']:.0f}")
    return "\n".join(lines) + "\n"


def _hostile_cell(answer) -> str:
    holds, _, seconds = answer
    if holds == "timeout":
        return f"> {HOSTILE_LIMIT:g} s (stopped)"
    label = {True: "holds", False: "fails", None: "undecided"}.get(holds, str(holds))
    return f"{label}, {seconds:.2f} s"


if __name__ == "__main__":
    sys.exit(main())
