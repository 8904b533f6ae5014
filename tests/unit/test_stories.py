"""Stories: articles about the same event, grouped from shared entities and dates
(real spaCy model, real analyses)."""
from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from newsreader.core import library
from newsreader.core.cache import AnalysisCache
from newsreader.core.ingest import load_path
from newsreader.core.library import add_sources, analyze_and_cache, group_stories, story_index
from newsreader.core.store import Store

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted(str(p) for p in (ROOT / "seeds").glob("*.txt"))
WEB = ROOT / "tests" / "fixtures" / "web"
# unrelated: shares China/Beijing/US with the samples; shares Syria/Damascus; nothing shared
UNRELATED = ["wheat-exports.html", "aleppo-water.html", "harbour-bridge.html",
             "orchard-frost.html", "ferry-strike.html"]


@pytest.fixture(scope="module")
def analysed():
    from newsreader.core.analysis import pipeline

    nlp = pipeline.load_nlp()
    articles = [load_path(p) for p in SEEDS] + [load_path(str(WEB / f)) for f in UNRELATED]
    analyses = list(pipeline.analyze_many(articles, nlp))
    return list(zip(articles, analyses))


def test_the_two_samples_are_one_story(analysed):
    stories = group_stories(analysed)
    samples = {a.id for a, _ in analysed[:2]}
    assert len(stories) == 1
    [story] = stories
    assert set(story.article_ids) == samples
    assert story.id == "s-" + story.article_ids[0][:8]
    # the dated sample comes first; the story spans its date
    assert (story.first_date, story.last_date) == ("2025-11-18", "2025-11-18")
    assert analysed[0][0].title == story.title  # the only sample with a title
    for name in ("China", "Syria", "Beijing", "Wang Yi", "Ahmed al-Sharaa"):
        assert name in story.names


def test_unrelated_articles_join_no_story(analysed):
    index = story_index(group_stories(analysed))
    for article, _ in analysed[2:]:
        assert article.id not in index


def test_overlap_alone_is_not_enough(analysed):
    """The wheat article shares China, Beijing and the US with a sample, the Aleppo
    one Syria and Damascus: real shared names, scored well under the threshold."""
    prof = {a.id: library._entity_profile(a, an) for a, an in analysed}
    sample, other_sample = analysed[0][0].id, analysed[1][0].id
    wheat, aleppo = analysed[2][0].id, analysed[3][0].id
    score, names = library._similarity(prof[sample], prof[wheat])
    assert {"China", "Beijing"} <= set(names)
    assert score < library.STORY_THRESHOLD
    score, names = library._similarity(prof[sample], prof[aleppo])
    assert {"Syria", "Damascus"} <= set(names)
    assert score < library.STORY_THRESHOLD
    same, _ = library._similarity(prof[sample], prof[other_sample])
    assert same >= 2 * library.STORY_THRESHOLD
    # symmetric
    assert library._similarity(prof[wheat], prof[sample])[0] == pytest.approx(
        library._similarity(prof[sample], prof[wheat])[0])


def test_order_does_not_matter(analysed):
    forward = group_stories(analysed)
    backward = group_stories(list(reversed(analysed)))
    assert [set(s.article_ids) for s in forward] == [set(s.article_ids) for s in backward]
    assert [s.id for s in forward] == [s.id for s in backward]


def test_dates_far_apart_split_a_story(analysed):
    (a, an), (b, bn) = analysed[0], analysed[1]
    near = [(dataclasses.replace(a, date="2025-11-16"), an), (b, bn)]
    assert len(group_stories(near)) == 1
    far = [(dataclasses.replace(a, date="2025-10-01"), an), (b, bn)]
    assert group_stories(far) == []
    assert group_stories(far, max_days=60) != []


def test_library_stories_from_cached_analyses(tmp_path):
    data = tmp_path / "data"
    with Store.open(data / "newsreader.db") as store:
        report = add_sources(store, SEEDS + [str(WEB / "wheat-exports.html")])
        assert [r.status for r in report.results] == ["added"] * 3
        # nothing analysed yet: no stories, and none computed behind our back
        assert group_stories(store, cache_dir=data / "cache") == []
        cache = AnalysisCache(data / "cache" / "analysis")
        analyses = analyze_and_cache(report.new_articles, store, cache=cache)
        counts = {s.id: s.n_sentences for s in store.list_articles()}
        assert counts == {an.article_id: len(an.sentences) for an in analyses}
        assert all(n > 3 for n in counts.values())
        stories = group_stories(store)
        assert [set(s.article_ids) for s in stories] == [
            {r.article_id for r in report.results[:2]}]


def test_cli_add_analyses_and_list_shows_the_story(tmp_path):
    env = {**os.environ, "NEWSREADER_DATA_DIR": str(tmp_path / "nr")}

    def run(*args):
        return subprocess.run([sys.executable, "-m", "newsreader.core.cli", *args],
                              capture_output=True, text=True, env=env, timeout=300)

    p = run("add", str(ROOT / "seeds"), str(WEB / "wheat-exports.html"))
    assert p.returncode == 0, p.stderr
    assert p.stdout.splitlines()[-1] == "3 added, 0 already in the library, 0 failed"
    p = run("list", "--json")
    assert p.returncode == 0, p.stderr
    rows = json.loads(p.stdout)
    by_loc = {Path(r["location"]).name: r for r in rows}
    s1 = by_loc[Path(SEEDS[0]).name]["story"]
    assert s1 is not None and s1.startswith("s-")
    assert by_loc[Path(SEEDS[1]).name]["story"] == s1
    assert by_loc["wheat-exports.html"]["story"] is None
    assert all(r["n_sentences"] for r in rows)
    p = run("list")
    assert f"story {s1}: 2 articles" in p.stdout


def _people(*names: str) -> list:
    """Entity profiles of people, through the same name keys the analyses get."""
    from newsreader.core.analysis.entities import person_core, skeleton

    out = []
    for name in names:
        full, surname = library._person_keys(person_core(name)[0], skeleton)
        keys = {full} if full else {surname}
        out.append(library._Entity("PERSON", name, frozenset(keys), 3.0,
                                   frozenset({surname}) if full else frozenset()))
    return out


@pytest.mark.parametrize("a, b, same", [
    ("Assad al-Shaibani", "Asaad Hassan al-Shaibani", True),    # transliteration, middle name
    ("Bashar al-Assad", "Bashar Assad", True),
    ("Donald Trump", "Trump", True),                            # a bare surname there
    ("Mohammed bin Salman", "Muhammad bin Salman", True),
    ("Owen Price", "Margaret Pryce", False),                    # two people, one surname
    ("Wang Yi", "Wang Wenbin", False),
    ("Cerys Morgan", "Gareth Morgan", False),
])
def test_people_match_across_articles(a, b, same):
    score, names = library._similarity(_people(a), _people(b))
    assert (names == [a]) is same
    assert (score == 1.0) is same
