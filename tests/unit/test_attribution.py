"""Attributed claims without quote marks, on small hand-written texts with the real spaCy model."""
from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def nlp():
    from newsreader.core.analysis.pipeline import load_nlp
    return load_nlp()


def claims(nlp, text):
    doc = nlp(text)
    return doc._.nr_claims


def only(cs):
    assert len(cs) == 1, cs
    return cs[0]


def test_reported_speech_with_a_bare_clause(nlp):
    text = "Foreign Minister Wang Yi met his guest. Wang said China considers the Golan Heights to be Syrian territory."
    c = only(claims(nlp, text))
    assert c.source.name == "Wang Yi" and c.source.text == "Wang"
    assert c.cue == "said"
    assert c.content == "China considers the Golan Heights to be Syrian territory"
    assert c.sentence == 1
    assert text[c.cue_span[0]:c.cue_span[1]] == "said"


def test_told_someone_that(nlp):
    text = "Governor Elena Marsh told a press conference that the committee had been split."
    c = only(claims(nlp, text))
    assert c.source.name == "Elena Marsh"
    assert c.cue == "told a press conference"
    assert c.content == "the committee had been split"


def test_agency_reported_after_the_clause(nlp):
    text = ("On Monday, Damascus and Beijing emphasized the role of the forum as a basis for "
            "cooperation, SANA reported.")
    c = only(claims(nlp, text))
    assert c.source.text == "SANA"
    assert c.cue == "reported"
    assert c.content.startswith("On Monday, Damascus and Beijing emphasized")


@pytest.mark.parametrize("text, content_start", [
    ("According to the Environment Agency, the spills killed thousands of fish.", "the spills killed"),
    ("The spills killed thousands of fish, according to the Environment Agency.", "The spills killed"),
])
def test_according_to_at_either_end(nlp, text, content_start):
    c = only(claims(nlp, text))
    assert c.source.name == "Environment Agency"
    assert c.cue == "according to"
    assert c.content.startswith(content_start)
    assert "according" not in c.content.lower()


def test_according_to_a_statement_names_its_owner(nlp):
    text = ("The talks were constructive, according to a statement from the Chinese Foreign "
            "Ministry.")
    c = only(claims(nlp, text))
    assert c.source.name.endswith("Foreign Ministry")


@pytest.mark.parametrize("verb", ["claimed", "denied", "emphasized", "insisted", "warned", "announced"])
def test_claim_verbs_with_that(nlp, verb):
    text = f"The Met Office {verb} that more rain was expected on Thursday."
    c = only(claims(nlp, text))
    assert c.source.name == "Met Office"
    assert c.cue == verb
    assert c.content == "more rain was expected on Thursday"


def test_denied_a_report_that(nlp):
    text = ("A ministry official denied an AFP report citing anonymous sources that the "
            "government planned to hand over 400 fighters.")
    c = only(claims(nlp, text))
    assert c.source.text == "A ministry official"
    assert c.cue == "denied"
    assert "the government planned" in c.content


def test_accused_someone_of(nlp):
    text = "Union leader Mick Rowan accused the company of ignoring its drivers for six months."
    c = only(claims(nlp, text))
    assert c.source.name == "Mick Rowan"
    assert "ignoring its drivers" in c.content


def test_reportedly_has_no_named_source(nlp):
    text = "Wang reportedly lectured his guest about the movement."
    c = only(claims(nlp, text))
    assert c.source is None
    assert c.cue == "reportedly"


def test_pronoun_source_resolves_to_the_named_person(nlp):
    text = ("Energy minister Laura Finch spoke on Tuesday.\n\n"
            "She insisted that the government was doing all it could.")
    c = only(claims(nlp, text))
    assert c.source.text == "She"
    assert c.source.name == "Laura Finch"


def test_the_company_points_back_to_the_named_company(nlp):
    text = ("Shares in Norvantis rose after Norvantis reported profits. Analysts praised Norvantis.\n\n"
            "The company said revenue climbed to $8.4 billion.")
    c = only(claims(nlp, text))
    assert c.source.text == "The company"
    assert c.source.name == "Norvantis"


def test_no_claim_for_speech_inside_quotes_or_for_a_quote_cue(nlp):
    text = ("“During the talks, Wang said China respects the choices of the people,” the Global "
            "Times shared. “The two sides need to respect each other,” Mao said.")
    doc = nlp(text)
    assert doc._.nr_claims == []
    assert [q.speaker.name for q in doc._.nr_quotes] == ["Global Times", "Mao"]


def test_partial_quote_in_reported_speech_is_not_counted_twice(nlp):
    text = ("Judge Miriam Okafor told Hartley that his crimes had “devastated the retirement "
            "plans of hundreds of ordinary people.”")
    doc = nlp(text)
    assert len(doc._.nr_quotes) == 1
    assert doc._.nr_claims == []


def test_nested_report_belongs_to_the_outer_claim(nlp):
    text = "His barrister, Jonathan Sykes KC, said the defence would argue that Price attacked first."
    c = only(claims(nlp, text))
    assert c.source.name == "Jonathan Sykes"
    assert c.content.startswith("the defence would argue")


def test_plain_statement_has_no_claim(nlp):
    assert claims(nlp, "The bridge will close for two years from April. Engineers will replace the supports.") == []
