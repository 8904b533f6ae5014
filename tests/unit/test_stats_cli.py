"""`newsreader stats` as a real subprocess."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from test_stats import make_store  # noqa: E402

EXE = str(Path(sys.executable).parent / "newsreader")


def nr(*args):
    return subprocess.run([EXE, *args], capture_output=True, timeout=120, env=dict(os.environ))


def test_stats_json_and_text(tmp_path):
    make_store(tmp_path / "newsreader.db").close()
    p = nr("stats", "--json", "--data-dir", str(tmp_path))
    assert p.returncode == 0, p.stderr
    s = json.loads(p.stdout)
    assert s["totals"] == {"articles": 3, "annotators": 3, "labels": 13, "orphaned": 6}
    (pair,) = s["agreement"]
    assert pair["annotators"] == ["alice", "bob"] and pair["shared"] == 6
    assert pair["kappa"] == round(10 / 22, 4)

    p = nr("stats", "--data-dir", str(tmp_path))
    assert p.returncode == 0
    out = p.stdout.decode()
    assert "3 articles, 3 annotators, 13 labels (6 orphaned)" in out
    assert "alice / bob: kappa 0.455 on 6 shared sentences (agree 67%)" in out
    assert "kappa  0.636  shared 4" in out
    assert "(7 in 2 articles, 2 orphaned)" in out
    assert "was #1 [4:7] fact: \"u1.\"" in out
    # the title holds an escape sequence: never sent to the terminal
    assert "\x1b" not in out and "First\ufffd[31m red" in out


def test_stats_on_empty_store(tmp_path):
    p = nr("stats", "--data-dir", str(tmp_path / "new"))
    assert p.returncode == 0
    out = p.stdout.decode()
    assert "0 articles, 0 annotators, 0 labels (0 orphaned)" in out
    assert "(no sentence labelled by two annotators)" in out
