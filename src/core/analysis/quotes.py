"""Direct quotations and their speakers.

Finding the quoted spans works on characters, paragraph by paragraph:

- double marks: curly “ ” and straight " (straight marks open after a space or at a paragraph
  start and close before a space, punctuation or the paragraph end);
- single marks ‘ ’ and ' at the top level (British style); ’ and ' between letters are
  apostrophes ("China’s", "don't"), and a plural possessive ("players’ union") is skipped when
  a better closing mark follows. Single marks inside a double-quoted span are nested quotes and
  belong to the outer quote;
- a quote still open at the end of a paragraph runs to the paragraph end when the next
  paragraph opens with a quote mark (the news convention for quotes over several paragraphs):
  each paragraph is its own :class:`Quote`, and all of them share the speaker.

Quoted terms are not quotations: spans shorter than ``cues.MIN_QUOTE_WORDS`` words (scare
quotes such as “terrorism”, one-word fragments such as “liked”) unless they stand alone as a
whole utterance with a cue (“No,” she said), names and titles (“East Turkistan Islamic
Movement”, “The Last Lambing”), and short verbless phrases with no speech cue near them.

Speakers, in order of evidence: the cue right after the quote (“…,” X said / said X / she
insisted / according to X), "according to X" in the quote's sentence, a colon introducing it
(X said: “…”; a document read out credits its author), a speech verb governing the quoted words
(partial quotes inside reported speech: X told Y that he had “…”; the outermost reporting verb
wins, so in "X said the city had asked the railroad “…”" the words are X's, and a passive
subject never speaks), the subject of the clause a longer partial quote is embedded in, and
last the speaker of the previous quote when the quote opens its sentence (continuation).
Short spans nobody is said to have said (pictured “drowning his sorrows”) and short names
after a naming verb (what fans called “the quiet years”) are not quotations.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Token

from ..models import Mention, Quote
from . import cues
from .attribution import (Layout, Resolver, _according_to, cue_text, shared_state, source_owner,
                          subject_of)

Doc.set_extension("nr_quotes", default=None, force=True)

DOUBLE_OPEN = "“„"
DOUBLE_CLOSE = "”"
SINGLE_OPEN = "‘"
SINGLE_CLOSE = "’"
OPEN_CONTEXT = " \t\n([{—–-/"
CLOSE_PUNCT = ",.!?;:…—–)]"


@dataclass(frozen=True)
class QuoteSpan:
    start: int
    end: int               # exclusive; includes the closing mark when there is one
    closed: bool
    paragraph: int
    opens_paragraph: bool  # the quote mark is the first character of its paragraph


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans = []
    pos = 0
    for m in re.finditer(r"\n\s*\n", text):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        out.append((s, e))
    return out


def _can_open(text: str, i: int, lo: int, hi: int) -> bool:
    prev = text[i - 1] if i > lo else " "
    nxt = text[i + 1] if i + 1 < hi else " "
    return (prev in OPEN_CONTEXT or prev in "“‘\"'") and not nxt.isspace()


def _can_close(text: str, i: int, lo: int, hi: int) -> bool:
    prev = text[i - 1] if i > lo else " "
    nxt = text[i + 1] if i + 1 < hi else " "
    return not prev.isspace() and (nxt.isspace() or nxt in CLOSE_PUNCT or nxt in "”’\"'")


def _double_spans(text: str, lo: int, hi: int) -> tuple[list[tuple[int, int]], int | None]:
    """Closed double-quoted spans in text[lo:hi], and the start of an unclosed one."""
    spans: list[tuple[int, int]] = []
    open_at: int | None = None
    for i in range(lo, hi):
        c = text[i]
        if c not in DOUBLE_OPEN and c not in DOUBLE_CLOSE and c != '"':
            continue
        if open_at is None:
            if c in DOUBLE_OPEN or (c == '"' and (_can_open(text, i, lo, hi) or not _can_close(text, i, lo, hi))):
                open_at = i
            # a stray closing mark with nothing open is ignored
        else:
            if c in DOUBLE_CLOSE or c == '"':
                spans.append((open_at, i + 1))
                open_at = None
            elif c in DOUBLE_OPEN:
                if _can_close(text, i, lo, hi) and not _can_open(text, i, lo, hi):
                    spans.append((open_at, i + 1))  # “ typed where ” was meant
                    open_at = None
                else:
                    open_at = i  # the earlier mark never closed: restart here
    return spans, open_at


def _single_spans(text: str, lo: int, hi: int, taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Top-level single-quoted spans (British style), skipping apostrophes."""
    def inside(i: int) -> bool:
        return any(s <= i < e for s, e in taken)

    spans: list[tuple[int, int]] = []
    i = lo
    while i < hi:
        c = text[i]
        if c in (SINGLE_OPEN, "'") and not inside(i) and _can_open(text, i, lo, hi):
            nxt = text[i + 1] if i + 1 < hi else " "
            if c == "'" and nxt.isdigit():
                i += 1
                continue  # '90s
            closers = []
            for j in range(i + 1, hi):
                if inside(j):
                    break
                cj = text[j]
                if cj in (SINGLE_CLOSE, "'") and _can_close(text, j, lo, hi):
                    prevj = text[j - 1]
                    if prevj.isalnum() and j + 1 < hi and text[j + 1].isalnum():
                        continue  # apostrophe inside a word
                    closers.append(j)
                elif cj in (SINGLE_OPEN,) and closers:
                    break
            if closers:
                best = None
                for j in closers:
                    if text[j - 1] in CLOSE_PUNCT or text[j - 1] in "?!":
                        best = j
                        break
                if best is None:
                    for j in closers:
                        after = text[j + 1:j + 3]
                        possessive = text[j - 1] in "sS" and len(after) == 2 and after[0] == " " \
                            and after[1].isalpha()
                        if not possessive:
                            best = j
                            break
                if best is not None:
                    spans.append((i, best + 1))
                    i = best + 1
                    continue
        i += 1
    return spans


def find_quote_spans(text: str) -> list[QuoteSpan]:
    """Every quoted passage in ``text`` (character offsets), in order."""
    paras = _paragraphs(text)
    out: list[QuoteSpan] = []
    for pi, (lo, hi) in enumerate(paras):
        if lo >= hi:
            continue
        doubles, open_at = _double_spans(text, lo, hi)
        spans = [(s, e, True) for s, e in doubles]
        if open_at is not None:
            next_opens = pi + 1 < len(paras) and paras[pi + 1][0] < paras[pi + 1][1] and \
                text[paras[pi + 1][0]] in DOUBLE_OPEN + '"'
            words = len(re.findall(r"\w+", text[open_at:hi]))
            if next_opens or (open_at == lo and words >= cues.MIN_QUOTE_WORDS):
                spans.append((open_at, hi, False))
        taken = [(s, e) for s, e, _ in spans]
        for s, e in _single_spans(text, lo, hi, taken):
            spans.append((s, e, True))
        for s, e, closed in sorted(spans):
            out.append(QuoteSpan(s, e, closed, pi, s == lo))
    return out


# --------------------------------------------------------------------------------------------
# Quoted terms vs quotations
# --------------------------------------------------------------------------------------------

def _inner(text: str) -> str:
    return text.strip().strip("“”‘’\"'„").strip()


def _words(s: str) -> list[str]:
    return re.findall(r"[^\W_][\w’'\-.]*", s)


def _looks_like_name(words: list[str]) -> bool:
    content = [w for w in words if w.lower() not in cues.NAME_FUNCTION_WORDS]
    if not content or len(words) > 7:
        return False
    return all(w[0].isupper() or w[0].isdigit() or re.match(r"(?i)(al|el)-[A-Z]", w) for w in content)


def _standalone(text: str, span: QuoteSpan, para_lo: int) -> bool:
    """A whole utterance: starts its sentence and ends with punctuation inside the marks."""
    inner = _inner(text[span.start:span.end])
    if not inner or inner[-1] not in ",.?!":
        return False
    before = text[para_lo:span.start].rstrip()
    return not before or before[-1] in ".?!:"


def classify(text: str, span: QuoteSpan, para_lo: int) -> str:
    """'term' (scare quote, name, short fragment) or 'quote'."""
    words = _words(_inner(text[span.start:span.end]))
    if not words:
        return "term"
    standalone = _standalone(text, span, para_lo)
    if _looks_like_name(words) and not standalone:
        return "term"
    if len(words) < cues.MIN_QUOTE_WORDS or _looks_like_name(words):
        # “No,” she said: a whole short utterance counts only with a cue right after it
        return "short" if standalone else "term"
    return "quote"


# --------------------------------------------------------------------------------------------
# Speakers
# --------------------------------------------------------------------------------------------

@dataclass
class Found:
    span: QuoteSpan
    tok_start: int
    tok_end: int
    speaker: Mention | None = None
    cue: str | None = None
    cue_span: tuple[int, int] | None = None
    evidence: str = ""
    short: bool = False


def _tok_range(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    return span.start, span.end


class SpeakerFinder:
    def __init__(self, doc: Doc, layout: Layout, resolver: Resolver, regions: list[tuple[int, int]]):
        self.doc = doc
        self.layout = layout
        self.resolver = resolver
        self.regions = regions

    def in_quote(self, tok: Token) -> bool:
        return self.layout.in_quote(tok)

    def _set(self, f: Found, subj: Token | None, verb: Token | None, evidence: str,
             mention: Mention | None = None) -> bool:
        if mention is None:
            if subj is None:
                return False
            mention = self.resolver.resolve(source_owner(subj))
        if mention is None:
            return False
        f.speaker = mention
        if verb is not None:
            f.cue, f.cue_span = cue_text(verb)
        f.evidence = evidence
        return True

    # --- after the quote: “…,” X said / said X / she insisted / according to X -------------
    def after(self, f: Found, next_start: int) -> bool:
        doc = self.doc
        end_tok = f.tok_end
        if end_tok >= len(doc):
            return False
        para = f.span.paragraph
        inner = _inner(self.layout.text[f.span.start:f.span.end])
        ends_sentence = inner[-1:] in (".",) and f.span.closed
        window: list[Token] = []
        sent_i = self.layout.tok_sent[end_tok - 1]
        for t in doc[end_tok:]:
            if t.idx >= next_start or self.layout.para_of(t) != para:
                break
            if self.layout.tok_sent[t.i] != sent_i and window and window[-1].text in ".?!":
                break
            window.append(t)
            if len(window) >= 25:
                break
        if not window:
            return False
        toks = [t for t in window if not t.is_space]
        # skip a leading comma / dash
        while toks and toks[0].is_punct and toks[0].text not in ".?!":
            toks = toks[1:]
        if not toks:
            return False
        if ends_sentence and not toks[0].is_lower:
            return False
        if toks[0].text in ".?!":
            return False
        # according to X
        if toks[0].lower_ == "according" and len(toks) > 1 and toks[1].lower_ == "to":
            for first, last, head in _according_to(self.doc[toks[0].i:toks[-1].i + 1]):
                mention = self.resolver.resolve(source_owner(head))
                if mention is not None:
                    f.speaker, f.cue = mention, "according to"
                    f.cue_span = (first.idx, last.idx + len(last))
                    f.evidence = "after:according"
                    return True
        # a short utterance (“No,” she said) needs its cue right after it
        for k, t in enumerate(toks[:4] if f.short else toks[:12]):
            if t.text in ".?!;" or t.is_quote:
                break
            if t.pos_ not in ("VERB", "AUX") or t.pos_ == "AUX" and t.lemma_ != "say":
                continue
            if t.dep_ in ("acl", "relcl") and k > 0:
                break  # "…", a claim the campaign called "…": a clause about a noun, not a cue
            lemma = t.lemma_.lower()
            speech = lemma in cues.SPEECH_VERBS
            subj = None
            for child in t.children:
                if child.dep_ in ("nsubj", "nsubjpass") and not self.in_quote(child):
                    subj = child
            if subj is None and speech:
                # "said Alan Briggs", or a subject the parser missed
                for u in toks[k + 1:k + 6]:
                    if u.pos_ in ("PROPN", "NOUN", "PRON") and not u.is_punct:
                        subj = u.head if u.dep_ == "compound" else u
                        break
                if subj is None:
                    for u in reversed(toks[:k]):
                        if u.pos_ in ("PROPN", "NOUN", "PRON"):
                            subj = u
                            break
            if subj is None:
                if k == 0 or all(u.pos_ in ("ADV", "PUNCT") for u in toks[:k]):
                    continue
                break
            if not speech:
                # a non-speech verb straight after “…,” with its own subject ("the paper shared")
                comma_end = inner[-1:] in (",",) or (toks and window[0].text == ",")
                if not comma_end or subj.i > t.i:
                    break
            return self._set(f, subj, t, "after")
        return False

    # --- according to X in the same sentence --------------------------------------------------
    def according(self, f: Found) -> bool:
        si = self.layout.tok_sent[f.tok_start]
        sj = self.layout.tok_sent[max(f.tok_start, f.tok_end - 1)]
        for s in range(si, sj + 1):
            for first, last, head in _according_to(self.layout.sents[s]):
                if self.in_quote(first):
                    continue
                mention = self.resolver.resolve(source_owner(head))
                if mention is not None:
                    f.speaker, f.cue = mention, "according to"
                    f.cue_span = (first.idx, last.idx + len(last))
                    f.evidence = "according"
                    return True
        return False

    # --- X said: “…” --------------------------------------------------------------------------
    def colon(self, f: Found) -> bool:
        doc = self.doc
        i = f.tok_start - 1
        while i >= 0 and doc[i].is_space:
            i -= 1
        if i < 0 or doc[i].text != ":" or self.layout.para_of(doc[i]) != f.span.paragraph:
            return False
        verb = doc[i].head
        while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
            verb = verb.head
        if verb.i > i or self.in_quote(verb):
            # the colon hangs off something inside the quote: take the clause root before it
            sent = self.layout.sents[self.layout.tok_sent[i]]
            cands = [t for t in doc[sent.start:i] if t.pos_ in ("VERB", "AUX")]
            if not cands:
                return False
            verb = cands[-1]
        speech = [t for t in doc[self.layout.sents[self.layout.tok_sent[i]].start:i]
                  if t.pos_ == "VERB" and t.lemma_.lower() in cues.SPEECH_VERBS and not self.in_quote(t)]
        if speech:
            verb = speech[-1]
        elif verb.lemma_.lower() in cues.READING_VERBS:
            # "Ms Garside then read from a statement given to police by X:" -> X's words
            author = _document_read(verb)
            if author is not None:
                return self._set(f, author, verb, "colon:read")
        subj = subject_of(verb)
        if subj is None:
            return False
        return self._set(f, subj, verb, "colon")

    # --- a speech verb governing the quoted words ------------------------------------------
    def governing(self, f: Found, embedded: bool) -> bool:
        doc = self.doc
        q0, q1 = f.tok_start, f.tok_end
        tops = [t for t in doc[q0:q1] if not (q0 <= t.head.i < q1) or t.head.i == t.i]
        sent_root = self.layout.sents[self.layout.tok_sent[q0]].root
        for top in tops:
            a = top.head if not (q0 <= top.head.i < q1) else top
            steps = 0
            while steps < 8:
                if self._speech_verb(a, q0, q1):
                    subj = subject_of(a)
                    # "the bill had been written “…”": a passive subject did not write it
                    if subj is not None and not (q0 <= subj.i < q1) and subj.dep_ != "nsubjpass":
                        if a.lemma_.lower() in cues.NAMING_VERBS and self._naming(f, a, q0, q1):
                            f.evidence = "naming"  # what fans called “the quiet years”
                            return False
                        # the reporting verb over a reported one: in "Carrow said the city had
                        # asked the railroad “at least six times”" the words are Carrow's
                        outer = self._outer_report(a, q0, q1)
                        if outer is not None:
                            subj, a = outer
                        return self._set(f, subj, a, "governing")
                if a.head.i == a.i or a.i == sent_root.i:
                    break
                a = a.head
                steps += 1
        if not embedded:
            return False
        # the subject of the clause a partial quote sits in ("removed it on the grounds that “…”")
        for top in tops:
            a = top.head
            steps = 0
            while steps < 8 and not (q0 <= a.i < q1):
                if a.pos_ in ("VERB", "AUX"):
                    subj = subject_of(a)
                    if subj is not None and not (q0 <= subj.i < q1) and not self.in_quote(subj) \
                            and subj.pos_ in ("PROPN", "NOUN") and a.i < q0:
                        kind = self.layout.ent(subj)
                        low = subj.lower_
                        long_enough = len(_words(_inner(self.layout.text[f.span.start:f.span.end]))) \
                            >= cues.MIN_EMBEDDED_QUOTE_WORDS
                        if long_enough and (
                                (kind is not None and kind.label_ in ("PERSON", "ORG", "NORP", "GPE")) or
                                low in cues.ORG_NOUNS or low in cues.PERSON_NOUNS):
                            ok = self._set(f, subj, None, "embedded")
                            if ok:
                                f.cue = None
                            return ok
                if a.head.i == a.i:
                    break
                a = a.head
                steps += 1
        return False


    def _speech_verb(self, a: Token, q0: int, q1: int) -> bool:
        return not self.in_quote(a) and a.pos_ == "VERB" and a.lemma_.lower() in cues.SPEECH_VERBS \
            and not (q0 <= a.i < q1)

    def _outer_report(self, verb: Token, q0: int, q1: int) -> tuple[Token, Token] | None:
        """The speech verb whose reported clause contains ``verb``, with its subject."""
        best = None
        cur = verb
        for _ in range(4):
            if cur.head.i == cur.i:
                break
            if cur.dep_ == "conj" and cur.head.dep_ in ("ccomp", "xcomp"):
                cur = cur.head
                continue
            if cur.dep_ not in ("ccomp", "xcomp", "parataxis"):
                break
            h = cur.head
            if self._speech_verb(h, q0, q1):
                subj = subject_of(h)
                if subj is not None and subj.dep_ != "nsubjpass" and not (q0 <= subj.i < q1):
                    best = (subj, h)
            cur = h
        return best

    def _naming(self, f: Found, verb: Token, q0: int, q1: int) -> bool:
        """A short quoted name after a naming verb with nothing else named: what fans called
        “the quiet years”, the scheme dubbed “the bedroom tax”."""
        words = _words(_inner(self.layout.text[f.span.start:f.span.end]))
        if len(words) > 4:
            return False
        for child in verb.children:
            if child.dep_ in ("dobj", "dative") and not (q0 <= child.i < q1) and \
                    child.lower_ not in ("what", "which", "that", "it", "this"):
                return False
        return True


def _document_read(verb: Token) -> Token | None:
    """'read from a statement given to police by X' -> X (None when no author is named)."""
    for child in verb.children:
        noun = None
        if child.dep_ == "dobj":
            noun = child
        elif child.dep_ in ("prep", "prt") and child.lower_ in ("from", "out"):
            pobj = [c for c in child.children if c.dep_ == "pobj"]
            noun = pobj[0] if pobj else None
        if noun is not None and noun.lemma_.lower() in cues.REPORT_NOUNS:
            owner = source_owner(noun)
            if owner.i != noun.i:
                return owner
    return None


def _sentence_initial(doc: Doc, layout: Layout, tok_start: int) -> bool:
    sent = layout.sents[layout.tok_sent[tok_start]]
    before = [t for t in doc[sent.start:tok_start] if not (t.is_space or t.is_punct)]
    return not before


def find_quotes(doc: Doc, layout: Layout | None = None, resolver: Resolver | None = None) -> list[Quote]:
    layout = layout or Layout(doc)
    text = layout.text
    spans = layout.quote_spans
    regions = layout.regions
    span_starts = [s.start for s in spans]
    resolver = resolver or Resolver(doc, layout)
    resolver.seed_speech_subjects()
    paras = _paragraphs(text)
    finder = SpeakerFinder(doc, layout, resolver, regions)

    found: list[Found] = []
    for span in spans:
        rng = _tok_range(doc, span.start, span.end)
        if rng is None:
            continue
        f = Found(span, rng[0], rng[1])
        kind = classify(text, span, paras[span.paragraph][0])
        if kind == "term":
            continue
        f.short = kind == "short"
        found.append(f)

    for n, f in enumerate(found):
        next_start = found[n + 1].span.start if n + 1 < len(found) else len(text)
        # quoted spans (including terms) also bound the window after a quote
        k = bisect.bisect_left(span_starts, f.span.end)
        if k < len(spans):
            next_start = min(next_start, spans[k].start)
        initial = _sentence_initial(doc, layout, f.tok_start)
        if finder.after(f, next_start):
            pass
        elif finder.according(f):
            pass
        elif finder.colon(f):
            pass
        elif finder.governing(f, embedded=not initial):
            pass
        if f.speaker is not None:
            resolver.add_speaker(f.span.start, f.speaker)

    # verbless short spans with no cue are scare quotes after all ("so-called peace process")
    kept: list[Found] = []
    for f in found:
        if f.short and not f.evidence.startswith("after"):
            continue
        if f.evidence == "naming":
            continue
        if f.speaker is None and f.evidence == "":
            # a short span inside a sentence that nobody is said to have said is a scare quote
            # or an idiom (pictured “drowning his sorrows”), verb or not
            words = _words(_inner(text[f.span.start:f.span.end]))
            initial = _sentence_initial(doc, layout, f.tok_start)
            if len(words) <= 4 and not initial:
                continue
        kept.append(f)
    found = kept

    # continuation: a quote opening its sentence with no cue of its own continues the previous
    # quote's speaker (same or nearby paragraph); a quote left open at a paragraph end takes the
    # speaker of the paragraph that continues it
    for n, f in enumerate(found):
        if f.speaker is not None or n == 0:
            continue
        prev = found[n - 1]
        initial = _sentence_initial(doc, layout, f.tok_start)
        near = f.span.paragraph - prev.span.paragraph <= (1 if not prev.span.closed else 2)
        if prev.speaker is not None and near and (initial or not prev.span.closed):
            f.speaker, f.cue, f.cue_span, f.evidence = prev.speaker, prev.cue, prev.cue_span, "continues"
    for n in range(len(found) - 2, -1, -1):
        f, nxt = found[n], found[n + 1]
        if f.speaker is None and not f.span.closed and nxt.speaker is not None and \
                nxt.span.paragraph == f.span.paragraph + 1:
            f.speaker, f.cue, f.cue_span, f.evidence = nxt.speaker, nxt.cue, nxt.cue_span, "continued"

    quotes: list[Quote] = []
    for f in found:
        s, e = f.span.start, f.span.end
        quotes.append(Quote(start=s, end=e, text=text[s:e], sentences=layout.sentence_indexes(s, e),
                            speaker=f.speaker, cue=f.cue, cue_span=f.cue_span))
    return quotes


class QuoteFinder:
    """spaCy component: sets ``Doc._.nr_quotes``."""

    def __call__(self, doc: Doc) -> Doc:
        layout, resolver = shared_state(doc)
        doc._.nr_quotes = find_quotes(doc, layout=layout, resolver=resolver)
        return doc


@Language.factory("newsreader_quotes")
def make_quotes(nlp: Language, name: str) -> QuoteFinder:
    return QuoteFinder()


__all__ = ["QuoteFinder", "QuoteSpan", "find_quote_spans", "find_quotes", "make_quotes", "classify"]
