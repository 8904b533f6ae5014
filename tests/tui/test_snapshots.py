"""Snapshots of the main screens at 80x24 and 160x48 (pytest-textual-snapshot).

Deterministic by construction: the annotator is fixed ("tester", root conftest),
the data dir is temporary, the config dir is a fixed path that does not exist,
the samples' analyses are a recording of the real pipeline's output
(fixtures/sample_analyses.json, see record_analyses.py) so tuning the analyzer
does not redraw every screen, and no screen shows a clock. Regenerate after an
intended change with ``pytest tests/tui/test_snapshots.py --snapshot-update``
and review the SVGs.
"""
from __future__ import annotations

import pytest
from tui_helpers import settle

from newsreader.tui.launch import sample_paths

SIZES = [(80, 24), (160, 48)]

pytestmark = pytest.mark.usefixtures("recorded_cache")


@pytest.fixture(autouse=True)
def fixed_config_dir(monkeypatch):
    monkeypatch.setenv("NEWSREADER_CONFIG_DIR", "/nonexistent/newsreader-config")


async def _ready(pilot):
    await settle(pilot)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_reader(snap_compare, make_app, size):
    app = make_app()

    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("f", "q", "j", "o")   # three labels, cursor on sentence 5
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_library(snap_compare, make_app, size):
    app = make_app()

    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("f", "escape")
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_compare(snap_compare, make_app, size):
    app = make_app(*sample_paths())
    assert snap_compare(app, terminal_size=size, run_before=_ready)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_help(snap_compare, make_app, size):
    app = make_app()

    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_reader_with_legend_and_selected_entity(snap_compare, make_app):
    app = make_app()

    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("j", "right_square_bracket", "l")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(120, 36), run_before=run_before)
