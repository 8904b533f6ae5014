"""RSS and Atom: parsing, and adding the linked articles from a local server."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from newsreader.core.errors import InputError
from newsreader.core.feeds import looks_like_feed, parse_feed
from newsreader.core.library import add_sources, saved_page
from newsreader.core.store import Store

WEB = Path(__file__).resolve().parents[1] / "fixtures" / "web"
sys.path.insert(0, str(WEB))
from webserver_fixture import serve  # noqa: E402

BASE = "http://news.test"
BRIDGE = "Council approves Port Ellery harbour bridge after two-year fight"
FROST = "Late frost wipes out apple blossom across the Vale of Ashby"
FERRY = "Skerry Island ferry crews vote to strike over rotas"


def _fixture(name: str) -> bytes:
    return (WEB / name).read_text("utf-8").replace("{{BASE}}", BASE).encode("utf-8")


@pytest.fixture(scope="module")
def site():
    with serve() as s:
        yield s


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "data" / "newsreader.db") as s:
        yield s


def test_parse_rss():
    feed = parse_feed(_fixture("rss.xml"), BASE + "/feeds/rss.xml")
    assert feed.kind == "rss20"
    assert feed.title == "Regional news roundup"
    assert [e.link for e in feed.entries] == [BASE + "/news/harbour-bridge",
                                              BASE + "/farming/orchard-frost"]
    assert [e.title for e in feed.entries] == [BRIDGE, FROST]
    assert [e.published for e in feed.entries] == ["2025-03-14", "2025-04-22"]
    assert feed.entries[0].author == "Maren Okafor"


def test_parse_atom():
    feed = parse_feed(_fixture("atom.xml"), BASE + "/feeds/atom.xml")
    assert feed.kind == "atom10"
    assert [(e.title, e.link, e.published) for e in feed.entries] == [
        (FERRY, BASE + "/news/ferry-strike", "2025-05-02"),
        (BRIDGE, BASE + "/news/harbour-bridge", "2025-03-14"),
    ]
    assert feed.entries[0].author == "Priya Castellano"


def test_relative_links_and_duplicates():
    body = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
            b'<item><link>/a#comments</link></item><item><link>/a</link></item>'
            b'<item><link>b/c</link></item><item><title>no link</title></item>'
            b'</channel></rss>')
    feed = parse_feed(body, "http://site.test/feeds/main.xml")
    assert [e.link for e in feed.entries] == ["http://site.test/a",
                                              "http://site.test/feeds/b/c"]


def test_a_web_page_is_not_a_feed():
    raw = (WEB / "harbour-bridge.html").read_bytes()
    assert not looks_like_feed(raw)
    with pytest.raises(InputError, match=r"^http://x/a: not an RSS or Atom feed"):
        parse_feed(raw, "http://x/a")
    assert looks_like_feed(_fixture("atom.xml"))


def test_adding_a_feed_adds_the_linked_articles(site, store):
    report = add_sources(store, [site.url("/feeds/rss.xml")])
    assert report.ok
    assert [(r.status, r.title) for r in report.results] == [("added", BRIDGE),
                                                              ("added", FROST)]
    assert all(r.feed == site.url("/feeds/rss.xml") for r in report.results)
    by_title = {s.title: s for s in store.list_articles()}
    assert set(by_title) == {BRIDGE, FROST}
    bridge = store.get_article(by_title[BRIDGE].id)
    assert bridge.date == "2025-03-14" and bridge.source == "The Ellery Gazette"
    assert bridge.author == "Maren Okafor"
    assert bridge.location == site.url("/news/harbour-bridge")
    assert "voted seven to two on Thursday night" in bridge.text
    assert "Accept all cookies" not in bridge.text
    frost = store.get_article(by_title[FROST].id)
    assert frost.source == "Valley Courier" and frost.date == "2025-04-22"
    # the pages are kept for offline use
    for s in by_title.values():
        page = saved_page(store, s.id)
        assert page is not None and page.path.read_bytes()[:15] == b"<!DOCTYPE html>"


def test_second_run_skips_known_articles_without_fetching_them(site, store):
    add_sources(store, [site.url("/feeds/rss.xml")])
    hits = site.hits["/news/harbour-bridge"], site.hits["/farming/orchard-frost"]
    report = add_sources(store, [site.url("/feeds/rss.xml")])
    assert report.ok
    assert [(r.status, r.reason) for r in report.results] == [("already", "same URL")] * 2
    assert (site.hits["/news/harbour-bridge"], site.hits["/farming/orchard-frost"]) == hits
    assert len(store.list_articles()) == 2


def test_atom_after_rss_adds_only_the_new_article(site, store):
    add_sources(store, [site.url("/feeds/rss.xml")])
    report = add_sources(store, [site.url("/feeds/atom.xml")])
    assert [(r.status, r.title) for r in report.results] == [("already", BRIDGE),
                                                              ("added", FERRY)]
    assert len(store.list_articles()) == 3


def test_same_text_at_another_url_is_a_duplicate(site, store):
    add_sources(store, [site.url("/feeds/rss.xml")])
    report = add_sources(store, [site.url("/amp/harbour-bridge")])
    [r] = report.results
    assert (r.status, r.reason, r.title) == ("already", "same text", BRIDGE)
    assert len(store.list_articles()) == 2


def test_feed_served_as_html(site, store):
    report = add_sources(store, [site.url("/feeds/rss-as-html")])
    assert [r.status for r in report.results] == ["added", "added"]


def test_failed_entries_are_reported_one_by_one(site, store):
    report = add_sources(store, [site.url("/feeds/broken-links.xml")])
    assert not report.ok
    assert [r.status for r in report.results] == ["added", "failed", "failed"]
    assert report.results[1].reason == f"{site.url('/missing')}: HTTP 404 Not Found"
    assert report.results[2].reason == f"{site.url('/image.png')}: not a web page (image/png)"
    assert report.summary() == "1 added, 0 already in the library, 2 failed"


def test_feed_limit(site, store):
    report = add_sources(store, [site.url("/feeds/atom.xml")], feed_limit=1)
    assert [(r.status, r.title) for r in report.results] == [("added", FERRY)]


def test_empty_and_broken_feeds(site, store):
    report = add_sources(store, [site.url("/feeds/empty.xml"), site.url("/feeds/not-xml.xml")])
    assert [r.status for r in report.results] == ["failed", "failed"]
    assert report.results[0].reason == f"{site.url('/feeds/empty.xml')}: the feed lists no articles"
    assert report.results[1].reason == (f"{site.url('/feeds/not-xml.xml')}: not an RSS or Atom "
                                        "feed (syntax error)")
    assert store.list_articles() == []
