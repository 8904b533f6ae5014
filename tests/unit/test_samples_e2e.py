"""End to end on both bundled samples: ingest -> pipeline.analyze -> quotes, speakers, claims."""
from __future__ import annotations

from pathlib import Path

import pytest

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.fixture(scope="module")
def nlp():
    from newsreader.core.analysis.pipeline import load_nlp
    return load_nlp()


@pytest.fixture(scope="module")
def a000(nlp):
    from newsreader.core.analysis.pipeline import analyze
    from newsreader.core.ingest import load_path
    article = load_path(str(SEEDS / "000_99910efe81c56d20.txt"))
    return article, analyze(article, nlp)


@pytest.fixture(scope="module")
def a003(nlp):
    from newsreader.core.analysis.pipeline import analyze
    from newsreader.core.ingest import load_path
    article = load_path(str(SEEDS / "003_c3f2c6ece1b89d8e.txt"))
    return article, analyze(article, nlp)


def quote_starting(analysis, prefix):
    found = [q for q in analysis.quotes if q.text.startswith(prefix)]
    assert len(found) == 1, [q.text[:40] for q in analysis.quotes]
    return found[0]


def claim_in(article, analysis, sentence_words):
    found = [c for c in analysis.claims
             if sentence_words in article.text[analysis.sentences[c.sentence].start:
                                               analysis.sentences[c.sentence].end]]
    assert found, [(c.sentence, c.content[:40]) for c in analysis.claims]
    return found


def test_offsets_point_into_the_article_text(a000, a003):
    for article, analysis in (a000, a003):
        for q in analysis.quotes:
            assert article.text[q.start:q.end] == q.text
            assert q.text[0] in "“\"‘'"
            if q.speaker:
                assert article.text[q.speaker.start:q.speaker.end] == q.speaker.text
            if q.cue_span:
                assert q.cue.split()[0] in article.text[q.cue_span[0]:q.cue_span[1]]
            for i in q.sentences:
                s = analysis.sentences[i]
                assert s.start < q.end and q.start < s.end
        for c in analysis.claims:
            assert article.text[c.start:c.end] == c.content
            s = analysis.sentences[c.sentence]
            assert s.start <= c.start and c.end <= s.end
            if c.source:
                assert article.text[c.source.start:c.source.end] == c.source.text


# ------------------------------------------------------------------------------ 003
def test_003_global_times_quote_in_two_parts(a003):
    _, an = a003
    first = quote_starting(an, "“During the talks, Wang said China respects")
    second = quote_starting(an, "“He also raised the issue of the Eastern Turkistan")
    assert first.speaker.name == "Global Times" and first.cue == "shared"
    assert second.speaker.name == "Global Times"   # continues with no new attribution
    # "Wang said" inside the Global Times quote is not a claim of its own
    assert not [c for c in an.claims if first.start <= c.start < first.end]


def test_003_mao_ning_quotes_including_she_insisted(a003):
    _, an = a003
    welcomes = quote_starting(an, "“China welcomes Syria to take part")
    ready = quote_starting(an, "“China stands ready to work")
    choice = quote_starting(an, "“choice made by the Syrian people”")
    insisted = quote_starting(an, "“The two sides need to respect each other’s core interests")
    for q in (welcomes, ready, choice, insisted):
        assert q.speaker.name == "Mao Ning", q.text[:30]
    assert welcomes.cue == "said" and welcomes.speaker.text == "Mao"
    assert insisted.speaker.text == "she" and insisted.cue == "insisted"
    assert len({q.speaker.cluster for q in (welcomes, ready, choice, insisted)}) == 1


def test_003_four_sentence_trump_quote_with_speaker_after(a003):
    article, an = a003
    q = quote_starting(an, "“He’s a very strong leader.")
    assert q.text.endswith("I like him,”")
    assert len(q.sentences) == 4
    assert q.speaker.name == "Donald Trump" and q.speaker.text == "Trump"
    assert q.cue == "told reporters"
    follow = quote_starting(an, "“I get along with the president")
    assert follow.speaker.name == "Donald Trump"


def test_003_liked_fragment_is_not_given_a_wrong_speaker(a003):
    article, an = a003
    assert not [q for q in an.quotes if q.text in ("“liked”", "“tough guy.”")]
    [c] = claim_in(article, an, "Trump told reporters following the meeting")
    assert c.source.name == "Donald Trump"
    assert c.cue == "told reporters"
    assert c.content.startswith("it went positively")


def test_003_scare_quotes_and_names_are_not_quotations(a003):
    _, an = a003
    texts = {q.text for q in an.quotes}
    for term in ("“expert”", "“Abu Mohammed al-Jolani”", "“East Turkistan Islamic Movement,”",
                 "“global initiatives.”", "“constructive”", "“tough guy.”"):
        assert term not in texts


def test_003_partial_quotes_with_their_speakers(a003):
    _, an = a003
    expert = quote_starting(an, "“if ETIM is allowed to maintain")
    assert "expert" in expert.speaker.name and expert.cue == "claimed"
    prospects = quote_starting(an, "“broad prospects for supporting")
    assert prospects.speaker.name == "Asaad Hassan al-Shaibani"


def test_003_according_to_sana_claims(a003):
    article, an = a003
    for words in ("According to the state-run Syrian Arab News Agency",
                  "Shaibani also echoed other problematic"):
        cs = [c for c in claim_in(article, an, words) if c.cue == "according to"]
        assert len(cs) == 1
        assert cs[0].source.name in ("SANA", "Syrian Arab News Agency")
    sana = [c for c in an.claims if c.cue == "according to"]
    assert len({c.source.cluster for c in sana}) == 1  # "SANA" and its full name are one source
    [sharaa] = claim_in(article, an, "Sharaa made clear in his White House visit")
    assert sharaa.source.name == "Ahmed al-Sharaa" and sharaa.cue == "made clear"


# ------------------------------------------------------------------------------ 000
def test_000_the_official_said(a000):
    _, an = a000
    q = quote_starting(an, "“Reports regarding the Syrian government’s intention")
    assert q.speaker.text == "the official"
    assert q.cue == "said"
    assert "official" in q.speaker.name


def test_000_sana_reported_and_according_to_sana(a000):
    article, an = a000
    [rep] = claim_in(article, an, "SANA reported")
    assert rep.source.text == "SANA" and rep.cue == "reported"
    assert rep.content.startswith("On Monday, Damascus and China emphasized")
    [acc] = claim_in(article, an, "according to Syrian state news agency SANA")
    assert acc.source.name == "SANA" and acc.cue == "according to"


def test_000_wang_said_claim_has_wang_yis_cluster(a000):
    article, an = a000
    [c] = claim_in(article, an, "Wang said China considers")
    assert c.source.text == "Wang" and c.cue == "said"
    assert c.content == "China considers the Golan Heights to be Syrian territory"
    wang_yi = [e for e in an.entities if e.text == "Wang Yi"]
    assert wang_yi and c.source.cluster == wang_yi[0].cluster
    assert c.source.name == "Wang Yi"


def test_000_quotes_and_scare_quotes(a000):
    _, an = a000
    texts = {q.text for q in an.quotes}
    for term in ("“counter-terrorism”", "“terrorism”", "“effective measures”", "“in batches.”",
                 "“one China”"):
        assert term not in texts
    ministry = quote_starting(an, "“thereby removing security obstacles")
    assert ministry.speaker.name.endswith("Foreign Ministry") and ministry.cue == "according to"
    sharaa = quote_starting(an, "“restore and redefine relations”")
    assert sharaa.speaker.name == "Ahmed al-Sharaa"
    [denied] = claim_in(_, an, "official denied an AFP report")
    assert denied.cue == "denied" and "official" in denied.source.name
