"""Export streams with flat memory: 10,000 vs 1,000,000 labels, side by side.

Generates two stores deterministically (seeded; bulk-inserted through the
migration layer's schema, so they are real newsreader stores), then runs the
real command ``newsreader export --format F`` on each as a child process,
stdout to /dev/null, alternating small and large runs. Time is wall clock;
peak memory is the child's own peak RSS from ``os.wait4``.

    .venv/bin/python benchmarks/bench_export.py              # csv + jsonl, 3 rounds
    .venv/bin/python benchmarks/bench_export.py --sizes 10000 100000 --rounds 1

The target: the large export's peak RSS within 1.2x of the small one's.
Stores are cached under --dir (default: a directory in the system temp dir)
and reused when their row count matches.
"""
from __future__ import annotations

import argparse
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXE = Path(sys.executable).parent / "newsreader"

WORDS = ("minister officials said prices rose percent army village rebels agency reported "
         "according statement government talks ceasefire council economy growth fell "
         "analysts warned protest capital border ministry spokesman confirmed").split()
LABELS = ("fact", "quote", "opinion")
SENTENCES_PER_ARTICLE = 50
ANNOTATORS = ("alice", "bob")


def generate(path: Path, n_labels: int, seed: int = 20240501) -> None:
    """A store with exactly ``n_labels`` labels: articles of 50 sentences, 2 annotators."""
    from newsreader.core.migrations import create_at_version, SCHEMA_VERSION

    if path.exists():
        path.unlink()
    for extra in ("-wal", "-shm"):
        Path(str(path) + extra).unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    create_at_version(path, SCHEMA_VERSION)
    rng = random.Random(seed)
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA synchronous = OFF")
    con.execute("BEGIN")
    per_article = SENTENCES_PER_ARTICLE * len(ANNOTATORS)
    n_articles = -(-n_labels // per_article)
    made = 0
    for a in range(n_articles):
        sents = []
        pos = 0
        for _ in range(SENTENCES_PER_ARTICLE):
            words = [rng.choice(WORDS) for _ in range(rng.randint(6, 14))]
            s = " ".join(words).capitalize() + "."
            sents.append((pos, pos + len(s), s))
            pos += len(s) + 1
        text = " ".join(s for _, _, s in sents)
        aid = f"{a:016x}"
        con.execute("INSERT INTO articles (id, title, date, source, url, location, author, text, "
                    "added_at, n_sentences) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (aid, f"Article {a}", "2024-05-01", "Wire", f"https://example.org/{a}",
                     f"/corpus/{a}.txt", None, text, "2024-05-01T00:00:00.000000Z",
                     SENTENCES_PER_ARTICLE))
        rows = []
        for who in ANNOTATORS:
            for i, (start, end, s) in enumerate(sents):
                if made >= n_labels:
                    break
                label = rng.choice(LABELS)
                suggested = rng.choice(LABELS)
                t = f"2024-05-01T{(made // 3600) % 24:02d}:{(made // 60) % 60:02d}:" \
                    f"{made % 60:02d}.{made % 1000000:06d}Z"
                rows.append((aid, i, start, end, s, label, who, t, t, suggested,
                             int(label == suggested)))
                made += 1
        con.executemany("INSERT INTO annotations (article_id, sentence_index, char_start, "
                        "char_end, sentence, label, annotator, created_at, updated_at, "
                        "suggested_label, suggestion_accepted, orphaned) VALUES "
                        "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)", rows)
    con.execute("COMMIT")
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()


def count(path: Path) -> int:
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return con.execute("SELECT count(*) FROM annotations").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return -1


def run_child(data_dir: Path, fmt: str) -> tuple[float, int]:
    """Wall seconds and peak RSS (bytes) of one `newsreader export` child."""
    env = dict(os.environ, NEWSREADER_DATA_DIR=str(data_dir))
    with open(os.devnull, "wb") as sink:
        t0 = time.perf_counter()
        proc = subprocess.Popen([str(EXE), "export", "--format", fmt, "--data-dir",
                                 str(data_dir)], stdout=sink, stderr=subprocess.PIPE, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - t0
    err = proc.stderr.read().decode() if proc.stderr else ""
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"export failed ({proc.returncode}): {err.strip()}")
    return elapsed, usage.ru_maxrss * 1024  # ru_maxrss is KiB on Linux


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs=2, default=(10_000, 1_000_000),
                    metavar=("SMALL", "LARGE"))
    ap.add_argument("--formats", nargs="+", default=("csv", "jsonl"),
                    choices=("csv", "jsonl"))
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "nr-bench-export")
    args = ap.parse_args(argv)

    stores = {}
    for n in args.sizes:
        d = args.dir / f"n{n}"
        db = d / "newsreader.db"
        if count(db) != n:
            t0 = time.perf_counter()
            generate(db, n)
            print(f"generated {n:,} labels in {time.perf_counter() - t0:.1f}s "
                  f"({db.stat().st_size / 1e6:.0f} MB)", file=sys.stderr)
        stores[n] = d

    small, large = args.sizes
    print(f"newsreader export: {small:,} vs {large:,} labels, {args.rounds} alternating "
          f"rounds, median time, max peak RSS (child processes, stdout to /dev/null)\n")
    print(f"{'format':<7} {'labels':>10} {'time s':>8} {'labels/s':>10} {'peak RSS MB':>12}")
    ratios = []
    for fmt in args.formats:
        res: dict[int, list[tuple[float, int]]] = {small: [], large: []}
        for _ in range(args.rounds):
            for n in (small, large):
                res[n].append(run_child(stores[n], fmt))
        summary = {}
        for n in (small, large):
            t = statistics.median(x[0] for x in res[n])
            rss = max(x[1] for x in res[n])
            summary[n] = (t, rss)
            print(f"{fmt:<7} {n:>10,} {t:>8.2f} {n / t:>10,.0f} {rss / 2**20:>12.1f}")
        ratio = summary[large][1] / summary[small][1]
        ratios.append(ratio)
        print(f"{fmt:<7} {'ratio':>10} {summary[large][0] / summary[small][0]:>8.1f}x "
              f"{'':>10} {ratio:>11.2f}x")
    worst = max(ratios)
    verdict = "within" if worst <= 1.2 else "OVER"
    print(f"\npeak RSS ratio large/small: {worst:.2f}x ({verdict} the 1.2x target)")
    return 0 if worst <= 1.2 else 1


if __name__ == "__main__":
    sys.exit(main())
