"""fetch(): real HTTP against a local server on 127.0.0.1 (no internet)."""
from __future__ import annotations

import gzip
import socket
import sys
from pathlib import Path

import pytest

from newsreader.core import fetch as fetch_mod
from newsreader.core.errors import InputError
from newsreader.core.fetch import content_kind, fetch, is_url

WEB = Path(__file__).resolve().parents[1] / "fixtures" / "web"
sys.path.insert(0, str(WEB))
from webserver_fixture import serve  # noqa: E402

MiB = 1024 * 1024


@pytest.fixture(scope="module")
def site():
    with serve() as s:
        yield s


def _error(url: str, **kw) -> str:
    with pytest.raises(InputError) as info:
        fetch(url, **kw)
    msg = str(info.value)
    assert "\n" not in msg, msg
    assert msg.startswith(url + ": "), msg  # names the URL the user gave
    return msg


def test_fetches_a_page_with_its_metadata(site):
    url = site.url("/news/harbour-bridge")
    got = fetch(url)
    assert got.status == 200
    assert got.url == got.final_url == url
    assert got.content_type == "text/html"
    assert got.charset == "utf-8"
    assert got.kind == "html"
    assert got.body == (WEB / "harbour-bridge.html").read_bytes()
    assert got.redirects == ()
    assert got.fetched_at.endswith("Z") and got.fetched_at[:2] == "20"


def test_user_agent_names_newsreader(site):
    fetch(site.url("/news/ferry-strike"))
    assert site.user_agents[-1].startswith("newsreader/")


def test_gzip_body_is_decompressed(site):
    got = fetch(site.url("/gzip/orchard-frost"))
    assert got.body == (WEB / "orchard-frost.html").read_bytes()


def test_gzip_bomb_is_capped_while_inflating(site, monkeypatch):
    # the compressed body is small; the cap applies to the inflated bytes
    body = (WEB / "orchard-frost.html").read_bytes()
    assert len(gzip.compress(body)) < 2000 < len(body)
    msg = _error(site.url("/gzip/orchard-frost"), max_bytes=2000)
    assert "too large" in msg


def test_one_redirect_is_followed(site):
    got = fetch(site.url("/redirect"))
    assert got.url == site.url("/redirect")
    assert got.final_url == site.url("/news/harbour-bridge")
    assert got.redirects == (site.url("/redirect"),)


def test_absolute_301_is_followed(site):
    assert fetch(site.url("/moved")).final_url == site.url("/farming/orchard-frost")


def test_redirect_chain_within_the_limit(site):
    got = fetch(site.url("/chain/3"), max_redirects=4)
    assert got.final_url == site.url("/news/ferry-strike")
    assert len(got.redirects) == 4


def test_too_many_redirects(site):
    msg = _error(site.url("/chain/3"), max_redirects=3)
    assert msg.endswith("too many redirects (more than 3)")
    assert "too many redirects" in _error(site.url("/chain/9"))


def test_redirect_loop(site):
    msg = _error(site.url("/loop/a"))
    assert "redirect loop" in msg


@pytest.mark.parametrize("path, scheme", [("/to-ftp", "ftp"), ("/to-file", "file")])
def test_redirect_off_http_is_refused(site, path, scheme):
    msg = _error(site.url(path))
    assert f"only http and https URLs are supported (not {scheme})" in msg


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/a.html", "file:///etc/passwd",
                                 "gopher://127.0.0.1/"])
def test_other_schemes_are_refused_before_connecting(url):
    msg = _error(url)
    assert "only http and https" in msg


def test_timeout_waiting_for_an_answer(site):
    msg = _error(site.url("/slow"), timeout=0.5)
    assert msg.endswith("timed out after 0.5 s")


def test_total_deadline_holds_against_a_trickling_body(site):
    # a byte every 0.2 s never trips a per-read timeout; only a total deadline stops it
    msg = _error(site.url("/trickle"), timeout=1)
    assert msg.endswith("timed out after 1 s")


@pytest.mark.parametrize("path, line", [
    ("/missing", "HTTP 404 Not Found"),
    ("/gone", "HTTP 410 Gone"),
    ("/error", "HTTP 500 Internal Server Error"),
    ("/unavailable", "HTTP 503 Service Unavailable"),
    ("/no-such-page", "HTTP 404 Not Found"),
])
def test_http_status_errors(site, path, line):
    assert _error(site.url(path)) == f"{site.url(path)}: {line}"


def test_declared_huge_page_is_refused_before_reading(site):
    msg = _error(site.url("/huge"), max_bytes=MiB)
    assert msg == f"{site.url('/huge')}: page too large (3 MiB; the limit is 1 MiB)"


def test_size_cap_holds_while_streaming(site):
    msg = _error(site.url("/huge-undeclared"), max_bytes=MiB)
    assert "page too large (more than 1 MiB" in msg


@pytest.mark.parametrize("path, ctype", [("/image.png", "image/png"),
                                         ("/download", "application/octet-stream")])
def test_binary_content_is_refused(site, path, ctype):
    msg = _error(site.url(path))
    assert msg.endswith(f"not a web page or an RSS/Atom feed ({ctype})")


def test_feed_refused_when_only_html_is_wanted(site):
    msg = _error(site.url("/feeds/rss.xml"), accept={"html"})
    assert msg.endswith("not a web page (application/rss+xml)")


def test_feed_served_as_html_is_recognised(site):
    assert fetch(site.url("/feeds/rss-as-html")).kind == "feed"
    assert fetch(site.url("/feeds/atom.xml")).kind == "feed"


def test_connection_refused():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there now
    url = f"http://127.0.0.1:{port}/article"
    assert _error(url) == f"{url}: connection refused by 127.0.0.1"


def test_dns_failure(monkeypatch):
    # no test touches the network: the resolver's answer is simulated
    def no_such_host(*args, **kw):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)
    url = "https://news.example.invalid/story"
    assert _error(url) == f"{url}: cannot find host news.example.invalid (DNS lookup failed)"


def test_malformed_urls():
    assert "no host name" in _error("http:///path-only")


def test_is_url():
    assert is_url("https://example.org/a") and is_url("ftp://x") and is_url(" http://x ")
    assert not is_url("article.txt") and not is_url("/tmp/a.html") and not is_url("-")
    assert not is_url("C:\\news\\a.txt")


@pytest.mark.parametrize("ctype, body, kind", [
    ("text/html", b"<!DOCTYPE html><html></html>", "html"),
    ("text/html", b"<?xml version='1.0'?><rss version='2.0'></rss>", "feed"),
    ("application/xml", b"<?xml version='1.0'?>\n<!-- c --><feed xmlns='x'></feed>", "feed"),
    ("application/xml", b"<!DOCTYPE html><html></html>", "html"),
    ("", b"<html><body>x</body></html>", "html"),
    ("application/octet-stream", b"\x89PNG\r\n", "unknown"),
    ("image/jpeg", b"<html>", "unknown"),
    ("text/plain", b"Just words.", "text"),
])
def test_content_kind(ctype, body, kind):
    assert content_kind(ctype, body) == kind


def test_defaults_are_documented_limits():
    assert fetch_mod.DEFAULT_TIMEOUT == 20
    assert fetch_mod.DEFAULT_MAX_BYTES == 10 * MiB
    assert fetch_mod.DEFAULT_MAX_REDIRECTS == 5
