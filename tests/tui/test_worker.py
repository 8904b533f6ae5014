"""The analysis worker: text first, highlights later, failures explained.

These tests start with an empty analysis cache, so the real pipeline runs (in
the app's analysis process). To look at the screen *before* the analysis
lands, the worker's call into the analysis process is held on an Event (the
real pipeline still does the work once released).
"""
from __future__ import annotations

import sys
import threading

import pytest
from tui_helpers import doc, labels_in_store, screen_text, settle

from newsreader.core import paths as paths_mod
from newsreader.core.analysis import pipeline
from newsreader.core.cache import AnalysisCache
from newsreader.tui.analysis_host import AnalysisHost


@pytest.fixture
def held_pipeline(monkeypatch):
    """Make the worker's call into the analysis process wait until the test releases it."""
    release = threading.Event()
    real = AnalysisHost.analyze

    def held(self, article):
        assert release.wait(60), "the test never released the analysis"
        return real(self, article)

    monkeypatch.setattr(AnalysisHost, "analyze", held)
    yield release
    release.set()


async def test_text_shows_before_the_analysis_and_tagging_waits(make_app, held_pipeline, db_path,
                                                                 sample_articles):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        view = doc(app)
        assert not view.ready
        text = screen_text(app)
        first_words = " ".join(sample_articles[0].text.split()[:4])
        assert first_words in text
        assert "analysing…" in text
        # tagging keys are disabled (greyed in the footer) while sentences are unknown
        active = app.screen.active_bindings
        assert active["f"].enabled is False and active["enter"].enabled is False
        await pilot.press("f", "q", "j")
        assert labels_in_store(db_path, view.article.id) == {}
        held_pipeline.set()
        await settle(pilot)
        assert view.ready and view.cursor == 0
        assert "analysing" not in screen_text(app)
        assert app.screen.active_bindings["f"].enabled
        await pilot.press("f")
        assert labels_in_store(db_path, view.article.id) == {0: "fact"}


async def test_the_analysis_is_cached_for_the_next_open(make_app, data_dir, sample_articles):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert doc(app).ready
    cache = AnalysisCache(paths_mod.resolve(str(data_dir)).analysis_cache)
    model = pipeline.resolve_model(None)
    cached = cache.get(sample_articles[0].id, model)
    assert cached is not None and cached.sentences
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert doc(app).ready
        assert not [w for w in app.workers if w.group == "nlp"]


SCRIPT = """
import asyncio, sys
from types import SimpleNamespace
from newsreader.tui.launch import build_app

async def main():
    app, store = build_app(SimpleNamespace(paths=[], data_dir=sys.argv[1], annotator="t", model=None))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        view = app.screen.query_one("DocumentView")
        print(view.ready, "spacy" in sys.modules, "thinc" in sys.modules)
    app.host.close()
    store.close()

asyncio.run(main())
"""


def test_the_reader_process_never_imports_spacy(tmp_path):
    """The text is analysed with a cold cache, yet spaCy stays out of the UI process."""
    import subprocess

    out = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path / "data")], capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["True", "False", "False"]


async def test_a_model_that_fails_to_load_leaves_the_text_and_says_why(make_app, sample_articles):
    app = make_app(model="no_such_spacy_pipeline")
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        view = doc(app)
        assert not view.ready and view.failed
        text = screen_text(app)
        assert " ".join(sample_articles[0].text.split()[:4]) in text
        assert "highlights unavailable" in text
        assert "no_such_spacy_pipeline" in text
        assert app.screen.active_bindings["f"].enabled is False
        # the second article fails the same way without trying again
        await pilot.press("escape")
        await pilot.press("down", "enter")
        await settle(pilot)
        assert "highlights unavailable" in screen_text(app)
