"""Shared fixtures: every test gets its own data dir; no developer config leaks in."""
from __future__ import annotations

import os

import pytest


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path_factory, monkeypatch):
    """Point newsreader at a fresh temporary data/config dir for every test."""
    base = tmp_path_factory.mktemp("nr-data")
    monkeypatch.setenv("NEWSREADER_DATA_DIR", str(base))
    monkeypatch.setenv("NEWSREADER_CONFIG_DIR", str(base / "config"))
    monkeypatch.setenv("NEWSREADER_ANNOTATOR", "tester")
    monkeypatch.delenv("NEWSREADER_MODEL", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    yield base


@pytest.fixture
def data_dir(isolated_dirs):
    return isolated_dirs
