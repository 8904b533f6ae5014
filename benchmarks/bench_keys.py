"""Keystroke latency: moving (j) and tagging (f), small article vs 100,000-word document.

    .venv/bin/python benchmarks/bench_keys.py [--presses 40] [--rounds 2] [--quick|--smoke]

The real app (``build_app``: real store, real analysis cache) runs under
Pilot at 120x40. Both documents' analyses are in the cache before the app
opens them, so what is measured is the reader, not spaCy. Every frame the
app composes is timestamped (benchmarks/common.py FrameClock: it wraps
``App._display`` and encodes each update for a terminal, as the real driver
does), together with the state it shows: the document's cursor and labels,
the status line and the top bar. One measurement is the time from sending
the key to the first frame that shows the key's whole outcome (the state
once everything has settled): keypress to repaint, including the store's
commit for a tag, the screen's frame pacing and the status and progress bars.

Each round opens the small document, then the big one, and presses ``j``
then ``f`` ``--presses`` times each (after a few unrecorded warm-up keys),
with a short pause between keys. Targets: median <= 50 ms and p95 <= 100 ms
on both documents, and the big document's median no more than 1.5x the
small one's (cost independent of document length).
"""
from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import sys
from types import SimpleNamespace

import gen
from common import (FrameClock, Report, Stats, add_mode_args, app_env, command_line,
                    ensure_analyses, eprint, fresh_dir, mode_of, msf, seed_analyses, table, x)


async def session(path, data_dir, key_plan, presses: int, warmup: int, size, timeout: float
                  ) -> dict[str, list[float]]:
    from newsreader.tui.launch import build_app
    from newsreader.tui.widgets.bars import StatusLine, TopBar
    from newsreader.tui.widgets.document import DocumentView

    os.environ.update(app_env(data_dir))   # no developer config or annotator leaks in
    args = SimpleNamespace(paths=[str(path)], data_dir=str(data_dir), annotator="bench", model=None)
    app, store = build_app(args)
    out: dict[str, list[float]] = {k: [] for k in key_plan}
    out.update({f"{k} first": [] for k in key_plan})
    try:
        async with app.run_test(size=size) as pilot:
            loop = asyncio.get_running_loop()
            deadline = loop.time() + timeout
            view = None
            while loop.time() < deadline:
                await asyncio.sleep(0.05)
                views = list(app.screen.query(DocumentView))
                if views and views[0].ready:
                    view = views[0]
                    break
            if view is None:
                raise SystemExit(f"{path}: the document never became ready")
            screen = app.screen

            def state():
                return (view.cursor, len(view.labels), screen.query_one(StatusLine).content.plain,
                        screen.query_one(TopBar).content.plain)

            clock = FrameClock(app, state)
            await asyncio.sleep(0.3)
            for key in key_plan:
                for i in range(warmup + presses):
                    latency = await clock.key_latency(pilot, key)
                    if latency is None:
                        eprint(f"  {key}: no frame showed the outcome")
                    elif i >= warmup:
                        out[key].append(latency)
                        out[f"{key} first"].append(clock.first_response)
                    await asyncio.sleep(0.02)
    finally:
        store.close()
    return out


def run(args) -> Report:
    mode = mode_of(args)
    rounds = args.rounds or {"smoke": 1, "quick": 1, "full": 2}[mode]
    presses = args.presses or {"smoke": 5, "quick": 30, "full": 40}[mode]
    small_words = 150 if args.smoke else 1_000
    big_words = args.big or (3_000 if args.smoke else 100_000)
    report = Report("keys", "Keystroke latency (Pilot, keypress to repaint)",
                    command=command_line(), mode=mode)

    from newsreader.core.ingest import load_path

    work = fresh_dir("keys-")
    docs = {
        "small": gen.write_article(work / "small.txt", small_words, seed=1),
        "big": gen.write_article(work / "big.txt", big_words, seed=100),
    }
    articles = {name: load_path(str(p)) for name, p in docs.items()}
    words = {name: len(a.text.split()) for name, a in articles.items()}
    ensure_analyses(list(articles.values()))   # analysed once, cached across runs

    keys = ("j", "f")
    results = {(d, k): [] for d in docs for k in keys}
    first = {(d, k): [] for d in docs for k in keys}
    for r in range(rounds):
        for name in (("small", "big") if r % 2 == 0 else ("big", "small")):
            data_dir = fresh_dir(f"keys-{name}-")
            seed_analyses(data_dir, [articles[name]])
            got = asyncio.run(session(docs[name], data_dir, keys, presses, warmup=3,
                                      size=(args.width, args.height), timeout=args.timeout))
            shutil.rmtree(data_dir, ignore_errors=True)
            for k in keys:
                results[(name, k)].extend(got[k])
                first[(name, k)].extend(got[f"{k} first"])
                st = Stats.of(got[k])
                eprint(f"  round {r + 1}/{rounds} {name} {k}: median {msf(st.median)} ms, "
                       f"p95 {msf(st.p95)} ms ({st.n} presses)")
    shutil.rmtree(work, ignore_errors=True)

    rows = []
    stats = {}
    for (name, k), xs in results.items():
        st = Stats.of(xs)
        stats[(name, k)] = st
        what = "j (next sentence)" if k == "j" else "f (tag fact, next)"
        rows.append((f"{name} ({words[name]:,} words): {what}", st.n, msf(st.min), msf(st.median),
                     msf(st.p95), msf(st.max), msf(Stats.of(first[(name, k)]).median)))
    report.add_table(table(["document: key", "presses", "min ms", "median ms", "p95 ms", "max ms",
                            "first change ms"],
                           rows, title=f"Keypress to repaint, {args.width}x{args.height}, "
                                       f"{rounds} round(s) of {presses} presses per key"))
    ratio_rows = []
    for k in keys:
        r_med = stats[("big", k)].median / stats[("small", k)].median
        r_p95 = stats[("big", k)].p95 / stats[("small", k)].p95
        ratio_rows.append((k, x(r_med), x(r_p95)))
    report.add_table(table(["key", "big/small median", "big/small p95"], ratio_rows))
    report.note("min/median/p95/max: keypress to the first frame showing the key's whole outcome "
                "(document, status line, top bar); first change: median time to the first frame "
                "after the key (equal to the median when the whole outcome is in the first "
                "frame)")

    for (name, k), st in stats.items():
        what = f"key {k} on the {words[name]:,}-word document"
        ok = None if st.n == 0 else (st.median <= 0.050 and st.p95 <= 0.100)
        report.target(what, "median <= 50 ms, p95 <= 100 ms",
                      f"median {msf(st.median)} ms, p95 {msf(st.p95)} ms", ok)
    for k in keys:
        a, b = stats[("small", k)], stats[("big", k)]
        if a.n and b.n:
            r = b.median / a.median
            report.target(f"key {k}: same cost on both documents", "big/small median <= 1.5x",
                          f"{x(r)} ({msf(b.median)} vs {msf(a.median)} ms)", r <= 1.5)
    return report


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--presses", type=int, help="recorded presses per key and round (default 40)")
    ap.add_argument("--rounds", type=int, help="rounds (each opens both documents; default 2)")
    ap.add_argument("--big", type=int, help="words in the big document (default 100,000)")
    ap.add_argument("--width", type=int, default=120)
    ap.add_argument("--height", type=int, default=40)
    ap.add_argument("--timeout", type=float, default=300.0)
    add_mode_args(ap)
    args = ap.parse_args(argv)
    report = run(args)
    report.save(args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
