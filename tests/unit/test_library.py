"""The library: web articles, kept pages, folders, dedup, removal, and the
add/list/remove commands run as real subprocesses against a local server."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from newsreader.core import library
from newsreader.core.errors import InputError
from newsreader.core.ingest import load_path
from newsreader.core.library import (add_sources, decode_page, fetch_article, load_source,
                                     reload_page, remove, resolve_id, saved_page)
from newsreader.core.models import Sentence, Suggestion
from newsreader.core.store import Store

WEB = Path(__file__).resolve().parents[1] / "fixtures" / "web"
SEEDS = Path(__file__).resolve().parents[2] / "seeds"
sys.path.insert(0, str(WEB))
from webserver_fixture import serve  # noqa: E402

BRIDGE = "Council approves Port Ellery harbour bridge after two-year fight"
FERRY = "Skerry Island ferry crews vote to strike over rotas"
FROST = "Late frost wipes out apple blossom across the Vale of Ashby"


@pytest.fixture(scope="module")
def site():
    with serve() as s:
        yield s


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "data" / "newsreader.db") as s:
        yield s


def _sentence(article, index: int = 0) -> Sentence:
    first = article.text.split("\n\n")[0]
    return Sentence(index, 0, len(first), first, 0, Suggestion("fact", 0.5, "test"))


# --------------------------------------------------------------------------- extraction

def test_web_article_metadata_and_body(site):
    page = fetch_article(site.url("/news/harbour-bridge"))
    a = page.article
    assert a.title == BRIDGE
    assert a.date == "2025-03-14"
    assert a.source == "The Ellery Gazette"
    assert a.author == "Maren Okafor"
    assert a.url == site.url("/news/harbour-bridge")
    assert a.location == site.url("/news/harbour-bridge")
    paragraphs = a.text.split("\n\n")
    assert paragraphs[0].startswith("Port Ellery's town council voted seven to two on Thursday")
    assert paragraphs[-1] == ("Construction is due to start in the autumn and to take about three "
                              "years. The council said the contract would be put out to tender "
                              "next month.")
    assert ('"This bridge will take four thousand lorries a week off our narrow streets," said '
            'council leader Dafydd Rhys') in a.text
    assert len(paragraphs) == 5
    assert a.title not in a.text  # the headline is metadata, not body


@pytest.mark.parametrize("junk", [
    "cookies", "Accept all", "Advertisement", "Sunset Cruises", "Harbourside Motors",
    "Related stories", "Ferry timetable cut again", "Lighthouse repairs delayed",
    "Most read", "Seal pup", "Subscribe", "Share this article", "All rights reserved",
    "Privacy policy", "newsletter", "Sport", "Maren Okafor ·",
])
def test_boilerplate_is_gone(site, junk):
    text = fetch_article(site.url("/news/harbour-bridge")).article.text
    assert junk not in text


def test_second_outlet_page(site):
    a = fetch_article(site.url("/news/ferry-strike")).article
    assert (a.title, a.date, a.source, a.author) == (FERRY, "2025-05-02", "The Ellery Gazette",
                                                     "Priya Castellano")
    assert a.text.startswith("Crews on the Skerry Island ferry have voted to walk out")
    for junk in ("214 partners", "I agree", "Island Breaks", "Read more", "Fuel costs hit",
                 "Cookie settings", "Puzzles"):
        assert junk not in a.text


def test_json_ld_page_over_gzip(site):
    a = fetch_article(site.url("/gzip/orchard-frost")).article
    assert (a.title, a.date, a.source) == (FROST, "2025-04-22", "Valley Courier")
    assert "Greenfield Tractors" not in a.text and "You may also like" not in a.text
    assert '"We ran frost fans and lit candles between the rows all night' in a.text


def test_http_charset_is_respected(site):
    a = fetch_article(site.url("/food/bakery")).article
    assert a.title == "Café owner’s sourdough wins county prize"
    assert "Renée Dubois" in a.text and "Café Rosa" in a.text
    assert "“I have been feeding the same starter for eleven years,” she said." in a.text
    assert "£200 prize" in a.text


def test_decode_page_order():
    cp = "Café “quoted”".encode("cp1252")
    assert decode_page(cp, "windows-1252", "x") == "Café “quoted”"
    assert decode_page(cp, "iso-8859-1", "x") == "Café “quoted”"   # web latin-1 is cp1252
    page = (WEB / "bakery-cp1252.html").read_bytes()
    assert "Renée Dubois" in decode_page(page, "utf-8", "x")         # wrong label: detected
    meta = b'<html><head><meta charset="windows-1252"></head><body>' + cp + b"</body></html>"
    assert "Café “quoted”" in decode_page(meta, None, "x")
    assert decode_page("\ufeffCafé".encode("utf-8"), "latin-1", "x") == "Café"  # BOM wins
    with pytest.raises(InputError, match="not a text file"):
        decode_page(b"\x89PNG\r\n\x1a\nxxxx", None, "x")


def test_page_without_an_article(site):
    with pytest.raises(InputError) as info:
        fetch_article(site.url("/no-article"))
    assert str(info.value) == (f"{site.url('/no-article')}: no article text found on this page "
                               "(only 2 words outside navigation and boilerplate)")
    with pytest.raises(InputError, match="no article text found"):
        fetch_article(site.url("/section"))


# --------------------------------------------------------------------------- offline

def test_load_source_keeps_the_page_and_opens_offline(tmp_path):
    db = tmp_path / "lib" / "newsreader.db"
    with serve() as s:
        url = s.url("/news/harbour-bridge")
        with Store.open(db) as st:
            first = load_source(url, st)
            assert st.get_article(first.id) is not None
            page = saved_page(st, first.id)
            assert page.path == tmp_path / "lib" / "pages" / f"{first.id}.html"
            assert page.path.read_bytes() == (WEB / "harbour-bridge.html").read_bytes()
            assert (page.url, page.final_url, page.status) == (url, url, 200)
            assert page.fetched_at.startswith("20") and page.content_type == "text/html"
    # the server is gone: the article still opens, from the library
    with Store.open(db) as st:
        again = load_source(url, st)
        assert again == first
        assert reload_page(st, first.id).text == first.text
    with pytest.raises(InputError, match="connection refused"):
        load_source(url)  # without the library there is nothing to fall back on


def test_load_source_file_and_feed(site, store):
    path = str(SEEDS / "000_99910efe81c56d20.txt")
    assert load_source(path) == load_path(path)
    with pytest.raises(InputError, match=r"is a feed; add its articles with `newsreader add"):
        load_source(site.url("/feeds/rss.xml"))
    with pytest.raises(InputError, match="HTTP 404 Not Found"):
        load_source(site.url("/missing"), store)
    assert store.list_articles() == []


def test_redirected_url_and_its_target_are_one_article(site, store):
    r1 = add_sources(store, [site.url("/redirect")]).results[0]
    assert r1.status == "added"
    a = store.get_article(r1.article_id)
    assert a.location == site.url("/redirect") and a.url == site.url("/news/harbour-bridge")
    hits = site.hits["/news/harbour-bridge"]
    r2 = add_sources(store, [site.url("/news/harbour-bridge")]).results[0]
    assert (r2.status, r2.article_id, r2.reason) == ("already", r1.article_id, "same URL")
    assert site.hits["/news/harbour-bridge"] == hits  # not fetched again


# --------------------------------------------------------------------------- files

def test_add_folder_recursively_sorted(tmp_path, store):
    folder = tmp_path / "inbox"
    (folder / "sub").mkdir(parents=True)
    (folder / ".git").mkdir()
    (folder / "b.txt").write_bytes((SEEDS / "000_99910efe81c56d20.txt").read_bytes())
    (folder / "a.html").write_bytes((WEB / "orchard-frost.html").read_bytes())
    (folder / "sub" / "c.md").write_text("# Ferry fares rise\n\nFares on the island ferry "
                                         "will rise by five percent in June, the operator "
                                         "said on Monday.\n", "utf-8")
    (folder / "sub" / "copy.txt").write_bytes((folder / "b.txt").read_bytes())
    (folder / "empty.htm").write_text("  \n", "utf-8")
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4")
    (folder / ".hidden.txt").write_text("Hidden article text that must be skipped.", "utf-8")
    (folder / ".git" / "x.txt").write_text("Not an article at all, a git file.", "utf-8")
    files = [p.relative_to(folder).as_posix() for p in library.iter_article_files(folder)]
    assert files == ["a.html", "b.txt", "empty.htm", "sub/c.md", "sub/copy.txt"]
    report = add_sources(store, [str(folder)])
    assert [r.status for r in report.results] == ["added", "added", "failed", "added", "already"]
    assert report.results[2].reason == f"{folder / 'empty.htm'}: the file is empty or has only whitespace"
    assert report.results[4].reason == "same text"
    assert report.results[3].title == "Ferry fares rise"
    assert report.results[0].title == FROST
    assert len(store.list_articles()) == 3
    assert not report.ok


def test_add_files_and_a_folder_with_nothing_to_add(tmp_path, store):
    (tmp_path / "empty-dir").mkdir()
    a = str(SEEDS / "000_99910efe81c56d20.txt")
    report = add_sources(store, [a, a, str(tmp_path / "empty-dir"), str(tmp_path / "nope.txt")])
    assert [r.status for r in report.results] == ["added", "already", "failed", "failed"]
    assert "no .txt, .md, .markdown, .html or .htm files" in report.results[2].reason
    assert report.results[3].reason == f"{tmp_path / 'nope.txt'}: no such file"
    assert saved_page(store, report.results[0].article_id) is None  # files keep no page


# --------------------------------------------------------------------------- removal

def test_resolve_id(store):
    add_sources(store, [str(p) for p in sorted(SEEDS.glob("*.txt"))])
    ids = [s.id for s in store.list_articles()]
    assert resolve_id(store, ids[0]) == ids[0]
    assert resolve_id(store, ids[0][:6]) == ids[0]
    with pytest.raises(InputError, match="no such article"):
        resolve_id(store, "ffffffffffff")
    with pytest.raises(InputError, match="no such article"):
        resolve_id(store, ids[0][:2])  # too short to be a prefix


def test_remove_refuses_labelled_articles_unless_forced(site, store):
    [r] = add_sources(store, [site.url("/news/ferry-strike")]).results
    article = store.get_article(r.article_id)
    store.tag(article.id, _sentence(article), "fact", "alice")
    with pytest.raises(InputError) as info:
        remove(store, article.id)
    assert str(info.value) == (f"{article.id}: has 1 label; not removed (use --force to delete "
                               "the article and its labels)")
    assert store.get_article(article.id) is not None
    page = saved_page(store, article.id)
    result = remove(store, article.id, force=True)
    assert (result.removed, result.n_labels, result.title) == (True, 1, FERRY)
    assert store.get_article(article.id) is None
    assert store.annotations(article.id, "alice") == {}
    # the audit log keeps the history and records the removal
    assert [e["kind"] for e in store.history(article.id)] == ["tag", "remove"]
    assert not page.path.exists() and saved_page(store, article.id) is None
    # added again later, it starts clean (no stale undo history)
    add_sources(store, [site.url("/news/ferry-strike")])
    assert store.undo(article.id, "alice") is None


def test_remove_unknown(store):
    with pytest.raises(InputError, match="no such article"):
        remove(store, "0123456789abcdef")


# --------------------------------------------------------------------------- commands

def _run(*args: str, data: Path, stdin: str | None = "", **kw) -> subprocess.CompletedProcess:
    env = {**os.environ, "NEWSREADER_DATA_DIR": str(data)}
    return subprocess.run([sys.executable, "-m", "newsreader.core.cli", *args],
                          input=stdin, capture_output=True, text=True, env=env, timeout=120,
                          **kw)


def test_cli_add_list_remove(site, tmp_path):
    data = tmp_path / "nr"
    feed = site.url("/feeds/rss.xml")
    p = _run("add", "--no-analyze", feed, data=data)
    assert p.returncode == 0, p.stderr
    lines = p.stdout.splitlines()
    assert lines[0].startswith("added    ") and lines[0].endswith(BRIDGE)
    assert lines[1].startswith("added    ") and lines[1].endswith(FROST)
    assert lines[-1] == "2 added, 0 already in the library, 0 failed"
    assert p.stderr == ""

    p = _run("add", "--no-analyze", feed, site.url("/missing"), data=data)
    assert p.returncode == 1
    assert p.stdout.splitlines()[-1] == "0 added, 2 already in the library, 1 failed"
    assert p.stderr == f"newsreader: {site.url('/missing')}: HTTP 404 Not Found\n"

    p = _run("list", "--json", data=data)
    assert p.returncode == 0, p.stderr
    rows = json.loads(p.stdout)
    assert {r["title"] for r in rows} == {BRIDGE, FROST}
    bridge = next(r for r in rows if r["title"] == BRIDGE)
    assert (bridge["source"], bridge["date"], bridge["location"]) == (
        "The Ellery Gazette", "2025-03-14", site.url("/news/harbour-bridge"))
    assert bridge["n_sentences"] is None and bridge["n_tagged"] == 0 and bridge["story"] is None
    assert set(bridge) == {"id", "title", "source", "date", "location", "added_at",
                           "n_sentences", "n_tagged", "story"}

    p = _run("list", data=data)
    assert p.returncode == 0
    header, *body = p.stdout.splitlines()
    assert header.split()[:7] == ["ID", "STORY", "DATE", "SENT", "TAGGED", "SOURCE", "TITLE"]
    row = next(line for line in body if bridge["id"] in line)
    assert "2025-03-14" in row and "The Ellery Gazette" in row
    assert row.endswith(site.url("/news/harbour-bridge"))

    # remove: refuses without a terminal unless --yes
    p = _run("remove", bridge["id"], data=data)
    assert p.returncode == 1
    assert p.stderr == ("newsreader: not removing without confirmation: stdin is not a "
                        "terminal (pass --yes)\n")
    with Store.open(data / "newsreader.db") as st:
        art = st.get_article(bridge["id"])
        st.tag(art.id, _sentence(art), "opinion", "bob")
    p = _run("remove", "--yes", bridge["id"][:8], data=data)
    assert p.returncode == 1
    assert p.stderr == (f"newsreader: {bridge['id']}: has 1 label; not removed (use --force "
                        "to delete the article and its labels)\n")
    p = _run("remove", "--yes", "--force", bridge["id"], data=data)
    assert p.returncode == 0, p.stderr
    assert p.stdout == f"removed  {bridge['id']}  {BRIDGE[:59]}… with 1 label\n"
    p = _run("remove", "--yes", bridge["id"], data=data)
    assert p.returncode == 1
    assert p.stderr == (f"newsreader: {bridge['id']}: no such article in the library "
                        "(see `newsreader list`)\n")
    assert [r["title"] for r in json.loads(_run("list", "--json", data=data).stdout)] == [FROST]


def test_cli_remove_asks_on_a_terminal(tmp_path):
    """A real pseudo-terminal: 'n' keeps the article, 'y' removes it."""
    import pty

    data = tmp_path / "nr"
    p = _run("add", "--no-analyze", str(SEEDS / "000_99910efe81c56d20.txt"), data=data)
    aid = p.stdout.split()[1]

    def answer(reply: bytes) -> tuple[int, str]:
        env = {**os.environ, "NEWSREADER_DATA_DIR": str(data)}
        pid, fd = pty.fork()
        if pid == 0:  # child: stdin/stdout/stderr are the terminal
            os.execve(sys.executable, [sys.executable, "-m", "newsreader.core.cli", "remove",
                                       aid], env)
        out = b""
        sent = False
        while True:
            try:
                chunk = os.read(fd, 1024)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
            if not sent and b"[y/N]" in out:
                os.write(fd, reply + b"\n")
                sent = True
        _, status = os.waitpid(pid, 0)
        os.close(fd)
        return os.waitstatus_to_exitcode(status), out.decode("utf-8", "replace")

    code, out = answer(b"n")
    assert code == 1 and f"remove {aid} Syria" in out and f"{aid} not removed" in out
    assert len(json.loads(_run("list", "--json", data=data).stdout)) == 1
    code, out = answer(b"y")
    assert code == 0 and f"removed  {aid}" in out
    assert json.loads(_run("list", "--json", data=data).stdout) == []


def test_cli_add_usage_errors(tmp_path):
    p = _run("add", "--timeout", "0", "x.txt", data=tmp_path)
    assert p.returncode == 2 and p.stderr.count("\n") == 1
    p = _run("add", data=tmp_path)
    assert p.returncode == 2


def test_cli_unreachable_url_is_one_line(tmp_path):
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    url = f"http://127.0.0.1:{port}/story"
    p = _run("add", url, data=tmp_path)
    assert p.returncode == 1
    assert p.stderr == f"newsreader: {url}: connection refused by 127.0.0.1\n"
    assert "Traceback" not in p.stderr
