"""Peak memory with a 100,000-word document open: newsreader vs a bare Textual app.

    .venv/bin/python benchmarks/bench_memory.py [--words 100000] [--rounds 3] [--quick|--smoke]

Both run in tmux (120x40) on the same generated file: the reader
(``newsreader DOC --data-dir D``, the document's analysis already in D's
cache, so this is the reader with highlights, not spaCy) and
benchmarks/bare_app.py. Once the document's first words are on screen (and,
for the reader, its highlights: the sentence cursor in the gutter) and a
second has passed, the process's peak resident set size (VmHWM in
/proc/PID/status) and current RSS are read; then ``G`` (the reader's jump to
the last sentence) is sent and the peak is read again after another second.
The time to first text of each is reported too (same polling as
bench_startup.py). In full mode (or with --cold) the reader also opens the
document once with an empty cache, and the time to highlights and the peak
RSS of the reader and of the processes it starts (the analysis runs in a
child process) are reported; each process's own peak is read (VmHWM), and the
children's are summed. There is no target in the issue beyond reporting it; the
table gives the ratio to the bare app.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import time

import gen
from common import (BENCH, NEWSREADER, PYTHON, Report, Stats, Tmux, add_mode_args, app_env,
                    command_line, descendants, ensure_analyses, eprint, fresh_dir, interleave,
                    mode_of, ms,
                    ratio_stats, rss_of, seed_analyses, shows, table, x)

MB = 2 ** 20


def run(args) -> Report:
    mode = mode_of(args)
    rounds = args.rounds or {"smoke": 1, "quick": 2, "full": 3}[mode]
    words = args.words or (3_000 if args.smoke else 100_000)
    report = Report("memory", f"Peak memory with a {words:,}-word document open",
                    command=command_line(), mode=mode)

    from newsreader.core.ingest import load_path

    work = fresh_dir("memory-")
    path = gen.write_article(work / "doc.txt", words, seed=100)
    article = load_path(str(path))
    ensure_analyses([article])
    needle = gen.first_words(article.text, 5)
    n_words = len(article.text.split())

    def highlighted(screen: str) -> bool:
        return any(needle in " ".join(line.split()) and "▌" in line for line in screen.splitlines())

    res: dict[str, dict[str, list[float]]] = {
        k: {"text": [], "hwm": [], "rss": [], "hwm_end": []} for k in ("bare", "newsreader")}

    with Tmux(args.width, args.height) as tmux:
        def measure(kind: str) -> float | None:
            d = None
            if kind == "bare":
                argv = [PYTHON, str(BENCH / "bare_app.py"), str(path)]
                env = None
                ready = shows(needle)
            else:
                d = fresh_dir("memory-dd-")
                seed_analyses(d, [article])
                argv = [NEWSREADER, str(path), "--data-dir", str(d)]
                env = app_env(d)
                ready = highlighted
            s, t0 = tmux.start(argv, env=env, cwd=BENCH)
            pid = tmux.pane_pid(s)
            seen, screen, _ = tmux.wait_for(s, shows(needle), timeout=args.timeout)
            ok = seen is not None and tmux.wait_for(s, ready, timeout=args.timeout)[0] is not None
            try:
                if not ok or pid is None:
                    eprint(f"{kind}: the document never showed; last screen:\n"
                           + tmux.capture(s))
                    return None
                time.sleep(1.0)
                mem = rss_of(pid)
                tmux.send_keys(s, "G" if kind == "newsreader" else "End")
                time.sleep(1.0)
                end = rss_of(pid)
            finally:
                tmux.kill(s)
                if d is not None:
                    shutil.rmtree(d, ignore_errors=True)
            r = res[kind]
            r["text"].append(seen - t0)
            r["hwm"].append(mem["VmHWM"])
            r["rss"].append(mem["VmRSS"])
            r["hwm_end"].append(end["VmHWM"])
            return mem["VmHWM"] / MB

        measure("bare")
        measure("newsreader")
        for k in res:
            for v in res[k].values():
                v.clear()
        interleave(rounds, {"bare": lambda _r: measure("bare"),
                            "newsreader": lambda _r: measure("newsreader")}, log=eprint)
        cold = None
        if args.cold if args.cold is not None else mode == "full":
            cold = cold_open(tmux, path, needle, highlighted, args.cold_timeout)
    shutil.rmtree(work, ignore_errors=True)

    rows = []
    for kind, r in res.items():
        label = "bare Textual app" if kind == "bare" else "newsreader (analysis cached)"
        rows.append((label, len(r["hwm"]), f"{Stats.of(r['hwm']).median / MB:.0f}",
                     f"{Stats.of(r['rss']).median / MB:.0f}",
                     f"{Stats.of(r['hwm_end']).median / MB:.0f}", ms(Stats.of(r["text"]).median)))
    hwm = ratio_stats(res["newsreader"]["hwm"], res["bare"]["hwm"])
    end = ratio_stats(res["newsreader"]["hwm_end"], res["bare"]["hwm_end"])
    text = ratio_stats(res["newsreader"]["text"], res["bare"]["text"])
    rows.append(("ratio newsreader / bare", hwm.n, x(hwm.median), "", x(end.median), x(text.median)))
    report.add_table(table(["", "runs", "peak RSS MB", "RSS MB", "peak after G/End MB",
                            "first text ms"], rows,
                           title=f"{n_words:,}-word document open, {args.width}x{args.height} tmux, "
                                 f"{rounds} rounds (medians)"))
    if hwm.n:
        report.target(f"peak RSS with the {n_words:,}-word document open", "report (no target)",
                      f"{Stats.of(res['newsreader']['hwm']).median / MB:.0f} MB, {x(hwm.median)} "
                      f"the bare app ({Stats.of(res['bare']['hwm']).median / MB:.0f} MB)", None)
        report.target(f"time to first text, {n_words:,}-word document", "<= 1.5x bare Textual",
                      f"{x(text.median)} median ({x(text.min)}–{x(text.max)})", text.median <= 1.5)
    if cold is not None:
        hl, app_peak, child_peak = cold
        report.add_table(table(
            ["newsreader, empty cache (one run)", "highlights s", "reader peak MB",
             "child processes peak MB"],
            [(f"open the {n_words:,}-word document", "never" if hl is None else f"{hl:.1f}",
              f"{app_peak / MB:.0f}", f"{child_peak / MB:.0f}")]))
        report.target(f"peak RSS opening the {n_words:,}-word document with an empty cache",
                      "report (no target)",
                      f"reader {app_peak / MB:.0f} MB + analysis process(es) {child_peak / MB:.0f} MB, "
                      f"highlights after "
                      f"{'(not within the timeout)' if hl is None else f'{hl:.0f} s'}", None)
    return report


def cold_open(tmux: Tmux, path, needle: str, highlighted, timeout: float):
    """One open with an empty cache: (seconds to highlights or None, peak RSS bytes)."""
    d = fresh_dir("memory-cold-")
    s, t0 = tmux.start([NEWSREADER, str(path), "--data-dir", str(d)], env=app_env(d), cwd=BENCH)
    pid = tmux.pane_pid(s)
    eprint(f"memory: opening the document with an empty cache (up to {timeout:.0f}s)…")
    seen = None
    peaks: dict[int, int] = {}   # pid -> VmHWM: the reader and any process it started

    def sample() -> None:
        for p in [pid, *descendants(pid)]:
            try:
                peaks[p] = max(peaks.get(p, 0), rss_of(p)["VmHWM"])
            except (OSError, KeyError):
                pass
    try:
        deadline = time.perf_counter() + timeout
        while pid is not None and time.perf_counter() < deadline:
            sample()
            if highlighted(tmux.capture(s)):
                seen = time.perf_counter()
                break
            time.sleep(0.5)
        if pid is not None and seen is not None:
            time.sleep(1.0)
            sample()
    finally:
        tmux.kill(s)
        shutil.rmtree(d, ignore_errors=True)
    app_peak = peaks.get(pid, 0) if pid is not None else 0
    child_peak = sum(v for p, v in peaks.items() if p != pid)
    return (None if seen is None else seen - t0), app_peak, child_peak


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--words", type=int, help="document length (default 100,000; smoke 3,000)")
    ap.add_argument("--rounds", type=int, help="rounds (default 3; quick 2; smoke 1)")
    ap.add_argument("--width", type=int, default=120)
    ap.add_argument("--height", type=int, default=40)
    ap.add_argument("--timeout", type=float, default=180.0)
    ap.add_argument("--cold", action=argparse.BooleanOptionalAction, default=None,
                    help="also open the document once with an empty cache (default: full mode only)")
    ap.add_argument("--cold-timeout", type=float, default=1200.0)
    add_mode_args(ap)
    args = ap.parse_args(argv)
    report = run(args)
    report.save(args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
