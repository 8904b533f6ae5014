"""What to draw where: an Analysis turned into per-sentence styled spans.

Built once per analysis (linear in the number of entities, quotes and claims);
the document view then asks for the spans of one sentence per drawn line.
"""
from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass

from newsreader.core.models import Analysis, Claim, Cluster, Entity, Quote, Sentence

# Entity label -> family (one style per family). Numeric and date entities are
# left plain: they would drown the names the reader is looking for.
FAMILIES = {
    "PERSON": "person",
    "ORG": "org",
    "GPE": "place", "LOC": "place", "FAC": "place",
    "NORP": "group",
    "EVENT": "thing", "LAW": "thing", "PRODUCT": "thing", "WORK_OF_ART": "thing",
    "LANGUAGE": "thing",
}
FAMILY_NAMES = {
    "person": "person", "org": "organisation", "place": "place",
    "group": "nationality / group", "thing": "event, law, work",
}

# span kinds, grouped by the layer that shows them
ENTITY_KINDS = ("person", "org", "place", "group", "thing")
QUOTE_KINDS = ("quote", "speaker", "qcue")
CLAIM_KINDS = ("claim", "source", "ccue")
LAYER_OF = {**{k: "entities" for k in ENTITY_KINDS}, **{k: "quotes" for k in QUOTE_KINDS},
            **{k: "claims" for k in CLAIM_KINDS}}
# drawing order: later kinds are drawn over earlier ones
ORDER = {k: i for i, k in enumerate(("claim", "quote", "ccue", "qcue", "source", "speaker",
                                     *ENTITY_KINDS))}


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str
    cluster: int | None = None   # entity spans: the cluster id


def is_named(entity: Entity) -> bool:
    return entity.label in FAMILIES


class Highlights:
    """Per-sentence spans and lookups for one article's analysis."""

    def __init__(self, analysis: Analysis):
        self.analysis = analysis
        self.sentences: tuple[Sentence, ...] = analysis.sentences
        self.starts = [s.start for s in self.sentences]
        self.position_of_index = {s.index: p for p, s in enumerate(self.sentences)}
        self.clusters: dict[int, Cluster] = {c.id: c for c in analysis.clusters}
        n = len(self.sentences)
        self.spans: list[list[Span]] = [[] for _ in range(n)]
        self.entities: list[list[Entity]] = [[] for _ in range(n)]
        self.has_quote = [False] * n
        self.has_claim = [False] * n
        self.named_entities = [e for e in analysis.entities if is_named(e)]

        for e in self.named_entities:
            for p in self._positions(e.start, e.end):
                self.spans[p].append(Span(e.start, e.end, FAMILIES[e.label], e.cluster))
                self.entities[p].append(e)
        for q in analysis.quotes:
            for p in self._positions(q.start, q.end):
                self.spans[p].append(Span(q.start, q.end, "quote"))
                self.has_quote[p] = True
            if q.speaker is not None:
                for p in self._positions(q.speaker.start, q.speaker.end):
                    self.spans[p].append(Span(q.speaker.start, q.speaker.end, "speaker",
                                              q.speaker.cluster))
                    self.has_quote[p] = True
            if q.cue_span:
                for p in self._positions(*q.cue_span):
                    self.spans[p].append(Span(q.cue_span[0], q.cue_span[1], "qcue"))
        for c in analysis.claims:
            for p in self._positions(c.start, c.end):
                self.spans[p].append(Span(c.start, c.end, "claim"))
                self.has_claim[p] = True
            if c.source is not None:
                for p in self._positions(c.source.start, c.source.end):
                    self.spans[p].append(Span(c.source.start, c.source.end, "source",
                                              c.source.cluster))
                    self.has_claim[p] = True
            if c.cue_span:
                for p in self._positions(*c.cue_span):
                    self.spans[p].append(Span(c.cue_span[0], c.cue_span[1], "ccue"))
                    self.has_claim[p] = True
        for spans in self.spans:
            spans.sort(key=lambda s: (ORDER[s.kind], s.start))
        for ents in self.entities:
            ents.sort(key=lambda e: e.start)
        self.cluster_counts = Counter(e.cluster for e in self.named_entities if e.cluster is not None)

    def _positions(self, start: int, end: int) -> range:
        """Sentence positions overlapping ``[start, end)``."""
        if not self.sentences or end <= start:
            return range(0)
        first = max(0, bisect_right(self.starts, start) - 1)
        if self.sentences[first].end <= start and first + 1 < len(self.sentences):
            first += 1
        last = max(first, bisect_right(self.starts, end - 1) - 1)
        return range(first, last + 1)

    def sentence_at(self, offset: int) -> int | None:
        """Position of the sentence containing (or nearest before) ``offset``."""
        if not self.sentences:
            return None
        return max(0, bisect_right(self.starts, offset) - 1)

    def entity_at(self, position: int, offset: int) -> Entity | None:
        for e in self.entities[position]:
            if e.start <= offset < e.end:
                return e
        return None

    def cluster_name(self, cluster: int | None) -> str | None:
        c = self.clusters.get(cluster) if cluster is not None else None
        return c.name if c else None

    def quote_position(self, quote: Quote) -> int | None:
        if quote.sentences:
            p = self.position_of_index.get(quote.sentences[0])
            if p is not None:
                return p
        return self.sentence_at(quote.start)

    def claim_position(self, claim: Claim) -> int | None:
        p = self.position_of_index.get(claim.sentence)
        return p if p is not None else self.sentence_at(claim.start)
