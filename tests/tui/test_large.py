"""A 100,000-word document opens, scrolls and tags with work bounded by the screen.

The document is the second sample repeated; its analysis is the sample's real
analysis shifted to each copy (sentences never cross paragraphs, so this is the
analysis of the whole text), put in the cache as the worker would.
Nothing here measures wall-clock time: the tests count the work done per key.
"""
from __future__ import annotations

import dataclasses

import pytest
from tui_helpers import doc, labels_in_store, screen_text, settle

from newsreader.core import paths as paths_mod
from newsreader.core.cache import AnalysisCache
from newsreader.core.ingest import load_path
from newsreader.core.models import Analysis, Cluster, Mention
from newsreader.tui import layout as layout_mod


def _shift_mention(m: Mention | None, off: int, cid: int) -> Mention | None:
    if m is None:
        return None
    return dataclasses.replace(m, start=m.start + off, end=m.end + off,
                               cluster=None if m.cluster is None else m.cluster + cid)


def repeat_analysis(a: Analysis, text_len: int, copies: int, article_id: str) -> Analysis:
    sentences, entities, clusters, quotes, claims = [], [], [], [], []
    n_s = len(a.sentences)
    n_c = max((c.id for c in a.clusters), default=-1) + 1
    for k in range(copies):
        off, si, cid = k * (text_len + 2), k * n_s, k * n_c
        sentences += [dataclasses.replace(s, index=s.index + si, start=s.start + off, end=s.end + off)
                      for s in a.sentences]
        entities += [dataclasses.replace(e, start=e.start + off, end=e.end + off,
                                         cluster=None if e.cluster is None else e.cluster + cid)
                     for e in a.entities]
        clusters += [Cluster(c.id + cid, c.name, c.label,
                             tuple((s + off, e + off) for s, e in c.mentions)) for c in a.clusters]
        quotes += [dataclasses.replace(q, start=q.start + off, end=q.end + off,
                                       sentences=tuple(i + si for i in q.sentences),
                                       speaker=_shift_mention(q.speaker, off, cid),
                                       cue_span=None if q.cue_span is None else
                                       (q.cue_span[0] + off, q.cue_span[1] + off)) for q in a.quotes]
        claims += [dataclasses.replace(c, sentence=c.sentence + si, start=c.start + off,
                                       end=c.end + off, source=_shift_mention(c.source, off, cid),
                                       cue_span=None if c.cue_span is None else
                                       (c.cue_span[0] + off, c.cue_span[1] + off)) for c in a.claims]
    return dataclasses.replace(a, article_id=article_id, sentences=tuple(sentences),
                               entities=tuple(entities), clusters=tuple(clusters),
                               quotes=tuple(quotes), claims=tuple(claims))


@pytest.fixture
def big_article(tmp_path, data_dir, sample_articles, sample_analyses):
    sample = sample_articles[1]
    copies = -(-100_000 // len(sample.text.split()))
    path = tmp_path / "big.md"
    title = "# A very long document\n\n"
    path.write_text(title + "\n\n".join([sample.text] * copies), encoding="utf-8")
    article = load_path(str(path))
    assert len(article.text.split()) >= 100_000
    assert article.text == "\n\n".join([sample.text] * copies)
    analysis = repeat_analysis(sample_analyses[sample.id], len(sample.text), copies, article.id)
    for s in analysis.sentences[:: max(1, len(analysis.sentences) // 50)]:
        assert article.text[s.start:s.end] == s.text
    AnalysisCache(paths_mod.resolve(str(data_dir)).analysis_cache).put(analysis)
    return path, article, analysis


async def test_a_100k_word_document_opens_scrolls_and_tags_with_bounded_work(
        make_app, big_article, db_path, monkeypatch):
    path, article, analysis = big_article
    layouts = []
    real_build = layout_mod.build_layout

    def counting_build(*args, **kwargs):
        layouts.append(args[2])
        return real_build(*args, **kwargs)

    from newsreader.tui.widgets import document
    monkeypatch.setattr(document, "build_layout", counting_build)
    # one-cell-wide text is wrapped a line at a time; the word-by-word wrap (half a
    # second per layout of these 100,000 words) is only for wide or unusual characters
    assert layout_mod._SLOW_CHAR.search(article.text.replace("\n", " ")) is None
    word_by_word = []
    real_reference = layout_mod.wrap_reference

    def counting_reference(text, start, end, width):
        word_by_word.append((start, end))
        return real_reference(text, start, end, width)

    monkeypatch.setattr(layout_mod, "wrap_reference", counting_reference)
    app = make_app(str(path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        view = doc(app)
        assert view.ready and len(view.sentences) == len(analysis.sentences)
        assert "A very long document" in screen_text(app)
        built = len(layouts)
        height = view.scrollable_content_region.height
        keys = ["j", "f", "q", "G", "k", "o", "pagedown", "pageup", "n", "u", "ctrl+r", "g", "enter"]
        for key in keys:
            misses = view._lines.misses
            await pilot.press(key)
            await pilot.pause()
            drawn = view._lines.misses - misses
            # lines actually rendered for this key: at most a screenful (plus the one
            # the compositor may ask for twice), never proportional to the document
            assert drawn <= 2 * height, (key, drawn)
        assert built >= 1 and len(layouts) == built, "a keystroke must never re-wrap the document"
        assert word_by_word == [], "plain text must never take the word-by-word wrap"
        last = len(view.sentences) - 1
        accepted = view.sentences[0].suggestion.label
        assert labels_in_store(db_path, article.id) == {
            0: accepted, 1: "fact", 2: "quote", last - 1: "opinion"}


async def test_resizing_the_100k_word_document_keeps_the_cursor_in_view(
        make_app, big_article, monkeypatch):
    path, article, analysis = big_article
    widths = []
    real_build = layout_mod.build_layout

    def counting_build(*args, **kwargs):
        widths.append(args[2])
        return real_build(*args, **kwargs)

    from newsreader.tui.widgets import document
    monkeypatch.setattr(document, "build_layout", counting_build)
    app = make_app(str(path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        view = doc(app)
        middle = len(view.sentences) // 2
        view.move_to(middle)
        await pilot.pause()
        for size in ((70, 30), (160, 45), (40, 20), (120, 40)):
            built = len(widths)
            await pilot.resize_terminal(*size)
            await settle(pilot)
            lay = view.text_layout
            assert view.cursor == middle
            first, last = lay.sentence_lines(middle)
            top = int(view.scroll_y)
            height = view.scrollable_content_region.height
            # the cursor's sentence is on screen at the new width
            assert top <= first and min(last, first + height - 1) < top + height, (size, top, first)
            assert lay.starts[first] == view.sentences[middle].start
            assert len(lay) == len(real_build(article, view.sentences, lay.width, view._text))
            assert len(widths) - built <= 2, "one layout per new width (two when the panel toggles)"
        await pilot.press("j")
        await pilot.pause()
        assert view.cursor == middle + 1
