"""Inter-annotator agreement: Cohen's kappa, computed from a confusion table.

kappa = (p_o - p_e) / (1 - p_e), where p_o is the share of shared sentences
both annotators labelled alike and p_e = sum over labels of
p_A(label) * p_B(label), the agreement expected by chance from each
annotator's own label distribution on those sentences. When p_e = 1 (both
used one and the same label throughout) kappa is undefined: ``None``.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable


@dataclass
class Confusion:
    """Counts of (label by A, label by B) over sentences both labelled."""
    pairs: Counter = field(default_factory=Counter)

    def add(self, a: str, b: str) -> None:
        self.pairs[(a, b)] += 1

    def update(self, other: "Confusion") -> None:
        self.pairs.update(other.pairs)

    @property
    def n(self) -> int:
        return sum(self.pairs.values())

    @property
    def observed(self) -> float | None:
        n = self.n
        if n == 0:
            return None
        return sum(c for (a, b), c in self.pairs.items() if a == b) / n

    @property
    def expected(self) -> float | None:
        n = self.n
        if n == 0:
            return None
        left: Counter = Counter()
        right: Counter = Counter()
        for (a, b), c in self.pairs.items():
            left[a] += c
            right[b] += c
        return sum(left[k] * right[k] for k in left) / (n * n)

    @property
    def kappa(self) -> float | None:
        n = self.n
        if n == 0:
            return None
        # integer counts, so that p_e == 1 is detected exactly:
        # kappa = (agree/n - chance/n^2) / (1 - chance/n^2) = (agree*n - chance) / (n^2 - chance)
        left: Counter = Counter()
        right: Counter = Counter()
        agree = 0
        for (a, b), c in self.pairs.items():
            left[a] += c
            right[b] += c
            if a == b:
                agree += c
        chance = sum(left[k] * right[k] for k in left)
        if chance == n * n:
            return None
        return (agree * n - chance) / (n * n - chance)


def cohen_kappa(pairs: Iterable[tuple[str, str]]) -> float | None:
    """Kappa for paired labels [(label_by_A, label_by_B), ...]; None if undefined or empty."""
    c = Confusion()
    for a, b in pairs:
        c.add(a, b)
    return c.kappa


def store_stats(store) -> dict:
    """Counts, progress, pairwise agreement and orphans for ``newsreader stats``.

    Streams the labels (one pass, ordered by sentence) so it works on large stores.
    Overall kappa for a pair pools every sentence the two share across articles
    (it is not an average of the per-article values).
    """
    from itertools import combinations

    from .models import LABELS

    articles = store.list_articles()
    per_article: dict[str, dict[str, Counter]] = {a.id: {} for a in articles}
    per_annotator: dict[str, Counter] = {}
    annotator_articles: dict[str, set] = {}
    pair_article: dict[tuple[str, str], dict[str, Confusion]] = {}

    def flush(article_id: str | None, group: dict[str, str]) -> None:
        if len(group) < 2:
            return
        for a, b in combinations(sorted(group), 2):
            pair_article.setdefault((a, b), {}).setdefault(article_id, Confusion()).add(
                group[a], group[b])

    key = None
    group: dict[str, str] = {}
    for article_id, index, annotator, label in store.iter_labels():
        if (article_id, index) != key:
            if key is not None:
                flush(key[0], group)
            key, group = (article_id, index), {}
        group[annotator] = label
        per_article.setdefault(article_id, {}).setdefault(annotator, Counter())[label] += 1
        per_annotator.setdefault(annotator, Counter())[label] += 1
        annotator_articles.setdefault(annotator, set()).add(article_id)
    if key is not None:
        flush(key[0], group)

    def counts(c: Counter) -> dict:
        d = {label: c.get(label, 0) for label in LABELS}
        d["tagged"] = sum(c.values())
        return d

    out_articles = []
    for a in articles:
        ann = {}
        for who, c in sorted(per_article.get(a.id, {}).items()):
            d = counts(c)
            d["total"] = a.n_sentences
            d["progress"] = (round(d["tagged"] / a.n_sentences, 4)
                             if a.n_sentences else None)
            ann[who] = d
        out_articles.append({"id": a.id, "title": a.title, "source": a.source,
                             "n_sentences": a.n_sentences, "annotators": ann})
    orphan_list = store.orphans()
    orphan_count = Counter(o.annotator for o in orphan_list)
    for who in orphan_count:
        per_annotator.setdefault(who, Counter())
    out_annotators = {}
    for who, c in sorted(per_annotator.items()):
        d = counts(c)
        d["articles"] = len(annotator_articles.get(who, ()))
        d["orphaned"] = orphan_count.get(who, 0)
        out_annotators[who] = d
    pairs = []
    for (a, b), by_article in sorted(pair_article.items()):
        overall = Confusion()
        rows = []
        for article_id, conf in sorted(by_article.items()):
            overall.update(conf)
            rows.append({"article_id": article_id, "shared": conf.n,
                         "kappa": _round(conf.kappa), "observed": _round(conf.observed)})
        pairs.append({"annotators": [a, b], "shared": overall.n,
                      "kappa": _round(overall.kappa), "observed": _round(overall.observed),
                      "articles": rows})
    orphans = [{"article_id": o.article_id, "annotator": o.annotator,
                "sentence_index": o.sentence_index, "char_start": o.start, "char_end": o.end,
                "label": o.label, "sentence": o.text} for o in orphan_list]
    return {"store": str(store.path), "articles": out_articles, "annotators": out_annotators,
            "agreement": pairs, "orphaned": orphans,
            "totals": {"articles": len(articles), "annotators": len(out_annotators),
                       "labels": sum(d["tagged"] for d in out_annotators.values()),
                       "orphaned": len(orphans)}}


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 4)
