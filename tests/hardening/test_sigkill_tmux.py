"""SIGKILL at random moments while tagging in the real app loses no tag the UI showed.

The real ``newsreader`` runs in a tmux terminal. Each seeded iteration types a
burst of tag and movement keys without pauses, reads the "N/M tagged" count
off the screen at a random moment and kills the process with SIGKILL right
after. Then, from a fresh process:

* ``newsreader export`` holds at least the N labels the screen showed;
* the labels are exactly what some prefix of the typed keys produces (no tag
  lost in the middle, none invented, none out of order);
* the event log replays to the same labels, and the file passes
  ``PRAGMA integrity_check``.

NEWSREADER_SIGKILL_ITERATIONS sets the number of iterations (default 5).
"""
from __future__ import annotations

import csv
import io
import os
import random
import re
import shlex
import shutil
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from hardening_helpers import NEWSREADER, base_env, run_nr

from newsreader.core import paths as paths_mod
from newsreader.core.store import Store

pytestmark = [pytest.mark.e2e, pytest.mark.slow,
              pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")]

ITERATIONS = int(os.environ.get("NEWSREADER_SIGKILL_ITERATIONS", "5"))
ANNOTATOR = "killtest"


class Tmux:
    def __init__(self, name: str, width: int = 100, height: int = 30):
        self.socket = f"nr-hard-{os.getpid()}-{name}"
        self.name = name
        self.size = (width, height)

    def run(self, *args: str, check: bool = True) -> str:
        out = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True,
                             timeout=30)
        if check and out.returncode != 0:
            raise RuntimeError(f"tmux {' '.join(args)}: {out.stderr.strip()}")
        return out.stdout

    def start(self, argv: list[str], env: dict[str, str]) -> None:
        command = " ".join(shlex.quote(a) for a in
                           ["exec", "env", *[f"{k}={v}" for k, v in env.items()], *argv])
        self.run("-f", "/dev/null", "new-session", "-d", "-s", self.name,
                 "-x", str(self.size[0]), "-y", str(self.size[1]), command)
        self.run("set-option", "-t", self.name, "remain-on-exit", "on")

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", self.name)

    def wait_for(self, pattern: str, timeout: float = 120) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if re.search(pattern, screen):
                return screen
            time.sleep(0.05)
        raise AssertionError(f"{pattern!r} never appeared; the screen shows:\n{screen}")

    def wait_dead(self, timeout: float = 120) -> None:
        """Wait until the program in the pane has exited (tmux's pane_dead flag)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.run("display-message", "-p", "-t", self.name, "#{pane_dead}").strip() == "1":
                return
            time.sleep(0.1)
        raise AssertionError(f"the reader did not exit within {timeout} s; the screen shows:\n"
                             f"{self.screen()}")

    def send(self, keys: list[str]) -> None:
        self.run("send-keys", "-t", self.name, *keys)

    def pid(self) -> int:
        return int(self.run("display-message", "-p", "-t", self.name, "#{pane_pid}").strip())

    def close(self) -> None:
        self.run("kill-server", check=False)


def simulate(keys: list[str], n: int) -> list[dict[int, str]]:
    """Labels after each prefix of ``keys`` (f/q/o tag and advance, j/k move)."""
    labels: dict[int, str] = {}
    cursor = 0
    states = [dict(labels)]
    for key in keys:
        if key in "fqo":
            labels[cursor] = {"f": "fact", "q": "quote", "o": "opinion"}[key]
            cursor = min(cursor + 1, n - 1)
        elif key == "j":
            cursor = min(cursor + 1, n - 1)
        elif key == "k":
            cursor = max(cursor - 1, 0)
        states.append(dict(labels))
    return states


def long_article_text(n_paragraphs: int = 130, seed: int = 5) -> str:
    """A news-like article with a few hundred sentences (more than one burst of keys tags)."""
    r = random.Random(seed)
    templates = [
        "\u201cWe will not wait for the ministry,\u201d said Maria Lopez, the mayor of Tyre.",
        "The council voted on Monday to reopen the bridge, according to Reuters.",
        "Wang Yi told reporters that the talks had been \u201cfrank and useful\u201d.",
        "Critics called the plan reckless and a waste of public money.",
        "Officials said the water plant would be repaired by March.",
        "The harbour authority published its figures for {n} ships on Tuesday.",
    ]
    paras = [" ".join(r.choice(templates).format(n=r.randint(2, 900)) for _ in range(r.randint(3, 6)))
             for _ in range(n_paragraphs)]
    return "Harbour city council reopens the bridge\n\n" + "\n\n".join(paras) + "\n"


@pytest.fixture(scope="module")
def sample_and_cache(tmp_path_factory):
    """A long article on disk and its analysis in a cache dir (the app opens highlighted)."""
    from newsreader.core.analysis import pipeline
    from newsreader.core.cache import AnalysisCache
    from newsreader.core.ingest import load_path

    d = tmp_path_factory.mktemp("kill-article")
    path = d / "harbour.txt"
    path.write_text(long_article_text(), encoding="utf-8")
    article = load_path(str(path))
    cache_dir = tmp_path_factory.mktemp("kill-cache")
    analysis = pipeline.analyze(article, pipeline.load_nlp(None))
    assert len(analysis.sentences) > 500
    assert AnalysisCache(cache_dir).put(analysis)
    return str(path), article, analysis, cache_dir


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.parametrize("seed", range(ITERATIONS))
def test_sigkill_at_a_random_moment_keeps_every_shown_tag(seed, sample_and_cache, tmp_path):
    path, article, analysis, cache_dir = sample_and_cache
    n = len(analysis.sentences)
    rng = random.Random(seed)
    data_dir = tmp_path / "data"
    shutil.copytree(cache_dir, paths_mod.resolve(str(data_dir)).analysis_cache)
    env = base_env(data_dir, NEWSREADER_ANNOTATOR=ANNOTATOR, TERM="xterm-256color",
                   HOME=str(tmp_path))
    term = Tmux(f"kill{seed}")
    try:
        term.start([str(NEWSREADER), path], {k: env[k] for k in (
            "NEWSREADER_DATA_DIR", "NEWSREADER_CONFIG_DIR", "NEWSREADER_ANNOTATOR", "TERM",
            "HOME", "PATH")})
        screen = term.wait_for(rf"sentence 1/{n}\b", timeout=180)
        assert f"0/{n} tagged" in screen
        # bursts of keys with short gaps (the screen repaints in the gaps), for a random time
        keys: list[str] = []
        deadline = time.monotonic() + rng.uniform(0.3, 2.5)
        while time.monotonic() < deadline:
            burst = rng.choices("fqojk", weights=(3, 3, 3, 2, 1), k=rng.randint(3, 40))
            term.send(burst)
            keys.extend(burst)
            time.sleep(rng.uniform(0.0, 0.12))
        screen = term.screen()
        pid = term.pid()
        os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert not _alive(pid)
    finally:
        term.close()

    m = re.search(rf"(\d+)/{n} tagged", screen)
    assert m, f"no tagged count on screen:\n{screen}"
    shown = int(m.group(1))

    res = run_nr(["export", "--annotator", ANNOTATOR], data_dir, env=env)
    assert res.returncode == 0, res.stderr
    exported = {int(r["sentence_index"]): r["label"]
                for r in csv.DictReader(io.StringIO(res.stdout))}
    assert len(exported) >= shown, f"the screen showed {shown} tagged, the store has {len(exported)}"

    states = simulate(keys, n)
    prefixes = [i for i, st in enumerate(states) if st == exported]
    assert prefixes, (f"the stored labels are not what any prefix of the keys produces:\n"
                      f"stored {exported}\nkeys {''.join(keys)}")
    assert any(len(states[i]) >= shown for i in prefixes)

    db = paths_mod.resolve(str(data_dir)).db
    with Store.open(db) as store:
        replay: dict[int, str | None] = {}
        for ev in store.history(article.id, ANNOTATOR):
            assert ev["kind"] == "tag", ev
            assert replay.get(ev["sentence_index"]) == ev["previous_label"], ev
            replay[ev["sentence_index"]] = ev["label"]
        assert {i: lab for i, lab in replay.items() if lab} == exported
        stored = {i: a.label for i, a in store.annotations(article.id, ANNOTATOR).items()}
        assert stored == exported
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        con.close()
    print(f"seed {seed}: {len(keys)} keys typed (all of them: {len(states[-1])} tagged), "
          f"{shown} tagged on screen, {len(exported)} in the store")


def test_hundreds_of_keys_without_pauses_in_a_real_terminal(sample_and_cache, tmp_path):
    """Very fast key repeat: 300 keys in one burst; every press is applied, in order."""
    path, article, analysis, cache_dir = sample_and_cache
    n = len(analysis.sentences)
    data_dir = tmp_path / "data"
    shutil.copytree(cache_dir, paths_mod.resolve(str(data_dir)).analysis_cache)
    env = base_env(data_dir, NEWSREADER_ANNOTATOR=ANNOTATOR, TERM="xterm-256color",
                   HOME=str(tmp_path))
    rng = random.Random(99)
    keys = rng.choices("fjkqo", weights=(4, 3, 2, 1, 1), k=300)
    expected = simulate(keys, n)[-1]
    term = Tmux("burst")
    try:
        term.start([str(NEWSREADER), path], {k: env[k] for k in (
            "NEWSREADER_DATA_DIR", "NEWSREADER_CONFIG_DIR", "NEWSREADER_ANNOTATOR", "TERM",
            "HOME", "PATH")})
        term.wait_for(rf"sentence 1/{n}\b", timeout=180)
        term.send(keys)
        term.wait_for(rf"\b{len(expected)}/{n} tagged", timeout=120)
        time.sleep(0.5)     # nothing more arrives
        term.send(["C-q"])
        term.wait_dead(timeout=120)  # a loaded machine can take a while to shut down
    finally:
        term.close()
    with Store.open(paths_mod.resolve(str(data_dir)).db) as store:
        stored = {i: a.label for i, a in store.annotations(article.id, ANNOTATOR).items()}
    assert stored == expected
