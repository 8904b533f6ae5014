"""The library: bringing articles in from files, folders, web pages and feeds,
keeping them (with the raw web page, so they open offline), removing them,
and grouping articles about the same event into stories.

Public functions (the reader and the commands call these):

* :func:`load_source` / :func:`load_sources`: one command-line argument (a file
  path, ``-`` or an http(s) URL) to an :class:`~newsreader.core.models.Article`.
  With a store, a URL already in the library opens from the store without the
  network, and a newly fetched page is added and kept.
* :func:`add_sources`: ``newsreader add`` (files, folders, URLs, feeds) with a
  per-item :class:`AddReport`.
* :func:`remove`: ``newsreader remove`` without the prompting.
* :func:`resolve_id`: an article id or a unique prefix of one.
* :func:`group_stories` / :func:`story_index`: articles about the same event.
* :func:`saved_page` / :func:`reload_page`: the kept raw page of a web article.

Web pages are kept as files next to the database:
``<data dir>/pages/<article id>.html`` (the bytes exactly as served) and
``<article id>.json`` (URL asked for, final URL, fetch time, HTTP status,
content type and charset).
"""
from __future__ import annotations

import codecs
import dataclasses
import datetime as _dt
import hashlib
import json
import os
import re
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Sequence

from . import fetch as _fetch
from .errors import InputError, NewsreaderError
from .feeds import Feed, FeedEntry, parse_feed
from .ingest import decode, load_path, load_text
from .models import Analysis, Article

if TYPE_CHECKING:  # pragma: no cover
    from .store import Store

__all__ = [
    "ARTICLE_SUFFIXES", "AddResult", "AddReport", "WebPage", "SavedPage", "Story", "RemoveResult",
    "load_source", "load_sources", "fetch_article", "article_from_page", "decode_page",
    "add_sources", "iter_article_files", "pages_dir", "save_page", "saved_page",
    "reload_page", "resolve_id", "remove", "group_stories", "story_index", "library_analyses",
    "FETCH_WORKERS",
]

#: file types ``newsreader add DIR`` picks up
ARTICLE_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
#: pages fetched at once when adding a feed
FETCH_WORKERS = 4


# =========================================================================== web pages


@dataclass(frozen=True)
class WebPage:
    """An article extracted from a fetched page, with the response it came from."""
    article: Article
    fetched: _fetch.Fetched


@dataclass(frozen=True)
class SavedPage:
    article_id: str
    path: Path               # the raw bytes
    url: str                 # as asked for
    final_url: str
    fetched_at: str
    status: int
    content_type: str
    charset: str | None


_META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# WHATWG: these labels mean windows-1252 on the web
_WEB_LATIN1 = {"iso8859-1", "ascii"}


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None
    return "cp1252" if name in _WEB_LATIN1 else name


def decode_page(body: bytes, charset: str | None, name: str) -> str:
    """Decode a web page: a byte-order mark wins, then the HTTP charset, then a
    ``<meta charset>`` in the first 4 KiB, then :func:`ingest.decode`'s detection.
    A declared charset the bytes do not fit is ignored."""
    if body.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return decode(body, name)
    candidates = [_codec(charset)]
    m = _META_CHARSET.search(body[:4096])
    if m:
        candidates.append(_codec(m.group(1).decode("ascii", "replace")))
    for codec in candidates:
        if codec and not codec.startswith("utf_16") and not codec.startswith("utf_32"):
            try:
                return body.decode(codec)
            except UnicodeDecodeError:
                continue
    return decode(body, name)


def article_from_page(body: bytes, *, url: str, final_url: str | None = None,
                      charset: str | None = None) -> Article:
    """Extract the article from raw page bytes (no network)."""
    final_url = final_url or url
    text = decode_page(body, charset, url)
    return load_text(text, location=url, fmt="html", url=final_url)


def fetch_article(url: str, *, timeout: float = _fetch.DEFAULT_TIMEOUT,
                  max_bytes: int = _fetch.DEFAULT_MAX_BYTES,
                  max_redirects: int = _fetch.DEFAULT_MAX_REDIRECTS) -> WebPage:
    """Fetch a web page and extract its article (raises InputError for a feed)."""
    fetched = _fetch.fetch(url, timeout=timeout, max_bytes=max_bytes,
                           max_redirects=max_redirects, accept={"html"})
    return WebPage(_extract(fetched), fetched)


#: a web page whose extracted body is shorter than this is not an article (menus, logins)
MIN_WEB_WORDS = 12


def _extract(fetched: _fetch.Fetched) -> Article:
    article = article_from_page(fetched.body, url=fetched.url, final_url=fetched.final_url,
                                charset=fetched.charset)
    words = len(article.text.split())
    if words < MIN_WEB_WORDS:
        raise InputError(f"{fetched.url}: no article text found on this page (only {words} "
                         f"word{'s' if words != 1 else ''} outside navigation and boilerplate)")
    return article


# --------------------------------------------------------------------------- kept pages


def pages_dir(store: "Store") -> Path:
    """Where raw pages are kept: ``pages/`` next to the database."""
    return Path(store.path).parent / "pages"


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _safe_id(article_id: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", article_id):
        raise ValueError(f"not an article id: {article_id!r}")
    return article_id


def save_page(store: "Store", article_id: str, fetched: _fetch.Fetched) -> Path:
    """Keep the raw page of a web article (bytes + a small JSON record)."""
    directory = pages_dir(store)
    aid = _safe_id(article_id)
    body_path = directory / f"{aid}.html"
    meta = {"article_id": aid, "url": fetched.url, "final_url": fetched.final_url,
            "fetched_at": fetched.fetched_at, "status": fetched.status,
            "content_type": fetched.content_type, "charset": fetched.charset,
            "sha256": hashlib.sha256(fetched.body).hexdigest(), "bytes": len(fetched.body)}
    try:
        _atomic_write(body_path, fetched.body)
        _atomic_write(directory / f"{aid}.json",
                      json.dumps(meta, indent=1, ensure_ascii=False).encode("utf-8"))
    except OSError as exc:
        raise InputError(f"{fetched.url}: cannot keep the page in {directory} "
                         f"({exc.strerror or exc})") from None
    return body_path


def saved_page(store: "Store", article_id: str) -> SavedPage | None:
    """The kept page of a web article, or None (not a web article, or files gone)."""
    directory = pages_dir(store)
    try:
        aid = _safe_id(article_id)
        meta = json.loads((directory / f"{aid}.json").read_text("utf-8"))
        body = directory / f"{aid}.html"
        if not body.is_file():
            return None
        return SavedPage(aid, body, meta["url"], meta.get("final_url") or meta["url"],
                         meta["fetched_at"], int(meta.get("status") or 200),
                         meta.get("content_type") or "", meta.get("charset"))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def reload_page(store: "Store", article_id: str) -> Article:
    """Extract the article again from its kept page, offline."""
    page = saved_page(store, article_id)
    if page is None:
        raise InputError(f"{article_id}: no kept web page for this article")
    try:
        body = page.path.read_bytes()
    except OSError as exc:
        raise InputError(f"{page.path}: cannot read ({exc.strerror or exc})") from None
    return article_from_page(body, url=page.url, final_url=page.final_url, charset=page.charset)


def _delete_page(store: "Store", article_id: str) -> None:
    directory = pages_dir(store)
    for suffix in (".html", ".json"):
        try:
            (directory / f"{_safe_id(article_id)}{suffix}").unlink()
        except (OSError, ValueError):
            pass


# =========================================================================== sources


def _known_url(store: "Store", *urls: str) -> Article | None:
    for url in urls:
        if not url:
            continue
        for aid in store.articles_with_url(url):
            article = store.get_article(aid)
            if article is not None:
                return article
    return None


def load_source(arg: str, store: "Store | None" = None, *,
                timeout: float = _fetch.DEFAULT_TIMEOUT,
                max_bytes: int = _fetch.DEFAULT_MAX_BYTES) -> Article:
    """One argument of ``newsreader ARG...`` as an Article.

    A file path (or ``-``) is read with :func:`ingest.load_path`. An http(s) URL
    is fetched and extracted; with a ``store``, a URL already in the library is
    returned from the store (no network, so it opens offline), and a newly
    fetched article is added to the store with its page kept. Raises InputError
    with one line; a feed URL is refused here (use :func:`add_sources`).
    """
    if not _fetch.is_url(arg):
        return load_path(arg)
    url = arg.strip()
    if store is not None:
        known = _known_url(store, url)
        if known is not None:
            return known
    fetched = _fetch.fetch(url, timeout=timeout, max_bytes=max_bytes)
    if fetched.kind == "feed":
        raise InputError(f"{url}: is a feed; add its articles with `newsreader add {url}`")
    article = _extract(fetched)
    if store is not None:
        existing = store.get_article(article.id)
        store.add_article(article)
        if existing is None or saved_page(store, article.id) is None:
            save_page(store, article.id, fetched)
        article = store.get_article(article.id) or article
    return article


def load_sources(args: Sequence[str], store: "Store | None" = None, **kw) -> list[Article]:
    """:func:`load_source` for each argument, in order (the first failure raises)."""
    return [load_source(a, store, **kw) for a in args]


# =========================================================================== adding


@dataclass(frozen=True)
class AddResult:
    item: str                    # the path or URL (a feed's entries: the entry link)
    status: str                  # "added" | "already" | "failed"
    article_id: str | None = None
    title: str | None = None
    reason: str | None = None    # why it failed, or what it duplicates
    feed: str | None = None      # the feed URL an entry came from

    def line(self) -> str:
        """One human line: ``added  3f2a…  Title  (path)``."""
        what = self.title or self.item
        if self.status == "added":
            return f"added    {self.article_id}  {what}"
        if self.status == "already":
            return f"already  {self.article_id}  {what}" + (f"  ({self.reason})" if self.reason
                                                              else "")
        return f"failed   {self.reason or self.item}"


@dataclass
class AddReport:
    results: list[AddResult] = field(default_factory=list)
    new_articles: list[Article] = field(default_factory=list)  # added by this run, in order

    def _with(self, status: str) -> list[AddResult]:
        return [r for r in self.results if r.status == status]

    @property
    def added(self) -> list[AddResult]:
        return self._with("added")

    @property
    def already(self) -> list[AddResult]:
        return self._with("already")

    @property
    def failed(self) -> list[AddResult]:
        return self._with("failed")

    @property
    def ok(self) -> bool:
        return not self.failed

    def summary(self) -> str:
        return (f"{len(self.added)} added, {len(self.already)} already in the library, "
                f"{len(self.failed)} failed")


def iter_article_files(directory: str | os.PathLike) -> Iterator[Path]:
    """Every article file under ``directory``, recursively, in sorted path order.

    Hidden files and folders (names starting with ".") are skipped; symbolic
    links to folders are not followed (no loops).
    """
    root = Path(directory)
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            if Path(name).suffix.lower() in ARTICLE_SUFFIXES:
                yield Path(dirpath) / name


class _Adder:
    def __init__(self, store: "Store", report: AddReport, on_result, timeout, max_bytes,
                 max_redirects, limit):
        self.store = store
        self.report = report
        self.on_result = on_result
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.limit = limit

    def emit(self, result: AddResult) -> None:
        self.report.results.append(result)
        if self.on_result is not None:
            self.on_result(result)

    def keep(self, item: str, article: Article, *, feed: str | None = None,
             fetched: _fetch.Fetched | None = None) -> None:
        existing = self.store.get_article(article.id)
        if existing is not None:
            self.emit(AddResult(item, "already", article.id, existing.title or article.title,
                                "same text", feed))
            return
        self.store.add_article(article)
        if fetched is not None:
            save_page(self.store, article.id, fetched)
        self.report.new_articles.append(article)
        self.emit(AddResult(item, "added", article.id, article.title, None, feed))

    def fail(self, item: str, exc: BaseException, feed: str | None = None) -> None:
        msg = str(exc) if isinstance(exc, NewsreaderError) else f"{item}: {exc}"
        self.emit(AddResult(item, "failed", reason=msg, feed=feed))

    # -- kinds of item ----------------------------------------------------
    def add_file(self, path: str) -> None:
        try:
            article = load_path(path)
        except NewsreaderError as exc:
            self.fail(path, exc)
            return
        self.keep(path, article)

    def add_dir(self, path: str) -> None:
        files = list(iter_article_files(path))
        if not files:
            self.fail(path, InputError(f"{path}: no .txt, .md, .markdown, .html or .htm files "
                                       "in this folder"))
            return
        for f in files:
            self.add_file(str(f))

    def add_url(self, url: str) -> None:
        known = _known_url(self.store, url)
        if known is not None:
            self.emit(AddResult(url, "already", known.id, known.title, "same URL"))
            return
        try:
            fetched = _fetch.fetch(url, timeout=self.timeout, max_bytes=self.max_bytes,
                                   max_redirects=self.max_redirects)
        except NewsreaderError as exc:
            self.fail(url, exc)
            return
        if fetched.kind == "feed":
            self.add_feed(fetched)
            return
        self.add_page(url, fetched)

    def add_page(self, url: str, fetched: _fetch.Fetched, *, feed: str | None = None,
                 entry: FeedEntry | None = None) -> None:
        if fetched.final_url != url:
            known = _known_url(self.store, fetched.final_url)
            if known is not None:
                self.emit(AddResult(url, "already", known.id, known.title,
                                    f"same URL as {fetched.final_url}", feed))
                return
        try:
            article = _extract(fetched)
        except NewsreaderError as exc:
            self.fail(url, exc, feed)
            return
        if entry is not None:  # the feed fills in what the page does not say
            article = dataclasses.replace(
                article, title=article.title or entry.title, date=article.date or entry.published,
                author=article.author or entry.author)
        self.keep(url, article, feed=feed, fetched=fetched)

    def add_feed(self, fetched: _fetch.Fetched) -> None:
        feed_url = fetched.url
        try:
            feed = parse_feed(fetched.body, fetched.final_url)
        except NewsreaderError as exc:
            self.fail(feed_url, exc)
            return
        entries = list(feed.entries)
        if self.limit is not None:
            entries = entries[: self.limit]
        if not entries:
            self.fail(feed_url, InputError(f"{feed_url}: the feed lists no articles"))
            return
        todo: list[FeedEntry] = []
        for entry in entries:
            known = _known_url(self.store, entry.link)
            if known is not None:
                self.emit(AddResult(entry.link, "already", known.id, known.title, "same URL",
                                    feed_url))
            else:
                todo.append(entry)

        def get(entry: FeedEntry):
            try:
                return _fetch.fetch(entry.link, timeout=self.timeout, max_bytes=self.max_bytes,
                                    max_redirects=self.max_redirects, accept={"html"})
            except NewsreaderError as exc:
                return exc

        if not todo:
            return
        with ThreadPoolExecutor(max_workers=min(FETCH_WORKERS, len(todo))) as pool:
            for entry, got in zip(todo, pool.map(get, todo)):
                if isinstance(got, BaseException):
                    self.fail(entry.link, got, feed_url)
                else:
                    self.add_page(entry.link, got, feed=feed_url, entry=entry)


def add_sources(store: "Store", items: Iterable[str], *,
                on_result: Callable[[AddResult], None] | None = None,
                timeout: float = _fetch.DEFAULT_TIMEOUT,
                max_bytes: int = _fetch.DEFAULT_MAX_BYTES,
                max_redirects: int = _fetch.DEFAULT_MAX_REDIRECTS,
                feed_limit: int | None = None) -> AddReport:
    """Add files, folders, web pages and feeds to the library.

    Each item is an http(s) URL (a page, or an RSS/Atom feed whose linked
    articles are added), a folder (every article file under it, see
    :func:`iter_article_files`) or a file. Articles already in the library
    (same URL, or same text: the id is a hash of the body) are reported as
    "already" and not fetched again when the URL is known. Nothing raises for
    a bad item: it is a "failed" result with a one-line reason.
    ``on_result`` is called after each result (progress for the CLI and the
    reader); the report keeps them all in order.
    """
    report = AddReport()
    adder = _Adder(store, report, on_result, timeout, max_bytes, max_redirects, feed_limit)
    for item in items:
        item = str(item)
        if _fetch.is_url(item):
            adder.add_url(item.strip())
        elif item != "-" and Path(item).is_dir():
            adder.add_dir(item)
        else:
            adder.add_file(item)
    return report


# =========================================================================== removing


@dataclass(frozen=True)
class RemoveResult:
    article_id: str
    title: str | None
    removed: bool
    n_labels: int            # labels (every annotator, orphans included) it had


def resolve_id(store: "Store", given: str) -> str:
    """An article id from the full id or a unique prefix (at least 4 characters)."""
    given = given.strip()
    if store.get_article(given) is not None:
        return given
    if len(given) >= 4:
        matches = [s.id for s in store.list_articles() if s.id.startswith(given)]
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise InputError(f"{given}: ambiguous article id ({len(matches)} articles start "
                             "with it; give more characters)")
    raise InputError(f"{given}: no such article in the library (see `newsreader list`)")


def label_count(store: "Store", article_id: str) -> int:
    """Labels on an article by anyone, orphaned ones included."""
    live = sum(len(store.annotations(article_id, who)) for who in store.annotators())
    return live + len(store.orphans(article_id))


def remove(store: "Store", article_id: str, *, force: bool = False) -> RemoveResult:
    """Remove an article (and its kept page). Refuses one with labels unless ``force``."""
    article = store.get_article(article_id)
    if article is None:
        raise InputError(f"{article_id}: no such article in the library (see `newsreader list`)")
    n = label_count(store, article_id)
    if n and not force:
        raise InputError(f"{article_id}: has {n} label{'s' if n != 1 else ''}; not removed "
                         "(use --force to delete the article and its labels)")
    removed = store.remove_article(article_id)
    if removed:
        _delete_page(store, article_id)
    return RemoveResult(article_id, article.title, removed, n)


# =========================================================================== stories

#: entity kinds compared across articles, with their weight
STORY_LABELS = {"PERSON": 3.0, "ORG": 2.0, "GPE": 1.0}
#: minimum similarity (0..1) for two articles to be one story
STORY_THRESHOLD = 0.25
#: minimum number of shared people/organisations/places
STORY_MIN_SHARED = 3
#: two dated articles further apart than this are never one story
STORY_MAX_DAYS = 4


@dataclass(frozen=True)
class Story:
    id: str                          # "s-" + the id of the first article (stable while it stays)
    article_ids: tuple[str, ...]     # by date (undated last), then id
    title: str | None                # the first titled member's title
    names: tuple[str, ...]           # shared people / organisations / places, most shared first
    first_date: str | None
    last_date: str | None

    def __len__(self) -> int:
        return len(self.article_ids)


@dataclass(frozen=True)
class _Entity:
    label: str
    name: str
    keys: frozenset[str]
    weight: float
    # a person named in full also answers to a bare surname in another article
    # ("Trump" there, "Donald Trump" here), but two full names sharing only a
    # surname ("Owen Price", "Margaret Pryce") are different people
    surname_keys: frozenset[str] = frozenset()


def _person_keys(core: tuple[str, ...], skeleton) -> tuple[str | None, str | None]:
    """(full-name key, surname key) of a person's name tokens, spelling-tolerant."""
    def sk(tok: str) -> str:
        return skeleton(tok) if len(tok) >= 4 else tok
    if len(core) >= 2:
        return f"pf:{sk(core[0])} {sk(core[-1])}", f"ps:{sk(core[-1])}"
    if core:
        return None, f"ps:{sk(core[0])}"
    return None, None


def _entity_profile(article: Article, analysis: Analysis) -> list[_Entity]:
    from .analysis.names import alias_groups, norm_key, person_core, skeleton

    aliases = alias_groups()
    out: list[_Entity] = []
    for c in analysis.clusters:
        w = STORY_LABELS.get(c.label)
        if w is None:
            continue
        forms = {c.name}
        for s, e in c.mentions:
            if 0 <= s < e <= len(article.text):
                forms.add(article.text[s:e])
        keys: set[str] = set()
        surnames: set[str] = set()
        if c.label == "PERSON":
            cores = [person_core(f)[0] for f in forms]
            full = [core for core in cores if len(core) >= 2]
            for core in full or [person_core(c.name)[0]]:
                full_key, surname_key = _person_keys(core, skeleton)
                if full_key:
                    keys.add(full_key)
                    surnames.add(surname_key)
                elif surname_key:
                    keys.add(surname_key)
        else:
            for form in forms:
                k = norm_key(form)
                if k:
                    keys.add(f"a:{aliases[k]}" if k in aliases else "n:" + k)
        if not keys:
            continue
        weight = w if len(c.mentions) >= 2 else w / 2
        out.append(_Entity(c.label, c.name, frozenset(keys), weight, frozenset(surnames)))
    return out


def _date(value: str | None) -> _dt.date | None:
    if not value:
        return None
    try:
        return _dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _similarity(a: list[_Entity], b: list[_Entity]) -> tuple[float, list[str]]:
    """Dice-style overlap of weighted entities: matched weight / total weight."""
    total = sum(e.weight for e in a) + sum(e.weight for e in b)
    if not total:
        return 0.0, []
    keys_b: dict[str, list[int]] = {}
    surnames_b: dict[str, list[int]] = {}
    for j, e in enumerate(b):
        for k in e.keys:
            keys_b.setdefault(k, []).append(j)
        for k in e.surname_keys:
            surnames_b.setdefault(k, []).append(j)
    matched_a = 0.0
    matched_b: set[int] = set()
    names: list[str] = []
    for e in a:
        hits = {j for k in e.keys for j in keys_b.get(k, ())}
        hits |= {j for k in e.keys for j in surnames_b.get(k, ())}   # bare surname here
        hits |= {j for k in e.surname_keys for j in keys_b.get(k, ())}  # bare surname there
        if hits:
            matched_a += e.weight
            matched_b |= hits
            names.append(e.name)
    score = (matched_a + sum(b[j].weight for j in matched_b)) / total
    return score, names


def group_stories(source, *, threshold: float = STORY_THRESHOLD,
                  min_shared: int = STORY_MIN_SHARED, max_days: int = STORY_MAX_DAYS,
                  **library_kw) -> list[Story]:
    """Group articles about the same event.

    ``source`` is a :class:`Store` (its articles with cached analyses, see
    :func:`library_analyses`; extra keyword arguments go there) or an iterable
    of ``(Article, Analysis)`` pairs. Two articles are linked when they share
    at least ``min_shared`` people, organisations or places (names compared
    across spelling variants, aliases and acronyms) with a weighted overlap of
    at least ``threshold``, and, when both are dated, lie within ``max_days``
    of each other. Stories are the connected groups of two or more articles,
    largest first. Articles in no story are not listed.
    """
    if hasattr(source, "list_articles"):
        pairs = library_analyses(source, **library_kw)
    else:
        pairs = list(source)
    profiles = [(art, _entity_profile(art, an)) for art, an in pairs]
    n = len(profiles)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # candidates: pairs sharing at least ``min_shared`` name keys (an inverted
    # index, so a large library is not compared pair by pair)
    index: dict[str, list[int]] = {}
    for i, (_, prof) in enumerate(profiles):
        for key in {k for e in prof for k in (*e.keys, *e.surname_keys)}:
            index.setdefault(key, []).append(i)
    overlap: dict[int, int] = {}
    for members in index.values():
        for x, i in enumerate(members):
            base = i * n
            for j in members[x + 1:]:
                overlap[base + j] = overlap.get(base + j, 0) + 1
    dates = [_date(a.date) for a, _ in profiles]
    shared: dict[tuple[int, int], list[str]] = {}
    for pair in sorted(p for p, c in overlap.items() if c >= min_shared):
        i, j = divmod(pair, n)
        di, dj = dates[i], dates[j]
        if di and dj and abs((di - dj).days) > max_days:
            continue
        score, names = _similarity(profiles[i][1], profiles[j][1])
        if score >= threshold and len(names) >= min_shared:
            shared[(i, j)] = names
            parent[find(i)] = find(j)
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(i)
    stories: list[Story] = []
    for members in groups.values():
        if len(members) < 2:
            continue
        arts = [profiles[i][0] for i in members]
        arts.sort(key=lambda a: (a.date is None, a.date or "", a.id))
        counts: dict[str, int] = {}
        for (i, j), names in shared.items():
            if i in members:
                for nm in names:
                    counts[nm] = counts.get(nm, 0) + 1
        names = tuple(sorted(counts, key=lambda k: (-counts[k], k)))
        dates = sorted(a.date[:10] for a in arts if a.date)
        title = next((a.title for a in arts if a.title), None)
        stories.append(Story(id="s-" + arts[0].id[:8], article_ids=tuple(a.id for a in arts),
                             title=title, names=names, first_date=dates[0] if dates else None,
                             last_date=dates[-1] if dates else None))
    stories.sort(key=lambda s: (-len(s.article_ids), s.first_date or "9999", s.id))
    return stories


def story_index(stories: Iterable[Story]) -> dict[str, str]:
    """article id -> story id."""
    return {aid: s.id for s in stories for aid in s.article_ids}


def library_analyses(store: "Store", *, cache_dir: str | os.PathLike | None = None,
                     model: str | None = None, compute: bool = False, nlp=None,
                     ) -> list[tuple[Article, Analysis]]:
    """(Article, Analysis) for every article in the store whose analysis is cached.

    With ``compute=True`` missing analyses are computed (spaCy is loaded) and
    cached. ``cache_dir`` defaults to the analysis cache that belongs to the
    store's data dir (``paths.resolve(...).analysis_cache``).
    """
    from . import paths as _paths
    from .cache import AnalysisCache

    if cache_dir is None:
        here = Path(store.path).parent
        default = _paths.resolve(None)
        cache_dir = (default if default.data_dir == here else _paths.resolve(here)).analysis_cache
    cache = AnalysisCache(Path(cache_dir))
    if model is None:
        from .analysis.pipeline import resolve_model

        model = resolve_model(None)
    pairs: list[tuple[Article, Analysis]] = []
    missing: list[Article] = []
    for summary in store.list_articles():
        article = store.get_article(summary.id)
        if article is None:
            continue
        analysis = cache.get(article.id, model)
        if analysis is not None:
            pairs.append((article, analysis))
        elif compute:
            missing.append(article)
    if missing:
        for article, analysis in zip(missing, analyze_and_cache(missing, store, cache=cache,
                                                                model=model, nlp=nlp)):
            pairs.append((article, analysis))
    return pairs


def analyze_and_cache(articles: Sequence[Article], store: "Store | None" = None, *,
                      cache=None, model: str | None = None, nlp=None,
                      on_progress=None) -> list[Analysis]:
    """Analyse articles (one batched pass), cache the results and record sentence counts."""
    from .analysis import pipeline

    if not articles:
        return []
    if nlp is None:
        nlp = pipeline.load_nlp(model)
    out: list[Analysis] = []
    for analysis in pipeline.analyze_many(list(articles), nlp, on_progress=on_progress):
        if cache is not None:
            cache.put(analysis)
        if store is not None:
            store.set_sentence_count(analysis.article_id, len(analysis.sentences))
        out.append(analysis)
    return out
