"""Throughput of newsreader's batch analysis vs bare spaCy, side by side.

    .venv/bin/python benchmarks/bench_analyze.py [--articles 200] [--workers 1]
                                                [--repeats 3] [--model NAME] [--seed 7]

Generates news-like articles deterministically from ``--seed`` (names,
organisations, places, direct quotes, reported speech, "according to",
numbers; paragraphs separated by blank lines), then alternates runs of

* bare:  ``list(nlp.pipe(texts, batch_size=32, n_process=W))`` with the plain model
* ours:  ``list(analyze_many(articles, nlp, batch_size=32, n_process=W))`` with the same
         model plus newsreader's components, converting every result to an Analysis

and prints min / median / max seconds and articles per second for each, and
the throughput ratio ours / bare (target: at least 0.85). Both sides get the
same texts; the first run of each is preceded by a warm-up on a few articles.

The machine may be shared: wall time then includes waiting for a core, which
moves with other people's load. Each run's CPU time (this process plus its
finished worker processes) is printed too, with the CPU-time ratio, which
depends much less on that load.
"""
from __future__ import annotations

import argparse
import hashlib
import random
import resource
import statistics
import sys
import time

FIRST = ["Maria", "James", "Aisha", "Kenji", "Olga", "Pedro", "Fatima", "Liam", "Sofia",
         "Daniel", "Amara", "Victor", "Elena", "Tomás", "Hannah", "Yusuf", "Grace", "Ivan"]
LAST = ["Lopez", "Whitaker", "Okafor", "Tanaka", "Petrova", "Almeida", "Haddad", "Brennan",
        "Rossi", "Kowalski", "Mensah", "Lindqvist", "Moreau", "Novak", "Fischer", "Castillo"]
ORGS = ["the Ministry of Finance", "Northwind Energy", "the Central Bank", "Reuters",
        "the World Health Organization", "Atlas Motors", "the city council",
        "the European Commission", "AFP", "the national football federation"]
PLACES = ["Lisbon", "Nairobi", "Ottawa", "Warsaw", "Osaka", "Lima", "Manila", "Oslo",
          "Accra", "Brisbane"]
TOPICS = ["the budget", "the new stadium", "fuel prices", "the vaccine programme",
          "the merger", "the election", "the strike", "the flood defences", "tax reform"]
VERBS = ["said", "told reporters", "insisted", "added", "warned", "argued"]
ADJ = ["a reckless gamble", "a sensible compromise", "long overdue", "a serious mistake",
       "good news for families", "deeply troubling"]


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def _sentence(rng: random.Random, people: list[str]) -> str:
    p = rng.choice(people)
    surname = p.split()[-1]
    k = rng.randrange(9)
    if k == 0:
        return (f"“We will not accept any delay on {rng.choice(TOPICS)},” {surname} "
                f"{rng.choice(VERBS)}.")
    if k == 1:
        return (f"{p}, a spokesperson for {rng.choice(ORGS)}, {rng.choice(VERBS)} that "
                f"{rng.choice(TOPICS)} would cost {rng.randint(2, 900)} million euros.")
    if k == 2:
        return (f"According to {rng.choice(ORGS)}, {rng.choice(TOPICS)} was discussed in "
                f"{rng.choice(PLACES)} on {rng.choice(['Monday', 'Tuesday', 'Friday'])}.")
    if k == 3:
        return (f"Officials in {rng.choice(PLACES)} reported {rng.randint(10, 5000)} new cases, "
                f"up {rng.randint(1, 40)} percent from last year.")
    if k == 4:
        return f"The plan is {rng.choice(ADJ)}, and it could change before the vote."
    if k == 5:
        return (f"{surname} met representatives of {rng.choice(ORGS)} in {rng.choice(PLACES)} "
                f"to discuss {rng.choice(TOPICS)}.")
    if k == 6:
        return (f"Mr. {surname}’s proposal on {rng.choice(TOPICS)} was rejected by "
                f"{rng.randint(3, 60)} votes to {rng.randint(3, 60)}.")
    if k == 7:
        return (f"“This is {rng.choice(ADJ)}. It affects everyone in {rng.choice(PLACES)},” "
                f"{p} {rng.choice(VERBS)}.")
    return (f"The decision, announced by {rng.choice(ORGS)}, follows months of talks between "
            f"{rng.choice(PLACES)} and {rng.choice(PLACES)}.")


def make_texts(n: int, seed: int) -> list[str]:
    """``n`` news-like article bodies, the same for the same seed."""
    rng = random.Random(seed)
    texts = []
    for _ in range(n):
        people = [_person(rng) for _ in range(rng.randint(2, 4))]
        paras = []
        for _ in range(rng.randint(8, 14)):
            paras.append(" ".join(_sentence(rng, people) for _ in range(rng.randint(1, 3))))
        texts.append("\n\n".join(paras))
    return texts


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=200)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--model")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)

    import spacy

    from newsreader.core.analysis.pipeline import analyze_many, load_nlp, resolve_model
    from newsreader.core.models import Article

    model = resolve_model(args.model)
    texts = make_texts(args.articles, args.seed)
    articles = [Article(id=hashlib.sha256(t.encode()).hexdigest()[:16], text=t) for t in texts]
    chars = sum(len(t) for t in texts)
    bare = spacy.load(model)
    ours = load_nlp(model)
    print(f"model {model}; {args.articles} articles, {chars:,} characters "
          f"(mean {chars // max(1, len(texts)):,}); workers {args.workers}; "
          f"batch size {args.batch_size}; repeats {args.repeats}; seed {args.seed}")
    print(f"bare pipes: {', '.join(bare.pipe_names)}")
    print(f"ours pipes: {', '.join(ours.pipe_names)}")

    def run_bare() -> None:
        for _ in bare.pipe(texts, batch_size=args.batch_size, n_process=args.workers):
            pass

    def run_ours() -> None:
        for _ in analyze_many(articles, ours, batch_size=args.batch_size,
                              n_process=args.workers):
            pass

    def timed(fn) -> tuple[float, float]:
        """(wall seconds, CPU seconds of this process and its reaped children)"""
        c0, t0 = _cpu(), time.perf_counter()
        fn()
        return time.perf_counter() - t0, _cpu() - c0

    # warm-up (lazy data files, first-batch allocations)
    list(bare.pipe(texts[:4]))
    list(analyze_many(articles[:4], ours))
    times: dict[str, list[float]] = {"bare": [], "ours": []}
    cpu: dict[str, list[float]] = {"bare": [], "ours": []}
    for r in range(args.repeats):
        order = (("bare", run_bare), ("ours", run_ours)) if r % 2 == 0 else \
            (("ours", run_ours), ("bare", run_bare))
        for name, fn in order:
            wall, used = timed(fn)
            times[name].append(wall)
            cpu[name].append(used)
            print(f"  run {r + 1} {name}: {wall:.2f} s (CPU {used:.2f} s)", file=sys.stderr)

    print(f"\n{'':6} {'min s':>8} {'median s':>9} {'max s':>8} {'articles/s':>11}")
    for name in ("bare", "ours"):
        ts = times[name]
        med = statistics.median(ts)
        print(f"{name:6} {min(ts):>8.2f} {med:>9.2f} {max(ts):>8.2f} {args.articles / med:>11.1f}")
    ratio_med = statistics.median(times["bare"]) / statistics.median(times["ours"])
    ratio_min = min(times["bare"]) / min(times["ours"])
    print(f"\nthroughput ours/bare: {ratio_med:.1%} (medians), {ratio_min:.1%} (best runs); "
          f"target >= 85%: {'met' if ratio_med >= 0.85 else 'NOT met'}")
    print(f"\n{'CPU':9} {'min s':>8} {'median s':>9} {'max s':>8}")
    for name in ("bare", "ours"):
        cs = cpu[name]
        print(f"{name + ' cpu':9} {min(cs):>8.2f} {statistics.median(cs):>9.2f} {max(cs):>8.2f}")
    cpu_med = statistics.median(cpu["bare"]) / statistics.median(cpu["ours"])
    cpu_min = min(cpu["bare"]) / min(cpu["ours"])
    print(f"throughput ours/bare by CPU time: {cpu_med:.1%} (medians), {cpu_min:.1%} (best runs)")
    return 0


def _cpu() -> float:
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


if __name__ == "__main__":
    sys.exit(main())
