"""A suggested label for every sentence: fact, quote or opinion.

``newsreader_suggest`` (the last component) sets ``Doc._.nr_suggestions``: one
``models.Suggestion`` per ``doc.sents`` sentence, with a score in 0..1 and a
short reason a person can read. The definitions are in docs/guidelines.md:

* quote: the sentence mainly reports someone's words: most of it is inside
  quotation marks, or its main clause is reported speech ("Wang said China
  considers…") or an attributed claim ("…, according to SANA").
* opinion: evaluative or speculative language in the author's own voice,
  i.e. outside quotation marks and outside the reported content of "X said
  that …". Scare quotes (a short quoted term with nobody saying it) and
  "so-called" count as the author's stance. Words come from the documented
  lexicon ``data/evaluative.txt``; a sentence whose cue weights add up to 1.0
  or more is an opinion.
* fact: the rest.

Order of decisions: mostly quoted -> quote; author-voice stance >= 1.0 ->
opinion (an attributed sentence can still carry the author's judgement:
"X echoed problematic talking points, according to SANA"); reported speech
or attribution -> quote; else fact.

It uses ``Doc._.nr_quotes`` and ``Doc._.nr_claims`` when the quote and
attribution components ran, and its own light checks (quotation marks; a
reporting verb as the sentence root; "according to") otherwise.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from spacy.language import Language

from . import doc_text, forget_doc_text  # noqa: F401
from spacy.tokens import Doc, Span

from ..models import Suggestion

Doc.set_extension("nr_suggestions", default=None, force=True)

#: verbs whose clause reports what someone said (lemmas)
SPEECH_VERBS = frozenset({
    "say", "tell", "add", "state", "claim", "deny", "insist", "argue", "assert", "announce",
    "report", "write", "warn", "explain", "note", "emphasize", "emphasise", "stress", "declare",
    "acknowledge", "admit", "allege", "confirm", "contend", "maintain", "mention", "remark",
    "reply", "respond", "suggest", "testify", "tweet", "post", "urge", "vow", "pledge", "promise",
    "predict", "describe", "call", "accuse", "complain", "concede", "reiterate", "underline",
    "highlight", "point", "caution", "recall", "observe", "believe", "think", "hope", "estimate",
    "counter", "dismiss", "criticize", "criticise", "praise", "threaten", "demand", "ask",
    "agree", "express", "share", "echo", "reveal", "disclose", "indicate", "signal", "quote",
})
#: reporting verbs whose complement is the speaker's own content (masked from
#: the author's voice); verbs like "echo", "praise", "express" describe an act
#: in the author's words and are not masked
CONTENT_VERBS = frozenset({
    "say", "tell", "add", "state", "claim", "insist", "argue", "assert", "announce", "report",
    "write", "warn", "explain", "note", "emphasize", "emphasise", "stress", "declare",
    "acknowledge", "admit", "allege", "confirm", "contend", "maintain", "reply", "respond",
    "suggest", "testify", "tweet", "predict", "describe", "call", "reiterate", "remark",
    "counter", "concede", "complain", "deny", "believe", "think", "hope", "estimate",
})
#: attribution cues that credit information but leave the wording to the author
SOURCE_CUES = ("according", "reportedly", "per ", "citing", "cited")
QUOTE_OPEN = "“„«‹"
QUOTE_CLOSE = "”»›"
_MARKS = re.compile('[“„«‹”»›"]|\n\n|\n$')
_FIRST_PERSON = frozenset({"i", "me", "my", "mine", "myself", "we", "us", "our", "ours",
                           "ourselves"})
_NAME_WORD = re.compile(r"^(?:(?:al|el|ad|as|ash|at|az|an|ar|bin|ibn)-)?[A-Z0-9]")
_SCARE_INTRO = re.compile(r"(so-called|alleged|self-styled|self-proclaimed|supposed)\s*$", re.I)


# ---------------------------------------------------------------- the lexicon
@dataclass(frozen=True)
class Lexicon:
    words: dict[str, tuple[str, float]]            # word or lemma -> (category, weight)
    phrases: dict[str, tuple[str, float]]          # phrase (single-spaced) -> (category, weight)
    pattern: re.Pattern | None                     # every phrase, longest first


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """Parse ``data/evaluative.txt``."""
    text = resources.files("newsreader.core.analysis").joinpath("data", "evaluative.txt") \
        .read_text("utf-8")
    words: dict[str, tuple[str, float]] = {}
    phrases: dict[str, tuple[str, float]] = {}
    cat, weight = "evaluative", 1.0
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        m = re.fullmatch(r"\[([\w-]+)\s+([\d.]+)\]", line)
        if m:
            cat, weight = m.group(1), float(m.group(2))
            continue
        entry = line.lower()
        if " " in entry or "-" in entry or "'" in entry:
            phrases.setdefault(" ".join(entry.split()), (cat, weight))
        else:
            words.setdefault(entry, (cat, weight))
    alts = "|".join(re.escape(p).replace(r"\ ", r"\s+")
                    for p in sorted(phrases, key=len, reverse=True))
    pattern = re.compile(r"(?<![\w-])(?:" + alts + r")(?![\w-])") if alts else None
    return Lexicon(words, phrases, pattern)


# ---------------------------------------------------------------- quotation marks
def quoted_regions(text: str) -> list[tuple[int, int]]:
    """(start, end) of every quoted stretch, marks included.

    Curly marks pair up; straight double quotes alternate open/close within a
    paragraph. An opening mark left open at a paragraph's end closes there
    (news style: a quote continued in the next paragraph reopens with a mark).
    """
    regions: list[tuple[int, int]] = []
    open_at = -1
    straight_open = False
    n = len(text)
    for m in _MARKS.finditer(text):
        i = m.start()
        c = m.group()
        if c[0] == "\n":     # a paragraph break (or the end) closes an open quote
            if open_at >= 0:
                regions.append((open_at, i))
                open_at, straight_open = -1, False
        elif c in QUOTE_OPEN:
            if open_at < 0:
                open_at = i
        elif c in QUOTE_CLOSE:
            if open_at >= 0 and not straight_open:
                regions.append((open_at, i + 1))
                open_at = -1
        elif c == '"':
            if open_at < 0:
                open_at, straight_open = i, True
            elif straight_open:
                regions.append((open_at, i + 1))
                open_at, straight_open = -1, False
    if open_at >= 0:
        regions.append((open_at, n))
    return regions


def _overlap(a0: int, a1: int, b0: int, b1: int) -> int:
    return max(0, min(a1, b1) - max(a0, b0))


def _trimmed(doc_text: str, sent: Span) -> tuple[int, int]:
    a, b = sent.start_char, sent.end_char
    while a < b and doc_text[a].isspace():
        a += 1
    while b > a and doc_text[b - 1].isspace():
        b -= 1
    return a, b


# ---------------------------------------------------------------- the component
class Suggester:
    threshold = 1.0

    def __init__(self) -> None:
        self.lex = lexicon()

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)      # Doc.text joins every token: once per doc
        self._text = text
        self._ents = list(doc.ents)
        self._ent_starts = [e.start for e in self._ents]
        regions = quoted_regions(text)
        quotes = doc._.nr_quotes if Doc.has_extension("nr_quotes") else None
        claims = doc._.nr_claims if Doc.has_extension("nr_claims") else None
        claims_by_sent: dict[int, list] = {}
        for c in claims or ():
            claims_by_sent.setdefault(c.sentence, []).append(c)
        quotes_by_sent: dict[int, list] = {}
        for q in quotes or ():
            for si in q.sentences:
                quotes_by_sent.setdefault(si, []).append(q)
        out: list[Suggestion] = []
        ri = 0
        for i, sent in enumerate(doc.sents):
            s0, s1 = _trimmed(text, sent)
            while ri < len(regions) and regions[ri][1] <= s0:
                ri += 1
            mine = []
            j = ri
            while j < len(regions) and regions[j][0] < s1:
                mine.append(regions[j])
                j += 1
            out.append(self.suggest(doc, sent, s0, s1, mine, quotes is not None,
                                    quotes_by_sent.get(i, ()), claims_by_sent.get(i, ())))
        doc._.nr_suggestions = out
        forget_doc_text(doc)
        return doc

    # -- one sentence
    def suggest(self, doc: Doc, sent: Span, s0: int, s1: int, regions, have_quotes: bool,
                quotes, claims) -> Suggestion:
        text = self._text
        toks = list(sent)   # one pass creating Token objects, reused below

        def visible(a: int, b: int) -> int:
            seg = text[max(a, s0):min(b, s1)]
            return len(seg) - seg.count(" ") - seg.count("\n")

        length = visible(s0, s1) or 1

        # quoted stretches: direct quotes vs short terms (scare / partial quotes)
        direct, short = [], []
        for a, b in regions:
            words = len(text[a:b].split())
            in_quote = any(_overlap(a, b, q.start, q.end) for q in quotes)
            if in_quote or (not have_quotes and words > 3):
                direct.append((a, b))
            else:
                short.append((a, b))
        quoted_cov = sum(visible(a, b) for a, b in regions) / length

        # reported speech / attribution (from the components, else our own check)
        report = self._reported(doc, sent, claims, toks)
        speaker = None
        for q in quotes:
            if q.speaker is not None:
                speaker = q.speaker.name
                break

        if quoted_cov >= 0.5 and direct or quoted_cov >= 0.75:
            who = speaker or (report[1] if report else None)
            reason = f"direct quote attributed to {who}" if who else "direct quote"
            return Suggestion("quote", round(min(0.95, 0.55 + 0.4 * quoted_cov), 2), reason)

        # the author's own voice: outside quotes and outside reported content
        masked = [(a, b) for a, b in regions]
        if report and report[2] is not None:
            masked.append(report[2])
        masked.extend(_reported_content(sent, toks))
        # a reporting verb anywhere ("declaring the talks “constructive”") makes
        # short quoted terms the speaker's words rather than scare quotes
        speaking = report is not None or any(
            t.lemma_ in SPEECH_VERBS and t.pos_ == "VERB" for t in toks)
        total, cues = self._stance(doc, toks, s0, s1, masked, short, speaking)
        if total >= self.threshold:
            return Suggestion("opinion", round(min(0.95, 0.45 + 0.2 * total), 2),
                              _reason(cues))
        if report:
            kind, who, _content, cue = report
            if kind == "according":
                cue_text = cue if cue else "according to"
                reason = f"attributed claim: {cue_text} {who}" if who else \
                    f"attributed claim: {cue_text}"
            else:
                reason = f"reported speech: {who} {cue}" if who else f"reported speech: {cue}"
            return Suggestion("quote", 0.7 if kind != "according" else 0.6, reason)
        if quoted_cov >= 0.3 and direct:
            return Suggestion("quote", 0.55, "partly a direct quote")
        score = round(max(0.5, 0.85 - 0.3 * total), 2)
        if cues:
            return Suggestion("fact", score, "no strong evaluative language (weak: "
                              + ", ".join(w for _, w in cues[:3]) + ")")
        return Suggestion("fact", score, "no evaluative language")

    def _reported(self, doc: Doc, sent: Span, claims, toks):
        """(kind, source name, content span or None, cue) or None."""
        for c in claims:
            who = c.source.name if c.source is not None else None
            if c.cue.lower().startswith(SOURCE_CUES):
                return ("according", who, None, c.cue)
            return ("speech", who, (c.start, c.end), c.cue)
        root = sent.root
        if root.lemma_ in SPEECH_VERBS and root.pos_ == "VERB":
            subj = next((t for t in root.children if t.dep_ in ("nsubj", "nsubjpass")), None)
            comp = next((t for t in root.children if t.dep_ in ("ccomp", "parataxis")), None)
            that = next((t for t in doc[root.i + 1:sent.end] if t.lower_ == "that"
                         and t.dep_ == "mark"), None)
            if subj is not None and subj.lower_ != "it" and (comp is not None or that is not None):
                if comp is not None:
                    sub = list(comp.subtree)
                    content = (sub[0].idx, sub[-1].idx + len(sub[-1].text))
                else:
                    last = sent[-1]
                    content = (that.idx, last.idx + len(last.text))
                return ("speech", self._name(doc, subj), content, root.text)
        for t in toks:
            if t.lower_ == "according" and t.i + 1 < sent.end and doc[t.i + 1].lower_ == "to":
                k = t.i + 2
                while k < sent.end and doc[k].text not in (",", ";", ".", "—", "–", ":"):
                    k += 1
                return ("according", self._source_name(doc, t.i + 2, k), None, "according to")
        return None

    def _stance(self, doc: Doc, toks, s0: int, s1: int, masked, short, reported: bool):
        text = self._text
        lex = self.lex

        def hidden(a: int, b: int) -> bool:
            for x, y in masked:
                if a < y and x < b:
                    return True
            return False

        cues: list[tuple[str, str]] = []   # (category, word)
        weights: dict[str, float] = {}

        def add(cat: str, word: str, w: float) -> None:
            key = word.lower()
            if key in weights:
                return
            weights[key] = w
            cues.append((cat, word))

        for tok in toks:
            if tok.is_space or tok.is_punct or tok.ent_type_ or hidden(tok.idx, tok.idx + len(tok)):
                continue
            low = tok.lower_
            hit = lex.words.get(low) or lex.words.get(tok.lemma_.lower())
            if hit:
                add(hit[0], tok.text, hit[1])
            elif low in _FIRST_PERSON and tok.text != "US":
                add("first person", tok.text, 0.6)
            elif tok.lemma_ in ("look", "sound") and any(c.dep_ == "acomp" for c in tok.children):
                add("speculative", tok.text, 1.0)   # "Italy look unstoppable"
        # phrases on the visible text
        chars = list(text[s0:s1].lower())
        for a, b in masked:
            for k in range(max(a, s0), min(b, s1)):
                chars[k - s0] = " "
        vis = "".join(chars)
        if lex.pattern is not None:
            for m in lex.pattern.finditer(vis):
                hit = lex.phrases.get(" ".join(m.group().split()))
                if hit:
                    add(hit[0], text[s0 + m.start():s0 + m.end()], hit[1])
        if "?" in vis:
            add("question", "?", 0.6)
        if "!" in vis:
            add("exclamation", "!", 0.6)
        for a, b in short:  # scare quotes: a short quoted term nobody is reported as saying
            intro = _SCARE_INTRO.search(text[max(s0, a - 20):a])
            inner = text[a:b].strip(QUOTE_OPEN + QUOTE_CLOSE + '"').rstrip(",")
            words = re.findall(r"\w[\w'’-]*", inner)
            if not words or len(words) > 3 or inner.endswith((".", "!", "?")):
                continue  # a slogan or utterance, not a term held at arm's length
            if all(_NAME_WORD.match(w) for w in words) and not intro:
                continue  # a quoted name or title ("known as “Abu Mohammed al-Jolani”")
            if not reported or intro:
                add("scare quotes", text[a:b], 1.0)
        return sum(weights.values()), cues

    def _ents_in(self, start: int, end: int) -> list:
        """Entities within tokens [start, end)."""
        i = bisect.bisect_left(self._ent_starts, start)
        out = []
        while i < len(self._ents) and self._ents[i].start < end:
            if self._ents[i].end <= end:
                out.append(self._ents[i])
            i += 1
        return out

    def _source_name(self, doc: Doc, start: int, end: int) -> str | None:
        """The name of the source in tokens [start, end): its last named entity, else the words."""
        if end <= start:
            return None
        named = [e for e in self._ents_in(start, end) if e.label_ in ("PERSON", "ORG", "GPE", "NORP")]
        if named:
            best = next((e for e in named if e.label_ == "PERSON"), None) or \
                next((e for e in reversed(named) if e.label_ == "ORG"), named[-1])
            from .entities import cluster_for_span
            cl = cluster_for_span(doc, best.start_char, best.end_char)
            return cl.name if cl is not None else best.text
        words = doc[start:end].text.split()
        return " ".join(words[:6]) + ("…" if len(words) > 6 else "")


    def _name(self, doc: Doc, tok) -> str:
        """A readable name for a subject token: its entity's cluster name, else its words."""
        if tok is None:
            return ""
        sub = list(tok.subtree)
        start, end = sub[0].idx, sub[-1].idx + len(sub[-1].text)
        from .entities import cluster_for_span
        cl = cluster_for_span(doc, tok.idx, tok.idx + len(tok.text))
        if cl is not None and tok.ent_type_:
            return cl.name
        named = [e for e in self._ents_in(sub[0].i, sub[-1].i + 1)
                 if e.label_ in ("PERSON", "ORG", "GPE", "NORP")]
        if named:
            best = next((e for e in named if e.label_ == "PERSON"), None) or \
                next((e for e in named if e.label_ == "ORG"), named[-1])
            cl = cluster_for_span(doc, best.start_char, best.end_char)
            return cl.name if cl is not None else best.text
        if tok.pos_ == "PRON":
            return ""
        words = self._text[start:end].split()
        return " ".join(words[:6]) + ("…" if len(words) > 6 else "")


def _reported_content(sent: Span, toks) -> list[tuple[int, int]]:
    """Char spans of words a speaker is reported as saying ("critics described
    the decision as reckless"; "the economy is booming, the minister said").

    For every reporting verb with a nominal subject, the rest of its clause
    after the verb is the speaker's; when the verb hangs off the main clause
    (parataxis / ccomp of the root), the main clause is.
    """
    spans = []
    for t in toks:
        if t.lemma_ not in CONTENT_VERBS or t.pos_ != "VERB":
            continue
        subj = next((c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is None or subj.lower_ in ("it", "i", "we"):
            continue
        sub = list(t.subtree)
        after = [x for x in sub if x.i > t.i]
        if after:
            spans.append((after[0].idx, after[-1].idx + len(after[-1].text)))
        if t.dep_ in ("parataxis", "ccomp") and t.head.i == sent.root.i and t.i > t.head.i:
            first = sent[0]
            spans.append((first.idx, sub[0].idx))
    return spans


_CATEGORY_TEXT = {
    "evaluative": "evaluative words", "evaluative-weak": "evaluative words",
    "stance-adverb": "stance adverbs", "speculative": "speculative language",
    "normative": "normative language", "intensifier": "intensifiers", "modal": "modals",
    "first person": "first person", "question": "question", "exclamation": "exclamation",
    "scare quotes": "scare quotes",
}


def _reason(cues: list[tuple[str, str]]) -> str:
    groups: dict[str, list[str]] = {}
    for cat, word in cues:
        groups.setdefault(_CATEGORY_TEXT.get(cat, cat), []).append(word)
    order = ["evaluative words", "scare quotes", "speculative language", "stance adverbs",
             "normative language", "first person", "question", "exclamation", "modals",
             "intensifiers"]
    parts = []
    for name in order:
        if name in groups:
            ws = groups[name]
            if name in ("question", "exclamation"):
                parts.append("rhetorical " + name if name == "question" else name)
            else:
                parts.append(f"{name}: " + ", ".join(dict.fromkeys(ws[:3])))
    return "; ".join(parts[:3])


@Language.factory("newsreader_suggest")
def make_suggest(nlp: Language, name: str) -> Suggester:
    return Suggester()
