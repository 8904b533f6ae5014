"""Time to first text and time to highlights, in a real terminal (tmux), side by side.

    .venv/bin/python benchmarks/bench_startup.py [--rounds 7] [--words 1000] [--quick|--smoke]

Four subjects run in turn each round (the first one rotates), each in a fresh
tmux session of 120x40 whose screen is polled with ``capture-pane`` every
~10 ms from the moment the session is launched:

* bare:  benchmarks/bare_app.py ARTICLE (a bare Textual app on the line API);
         done when the first sentence's opening words are on screen
* cold:  newsreader ARTICLE --data-dir NEW (empty store, empty analysis cache);
         first text as above, then highlights: the line with those words
         carries the sentence cursor "▌" in its gutter, which the reader
         draws in the same frame as the highlights, once the analysis is in
         (the status line's "sentence 1/N" is not used: tmux can capture a
         frame half drawn, and the status line is drawn last)
* warm:  newsreader ARTICLE --data-dir SAME (the second open: the analysis is
         cached); first text, and whether that very frame already had highlights
* spacy: python -c "import spacy; nlp = spacy.load(MODEL); nlp(text)" with the
         article's text, in the same kind of session; done when it prints a
         marker after nlp(text)

Targets: cold first text <= 1.5x bare (also reported for warm); cold
highlights <= 1.2x spacy; warm highlighted at first paint. Ratios are taken
per round (subject / reference of the same round), then min/median/max.
"""
from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import gen
from common import (BENCH, NEWSREADER, PYTHON, Report, Stats, Tmux, add_mode_args, app_env,
                    command_line, eprint, fresh_dir, interleave, mode_of, ms, ratio_stats,
                    shows, table, x)

CURSOR = "▌"
NLP_DONE = "NLP-DONE-7f3a"


def run(args) -> Report:
    mode = mode_of(args)
    rounds = args.rounds or {"smoke": 1, "quick": 4, "full": 7}[mode]
    words = args.words or (150 if args.smoke else 1000)
    report = Report("startup", "Time to first text and time to highlights (tmux)",
                    command=command_line(), mode=mode)

    from newsreader.core.analysis.pipeline import resolve_model
    from newsreader.core.ingest import load_path

    model = resolve_model(None)
    work = fresh_dir("startup-")
    article_path = gen.write_article(work / "article.txt", words, seed=1)
    article = load_path(str(article_path))
    body_path = work / "body.txt"
    body_path.write_text(article.text, encoding="utf-8")
    needle = gen.first_words(article.text, 5)

    def highlighted(screen: str) -> bool:
        return any(needle in " ".join(line.split()) and CURSOR in line
                   for line in screen.splitlines())
    spacy_code = (f"import spacy, sys, time; nlp = spacy.load({model!r}); "
                  f"nlp(open(sys.argv[1], encoding='utf-8').read()); "
                  f"print({NLP_DONE!r}, flush=True); time.sleep(600)")
    warm_dir = work / "warm"

    results: dict[str, list[float]] = {k: [] for k in (
        "bare text", "cold text", "cold highlights", "warm text", "warm highlights", "spacy")}
    warm_first_frame: list[bool] = []

    with Tmux(args.width, args.height) as tmux:
        def launch(argv, data_dir: Path | None = None):
            env = app_env(data_dir) if data_dir else None
            return tmux.start(argv, env=env, cwd=BENCH)

        def bare(_r: int) -> float | None:
            s, t0 = launch([PYTHON, str(BENCH / "bare_app.py"), str(article_path)])
            seen, screen, _ = tmux.wait_for(s, shows(needle), timeout=args.timeout)
            tmux.kill(s)
            if seen is None:
                eprint("bare app: text never appeared; last screen:\n" + screen)
                return None
            results["bare text"].append(seen - t0)
            return seen - t0

        def newsreader(data_dir: Path, kind: str) -> float | None:
            s, t0 = launch([NEWSREADER, str(article_path), "--data-dir", str(data_dir)], data_dir)
            seen, screen, _ = tmux.wait_for(s, shows(needle), timeout=args.timeout)
            if seen is None:
                tmux.kill(s)
                eprint(f"newsreader ({kind}): text never appeared; last screen:\n{screen}")
                return None
            first_has = highlighted(screen)
            hl, screen2, _ = (seen, screen, 0) if first_has else tmux.wait_for(
                s, highlighted, timeout=args.timeout)
            tmux.kill(s)
            results[f"{kind} text"].append(seen - t0)
            if hl is None:
                eprint(f"newsreader ({kind}): highlights never appeared; last screen:\n{screen2}")
            else:
                results[f"{kind} highlights"].append(hl - t0)
            if kind == "warm":
                warm_first_frame.append(first_has)
            return seen - t0

        def cold(_r: int) -> float | None:
            d = fresh_dir("cold-")
            try:
                return newsreader(d, "cold")
            finally:
                shutil.rmtree(d, ignore_errors=True)

        def warm(_r: int) -> float | None:
            return newsreader(warm_dir, "warm")

        def spacy_ref(_r: int) -> float | None:
            s, t0 = launch([PYTHON, "-c", spacy_code, str(body_path)])
            seen, screen, _ = tmux.wait_for(s, lambda sc: NLP_DONE in sc, timeout=args.timeout)
            tmux.kill(s)
            if seen is None:
                eprint("spaCy reference never finished; last screen:\n" + screen)
                return None
            results["spacy"].append(seen - t0)
            return seen - t0

        # warm-up (byte-code, page cache) and the warm run's second-open state
        eprint(f"startup: warm-up; article of {len(article.text.split())} words, model {model}")
        bare(0)
        spacy_ref(0)
        newsreader(warm_dir, "cold")
        for k in results:
            results[k].clear()
        interleave(rounds, {"bare": bare, "cold": cold, "warm": warm, "spacy": spacy_ref},
                   log=eprint)
    shutil.rmtree(work, ignore_errors=True)

    rows = []
    labels = {
        "bare text": "bare Textual app: first text",
        "cold text": "newsreader, empty cache: first text",
        "warm text": "newsreader, second open: first text",
        "spacy": "spaCy import + load + nlp(text)",
        "cold highlights": "newsreader, empty cache: highlights",
        "warm highlights": "newsreader, second open: highlights",
    }
    for key, label in labels.items():
        st = Stats.of(results[key])
        rows.append((label, st.n, ms(st.min), ms(st.median), ms(st.max)))
    report.add_table(table(["", "runs", "min ms", "median ms", "max ms"], rows,
                           title=f"Start-up, {len(article.text.split())}-word article, "
                                 f"{args.width}x{args.height} tmux, {rounds} rounds, model {model}"))

    cold_ratio = ratio_stats(results["cold text"], results["bare text"])
    warm_ratio = ratio_stats(results["warm text"], results["bare text"])
    hl_ratio = ratio_stats(results["cold highlights"], results["spacy"])
    report.add_table(table(["ratio (per round)", "min", "median", "max"], [
        ("first text, empty cache / bare", x(cold_ratio.min), x(cold_ratio.median), x(cold_ratio.max)),
        ("first text, second open / bare", x(warm_ratio.min), x(warm_ratio.median), x(warm_ratio.max)),
        ("highlights, empty cache / spaCy", x(hl_ratio.min), x(hl_ratio.median), x(hl_ratio.max)),
    ]))
    first = f"{sum(warm_first_frame)}/{len(warm_first_frame)}"
    print(f"second open: highlights already in the first frame with text in {first} runs\n")

    def verdict(st: Stats, limit: float) -> bool | None:
        return None if st.n == 0 else st.median <= limit

    def describe(st: Stats) -> str:
        return f"{x(st.median)} median ({x(st.min)}–{x(st.max)}, {st.n} rounds)"

    report.target("time to first text, empty cache", "<= 1.5x bare Textual",
                  describe(cold_ratio), verdict(cold_ratio, 1.5))
    report.target("time to first text, second open", "<= 1.5x bare Textual",
                  describe(warm_ratio), verdict(warm_ratio, 1.5))
    report.target("time to highlights, empty cache", "<= 1.2x spaCy import+load+nlp",
                  describe(hl_ratio), verdict(hl_ratio, 1.2))
    report.target("highlights at first paint, second open", "every run",
                  f"{first} runs had highlights in the first frame with text",
                  None if not warm_first_frame else all(warm_first_frame))
    return report


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, help="paired rounds (default 7; quick 4; smoke 1)")
    ap.add_argument("--words", type=int, help="article length (default 1000; smoke 150)")
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
