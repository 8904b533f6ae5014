"""End to end: the real `newsreader` command in a real terminal (tmux).

Tag sentences by keystrokes, SIGKILL the process, then `newsreader export`
must contain every tag the screen showed as saved.
"""
from __future__ import annotations

import csv
import io
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = [pytest.mark.e2e,
              pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")]

BIN = Path(sys.executable).parent
NEWSREADER = BIN / "newsreader"


class Terminal:
    """A detached tmux session on a private server socket."""

    def __init__(self, name: str, width: int = 100, height: int = 30):
        self.socket = f"nr-e2e-{os.getpid()}-{name}"
        self.name = name
        self.size = (width, height)

    def tmux(self, *args: str, check: bool = True) -> str:
        out = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True,
                             timeout=30)
        if check and out.returncode != 0:
            raise RuntimeError(f"tmux {' '.join(args)}: {out.stderr.strip()}")
        return out.stdout

    def start(self, argv: list[str], env: dict[str, str]) -> None:
        assignments = [f"{k}={v}" for k, v in env.items()]
        command = " ".join(_quote(a) for a in ["exec", "env", *assignments, *argv])
        self.tmux("-f", "/dev/null", "new-session", "-d", "-s", self.name,
                  "-x", str(self.size[0]), "-y", str(self.size[1]), command)
        self.tmux("set-option", "-t", self.name, "remain-on-exit", "on")

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", self.name)

    def wait_for(self, text: str, timeout: float = 120) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared; the screen shows:\n{screen}")

    def keys(self, *keys: str, pause: float = 0.15) -> None:
        for key in keys:
            self.tmux("send-keys", "-t", self.name, key)
            time.sleep(pause)

    def pid(self) -> int:
        return int(self.tmux("display-message", "-p", "-t", self.name, "#{pane_pid}").strip())

    def close(self) -> None:
        self.tmux("kill-server", check=False)


def _quote(s: str) -> str:
    import shlex

    return shlex.quote(s)


@pytest.fixture
def terminal():
    term = Terminal("reader")
    yield term
    term.close()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _zombie(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


def test_tags_typed_in_a_real_terminal_survive_sigkill(terminal, data_dir):
    env = {"NEWSREADER_DATA_DIR": str(data_dir), "NEWSREADER_ANNOTATOR": "e2e",
           "NEWSREADER_CONFIG_DIR": str(data_dir / "config"), "TERM": "xterm-256color",
           "PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", str(data_dir))}
    terminal.start([str(NEWSREADER)], env)
    screen = terminal.wait_for("sentence 1/", timeout=180)   # cold start: spaCy loads in the worker
    assert "annotator: e2e" in screen
    total = int(screen.split("sentence 1/", 1)[1].split()[0])

    terminal.keys("f", "q", "o", "j", "Enter", "x", "q", "u", "C-r")
    # f 0, q 1, o 2, skip 3, accept 4, clear 5 (untagged: no change), q 5, undo, redo
    screen = terminal.wait_for(f"5/{total} tagged")
    pid = terminal.pid()
    assert _alive(pid)
    children = [int(p) for p in subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)],
                                                capture_output=True, text=True).stdout.split()]
    assert children, "the analysis process should be running beside the reader"
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    # the analysis process notices its parent is gone and exits on its own
    deadline = time.monotonic() + 15
    while any(_alive(c) and not _zombie(c) for c in children) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [c for c in children if _alive(c) and not _zombie(c)]

    out = subprocess.run([str(NEWSREADER), "export", "--annotator", "e2e"], capture_output=True,
                         text=True, env=dict(os.environ, **env), timeout=120)
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    labels = {int(r["sentence_index"]): r["label"] for r in rows}
    assert {i: labels[i] for i in (0, 1, 2, 5)} == {0: "fact", 1: "quote", 2: "opinion", 5: "quote"}
    assert set(labels) == {0, 1, 2, 4, 5}
    accepted = next(r for r in rows if r["sentence_index"] == "4")
    assert accepted["label"] == accepted["suggested_label"]
    assert all(r["annotator"] == "e2e" for r in rows)


def test_two_articles_side_by_side_and_stdin(terminal, data_dir, tmp_path):
    from newsreader.tui.launch import sample_paths

    a, b = sample_paths()
    env = {"NEWSREADER_DATA_DIR": str(data_dir), "NEWSREADER_ANNOTATOR": "e2e",
           "NEWSREADER_CONFIG_DIR": str(data_dir / "config"), "TERM": "xterm-256color",
           "PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", str(data_dir))}
    article = tmp_path / "piped.txt"
    article.write_text("A piped headline\n\nThe council said on Monday that it would meet again. "
                       "Critics called the plan a disgrace.\n", encoding="utf-8")
    # `newsreader - B` reads the first article from a pipe, then keys from the terminal
    terminal.start(["sh", "-c", f"exec {_quote(str(NEWSREADER))} - {_quote(b)} < {_quote(str(article))}"],
                   env)
    screen = terminal.wait_for("Compare", timeout=180)
    assert "A piped headline" in screen
    terminal.wait_for("sentence 1/", timeout=180)
    terminal.keys("f", "Tab", "o")
    screen = terminal.wait_for("1/2 tagged")
    terminal.keys("C-q")
    deadline = time.monotonic() + 20
    while "Pane is dead" not in terminal.screen() and time.monotonic() < deadline:
        time.sleep(0.1)
    out = subprocess.run([str(NEWSREADER), "export", "--annotator", "e2e"], capture_output=True,
                         text=True, env=dict(os.environ, **env), timeout=120)
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert len(rows) == 2
    by_title = {r["article_title"]: (r["sentence_index"], r["label"]) for r in rows}
    assert by_title["A piped headline"] == ("0", "fact")
    assert [v for k, v in by_title.items() if k != "A piped headline"] == [("0", "opinion")]
