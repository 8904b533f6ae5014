"""Word wrapping and line layout (pure functions; properties checked with hypothesis)."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from newsreader.core.models import Article, Sentence, Suggestion
from newsreader.tui.layout import BLANK, BODY, TITLE, build_layout, char_at_cell, display_text, wrap

WORDS = st.sampled_from(["the", "minister", "said", "北京", "中华人民共和国外交部", "🙂", "naïve",
                         "Al-Shaibani", "x" * 30, "“quoted”", "a", "supercalifragilistic"])


def paragraphs(words=WORDS):
    sentence = st.lists(words, min_size=1, max_size=12).map(lambda ws: " ".join(ws) + ".")
    para = st.lists(sentence, min_size=1, max_size=4)
    return st.lists(para, min_size=1, max_size=5)


def _article(paras: list[list[str]]) -> tuple[Article, list[Sentence]]:
    text = "\n\n".join(" ".join(p) for p in paras)
    sentences = []
    pos = 0
    for pi, p in enumerate(paras):
        for s in p:
            start = text.index(s, pos)
            sentences.append(Sentence(len(sentences), start, start + len(s), s, pi,
                                      Suggestion("fact", 0.5, "test")))
            pos = start + len(s)
    return Article(id="x", text=text, title="A title"), sentences


@settings(max_examples=150, deadline=None)
@given(paras=paragraphs(), width=st.integers(min_value=8, max_value=90),
       with_sentences=st.booleans())
def test_lines_fit_the_width_and_lose_no_text(paras, width, with_sentences):
    article, sentences = _article(paras)
    lay = build_layout(article, sentences if with_sentences else None, width)
    body = [(lay.starts[i], lay.ends[i]) for i in range(lay.body_start, len(lay))
            if lay.kinds[i] == BODY]
    for s, e in body:
        assert cell_len(article.text[s:e].rstrip()) <= width
    # every word appears, in order, exactly as often as in the text
    drawn = " ".join(article.text[s:e] for s, e in body).split()
    assert "".join(drawn) == "".join(article.text.split())
    # offsets only move forward
    starts = lay.starts[lay.body_start:]
    assert starts == sorted(starts)
    if with_sentences:
        for pos, sentence in enumerate(sentences):
            first, last = lay.sentence_lines(pos)
            assert lay.starts[first] == sentence.start
            assert lay.ends[last] == sentence.end
            assert all(lay.sents[i] == pos for i in range(first, last + 1))
        # paragraphs are separated by exactly one blank line
        blanks = sum(1 for i in range(lay.body_start, len(lay)) if lay.kinds[i] == BLANK)
        assert blanks == len(paras) - 1


def test_wide_characters_take_two_cells():
    text = "中华人民共和国外交部发言人说"
    lines = wrap(text, 0, len(text), 10)
    assert [cell_len(text[s:e]) for s, e in lines] == [10, 10, 8]
    assert char_at_cell(text, 0) == 0 and char_at_cell(text, 3) == 1 and char_at_cell(text, 9) == 4


def test_header_and_control_characters():
    article = Article(id="x", text="Body\ttext \x1b[31mred", title="Title", source="Outlet",
                      date="2025-01-02")
    lay = build_layout(article, None, 40)
    assert lay.kinds[0] == TITLE and lay.header[0] == "Title"
    assert lay.header[1] == "Outlet · 2025-01-02"
    shown = display_text(article.text)
    assert len(shown) == len(article.text)
    assert "\x1b" not in shown and "\t" not in shown


def test_a_word_longer_than_the_line_is_split():
    text = "a " + "x" * 25 + " b"
    lines = wrap(text, 0, len(text), 10)
    assert all(cell_len(text[s:e].rstrip()) <= 10 for s, e in lines)
    assert "".join(text[s:e] for s, e in lines) == text


# -- the line-at-a-time wrap must give exactly the word-by-word reference's lines ----------

# one cell wide, the plain space the only whitespace: the fast path's alphabet
NARROW = list("abcdefghijklmnopqrstuvwxyzABCXYZ0123456789.,;:!?'\"()[]-/") + [
    "é", "ß", "ñ", "ø", "Ω", "Ж", "’", "“", "”", "–", "—", "…", "€", "·"]
# what sends a unit to the reference: wide CJK, emoji (with ZWJ and variation
# selectors), combining marks, other whitespace, control characters a test may pass
OTHER = ["中", "华", "。", "🙂", "👩\u200d🔬", "❤\ufe0f", "\u0301", "e\u0301", "\u00a0", "\u3000",
         "\u2009", "\t", "\x01", "\u200b", "\ufffd", "ﾊ", "Ａ"]


def _units(alphabet):
    chars = st.sampled_from(alphabet)
    word = st.lists(chars, min_size=1, max_size=14).map("".join)
    runs = st.one_of(word, st.sampled_from([" ", " ", " ", "  ", "    "]))
    return st.lists(runs, max_size=40).map("".join)


@settings(max_examples=400, deadline=None)
@given(text=_units(NARROW), width=st.integers(min_value=1, max_value=40), data=st.data())
def test_the_narrow_wrap_gives_the_reference_lines(text, width, data):
    from newsreader.tui.layout import _SLOW_CHAR, _wrap_narrow, wrap_reference

    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    assert _SLOW_CHAR.search(text, start, end) is None   # wrap() takes the fast path
    assert _wrap_narrow(text, start, end, width) == wrap_reference(text, start, end, width)
    assert wrap(text, start, end, width) == wrap_reference(text, start, end, width)


@settings(max_examples=400, deadline=None)
@given(text=_units(NARROW + OTHER), width=st.integers(min_value=1, max_value=40), data=st.data())
def test_wrap_gives_the_reference_lines_on_any_text(text, width, data):
    from newsreader.tui.layout import wrap_reference

    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    assert wrap(text, start, end, width) == wrap_reference(text, start, end, width)


def test_narrow_wrap_equals_the_reference_on_every_short_text():
    """Exhaustive over a small alphabet: every arrangement of spaces, letters and a
    hyphen up to 8 characters, at every width up to 9, from offset 0 and inside a text."""
    from itertools import product

    from newsreader.tui.layout import _wrap_narrow, wrap_reference

    for n in range(9):
        for chars in product("a -", repeat=n):
            text = "".join(chars)
            padded = "b " + text + " b"
            for width in range(1, 10):
                assert _wrap_narrow(text, 0, n, width) == wrap_reference(text, 0, n, width), (text, width)
                assert _wrap_narrow(padded, 2, 2 + n, width) == wrap_reference(padded, 2, 2 + n, width), \
                    (text, width)


def test_narrow_wrap_edge_cases():
    from newsreader.tui.layout import _wrap_narrow, wrap_reference

    cases = ["", " ", "     ", "   lead", "trail   ", "abcde fg", "abcde  fg", "abcdefghij",
             "a bcdefghij", "ab      cd", "abcdefgh ij", "x" * 23 + " y", "a b c d e f g h i j",
             "word, word. word! w", "   " + "z" * 12 + "   q   "]
    for text in cases:
        for width in range(1, 14):
            assert _wrap_narrow(text, 0, len(text), width) == wrap_reference(text, 0, len(text), width), \
                (text, width)
            # with absolute offsets inside a longer text too
            padded = "@@ " + text + " @@"
            assert _wrap_narrow(padded, 3, 3 + len(text), width) == \
                wrap_reference(padded, 3, 3 + len(text), width), (text, width)


def _reference_layout(article, sentences, width):
    """build_layout with every unit sent through the word-by-word reference wrap."""
    import re

    from newsreader.tui import layout as layout_mod

    fast = layout_mod._SLOW_CHAR
    layout_mod._SLOW_CHAR = re.compile("")   # matches everywhere: the fast path is never taken
    try:
        return build_layout(article, sentences, width)
    finally:
        layout_mod._SLOW_CHAR = fast


MIXED_WORDS = st.sampled_from(["the", "minister", "said", "北京", "🙂", "naïve", "x" * 30, "“quoted”",
                               "a", "—", "e\u0301t\u0301e", "Al-Shaibani", "supercalifragilistic"])


@settings(max_examples=150, deadline=None)
@given(paras=paragraphs(MIXED_WORDS), width=st.integers(min_value=8, max_value=90),
       with_sentences=st.booleans())
def test_layout_equals_the_reference_layout(paras, width, with_sentences):
    article, sentences = _article(paras)
    sentences = sentences if with_sentences else None
    assert build_layout(article, sentences, width) == _reference_layout(article, sentences, width)


def test_display_text_replaces_exactly_the_control_characters():
    from newsreader.tui.layout import CONTROL_TABLE

    plain = "Plain text, “quotes” — and 中文 🙂.\nSecond line."
    assert display_text(plain) is plain   # nothing to replace: no copy
    every = "".join(map(chr, range(0, 0x2100)))
    assert display_text(every) == every.translate(CONTROL_TABLE)
    for c in range(0, 0xA0):
        ch = chr(c)
        assert display_text("a" + ch + "b") == ("a" + ch + "b").translate(CONTROL_TABLE)
