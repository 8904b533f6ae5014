"""Suggested labels (newsreader_suggest) and the opinion dev set."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from newsreader.core.analysis.pipeline import analyze, analyze_many, load_nlp
from newsreader.core.analysis.suggest import lexicon, quoted_regions
from newsreader.core.ingest import bundled_samples, load_path
from newsreader.core.models import Article

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def suggest(nlp, text: str):
    an = analyze(Article(id="t", text=text), nlp)
    assert len(an.sentences) == 1, [s.text for s in an.sentences]
    return an.sentences[0].suggestion


def test_quoted_regions_curly_straight_and_unclosed():
    t = 'He said “yes” and "no".\n\nShe said “this goes on\n\n“and on,” she added.'
    regions = [t[a:b] for a, b in quoted_regions(t)]
    assert regions == ["“yes”", '"no"', "“this goes on", "“and on,”"]


def test_lexicon_loads_with_categories():
    lex = lexicon()
    assert lex.words["genocidal"] == ("evaluative", 1.0)
    assert lex.words["perhaps"][0] == "speculative"
    assert lex.phrases["so-called"][0] == "evaluative"
    assert lex.pattern is not None and lex.pattern.search("a so-called reform")


def test_direct_quote(nlp):
    s = suggest(nlp, "“We will rebuild every school in the region before winter,” the minister said.")
    assert s.label == "quote" and "direct quote" in s.reason


def test_reported_speech(nlp):
    s = suggest(nlp, "Wang said China considers the Golan Heights to be Syrian territory.")
    assert s.label == "quote"
    assert s.reason.startswith("reported speech") and "Wang" in s.reason


def test_according_to_is_an_attributed_claim(nlp):
    s = suggest(nlp, "The factory closed in March, according to the regional labour office.")
    assert s.label == "quote" and "according to" in s.reason


def test_author_evaluative_words_are_opinion(nlp):
    s = suggest(nlp, "The minister's reckless decision will hurt the poorest families most.")
    assert s.label == "opinion" and s.reason.startswith("evaluative words: reckless")
    s = suggest(nlp, "The bank offers impoverished countries predatory loans for genocidal regimes.")
    assert s.label == "opinion" and "predatory" in s.reason and "genocidal" in s.reason


def test_evaluative_words_inside_quotes_do_not_count(nlp):
    s = suggest(nlp, "“This is a disgraceful and reckless betrayal of families,” the union's "
                     "president told reporters on Monday.")
    assert s.label == "quote"
    s = suggest(nlp, "Critics described the decision as reckless, while supporters called it "
                     "necessary.")
    assert s.label != "opinion"


def test_speculation_and_scare_quotes_are_opinion(nlp):
    s = suggest(nlp, "The government appears ready to abandon its own plan.")
    assert s.label == "opinion" and "speculative" in s.reason
    s = suggest(nlp, "The company hired an “expert” to review its own accounts.")
    assert s.label == "opinion" and "scare quotes" in s.reason


def test_plain_fact(nlp):
    s = suggest(nlp, "The Senate voted 52 to 48 on Tuesday to confirm the new labour secretary.")
    assert s.label == "fact" and s.reason == "no evaluative language"
    assert 0.5 <= s.score <= 1.0


def test_quoted_name_is_not_a_scare_quote(nlp):
    s = suggest(nlp, "He was known by the name “Abu Mohammed” until his arrest in 2019.")
    assert s.label == "fact"


def test_samples_real_values(nlp):
    paths = sorted(bundled_samples())
    arts = [load_path(p) for p in paths]
    an0, an3 = list(analyze_many(arts, nlp))
    by_text0 = {s.text[:40]: s.suggestion for s in an0.sentences}
    by_text3 = {s.text[:40]: s.suggestion for s in an3.sentences}
    s = by_text3["China nonetheless continues to use ETIM "]
    assert s.label == "opinion" and "horrific" in s.reason
    s = by_text3["Speaking to reporters during a regular b"]
    assert s.label == "opinion" and "predatory" in s.reason
    s = by_text3["“China welcomes Syria to take part in th"]
    assert s.label == "quote"
    s = by_text0["Wang said China considers the Golan Heig"]
    assert s.label == "quote" and "Wang" in s.reason
    s = by_text0["But as Mr. Al-Shaibani’s meeting in Beij"]
    assert s.label == "opinion" and "appears" in s.reason
    s = by_text0["Earlier this month, President Ahmed al-S"]
    assert s.label == "fact"


@pytest.mark.slow
def test_opinion_dev_set_meets_target():
    spec = importlib.util.spec_from_file_location("score_opinion",
                                                  ROOT / "benchmarks" / "score_opinion.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    res = mod.score_opinion(ROOT / "benchmarks" / "devset" / "opinion.jsonl")
    splits = res["splits"]
    assert splits["all"]["n"] >= 200 and splits["written"]["n"] >= 150
    assert splits["all"]["macro_f1"] >= 0.60
    assert splits["heldout"]["macro_f1"] >= 0.60
