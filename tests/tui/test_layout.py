"""Word wrapping and line layout (pure functions; properties checked with hypothesis)."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from newsreader.core.models import Article, Sentence, Suggestion
from newsreader.tui.layout import BLANK, BODY, TITLE, build_layout, char_at_cell, display_text, wrap

WORDS = st.sampled_from(["the", "minister", "said", "北京", "中华人民共和国外交部", "🙂", "naïve",
                         "Al-Shaibani", "x" * 30, "“quoted”", "a", "supercalifragilistic"])


def paragraphs():
    sentence = st.lists(WORDS, min_size=1, max_size=12).map(lambda ws: " ".join(ws) + ".")
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
