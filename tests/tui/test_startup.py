"""What the reader does before its first frame (docs/performance.md, time to first text).

Each check runs in a fresh interpreter (a real subprocess), because what matters
is which modules a cold start imports and in what order things happen; the
pytest process has long since imported everything.
"""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from newsreader.tui.launch import sample_paths


def _run(code: str, data_dir) -> dict:
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                         text=True, timeout=120, env=None, cwd=str(data_dir))
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_app_module_leaves_what_the_first_frame_does_not_need_for_later(tmp_path):
    got = _run("""
        import json, sys
        import newsreader.tui.app
        print(json.dumps({m: m in sys.modules for m in
                          ("rapidfuzz", "newsreader.core.fetch", "newsreader.core.library",
                           "spacy", "newsreader.tui.compare", "newsreader.tui.screens.library",
                           "newsreader.tui.add_host", "newsreader.tui.stories",
                           "newsreader.tui.screens.help", "newsreader.tui.screens.reader")}))
    """, tmp_path)
    assert got == {"rapidfuzz": False, "newsreader.core.fetch": False,
                   "newsreader.core.library": False, "spacy": False,
                   "newsreader.tui.compare": True, "newsreader.tui.screens.library": False,
                   "newsreader.tui.add_host": False, "newsreader.tui.stories": False,
                   "newsreader.tui.screens.help": False, "newsreader.tui.screens.reader": True}


_BUILD = """
    import json, sys
    from types import SimpleNamespace
    from newsreader.tui.analysis_host import AnalysisHost
    seen = []
    real = AnalysisHost.start
    def start(self):
        seen.append("textual" in sys.modules)
        real(self)
    AnalysisHost.start = start
    from newsreader.tui.launch import build_app
    app, store = build_app(SimpleNamespace(paths=[{path!r}], data_dir={data!r},
                                           annotator="tester", model=None))
    running = app.host._proc is not None and app.host._proc.poll() is None
    app.close_children(); store.close()
    print(json.dumps({{"starts": seen, "running": running}}))
"""


def test_an_uncached_article_starts_the_analysis_before_any_textual_import(tmp_path):
    data = tmp_path / "data"
    got = _run(_BUILD.format(path=sample_paths()[0], data=str(data)), tmp_path)
    assert got == {"starts": [False], "running": True}


def test_a_cached_article_starts_no_analysis_process(tmp_path, sample_analyses):
    from newsreader.core import paths as paths_mod
    from newsreader.core.cache import AnalysisCache
    from newsreader.core.ingest import load_path

    data = tmp_path / "data"
    article = load_path(sample_paths()[0])
    assert AnalysisCache(paths_mod.resolve(str(data)).analysis_cache).put(
        sample_analyses[article.id])
    got = _run(_BUILD.format(path=sample_paths()[0], data=str(data)), tmp_path)
    assert got == {"starts": [], "running": False}


async def test_an_article_that_cannot_be_opened_leaves_the_library_not_a_blank_screen(
        make_app, db_path, warm_cache):
    import sqlite3

    from tui_helpers import screen_text, settle

    from newsreader.tui.screens.library import LibraryScreen

    app = make_app(sample_paths()[0])
    with sqlite3.connect(db_path) as con:       # gone from the store before the app runs
        con.execute("DELETE FROM articles WHERE id = ?", (app.open_ids[0],))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen) and len(app.screen_stack) == 1
        assert "Library · 0 articles" in screen_text(app)
        assert any("is not in the library" in n.message for n in app._notifications)
