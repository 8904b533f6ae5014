"""Attributed claims without quote marks, and the speaker/source resolution shared with quotes.

A claim is a sentence part reported on someone's word:

- reported speech: a speech verb with a clause ("Wang said China considers ...",
  "X told Y that ...", "..., SANA reported", "X accused Y of ...", "X made clear that ...");
- "according to X" / "as reported by X" anywhere in the sentence;
- hearsay adverbs ("X reportedly lectured ...") with no named source.

Each claim has the sentence index, the content span (the reported clause, or the sentence minus
the attribution), the source :class:`Mention` (pronouns and "the company"/"the official" resolved
to an earlier named mention; canonical names from the entity clusters when
``Doc._.nr_clusters`` is set) and the cue. A speech act already shown as an attributed direct
quote (``Doc._.nr_quotes``) is not repeated as a claim.

The helpers here (:class:`Resolver`) are also used by ``quotes.py`` to find quote speakers.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ..models import Claim, Mention, Quote
from . import cues

Doc.set_extension("nr_claims", default=None, force=True)

SPEAKER_ENT_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC"})
SUBJECT_DEPS = ("nsubj", "nsubjpass")
NP_LEFT_DEPS = frozenset({"det", "compound", "amod", "poss", "nmod", "nummod", "quantmod", "case"})
_LEADING_DET = re.compile(r"^(?:the|a|an)\s+", re.I)
_TRAILING_POSS = re.compile(r"(?:['’]s|['’])$")


def clean_name(text: str) -> str:
    """A display name from mention text: no leading article, no possessive, one line."""
    name = " ".join(text.replace("“", "").replace("”", "").split())
    name = _LEADING_DET.sub("", name)
    name = _TRAILING_POSS.sub("", name).strip(" ,;:")
    return name or text.strip()


# --------------------------------------------------------------------------------------------
# Document layout: sentences, paragraphs, entities, quoted regions
# --------------------------------------------------------------------------------------------


class Layout:
    """Per-document lookups shared by the quote and claim finders."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.sents: list[Span] = list(doc.sents)
        self.tok_sent = [0] * len(doc)
        for i, s in enumerate(self.sents):
            for t in range(s.start, s.end):
                self.tok_sent[t] = i
        text = self.text = doc.text  # Doc.text rebuilds the string on every access
        self.para_starts = [0]
        for m in re.finditer(r"\n\s*\n", text):
            self.para_starts.append(m.end())
        self.tok_ent: dict[int, Span] = {}
        self.ents: list[Span] = list(doc.ents)
        self.ent_ends = [e.end for e in self.ents]
        self.persons_by_word: dict[str, list[Span]] = {}
        for ent in self.ents:
            for t in range(ent.start, ent.end):
                self.tok_ent[t] = ent
            if ent.label_ == "PERSON":
                for w in {ent.text.lower(), ent.text.lower().split()[-1]}:
                    self.persons_by_word.setdefault(w, []).append(ent)
        self.sent_starts = [sn.start_char for sn in self.sents]
        self.tok_idx = [t.idx for t in doc]
        from .quotes import find_quote_spans  # local import: quotes imports this module
        self.quote_spans = find_quote_spans(text)
        self.regions = [(q.start, q.end) for q in self.quote_spans]
        self.tok_quoted = bytearray(len(doc))
        for qs, qe in self.regions:
            a = bisect.bisect_left(self.tok_idx, qs)
            b = bisect.bisect_left(self.tok_idx, qe)
            for t in range(a, b):
                self.tok_quoted[t] = 1

    def in_quote(self, tok: Token) -> bool:
        return bool(self.tok_quoted[tok.i])

    def ents_before(self, tok_i: int) -> list[Span]:
        """Entities ending at or before token ``tok_i``, in text order."""
        return self.ents[:bisect.bisect_right(self.ent_ends, tok_i)]

    def first_token_of_para(self, para: int) -> int:
        para = max(0, para)
        return bisect.bisect_left(self.tok_idx, self.para_starts[min(para, len(self.para_starts) - 1)])

    def para_of_char(self, pos: int) -> int:
        return bisect.bisect_right(self.para_starts, pos) - 1

    def para_of(self, tok: Token) -> int:
        return self.para_of_char(tok.idx)

    def para_bounds(self, index: int) -> tuple[int, int]:
        start = self.para_starts[index]
        if index + 1 < len(self.para_starts):
            end = self.para_starts[index + 1]
            end = len(self.text[:end].rstrip())
        else:
            end = len(self.text.rstrip())
        return start, end

    def sentence_indexes(self, start: int, end: int) -> tuple[int, ...]:
        first = max(0, bisect.bisect_right(self.sent_starts, start) - 1)
        out = []
        for i in range(first, len(self.sents)):
            sn = self.sents[i]
            if sn.start_char >= end:
                break
            if sn.end_char > start:
                out.append(i)
        return tuple(out)

    def sent_of_char(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self.sent_starts, pos) - 1)

    def ent(self, tok: Token) -> Span | None:
        return self.tok_ent.get(tok.i)


# The quote finder and the claim finder run back to back on each doc and share one Layout and
# one Resolver (the claim finder then also knows the quote speakers). One slot, so at most one
# doc is kept alive; the claim finder releases it.
_SHARED: list = [None]


def shared_state(doc: Doc) -> tuple["Layout", "Resolver"]:
    state = _SHARED[0]
    if state is not None and state[0] is doc:
        return state[1], state[2]
    layout = Layout(doc)
    resolver = Resolver(doc, layout)
    _SHARED[0] = (doc, layout, resolver)
    return layout, resolver


def release_state(doc: Doc) -> None:
    if _SHARED[0] is not None and _SHARED[0][0] is doc:
        _SHARED[0] = None


def quoted_regions(doc: Doc) -> list[tuple[int, int]]:
    """Character spans of every quoted passage (double marks, or top-level single marks)."""
    from .quotes import find_quote_spans  # local import: quotes imports this module
    return [(q.start, q.end) for q in find_quote_spans(doc.text)]


# --------------------------------------------------------------------------------------------
# Mentions and their resolution
# --------------------------------------------------------------------------------------------


@dataclass
class Event:
    """Someone who spoke (or was named as a subject) at a position in the text."""
    pos: int
    mention: Mention
    gender: str | None      # "f", "m" or None
    kind: str               # "speaker" | "person" | "org" | "group"
    para: int


def _np_bounds(tok: Token) -> tuple[int, int]:
    """Token span [start, end) of the noun phrase headed by ``tok`` (no clauses, no appositions)."""
    left = tok.i
    for child in tok.lefts:
        if child.dep_ in NP_LEFT_DEPS:
            left = min(left, child.left_edge.i)
    right = tok.i
    for child in tok.rights:
        if child.dep_ == "compound" or (child.dep_ == "case" and child.i == right + 1):
            right = max(right, child.i)
    doc = tok.doc
    while left < right and (doc[left].is_punct or doc[left].is_quote):
        left += 1
    return left, right + 1


class Resolver:
    """Builds speaker/source mentions and resolves pronouns and definite descriptions."""

    def __init__(self, doc: Doc, layout: Layout | None = None):
        self.doc = doc
        self.layout = layout or Layout(doc)
        self.events: list[Event] = []
        self.learned_gender: dict[str, str] = {}
        self._gender: dict[str, str | None] = {}
        self._seeded = False
        self._speaker_keys: set[tuple[int, int, int]] = set()
        self._counts: dict[str, int] = {}
        clusters = getattr(doc._, "nr_clusters", None) if doc.has_extension("nr_clusters") else None
        mapping = getattr(doc._, "nr_ent_cluster", None) if doc.has_extension("nr_ent_cluster") else None
        self._clusters = {c.id: c for c in clusters or ()}
        self._ent_cluster = mapping or {}
        # "Syrian Foreign Minister" -> the person named right after that title somewhere
        self._titled: dict[str, Span] = {}
        for ent in self.layout.ents:
            if ent.label_ != "PERSON":
                continue
            for k in range(1, 6):
                if ent.start - k < 0:
                    break
                key = doc[ent.start - k:ent.start].text.lower()
                self._titled.setdefault(key, ent)
        self._seed_people()

    # ---- names ---------------------------------------------------------------------------

    def _cluster_of_ent(self, ent: Span):
        cid = self._ent_cluster.get((ent.start_char, ent.end_char))
        return self._clusters.get(cid) if cid is not None else None

    def mention_from_span(self, start_tok: int, end_tok: int, *, name: str | None = None,
                          cluster_id: int | None = None) -> Mention:
        span = self.doc[start_tok:end_tok]
        text = span.text
        if name is None:
            last = span[-1]
            while last.i > span.start and (last.is_punct or last.lower_ in ("'s", "’s")):
                last = self.doc[last.i - 1]
            # the clusters name entities: only a mention headed by an entity takes its name
            ent = self.layout.ent(last)
            cluster = self._cluster_of_ent(ent) if ent is not None else None
            if cluster is None:
                # an entity inside a longer description ("the official", "Analysts at X") keeps
                # the description as its name; a bare entity uses its own text
                name = clean_name(text)
            else:
                name, cluster_id = cluster.name, cluster.id
        return Mention(start=span.start_char, end=span.end_char, text=text, name=name,
                       cluster=cluster_id)

    def head_mention(self, tok: Token) -> Mention:
        """The mention for a subject/object head token (entity, appositive name, or NP)."""
        ent = self.layout.ent(tok)
        if tok.lower_ in cues.NAME_SUFFIXES and tok.i > 0:
            return self.head_mention(self.doc[tok.i - 1])
        if ent is not None and ent.label_ in SPEAKER_ENT_LABELS:
            return self.mention_from_span(ent.start, ent.end)
        if ent is None and tok.pos_ in ("NOUN", "PROPN"):
            # "Chair of trustees Dame Felicity Crane said": the person named in the phrase
            for t in tok.subtree:
                if t.dep_ in ("relcl", "acl", "advcl", "ccomp"):
                    break
                e = self.layout.ent(t)
                if e is not None and t.i > tok.i and (e.label_ == "PERSON" or (
                        e[0].lower_ in cues.FEMALE_CUES | cues.MALE_CUES and e.label_ == "ORG")):
                    return self.mention_from_span(e.start, e.end)
        if tok.pos_ == "NOUN" and tok.i + 1 < len(self.doc):
            # "Syrian state news agency SANA": the name right after the description
            nxt = self.layout.ent(self.doc[tok.i + 1])
            if nxt is not None and nxt.start == tok.i + 1 and nxt.label_ in ("ORG", "PERSON"):
                return self.mention_from_span(nxt.start, nxt.end)
        if tok.pos_ == "NOUN":
            # "the authority's chief executive, Fiona Reddy," -> the appositive name
            for child in tok.rights:
                if child.dep_ == "appos":
                    if child.lower_ in cues.NAME_SUFFIXES and child.i > 0:
                        child = self.doc[child.i - 1]
                    aent = self.layout.ent(child)
                    if aent is not None and aent.label_ in ("PERSON", "ORG"):
                        return self.mention_from_span(aent.start, aent.end)
                    if child.pos_ == "PROPN":
                        s, e = _np_bounds(child)
                        return self.mention_from_span(s, e)
        start, end = _np_bounds(tok)
        # "Analysts at Barrow Capital", "a spokeswoman for the council": keep the owner
        if tok.pos_ == "NOUN":
            for child in tok.rights:
                if child.dep_ == "prep" and child.lower_ in ("at", "of", "from", "for", "with"):
                    pobj = [c for c in child.children if c.dep_ == "pobj"]
                    if pobj and any(self.layout.ent(t) is not None and
                                    self.layout.ent(t).label_ in ("ORG", "PERSON", "GPE")
                                    for t in pobj[0].subtree):
                        end = max(end, pobj[0].right_edge.i + 1)
        return self.mention_from_span(start, end)

    # ---- genders and candidates ------------------------------------------------------------

    def gender_of(self, mention: Mention) -> str | None:
        if mention.name in self.learned_gender:
            return self.learned_gender[mention.name]
        key = mention.name + "\0" + mention.text
        if key not in self._gender:
            self._gender[key] = self._gender_of(mention)
        return self._gender[key]

    def _gender_of(self, mention: Mention) -> str | None:
        doc = self.doc
        keys = {mention.name.lower(), mention.text.lower()}
        last = mention.name.split()[-1].lower() if mention.name.split() else ""
        if last:
            keys.add(last)
        hits = {"f": 0, "m": 0}
        words = [w.lower().strip(".") for w in mention.name.split()]
        for w in words[:-1] if len(words) > 1 else words[:0]:  # given names, not the surname
            if w in cues.FEMALE_NAMES or w in cues.FEMALE_CUES:
                hits["f"] += 2
            if w in cues.MALE_NAMES or w in cues.MALE_CUES:
                hits["m"] += 2
        # cue words right before any occurrence of the name (or its last word)
        seen_ents: set[int] = set()
        for ent in [e for k in keys for e in self.layout.persons_by_word.get(k, ())]:
            if ent.start in seen_ents:
                continue
            seen_ents.add(ent.start)
            for t in doc[max(0, ent.start - 3):ent.start]:
                if t.lower_ in cues.FEMALE_CUES:
                    hits["f"] += 1
                if t.lower_ in cues.MALE_CUES:
                    hits["m"] += 1
            root = ent.root
            for child in list(root.children) + ([root.head] if root.dep_ == "appos" else []):
                if child.dep_ == "appos" or child.i == root.head.i:
                    if child.lower_ in cues.FEMALE_CUES:
                        hits["f"] += 1
                    if child.lower_ in cues.MALE_CUES:
                        hits["m"] += 1
        if hits["f"] > hits["m"]:
            return "f"
        if hits["m"] > hits["f"]:
            return "m"
        return None

    def _kind_of(self, tok: Token) -> str:
        ent = self.layout.ent(tok)
        if ent is not None:
            if ent.label_ == "PERSON":
                return "person"
            if ent.label_ in ("ORG", "GPE", "NORP", "FAC"):
                return "org"
        low = tok.lower_
        if low in cues.PRONOUNS_PLURAL or tok.tag_ in ("NNS", "NNPS"):
            return "group"
        if low in cues.PRONOUNS_NEUTER or low in cues.ORG_NOUNS:
            return "org"
        return "person"

    def _count(self, text: str) -> int:
        if text not in self._counts:
            self._counts[text] = self.layout.text.count(text)
        return self._counts[text]

    def _seed_people(self) -> None:
        """Antecedent candidates: every PERSON entity, and every named subject of a verb."""
        for ent in self.layout.ents:
            # "Fashion retailer Threadline" tagged PERSON is an organisation
            if ent.label_ == "PERSON" and not any(w.lower_ in cues.ORG_NOUNS for w in ent):
                m = self.mention_from_span(ent.start, ent.end)
                self.events.append(Event(ent.start_char, m, None, "person",
                                         self.layout.para_of_char(ent.start_char)))
        for tok in self.doc:
            if tok.dep_ not in SUBJECT_DEPS or tok.pos_ != "PROPN":
                continue
            if self.layout.in_quote(tok):
                continue
            ent = self.layout.ent(tok)
            if ent is not None and ent.label_ not in ("PERSON", "GPE", "ORG", "NORP"):
                continue
            if ent is not None and any(w.lower_ in cues.ORG_NOUNS for w in ent):
                continue
            # only main-clause subjects are salient antecedents, not subjects inside reported
            # content ("His coach said Kiprop had trained ... He said" -> the coach)
            verb = tok.head
            if not (verb.dep_ == "ROOT" or (verb.dep_ == "conj" and verb.head.dep_ == "ROOT")):
                continue
            # a PERSON or unlabelled name is a person subject; a name the tagger called a
            # place or an organisation is a weaker candidate (taggers confuse rare names)
            kind = "subject" if ent is None or ent.label_ == "PERSON" else "misc"
            m = self.head_mention(tok)
            self.events.append(Event(tok.idx, m, None, kind, self.layout.para_of(tok)))
        self.events.sort(key=lambda e: e.pos)

    def add_speaker(self, pos: int, mention: Mention, tok: Token | None = None) -> None:
        key = (pos, mention.start, mention.end)
        if key in self._speaker_keys:
            return
        self._speaker_keys.add(key)
        if tok is None:
            span = self.doc.char_span(mention.start, mention.end, alignment_mode="expand")
            tok = span.root if span is not None and len(span) else None
        kind = "speaker"
        if tok is not None and self._kind_of(tok) in ("org", "group"):
            kind = self._kind_of(tok)
        ev = Event(pos, mention, None, kind, self.layout.para_of_char(pos))
        bisect.insort(self.events, ev, key=lambda e: e.pos)

    def seed_speech_subjects(self) -> None:
        """Named subjects of speech verbs (outside quotes) are speaker candidates for pronouns."""
        if self._seeded:
            return
        self._seeded = True
        for tok in self.doc:
            if tok.pos_ != "VERB" or tok.lemma_.lower() not in cues.SPEECH_VERBS:
                continue
            if self.layout.in_quote(tok):
                continue
            subj = subject_of(tok)
            if subj is None or subj.lower_ in cues.SPEAKER_PRONOUNS or subj.pos_ == "PRON":
                continue
            m = self.resolve(subj)
            if m is not None:
                self.add_speaker(tok.idx, m, subj)

    def _pronoun_candidates(self, pos: int, pron: str) -> Mention | None:
        para = self.layout.para_of_char(pos)
        before = []
        for i in range(bisect.bisect_left(self.events, pos, key=lambda e: e.pos) - 1, -1, -1):
            if para - self.events[i].para > 3:
                break
            before.append(self.events[i])
        before.reverse()
        if pron in cues.PRONOUNS_PLURAL or pron in cues.PRONOUNS_NEUTER:
            wanted = ("org", "group") if pron in cues.PRONOUNS_PLURAL else ("org",)
            for ev in reversed(before):
                if ev.kind in wanted:
                    return ev.mention
            return None
        want = "f" if pron in cues.PRONOUNS_FEMALE else "m"

        def ok(ev: Event) -> bool:
            g = self.gender_of(ev.mention)
            return g is None or g == want

        # 1. the nearest person who spoke or was the subject of a sentence, gender permitting;
        # 2. a name the tagger mislabelled; 3. the nearest person named at all
        for kinds in (("speaker", "subject"), ("misc",), ("person",)):
            known = [ev for ev in reversed(before) if ev.kind in kinds and ok(ev)]
            # a candidate whose gender is known to match beats a nearby one of unknown gender
            for ev in known:
                if ev.pos < known[0].pos - 250:
                    break
                if self.gender_of(ev.mention) == want:
                    return ev.mention
            if known:
                return known[0].mention
        return None

    def resolve(self, tok: Token) -> Mention | None:
        """Mention for a subject token: pronouns and definite descriptions point back."""
        low = tok.lower_
        doc = self.doc
        if tok.pos_ == "PRON" or low in cues.SPEAKER_PRONOUNS:
            if low not in cues.SPEAKER_PRONOUNS:
                return None
            target = self._pronoun_candidates(tok.idx, low)
            if target is None:
                return None
            if low in cues.PRONOUNS_FEMALE | cues.PRONOUNS_MALE:
                self.learned_gender.setdefault(
                    target.name, "f" if low in cues.PRONOUNS_FEMALE else "m")
            return Mention(start=tok.idx, end=tok.idx + len(tok), text=tok.text,
                           name=target.name, cluster=target.cluster)
        mention = self.head_mention(tok)
        ent = self.layout.ent(tok)
        first = doc[_np_bounds(tok)[0]]
        if ent is None and mention.cluster is None and tok.pos_ == "PROPN":
            # "The Syrian Foreign Minister" after "Syrian Foreign Minister Asaad al-Shaibani"
            e = self._titled.get(clean_name(mention.text).lower())
            if e is not None and e.start_char < mention.start:
                named = self.mention_from_span(e.start, e.end)
                return Mention(start=mention.start, end=mention.end, text=mention.text,
                               name=named.name, cluster=named.cluster)
        # only a bare "the official" / "the company" points back; "the returning officer" or
        # "the U.S. government" describes itself
        plain = _np_bounds(tok)[0] == tok.i - 1
        if ent is None and tok.pos_ == "NOUN" and first.lower_ in ("the", "this", "that") and plain:
            target = self._definite_antecedent(tok)
            if target is not None:
                return Mention(start=mention.start, end=mention.end, text=mention.text,
                               name=target.name, cluster=target.cluster)
        return mention

    def _definite_antecedent(self, tok: Token) -> Mention | None:
        """'the official' -> 'A ... Ministry official'; 'the network' -> '... Chiefs Network'."""
        head = tok.lower_
        lemma = tok.lemma_.lower()
        doc = self.doc
        para = self.layout.para_of(tok)
        # an earlier named entity whose name contains the head word
        for ent in reversed(self.layout.ents_before(tok.i)):
            if para - self.layout.para_of(ent.root) > 6:
                break
            if ent.label_ in ("ORG", "PERSON", "FAC", "GPE") and \
                    any(w.lower_ in (head, lemma) for w in ent):
                return self.mention_from_span(ent.start, ent.end)
        # an earlier, longer noun phrase with the same head ("A Damascus ... official")
        for prev in reversed(doc[self.layout.first_token_of_para(para - 3):tok.i]):
            if self.layout.in_quote(prev):
                continue
            if para - self.layout.para_of(prev) > 3:
                break
            if prev.lemma_.lower() == lemma and prev.pos_ == "NOUN":
                s, e = _np_bounds(prev)
                if e - s > 2 and doc[s].lower_ not in ("the",):
                    return self.mention_from_span(s, e)
        if head in cues.ORG_NOUNS:
            # "the Scottish company Orbex Highlands ... the company said"
            for prev in reversed(doc[self.layout.first_token_of_para(para - 4):tok.i]):
                if prev.lower_ == head and prev.i + 1 < tok.i:
                    e = self.layout.ent(doc[prev.i + 1])
                    if e is not None and e.label_ in ("ORG", "GPE", "PERSON", "PRODUCT"):
                        return self.mention_from_span(e.start, e.end)
            # else the organisation the article is about: the most often named one nearby
            # (organisation entities, and names the tagger missed or called places)
            cands: list[tuple[int, int]] = []
            lo = self.layout.first_token_of_para(para - 4)
            for e in self.layout.ents_before(tok.i):
                if e.start >= lo and e.label_ in ("ORG", "GPE"):
                    cands.append((e.start, e.end))
            for t in doc[lo:tok.i]:
                if t.dep_ in SUBJECT_DEPS and t.pos_ == "PROPN" and self.layout.ent(t) is None:
                    cands.append((t.i, t.i + 1))
            if cands:
                best = max(reversed(cands), key=lambda c: (
                    self._count(doc[c[0]:c[1]].text), doc[c[0]].ent_type_ == "ORG"))
                return self.mention_from_span(*best)
        if head in cues.PERSON_NOUNS or re.match(r"\d+-year-old$", head):
            for i in range(bisect.bisect_left(self.events, tok.idx, key=lambda e: e.pos) - 1, -1, -1):
                ev = self.events[i]
                if para - ev.para > 3:
                    break
                if ev.kind in ("speaker", "person", "subject"):
                    return ev.mention
        return None


def subject_of(verb: Token) -> Token | None:
    """The nominal subject of a verb, climbing through conjunctions and non-finite clauses."""
    seen = 0
    tok = verb
    while tok is not None and seen < 4:
        subjects = [c for c in tok.children if c.dep_ in SUBJECT_DEPS and not c.is_punct]
        if subjects:
            # two subjects is a parse slip ("Year 10 pupil Amira Hassan said"): the nearest wins
            child = min(subjects, key=lambda c: abs(c.i - tok.i))
            if child.dep_ == "nsubjpass" and child.lower_ == "it":
                return None  # "it was said" names no source
            return child
        if tok.dep_ in ("conj", "xcomp", "advcl") and tok.head.i != tok.i:
            tok = tok.head
            seen += 1
            continue
        return None
    return None


def cue_text(verb: Token) -> tuple[str, tuple[int, int]]:
    """'said', 'told reporters', 'pointed out', 'made clear' and the char span it covers."""
    end_tok = verb
    for child in verb.rights:
        if child.dep_ == "prt" or (child.dep_ in ("acomp", "ccomp", "oprd") and child.lower_ == "clear"
                                   and child.i == verb.i + 1):
            end_tok = child
        elif verb.lemma_.lower() == "tell" and child.dep_ in ("dobj", "dative") and \
                child.right_edge.i - verb.i <= 5:
            end_tok = child.right_edge
            break
    doc = verb.doc
    span = doc[verb.i:end_tok.i + 1]
    return span.text, (span.start_char, span.end_char)


# --------------------------------------------------------------------------------------------
# Claims
# --------------------------------------------------------------------------------------------


def _according_to(sent: Span) -> list[tuple[Token, Token, Token]]:
    """(first cue token, last cue token, source head) for 'according to X' in a sentence."""
    out = []
    toks = list(sent)
    for i, tok in enumerate(toks):
        for pattern in cues.ACCORDING_TO:
            if tok.lower_ != pattern[0] or i + len(pattern) > len(toks):
                continue
            if all(toks[i + k].lower_ == w for k, w in enumerate(pattern)):
                last = toks[i + len(pattern) - 1]
                pobj = [c for c in last.children if c.dep_ == "pobj"]
                head = pobj[0] if pobj else None
                if head is None:
                    # parser sometimes hangs the object elsewhere: take the next noun
                    for t in toks[i + len(pattern):]:
                        if t.pos_ in ("PROPN", "NOUN"):
                            head = t
                            break
                if head is not None:
                    out.append((tok, last, head))
    return out


def source_owner(head: Token) -> Token:
    """'a statement from the ministry' -> 'ministry'; "the union's naming rules" -> 'union'."""
    if head.lemma_.lower() in cues.REPORT_NOUNS or head.lower_ in cues.REPORT_NOUNS:
        for child in head.children:
            if child.dep_ == "poss":
                return child
        for child in head.rights:
            if child.dep_ == "prep" and child.lower_ in cues.REPORT_OWNER_PREPS:
                pobj = [c for c in child.children if c.dep_ == "pobj"]
                if pobj:
                    return pobj[0]
        if head.i > 0 and head.doc[head.i - 1].dep_ == "compound":
            return head  # "NHS figures", "a council report": the whole phrase names it
    return head


def _clause_of(verb: Token) -> tuple[int, int] | None:
    """Token span of the clause a claim verb reports."""
    lemma = verb.lemma_.lower()
    for child in verb.children:
        if child.dep_ in ("ccomp", "parataxis") and child.pos_ in ("VERB", "AUX", "ADJ", "NOUN"):
            return child.left_edge.i, child.right_edge.i + 1
    if lemma in cues.CLAIM_VERBS_WITH_OF or lemma in cues.CLAIM_VERBS_WITH_AS:
        word = "of" if lemma in cues.CLAIM_VERBS_WITH_OF else "as"
        for child in verb.rights:
            heads = [child] + ([g for g in child.rights] if child.dep_ == "dobj" else [])
            for h in heads:
                if h.dep_ == "prep" and h.lower_ == word and h.right_edge.i > h.i:
                    return verb.i + 1, h.right_edge.i + 1
    for child in verb.rights:
        # "denied an AFP report ... that ...": a that-clause hanging off the object
        if child.dep_ in ("dobj", "dative"):
            for g in child.subtree:
                if g.dep_ not in ("acl", "ccomp", "relcl"):
                    continue
                that = [c for c in g.children if c.lower_ == "that" and c.i < g.i]
                # a complement clause has its own subject ("a report that the government
                # planned ..."); a relative clause uses "that" as its subject or object
                own_subject = any(c.dep_ in SUBJECT_DEPS and c.lower_ != "that" for c in g.children)
                if that and (that[0].dep_ == "mark" or own_subject):
                    return that[0].i, g.right_edge.i + 1
    for child in verb.rights:
        if child.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "that" for c in child.children):
            return child.left_edge.i, child.right_edge.i + 1
    # the parser hung the that-clause elsewhere ("told reporters following the meeting that ..."):
    # a "that" marker soon after the verb, inside its subtree, with no other verb in between
    sent_end = verb.sent.end
    for tok in verb.doc[verb.i + 1:min(sent_end, verb.i + 12)]:
        if tok.lower_ == "that" and tok.dep_ == "mark" and verb.is_ancestor(tok):
            clause = tok.head
            return tok.i, clause.right_edge.i + 1
        if tok.pos_ == "VERB" and tok.dep_ not in ("prep", "acl", "amod") and tok.lower_ != "following":
            break
    return None


def _is_claim_verb(tok: Token) -> bool:
    lemma = tok.lemma_.lower()
    if tok.pos_ not in ("VERB",) and not (tok.pos_ == "AUX" and lemma == "say"):
        return False
    if lemma in cues.CLAIM_VERBS or lemma in cues.CLAIM_VERBS_WITH_OF or lemma in cues.CLAIM_VERBS_WITH_AS:
        return True
    for child in tok.children:
        if (lemma, child.lower_) in cues.CLAIM_PHRASES:
            return True
    return False


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    while start < end and (doc[start].is_punct or doc[start].is_space or doc[start].lower_ == "that"):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    return start, end


def find_claims(doc: Doc, quotes: list[Quote] | None = None, resolver: Resolver | None = None,
                layout: Layout | None = None) -> list[Claim]:
    layout = layout or Layout(doc)
    quotes = list(quotes or [])
    resolver = resolver or Resolver(doc, layout)
    resolver.seed_speech_subjects()
    for q in quotes:
        if q.speaker is not None:
            resolver.add_speaker(q.start, q.speaker)

    in_quote = layout.in_quote
    by_sent: dict[int, list[Quote]] = {}
    for q in quotes:
        if q.speaker is not None:
            for i in q.sentences:
                by_sent.setdefault(i, []).append(q)

    claims: list[Claim] = []
    for si, sent in enumerate(layout.sents):
        sent_quotes = by_sent.get(si, [])
        found: list[Claim] = []
        # reported speech
        for tok in sent:
            if in_quote(tok) or not _is_claim_verb(tok):
                continue
            clause = _clause_of(tok)
            if clause is None:
                continue
            subj = subject_of(tok)
            if subj is None or in_quote(subj):
                continue
            source = resolver.resolve(source_owner(subj))
            if source is None:
                continue
            cue, cue_span = cue_text(tok)
            if any(q.cue_span and q.cue_span[0] <= tok.idx < q.cue_span[1] for q in sent_quotes):
                continue
            cs, ce = _trim(doc, *clause)
            if cs >= ce:
                continue
            start, end = doc[cs].idx, doc[ce - 1].idx + len(doc[ce - 1])
            if any(start <= q.start and q.end <= end + 2 for q in sent_quotes):
                continue  # a partial quote inside this reported speech already carries it
            found.append(Claim(sentence=si, start=start, end=end, content=layout.text[start:end],
                               source=source, cue=cue, cue_span=cue_span))
        # according to X
        for first, last, head in _according_to(sent):
            if in_quote(first):
                continue
            owner = source_owner(head)
            source = resolver.resolve(owner)
            if source is None:
                continue
            src_end = head.right_edge.i + 1
            # content: the sentence without the "according to ..." phrase
            sent_end = sent.end
            while sent_end > sent.start and (doc[sent_end - 1].is_space or doc[sent_end - 1].is_punct):
                sent_end -= 1
            if first.i - sent.start <= 1:
                cs, ce = src_end, sent_end
            else:
                cs, ce = sent.start, first.i
                if src_end < sent_end:
                    ce = sent_end  # "..., according to X, including ..." keeps the tail
            cs, ce = _trim(doc, cs, ce)
            if cs >= ce:
                continue
            start, end = doc[cs].idx, doc[ce - 1].idx + len(doc[ce - 1])
            if any(q.start >= sent.start_char and q.end <= sent.end_char + 1 and
                   q.speaker is not None and q.speaker.name == source.name for q in sent_quotes):
                continue
            cue_span = (first.idx, last.idx + len(last))
            found.append(Claim(sentence=si, start=start, end=end, content=layout.text[start:end],
                               source=source, cue=layout.text[cue_span[0]:cue_span[1]].lower(),
                               cue_span=cue_span))
        # hearsay adverbs: a claim with no named source
        if not found:
            for tok in sent:
                if tok.lower_ in cues.HEARSAY_ADVERBS and not in_quote(tok):
                    cs, ce = _trim(doc, sent.start, sent.end)
                    start, end = doc[cs].idx, doc[ce - 1].idx + len(doc[ce - 1])
                    found.append(Claim(sentence=si, start=start, end=end,
                                       content=layout.text[start:end], source=None, cue=tok.lower_,
                                       cue_span=(tok.idx, tok.idx + len(tok))))
                    break
        # a claim reported inside another claim's content belongs to that claim
        found = [c for c in found if not any(
            o is not c and c.cue_span and o.start <= c.cue_span[0] < o.end for o in found)]
        # one claim per source per sentence; quotes already attributed to that source win
        seen: set[str] = {q.speaker.name for q in sent_quotes if q.speaker is not None
                          and q.start >= sent.start_char}
        for c in found:
            key = c.source.name if c.source else f"\0{c.cue}"
            if key in seen:
                continue
            seen.add(key)
            claims.append(c)
    return claims


class ClaimFinder:
    """spaCy component: sets ``Doc._.nr_claims``."""

    def __call__(self, doc: Doc) -> Doc:
        quotes = getattr(doc._, "nr_quotes", None) or []
        layout, resolver = shared_state(doc)
        try:
            doc._.nr_claims = find_claims(doc, quotes, resolver=resolver, layout=layout)
        finally:
            release_state(doc)
        return doc


@Language.factory("newsreader_attribution")
def make_attribution(nlp: Language, name: str) -> ClaimFinder:
    return ClaimFinder()
