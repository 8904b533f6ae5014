"""Normalising untrusted article text.

Article text is drawn in a terminal, so anything a terminal could act on is
removed here, once, before any other module sees the text: escape sequences
(CSI, OSC, DCS, SOS/PM/APC and their 8-bit forms), C0/C1 control characters
and bidi overrides. Markup-looking text such as ``[bold]`` is ordinary text and
stays; the reader never parses article text as markup.

The result has paragraphs separated by exactly one blank line ("\\n\\n"), no
empty paragraphs, single spaces inside lines and no trailing spaces.
"""
from __future__ import annotations

import re
import unicodedata

# ESC-introduced sequences. String sequences (OSC, DCS, SOS, PM, APC) end at BEL
# or ST (ESC \ or 0x9c); an unterminated one runs to the end of the line so a
# truncated sequence cannot swallow the rest of the article.
_STRING_END = r"(?:\x07|\x1b\\|\x9c|(?=\n)|$)"
_ESCAPES = re.compile(
    r"(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?"          # CSI ... final
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c\n]*" + _STRING_END +  # OSC/DCS/SOS/PM/APC
    r"|\x1b[\x20-\x2f]*[\x30-\x7e]?",                                  # other ESC sequences
)

# Characters removed outright: C0 controls except \t and \n, DEL, C1 controls,
# bidi embeddings/overrides/isolates and marks, zero-width spaces, BOM, soft hyphen.
_REMOVE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x9f"
    "\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u00ad]"
)
_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x85]")
_NEWLINE_CHARS = re.compile(r"[\r\u2028\u2029\x85]")   # what _NEWLINES can match first
_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_ODD_SPACE = re.compile(r"[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")   # _SPACES but " "
_BLANK_LINES = re.compile(r"\n[ \t]*\n\s*")


# what must never reach a terminal inside a one-line value (a file name, a label, a
# message): controls, line breaks, bidi overrides and invisible characters
_UNPRINTABLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u2028\u2029\u202a-\u202e"
    "\u2060-\u2064\u2066-\u2069\ufeff]"
)


def printable(value: str) -> str:
    """One inert line: each control, line break or bidi character becomes U+FFFD.

    For values that are shown but not article text (file names, URLs, error
    messages), where removing characters would hide what the value really is.
    """
    return _UNPRINTABLE.sub("\ufffd", value)


_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029]")


def json_safe(encoded: str) -> str:
    """Escape what ``json.dumps(ensure_ascii=False)`` leaves raw but a terminal or a
    line splitter may act on (DEL, C1 controls, U+2028/U+2029) as ``\\uXXXX``."""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", encoded)


def strip_controls(text: str) -> str:
    """Remove terminal escape sequences and control characters (keeps \\n and \\t)."""
    if _REMOVE.search(text) is None:
        return text   # every escape sequence starts with a character _REMOVE matches
    text = _ESCAPES.sub("", text)
    return _REMOVE.sub("", text)


def unify_newlines(text: str) -> str:
    if _NEWLINE_CHARS.search(text) is None:
        return text
    return _NEWLINES.sub("\n", text)


def _single_spaces(text: str) -> str:
    """``_SPACES.sub(" ", text)``, skipped when it would change nothing (no run of two
    and no other space character): substituting every word gap of a 600 KB article
    with itself costs more than the rest of its normalisation."""
    if "  " not in text and _ODD_SPACE.search(text) is None:
        return text
    return _SPACES.sub(" ", text)


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs of already newline-unified text.

    Text that uses blank lines between paragraphs is split on them, and single
    newlines inside a paragraph are hard wraps (joined with a space). Text with
    no blank line at all has one paragraph per line (common in scraped copy).
    """
    text = text.strip("\n ")
    if not text:
        return []
    if _BLANK_LINES.search(text):
        blocks = _BLANK_LINES.split(text)
        paras = [" ".join(line.strip() for line in b.split("\n") if line.strip()) for b in blocks]
    else:
        paras = [line for line in text.split("\n")]
    out = []
    for p in paras:
        p = _single_spaces(p).strip()
        if p:
            out.append(p)
    return out


def clean(text: str) -> str:
    """NFC, unified newlines, controls and escapes removed (paragraph layout untouched)."""
    text = unify_newlines(text)
    text = strip_controls(text)
    return unicodedata.normalize("NFC", text)


def normalise(text: str) -> str:
    """The canonical body text: clean, then paragraphs joined by one blank line."""
    return "\n\n".join(split_paragraphs(clean(text)))


def normalise_paragraphs(paragraphs: list[str]) -> str:
    """Join already-split paragraphs (e.g. from HTML extraction) canonically."""
    out = []
    for p in paragraphs:
        p = _single_spaces(clean(p).replace("\n", " ")).strip()
        if p:
            out.append(p)
    return "\n\n".join(out)
