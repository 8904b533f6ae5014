"""Every benchmark runs on a tiny input and prints its table (no timing is asserted).

Benchmarks are never part of the suite's pass/fail on speed: these tests only
prove that each script still runs against the current code (real app, real
store, real model, real tmux where the benchmark uses it) and reports its
targets. Each runs with its own work dir (NR_BENCH_DIR) under tmp_path.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "benchmarks"

pytestmark = pytest.mark.slow

needs_tmux = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def run_bench(args: list[str], tmp_path: Path, timeout: int = 240) -> subprocess.CompletedProcess:
    env = dict(os.environ, NR_BENCH_DIR=str(tmp_path / "work"))
    proc = subprocess.run([sys.executable, *args], cwd=BENCH, env=env, capture_output=True,
                          text=True, timeout=timeout)
    assert proc.returncode == 0, f"exit {proc.returncode}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
    return proc


@pytest.mark.parametrize("name, header", [
    pytest.param("startup", "first text, empty cache / bare", marks=needs_tmux),
    pytest.param("keys", "big/small median", marks=()),
    pytest.param("library", "type a character", marks=needs_tmux),
    pytest.param("memory", "peak RSS MB", marks=needs_tmux),
])
def test_own_benchmark_runs_on_a_tiny_input(name, header, tmp_path):
    out = tmp_path / f"{name}.json"
    proc = run_bench([f"bench_{name}.py", "--smoke", "--json", str(out)], tmp_path)
    assert header in proc.stdout
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["name"] == name and report["mode"] == "smoke"
    assert report["tables"] and all(t.strip() for t in report["tables"])
    assert report["targets"], "every benchmark states at least one target"
    for target in report["targets"]:
        assert target["what"] and target["target"] and target["value"]
        assert target["met"] in (True, False, None)
        assert "n/a" not in target["value"], f"a measurement is missing: {target}"
    # the work dir was private to this run and is cleaned up except for shared caches
    assert not any(p.name.startswith(("startup-", "keys-", "memory-", "lib-", "cold-"))
                   for p in (tmp_path / "work").iterdir())


def test_analyze_and_export_benchmarks_run_on_a_tiny_input(tmp_path):
    proc = run_bench(["bench_analyze.py", "--articles", "3", "--repeats", "1"], tmp_path)
    assert "throughput ours/bare" in proc.stdout
    proc = run_bench(["bench_export.py", "--sizes", "100", "300", "--rounds", "1", "--formats",
                      "csv", "--dir", str(tmp_path / "export")], tmp_path)
    assert "peak RSS ratio large/small" in proc.stdout


def test_generated_inputs_are_deterministic_and_news_like():
    sys.path.insert(0, str(BENCH))
    try:
        import gen
    finally:
        sys.path.remove(str(BENCH))
    a, b = gen.article_text(1_000, seed=3), gen.article_text(1_000, seed=3)
    assert a == b and a != gen.article_text(1_000, seed=4)
    words = len(a.split())
    assert 1_000 <= words < 1_100
    assert "\n\n" in a and "\n\n\n" not in a
    assert "“" in a and "”" in a and " said" in a and "According to" in a
    from newsreader.core.ingest import load_text

    article = load_text(gen.article_file_text(300, seed=5))
    assert article.text == gen.article_text(300, seed=5)
    assert article.title and article.source and article.date
    assert len({x.id for x in gen.library_articles(50)}) == 50
