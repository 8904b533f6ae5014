"""Property-based tests: normalisation holds its promises for arbitrary input."""
import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from newsreader.core.errors import InputError
from newsreader.core.ingest import load_text
from newsreader.core.text import normalise

# Bias the alphabet towards the characters that cause trouble.
nasty = st.sampled_from(list("\x1b\x07\x00\x9b\x9c\x9d\r\n\t \u00a0\u200b\u202e\u2028[]/@=\"“”’'")
                        + ["\x1b[31m", "\x1b]0;t\x07", "\x1bP1$q\x1b\\", "[bold]", "\r\n\r\n", "\n\n"])
texts = st.lists(st.one_of(st.text(max_size=20), nasty), max_size=40).map("".join)

FORBIDDEN = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b\ufeff]")


@settings(max_examples=300, deadline=None)
@given(texts)
def test_normalise_output_is_safe_and_canonical(raw):
    out = normalise(raw)
    assert not FORBIDDEN.search(out)
    assert "\n\n\n" not in out
    assert out == out.strip()
    assert all(p and p == p.strip() and "\n" not in p for p in out.split("\n\n")) or out == ""
    assert unicodedata.is_normalized("NFC", out)


@settings(max_examples=300, deadline=None)
@given(texts)
def test_normalise_is_idempotent(raw):
    once = normalise(raw)
    assert normalise(once) == once


@settings(max_examples=200, deadline=None)
@given(texts)
def test_load_text_only_fails_with_input_error(raw):
    try:
        a = load_text(raw, fmt="text")
    except InputError:
        return
    assert a.text and not FORBIDDEN.search(a.text)
    assert a.title is None or not FORBIDDEN.search(a.title)
