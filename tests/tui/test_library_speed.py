"""The library stays quick with many articles: these tests count work, never time.

* the store is read when the library is first shown, not at start-up under the reader;
* a return to the library reads nothing when nothing changed, only the rows whose
  labels changed here, and everything when another connection wrote;
* the filter narrows earlier matches and Backspace reuses them;
* the list draws only rows that changed, with no layout per keystroke;
* the store's covering index is made for stores of any earlier version.
"""
from __future__ import annotations

import os
import sqlite3
import sys

import pytest
from tui_helpers import doc, screen_text, settle

from newsreader.core import migrations
from newsreader.core.ingest import article_id
from newsreader.core.models import Article, Sentence
from newsreader.core.store import Store
from newsreader.tui.screens.library import LibraryList, LibraryScreen
from newsreader.tui.screens.reader import ReaderScreen

pytestmark = pytest.mark.usefixtures("warm_cache")

TOPICS = ["harbour", "election", "stadium", "drought", "railway", "budget"]


def generated(n: int, source: str = "Aardvark Wire") -> list[Article]:
    out = []
    for i in range(n):
        topic = TOPICS[i % len(TOPICS)]
        body = (f"Officials discussed the {topic} plan number {i} on Monday. "
                f"Residents said the {topic} debate would continue.")
        out.append(Article(id=article_id(body), text=body, title=f"The {topic} story {i:03d}",
                           date=f"2024-01-{1 + i % 28:02d}", source=source,
                           location=f"/corpus/{i:03d}.txt"))
    return out


def fill(db_path, articles: list[Article]) -> None:
    with Store.open(db_path) as store:
        for article in articles:
            store.add_article(article, n_sentences=2)


class StoreReads:
    """Counts the library screen's Store.list_articles calls (all articles, or some
    ids); the app's stories worker lists the articles too, on its own."""

    def __init__(self, monkeypatch):
        self.calls: list[list[str] | None] = []
        original = Store.list_articles

        def spy(store, annotator=None, ids=None):
            if sys._getframe(1).f_code.co_filename.endswith(os.path.join("screens", "library.py")):
                self.calls.append(None if ids is None else list(ids))
            return original(store, annotator, ids)

        monkeypatch.setattr(Store, "list_articles", spy)

    @property
    def full(self) -> int:
        return sum(1 for c in self.calls if c is None)


def library(app) -> LibraryScreen:
    screen = app.screen_stack[0]
    assert isinstance(screen, LibraryScreen)
    return screen


def row_text(app, aid: str) -> str:
    lst = app.screen.query_one(LibraryList)
    index = lst.index_of(aid)
    assert index is not None
    return "".join(seg.text for seg in lst.render_line(index - int(lst.scroll_y)))


# --------------------------------------------------------------------------- reading the store


async def test_the_library_is_read_when_first_shown_not_under_the_reader(make_app, db_path,
                                                                         monkeypatch):
    fill(db_path, generated(40))
    reads = StoreReads(monkeypatch)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)
        # not even built under the reader: no library screen, no store read
        assert reads.calls == []
        assert not [s for s in app.screen_stack if isinstance(s, LibraryScreen)]
        await pilot.press("escape")
        assert app.screen is library(app)
        assert reads.full == 1
        assert app.screen.query_one(LibraryList).article_count == 42   # and the two samples


async def test_returning_unchanged_reads_nothing_and_keeps_the_rows(make_app, db_path,
                                                                    monkeypatch, sample_articles):
    fill(db_path, generated(40))
    reads = StoreReads(monkeypatch)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("escape")
        screen = app.screen
        rows = dict(screen._rows)
        assert reads.full == 1
        for _ in range(3):
            await pilot.press("escape")          # back to the reader (nothing tagged)
            await settle(pilot)
            assert isinstance(app.screen, ReaderScreen)
            await pilot.press("escape")
            assert app.screen is screen
        assert reads.calls == [None]             # one read, when first shown
        assert screen.store_reads == 1
        assert all(screen._rows[aid] is row for aid, row in rows.items())
        assert screen.highlighted_id() == sample_articles[0].id


async def test_a_tag_in_the_reader_updates_that_row_only(make_app, db_path, monkeypatch,
                                                        sample_articles):
    fill(db_path, generated(40))
    reads = StoreReads(monkeypatch)
    app = make_app()
    aid = sample_articles[0].id
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        n = len(doc(app).sentences)
        await pilot.press("escape")
        screen = app.screen
        assert f"0/{n}" in row_text(app, aid)
        await pilot.press("enter")               # the sample read last is highlighted
        await settle(pilot)
        assert doc(app).article.id == aid
        await pilot.press("f", "f")              # two sentences tagged fact
        await pilot.press("escape")
        assert app.screen is screen
        assert screen.store_reads == 1
        assert reads.calls == [None, [aid]]      # only that article read again
        assert screen._rows[aid].summary.n_tagged == 2
        assert f"2/{n}" in row_text(app, aid)
        assert f"2/{n}" in screen_text(app)
        # undo in the reader is a label change too
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("u")
        await pilot.press("escape")
        assert reads.calls == [None, [aid], [aid]]
        assert f"1/{n}" in row_text(app, aid)


async def test_a_write_by_another_connection_reads_everything_again(make_app, db_path,
                                                                    monkeypatch):
    fill(db_path, generated(10))
    reads = StoreReads(monkeypatch)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("escape")
        screen = app.screen
        assert screen.query_one(LibraryList).article_count == 12
        await pilot.press("enter")
        await settle(pilot)
        # another process adds an article and tags one of the generated ones
        new = generated(11, source="Zebra Times")[10]
        tagged = generated(10)[3]
        with Store.open(db_path) as other:
            other.add_article(new, n_sentences=2)
            sentence = Sentence(0, 0, 10, tagged.text[:10], 0, None)
            other.tag(tagged.id, sentence, "opinion", "tester")
        await pilot.press("escape")
        assert app.screen is screen
        assert reads.full == 2 and screen.store_reads == 2
        lst = screen.query_one(LibraryList)
        assert lst.article_count == 13
        assert screen._rows[new.id].source == "Zebra Times"
        assert screen._rows[tagged.id].summary.n_tagged == 1
        await pilot.press(*"zebra")
        assert lst.article_count == 1


async def test_the_article_read_last_is_highlighted_and_in_view(make_app, db_path,
                                                               sample_articles):
    fill(db_path, generated(300))       # "Aardvark Wire" sorts before the samples' sources
    app = make_app()
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(pilot)
        await pilot.press("escape")
        screen = app.screen
        lst = screen.query_one(LibraryList)
        assert screen.highlighted_id() == sample_articles[0].id
        index = lst.highlighted
        assert index > 300
        top = int(lst.scroll_y)
        assert top <= index < top + lst.scrollable_content_region.height
        assert sample_articles[0].title[:20] in screen_text(app)


# --------------------------------------------------------------------------- filtering


async def test_typing_narrows_and_backspace_reuses_earlier_matches(make_app, db_path):
    fill(db_path, generated(120))
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("escape")
        screen = app.screen
        lst = screen.query_one(LibraryList)
        assert lst.article_count == 122
        await pilot.press("h")
        scanned = screen.rows_scanned
        assert scanned == 122                    # the first letter looks at every row
        await pilot.press(*"arb")
        assert lst.article_count == 20           # 120 / 6 topics
        scanned = screen.rows_scanned
        await pilot.press("o")                   # the next letter only at what "harb" matched
        assert screen.rows_scanned - scanned == 20
        await pilot.press(*"ur")
        assert lst.article_count == 20           # 120 / 6 topics
        scanned = screen.rows_scanned
        for expected in ("harbou", "harbo", "harb", "har", "ha", "h", ""):
            await pilot.press("backspace")
            assert screen.query_one("#filter").value == expected
        assert screen.rows_scanned == scanned    # every shorter query was typed before
        assert lst.article_count == 122
        await pilot.press(*"harbour 012")
        assert lst.article_count == 1
        assert lst.highlighted_option.title == "The harbour story 012"


async def test_a_keystroke_does_not_lay_out_and_draws_only_what_changed(make_app, db_path,
                                                                        monkeypatch):
    from textual.screen import Screen

    fill(db_path, generated(300))
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        screen = app.screen
        lst = screen.query_one(LibraryList)
        height = lst.scrollable_content_region.height
        layouts = []
        original = Screen._refresh_layout

        def counting(self, *args, **kwargs):
            layouts.append(self)
            return original(self, *args, **kwargs)

        monkeypatch.setattr(Screen, "_refresh_layout", counting)
        before = lst.rendered_rows
        await pilot.press("down")
        await pilot.pause()
        # the row left, the row highlighted (and one scrolled into view, if any)
        assert lst.rendered_rows - before <= 3
        before = lst.rendered_rows
        await pilot.press("down", "up")
        await pilot.pause()
        assert lst.rendered_rows - before <= 2   # the same looks again: from the cache
        for key in "story":
            before = lst.rendered_rows
            await pilot.press(key)
            await pilot.pause()
            assert lst.rendered_rows - before <= height
        assert lst.article_count >= 300
        assert layouts == []


# --------------------------------------------------------------------------- the list itself


async def test_click_opens_the_article(make_app, sample_articles):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("escape")
        lst = app.screen.query_one(LibraryList)
        target = sample_articles[1].id
        index = lst.index_of(target)
        await pilot.hover(LibraryList, offset=(5, index))
        await pilot.pause()
        assert lst._hover == index
        await pilot.click(LibraryList, offset=(5, index))
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)
        assert doc(app).article.id == target


async def test_headers_cannot_be_opened_and_home_end_step_over_them(make_app, db_path):
    fill(db_path, generated(5))
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("escape")
        screen = app.screen
        lst = screen.query_one(LibraryList)
        assert lst.options[0].disabled
        await pilot.click(LibraryList, offset=(5, 0))      # a header: nothing happens
        await pilot.pause()
        assert app.screen is screen
        lst.focus()
        await pilot.press("end")
        assert lst.highlighted == lst.option_count - 1
        await pilot.press("home")
        assert lst.highlighted == 1 and lst.scroll_y == 0


@pytest.mark.parametrize("size", [(24, 8), (50, 12), (70, 20)])
async def test_narrow_terminals_draw_every_row_to_the_width(make_app, db_path, size):
    articles = generated(6)
    wide = Article(id=article_id("Wide."), text="Wide.", title="東京 " * 30, source="東京新聞")
    fill(db_path, [*articles, wide])
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("escape")
        lst = app.screen.query_one(LibraryList)
        width = lst.scrollable_content_region.width
        for y in range(lst.scrollable_content_region.height):
            assert lst.render_line(y).cell_length == width
        await pilot.press(*"東京")
        await pilot.pause()
        assert lst.article_count == 1
        width = lst.scrollable_content_region.width      # no scrollbar now
        assert lst.render_line(1).cell_length == width
        assert "東京新聞" in screen_text(app) or size[0] < 30


async def test_a_new_theme_redraws_the_rows(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("escape")
        lst = app.screen.query_one(LibraryList)
        before = lst.render_line(2)
        app.theme = "textual-light" if app.theme != "textual-light" else "nord"
        await pilot.pause()
        after = lst.render_line(2)
        assert after.text == before.text
        assert [s.style for s in after] != [s.style for s in before]


# --------------------------------------------------------------------------- the store


def test_an_existing_store_gets_the_library_index_and_lists_without_sorting(tmp_path):
    path = tmp_path / "old.db"
    migrations.create_at_version(path, 2)        # made before the index existed
    with migrations.raw(path) as con:
        assert con.execute("SELECT count(*) FROM sqlite_master WHERE name = "
                           "'articles_library'").fetchone()[0] == 0
    with Store.open(path) as store:
        for article in generated(5):
            store.add_article(article)
        listed = store.list_articles("tester")
    assert [s.title for s in listed] == [f"The {t} story {i:03d}" for i, t in
                                         reversed(list(enumerate(TOPICS[:5])))]
    with migrations.raw(path) as con:
        plan = " ".join(str(r) for r in con.execute(
            "EXPLAIN QUERY PLAN SELECT id, title, source, date, location, added_at, n_sentences "
            "FROM articles ORDER BY added_at DESC, title, id"))
    assert "articles_library" in plan and "TEMP B-TREE" not in plan


def test_change_marks_tell_own_label_changes_from_other_connections(tmp_path):
    path = tmp_path / "s.db"
    a, b, c = generated(3)
    with Store.open(path) as mine, Store.open(path) as other:
        mine.add_article(a, n_sentences=2)
        mine.add_article(b, n_sentences=2)
        start = mine.change_marks()
        sentence = Sentence(0, 0, 10, a.text[:10], 0, None)
        mine.tag(a.id, sentence, "fact", "tester")
        mine.set_sentence_count(b.id, 3)
        marks = mine.change_marks()
        assert marks[0] == start[0]              # own writes leave "others" alone
        assert marks[1] > start[1]               # the tag is an event
        assert mine.labels_changed_since(start[1]) == (marks[1], {a.id})
        assert mine.labels_changed_since(marks[1]) == (marks[1], set())
        other.add_article(c)
        assert mine.change_marks()[0] != marks[0]
        # some articles only, counted the same way as the whole list
        some = mine.list_articles("tester", ids=[a.id, "0" * 16, a.id])
        assert some == [s for s in mine.list_articles("tester") if s.id == a.id]
        assert some[0].n_tagged == 1
        assert mine.list_articles(ids=[]) == []


def test_list_articles_counts_like_before(tmp_path):
    """The joined count gives what the per-article count gave (per annotator, and
    distinct sentences over all annotators)."""
    path = tmp_path / "s.db"
    articles = generated(6)
    with Store.open(path) as store:
        for article in articles:
            store.add_article(article, n_sentences=2)
        for k, article in enumerate(articles[:4]):
            for who in ("ann", "bob")[: 1 + k % 2]:
                for i in range(1 + k % 2):
                    store.tag(article.id, Sentence(i, 0, 5, article.text[:5], 0, None), "fact", who)
        got = {who: [(s.id, s.n_tagged) for s in store.list_articles(who)]
               for who in ("ann", "bob", None)}
    con = sqlite3.connect(path)
    for who in ("ann", "bob", None):
        if who is None:
            count = ("SELECT count(DISTINCT sentence_index) FROM annotations a WHERE "
                     "a.article_id = articles.id AND a.label IS NOT NULL AND a.orphaned = 0")
            params: tuple = ()
        else:
            count = ("SELECT count(*) FROM annotations a WHERE a.article_id = articles.id AND "
                     "a.label IS NOT NULL AND a.orphaned = 0 AND a.annotator = ?")
            params = (who,)
        expected = con.execute(f"SELECT id, ({count}) FROM articles ORDER BY added_at DESC, "
                               "title, id", params).fetchall()
        assert got[who] == expected
        assert any(n for _, n in expected)
    con.close()


async def test_the_column_titles_line_up_with_the_rows_with_and_without_a_scrollbar(
        make_app, db_path):
    fill(db_path, generated(60))
    app = make_app()
    async with app.run_test(size=(90, 24)) as pilot:
        await settle(pilot)
        await pilot.press("escape")
        await pilot.pause()

        def columns_at() -> tuple[int, int]:
            lines = screen_text(app).splitlines()
            header = next(line for line in lines if line.lstrip().startswith("Title"))
            row = next(line for line in lines if "The " in line and "2024-01-" in line)
            return header.index("Date"), row.index("2024-01-")

        lst = app.screen.query_one(LibraryList)
        assert lst.show_vertical_scrollbar
        date_title, date = columns_at()
        assert date_title == date
        await pilot.press(*"story 012")          # one row: no scrollbar, wider rows
        await pilot.pause()
        assert not lst.show_vertical_scrollbar
        assert columns_at()[0] == columns_at()[1] != date


async def test_the_compare_picker_borrows_the_librarys_rows(make_app, db_path, monkeypatch,
                                                           sample_articles):
    fill(db_path, generated(30))
    reads = StoreReads(monkeypatch)
    app = make_app()
    a, b = (s.id for s in sample_articles)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("c")                   # the library was never shown: read it
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, LibraryScreen) and picker.pick_for == a
        assert picker.store_reads == 1 and reads.calls == [None]
        assert picker.query_one(LibraryList).article_count == 31
        await pilot.press("escape")              # cancel
        await pilot.pause()
        await pilot.press("f")                   # a label on the reader's article
        await pilot.press("escape")              # the library: a full read, first shown
        assert reads.calls == [None, None]
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("f")                   # another label
        await pilot.press("c")
        await pilot.pause()
        picker = app.screen
        assert picker.pick_for == a
        # the rows come from the library below; only the tagged article is read again
        assert picker.store_reads == 0 and reads.calls == [None, None, [a]]
        lst = picker.query_one(LibraryList)
        assert lst.article_count == 31 and lst.index_of(a) is None
        assert picker._rows[a].summary.n_tagged == 2
        assert "Compare with" in screen_text(app)
        await pilot.press(*"2025")               # the other sample (dated 2025)
        assert lst.article_count == 1
        await pilot.press("enter")
        await settle(pilot)
        assert [v.article.id for v in app.screen.query("DocumentView")] == [a, b]
