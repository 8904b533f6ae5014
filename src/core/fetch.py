"""Fetching web pages and feeds over http(s), with limits and one-line errors.

``fetch(url)`` follows redirects itself (so every hop is counted and checked
to stay on http or https), enforces one deadline for the whole exchange
(connect, redirects and every read of the body), stops reading as soon as the
body exceeds the size cap, and refuses content that is not a web page or a
feed. Every failure is an :class:`~newsreader.core.errors.InputError` whose
message is one line starting with the URL the user gave, e.g.
``https://example.org/x: HTTP 404 Not Found``.

Only the standard library is used (``urllib.request``); proxies from the
usual environment variables are honoured, as ``urllib`` does.
"""
from __future__ import annotations

import datetime as _dt
import http.client
import socket
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib
from dataclasses import dataclass, field
from email.message import Message
from http import HTTPStatus

from .errors import InputError
from .urls import is_url

__all__ = ["Fetched", "fetch", "is_url", "USER_AGENT", "DEFAULT_TIMEOUT", "DEFAULT_MAX_BYTES",
           "DEFAULT_MAX_REDIRECTS", "HTML_TYPES", "FEED_TYPES", "TEXT_TYPES"]

try:
    from importlib.metadata import version as _version

    _VERSION = _version("newsreader")
except Exception:  # not installed (running from a checkout)
    _VERSION = "0"

USER_AGENT = (f"newsreader/{_VERSION} (terminal news reader for critical reading; "
              "fetches one page per article)")
DEFAULT_TIMEOUT = 20.0           # seconds for the whole exchange, redirects included
DEFAULT_MAX_BYTES = 10 * 1024 * 1024  # 10 MiB: far beyond any article page
DEFAULT_MAX_REDIRECTS = 5

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/rdf+xml",
                        "application/xml", "text/xml", "application/x-rss+xml"})
TEXT_TYPES = frozenset({"text/plain", "text/markdown", "text/x-markdown"})
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class Fetched:
    url: str                 # as asked for
    final_url: str           # after redirects
    status: int
    content_type: str        # media type only, lower case ("text/html"); "" when absent
    body: bytes
    fetched_at: str          # UTC, ISO 8601 ("2025-11-18T09:30:00Z")
    charset: str | None = None           # from the Content-Type header, if any
    redirects: tuple[str, ...] = field(default=())  # every URL visited before final_url

    @property
    def kind(self) -> str:
        """"html", "feed", "text" or "unknown" (from the header, else the bytes)."""
        return content_kind(self.content_type, self.body)


def _sniff(body: bytes) -> str:
    head = body[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<?xml"):
        head = head[head.find(b"?>") + 2:].lstrip() if b"?>" in head else head
        # comments or a stylesheet PI may come before the root element
        for _ in range(5):
            if head.startswith(b"<!--") and b"-->" in head:
                head = head[head.find(b"-->") + 3:].lstrip()
            elif head.startswith(b"<?") and b"?>" in head:
                head = head[head.find(b"?>") + 2:].lstrip()
            else:
                break
    if head.startswith((b"<rss", b"<feed", b"<rdf:rdf", b"<rdf")):
        return "feed"
    if head.startswith((b"<!doctype html", b"<html", b"<head", b"<body")) or b"<html" in head:
        return "html"
    return "unknown"


def content_kind(content_type: str, body: bytes) -> str:
    """Classify a response: the bytes win over a generic or missing header."""
    sniffed = _sniff(body)
    if content_type in HTML_TYPES:
        return "feed" if sniffed == "feed" else "html"
    if content_type in FEED_TYPES:
        return "html" if sniffed == "html" else "feed"
    if content_type in TEXT_TYPES:
        return sniffed if sniffed != "unknown" else "text"
    if not content_type or content_type in ("application/octet-stream", "binary/octet-stream"):
        return sniffed
    return "unknown"


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _check_scheme(original: str, url: str, *, redirected: bool) -> urllib.parse.SplitResult:
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError as exc:
        raise InputError(f"{original}: not a valid URL ({exc})") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        where = f"redirected to {url}, " if redirected else ""
        shown = scheme or "no scheme"
        raise InputError(f"{original}: {where}only http and https URLs are supported "
                         f"(not {shown})")
    if not parts.hostname:
        raise InputError(f"{original}: not a valid URL (no host name)")
    return parts


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Hand every 3xx back to ``fetch`` so it can count and check each hop."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: D401
        return None


class _KeepErrors(urllib.request.HTTPErrorProcessor):
    """Return every response, whatever its status; ``fetch`` judges the status."""

    def http_response(self, request, response):
        return response

    https_response = http_response


def _opener() -> urllib.request.OpenerDirector:
    ctx = ssl.create_default_context()
    return urllib.request.build_opener(_NoRedirect(), _KeepErrors(),
                                       urllib.request.HTTPSHandler(context=ctx))


def _status_line(status: int, reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        try:
            reason = HTTPStatus(status).phrase
        except ValueError:
            reason = ""
    return f"HTTP {status} {reason}".rstrip()


def _network_error(original: str, url: str, exc: BaseException, timeout: float) -> InputError:
    """One line for every way a connection can fail."""
    host = urllib.parse.urlsplit(url).hostname or url
    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return InputError(f"{original}: timed out after {timeout:g} s")
    if isinstance(reason, socket.gaierror):
        return InputError(f"{original}: cannot find host {host} (DNS lookup failed)")
    if isinstance(reason, ConnectionRefusedError):
        return InputError(f"{original}: connection refused by {host}")
    if isinstance(reason, ConnectionResetError):
        return InputError(f"{original}: connection reset by {host}")
    if isinstance(reason, ssl.SSLCertVerificationError):
        detail = getattr(reason, "verify_message", None) or "certificate not trusted"
        return InputError(f"{original}: TLS certificate of {host} rejected ({detail})")
    if isinstance(reason, ssl.SSLError):
        return InputError(f"{original}: TLS error talking to {host} ({reason.reason or reason})")
    if isinstance(reason, http.client.RemoteDisconnected):
        return InputError(f"{original}: {host} closed the connection without a response")
    if isinstance(reason, http.client.IncompleteRead):
        return InputError(f"{original}: {host} closed the connection mid-page")
    if isinstance(reason, (http.client.HTTPException, ValueError)):
        return InputError(f"{original}: bad response from {host} ({type(reason).__name__})")
    if isinstance(reason, OSError):
        text = reason.strerror or str(reason) or type(reason).__name__
        return InputError(f"{original}: cannot connect to {host} ({text})")
    text = str(reason).strip().splitlines()[0] if str(reason).strip() else type(reason).__name__
    return InputError(f"{original}: cannot fetch ({text})")


def _media_type(headers: Message) -> tuple[str, str | None]:
    raw = headers.get("Content-Type") or ""
    msg = Message()
    msg["Content-Type"] = raw
    media = msg.get_content_type() if raw else ""
    charset = msg.get_param("charset") if raw else None
    if isinstance(charset, tuple):  # RFC 2231 form
        charset = charset[2]
    return media.lower(), (str(charset).strip().strip('"').lower() or None) if charset else None


def _mib(n: int) -> str:
    return f"{n / (1024 * 1024):g} MiB" if n >= 1024 * 1024 else f"{n // 1024} KiB" \
        if n >= 1024 else f"{n} bytes"


def _read_body(original: str, resp, deadline: float, timeout: float, max_bytes: int) -> bytes:
    length = resp.headers.get("Content-Length")
    if length and length.strip().isdigit() and int(length) > max_bytes:
        raise InputError(f"{original}: page too large ({_mib(int(length))}; the limit is "
                         f"{_mib(max_bytes)})")
    encoding = (resp.headers.get("Content-Encoding") or "identity").strip().lower()
    if encoding in ("gzip", "x-gzip"):
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    elif encoding == "deflate":
        inflater = zlib.decompressobj()
    elif encoding in ("identity", ""):
        inflater = None
    else:
        raise InputError(f"{original}: unsupported content encoding {encoding!r}")
    chunks: list[bytes] = []
    size = 0
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise InputError(f"{original}: timed out after {timeout:g} s")
        _set_timeout(resp, remaining)
        chunk = resp.read1(_CHUNK) if hasattr(resp, "read1") else resp.read(_CHUNK)
        if not chunk:
            break
        if inflater is not None:
            try:
                chunk = inflater.decompress(chunk, max_bytes + 1 - size)
            except zlib.error:
                raise InputError(f"{original}: the server sent a corrupt {encoding} body") from None
        size += len(chunk)
        if size > max_bytes:
            raise InputError(f"{original}: page too large (more than {_mib(max_bytes)}; "
                             "the limit is " f"{_mib(max_bytes)})")
        chunks.append(chunk)
    return b"".join(chunks)


def _set_timeout(resp, seconds: float) -> None:
    """Shrink the socket timeout to what is left of the deadline."""
    try:
        sock = resp.fp.raw._sock  # http.client.HTTPResponse -> SocketIO -> socket
    except AttributeError:
        return
    try:
        sock.settimeout(max(seconds, 0.001))
    except OSError:
        pass


def fetch(url: str, *, timeout: float = DEFAULT_TIMEOUT, max_bytes: int = DEFAULT_MAX_BYTES,
          max_redirects: int = DEFAULT_MAX_REDIRECTS,
          accept: frozenset[str] | set[str] = frozenset({"html", "feed"})) -> Fetched:
    """GET ``url`` and return the body; see the module docstring for the limits.

    ``accept`` lists the kinds of content wanted ("html", "feed", "text"); any
    other kind is refused with a one-line error naming the content type.
    """
    original = url.strip()
    current = original
    _check_scheme(original, current, redirected=False)
    deadline = time.monotonic() + timeout
    opener = _opener()
    visited: list[str] = []
    seen: set[str] = set()
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise InputError(f"{original}: timed out after {timeout:g} s")
        req = urllib.request.Request(current, headers={
            "User-Agent": USER_AGENT,
            "Accept": "text/html,application/xhtml+xml,application/rss+xml,"
                      "application/atom+xml,application/xml;q=0.9,text/plain;q=0.5,*/*;q=0.1",
            "Accept-Encoding": "gzip",
            "Accept-Language": "en;q=1.0, *;q=0.5",
        })
        try:
            resp = opener.open(req, timeout=remaining)
        except urllib.error.URLError as exc:
            raise _network_error(original, current, exc, timeout) from None
        except (OSError, http.client.HTTPException, ValueError) as exc:
            raise _network_error(original, current, exc, timeout) from None
        try:
            status = resp.status
            if status in (301, 302, 303, 307, 308):
                location = resp.headers.get("Location")
                if not location:
                    raise InputError(f"{original}: {_status_line(status, resp.reason)} "
                                     "without a Location header")
                target = urllib.parse.urljoin(current, location.strip())
                target = urllib.parse.urldefrag(target)[0] or target
                visited.append(current)
                seen.add(current)
                if target in seen:
                    raise InputError(f"{original}: redirect loop ({current} -> {target})")
                if len(visited) > max_redirects:
                    raise InputError(f"{original}: too many redirects (more than "
                                     f"{max_redirects})")
                _check_scheme(original, target, redirected=True)
                current = target
                continue
            if not 200 <= status < 300:
                raise InputError(f"{original}: {_status_line(status, resp.reason)}")
            media, charset = _media_type(resp.headers)
            body = _read_body(original, resp, deadline, timeout, max_bytes)
        except InputError:
            raise
        except (TimeoutError, socket.timeout) as exc:
            raise _network_error(original, current, exc, timeout) from None
        except (OSError, http.client.HTTPException) as exc:
            raise _network_error(original, current, exc, timeout) from None
        finally:
            resp.close()
        fetched = Fetched(url=original, final_url=current, status=status, content_type=media,
                          body=body, fetched_at=_now(), charset=charset,
                          redirects=tuple(visited))
        kind = fetched.kind
        if kind not in accept:
            shown = media or "no content type"
            names = {"html": "a web page", "feed": "an RSS/Atom feed", "text": "plain text"}
            wanted = " or ".join(names[k] for k in ("html", "feed", "text") if k in accept)
            raise InputError(f"{original}: not {wanted} ({shown})")
        return fetched
