"""Named entities corrected for news, and entity clusters.

``newsreader_news_entities`` runs after spaCy's "ner" and does two things.

1. News fixes (in this order):
   * a trailing possessive ("Al-Shaibani’s") is trimmed off an entity span;
   * wire agencies and outlets from ``data/news_orgs.txt`` (SANA, AFP, Reuters,
     Global Times…) become ORG wherever they occur, unless the same document
     names a person with that surname ("Michael Bloomberg");
   * an acronym defined in the text as "Long Name (LN)" makes the long name an
     entity (ORG unless the model gave it another non-PERSON label) and every
     later "LN" the same kind of entity, in the same cluster;
   * a single-word ORG/PRODUCT/… entity that is the surname of a person named
     in full elsewhere in the document ("Sharaa" vs "Ahmed al-Sharaa") becomes
     PERSON, and an untagged capitalised token equal to such a surname becomes
     a PERSON entity.
2. Clusters: one per real person / organisation / place (see
   :func:`cluster_entities`). Sets ``Doc._.nr_clusters`` (list of
   ``models.Cluster``, doc-relative offsets), ``Doc._.nr_ent_cluster``
   ({(start_char, end_char): cluster id}) and ``Doc._.nr_aliases`` (pairs of
   normalised names the text declares equal, e.g. an acronym and its long
   form; the pipeline uses them to re-cluster long articles analysed in
   chunks).

Everything here is plain string work over the entities (a few dozen per
article) plus one pass over the tokens, so the component costs little next to
the statistical model.
"""
from __future__ import annotations

import bisect
import re
import unicodedata

from spacy.language import Language

from . import doc_text, forget_doc_text  # noqa: F401
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ..models import Cluster

Doc.set_extension("nr_clusters", default=None, force=True)
Doc.set_extension("nr_ent_cluster", default=None, force=True)
Doc.set_extension("nr_aliases", default=None, force=True)

# The name helpers live in names.py (no spaCy); re-exported here for callers.
from .names import *  # noqa: F401,F403
from .names import (_ACRONYM, _FUNCTION_WORDS, _HYPHEN_PARTICLE,  # noqa: F401
                    _RELABEL_TO_PERSON, _WORD, _fold, cluster_entities, news_org_names, norm_key,
                    person_core, token_match)


def cluster_for_span(doc: Doc, start_char: int, end_char: int) -> Cluster | None:
    """The cluster of the entity at (start_char, end_char), or of an entity that
    overlaps or contains that span (e.g. a speaker span "Mr. Al-Shaibani")."""
    clusters = doc._.nr_clusters
    mapping = doc._.nr_ent_cluster
    if not clusters or mapping is None:
        return None
    cid = mapping.get((start_char, end_char))
    if cid is None:
        cache = doc.user_data.get("nr_span_index")
        if cache is None or cache[0] != len(mapping):
            spans = sorted(mapping)
            cache = (len(mapping), spans, [sp[0] for sp in spans])
            doc.user_data["nr_span_index"] = cache
        _, spans, starts = cache
        # entities overlapping the span start at most ~a name's length before it
        i = bisect.bisect_left(starts, start_char - 200)
        best = 0
        while i < len(spans) and spans[i][0] < end_char:
            s, e = spans[i]
            overlap = min(e, end_char) - max(s, start_char)
            if overlap > best:
                best, cid = overlap, mapping[spans[i]]
            i += 1
    return clusters[cid] if cid is not None else None


# ---------------------------------------------------------------- the component
class NewsEntities:
    def __init__(self, nlp: Language) -> None:
        self._orgs_re: re.Pattern | None = None

    def __call__(self, doc: Doc) -> Doc:
        spans = [_trim(e) for e in doc.ents]
        spans = [s for s in spans if s is not None]
        aliases: list[tuple[str, str]] = []
        spans = self._fix_news_orgs(doc, spans)
        spans = _fix_acronyms(doc, spans, aliases)
        spans = _fix_people(doc, spans)
        doc.ents = filter_spans(spans)
        ents = [(e.start_char, e.end_char, e.text, e.label_) for e in doc.ents]
        clusters, mapping = cluster_entities(ents, aliases)
        doc._.nr_clusters = clusters
        doc._.nr_ent_cluster = mapping
        doc._.nr_aliases = aliases
        return doc

    def _org_pattern(self) -> re.Pattern:
        if self._orgs_re is None:
            names = sorted({re.sub(r"^(The|the)\s+", "", n) for n in news_org_names()},
                           key=len, reverse=True)
            self._orgs_re = re.compile(r"(?<![\w-])(?:" + "|".join(
                re.escape(n).replace(r"\ ", r"\s+") for n in names) + r")(?![\w-])")
        return self._orgs_re

    def _fix_news_orgs(self, doc: Doc, spans: list[Span]) -> list[Span]:
        surnames = {s[-1].text for s in spans if s.label_ == "PERSON" and len(s) > 1}
        found: list[tuple[int, int]] = []
        for m in self._org_pattern().finditer(doc_text(doc)):
            sp = doc.char_span(m.start(), m.end())
            if sp is None or (len(sp) == 1 and sp.text in surnames):
                continue
            found.append((sp.start, sp.end))
        if not found:
            return spans
        starts = [f[0] for f in found]
        out: list[Span] = []
        matched: set[tuple[int, int]] = set()   # found names covered by an existing entity
        for sp in spans:
            k = bisect.bisect_left(starts, sp.start - 20)
            hits = []
            while k < len(found) and found[k][0] < sp.end:
                if found[k][1] > sp.start:
                    hits.append(found[k])
                k += 1
            if not hits:
                out.append(sp)
                continue
            inner = sp.start + (1 if sp[0].lower_ == "the" and len(sp) > 1 else 0)
            s, e = hits[0]
            if len(hits) == 1 and inner == s and sp.end == e:   # "the Global Times": relabel
                out.append(Span(doc, sp.start, sp.end, label="ORG"))
                matched.add((s, e))
            elif all(sp.start >= s and sp.end <= e for s, e in hits):
                continue                                       # part of the name: replaced
            else:                                              # a longer name: leave it
                out.append(sp)
                matched.update(hits)
        for s, e in found:
            if (s, e) not in matched:
                out.append(Span(doc, s, e, label="ORG"))
        return filter_spans(out)


# emoji and other pictographs (a flag is two regional indicators, "So"), their modifiers,
# joiners and variation selectors: never part of a name
_SYMBOL_CATEGORIES = frozenset({"So", "Sk", "Mn", "Me", "Cf"})


def _symbol(token) -> bool:
    return all(unicodedata.category(ch) in _SYMBOL_CATEGORIES for ch in token.text)


def _trim(span: Span) -> Span | None:
    """Drop a trailing possessive token, surrounding punctuation and emoji.

    The model sometimes tags an emoji (or half of a flag) as an entity; a span left
    with nothing but such symbols is no entity at all.
    """
    start, end = span.start, span.end
    doc = span.doc
    while end > start and (doc[end - 1].text in ("'s", "’s", "'", "’", "'S", "’S")
                           or doc[end - 1].is_punct and doc[end - 1].text not in (".",)
                           or _symbol(doc[end - 1])):
        end -= 1
    while start < end and (doc[start].is_punct or _symbol(doc[start])):
        start += 1
    if end <= start:
        return None
    if (start, end) == (span.start, span.end):
        return span
    return Span(doc, start, end, label=span.label_)


def _acronym_long_form(words: list[tuple[int, int, str]], letters: str) -> int | None:
    """How many trailing ``words`` spell ``letters`` by their initials (or None)."""
    def initials(w: str) -> list[str]:
        w = _HYPHEN_PARTICLE.sub("", w.casefold().replace("’", "'"))
        parts = [p for p in w.split("-") if p]
        opts = [w[0]] if w else []
        if len(parts) > 1:
            opts.append("".join(p[0] for p in parts))
        return opts

    def match(ws: list[str], li: int) -> bool:
        if not ws:
            return li == len(letters)
        w = ws[0]
        rest = ws[1:]
        if w.casefold() in _FUNCTION_WORDS and match(rest, li):
            return True
        bare = _HYPHEN_PARTICLE.sub("", w)
        if not (bare[:1].isupper() or bare[:1].isdigit()):
            return w.casefold() in _FUNCTION_WORDS and li < len(letters) and \
                w[0].casefold() == letters[li] and match(rest, li + 1)
        for ini in initials(w):
            if letters.startswith(ini, li) and match(rest, li + len(ini)):
                return True
        return False

    limit = min(len(words), len(letters) + 4)
    for k in range(1, limit + 1):
        ws = [w[2] for w in words[-k:]]
        if _HYPHEN_PARTICLE.sub("", ws[0])[:1].isupper() and match(ws, 0):
            return k
    return None


_NOT_ORG_LABELS = frozenset({"PERSON", "NORP", "CARDINAL", "ORDINAL", "DATE", "TIME", "MONEY",
                             "PERCENT", "QUANTITY"})


def _overlapping(spans: list[Span], starts: list[int], s: int, e: int) -> list[Span]:
    """Spans (sorted, non-overlapping, ``starts`` their starts) overlapping tokens [s, e)."""
    k = max(0, bisect.bisect_right(starts, s) - 1)
    out = []
    while k < len(spans) and spans[k].start < e:
        if spans[k].end > s:
            out.append(spans[k])
        k += 1
    return out


def _fix_acronyms(doc: Doc, spans: list[Span], aliases: list[tuple[str, str]]) -> list[Span]:
    """"Long Name (LN)": the long name is one entity and every "LN" the same kind."""
    text = doc_text(doc)
    spans = filter_spans(spans)
    starts = [sp.start for sp in spans]
    defs: list[tuple[Span, str]] = []
    labels: dict[str, str] = {}
    for m in _ACRONYM.finditer(text):
        acr = m.group(1)
        letters = "".join(c for c in acr if c.isupper()).casefold()
        if len(letters) < 2:
            continue
        para_start = text.rfind("\n", 0, m.start()) + 1
        before = text[max(para_start, m.start() - 300):m.start()]
        base = m.start() - len(before)
        words = [(base + w.start(), base + w.end(), w.group().rstrip(".’'"))
                 for w in _WORD.finditer(before)]
        k = _acronym_long_form(words, letters) if words else None
        if not k:
            continue
        long_span = doc.char_span(words[-k][0], words[-1][0] + len(words[-1][2]),
                                  alignment_mode="expand")
        if long_span is None:
            continue
        if acr not in labels:
            over = _overlapping(spans, starts, long_span.start, long_span.end)
            best = max(over, key=lambda sp: min(sp.end, long_span.end) - max(sp.start, long_span.start),
                       default=None)
            labels[acr] = best.label_ if best is not None and best.label_ not in _NOT_ORG_LABELS \
                else "ORG"
            aliases.append((norm_key(acr), norm_key(long_span.text)))
        elif (norm_key(acr), norm_key(long_span.text)) not in aliases:
            aliases.append((norm_key(acr), norm_key(long_span.text)))
        defs.append((long_span, acr))
    if not defs:
        return spans

    forced: list[tuple[int, int, str]] = [(ls.start, ls.end, labels[acr]) for ls, acr in defs]
    long_ranges = sorted((ls.start, ls.end) for ls, _ in defs)
    long_starts = [r[0] for r in long_ranges]
    for acr, label in labels.items():
        for m in re.finditer(r"(?<![\w.])" + re.escape(acr) + r"(?![\w])", text):
            sp = doc.char_span(m.start(), m.end())
            if sp is None:
                continue
            k = bisect.bisect_right(long_starts, sp.start) - 1
            if k >= 0 and long_ranges[k][1] >= sp.end:
                continue   # the definition's own words
            inside = _overlapping(spans, starts, sp.start, sp.end)
            if any(len(x) > len(sp) + 1 and x.label_ != "PERSON" for x in inside):
                continue   # part of a longer name
            forced.append((sp.start, sp.end, label))
    forced.sort()
    f_starts = [f[0] for f in forced]
    out: list[Span] = []
    for sp in spans:
        k = max(0, bisect.bisect_right(f_starts, sp.start) - 1)
        hit = None
        while k < len(forced) and forced[k][0] < sp.end:
            if forced[k][1] > sp.start:
                hit = forced[k]
                break
            k += 1
        if hit is None:
            out.append(sp)
        elif sp.start < hit[0]:   # keep a name before the long form ("the State Department’s")
            left = _trim(Span(doc, sp.start, hit[0], label=sp.label_))
            if left is not None and any(t.is_title or t.is_upper for t in left if t.lower_ != "the"):
                out.append(left)
    out.extend(Span(doc, s, e, label=label) for s, e, label in forced)
    return filter_spans(out)


def _fix_people(doc: Doc, spans: list[Span]) -> list[Span]:
    full = []
    for sp in spans:
        if sp.label_ == "PERSON":
            core, particle = person_core(sp.text)
            if len(core) >= 2:
                full.append((core, particle))
    if not full:
        return spans
    surnames = {c[-1] for c, _ in full}
    firsts = {c[0] for c, p in full if len(c) == 2 and not p} - surnames

    def is_person_word(core: tuple[str, ...], particle: bool) -> bool:
        if len(core) != 1:
            return False
        tok = core[0]
        if any(token_match(tok, s) for s in surnames):
            return True
        return not particle and tok in firsts

    out = []
    covered = set()
    org_names = set(news_org_names())
    for sp in spans:
        if sp.label_ in _RELABEL_TO_PERSON and (sp.text not in org_names
                                                 or _fold(sp.text) in surnames):
            core, particle = person_core(sp.text)
            if is_person_word(core, particle) and not any(t.is_upper and len(t) > 1 for t in sp):
                sp = Span(doc, sp.start, sp.end, label="PERSON")
        out.append(sp)
        covered.update(range(sp.start, sp.end))
    # untagged surnames: a capitalised proper noun equal to a known surname
    exact = {s for s in surnames if len(s) >= 3 and s.isalpha()}
    if not exact:
        return out
    text = doc_text(doc)
    tagged = doc.has_annotation("TAG")
    pat = re.compile(r"(?<![\w-])(" + "|".join(re.escape(x) for x in sorted(exact)) + r")(?![\w-])",
                     re.IGNORECASE)
    for m in pat.finditer(text):
        word = m.group(0)
        if not word[:1].isupper():
            continue
        sp = doc.char_span(m.start(), m.end())
        if sp is None or len(sp) != 1:
            continue
        tok = sp[0]
        if tok.i in covered or not tok.is_title:
            continue
        # the tagger often calls a foreign surname a NOUN; a capitalised word
        # that never appears in lower case in the text is still a name
        if tagged and tok.pos_ != "PROPN" and not (
                tok.pos_ == "NOUN"
                and not re.search(r"(?<![\w-])" + re.escape(word.lower()) + r"(?![\w-])", text)):
            continue
        start = tok.i
        if start >= 2 and doc[start - 1].text == "-" and doc[start - 2].lower_ in ("al", "el") \
                and start - 2 not in covered and not doc[start - 2].whitespace_:
            start -= 2
        out.append(Span(doc, start, tok.i + 1, label="PERSON"))
    return out


@Language.factory("newsreader_news_entities")
def make_news_entities(nlp: Language, name: str) -> NewsEntities:
    return NewsEntities(nlp)
