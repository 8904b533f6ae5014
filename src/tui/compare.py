"""What two articles share and what only one has (pure data, no Textual)."""
from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from newsreader.core.models import LABELS, Analysis

from .highlights import FAMILIES


def _norm(name: str) -> str:
    name = unicodedata.normalize("NFKD", name)
    name = "".join(ch for ch in name if not unicodedata.combining(ch))
    name = name.lower().replace("’", "'").replace("‘", "'")
    for prefix in ("the ", "president ", "minister ", "foreign minister "):
        if name.startswith(prefix):
            name = name[len(prefix):]
    if name.endswith("'s"):
        name = name[:-2]
    return " ".join(name.replace("-", " ").split())


def same_name(a: str, b: str, *, person: bool = False) -> bool:
    """Two surface names that very probably denote the same thing.

    Spelling variants match ("Asaad"/"Assad", "Uyghur"/"Uyghurs"); for people a
    name also matches its part ("Wang" / "Wang Yi", "Assad" / "Bashar al-Assad"),
    which would be wrong for organisations ("Islamic" / "Turkestan Islamic Party").
    """
    na, nb = _norm(a), _norm(b)
    if not na or not nb:
        return False
    if na == nb:
        return True
    from rapidfuzz import fuzz  # imported on first comparison, not at the app's start

    if fuzz.token_sort_ratio(na, nb) >= 88:
        return True
    if person:
        ta, tb = set(na.split()), set(nb.split())
        short = ta if len(ta) <= len(tb) else tb
        long_ = tb if short is ta else ta
        if short <= long_ and any(len(t) >= 4 for t in short):
            return True
        # "Asaad Hassan al-Shaibani" / "Assad al-Shaibani": same surname, close given names
        if na.split()[-1] == nb.split()[-1] and len(na.split()[-1]) >= 4 and \
                fuzz.token_set_ratio(na, nb) >= 85:
            return True
    return False


@dataclass
class Matched:
    shared: list[tuple[str, str]] = field(default_factory=list)   # (name in A, name in B)
    only_a: list[str] = field(default_factory=list)
    only_b: list[str] = field(default_factory=list)


def match_names(a: list[tuple[str, str]], b: list[tuple[str, str]]) -> Matched:
    """Match (name, kind) pairs; names only match names of the same kind."""
    out = Matched()
    used: set[int] = set()
    for name, kind in a:
        hit = next((j for j, (other, other_kind) in enumerate(b)
                    if j not in used and kind == other_kind
                    and same_name(name, other, person=kind in ("person", "speaker"))), None)
        if hit is None:
            out.only_a.append(name)
        else:
            used.add(hit)
            out.shared.append((name, b[hit][0]))
    out.only_b = [name for j, (name, _) in enumerate(b) if j not in used]
    return out


def entity_names(analysis: Analysis | None) -> list[tuple[str, str]]:
    """(canonical name, family) of the named-entity clusters, most mentioned first."""
    if analysis is None:
        return []
    counts: Counter[tuple[str, str]] = Counter()
    names: dict[int, str] = {c.id: c.name for c in analysis.clusters}
    for e in analysis.entities:
        if e.label not in FAMILIES:
            continue
        name = names.get(e.cluster, e.text) if e.cluster is not None else e.text
        counts[(name, FAMILIES[e.label])] += 1
    return [n for n, _ in counts.most_common()]


def speakers(analysis: Analysis | None) -> list[tuple[str, str]]:
    if analysis is None:
        return []
    counts = Counter(q.speaker.name for q in analysis.quotes if q.speaker is not None)
    return [(n, "speaker") for n, _ in counts.most_common()]


def sources(analysis: Analysis | None) -> list[tuple[str, str]]:
    if analysis is None:
        return []
    counts = Counter(c.source.name for c in analysis.claims if c.source is not None)
    return [(n, "source") for n, _ in counts.most_common()]


def profile(analysis: Analysis | None, labels: dict[int, str]) -> dict[str, dict[str, int | None]]:
    """Tagged and suggested counts per label (``total.sentences`` is None before analysis)."""
    tagged = Counter(labels.values())
    suggested: Counter[str] = Counter()
    n = None
    if analysis is not None:
        n = len(analysis.sentences)
        suggested.update(s.suggestion.label for s in analysis.sentences if s.suggestion)
    return {
        "tagged": {label: tagged.get(label, 0) for label in LABELS},
        "suggested": {label: suggested.get(label, 0) for label in LABELS},
        "total": {"sentences": n},
    }


@dataclass
class Comparison:
    entities: Matched
    speakers: Matched
    sources: Matched
    profile_a: dict
    profile_b: dict


def compare(a: Analysis | None, labels_a: dict[int, str], b: Analysis | None,
            labels_b: dict[int, str]) -> Comparison:
    return Comparison(
        entities=match_names(entity_names(a), entity_names(b)),
        speakers=match_names(speakers(a), speakers(b)),
        sources=match_names(sources(a), sources(b)),
        profile_a=profile(a, labels_a),
        profile_b=profile(b, labels_b),
    )
