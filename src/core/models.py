"""Plain frozen dataclasses that cross the core/TUI boundary.

Every offset is a character offset into ``Article.text`` (the normalised body).
spaCy objects never leave ``newsreader.core.analysis``.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

LABELS = ("fact", "quote", "opinion")


@dataclass(frozen=True)
class Article:
    id: str                      # sha256 of the normalised body (first 16 hex chars)
    text: str                    # normalised body; paragraphs separated by "\n\n"
    title: str | None = None
    date: str | None = None      # ISO date (YYYY-MM-DD) when known
    source: str | None = None    # outlet / site name
    url: str | None = None
    location: str | None = None  # path or URL it was read from
    author: str | None = None

    @property
    def paragraphs(self) -> list[tuple[int, int]]:
        """(start, end) of every paragraph in ``text``."""
        spans: list[tuple[int, int]] = []
        pos = 0
        for part in self.text.split("\n\n"):
            spans.append((pos, pos + len(part)))
            pos += len(part) + 2
        return spans

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Suggestion:
    label: str    # one of LABELS
    score: float  # 0..1 confidence
    reason: str   # short, human readable


@dataclass(frozen=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str
    paragraph: int
    suggestion: Suggestion


@dataclass(frozen=True)
class Entity:
    start: int
    end: int
    text: str
    label: str              # spaCy label: PERSON, ORG, GPE, NORP, ...
    cluster: int | None     # Cluster.id


@dataclass(frozen=True)
class Cluster:
    id: int
    name: str               # canonical name
    label: str
    mentions: tuple[tuple[int, int], ...]  # (start, end) of each mention


@dataclass(frozen=True)
class Mention:
    """A speaker or a source: the words in the text and the canonical name."""
    start: int
    end: int
    text: str
    name: str               # canonical name (cluster name, or the text itself)
    cluster: int | None = None


@dataclass(frozen=True)
class Quote:
    start: int              # span of the quoted words including the marks
    end: int
    text: str
    sentences: tuple[int, ...]
    speaker: Mention | None
    cue: str | None         # "said", "told reporters", "insisted", "according to"
    cue_span: tuple[int, int] | None = None


@dataclass(frozen=True)
class Claim:
    sentence: int
    start: int              # content span
    end: int
    content: str
    source: Mention | None
    cue: str
    cue_span: tuple[int, int] | None = None


@dataclass(frozen=True)
class Analysis:
    article_id: str
    analyzer_version: str
    model: str
    sentences: tuple[Sentence, ...] = ()
    entities: tuple[Entity, ...] = ()
    clusters: tuple[Cluster, ...] = ()
    quotes: tuple[Quote, ...] = ()
    claims: tuple[Claim, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def analysis_from_dict(d: dict[str, Any]) -> Analysis:
    """Inverse of ``Analysis.to_dict`` (used by the on-disk cache)."""
    def mention(m: dict | None) -> Mention | None:
        return Mention(**m) if m else None

    def span(s) -> tuple[int, int] | None:
        return tuple(s) if s else None

    return Analysis(
        article_id=d["article_id"],
        analyzer_version=d["analyzer_version"],
        model=d["model"],
        sentences=tuple(
            Sentence(**{**s, "suggestion": Suggestion(**s["suggestion"])}) for s in d["sentences"]
        ),
        entities=tuple(Entity(**e) for e in d["entities"]),
        clusters=tuple(
            Cluster(**{**c, "mentions": tuple(tuple(m) for m in c["mentions"])}) for c in d["clusters"]
        ),
        quotes=tuple(
            Quote(**{**q, "sentences": tuple(q["sentences"]), "speaker": mention(q["speaker"]),
                     "cue_span": span(q.get("cue_span"))})
            for q in d["quotes"]
        ),
        claims=tuple(
            Claim(**{**c, "source": mention(c["source"]), "cue_span": span(c.get("cue_span"))})
            for c in d["claims"]
        ),
    )
