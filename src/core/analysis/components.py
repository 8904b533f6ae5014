"""The single spaCy entry-point module for newsreader's pipeline components.

spaCy imports every ``spacy_factories`` entry point each time a ``Language`` is
created, so this module must import cheaply and never fail: it only defines
small functions and imports the modules that register the other factories.
Data files and heavy helpers load lazily, on first use of a component.

Factories (all usable with ``nlp.add_pipe(NAME)`` in any English pipeline):

``newsreader_paragraphs``   before "parser": sentences never cross a paragraph
``newsreader_news_entities`` after "ner": news fixes + entity clusters
``newsreader_quotes``        direct quotations and their speakers
``newsreader_attribution``   attributed claims ("X said", "according to X")
``newsreader_suggest``       last: a fact/quote/opinion suggestion per sentence
"""
from __future__ import annotations

from spacy.language import Language

from . import doc_text, forget_doc_text  # noqa: F401
from spacy.tokens import Doc

from .entities import make_news_entities  # noqa: F401  (registers the factory)
from .suggest import make_suggest  # noqa: F401  (registers the factory)

from .quotes import make_quotes  # noqa: F401  (registers the factory)
from .attribution import make_attribution  # noqa: F401  (registers the factory)

#: component names in pipeline order; "model" marks where the spaCy model's own pipes go
ORDER = ("newsreader_paragraphs", "model", "newsreader_news_entities",
         "newsreader_quotes", "newsreader_attribution", "newsreader_suggest")


def registered() -> list[str]:
    """The newsreader factories available in this process, in pipeline order."""
    return [name for name in ORDER if name != "model" and Language.has_factory(name)]


class ParagraphBoundaries:
    """Mark a sentence start after every paragraph break ("\\n\\n").

    Whitespace tokens never start a sentence (they stay at the end of the
    sentence before them), so there are no whitespace-only sentences and a
    sentence never spans two paragraphs. Other boundaries are left to the
    parser/senter, which respects the preset values.
    """

    def __call__(self, doc: Doc) -> Doc:
        # Token.is_sent_start's setter scans the whole doc each time
        # (Doc.has_annotation), so write the SENT_START column in one go.
        from spacy.attrs import SENT_START

        if len(doc) == 0:
            return doc
        text = doc_text(doc)
        import numpy

        col = doc.to_array([SENT_START]).astype(numpy.int64)
        prev_end = -1   # end char of the previous non-space token
        for tok in doc:
            if tok.is_space:
                if prev_end >= 0:
                    col[tok.i] = -1
                continue
            if prev_end < 0 or "\n\n" in text[prev_end:tok.idx]:
                col[tok.i] = 1
            prev_end = tok.idx + len(tok.text)
        col[0] = 1
        doc.from_array([SENT_START], col.astype(numpy.uint64).reshape(-1, 1))
        return doc


@Language.factory("newsreader_paragraphs")
def make_paragraphs(nlp: Language, name: str) -> ParagraphBoundaries:
    return ParagraphBoundaries()
