"""Fixtures of the hardening suite (helpers live in hardening_helpers.py)."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hardening_helpers import ANNOTATOR, populate, snapshot, stored_state


@pytest.fixture
def stored(data_dir):
    """A populated data dir; yields a checker that asserts nothing stored changed."""
    art = populate(data_dir)
    before_bytes = snapshot(data_dir)
    before_state = stored_state(data_dir / "newsreader.db")
    assert before_state[0] == [(art.id, 0, ANNOTATOR, "fact"), (art.id, 1, ANNOTATOR, "opinion"),
                               (art.id, 2, ANNOTATOR, "quote")]

    def untouched() -> None:
        assert snapshot(data_dir) == before_bytes, "the data dir changed"
        assert stored_state(data_dir / "newsreader.db") == before_state

    untouched.article = art
    untouched.data_dir = data_dir
    return untouched



@pytest.fixture
def public_dir(tmp_path):
    """A directory an unprivileged user can enter (pytest's tmp root is 0700)."""
    public = Path(tempfile.mkdtemp(prefix="nr-hardening-", dir="/tmp"))
    public.chmod(0o755)
    yield public
    shutil.rmtree(public, ignore_errors=True)
