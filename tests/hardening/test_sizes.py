"""Awkward sizes and shapes: ``newsreader analyze`` completes and every offset is valid.

No sentence punctuation and a single 200,000-character line run with the real
English pipeline. 1.5 million characters and 50,000 tiny paragraphs cost the
real pipeline about three minutes each on two cores, so by default they run
through the same command with a tokenizer-plus-sentencizer pipeline saved to
disk (every newsreader component still runs, over every chunk); set
NEWSREADER_HARDENING_LONG=1 to run them with the real pipeline too
(benchmarks/fuzz.py --sizes does the same outside pytest).
"""
from __future__ import annotations

import os
import random

import pytest
from hardening_helpers import analyze_json, base_env, offset_problems

LONG = os.environ.get("NEWSREADER_HARDENING_LONG") == "1"

WORDS = ("the council mayor said bridge would reopen on monday critics disagreed water plant "
         "minister according to reuters officials Maria Lopez Wang Yi told reporters").split()


def no_punctuation(seed: int = 0) -> str:
    r = random.Random(seed)
    one = " ".join(r.choice(WORDS) for _ in range(2500))
    paras = "\n\n".join(" ".join(r.choice(WORDS) for _ in range(60)) for _ in range(20))
    return one + "\n\n" + paras + "\n"


def single_line(n: int = 200_000, seed: int = 1) -> str:
    r = random.Random(seed)
    parts = []
    size = 0
    pieces = WORDS + ["\u201cWe will wait,\u201d", "said.", "Lopez", "(AFP)", "\u2014"]
    while size < n:
        w = r.choice(pieces)
        parts.append(w)
        size += len(w) + 1
    return " ".join(parts)[: n - 1] + "x"


def news_paragraphs(total: int, seed: int = 2) -> str:
    r = random.Random(seed)
    templates = [
        "\u201cWe will not wait for the ministry,\u201d said Maria Lopez, the mayor of Tyre.",
        "The council voted 7-2 on Monday to reopen the bridge, according to Reuters.",
        "Wang Yi told reporters that the talks had been \u201cfrank and useful\u201d.",
        "Critics called the plan reckless and a waste of public money.",
        "Officials said the water plant would be repaired by March.",
    ]
    out = []
    size = 0
    while size < total:
        p = " ".join(r.choice(templates) for _ in range(r.randint(2, 8)))
        out.append(p)
        size += len(p) + 2
    return "\n\n".join(out) + "\n"


def tiny_paragraphs(n: int = 50_000) -> str:
    forms = ["Para {i} ok.", "\u201cYes,\u201d she said.", "No {i}", "AFP.", "{i}"]
    return "\n\n".join(forms[i % len(forms)].format(i=i) for i in range(n)) + "\n"


@pytest.fixture(scope="module")
def sentencizer_model(tmp_path_factory):
    """A saved pipeline: spaCy's English tokenizer and rule sentencizer, no statistics."""
    import spacy

    path = tmp_path_factory.mktemp("models") / "sentencizer_en"
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.to_disk(path)
    return path


def run(tmp_path, data_dir, name: str, text: str, model=None) -> dict:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    env = base_env(data_dir, **({"NEWSREADER_MODEL": str(model)} if model else {}))
    [art] = analyze_json([path], data_dir, env=env, timeout=900)
    assert offset_problems(art) == []
    return art


def test_no_sentence_punctuation(tmp_path, data_dir):
    art = run(tmp_path, data_dir, "nopunct.txt", no_punctuation())
    assert art["text"].count("\n\n") == 20
    assert art["sentences"]
    paragraphs = {s["paragraph"] for s in art["sentences"]}
    assert paragraphs == set(range(21))     # every paragraph has at least one sentence
    covered = sum(len(s["text"]) for s in art["sentences"])
    assert covered >= len(art["text"].replace("\n\n", "")) - 21 * 2


@pytest.mark.slow
def test_a_single_200000_character_line(tmp_path, data_dir):
    text = single_line()
    assert len(text) == 200_000 and "\n" not in text
    art = run(tmp_path, data_dir, "oneline.txt", text)
    assert art["text"] == text
    assert {s["paragraph"] for s in art["sentences"]} == {0}
    assert art["sentences"][-1]["end"] == len(text)


def _check_big(art: dict, n_chars: int) -> None:
    assert len(art["text"]) >= n_chars
    last = art["sentences"][-1]
    assert last["end"] == len(art["text"])
    assert last["paragraph"] == art["text"].count("\n\n")


def _check_tiny(art: dict) -> None:
    assert art["text"].count("\n\n") == 49_999
    paragraphs = [s["paragraph"] for s in art["sentences"]]
    assert set(paragraphs) == set(range(50_000))
    assert paragraphs == sorted(paragraphs)


@pytest.mark.slow
def test_one_and_a_half_million_characters(tmp_path, data_dir, sentencizer_model):
    art = run(tmp_path, data_dir, "big.txt", news_paragraphs(1_500_000), sentencizer_model)
    _check_big(art, 1_500_000)
    assert len(art["sentences"]) > 15_000


@pytest.mark.slow
def test_fifty_thousand_tiny_paragraphs(tmp_path, data_dir, sentencizer_model):
    art = run(tmp_path, data_dir, "tiny.txt", tiny_paragraphs(), sentencizer_model)
    _check_tiny(art)


@pytest.mark.slow
@pytest.mark.timeout(1200)
@pytest.mark.skipif(not LONG, reason="about 3 minutes each on 2 cores with the real "
                    "pipeline; set NEWSREADER_HARDENING_LONG=1")
@pytest.mark.parametrize("shape", ["1.5M-characters", "50000-tiny-paragraphs"])
def test_big_shapes_with_the_real_pipeline(shape, tmp_path, data_dir):
    if shape == "1.5M-characters":
        art = run(tmp_path, data_dir, "big.txt", news_paragraphs(1_500_000))
        _check_big(art, 1_500_000)
        assert art["quotes"] and art["claims"] and art["entities"]
    else:
        _check_tiny(run(tmp_path, data_dir, "tiny.txt", tiny_paragraphs()))
