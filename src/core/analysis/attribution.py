"""Attributed claims without quote marks, and the speaker/source resolution shared with quotes.

A claim is a sentence part reported on someone's word:

- reported speech: a speech verb with a clause ("Wang said China considers ...",
  "X told Y that ...", "..., SANA reported", "X accused Y of ...", "X made clear that ...");
- "according to X" / "as reported by X" anywhere in the sentence;
- hearsay adverbs ("X reportedly lectured ...") with no named source.

Each claim has the sentence index, the content span (the reported clause, or the sentence minus
the attribution), the source :class:`Mention` and the cue. A speech act already shown as an
attributed direct quote (``Doc._.nr_quotes``) is not repeated as a claim; a negated or refused
speech verb ("have not said where", "declined to say") is not a claim, nor is a report inside
another one's reported clause.

Sources and speakers are resolved by :class:`Resolver`:

- names: canonical names from the entity clusters when ``Doc._.nr_clusters`` is set, without
  leading titles or role words ("Cllr Pryce" -> the cluster of "Cllr Janet Pryce", named
  "Janet Pryce"); an entity at the end of a description it does not head ("Lawyers for two
  users in Texas") does not name the source;
- roles: "the defendant", "the nurse", "the 20-year-old" -> the person given that role or age
  ("Defendant Claire Mottram", "X, 54, a nurse", "His coach, X", "X, 20,"); a lead's "A nurse
  ... told a jury" -> the person the next paragraph names;
- organisations: "the company/council/club/carrier/health board" -> the latest organisation of a
  compatible kind (never a person, a place, a dateline credit such as "(Reuters)" or an outlet
  spoken to); "One wrote:" -> the group just mentioned;
- pronouns: he/she by recency and cheap gender cues (an unnamed source just introduced is never
  skipped); they -> two people named together ("A and B"), else an organisation or group;
- documents: "the statement said" -> whoever issued it ("X said in a statement", "a letter
  organised by X"), else the organisation that spoke last.

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


# Short written titles that mark a person even when the tagger calls the name an organisation
# ("Col Mahjoub"); full words such as "General" are titles only for names tagged PERSON
# ("General Motors" stays whole).
_ABBREV_TITLES = frozenset({"cllr", "col", "gen", "det", "insp", "supt", "sen", "gov", "rep", "dr",
                            "prof", "capt", "lt", "sgt", "maj", "cmdr", "adm", "rev", "mr", "mrs",
                            "ms", "ch", "dci", "di", "ds", "pc", "dc", "cpl", "fr"})


def _untitled_words(name: str, person: bool) -> list[str]:
    """The words of a name without leading titles ("Ch Supt Raymond Ogle" -> Raymond Ogle)."""
    words = name.split()
    k = 0
    while k < len(words) - 1:
        w = words[k].lower().rstrip(".")
        if w in _ABBREV_TITLES or (person and w in cues.PERSON_TITLES):
            k += 1
            continue
        if person and w in cues.PERSON_NOUNS and words[k][:1].isupper() and len(words) - k > 2:
            k += 1  # "Nurse Sarah Quinn", "Tenant Sadia Karim": a role, not a name
            continue
        break
    return words[k:]


def _surname_key(word: str) -> str:
    return _TRAILING_POSS.sub("", word.lower())


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
        # surname -> person clusters with a full name, for titled short forms ("Cllr Pryce")
        self._by_surname: dict[str, list] = {}
        for c in self._clusters.values():
            words = _untitled_words(c.name, person=c.label == "PERSON")
            if len(words) >= 2 and c.label in ("PERSON", "ORG"):
                self._by_surname.setdefault(_surname_key(words[-1]), []).append(c)
        self._roles_cache: list[tuple[int, str, Mention, int]] | None = None
        self._in_document = False
        self._names_cache: list[Span] | None = None
        self._pair_at: dict[int, Mention] = {}
        self._untagged: list[int] = []   # untagged names that are subjects, outside quotes
        self._kind_marked: list[int] = []  # untagged name words that show a kind (NHS, Council)
        self._lead_links: dict[int, Mention] = {}
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
            if cluster is not None and ent.start > span.start and \
                    not (ent.start <= span.root.i < ent.end):
                # an entity at the end of a description it does not head ("Lawyers for two
                # users in Texas", "the mayor of Ellesby") does not name the speaker
                cluster = None
            if cluster is None:
                # an entity inside a longer description ("the official", "Analysts at X") keeps
                # the description as its name; a bare entity uses its own text
                name = clean_name(text)
                label = ent.label_ if ent is not None and ent.start <= span.root.i < ent.end else None
            else:
                name, cluster_id = cluster.name, cluster.id
                label = cluster.label
            name, cluster_id = self._untitle(name, cluster_id, label, span.start_char)
        return Mention(start=span.start_char, end=span.end_char, text=text, name=name,
                       cluster=cluster_id)

    def _untitle(self, name: str, cluster_id: int | None, label: str | None,
                 pos: int) -> tuple[str, int | None]:
        """'Cllr Pryce' -> the cluster of 'Cllr Janet Pryce', named 'Janet Pryce'."""
        words = _untitled_words(name, person=label == "PERSON")
        if len(words) == len(name.split()):
            return name, cluster_id
        if len(words) == 1:
            cands = [c for c in self._by_surname.get(_surname_key(words[0]), ()) if c.id != cluster_id]
            if cands:
                # the person named nearest before this mention (else the first one named)
                def key(c):
                    before = [s for s, _ in c.mentions if s <= pos]
                    return (1, max(before)) if before else (0, -min(s for s, _ in c.mentions))
                best = max(cands, key=key)
                return " ".join(_untitled_words(best.name, person=True)), best.id
        return " ".join(words), cluster_id

    def head_mention(self, tok: Token) -> Mention:
        """The mention for a subject/object head token (entity, appositive name, or NP)."""
        ent = self.layout.ent(tok)
        if tok.lower_ in cues.NAME_SUFFIXES and tok.i > 0 and _suffix_of_name(tok):
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
        if tok.pos_ == "NOUN" or (tok.pos_ == "PROPN" and ent is None):
            # "the authority's chief executive, Fiona Reddy," / "The town's MP, Helen Marsh,"
            # -> the appositive name
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
        if tok.pos_ == "NOUN" and self.doc[start].lower_ in ("a", "an") and end + 1 < len(self.doc) \
                and self.doc[end].text == ",":
            # "a local volunteer group, the Bara Emergency Response Room": the name after it
            nxt = self.layout.ent(self.doc[end + 1])
            if nxt is not None and nxt.start == end + 1 and nxt.label_ in ("ORG", "PERSON"):
                return self.mention_from_span(nxt.start, nxt.end)
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
                return "org" if _org_named_person(ent) else "person"
            if ent.label_ in ("ORG", "GPE", "NORP", "FAC"):
                return "org"
        low = tok.lower_
        if tok.pos_ == "NOUN" and tok.lemma_.lower() in cues.REPORT_NOUNS:
            return "doc"
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
        """Antecedent candidates: every PERSON entity, pairs of people, named subjects of verbs."""
        for ent in self.layout.ents:
            # "Fashion retailer Threadline" tagged PERSON is an organisation; a person named
            # only inside a quotation is not who speaks next
            if ent.label_ == "PERSON" and not _org_named_person(ent) and not self.layout.in_quote(ent[0]):
                m = self.mention_from_span(ent.start, ent.end)
                para = self.layout.para_of_char(ent.start_char)
                self.events.append(Event(ent.start_char, m, None, "person", para))
                if len(ent) >= 3 and any(w.lower_ == "and" for w in ent[1:-1]):
                    # "John and Morag Reid" tagged as one name: a pair a later "they" can mean
                    self.events.append(Event(ent.start_char, m, None, "pair", para))
        # one pass over the tokens: named subjects, untagged names, "A and B" pairs
        conj: list[Token] = []
        for tok in self.doc:
            if tok.pos_ != "PROPN":
                continue
            if tok.lower_ in _KIND_WORDS and self.layout.ent(tok) is None and not self.layout.in_quote(tok):
                self._kind_marked.append(tok.i)  # "at NHS Grampian" with no entity tag
            if tok.dep_ == "conj":
                conj.append(tok)
                continue
            if tok.dep_ not in SUBJECT_DEPS or self.layout.in_quote(tok):
                continue
            ent = self.layout.ent(tok)
            if ent is None and tok.lower_.rstrip(".") not in cues.PERSON_TITLES:
                self._untagged.append(tok.i)
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
        self._seed_pairs(conj)
        self.events.sort(key=lambda e: e.pos)

    def _seed_pairs(self, conj: list[Token]) -> None:
        """Two people named together ("Dr Amara Osei and Dr Lukas Brenner", "Ewan and Isla
        Forbes", one of them tagged PERSON at least) are a 'pair' a later "they" can mean."""
        doc, layout, text = self.doc, self.layout, self.layout.text
        for tok in conj:
            head = tok.head
            if head.pos_ != "PROPN" or head.i >= tok.i or layout.in_quote(tok):
                continue
            parts = []
            for t in (head, tok):
                e = layout.ent(t)
                if e is None:
                    s0 = t.i
                    while s0 > 0 and doc[s0 - 1].pos_ == "PROPN" and doc[s0 - 1].dep_ == "compound" \
                            and layout.ent(doc[s0 - 1]) is None:
                        s0 -= 1
                    e = doc[s0:t.i + 1]
                parts.append(e)
            a, b = parts
            if not any(p.label_ == "PERSON" and not _org_named_person(p) for p in (a, b)) or \
                    any(p.label_ not in ("PERSON", "") for p in (a, b)):
                continue
            names = [" ".join(_untitled_words(self.mention_from_span(p.start, p.end).name, person=True))
                     for p in (a, b)]
            if len(names[0].split()) == 1 and len(names[1].split()) > 1 and a.end == b.start - 1:
                name = text[a.start_char:b.end_char]     # "Ewan and Isla Forbes"
                name = " ".join(_untitled_words(name, person=True))
            else:
                name = f"{names[0]} and {names[1]}"
            pair = Mention(start=a.start_char, end=b.end_char, text=text[a.start_char:b.end_char],
                           name=name, cluster=None)
            self._pair_at[head.i] = pair
            self.events.append(Event(a.start_char, pair, None, "pair", layout.para_of_char(a.start_char)))

    def add_speaker(self, pos: int, mention: Mention, tok: Token | None = None) -> None:
        key = (pos, mention.start, mention.end)
        if key in self._speaker_keys:
            return
        self._speaker_keys.add(key)
        if tok is None:
            span = self.doc.char_span(mention.start, mention.end, alignment_mode="expand")
            tok = span.root if span is not None and len(span) else None
        kind = "speaker"
        if tok is not None:
            k = self._kind_of(tok)
            if k == "doc":
                # "the statement said": its author when known, never a he/she antecedent
                kind = "org" if mention.cluster is not None else "doc"
            elif k in ("org", "group"):
                kind = k
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
            if subj is None or subj.lower_ in cues.SPEAKER_PRONOUNS or subj.pos_ == "PRON" or \
                    subj.dep_ == "nsubjpass":
                continue  # "her son had been admitted to hospital" did not speak
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
            group = next((ev for ev in reversed(before) if ev.kind in wanted), None)
            if pron in cues.PRONOUNS_PLURAL:
                # two people named together ("Dr A and Dr B ... they said") beat an
                # organisation that spoke in between, unless it spoke in this paragraph
                pair = next((ev for ev in reversed(before) if ev.kind == "pair" and para - ev.para <= 2),
                            None)
                if pair is not None and (group is None or group.pos < pair.pos or group.para < para):
                    return pair.mention
            return group.mention if group is not None else None
        want = "f" if pron in cues.PRONOUNS_FEMALE else "m"

        def ok(ev: Event) -> bool:
            g = self.gender_of(ev.mention)
            return g is None or g == want

        # 1. the nearest person who spoke or was the subject of a sentence, gender permitting;
        # 2. a name the tagger mislabelled; 3. the nearest person named at all
        for kinds in (("speaker", "subject"), ("misc",), ("person",)):
            known = [ev for ev in reversed(before) if ev.kind in kinds and ok(ev)]
            if not known:
                continue
            nearest = known[0]
            if self.gender_of(nearest.mention) is None and nearest.mention.cluster is not None:
                # a name of unknown gender: a candidate known to match, close by in the same
                # paragraph, wins; an unnamed source just introduced ("a nurse who asked not to
                # be named") is never skipped, nor is a whole paragraph
                for ev in known[1:]:
                    if ev.para != nearest.para or ev.pos < nearest.pos - 250:
                        break
                    if self.gender_of(ev.mention) == want:
                        return ev.mention
            return nearest.mention
        return None

    def resolve(self, tok: Token) -> Mention | None:
        """Mention for a subject token: pronouns and definite descriptions point back."""
        low = tok.lower_
        doc = self.doc
        if low in cues.GROUP_MEMBER_WORDS and tok.dep_ in SUBJECT_DEPS and \
                not any(c.dep_ in ("prep", "det", "amod", "compound") for c in tok.children):
            # "Fans flooded social media. One wrote: ..." -> one of the fans
            group = self._group_antecedent(tok)
            if group is not None:
                return Mention(start=tok.idx, end=tok.idx + len(tok), text=tok.text,
                               name=group.name, cluster=group.cluster)
        if tok.pos_ == "PRON" or low in cues.SPEAKER_PRONOUNS:
            pron = _POSSESSIVE_PRONOUNS.get(low, low)
            if pron not in cues.SPEAKER_PRONOUNS:
                return None
            target = self._pronoun_candidates(tok.idx, pron)
            if target is None:
                return None
            if pron in cues.PRONOUNS_FEMALE | cues.PRONOUNS_MALE:
                self.learned_gender.setdefault(
                    target.name, "f" if pron in cues.PRONOUNS_FEMALE else "m")
            return Mention(start=tok.idx, end=tok.idx + len(tok), text=tok.text,
                           name=target.name, cluster=target.cluster)
        age = _age_phrase(tok)
        age_ent = self.layout.ent(tok)
        if age is not None and (age_ent is None or age_ent.label_ in ("DATE", "CARDINAL", "QUANTITY")):
            # "the 20-year-old said" -> the person whose age was given as 20 (else the person
            # who spoke or was named last, unless given another age)
            s, e, years = age
            span = doc[s:e]
            target = self._role_antecedent({f"age:{years}"}, tok) or self._recent_person(tok, years)
            if target is not None:
                return Mention(start=span.start_char, end=span.end_char, text=span.text,
                               name=target.name, cluster=target.cluster)
            return self.mention_from_span(s, e)
        if tok.i in self._pair_at and tok.dep_ in SUBJECT_DEPS:
            return self._pair_at[tok.i]  # "Ewan and Isla Forbes had argued that ..."
        mention = self.head_mention(tok)
        ent = self.layout.ent(tok)
        bounds = _np_bounds(tok)
        first = doc[bounds[0]]
        if ent is None and mention.cluster is None and tok.pos_ == "PROPN":
            # "The Syrian Foreign Minister" after "Syrian Foreign Minister Asaad al-Shaibani"
            e = self._titled.get(clean_name(mention.text).lower())
            if e is not None and e.start_char < mention.start:
                named = self.mention_from_span(e.start, e.end)
                return Mention(start=mention.start, end=mention.end, text=mention.text,
                               name=named.name, cluster=named.cluster)
        if ent is not None or tok.pos_ != "NOUN" or mention.cluster is not None:
            return mention  # a name, or a description with its name ("the leader, Frank Hollis")
        det = first.lower_
        if tok.lemma_.lower() in cues.REPORT_NOUNS and det in ("the", "this", "that"):
            # "the statement said" -> whoever issued the statement
            target = self._document_author(tok)
            if target is not None:
                return Mention(start=mention.start, end=mention.end, text=mention.text,
                               name=target.name, cluster=target.cluster)
            return mention
        # only a bare "the official" / "the company" / "the health board" points back; "the
        # returning officer" or "the U.S. government" describes itself
        plain = bounds[0] == tok.i - 1 or all(
            t.pos_ == "NOUN" and t.dep_ == "compound" and t.is_lower and self.layout.ent(t) is None
            for t in doc[bounds[0] + 1:tok.i])
        if det in ("the", "this", "that") and plain:
            target = self._definite_antecedent(tok)
            if target is not None:
                return Mention(start=mention.start, end=mention.end, text=mention.text,
                               name=target.name, cluster=target.cluster)
        elif det in ("a", "an"):
            self._roles()
            target = self._lead_links.get(tok.i)
            if target is not None:
                # a lead's "A carer accused of theft told a jury" -> the carer named next
                return Mention(start=mention.start, end=mention.end, text=mention.text,
                               name=target.name, cluster=target.cluster)
        return mention

    # ---- descriptions ----------------------------------------------------------------------

    def _roles(self) -> list[tuple[int, str, Mention, int]]:
        """(position, role, named mention, paragraph) for every role or age given to a name.

        "Defendant Claire Mottram", "retired engineer Graham Amos" (words before the name),
        "Bethany Corran, 41, a carer from Wrexham" (age and appositive after it), "His coach,
        Felix Brandt" (appositive before it), "the 12-year-old Aarav Menon"; and a lead's
        unnamed subject ("A schoolboy from Kettering has ...") linked to the person the next
        paragraph names. Built once per document, on first use.
        """
        if self._roles_cache is not None:
            return self._roles_cache
        doc, layout, text = self.doc, self.layout, self.layout.text
        n = len(doc)
        out: list[tuple[int, str, Mention, int]] = []
        for ent in self._names():
            keys: set[str] = set()
            j = ent.start - 1
            while j >= 0 and ent.start - j <= 5:
                t = doc[j]
                if t.text in ("-", "‐") and j > 0:
                    j -= 1
                    continue
                if not t.is_alpha or layout.ent(t) is not None or \
                        layout.tok_sent[j] != layout.tok_sent[ent.start]:
                    break
                if t.pos_ in ("NOUN", "PROPN"):
                    keys.update((t.lemma_.lower(), t.lower_))
                elif t.pos_ != "ADJ":
                    break
                j -= 1
            k = ent.end
            if k + 1 < n and doc[k].text == ",":
                k += 1
                years = _small_int(doc[k].text) if doc[k].like_num else None
                if years is not None and k + 1 < n and doc[k + 1].text in (",", ".", ";", ")"):
                    keys.add(f"age:{years}")
                    k += 2
                if k < n and (doc[k].lower_ in ("a", "an", "the") or doc[k].dep_ == "poss"):
                    head = None
                    m = k + 1
                    while m < n and m - k <= 5:
                        t = doc[m]
                        if t.pos_ == "NOUN" and t.is_alpha and layout.ent(t) is None:
                            head = t
                        elif not (t.pos_ in ("ADJ", "PROPN") or t.text in ("-", "‐")):
                            break
                        m += 1
                    if head is not None:
                        keys.update((head.lemma_.lower(), head.lower_))
            if ent.start >= 2 and doc[ent.start - 1].text == ",":
                # "The leader of the council, Frank Hollis" -> leader (the appositive's head),
                # "a statement given by the pawnbroker, Derek Fane" -> pawnbroker (the noun
                # before the comma, when the parser hung the name on the document)
                cands = [doc[ent.start - 2]]
                if ent.root.dep_ == "appos" and ent.root.head.i < ent.start - 2:
                    cands.insert(0, ent.root.head)
                for t in cands:
                    lem = t.lemma_.lower()
                    if t.pos_ in ("NOUN", "PROPN") and t.is_alpha and layout.ent(t) is None and \
                            any(c.dep_ in ("det", "poss") for c in t.children) and \
                            lem not in cues.REPORT_NOUNS and \
                            (ent.label_ == "ORG" or lem not in cues.ORG_NOUNS):
                        keys.update((lem, t.lower_))
                        break
            m_age = _AGE_BEFORE.search(text[max(0, ent.start_char - 24):ent.start_char])
            if m_age:
                keys.add(f"age:{int(m_age.group(1))}")
            if keys:
                mention = self.mention_from_span(ent.start, ent.end)
                para = layout.para_of_char(ent.start_char)
                out.extend((ent.start_char, key, mention, para) for key in keys)
        out.sort(key=lambda r: r[0])
        self._roles_cache = out
        self._link_lead(out)
        out.sort(key=lambda r: r[0])
        return out

    def _names(self) -> list[Span]:
        """Names outside quotes: PERSON and ORG entities, and untagged names that are subjects
        ("Defendant Bethany Corran, 41, denies ..." when the tagger missed the name), without
        the role words in front of them."""
        if self._names_cache is not None:
            return self._names_cache
        doc, layout = self.doc, self.layout
        out = [e for e in layout.ents if e.label_ in ("PERSON", "ORG") and not layout.in_quote(e[0])]
        for i in self._untagged:
            t = doc[i]
            s0 = t.i
            while s0 > 0 and doc[s0 - 1].pos_ == "PROPN" and doc[s0 - 1].dep_ == "compound" and \
                    layout.ent(doc[s0 - 1]) is None:
                s0 -= 1
            while s0 < t.i and (doc[s0].lower_ in cues.PERSON_NOUNS or
                                doc[s0].lower_.rstrip(".") in cues.PERSON_TITLES):
                s0 += 1
            out.append(Span(doc, s0, t.i + 1, label="PERSON"))
        out.sort(key=lambda e: e.start)
        self._names_cache = out
        return out

    def _link_lead(self, roles: list[tuple[int, str, Mention, int]]) -> None:
        """A lead's unnamed subject -> the person the same or next paragraph names."""
        doc, layout = self.doc, self.layout
        for sent in layout.sents[:4]:
            para = layout.para_of(sent[0])
            if para > 1:
                break
            for t in sent:
                if t.dep_ not in SUBJECT_DEPS or t.pos_ != "NOUN" or t.tag_ == "NNS" or \
                        layout.in_quote(t) or layout.ent(t) is not None:
                    continue
                s0 = _np_bounds(t)[0]
                if doc[s0].lower_ not in ("a", "an") or t.lemma_.lower() in cues.ANON_SOURCE_NOUNS:
                    continue
                keys = {t.lemma_.lower(), t.lower_}
                age = _age_phrase(t)
                if age is not None:
                    keys.add(f"age:{age[2]}")
                target = next((m for pos, key, m, p in roles
                               if key in keys and pos > t.idx and p - para <= 1), None)
                if target is None and not any(e.label_ == "PERSON" for e in sent.ents):
                    # "A schoolboy ... has become ...\n\nRohan Iyer, 13, beat ...": the person
                    # who opens the next paragraph
                    nxt = layout.first_token_of_para(para + 1)
                    if nxt < len(doc) and layout.para_of(doc[nxt]) == para + 1:
                        first_sent = layout.sents[layout.tok_sent[nxt]]
                        for e in self._names():
                            if e.start >= first_sent.end:
                                break
                            if e.start >= first_sent.start and e.label_ == "PERSON" and \
                                    e.root.dep_ in SUBJECT_DEPS:
                                target = self.mention_from_span(e.start, e.end)
                                break
                if target is not None:
                    self._lead_links[t.i] = target
                    roles.extend((target.start, key, target, layout.para_of_char(target.start))
                                 for key in keys)

    def _role_antecedent(self, keys: set[str], tok: Token) -> Mention | None:
        """The named person given this role or age: the latest before ``tok``, else the first
        one in the same or next paragraph."""
        roles = self._roles()
        para = self.layout.para_of(tok)
        best = None
        for pos, key, m, p in roles:
            if pos >= tok.idx:
                break
            if key in keys and para - p <= 6 and not (m.start <= tok.idx < m.end):
                best = m
        if best is not None:
            return best
        for pos, key, m, p in roles:
            if pos > tok.idx and key in keys and p - para <= 1:
                return m
        return None

    def _group_antecedent(self, tok: Token) -> Mention | None:
        """'One wrote:' -> the plural subject just before ("fans flooded social media")."""
        layout = self.layout
        lo = layout.first_token_of_para(layout.para_of(tok) - 1)
        for t in reversed(self.doc[lo:tok.i]):
            if layout.in_quote(t):
                continue
            if t.pos_ == "NOUN" and t.tag_ == "NNS" and t.dep_ in SUBJECT_DEPS:
                s, e = _np_bounds(t)
                return self.mention_from_span(s, e)
        return None

    def _document_author(self, tok: Token) -> Mention | None:
        """'the statement' -> who issued it: an earlier "X said in a statement", "a letter
        organised by X", "X's report"; else the organisation that spoke last."""
        if self._in_document:
            return None
        self._in_document = True
        try:
            layout, doc = self.layout, self.doc
            lemma = tok.lemma_.lower()
            para = layout.para_of(tok)
            for prev in reversed(doc[layout.first_token_of_para(para - 3):tok.i]):
                if prev.lemma_.lower() != lemma or prev.pos_ != "NOUN" or layout.in_quote(prev):
                    continue
                owner = _document_owner(prev)
                if owner is not None and owner.lemma_.lower() not in cues.REPORT_NOUNS:
                    m = self.resolve(owner)
                    if m is not None:
                        return m
            i = bisect.bisect_left(self.events, tok.idx, key=lambda e: e.pos) - 1
            while i >= 0 and para - self.events[i].para <= 2:
                ev = self.events[i]
                if ev.kind == "org":
                    return ev.mention
                i -= 1
            lo = layout.first_token_of_para(para - 2)
            for e in reversed(layout.ents_before(tok.i)):
                if e.start < lo:
                    break
                if e.label_ == "ORG" and not self._not_antecedent(e, None):
                    return self.mention_from_span(e.start, e.end)
            return None
        finally:
            self._in_document = False

    def _not_antecedent(self, e: Span, head: str | None) -> bool:
        """Dateline credits "(Reuters) -", outlets spoken to ("told the BBC", "speaking to Sky
        Sports") and, unless the noun is a media one, any news outlet."""
        doc = self.doc
        if e.start > 0 and doc[e.start - 1].text == "(" and e.end < len(doc) and doc[e.end].text == ")":
            return True
        r = e.root
        if r.dep_ == "pobj" and r.head.lower_ == "to" and (
                r.head.head.lemma_.lower() in cues.SPEECH_VERBS | {"speak", "talk"}):
            return True
        if r.dep_ in ("dobj", "dative") and r.head.lemma_.lower() == "tell":
            return True
        if head not in cues.MEDIA_NOUNS:
            if _outlet_keys() and _norm(e.text) in _outlet_keys():
                return True
        return False

    def _org_grade(self, kind: str | None, e: Span) -> int:
        """2: the name shows it is that kind of organisation; 1: it may be; 0: it is not."""
        words = {w.lower_ for w in e}
        doc = self.doc
        if e.label_ == "GPE":
            if kind == "council":
                return 2 if e.end < len(doc) and doc[e.end].lower_ == "council" else 0
            if kind in ("company", None) and e.start >= 2 and doc[e.start - 1].lower_ in ("in", "of") \
                    and doc[e.start - 2].lower_ in cues.COMPANY_CONTEXT_NOUNS:
                return 1  # "Shares in Norvantis": a company the tagger took for a place
            return 1 if kind == "government" else 0
        if e.label_ not in ("ORG", "FAC") and not (e.label_ == "PERSON" and _org_named_person(e)):
            return 0
        said = _org_noun_before(e)
        if said is not None:
            # "the pilots' union Balpa" is a union, "carmaker Atlas Motors" a company
            said_kind = cues.ORG_NOUN_KINDS.get(said) or ("company" if said.endswith("maker") else None)
            if kind is not None and said_kind is not None:
                return 2 if said_kind == kind else 0
            words.add(said)
        if kind is None:
            return 1
        if kind in ("company", "club", "band") and words & cues.NOT_COMPANY_WORDS:
            return 0  # "Leeds City Council" is not a club, whatever "City" suggests
        if words & cues.ORG_KIND_WORDS.get(kind, frozenset()):
            return 2
        return 1 if kind in ("company", "club", "band") else 0

    def _org_antecedent(self, tok: Token, kind: str | None, mods: set[str]) -> Mention | None:
        """The latest organisation before ``tok`` of a compatible kind (within four paragraphs).
        A noun with modifiers ("the airport operator") needs a name that shows that kind or has
        one of the modifiers ("the rail operator" -> Northline Rail); else it names itself."""
        doc, layout = self.doc, self.layout
        para = layout.para_of(tok)
        lo = layout.first_token_of_para(para - 4)
        loose = not mods and kind in (None, "company", "club", "band")
        cands: list[Span] = [e for e in layout.ents_before(tok.i) if e.start >= lo]
        if loose:
            # names the tagger missed, as subjects ("Helvion said it would appeal")
            for i in self._untagged[bisect.bisect_left(self._untagged, lo):
                                    bisect.bisect_left(self._untagged, tok.i)]:
                s0, e0 = _np_bounds(doc[i])
                while s0 < i and doc[s0].pos_ != "PROPN":
                    s0 += 1
                cands.append(Span(doc, s0, e0, label=""))
        # untagged names with a word that shows their kind ("Waits are longest at NHS Grampian")
        if kind is not None:
            marks = cues.ORG_KIND_WORDS.get(kind, frozenset())
            seen: set[int] = set()
            for i in self._kind_marked[bisect.bisect_left(self._kind_marked, lo):
                                       bisect.bisect_left(self._kind_marked, tok.i)]:
                if doc[i].lower_ not in marks:
                    continue
                s0, e0 = i, i + 1
                while s0 > lo and doc[s0 - 1].pos_ == "PROPN" and layout.ent(doc[s0 - 1]) is None:
                    s0 -= 1
                while e0 < tok.i and doc[e0].pos_ == "PROPN" and layout.ent(doc[e0]) is None:
                    e0 += 1
                if s0 not in seen and e0 - s0 >= 2:
                    seen.add(s0)
                    cands.append(Span(doc, s0, e0, label="ORG"))
        cands.sort(key=lambda c: c.start)
        strong = weak = None
        for e in reversed(cands):
            if layout.in_quote(e[0]) or self._not_antecedent(e, tok.lower_):
                continue
            if e.label_ == "":
                grade = 1
            elif e.label_ == "PERSON" and loose and len(e) == 1 and not _org_named_person(e):
                # a one-word name the tagger called a person ("Ryanair cancelled 40 flights")
                m = self.mention_from_span(e.start, e.end)
                grade = 1 if len(m.name.split()) == 1 and self.gender_of(m) is None else 0
            else:
                grade = self._org_grade(kind, e)
            if mods and grade:
                grade = 2 if grade == 2 or mods & {w.lower_ for w in e} else 0
            if grade == 2:
                strong = e
                break
            if grade == 1 and weak is None:
                weak = e
        pick = strong or weak
        if pick is not None:
            end = pick.end
            if pick.label_ == "GPE" and kind == "council":
                end += 1  # "Eastfield council"
            return self.mention_from_span(pick.start, end)
        return None

    def _definite_antecedent(self, tok: Token) -> Mention | None:
        """'the official' -> 'A ... Ministry official'; 'the network' -> '... Chiefs Network';
        'the defendant' -> 'Defendant Claire Mottram'; 'the company' -> the latest company."""
        head = tok.lower_
        lemma = tok.lemma_.lower()
        doc = self.doc
        para = self.layout.para_of(tok)
        maker = lemma.endswith("maker") and len(lemma) > 5  # drugmaker, automaker, toymaker
        is_org = head in cues.ORG_NOUNS or lemma in cues.ORG_NOUNS or maker
        # an earlier named entity whose name contains the head word ("the council" -> "Eastfield
        # District Council")
        for ent in reversed(self.layout.ents_before(tok.i)):
            if para - self.layout.para_of(ent.root) > 6:
                break
            # (an entity that is only the noun itself, "Nurse" tagged as a place, names nobody)
            if ent.label_ in ("ORG", "PERSON", "FAC", "GPE") and not self._not_antecedent(ent, head) \
                    and any(w.lower_ in (head, lemma) for w in ent) and \
                    any(w.is_alpha and w.lower_ not in (head, lemma, "the") for w in ent):
                return self.mention_from_span(ent.start, ent.end)
        # a name this role was given ("Defendant Claire Mottram", "X, 54, a nurse", "His coach, X")
        target = self._role_antecedent({head, lemma}, tok)
        if target is not None:
            return target
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
        if is_org:
            # "the Scottish company Orbex Highlands ... the company said"
            for prev in reversed(doc[self.layout.first_token_of_para(para - 4):tok.i]):
                if prev.lower_ == head and prev.i + 1 < tok.i:
                    e = self.layout.ent(doc[prev.i + 1])
                    if e is not None and e.label_ in ("ORG", "GPE", "PERSON", "PRODUCT"):
                        return self.mention_from_span(e.start, e.end)
                    # "pharmaceutical company Helvion", "the company Orbex Highlands" (untagged)
                    k = prev.i + 1
                    while k < tok.i and doc[k].pos_ == "PROPN" and self.layout.ent(doc[k]) is None:
                        k += 1
                    if k > prev.i + 1:
                        return self.mention_from_span(prev.i + 1, k)
            kind = cues.ORG_NOUN_KINDS.get(head) or cues.ORG_NOUN_KINDS.get(lemma) or \
                ("company" if maker else None)
            mods = {t.lower_ for t in doc[_np_bounds(tok)[0] + 1:tok.i]}
            if mods & {"health", "nhs"}:
                kind = "health"
            return self._org_antecedent(tok, kind, mods)
        if head in cues.PERSON_NOUNS or re.match(r"\d+-year-old$", head):
            return self._recent_person(tok, None, lemma)
        return None

    def _recent_person(self, tok: Token, years: int | None, role: str | None = None) -> Mention | None:
        """The person who spoke or was named last (within three paragraphs); with ``years``,
        not one whose age was given as something else; never another unnamed description
        ("the judge" is not who "the prosecutor" means)."""
        para = self.layout.para_of(tok)
        other_ages: set[str] = set()
        if years is not None:
            other_ages = {m.name for _, key, m, _ in self._roles()
                          if key.startswith("age:") and key != f"age:{years}"}
        for i in range(bisect.bisect_left(self.events, tok.idx, key=lambda e: e.pos) - 1, -1, -1):
            ev = self.events[i]
            if para - ev.para > 3:
                break
            if ev.kind in ("speaker", "person", "subject") and ev.mention.name not in other_ages:
                if ev.mention.cluster is None and (role is None or role not in ev.mention.name.lower()):
                    span = self.doc.char_span(ev.mention.start, ev.mention.end, alignment_mode="expand")
                    if span is None or not len(span) or self.layout.ent(span.root) is None:
                        continue
                return ev.mention
        return None


_POSSESSIVE_PRONOUNS = {"his": "he", "her": "she", "its": "it", "their": "they"}
_KIND_WORDS = frozenset().union(*cues.ORG_KIND_WORDS.values())
_AGE_BEFORE = re.compile(r"(\d{1,3})-year-old\s+$")
_OUTLETS: list = []


def _outlet_keys() -> frozenset[str]:
    if not _OUTLETS:
        from .entities import news_org_names  # the outlet list the entity component uses
        _OUTLETS.append(frozenset(_norm(n) for n in news_org_names()))
    return _OUTLETS[0]


def _norm(text: str) -> str:
    return re.sub(r"^the\s+", "", " ".join(text.lower().split()))


def _small_int(text: str) -> int | None:
    return int(text) if text.isdigit() and 0 < int(text) < 120 else None


def _age_phrase(tok: Token) -> tuple[int, int, int] | None:
    """(start, end, years) of "the 20-year-old" when ``tok`` is one of its words (or the noun
    right after it, "the 20-year-old woman")."""
    doc = tok.doc
    low = tok.lower_
    if not (low in ("old", "year", "years", "-") or "-year" in low or
            (tok.like_num and tok.i + 1 < len(doc) and doc[tok.i + 1].text == "-") or
            (tok.i > 0 and doc[tok.i - 1].lower_ == "old")):
        return None  # the cheap test first: this runs for every speaker resolved
    lo = max(0, tok.i - 5)
    for s in range(lo, tok.i + 1):
        words = doc[s:min(len(doc), s + 5)]
        if len(words) == 5 and words[0].like_num and words[1].text == "-" and \
                words[2].lower_ in ("year", "years") and words[3].text == "-" and words[4].lower_ == "old":
            end = s + 5
        elif len(words) >= 1 and re.fullmatch(r"\d{1,3}-years?-old", words[0].lower_):
            end = s + 1
        else:
            continue
        years = _small_int(re.match(r"\d+", doc[s].text).group(0)) if re.match(r"\d+", doc[s].text) else None
        if years is None:
            continue
        if end < len(doc) and doc[end].pos_ == "NOUN" and doc[end].is_lower:
            end += 1  # "the 20-year-old woman"
        if not (s <= tok.i < end):
            continue
        start = s - 1 if s > 0 and doc[s - 1].lower_ in ("the", "a", "an", "this") else s
        return start, end, years
    return None


def _document_owner(noun: Token) -> Token | None:
    """Who issued a document mentioned in the text: "a statement from X", "X's report", "a
    letter organised by X", "X said in a statement", "X issued a statement"."""
    owner = source_owner(noun)
    if owner.i != noun.i:
        return owner
    head = noun.head
    if noun.dep_ == "pobj" and head.lower_ in ("in", "through", "via") and \
            head.head.lemma_.lower() in cues.DOCUMENT_AUTHOR_VERBS:
        return subject_of(head.head)
    if noun.dep_ == "dobj" and head.lemma_.lower() in cues.DOCUMENT_AUTHOR_VERBS:
        return subject_of(head)
    return None


def _org_named_person(ent: Span) -> bool:
    """An organisation the tagger called a person: "Fashion retailer Threadline", "Indie band
    Harbour Lights" (an organisation noun in or right before the name)."""
    if any(w.lower_ in cues.ORG_NOUNS for w in ent):
        return True
    return ent.start > 0 and _org_noun_before(ent) is not None


def _org_noun_before(ent: Span) -> str | None:
    """'union' in "the pilots' union Balpa", 'band' in "Indie band Harbour Lights"."""
    prev = ent.doc[ent.start - 1] if ent.start > 0 else None
    if prev is not None and prev.pos_ == "NOUN" and (prev.is_lower or prev.i == prev.sent.start) and \
            (prev.lower_ in cues.ORG_NOUNS or (prev.lower_.endswith("maker") and len(prev) > 5)):
        return prev.lower_
    return None


def _suffix_of_name(tok: Token) -> bool:
    """'KC' in "Jonathan Sykes KC", not 'MP' in "The town's MP"."""
    prev = tok.doc[tok.i - 1]
    if prev.pos_ != "PROPN" or prev.dep_ == "case" or prev.lower_ in ("'s", "’s"):
        return False
    return not any(c.dep_ in ("det", "poss") for c in tok.children)


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
        for child in head.rights:
            # "figures published by Public Health Scotland", "a letter organised by X"
            if child.dep_ == "acl" and child.lemma_.lower() in cues.DOCUMENT_AGENT_VERBS:
                for g in child.children:
                    if g.dep_ == "agent" or (g.dep_ == "prep" and g.lower_ == "by"):
                        pobj = [c for c in g.children if c.dep_ == "pobj"]
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
            if child.pos_ in ("ADJ", "NOUN") and not any(c.dep_ in SUBJECT_DEPS for c in child.children):
                continue  # "conceded only one draw" parsed as a clause: an object, not a claim
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
    for child in verb.rights:
        # "urged both sides to extend the truce"; "denied ever making the remark"
        if child.dep_ == "xcomp" and child.pos_ == "VERB" and (
                (lemma in cues.CLAIM_VERBS_WITH_TO and any(c.dep_ == "aux" and c.lower_ == "to"
                                                           for c in child.children)) or
                (lemma in cues.CLAIM_VERBS_WITH_GERUND and (child.tag_ == "VBG" or any(
                    c.dep_ == "aux" and c.tag_ == "VBG" for c in child.children)))):
            return verb.i + 1, child.right_edge.i + 1
    # the parser hung the that-clause elsewhere ("told reporters following the meeting that ...",
    # "said at the time that ..."): a "that" soon after the verb, inside its subtree, with no
    # other verb in between
    sent_end = verb.sent.end
    for tok in verb.doc[verb.i + 1:min(sent_end, verb.i + 12)]:
        if tok.lower_ == "that" and verb.is_ancestor(tok):
            clause = tok.head
            if tok.dep_ == "mark":
                return tok.i, clause.right_edge.i + 1
            # "said at the time that fly-tipping had doubled": a clause with its own subject
            # taken for a relative clause of the time phrase
            if clause.dep_ == "relcl" and clause.head.dep_ == "pobj" and clause.head.head.head.i == verb.i \
                    and any(c.dep_ in SUBJECT_DEPS and c.i != tok.i for c in clause.children):
                return tok.i, clause.right_edge.i + 1
        if tok.pos_ == "VERB" and tok.dep_ not in ("prep", "acl", "amod") and tok.lower_ != "following":
            break
    return None


def _reported_within(verb: Token) -> bool:
    """A speech verb inside another one's reported clause ("Eades said the board had told staff
    that ...") is part of that report, not a claim of its own."""
    cur = verb
    for _ in range(4):
        if cur.head.i == cur.i:
            return False
        if cur.dep_ == "conj" and cur.head.dep_ in ("ccomp", "xcomp"):
            cur = cur.head
            continue
        if cur.dep_ != "ccomp":
            return False
        cur = cur.head
        if cur.pos_ in ("VERB", "AUX") and _is_claim_verb(cur) and not _negated(cur) and \
                subject_of(cur) is not None:
            return True
    return False


def _negated(verb: Token) -> bool:
    """'have not said where it started', 'declined to say how much' report no claim."""
    if any(c.dep_ == "neg" for c in verb.children):
        return True
    head = verb.head
    return verb.dep_ == "xcomp" and head.i != verb.i and head.lemma_.lower() in cues.NON_CLAIM_HEADS


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
            if in_quote(tok) or not _is_claim_verb(tok) or _negated(tok) or _reported_within(tok):
                continue
            clause = _clause_of(tok)
            if clause is None:
                continue
            subj = subject_of(tok)
            # "X was told that ..." names the listener, not the source
            if subj is None or in_quote(subj) or subj.dep_ == "nsubjpass":
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
            if source.end > doc[src_end - 1].idx + len(doc[src_end - 1]):
                # an appositive name after the phrase ("a local group, the X Network, which ...")
                named = doc.char_span(source.start, source.end, alignment_mode="expand")
                if named is not None and named.root.right_edge.i < sent.end:
                    src_end = max(src_end, named.root.right_edge.i + 1, named.end)
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
