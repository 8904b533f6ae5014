"""The normaliser skips substitutions that would change nothing; the result must be
exactly what the plain substitutions give (text.py's regexes applied unconditionally)."""
from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from newsreader.core import text as T

PIECES = ["word", "Word.", "“quoted”", "naïve", "中文", "🙂", " ", " ", "  ", "   ", "\t", "\u00a0",
          "\u2009", "\u3000", "\u202f", "\n", "\n\n", "\n \n", "\r", "\r\n", "\u2028", "\u2029", "\x85",
          "\x1b[31m", "\x1b]0;title\x07", "\x1b", "\x9b1m", "\x90dcs\x9c", "\x01", "\x7f", "\x9f",
          "\u200b", "\u202e", "\ufeff", "\u00ad", "e\u0301", "[bold]"]
TEXTS = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)


def plain_strip_controls(text: str) -> str:
    return T._REMOVE.sub("", T._ESCAPES.sub("", text))


def plain_clean(text: str) -> str:
    return unicodedata.normalize("NFC", plain_strip_controls(T._NEWLINES.sub("\n", text)))


def plain_split_paragraphs(text: str) -> list[str]:
    text = text.strip("\n ")
    if not text:
        return []
    if T._BLANK_LINES.search(text):
        blocks = T._BLANK_LINES.split(text)
        paras = [" ".join(line.strip() for line in b.split("\n") if line.strip()) for b in blocks]
    else:
        paras = text.split("\n")
    return [p for p in (T._SPACES.sub(" ", p).strip() for p in paras) if p]


def plain_normalise_paragraphs(paragraphs: list[str]) -> str:
    out = [T._SPACES.sub(" ", plain_clean(p).replace("\n", " ")).strip() for p in paragraphs]
    return "\n\n".join(p for p in out if p)


@settings(max_examples=500, deadline=None)
@given(text=TEXTS)
def test_fast_paths_give_the_plain_substitutions(text):
    assert T.unify_newlines(text) == T._NEWLINES.sub("\n", text)
    assert T.strip_controls(text) == plain_strip_controls(text)
    assert T.clean(text) == plain_clean(text)
    assert T._single_spaces(text) == T._SPACES.sub(" ", text)
    cleaned = T.clean(text)
    assert T.split_paragraphs(cleaned) == plain_split_paragraphs(cleaned)
    assert T.normalise(text) == "\n\n".join(plain_split_paragraphs(plain_clean(text)))


@settings(max_examples=200, deadline=None)
@given(paragraphs=st.lists(TEXTS, max_size=6))
def test_normalise_paragraphs_fast_path(paragraphs):
    assert T.normalise_paragraphs(paragraphs) == plain_normalise_paragraphs(paragraphs)


def test_clean_text_is_returned_as_is():
    text = "A clean paragraph with “quotes”, naïve words and 中文.\n\nAnother one."
    assert T.strip_controls(text) is text
    assert T.unify_newlines(text) is text
    assert T._single_spaces(text) is text
