"""Articles in: bytes → text → normalised body + metadata.

``load_path`` reads a file (or ``-`` for stdin), decodes it, picks the format
(plain text, Markdown, HTML), extracts metadata (title, date, source, URL,
author) so that it never stays in the body, removes scraping boilerplate and
returns an :class:`~newsreader.core.models.Article` whose id is a hash of the
normalised body.

Every failure raises :class:`~newsreader.core.errors.InputError` with one line
that names the file.
"""
from __future__ import annotations

import hashlib
import re
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .errors import InputError
from .models import Article
from .text import clean, normalise, normalise_paragraphs, printable, split_paragraphs

MAX_BYTES = 64 * 1024 * 1024  # far beyond any article; protects memory

# --------------------------------------------------------------------------- decoding

_MAGIC = [
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a zip archive"),
    (b"PK\x05\x06", "a zip archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"\x7fELF", "an executable"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"RIFF", "a media file"),
    (b"OggS", "a media file"),
    (b"ID3", "an audio file"),
]
_BOMS = [
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
]


def _control_ratio(text: str) -> float:
    if not text:
        return 0.0
    bad = sum(1 for ch in text if (ord(ch) < 32 and ch not in "\n\r\t\f") or 0x7F <= ord(ch) < 0xA0
              or ch == "\ufffd")
    return bad / len(text)


def decode(data: bytes, name: str) -> str:
    """Decode article bytes: BOMs, UTF-8, UTF-16 without BOM, legacy cp1252/latin-1.

    Refuses binary data (known file signatures, NUL bytes in a non-UTF-16 file,
    or bytes that decode to mostly control characters).
    """
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise InputError(f"{name}: not a text file ({what})")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc).lstrip("\ufeff")
            except UnicodeDecodeError:
                raise InputError(f"{name}: not valid {enc.upper()} text despite its byte-order mark") from None
    if b"\x00" in data:
        text = _utf16_without_bom(data)
        if text is None:
            raise InputError(f"{name}: binary file (contains NUL bytes), not text")
        return text
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    results = from_bytes(data)
    best = results.best()
    if best is None:
        raise InputError(f"{name}: not text in any known encoding")
    # Short legacy texts are ambiguous between the single-byte Latin code pages;
    # news copy in English and western European languages is cp1252 (a superset
    # of latin-1's printable range, with the smart quotes at 0x80-0x9f), so it
    # wins whenever the detector finds it about as plausible as its first pick.
    western = {"cp1252", "latin_1", "iso8859_1", "iso8859_15", "ascii"}
    if any(m.encoding in western and m.chaos <= best.chaos + 0.15 for m in results):
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
    else:
        text = str(best)
    if _control_ratio(text) > 0.05:
        raise InputError(f"{name}: not text in any known encoding")
    return text


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text with no BOM has a NUL in every other byte for ASCII letters."""
    if len(data) < 4 or len(data) % 2:
        return None
    even, odd = data[0::2], data[1::2]
    for enc, zeros in (("utf-16-le", odd), ("utf-16-be", even)):
        if zeros.count(0) > 0.3 * len(zeros):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            if _control_ratio(text) < 0.05:
                return text
    return None


# --------------------------------------------------------------------------- boilerplate


@lru_cache(maxsize=1)
def _boilerplate() -> re.Pattern[str]:
    lines = resources.files("newsreader.core.data").joinpath("boilerplate.txt").read_text("utf-8")
    patterns = [ln.strip() for ln in lines.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    return re.compile("(?:" + "|".join(f"(?:{p})" for p in patterns) + r")[\s.:!]*", re.IGNORECASE)


def is_boilerplate(paragraph: str) -> bool:
    return _boilerplate().fullmatch(paragraph.strip()) is not None


def strip_boilerplate(paragraphs: list[str]) -> list[str]:
    return [p for p in paragraphs if not is_boilerplate(p)]


# --------------------------------------------------------------------------- metadata

_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec"
_DATE = (r"(\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?"
         rf"|\d{{1,2}} (?:{_MONTHS})[a-z]* \d{{4}}|(?:{_MONTHS})[a-z]* \d{{1,2}},? \d{{4}})")
# "date 2025-11-18 The ..." glued to the first sentence, or "Published: 18 Nov 2025".
_DATE_PREFIX = re.compile(rf"^(?:date|published(?: on)?|updated|posted(?: on)?)\s*:?\s*{_DATE}\s*[|·•:–—-]?\s*",
                          re.IGNORECASE)
_KEY_LINE = re.compile(r"^(title|headline|date|published|source|outlet|publisher|url|link|author|by)\s*:\s*(.+)$",
                       re.IGNORECASE)
_KEYS = {"title": "title", "headline": "title", "date": "date", "published": "date", "source": "source",
         "outlet": "source", "publisher": "source", "url": "url", "link": "url", "author": "author",
         "by": "author"}
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")


def iso_date(value: str | None) -> str | None:
    """YYYY-MM-DD for the date forms news pages use, else None."""
    if not value:
        return None
    value = value.strip()
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", value)
    if m:
        return "-".join(m.groups())
    from datetime import datetime

    for fmt in ("%d %b %Y", "%d %B %Y", "%b %d %Y", "%B %d %Y", "%b %d, %Y", "%B %d, %Y"):
        try:
            return datetime.strptime(value.replace("Sept", "Sep"), fmt).date().isoformat()
        except ValueError:
            continue
    return None


@dataclass
class _Meta:
    title: str | None = None
    date: str | None = None
    source: str | None = None
    url: str | None = None
    author: str | None = None
    extra: dict = field(default_factory=dict)

    def set(self, key: str, value: str) -> None:
        value = clean(value).strip().strip('"').strip()
        if not value:
            return
        if key == "date":
            value = iso_date(value) or value
        if getattr(self, key) is None:
            setattr(self, key, value)


def _front_matter(text: str, meta: _Meta) -> str:
    """YAML-style front matter (--- ... ---) and leading ``Key: value`` lines."""
    lines = text.split("\n")
    if lines and lines[0].strip() == "---":
        for i in range(1, min(len(lines), 60)):
            if lines[i].strip() in ("---", "..."):
                for ln in lines[1:i]:
                    m = _KEY_LINE.match(ln.strip())
                    if m:
                        meta.set(_KEYS[m.group(1).lower()], m.group(2))
                return "\n".join(lines[i + 1:])
    i = 0
    while i < len(lines) and i < 10:
        ln = lines[i].strip()
        if not ln and i > 0:
            i += 1
            continue
        m = _KEY_LINE.match(ln)
        if not m or (m.group(1).lower() in ("by",) and len(m.group(2)) > 80):
            break
        meta.set(_KEYS[m.group(1).lower()], m.group(2))
        i += 1
    return "\n".join(lines[i:])


def _looks_like_title(first: str, rest: list[str]) -> bool:
    """A first paragraph is a headline when it is short and plainly not the lead.

    Headlines have no final full stop, or are much shorter than the paragraph
    that follows (scraped copy often keeps the headline's full stop).
    """
    if not rest or len(first) > 200 or len(first.split()) > 25 or first[:1] in "\"“‘'":
        return False
    if not _SENTENCE_END.search(first):
        return True
    return len(first) * 1.8 < len(rest[0]) and first.count(". ") == 0


def _apply_text_metadata(paragraphs: list[str], meta: _Meta, *, title_from_first: bool) -> list[str]:
    if paragraphs:
        m = _DATE_PREFIX.match(paragraphs[0])
        if m:
            meta.set("date", m.group(1))
            paragraphs[0] = paragraphs[0][m.end():].strip()
            if not paragraphs[0]:
                paragraphs.pop(0)
    if title_from_first and meta.title is None and len(paragraphs) > 1 and _looks_like_title(paragraphs[0], paragraphs[1:]):
        meta.title = paragraphs.pop(0)
        if paragraphs:  # a date line right under the headline
            m = _DATE_PREFIX.match(paragraphs[0])
            if m:
                meta.set("date", m.group(1))
                paragraphs[0] = paragraphs[0][m.end():].strip()
                if not paragraphs[0]:
                    paragraphs.pop(0)
    if meta.title:
        # a title repeated as the first paragraph is metadata, not body
        while paragraphs and paragraphs[0].strip().lower() == meta.title.strip().lower():
            paragraphs.pop(0)
    return paragraphs


# --------------------------------------------------------------------------- formats


def _markdown_paragraphs(text: str, meta: _Meta) -> list[str]:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark")
    tokens = md.parse(text)
    paragraphs: list[str] = []
    first_block = True
    heading_level = None
    for tok in tokens:
        if tok.type == "heading_open":
            heading_level = tok.tag
        elif tok.type == "inline":
            parts = []
            for child in tok.children or []:
                if child.type in ("text", "code_inline"):
                    parts.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    parts.append(" ")
                elif child.type == "image":
                    continue
            para = "".join(parts).strip()
            if para:
                if heading_level == "h1" and first_block and meta.title is None:
                    meta.title = para
                else:
                    paragraphs.append(para)
                first_block = False
        elif tok.type == "heading_close":
            heading_level = None
    return paragraphs


def _html_article(raw: str, meta: _Meta, name: str) -> list[str]:
    import trafilatura

    doc = trafilatura.bare_extraction(raw, with_metadata=True, include_comments=False,
                                      include_tables=False, favor_precision=True, url=meta.url)
    if doc is None:
        raise InputError(f"{name}: no article text found in this HTML page")
    get = doc.get if isinstance(doc, dict) else (lambda k: getattr(doc, k, None))
    for key, attr in (("title", "title"), ("date", "date"), ("source", "sitename"), ("url", "url"),
                      ("author", "author")):
        value = get(attr)
        if value:
            meta.set(key, str(value))
    body = get("text") or ""
    return [ln for ln in clean(body).split("\n") if ln.strip()]


def detect_format(name: str, text: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix in (".html", ".htm", ".xhtml", ".shtml"):
        return "html"
    if suffix in (".md", ".markdown", ".mdown"):
        return "markdown"
    head = text[:2048].lstrip().lower()
    if head.startswith(("<!doctype html", "<html", "<?xml")) or ("<body" in head and "</" in text):
        return "html"
    return "text"


# --------------------------------------------------------------------------- public API


def article_id(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


# control characters that are not whitespace (ESC, NUL, C1...): text made only of
# these and whitespace is junk, not an empty file
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x9f]")


def load_text(text: str, *, location: str | None = None, fmt: str | None = None,
              url: str | None = None, source: str | None = None) -> Article:
    """Build an Article from decoded text of the given format (sniffed when None)."""
    name = location or "<text>"
    fmt = fmt or detect_format(name, text)
    meta = _Meta(url=url, source=source)
    raw = text
    if fmt == "html":
        paragraphs = _html_article(text, meta, name)
        paragraphs = normalise_paragraphs(paragraphs).split("\n\n")
        title_from_first = False
    else:
        text = clean(text)
        text = _front_matter(text, meta)
        if fmt == "markdown":
            paragraphs = [normalise(p) for p in _markdown_paragraphs(text, meta)]
        else:
            paragraphs = split_paragraphs(text)
        title_from_first = True
    paragraphs = strip_boilerplate([p for p in paragraphs if p])
    paragraphs = _apply_text_metadata(paragraphs, meta, title_from_first=title_from_first)
    body = normalise_paragraphs(paragraphs)
    if not body.strip():
        if text.strip():
            raise InputError(f"{name}: no article text found (only headline, metadata or boilerplate)")
        if _CONTROLS.search(raw):
            raise InputError(f"{name}: no readable text (only control characters or terminal "
                             "escape sequences)")
        raise InputError(f"{name}: the file is empty or has only whitespace")
    if meta.title:
        meta.title = normalise(meta.title).replace("\n\n", " ")
    return Article(id=article_id(body), text=body, title=meta.title, date=meta.date, source=meta.source,
                   url=meta.url, location=location, author=meta.author)


def read_bytes(path: str) -> bytes:
    """The raw bytes of ``path`` (``-`` is stdin) with one-line errors."""
    if path == "-":
        data = sys.stdin.buffer.read(MAX_BYTES + 1)
    else:
        p = Path(path)
        try:
            if p.is_dir():
                raise InputError(f"{path}: is a directory, not a file")
            with p.open("rb") as fh:
                data = fh.read(MAX_BYTES + 1)
        except FileNotFoundError:
            raise InputError(f"{path}: no such file") from None
        except PermissionError:
            raise InputError(f"{path}: permission denied (cannot read the file)") from None
        except IsADirectoryError:
            raise InputError(f"{path}: is a directory, not a file") from None
        except OSError as exc:
            raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if len(data) > MAX_BYTES:
        raise InputError(f"{path}: larger than {MAX_BYTES // (1024 * 1024)} MiB, too big for an article")
    return data


def load_path(path: str, *, fmt: str | None = None) -> Article:
    """Read, decode and normalise an article file (``-`` reads stdin)."""
    name = "<stdin>" if path == "-" else path
    data = read_bytes(path)
    if not data.strip():
        raise InputError(f"{name}: the file is empty or has only whitespace")
    text = decode(data, name)
    # the location is shown and exported: a hostile file name must stay inert text
    location = None if path == "-" else printable(str(Path(path).resolve()))
    return load_text(text, location=location or "<stdin>", fmt=fmt or detect_format(name, text))


def bundled_samples() -> list[str]:
    """Paths of the sample articles shipped in ``newsreader.seeds``."""
    root = resources.files("newsreader.seeds")
    return sorted(str(p) for p in root.iterdir() if p.name.endswith(".txt"))
