"""Fixtures for the reader's Pilot and snapshot tests.

Every test runs the real app on a real SQLite store in its own temporary data
dir (the root conftest points NEWSREADER_DATA_DIR there) with the real spaCy
pipeline. The samples are analysed once per session and copied into each
test's analysis cache, so most tests start highlighted; tests about the worker
start with an empty cache.
"""
from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from newsreader.core import paths as paths_mod
from newsreader.core.store import Store
from newsreader.tui.launch import build_app, sample_paths

SAMPLES = sample_paths()


@pytest.fixture(scope="session")
def nlp():
    from newsreader.core.analysis import pipeline

    return pipeline.load_nlp(None)


@pytest.fixture(scope="session")
def sample_articles():
    from newsreader.core.ingest import load_path

    return [load_path(p) for p in SAMPLES]


@pytest.fixture(scope="session")
def sample_analyses(nlp, sample_articles):
    from newsreader.core.analysis import pipeline

    return {a.id: pipeline.analyze(a, nlp) for a in sample_articles}


@pytest.fixture(scope="session")
def seeded_cache(tmp_path_factory, sample_analyses):
    from newsreader.core.cache import AnalysisCache

    directory = tmp_path_factory.mktemp("analysis-cache")
    cache = AnalysisCache(directory)
    for analysis in sample_analyses.values():
        assert cache.put(analysis)
    return directory


@pytest.fixture
def warm_cache(seeded_cache, data_dir):
    """The test's analysis cache already holds the samples' analyses."""
    target = paths_mod.resolve(str(data_dir)).analysis_cache
    shutil.copytree(seeded_cache, target, dirs_exist_ok=True)
    return target


@pytest.fixture
def make_app(data_dir, nlp):
    """``make_app(*paths, annotator=..., model=...)`` -> the real app on the test's data dir."""
    stores: list[Store] = []
    apps = []

    def factory(*paths: str, annotator: str | None = None, model: str | None = None):
        args = SimpleNamespace(paths=list(paths), data_dir=str(data_dir), annotator=annotator,
                               model=model)
        app, store = build_app(args)
        stores.append(store)
        apps.append(app)
        return app

    yield factory
    for app in apps:
        app.host.close()
    for store in stores:
        store.close()


@pytest.fixture
def db_path(data_dir) -> Path:
    return paths_mod.resolve(str(data_dir)).db


@pytest.fixture
def recorded_cache(data_dir, sample_articles):
    """The test's analysis cache holds the *recorded* analyses of the samples.

    Snapshot tests use these so that tuning the analyzer does not change how the
    reader's screens are drawn; record them again with tests/tui/record_analyses.py.
    """
    import dataclasses
    import json

    from newsreader.core.analysis import pipeline
    from newsreader.core.cache import AnalysisCache
    from newsreader.core.models import analysis_from_dict

    path = Path(__file__).with_name("fixtures") / "sample_analyses.json"
    recorded = [analysis_from_dict(d) for d in json.loads(path.read_text(encoding="utf-8"))]
    if [a.article_id for a in recorded] != [a.id for a in sample_articles]:
        pytest.fail("the samples' article ids changed (ingest or samples changed): run "
                    "tests/tui/record_analyses.py, then pytest tests/tui/test_snapshots.py "
                    "--snapshot-update, and review the SVGs")
    cache = AnalysisCache(paths_mod.resolve(str(data_dir)).analysis_cache)
    model = pipeline.resolve_model(None)
    for analysis in recorded:
        assert cache.put(dataclasses.replace(analysis, analyzer_version=pipeline.ANALYZER_VERSION,
                                             model=model))
    return recorded
