"""Property-based tests of the analysis offsets, on the real English pipeline.

For arbitrary input text (news-like words and punctuation mixed with quotes,
paragraph breaks, CJK, emoji, combining marks, controls and escapes), after
ingest and analysis: every sentence/entity/quote/claim/mention offset points
at exactly the text it claims; sentences are ordered, non-overlapping,
non-empty, never cross "\\n\\n" and carry their paragraph's number; every
visible character of the article is in some sentence (nothing is left out of
tagging). The same holds when the article is cut into chunks.

Normalisation has its own properties in tests/unit/test_text_properties.py,
and the CSV/JSONL round trip for arbitrary cell text is
tests/unit/test_export.py::test_round_trip_any_text.
"""
from __future__ import annotations

import pytest
from hardening_helpers import offset_problems
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from newsreader.core.commands.analyze import article_json
from newsreader.core.errors import InputError
from newsreader.core.ingest import load_text

WORDS = ["The", "council", "said", "Maria", "Lopez", "Reuters", "according", "to", "AFP",
         "Wang", "Yi", "told", "reporters", "Damascus", "Monday", "reckless", "plan",
         "she", "insisted", "officials", "denied", "it", "U.S.", "Dr.", "No.", "3.5", "1,200",
         "\u4e2d\u56fd", "\u5317\u4eac\u8bf4", "\U0001F642", "\U0001F469\u200d\U0001F467",
         "Caf\u00e9", "Zoe\u0308", "\u0627\u0644\u0648\u0632\u064a\u0631", "e.g.", "etc."]
PUNCT = [".", ",", "!", "?", ";", ":", " \u2014 ", "...", "\u2026", "\u201c", "\u201d", '"',
         "'", "\u2018", "\u2019", "(", ")", "[", "]", "-", "\n", "\n\n", "\r\n\r\n", "\n\n\n",
         " ", "  ", "\t", "\u00a0", "\x1b[31m", "\x1b]0;t\x07", "\x07", "\u200b", "\u202e"]

tokens = st.one_of(st.sampled_from(WORDS), st.sampled_from(PUNCT),
                   st.text(st.characters(blacklist_categories=("Cs",)), max_size=6))
texts = st.lists(tokens, min_size=1, max_size=120).map(
    lambda parts: "".join(p if p in PUNCT else p + " " for p in parts))


@pytest.fixture(scope="module")
def nlp():
    from newsreader.core.analysis import pipeline

    return pipeline.load_nlp(None)


def check(article, analysis) -> None:
    d = article_json(article, analysis)
    problems = offset_problems(d)
    assert problems == [], problems[:5]
    covered = [False] * len(article.text)
    for s in analysis.sentences:
        for i in range(s.start, s.end):
            covered[i] = True
    missed = [i for i, ch in enumerate(article.text) if not ch.isspace() and not covered[i]]
    assert not missed, f"characters in no sentence: {[article.text[i] for i in missed][:20]}"


def loaded(raw: str):
    try:
        return load_text(raw, location="<hypothesis>", fmt="text")
    except InputError:
        assume(False)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=texts)
def test_offsets_point_at_the_text_they_claim(nlp, raw):
    from newsreader.core.analysis import pipeline

    article = loaded(raw)
    check(article, pipeline.analyze(article, nlp))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parts=st.lists(texts, min_size=4, max_size=12))
def test_offsets_hold_across_chunks(nlp, parts):
    """Long articles are cut into chunks of whole paragraphs (1,000 characters here)."""
    from newsreader.core.analysis import pipeline

    raw = "\n\n".join(parts)
    raw = "\n\n".join([raw] * (2 + 2500 // max(1, len(raw))))   # several chunks long
    article = loaded(raw)
    assume(len(article.text) > 1000)
    [analysis] = pipeline.analyze_many([article], nlp, chunk_chars=1000)
    check(article, analysis)
