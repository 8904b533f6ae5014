"""Profiles behind docs/performance.md's "Open findings" (not benchmarks: no ratios, no targets).

    .venv/bin/python benchmarks/profile_app.py phases [--runs 5]   # start-up timeline, reader vs bare app
    .venv/bin/python benchmarks/profile_app.py cold [--runs 4]     # empty cache: the analysis worker's timeline
    .venv/bin/python benchmarks/profile_app.py first-frame         # pyinstrument: process start to first frame
    .venv/bin/python benchmarks/profile_app.py filter [--articles 10000]  # pyinstrument: library filter keys

``phases`` and ``cold`` run the real app in tmux (a real terminal) through a
small in-process harness (this file, ``--child``) that stamps each phase with
``time.perf_counter()`` since the harness started and wraps ``App._display``
to stamp frames; they print the median of each mark over the runs.
``first-frame`` and ``filter`` print a pyinstrument call tree (library frames
folded) of the same code paths. Needs pyinstrument (the ``dev`` extra).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace

T0 = time.perf_counter()

import gen  # noqa: E402
from common import (BENCH, PYTHON, Tmux, app_env, fresh_dir, seed_analyses)  # noqa: E402


# --------------------------------------------------------------------------- in the child (tmux)

def child(kind: str, path: str, data_dir: str, out: str, profile: bool) -> None:
    marks: list[tuple[str, float, float]] = [("harness start", 0.0, round(time.process_time(), 4))]

    def mark(name: str) -> None:
        # wall seconds since the harness started, and this process's CPU seconds so far
        # (CPU time moves much less than wall time when the machine is loaded)
        marks.append((name, round(time.perf_counter() - T0, 4), round(time.process_time(), 4)))

    def dump_and_exit(app, delay: float) -> None:
        def run() -> None:
            time.sleep(delay)
            Path(out).write_text(json.dumps(marks))
            app.call_from_thread(app.exit)
        threading.Thread(target=run, daemon=True).start()

    prof = None
    if profile:
        from pyinstrument import Profiler
        prof = Profiler(interval=0.0005, async_mode="disabled")
        prof.start()
    import textual.app  # noqa: F401
    mark("import textual.app")
    if kind == "bare":
        import bare_app
        app = bare_app.BareApp(Path(path).read_text(encoding="utf-8"))
        mark("bare app built")
    else:
        from newsreader.tui import launch
        mark("import newsreader.tui.launch")
        import newsreader.tui.app  # noqa: F401
        mark("import newsreader.tui.app (screens, widgets)")
        if kind == "cold":
            # the reader analyses in a child process (tui/analysis_host.py): stamp its start
            # and the round trip; without the host, stamp the in-process pipeline instead
            try:
                from newsreader.tui import analysis_host
                host_cls = analysis_host.AnalysisHost
                start, analyze = host_cls._start, host_cls.analyze

                def timed_start(self):
                    mark("worker: starts the analysis process")
                    return start(self)

                def timed_analyze(self, article):
                    mark("worker: sends the article")
                    result = analyze(self, article)
                    mark("worker: analysis received")
                    return result
                host_cls._start, host_cls.analyze = timed_start, timed_analyze
            except ImportError:
                from newsreader.core.analysis import pipeline
                load, analyze = pipeline.load_nlp, pipeline.analyze

                def timed_load(*a, **k):
                    mark("worker: starts (import spaCy)")
                    import spacy  # noqa: F401
                    mark("worker: spaCy imported")
                    nlp = load(*a, **k)
                    mark("worker: load_nlp done")
                    return nlp

                def timed_analyze(*a, **k):
                    result = analyze(*a, **k)
                    mark("worker: analyze done")
                    return result
                pipeline.load_nlp, pipeline.analyze = timed_load, timed_analyze
        app, _store = launch.build_app(SimpleNamespace(paths=[path], data_dir=data_dir,
                                                       annotator="bench", model=None))
        mark("build_app (config, ingest, store, App())")
    display = app._display
    state = {"frames": 0, "done": False}

    def stamped(screen, renderable) -> None:
        display(screen, renderable)
        if renderable is None or state["done"]:
            return
        state["frames"] += 1
        if state["frames"] <= 3:
            mark(f"frame {state['frames']} ({type(screen).__name__})")
        if prof is not None:
            state["done"] = True
            prof.stop()
            prof.last_session.save(out + ".pyisession")
            dump_and_exit(app, 0.0)
            return
        if kind == "cold":
            from newsreader.tui.widgets.document import DocumentView
            views = list(screen.query(DocumentView))
            if views and views[0].ready:
                state["done"] = True
                mark("first frame with highlights")
                dump_and_exit(app, 0.3)
        elif state["frames"] == 3:
            state["done"] = True
            dump_and_exit(app, 0.5)

    app._display = stamped
    mark("App.run")
    app.run()


# --------------------------------------------------------------------------- drivers

def _article(words: int = 1_000):
    from newsreader.core.ingest import load_path
    work = fresh_dir("profile-")
    path = gen.write_article(work / "article.txt", words, seed=1 if words <= 1_000 else 100)
    return path, load_path(str(path))


def _run_children(kinds: list[str], runs: int, warm: bool, profile: bool = False,
                  words: int = 1_000) -> dict:
    path, article = _article(words)
    res: dict[str, list] = {k: [] for k in kinds}
    with Tmux() as tmux:
        for r in range(runs):
            for kind in kinds if r % 2 == 0 else kinds[::-1]:
                d = fresh_dir("profile-dd-")
                if warm:
                    seed_analyses(d, [article])
                out = d / "marks.json"
                argv = [PYTHON, str(Path(__file__).resolve()), "--child", kind, str(path), str(d),
                        str(out)] + (["--profile"] if profile else [])
                s, _ = tmux.start(argv, env=app_env(d), cwd=BENCH)
                deadline = time.time() + 120
                while time.time() < deadline and not out.exists():
                    time.sleep(0.1)
                time.sleep(0.2)
                tmux.kill(s)
                if out.exists():
                    res[kind].append(json.loads(out.read_text()))
                    if profile:
                        res[kind][-1] = str(out) + ".pyisession"
    return res


def print_marks(res: dict) -> None:
    for kind, runs in res.items():
        if not runs:
            print(f"{kind}: no run finished")
            continue
        print(f"{kind}: median of {len(runs)} runs; wall: seconds since the harness started "
              f"(interpreter start-up not included); cpu: the process's CPU seconds")
        print("     wall      cpu")
        for i, (name, *_) in enumerate(runs[0]):
            same = [run[i] for run in runs if i < len(run) and run[i][0] == name]
            wall = statistics.median(m[1] for m in same)
            cpu = statistics.median(m[2] for m in same)
            print(f"  {wall:7.3f}  {cpu:7.3f}  {name}")


def tree(session_path: str, min_seconds: float = 0.02) -> str:
    from pyinstrument.renderers import ConsoleRenderer
    from pyinstrument.session import Session

    text = ConsoleRenderer(unicode=True, color=False, show_all=False, time="seconds",
                           short_mode=False).render(Session.load(session_path))
    import re
    keep = []
    for line in text.splitlines():
        m = re.match(r"^[│├└─ ]*([\d.]+) ", line)
        if m is None or float(m.group(1)) >= min_seconds:
            keep.append(line)
    return "\n".join(keep)


async def filter_profile(n: int, keys: str) -> str:
    from pyinstrument import Profiler

    from bench_library import library_store, prepared_dir
    from newsreader.tui.launch import build_app
    from newsreader.tui.widgets.document import DocumentView

    db = library_store(n)
    path, article = _article(300)
    d = prepared_dir(db, article)
    os.environ.update(app_env(d))
    app, store = build_app(SimpleNamespace(paths=[str(path)], data_dir=str(d), annotator="bench",
                                           model=None))
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            for _ in range(200):
                await asyncio.sleep(0.05)
                views = list(app.screen.query(DocumentView))
                if views and views[0].ready:
                    break
            await pilot.press("escape")
            await asyncio.sleep(0.5)
            prof = Profiler(interval=0.0005, async_mode="disabled")
            prof.start()
            for key in keys:
                await pilot.press("backspace" if key == "<" else key)
                await asyncio.sleep(0.15)
            prof.stop()
            out = str(d / "filter.pyisession")
            prof.last_session.save(out)
            return out
    finally:
        store.close()


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "--child":
        child(argv[1], argv[2], argv[3], argv[4], "--profile" in argv)
        return 0
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("what", choices=("phases", "cold", "first-frame", "filter"))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--words", type=int, default=1_000, help="article length (phases, cold, first-frame)")
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--keys", default="tal<<tal<", help="keys typed into the filter (< = backspace)")
    args = ap.parse_args(argv)
    if args.what == "phases":
        print_marks(_run_children(["app", "bare"], args.runs, warm=True, words=args.words))
    elif args.what == "cold":
        print_marks(_run_children(["cold"], args.runs, warm=False, words=args.words))
    elif args.what == "first-frame":
        res = _run_children(["app"], 1, warm=True, profile=True, words=args.words)
        for session in res["app"]:
            print(tree(session))
    else:
        print(tree(asyncio.run(filter_profile(args.articles, args.keys)), 0.01))
    return 0


if __name__ == "__main__":
    sys.exit(main())
