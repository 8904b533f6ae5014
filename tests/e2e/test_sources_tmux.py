"""End to end: `newsreader URL` and the add key in a real terminal (tmux), against a
local web server on 127.0.0.1; then the same URL opens with the server gone."""
from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path

import pytest
from test_tmux import NEWSREADER, Terminal

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures" / "web"))
from webserver_fixture import serve  # noqa: E402

pytestmark = [pytest.mark.e2e,
              pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")]

FERRY = "Skerry Island ferry crews"
HARBOUR = "Council approves Port"


@pytest.fixture
def terminal():
    term = Terminal("sources", width=100, height=30)
    yield term
    term.close()


def _quit(terminal: Terminal) -> None:
    terminal.keys("C-q")
    deadline = time.monotonic() + 20
    while "Pane is dead" not in terminal.screen() and time.monotonic() < deadline:
        time.sleep(0.1)
    terminal.tmux("kill-session", "-t", terminal.name, check=False)


def test_url_and_add_key_then_offline(terminal, data_dir):
    env = {"NEWSREADER_DATA_DIR": str(data_dir), "NEWSREADER_ANNOTATOR": "e2e",
           "NEWSREADER_CONFIG_DIR": str(data_dir / "config"), "TERM": "xterm-256color",
           "PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", str(data_dir)),
           "no_proxy": "127.0.0.1", "NO_PROXY": "127.0.0.1"}
    with serve() as site:
        url = site.url("/news/ferry-strike")
        terminal.start([str(NEWSREADER), url], env)
        terminal.wait_for(FERRY, timeout=120)
        terminal.keys("Escape", pause=1.0)
        terminal.wait_for("The Ellery Gazette · 1 article")
        terminal.keys("C-o", pause=1.0)
        terminal.wait_for("Add to the library")
        terminal.tmux("send-keys", "-t", terminal.name, "-l", site.url("/news/harbour-bridge"))
        terminal.keys("Enter", pause=0.5)
        screen = terminal.wait_for("The Ellery Gazette · 2 articles", timeout=60)
        assert HARBOUR in screen
        # grouped under the outlet, newest first (May before March)
        lines = screen.splitlines()
        assert next(i for i, t in enumerate(lines) if FERRY in t) < \
            next(i for i, t in enumerate(lines) if HARBOUR in t)
        _quit(terminal)
        assert site.hits["/news/ferry-strike"] == 1
    # the server is gone: the article opens from the library, without the network
    terminal.start([str(NEWSREADER), url], env)
    terminal.wait_for(FERRY, timeout=120)
    terminal.keys("Escape", pause=1.0)
    screen = terminal.wait_for("The Ellery Gazette · 2 articles")
    assert HARBOUR in screen
    _quit(terminal)


def test_unreachable_url_fails_with_one_line_before_the_terminal(data_dir):
    import subprocess

    with serve() as site:
        url = site.url("/missing")
        out = subprocess.run([str(NEWSREADER), url], capture_output=True, text=True, timeout=120,
                             env=dict(os.environ, NEWSREADER_DATA_DIR=str(data_dir)))
    assert out.returncode == 1
    assert out.stderr == f"newsreader: {url}: HTTP 404 Not Found\n"
    assert out.stdout == ""
