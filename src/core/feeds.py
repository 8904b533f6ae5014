"""RSS and Atom feeds: which articles a feed links to.

The feed is fetched with :func:`newsreader.core.fetch.fetch` (same limits and
errors as any page) and its bytes handed to ``feedparser``, which never touches
the network itself here. ``parse_feed`` returns the entries in feed order with
absolute links, fragments removed, duplicates dropped.
"""
from __future__ import annotations

import calendar
import re
import datetime as _dt
import urllib.parse
from dataclasses import dataclass

from .errors import InputError
from .text import clean

__all__ = ["Feed", "FeedEntry", "parse_feed", "looks_like_feed"]


@dataclass(frozen=True)
class FeedEntry:
    link: str
    title: str | None = None
    published: str | None = None   # YYYY-MM-DD when the feed gives a date
    author: str | None = None
    id: str | None = None


@dataclass(frozen=True)
class Feed:
    url: str
    title: str | None
    kind: str                       # feedparser's version, e.g. "rss20", "atom10"
    entries: tuple[FeedEntry, ...]


def _one_line(value) -> str | None:
    if not value:
        return None
    text = " ".join(clean(str(value)).split())
    return text or None


def _date(entry) -> str | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        t = entry.get(key)
        if t:
            try:
                return _dt.datetime.fromtimestamp(calendar.timegm(t), _dt.timezone.utc) \
                    .date().isoformat()
            except (OverflowError, ValueError, OSError):
                continue
    return None


def _link(entry, base: str) -> str | None:
    link = entry.get("link")
    if not link:
        for candidate in entry.get("links") or ():
            if candidate.get("href") and candidate.get("rel", "alternate") == "alternate":
                link = candidate["href"]
                break
    if not link:
        guid = entry.get("id") or ""
        if guid.startswith(("http://", "https://")):
            link = guid
    if not link:
        return None
    link = urllib.parse.urljoin(base, link.strip())
    return urllib.parse.urldefrag(link)[0]


def looks_like_feed(body: bytes) -> bool:
    """True when ``feedparser`` recognises RSS or Atom in ``body``."""
    import feedparser

    parsed = feedparser.parse(body)
    return bool(parsed.get("version")) and not str(parsed.get("version")).startswith("json")


def parse_feed(body: bytes, url: str) -> Feed:
    """The entries of an RSS or Atom document (``url`` resolves relative links)."""
    import feedparser

    parsed = feedparser.parse(body, response_headers={"content-location": url})
    version = parsed.get("version") or ""
    entries = parsed.get("entries") or []
    if not version and not entries:
        why = ""
        exc = parsed.get("bozo_exception")
        if exc is not None:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            m = re.match(r"^<unknown>:(\d+):\d+: (.*)$", first)
            why = f" ({m.group(2)})" if m else f" ({first})"
        raise InputError(f"{url}: not an RSS or Atom feed{why}")
    feed_meta = parsed.get("feed") or {}
    out: list[FeedEntry] = []
    seen: set[str] = set()
    for entry in entries:
        link = _link(entry, url)
        if not link or link in seen:
            continue
        seen.add(link)
        out.append(FeedEntry(link=link, title=_one_line(entry.get("title")),
                             published=_date(entry), author=_one_line(entry.get("author")),
                             id=_one_line(entry.get("id"))))
    return Feed(url=url, title=_one_line(feed_meta.get("title")), kind=version or "unknown",
                entries=tuple(out))
