"""The reader's side of sources, library grouping and stories (issue 7).

Real app, real store, real local HTTP server on 127.0.0.1 (tests/fixtures/web),
real add child process and real spaCy analysis host; nothing touches the
internet.
"""
from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from tui_helpers import doc, screen_text, settle

from newsreader.core.errors import InputError
from newsreader.core.models import Article
from newsreader.core.store import Store
from newsreader.tui.launch import build_app, sample_paths
from newsreader.tui.screens.add import AddScreen, parse_items
from newsreader.tui.screens.library import GroupHeader, LibraryList, LibraryScreen
from newsreader.tui.screens.reader import CompareScreen, ReaderScreen
from newsreader.tui.titles import first_words

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures" / "web"))
from webserver_fixture import serve  # noqa: E402

HARBOUR = "Council approves Port Ellery harbour bridge after two-year fight"
FERRY = "Skerry Island ferry crews vote to strike over rotas"
UNTITLED_WORDS = "The Islamist regime governing Syria sent its top…"


@pytest.fixture(scope="module")
def site():
    with serve() as s:
        yield s


async def wait_until(pilot, predicate, rounds: int = 600):
    """Pause until ``predicate()`` holds (workers, the add child, the analysis host)."""
    for _ in range(rounds):
        if predicate():
            return
        await pilot.app.workers.wait_for_complete()
        await pilot.pause(0.05)
    assert predicate()


def rows(app) -> list[tuple[str, str]]:
    """The library list as ("group", name) and ("article", title) pairs, top to bottom."""
    lst = app.screen.query_one(LibraryList)
    out = []
    for option in lst.options:
        prompt = option.prompt
        if isinstance(prompt, GroupHeader):
            out.append(("group", prompt.name))
        else:
            out.append(("article", prompt.title))
    return out


def notes(app) -> list[str]:
    return [f"{n.title}: {n.message}" for n in app._notifications]


async def add_through_the_key(pilot, text: str, key: str = "ctrl+o") -> None:
    await pilot.press(key)
    await pilot.pause()
    assert isinstance(pilot.app.screen, AddScreen)
    await pilot.press(*text)
    await pilot.press("enter")
    await pilot.pause()


# --------------------------------------------------------------------------- the add key


@pytest.mark.usefixtures("warm_cache")
async def test_add_key_fetches_a_page_into_the_library_without_blocking(make_app, site):
    app = make_app()
    url = site.url("/news/harbour-bridge")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("escape")
        assert isinstance(app.screen, LibraryScreen)
        await add_through_the_key(pilot, url)
        assert isinstance(app.screen, LibraryScreen)       # the box closed at once
        await wait_until(pilot, lambda: any(HARBOUR in n for n in notes(app)))
        assert any(n.startswith("Added: added") and HARBOUR in n for n in notes(app))
        await wait_until(pilot, lambda: ("article", HARBOUR) in rows(app))
        lst = app.screen.query_one(LibraryList)
        assert lst.article_count == 3
        # grouped under its outlet (alphabetical: "The Ellery Gazette" before "No source"
        # would be wrong: "No source" is always last)
        assert rows(app)[:2] == [("group", "The Ellery Gazette"), ("article", HARBOUR)]
        assert rows(app)[2] == ("group", "No source")
        # the new article is highlighted, and analysed in the background
        assert app.screen.highlighted_id() == "48ec5a79fc72f13b"
        await wait_until(pilot, lambda: "48ec5a79fc72f13b" in app.analyses, rounds=2400)
        await wait_until(pilot, lambda: app.screen._rows["48ec5a79fc72f13b"].summary.n_sentences)
        n = len(app.analyses["48ec5a79fc72f13b"].sentences)
        assert any(HARBOUR[:30] in line and f"0/{n}" in line for line in screen_text(app).splitlines())
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)
        assert doc(app).article.title == HARBOUR
    assert site.hits["/news/harbour-bridge"] == 1
    # (read through the app's own connection: see stories.py on second connections)
    summary = {s.id: s for s in app.session.store.list_articles()}["48ec5a79fc72f13b"]
    assert summary.source == "The Ellery Gazette" and summary.date == "2025-03-14"
    assert summary.n_sentences == n


@pytest.mark.usefixtures("warm_cache")
async def test_a_bad_url_shows_its_one_line_reason_and_the_app_stays_up(make_app, site, tmp_path):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        missing = site.url("/missing")
        await add_through_the_key(pilot, missing, key="a")    # from the reader this time
        assert isinstance(app.screen, ReaderScreen)
        await wait_until(pilot, lambda: any("Not added" in n for n in notes(app)))
        failed = [n for n in notes(app) if n.startswith("Not added")]
        assert failed == [f"Not added: {missing}: HTTP 404 Not Found"]
        assert "\n" not in failed[0]
        # a path that does not exist, and a page with no article: one line each
        nowhere = tmp_path / "nowhere.txt"
        await add_through_the_key(pilot, f"{nowhere} {site.url('/no-article')}", key="a")
        await wait_until(pilot, lambda: len([n for n in notes(app) if "Not added" in n]) == 3)
        failed = [n for n in notes(app) if n.startswith("Not added")]
        assert any(str(nowhere) in n for n in failed)
        assert any("no article text found" in n for n in failed)
        assert any("0 added, 0 already in the library, 2 failed" in n for n in notes(app))
        # still up, still tagging
        await pilot.press("f")
        await settle(pilot)
        assert doc(app).labels == {0: "fact"}
        await pilot.press("escape")
        assert app.screen.query_one(LibraryList).article_count == 2


@pytest.mark.usefixtures("warm_cache")
async def test_escape_closes_the_add_box_and_a_feed_adds_its_articles(make_app, site):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("escape", "ctrl+o")
        assert isinstance(app.screen, AddScreen)
        await pilot.press(*"abc", "escape")
        assert isinstance(app.screen, LibraryScreen)
        await pilot.pause()
        assert app.screen.query_one(LibraryList).article_count == 2
        await add_through_the_key(pilot, site.url("/feeds/rss.xml"))
        await wait_until(pilot, lambda: any("Adding done" in n for n in notes(app)))
        await wait_until(pilot, lambda: ("article", HARBOUR) in rows(app))
        titles = [t for kind, t in rows(app) if kind == "article"]
        assert "Late frost wipes out apple blossom across the Vale of Ashby" in titles
        # adding the same page again: "already", nothing new
        before = app.screen.query_one(LibraryList).article_count
        await add_through_the_key(pilot, site.url("/news/harbour-bridge"))
        await wait_until(pilot, lambda: any(n.startswith("Already in the library") and HARBOUR in n
                                            for n in notes(app)))
        assert app.screen.query_one(LibraryList).article_count == before


def test_parse_items_splits_words_but_keeps_a_path_with_spaces(tmp_path):
    spaced = tmp_path / "my articles"
    spaced.mkdir()
    assert parse_items(f"  {spaced}  ") == [str(spaced)]
    assert parse_items("https://a.example/x https://b.example/y") == \
        ["https://a.example/x", "https://b.example/y"]
    assert parse_items(f"'{spaced}' https://a.example/x") == [str(spaced), "https://a.example/x"]
    assert parse_items("~/x.txt") == [str(Path.home() / "x.txt")]
    assert parse_items("   ") == []


# --------------------------------------------------------------------------- grouping


def _article(body: str, title: str | None, source: str | None, date: str | None,
             location: str | None = None) -> Article:
    from newsreader.core.ingest import article_id

    return Article(id=article_id(body), text=body, title=title, source=source, date=date,
                   location=location)


@pytest.fixture
def grouped_library(db_path):
    arts = [
        _article("Gazette one says the council met on Monday.", "Gazette January", "The Gazette",
                 "2025-01-05"),
        _article("Gazette two says the bridge will open.", "Gazette March", "The Gazette",
                 "2025-03-01T09:00:00+00:00"),
        _article("Gazette three has no date at all, sadly.", "Gazette undated", "The Gazette", None),
        _article("Alpha reports on the harvest festival.", "Alpha harvest", "alpha times",
                 "2024-12-31"),
        _article("A page from a site without a name.", "Hostname page", None, "2025-02-02",
                 "https://news.example.org/a/b"),
    ]
    with Store.open(db_path) as store:
        for a in arts:
            store.add_article(a)
    return arts


@pytest.mark.usefixtures("warm_cache", "grouped_library")
async def test_library_groups_by_source_and_sorts_newest_first(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("escape")
        await pilot.pause()
        got = rows(app)
        assert got == [
            ("group", "alpha times"), ("article", "Alpha harvest"),
            ("group", "news.example.org"), ("article", "Hostname page"),
            ("group", "The Gazette"), ("article", "Gazette March"), ("article", "Gazette January"),
            ("article", "Gazette undated"),
            ("group", "No source"), ("article", got[-2][1]), ("article", got[-1][1]),
        ]
        text = screen_text(app)
        assert "The Gazette · 3 articles" in text
        assert "7 articles · 4 sources" in text
        lst = app.screen.query_one(LibraryList)
        # the highlight steps over group headers, both ways
        lst.highlighted = 1
        await pilot.press("down")
        assert lst.highlighted_option.prompt.title == "Hostname page"
        await pilot.press("down")
        assert lst.highlighted_option.prompt.title == "Gazette March"
        await pilot.press("up", "up")
        assert lst.highlighted_option.prompt.title == "Alpha harvest"
        await pilot.press("up")
        assert lst.highlighted_option.prompt.title == "Alpha harvest"
        await pilot.press("pagedown")
        assert not lst.highlighted_option.disabled
        # typing filters; headers only for groups with matches, counting the matches
        await pilot.press(*"gazette")
        assert rows(app) == [("group", "The Gazette"), ("article", "Gazette March"),
                             ("article", "Gazette January"), ("article", "Gazette undated")]
        assert "3 of 7 shown · 1 source" in screen_text(app)
        await pilot.press("space", *"jan")
        assert rows(app) == [("group", "The Gazette"), ("article", "Gazette January")]
        await pilot.press("enter")
        await settle(pilot)
        assert doc(app).article.title == "Gazette January"


# --------------------------------------------------------------------------- stories


@pytest.fixture(scope="module")
def sample_story(nlp, sample_analyses, sample_articles):
    """The two samples are one story once both are analysed by the real pipeline."""
    from newsreader.core.library import group_stories

    stories = group_stories([(a, sample_analyses[a.id]) for a in sample_articles])
    assert len(stories) == 1, stories
    assert set(stories[0].article_ids) == {a.id for a in sample_articles}
    return stories[0]


@pytest.mark.usefixtures("warm_cache")
async def test_story_marker_and_ctrl_s_open_the_story_in_compare(make_app, sample_story):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.stories is not None)
        await pilot.pause()
        lines = [line for line in screen_text(app).splitlines() if "story 1 · 2 articles" in line]
        assert len(lines) == 2, screen_text(app)
        assert "1 story" in screen_text(app)
        await pilot.press(*"story 1")
        assert app.screen.query_one(LibraryList).article_count == 2
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CompareScreen)
        assert [app.screen.a.id, app.screen.b.id] == list(sample_story.article_ids[:2])
        # and from the reader, `s` keeps the open article on the left
        await pilot.press("escape")
        await pilot.press("escape")   # clear the filter
        second = sample_story.article_ids[1]
        app.open_article(second)
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, CompareScreen)
        assert [app.screen.a.id, app.screen.b.id] == [second, sample_story.article_ids[0]]


async def test_stories_fill_in_as_articles_are_analysed(make_app, sample_story):
    """No cache: both samples are analysed by the analysis host, and the story appears
    in the library as soon as the second analysis arrives (before its cache write)."""
    app = make_app(*sample_paths())
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen)
        await wait_until(pilot, lambda: all(v.ready for v in app.screen.query("DocumentView")),
                         rounds=2400)
        await wait_until(pilot, lambda: bool(app.stories))
        assert set(app.stories) == set(sample_story.article_ids)
        await pilot.press("escape")
        await pilot.pause()
        assert len([line for line in screen_text(app).splitlines()
                    if "story 1 · 2 articles" in line]) == 2


@pytest.mark.usefixtures("warm_cache")
async def test_an_article_in_no_story_says_so(make_app, tmp_path):
    lone = tmp_path / "lone.txt"
    lone.write_text("Lone headline\n\nThe parish council met on Tuesday about the lamp posts.\n",
                    encoding="utf-8")
    app = make_app(str(lone))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await wait_until(pilot, lambda: app.stories is not None)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        assert any(n.startswith("No story") for n in notes(app))


# --------------------------------------------------------------------------- untitled articles


def test_first_words_of_the_first_sentence():
    assert first_words("The council met on Monday. It voted.") == "The council met on Monday…"
    assert first_words("One two three four five six seven eight nine ten. Next.") == \
        "One two three four five six seven eight…"
    assert first_words("\n\n  ") == ""
    assert first_words("[bold]Markup[/bold] stays text.") == "[bold]Markup[/bold] stays text…"


@pytest.mark.usefixtures("warm_cache")
async def test_untitled_article_shows_its_first_words_everywhere(make_app, sample_articles):
    untitled = next(a for a in sample_articles if not a.title)
    assert first_words(untitled.text) == UNTITLED_WORDS
    file_name = Path(untitled.location).name
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        app.open_article(untitled.id)
        await settle(pilot)
        text = screen_text(app)
        assert file_name not in text
        top, first_doc_line = text.splitlines()[0], doc(app).render_line(0).text
        assert UNTITLED_WORDS in top
        assert UNTITLED_WORDS.rstrip("…") in first_doc_line
        # drawn unlike a title: italic (and muted)
        from newsreader.tui.layout import UNTITLED
        assert doc(app).text_layout.kinds[0] == UNTITLED
        assert any(seg.style and seg.style.italic and UNTITLED_WORDS[:10] in seg.text
                   for seg in doc(app).render_line(0))
        await pilot.press("escape")
        await pilot.pause()
        text = screen_text(app)
        assert file_name not in text
        row = next(o.prompt for o in app.screen.query_one(LibraryList).options
                   if o.id == untitled.id)
        assert row.title == UNTITLED_WORDS and not row.real_title
        await pilot.press(*"islamist")     # the words shown are searchable
        assert app.screen.query_one(LibraryList).article_count == 1
        await pilot.press("escape")
        app.open_compare(*[a.id for a in sample_articles])
        await settle(pilot)
        text = screen_text(app)
        assert file_name not in text
        assert "B The Islamist regime governing" in text


# --------------------------------------------------------------------------- newsreader URL


def _args(data_dir, *paths):
    return SimpleNamespace(paths=list(paths), data_dir=str(data_dir), annotator=None, model=None)


async def test_newsreader_url_fetches_once_then_opens_offline(data_dir, tmp_path):
    path = tmp_path / "note.txt"
    path.write_text("A local note\n\nThe harbour board met on Friday to discuss dredging.\n",
                    encoding="utf-8")
    with serve() as own:
        url = own.url("/news/ferry-strike")
        app, store = build_app(_args(data_dir, url, str(path)))   # mixed: URL and file
        try:
            assert app.open_ids and len(app.open_ids) == 2
            async with app.run_test(size=(120, 36)) as pilot:
                await pilot.pause()
                assert isinstance(app.screen, CompareScreen)
                assert app.screen.a.title == FERRY
                assert app.screen.b.title == "A local note"
        finally:
            app.close_children()
            store.close()
        assert own.hits["/news/ferry-strike"] == 1
    # the server is gone: the same URL opens from the library
    app, store = build_app(_args(data_dir, url))
    try:
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, ReaderScreen)
            assert app.screen.article.title == FERRY
            assert app.screen.article.source == "The Ellery Gazette"
            await pilot.press("escape")
            await pilot.pause()
            assert ("group", "The Ellery Gazette") in rows(app)
    finally:
        app.close_children()
        store.close()
    kept = Path(data_dir) / "pages"
    assert len(list(kept.glob("*.html"))) == 1


def test_newsreader_bad_url_fails_before_the_terminal_with_one_line(data_dir, site):
    with pytest.raises(InputError) as info:
        build_app(_args(data_dir, site.url("/error")))
    assert str(info.value) == f"{site.url('/error')}: HTTP 500 Internal Server Error"
    with pytest.raises(InputError) as info:
        build_app(_args(data_dir, site.url("/feeds/rss.xml")))
    assert "is a feed" in str(info.value) and "\n" not in str(info.value)


@pytest.mark.usefixtures("warm_cache")
def test_stories_are_worked_out_without_loading_spacy_in_the_reader(data_dir, sample_story):
    """group_stories runs in the reader's process: it must not pull in spaCy."""
    import os
    import subprocess

    script = """
import asyncio, sys
from types import SimpleNamespace
from newsreader.tui.launch import build_app

async def main():
    app, store = build_app(SimpleNamespace(paths=[], data_dir=sys.argv[1], annotator=None,
                                           model=None))
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(400):
            await pilot.pause(0.05)
            if app.stories is not None:
                break
        print(sorted(app.stories or {}), "spacy" in sys.modules)
    app.close_children()
    store.close()

asyncio.run(main())
"""
    out = subprocess.run([sys.executable, "-c", script, str(data_dir)], capture_output=True,
                         text=True, timeout=120, env=dict(os.environ))
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == f"{sorted(sample_story.article_ids)} False"


@pytest.mark.usefixtures("warm_cache")
async def test_adding_to_an_existing_library_keeps_the_readers_writes_visible(
        make_app, site, db_path, sample_articles, data_dir):
    """The add child must not delete the WAL under the reader's connection: the
    sentence count the reader records after the add is seen by another process."""
    import json
    import os
    import subprocess

    with Store.open(db_path) as store:        # an existing library (WAL mode) …
        for article in sample_articles:
            store.add_article(article)
    app = make_app()                          # … opened by the reader
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("escape")
        await add_through_the_key(pilot, site.url("/news/harbour-bridge"))
        await wait_until(pilot, lambda: "48ec5a79fc72f13b" in app.analyses, rounds=2400)
        await wait_until(pilot, lambda: app.screen._rows["48ec5a79fc72f13b"].summary.n_sentences)
        await settle(pilot)
        n = len(app.analyses["48ec5a79fc72f13b"].sentences)
        assert Path(f"{db_path}-wal").exists()
        out = subprocess.run([str(Path(sys.executable).parent / "newsreader"), "list", "--json"],
                             capture_output=True, text=True, timeout=120,
                             env=dict(os.environ, NEWSREADER_DATA_DIR=str(data_dir)))
        assert out.returncode == 0, out.stderr
        listed = {a["id"]: a for a in json.loads(out.stdout)}
        assert listed["48ec5a79fc72f13b"]["n_sentences"] == n


@pytest.mark.usefixtures("warm_cache")
async def test_quitting_while_a_page_is_slow_stops_the_add_at_once(make_app, site):
    """The slow endpoint never answers while the test runs: quitting must not wait for it."""
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await add_through_the_key(pilot, site.url("/slow"), key="a")
        for _ in range(400):
            runs = list(app._add_runs)
            if runs and runs[0]._proc is not None and site.hits["/slow"]:
                break
            await pilot.pause(0.05)
        proc = runs[0]._proc
        assert proc.poll() is None            # still waiting for the page
        await pilot.press("f")                # the reader is not blocked meanwhile
        await pilot.pause()
        assert doc(app).labels == {0: "fact"}
    # run_test has returned: the app quit without waiting for the page
    assert proc.wait(10) < 0                  # terminated, not finished by its fetch timeout
    assert not site.stop.is_set()             # the server was still holding the request
