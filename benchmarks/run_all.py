"""Run every benchmark, print each table, and rewrite docs/performance.md.

    .venv/bin/python benchmarks/run_all.py            # everything, full sizes (long: tens of minutes)
    .venv/bin/python benchmarks/run_all.py --quick    # smaller sizes, fewer rounds (said in the tables)
    .venv/bin/python benchmarks/run_all.py --smoke    # tiny inputs; never writes the docs
    .venv/bin/python benchmarks/run_all.py --only keys library   # some; docs not rewritten

Each benchmark runs as its own process (so one cannot warm or pollute
another): the ones in this directory write their results as JSON
(``--json``); bench_analyze.py and bench_export.py print tables that are read
back here. docs/performance.md is rewritten from these results, keeping its
hand-written "Findings" section (between the findings markers) as it is.
Benchmarks never fail the build: the exit status is non-zero only when a
benchmark itself crashed.
"""
from __future__ import annotations

import argparse
import datetime as _dt
import os
import re
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import BENCH, PYTHON, ROOT, WORK, Report, Target, eprint, machine, table

DOC = ROOT / "docs" / "performance.md"
ORDER = ("startup", "keys", "library", "memory", "analyze", "export")
FINDINGS_START = "<!-- findings: kept by run_all.py; edit by hand -->"
FINDINGS_END = "<!-- /findings -->"
RESULTS = WORK / "results"      # the last full/quick result of each benchmark (for --docs-only)


def stream(argv: list[str]) -> tuple[int, str]:
    """Run ``argv``, echoing its stdout as it comes; return (exit code, stdout)."""
    eprint("$ " + " ".join(shlex.quote(a) for a in argv))
    proc = subprocess.Popen(argv, cwd=BENCH, stdout=subprocess.PIPE, text=True, bufsize=1)
    out = []
    assert proc.stdout is not None
    for line in proc.stdout:
        sys.stdout.write(line)
        sys.stdout.flush()
        out.append(line)
    return proc.wait(), "".join(out)


def rel(argv: list[str]) -> str:
    shown = [".venv/bin/python" if a == PYTHON else
             os.path.relpath(a, ROOT) if a.startswith(str(ROOT)) else a for a in argv]
    return " ".join(shlex.quote(a) for a in shown)


def own(name: str, mode: str, tmp: Path) -> tuple[Report | None, int]:
    out = tmp / f"{name}.json"
    argv = [PYTHON, str(BENCH / f"bench_{name}.py"), *([f"--{mode}"] if mode != "full" else []),
            "--json", str(out)]
    code, _ = stream(argv)
    if code != 0 or not out.exists():
        return None, code or 1
    report = Report.load(out)
    report.command = rel(argv[:-2])   # without --json PATH
    return report, 0


# --------------------------------------------------------------------------- analysis throughput

_ROW = re.compile(r"^(bare|ours)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*$", re.M)
_RATIO = re.compile(r"throughput ours/bare: ([\d.]+)% \(medians\), ([\d.]+)% \(best runs\)")
_CPU_RATIO = re.compile(r"throughput ours/bare by CPU time: ([\d.]+)% \(medians\)")


def analyze(mode: str) -> tuple[Report | None, int]:
    if mode == "smoke":
        plan = [(4, 1, 1), (8, 1, 1)]
    elif mode == "quick":
        plan = [(50, 1, 3), (200, 1, 3), (200, 2, 3)]
    else:
        plan = [(200, 1, 3), (2000, 1, 2), (200, 2, 3)]
    report = Report("analyze", "Analysis throughput: analyze_many vs bare nlp.pipe", mode=mode)
    commands, rows, runs = [], [], {}
    worst = 0
    for n, workers, repeats in plan:
        argv = [PYTHON, str(BENCH / "bench_analyze.py"), "--articles", str(n), "--workers",
                str(workers), "--repeats", str(repeats)]
        commands.append(rel(argv))
        code, out = stream(argv)
        found = {m.group(1): [float(m.group(i)) for i in range(2, 6)] for m in _ROW.finditer(out)}
        ratio = _RATIO.search(out)
        if code != 0 or "bare" not in found or "ours" not in found or ratio is None:
            eprint(f"bench_analyze.py --articles {n} --workers {workers}: no result (exit {code})")
            worst = worst or code or 1
            continue
        cpu = _CPU_RATIO.search(out)
        cpu_ratio = float(cpu.group(1)) / 100 if cpu else None
        runs[(n, workers)] = (found["bare"], found["ours"], float(ratio.group(1)) / 100, cpu_ratio)
        rows.append((f"{n:,} articles, {workers} worker{'s' if workers > 1 else ''}", repeats,
                     f"{found['bare'][1]:.2f}", f"{found['ours'][1]:.2f}",
                     f"{found['ours'][3]:.1f}", f"{ratio.group(1)}%", f"{ratio.group(2)}%",
                     f"{cpu.group(1)}%" if cpu else "-"))
    report.command = " ; ".join(commands)
    if mode != "full":
        report.note(f"{mode} mode: smaller corpora than the issue's 200 and 2,000 articles")
    report.add_table(table(["corpus", "repeats", "bare median s", "ours median s",
                            "ours articles/s", "ours/bare (medians)", "ours/bare (best)",
                            "ours/bare CPU time (medians)"], rows,
                           title="newsreader analyze_many vs bare nlp.pipe, same model, same texts "
                                 "(bench_analyze.py)"))
    for (n, workers), (_, _, r, c) in sorted(runs.items()):
        # judged on wall-time medians (the measure); CPU time, steadier on a loaded
        # machine, is shown beside it
        report.target(f"analysis throughput, {n:,} articles, {workers} worker(s)",
                      ">= 85% of bare nlp.pipe",
                      f"{r:.0%}" + (f" (by CPU time {c:.0%})" if c is not None else ""), r >= 0.85)
    sizes = sorted({n for n, w in runs if w == 1})
    if len(sizes) >= 2:
        # linear: the time per article stays the same from the small to the large corpus; the
        # machine's load moves both sides, so ours is judged against bare nlp.pipe's growth
        a, b = sizes[0], sizes[-1]
        per = {side: (runs[(a, 1)][side][1] / a, runs[(b, 1)][side][1] / b) for side in (0, 1)}
        growth = per[1][1] / per[1][0]
        bare_growth = per[0][1] / per[0][0]
        relative = growth / bare_growth
        report.target(f"linear growth {a:,} -> {b:,} articles",
                      "time per article grows <= 1.25x bare nlp.pipe's growth",
                      f"ours {per[1][0] * 1000:.0f} -> {per[1][1] * 1000:.0f} ms per article "
                      f"({growth:.2f}x); bare {per[0][0] * 1000:.0f} -> {per[0][1] * 1000:.0f} ms "
                      f"({bare_growth:.2f}x); relative {relative:.2f}x", relative <= 1.25)
    for n in sorted({n for n, w in runs if w == 2}):
        if (n, 1) in runs:
            speedup = runs[(n, 1)][1][1] / runs[(n, 2)][1][1]
            bare_speedup = runs[(n, 1)][0][1] / runs[(n, 2)][0][1]
            report.target(f"--workers 2 on {os.cpu_count()} cores, {n:,} articles",
                          "report (scales if > 1x)",
                          f"ours {speedup:.2f}x faster than 1 worker (bare nlp.pipe: "
                          f"{bare_speedup:.2f}x)", None)
    return report, worst


# --------------------------------------------------------------------------- export

_EXPORT_RATIO = re.compile(r"peak RSS ratio large/small: ([\d.]+)x")


def export(mode: str, tmp: Path) -> tuple[Report | None, int]:
    if mode == "smoke":
        extra = ["--sizes", "200", "2000", "--rounds", "1", "--formats", "csv",
                 "--dir", str(tmp / "export")]
    elif mode == "quick":
        extra = ["--sizes", "10000", "100000", "--rounds", "2"]
    else:
        extra = []
    argv = [PYTHON, str(BENCH / "bench_export.py"), *extra]
    code, out = stream(argv)
    m = _EXPORT_RATIO.search(out)
    if m is None:
        return None, code or 1
    report = Report("export", "Export: time and peak memory (bench_export.py)", command=rel(argv),
                    mode=mode)
    if mode != "full":
        report.note(f"{mode} mode: smaller stores than the issue's 10,000 vs 1,000,000 labels")
    body = out.strip().splitlines()
    report.tables.append("\n".join(line for line in body if not line.startswith("peak RSS ratio")))
    sizes = re.findall(r"^\w+\s+([\d,]+)\s", out, re.M)
    big = sizes[1] if len(sizes) > 1 else "large"
    small = sizes[0] if sizes else "small"
    r = float(m.group(1))
    report.target(f"export {big} labels: flat memory", f"peak RSS <= 1.2x exporting {small}",
                  f"{r:.2f}x", r <= 1.2)
    return report, 0   # bench_export exits 1 when over target: that is a result, not a crash


# --------------------------------------------------------------------------- docs

def verdict(t: Target) -> str:
    return "met" if t.met else "report" if t.met is None else "**missed**"


def findings() -> str:
    if DOC.exists():
        text = DOC.read_text(encoding="utf-8")
        a, b = text.find(FINDINGS_START), text.find(FINDINGS_END)
        if a >= 0 and b > a:
            return text[a + len(FINDINGS_START):b].strip("\n")
    return "None recorded yet."


def write_docs(reports: list[Report], mode: str, command: str, started: _dt.datetime,
               minutes: float, info: dict[str, str]) -> None:
    lines = [
        "# Performance",
        "",
        "Measured by the benchmark suite in `benchmarks/`; this file is rewritten by",
        "`benchmarks/run_all.py` (`make bench`) except the *Findings* section. Every number is",
        "a ratio against a reference measured in the same run, interleaved with it, with",
        "min/median/max over several runs: the machine is shared and noisy, so absolute times",
        "move from run to run while the ratios hold better.",
        "",
        f"- Date: {started:%Y-%m-%d %H:%M} (local)" + (f", {minutes:.0f} minutes" if minutes else ""),
        f"- Command: `{command}`" + (f" ({mode} mode: smaller inputs, fewer rounds)"
                                     if mode != "full" else ""),
        "- Machine: " + ", ".join(f"{k} {v}" for k, v in info.items()),
        "",
        "## Targets",
        "",
        "| benchmark | what | target | measured | verdict |",
        "| --- | --- | --- | --- | --- |",
    ]
    for r in reports:
        for t in r.targets:
            lines.append(f"| {r.name} | {t.what} | {t.target} | {t.value} | {verdict(t)} |")
    lines += ["", "## Findings: misses, causes, fixes (before/after)", "", FINDINGS_START, findings(), FINDINGS_END, ""]
    for r in reports:
        lines += [f"## {r.title}", ""]
        if r.command:
            lines += [f"`{r.command}`" + (f" ({r.date})" if r.date else ""), ""]
        for t in r.tables:
            lines += ["```text", t.rstrip(), "```", ""]
        for n in r.notes:
            lines += [f"- {n}"]
        if r.notes:
            lines.append("")
    lines += [
        "## Reproduce",
        "",
        "```sh",
        "make bench                                  # = .venv/bin/python benchmarks/run_all.py",
        ".venv/bin/python benchmarks/run_all.py --quick",
        ".venv/bin/python benchmarks/bench_startup.py --rounds 7",
        ".venv/bin/python benchmarks/bench_keys.py --presses 40",
        ".venv/bin/python benchmarks/bench_library.py --articles 10000",
        ".venv/bin/python benchmarks/bench_memory.py --words 100000",
        ".venv/bin/python benchmarks/bench_analyze.py --articles 2000 --workers 2",
        ".venv/bin/python benchmarks/bench_export.py",
        ".venv/bin/python benchmarks/run_all.py --only keys && .venv/bin/python benchmarks/run_all.py --docs-only",
        ".venv/bin/python benchmarks/profile_app.py phases|cold|first-frame|filter   # the findings' profiles",
        "```",
        "",
        "Inputs are generated from fixed seeds by `benchmarks/gen.py`; the 100,000-word",
        "document's analysis and the 10,000-article store are made once and kept under",
        "`$NR_BENCH_DIR` (default: `/tmp/nr-bench`). The terminal benchmarks need tmux.",
        "",
    ]
    DOC.write_text("\n".join(lines), encoding="utf-8")


def docs_only() -> int:
    reports, modes = [], set()
    for name in ORDER:
        path = RESULTS / f"{name}.json"
        if not path.exists():
            print(f"no saved result for {name} in {RESULTS}: run it first "
                  f"(benchmarks/run_all.py --only {name})")
            return 1
        reports.append(Report.load(path))
        modes.add((RESULTS / f"{name}.mode").read_text().strip())
    mode = "full" if modes == {"full"} else "quick" if modes == {"quick"} else "mixed"
    dates = sorted(r.date for r in reports if r.date)
    started = _dt.datetime.strptime(dates[0], "%Y-%m-%d %H:%M") if dates else _dt.datetime.now()
    write_docs(reports, mode, "benchmarks/run_all.py (sections measured separately: see each "
               "section's date) then benchmarks/run_all.py --docs-only", started, 0.0, machine())
    print(f"wrote {os.path.relpath(DOC, ROOT)} from {RESULTS}")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    mode_group = ap.add_mutually_exclusive_group()
    mode_group.add_argument("--quick", action="store_true", help="smaller inputs, fewer rounds")
    mode_group.add_argument("--smoke", action="store_true", help="tiny inputs; docs untouched")
    ap.add_argument("--only", nargs="+", choices=ORDER, help="run only these (docs untouched)")
    ap.add_argument("--skip", nargs="+", choices=ORDER, default=[], help="skip these (docs untouched)")
    ap.add_argument("--no-docs", action="store_true", help="do not rewrite docs/performance.md")
    ap.add_argument("--docs-only", action="store_true",
                    help="run nothing: rewrite docs/performance.md from the last saved result of "
                         f"each benchmark ({RESULTS}), e.g. after re-running some with --only")
    args = ap.parse_args(argv)
    if args.docs_only:
        return docs_only()
    mode = "smoke" if args.smoke else "quick" if args.quick else "full"
    names = [n for n in (args.only or ORDER) if n not in args.skip]
    write = not (args.smoke or args.only or args.skip or args.no_docs)
    command = "make bench" if mode == "full" and write else \
        ".venv/bin/python benchmarks/run_all.py" + "".join(
            f" {a}" for a in (sys.argv[1:] if argv is None else argv))
    info = machine()
    started = _dt.datetime.now()
    t0 = time.time()   # wall clock: the VM's monotonic clock can stand still while it is paused
    reports: list[Report] = []
    failed: list[str] = []
    with tempfile.TemporaryDirectory(prefix="nr-run-all-") as tmp_name:
        tmp = Path(tmp_name)
        for name in names:
            print(f"\n=== {name} ({mode}) ===\n", flush=True)
            if name == "analyze":
                report, code = analyze(mode)
            elif name == "export":
                report, code = export(mode, tmp)
            else:
                report, code = own(name, mode, tmp)
            if report is None or code:
                failed.append(name)
            if report is not None:
                report.date = f"{_dt.datetime.now():%Y-%m-%d %H:%M}"
                reports.append(report)
                if mode != "smoke":
                    RESULTS.mkdir(parents=True, exist_ok=True)
                    report.save(RESULTS / f"{name}.json")
                    (RESULTS / f"{name}.mode").write_text(mode)
    minutes = (time.time() - t0) / 60

    print("\n=== summary ===\n")
    rows = [(r.name, t.what, t.target, t.value, verdict(t).strip("*")) for r in reports
            for t in r.targets]
    print(table(["bench", "what", "target", "measured", "verdict"], rows))
    if failed:
        print(f"\nbenchmarks that did not finish: {', '.join(failed)}")
    if write and not failed:
        write_docs(reports, mode, command, started, minutes, info)
        print(f"\nwrote {os.path.relpath(DOC, ROOT)}")
    elif write:
        print(f"\n{os.path.relpath(DOC, ROOT)} not rewritten: a benchmark did not finish")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
