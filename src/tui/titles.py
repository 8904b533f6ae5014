"""What the reader calls an article: its title, or the first words of its text.

An article without a title (ingest found none) is not named after its file:
the reader shows the first words of its first sentence followed by an
ellipsis, and draws them dimmed and in italics so they never pass for a
headline. Every screen (library, reader header, compare) uses these helpers,
so one article is called the same everywhere.

No Textual import here; Content is built by the callers.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

#: words of the first sentence shown for an untitled article
FALLBACK_WORDS = 8
#: and never more characters than this (before the ellipsis)
FALLBACK_CHARS = 60

# a sentence ends at . ! ? … (then closing quotes/brackets) before a space and
# a capital, a digit or an opening quote
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+(?=[A-Z0-9“\"‘'(\[])")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Title:
    text: str
    real: bool          # False: made from the article's first words, not a headline

    def __str__(self) -> str:
        return self.text


def clean(text: str) -> str:
    """One line of plain text: control characters gone, whitespace collapsed."""
    if text.isprintable():       # the common case, without the regex (10,000 rows per reload)
        return " ".join(text.split())
    return " ".join(_CONTROL.sub(" ", text).split())


def first_words(text: str, words: int = FALLBACK_WORDS, chars: int = FALLBACK_CHARS) -> str:
    """The first words of the first sentence of ``text``, then "…".

    Empty when the text has no words.
    """
    para = text.lstrip().split("\n\n", 1)[0]
    m = _SENTENCE_END.search(para)
    sentence = clean(para[: m.start()] if m else para)
    if not sentence:
        return ""
    picked = sentence.split()[:words]
    out = " ".join(picked)
    if len(out) > chars:
        cut = out[:chars]
        out = cut.rsplit(" ", 1)[0] if " " in cut else cut
    return out.rstrip(" ,;:–—-.") + "…"


def article_title(article) -> Title:
    """The title of an :class:`~newsreader.core.models.Article` as the reader shows it."""
    if article.title and clean(article.title):
        return Title(clean(article.title), True)
    words = first_words(article.text)
    if words:
        return Title(words, False)
    return Title("Untitled article", False)
