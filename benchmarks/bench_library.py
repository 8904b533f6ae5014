"""Library scale: 10,000 articles in the store; first paint and filter-as-you-type latency.

    .venv/bin/python benchmarks/bench_library.py [--articles 10000] [--rounds 5] [--quick|--smoke]

The store is made once per machine through the Store API (``Store.add_article``
for every article, each its own committed transaction, as the app does; a
few hundred labels through ``Store.tag``) and kept under the benchmark work
dir; every run works on a fresh copy.

* First paint (tmux, 120x40, capture-pane polled every ~10 ms):
  ``newsreader ARTICLE --data-dir D`` with D holding the big store, against
  D holding an empty store, alternating; done when the article's first words
  are on screen. The article's analysis is cached in both, so spaCy plays no
  part. The library screen is built when it is first shown, not under the
  reader, so the store's size should not show here. Target: <= 1.5x the
  empty store.
* Library and filter (Pilot, the real app, every frame timestamped as in
  bench_keys.py): Escape from the reader to the library (its first show:
  the store is read), then typing a query one key at a time, deleting it with Backspace,
  and Escape to clear; each key timed to the first frame that shows its
  whole outcome (filter text, rows shown, status line). Target: <= 50 ms.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import gen
from common import (BENCH, NEWSREADER, WORK, FrameClock, Report, Stats, Tmux, add_mode_args,
                    app_env, command_line, eprint, fresh_dir, interleave, mode_of, ms, msf,
                    ratio_stats, seed_analyses, shows, table, x)

STORE_VERSION = 1   # bump when the generated library changes
QUERY = "talks war"


def library_store(n: int, seed: int = 7) -> Path:
    """A store of ``n`` generated articles (made once, reused); returns the .db path."""
    from newsreader.core.models import Sentence, Suggestion
    from newsreader.core.store import Store

    directory = WORK / f"library-{n}-s{seed}-v{STORE_VERSION}"
    db = directory / "newsreader.db"
    done = directory / "complete"
    if done.exists() and db.exists():
        return db
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    t0 = time.perf_counter()
    eprint(f"library: making a store of {n:,} articles with Store.add_article (once)…")
    articles = gen.library_articles(n, seed)
    with Store.open(db) as store:
        for i, article in enumerate(articles):
            store.add_article(article, n_sentences=max(1, article.text.count(". ") + 1))
            if i % 1000 == 999:
                eprint(f"  {i + 1:,} articles, {time.perf_counter() - t0:.0f}s")
        suggestion = Suggestion("fact", 0.5, "benchmark")
        for article in articles[: max(1, n // 30)]:
            end = article.text.find(". ") + 1 or len(article.text)
            sentence = Sentence(0, 0, end, article.text[:end], 0, suggestion)
            store.tag(article.id, sentence, "fact", "bench", suggestion)
    done.write_text(f"{n} articles in {time.perf_counter() - t0:.1f}s\n")
    eprint(f"  made in {time.perf_counter() - t0:.0f}s")
    return db


def prepared_dir(db: Path | None, article) -> Path:
    d = fresh_dir("lib-")
    if db is not None:
        shutil.copy2(db, d / "newsreader.db")
    seed_analyses(d, [article])
    return d


async def filter_session(path: Path, data_dir: Path, size, rounds: int, timeout: float
                         ) -> dict[str, list[float]]:
    from textual.widgets import Input

    from newsreader.tui.launch import build_app
    from newsreader.tui.screens.library import LibraryList, LibraryScreen
    from newsreader.tui.widgets.bars import StatusLine
    from newsreader.tui.widgets.document import DocumentView

    os.environ.update(app_env(data_dir))   # no developer config or annotator leaks in
    args = SimpleNamespace(paths=[str(path)], data_dir=str(data_dir), annotator="bench", model=None)
    app, store = build_app(args)
    out: dict[str, list[float]] = {"open library (escape)": [], "type a character": [],
                                   "backspace": [], "clear filter (escape)": []}
    try:
        async with app.run_test(size=size) as pilot:
            loop = asyncio.get_running_loop()
            deadline = loop.time() + timeout
            while loop.time() < deadline:
                await asyncio.sleep(0.05)
                views = list(app.screen.query(DocumentView))
                if views and views[0].ready:
                    break
            else:
                raise SystemExit(f"{path}: the reader never became ready")

            def state():
                screen = app.screen
                if not isinstance(screen, LibraryScreen):
                    return (type(screen).__name__,)
                return (type(screen).__name__, screen.query_one("#filter", Input).value,
                        screen.query_one(LibraryList).option_count,
                        screen.query_one(StatusLine).content.plain)

            clock = FrameClock(app, state)
            await asyncio.sleep(0.3)
            for r in range(rounds):
                if r:   # back to the reader: Escape with an empty filter resumes it
                    await pilot.press("escape")
                    await clock.settle(time.perf_counter(), quiet=0.2)
                t = await clock.key_latency(pilot, "escape")
                if t is not None:
                    out["open library (escape)"].append(t)
                if not isinstance(app.screen, LibraryScreen):
                    raise SystemExit("escape did not open the library")
                for ch in QUERY:
                    t = await clock.key_latency(pilot, "space" if ch == " " else ch)
                    if t is not None:
                        out["type a character"].append(t)
                    await asyncio.sleep(0.02)
                for _ in range(4):
                    t = await clock.key_latency(pilot, "backspace")
                    if t is not None:
                        out["backspace"].append(t)
                    await asyncio.sleep(0.02)
                t = await clock.key_latency(pilot, "escape")
                if t is not None:
                    out["clear filter (escape)"].append(t)
                await asyncio.sleep(0.05)
    finally:
        store.close()
    return out


def run(args) -> Report:
    mode = mode_of(args)
    n = args.articles or {"smoke": 200, "quick": 10_000, "full": 10_000}[mode]
    rounds = args.rounds or {"smoke": 1, "quick": 3, "full": 5}[mode]
    report = Report("library", f"Library scale ({n:,} articles)", command=command_line(), mode=mode)

    from newsreader.core.ingest import load_path

    db = library_store(n)
    work = fresh_dir("library-")
    path = gen.write_article(work / "article.txt", 300, seed=2)
    article = load_path(str(path))
    needle = gen.first_words(article.text, 5)

    results = {"empty": [], "big": []}
    with Tmux(args.width, args.height) as tmux:
        def first_text(store_db: Path | None) -> float | None:
            d = prepared_dir(store_db, article)
            s, t0 = tmux.start([NEWSREADER, str(path), "--data-dir", str(d)], env=app_env(d),
                               cwd=BENCH)
            seen, screen, _ = tmux.wait_for(s, shows(needle), timeout=args.timeout)
            tmux.kill(s)
            shutil.rmtree(d, ignore_errors=True)
            if seen is None:
                eprint("newsreader: text never appeared; last screen:\n" + screen)
                return None
            return seen - t0

        first_text(db)
        first_text(None)
        got = interleave(rounds, {"empty": lambda _r: first_text(None),
                                  "big": lambda _r: first_text(db)}, log=eprint)
        results.update(got)

    rows = [(f"{'empty store' if k == 'empty' else f'{n:,} articles'}: first text",
             len(v), ms(Stats.of(v).min), ms(Stats.of(v).median), ms(Stats.of(v).max))
            for k, v in results.items()]
    ratio = ratio_stats(results["big"], results["empty"])
    rows.append((f"ratio {n:,} / empty (per round)", ratio.n, x(ratio.min), x(ratio.median),
                 x(ratio.max)))
    report.add_table(table(["newsreader ARTICLE (tmux)", "runs", "min ms", "median ms", "max ms"],
                           rows, title=f"First paint with {n:,} articles in the store vs an empty "
                                       f"store, {rounds} rounds"))
    report.target(f"first paint with {n:,} articles", "<= 1.5x empty store",
                  f"{x(ratio.median)} median ({x(ratio.min)}–{x(ratio.max)})",
                  None if not ratio.n else ratio.median <= 1.5)

    d = prepared_dir(db, article)
    lat = asyncio.run(filter_session(path, d, (args.width, args.height), rounds, args.timeout))
    shutil.rmtree(d, ignore_errors=True)
    shutil.rmtree(work, ignore_errors=True)
    rows = []
    for what, xs in lat.items():
        st = Stats.of(xs)
        rows.append((what, st.n, msf(st.min), msf(st.median), msf(st.p95), msf(st.max)))
    report.add_table(table(["key (Pilot, keypress to repaint)", "presses", "min ms", "median ms",
                            "p95 ms", "max ms"], rows,
                           title=f"Library with {n:,} articles: typing {QUERY!r} into the filter, "
                                 f"{rounds} rounds"))
    typing = Stats.of(lat["type a character"] + lat["backspace"])
    report.target(f"filter as you type, {n:,} articles", "<= 50 ms",
                  f"median {msf(typing.median)} ms, p95 {msf(typing.p95)} ms, "
                  f"max {msf(typing.max)} ms", None if not typing.n else typing.median <= 0.050)
    lib = Stats.of(lat["open library (escape)"])
    report.note(f"Escape from the reader to the library ({n:,} articles, its first show, the "
                f"list read from the store): median {msf(lib.median)} ms, max {msf(lib.max)} ms")
    return report


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, help="articles in the store (default 10,000)")
    ap.add_argument("--rounds", type=int, help="rounds (default 5; quick 3; smoke 1)")
    ap.add_argument("--width", type=int, default=120)
    ap.add_argument("--height", type=int, default=40)
    ap.add_argument("--timeout", type=float, default=120.0)
    add_mode_args(ap)
    args = ap.parse_args(argv)
    report = run(args)
    report.save(args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
