"""Analysis: a spaCy pipeline plus newsreader's components (see ``pipeline``).

Importing this package is cheap and does not import spaCy.
"""
from __future__ import annotations

_TEXT_KEY = "nr_text"


def doc_text(doc) -> str:
    """``doc.text``, computed once per doc and shared by the newsreader components.

    spaCy's ``Doc.text`` joins every token in Python each time it is read, which
    costs more than a cheap component's own work; the first component to ask
    stores it in ``doc.user_data`` and ``newsreader_suggest`` (the last) removes
    it again. The cached value is checked against the doc's length.
    """
    n = len(doc)
    length = doc[n - 1].idx + len(doc[n - 1].text_with_ws) if n else 0
    cached = doc.user_data.get(_TEXT_KEY)
    if cached is not None and len(cached) == length:
        return cached
    text = doc.text
    doc.user_data[_TEXT_KEY] = text
    return text


def forget_doc_text(doc) -> None:
    doc.user_data.pop(_TEXT_KEY, None)
