"""Name matching and entity clustering as plain string work (no spaCy).

Kept apart from ``entities`` (the spaCy component) so that callers that only
compare names, such as story grouping in ``newsreader list``, do not pay for
importing spaCy.
"""
from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter, defaultdict
from functools import lru_cache
from importlib import resources
from typing import Iterable, Sequence

from ..models import Cluster

#: labels that get clusters (numbers, dates and amounts do not)
CLUSTER_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "PRODUCT",
                            "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE"})
#: wrong labels that evidence of a person may overturn
_RELABEL_TO_PERSON = frozenset({"ORG", "PRODUCT", "FAC", "WORK_OF_ART", "EVENT", "LAW"})

#: name particles written as separate words ("bin Salman", "van der Leyen")
PARTICLES = frozenset({"al", "el", "ul", "bin", "ibn", "bint", "ben", "de", "da", "di", "del",
                       "della", "der", "den", "van", "von", "le", "la", "du", "dos", "das",
                       "ter", "ten", "y"})
#: Arabic article written with a hyphen, including sun-letter assimilation
_HYPHEN_PARTICLE = re.compile(r"^(al|el|ul|as|ash|ad|adh|at|ath|az|an|ar|ibn|bin)-(?=\w)")
#: titles dropped from the front of a person mention
HONORIFICS = frozenset({
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame", "lord", "lady",
    "president", "vice", "prime", "minister", "pm", "sen", "senator", "rep", "representative",
    "gov", "governor", "gen", "general", "col", "colonel", "capt", "captain", "lt", "sgt",
    "rev", "reverend", "fr", "father", "sheikh", "shaikh", "king", "queen", "prince",
    "princess", "pope", "chancellor", "judge", "justice", "mayor", "secretary", "ambassador",
    "spokesman", "spokeswoman", "spokesperson", "chairman", "chairwoman", "ceo", "coach",
    "st", "saint", "emir", "crown", "former", "late", "foreign", "defense", "defence",
    # British police, council and court titles, and role words that precede names in news copy
    "cllr", "councillor", "councilor", "insp", "inspector", "supt", "superintendent", "det",
    "detective", "ch", "chief", "pc", "dc", "ds", "constable", "sergeant", "nurse", "pupil",
    "tenant", "defendant", "officer", "deputy", "mp", "mep", "cmdr", "commander", "adm", "admiral",
})
_POSSESSIVE = re.compile(r"(?<=\w)['’](s|S)?$")
_VOWELS = re.compile(r"[aeiouy]")
_ACRONYM = re.compile(r"\(\s*([A-Z][A-Za-z&]*[A-Z][a-z]?|[A-Z](?:\.[A-Z])+\.?)\s*\)")
_WORD = re.compile(r"[\w][\w’'.&-]*")
_FUNCTION_WORDS = frozenset({"and", "of", "for", "the", "de", "des", "du", "la", "le", "on",
                             "in", "at", "to", "&", "al", "el", "a", "an"})


# ---------------------------------------------------------------- data files
def _data_lines(name: str) -> list[str]:
    text = resources.files("newsreader.core.analysis").joinpath("data", name).read_text("utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]


@lru_cache(maxsize=1)
def news_org_names() -> tuple[str, ...]:
    """Names of wire agencies and outlets (``data/news_orgs.txt``)."""
    return tuple(dict.fromkeys(_data_lines("news_orgs.txt")))


@lru_cache(maxsize=1)
def alias_groups() -> dict[str, int]:
    """Normalised name -> alias group number (``data/aliases.txt``)."""
    groups: dict[str, int] = {}
    for i, line in enumerate(_data_lines("aliases.txt")):
        for name in line.split("|"):
            key = norm_key(name)
            if key:
                groups.setdefault(key, i)
    return groups


# ---------------------------------------------------------------- normalising
@lru_cache(maxsize=16384)
def _fold(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'").replace("‐", "-").replace("–", "-")
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


def strip_possessive(text: str) -> str:
    return _POSSESSIVE.sub("", text.strip())


@lru_cache(maxsize=16384)
def norm_key(text: str) -> str:
    """Comparison key for a non-person name: case, accents, dots, "the", possessive."""
    t = _fold(strip_possessive(text))
    t = t.replace(".", "")
    t = re.sub(r"^the\s+", "", t)
    t = re.sub(r"[^\w&'-]+", " ", t)
    return " ".join(t.split())


def display_name(text: str, label: str) -> str:
    """A mention as a name: no leading "the", possessive or (for people) title."""
    t = strip_possessive(" ".join(text.split()))
    t = re.sub(r"^(the|The|THE)\s+", "", t)
    if label == "PERSON":
        words = t.split()
        while len(words) > 1 and _fold(words[0]).rstrip(".") in HONORIFICS:
            words.pop(0)
        t = " ".join(words)
    return t


@lru_cache(maxsize=16384)
def person_core(text: str) -> tuple[tuple[str, ...], bool]:
    """The name tokens of a person mention, without titles and particles.

    Returns (tokens, has_particle): "Mr. Al-Shaibani’s" -> (("shaibani",), True);
    "Asaad Hassan al-Shaibani" -> (("asaad", "hassan", "shaibani"), True).
    """
    words = _fold(strip_possessive(text)).split()
    while len(words) > 1 and words[0].rstrip(".") in HONORIFICS:
        words.pop(0)
    core: list[str] = []
    particle = False
    for w in words:
        w = w.strip(".,;:'\"()")
        if not w:
            continue
        if w in PARTICLES:
            particle = True
            continue
        m = _HYPHEN_PARTICLE.match(w)
        if m:
            particle = True
            w = w[m.end():]
        w = w.replace("'", "")
        if w:
            core.append(w)
    return tuple(core), particle


def skeleton(token: str) -> str:
    """First letter + consonants, doubled letters collapsed: "assad"/"asaad" -> "asd".

    Transliterations of one name mostly differ in vowels and doubling
    (Shaibani/Shaybani, Sharaa/Shara/Shura, Mohammed/Muhammad).
    """
    s = re.sub(r"[^a-z]", "", token)
    if not s:
        return ""
    s = s[0] + _VOWELS.sub("", s[1:])
    return re.sub(r"(.)\1+", r"\1", s)


def token_match(a: str, b: str) -> int:
    """2 = same name token, 1 = a spelling variant, 0 = different."""
    if a == b:
        return 2
    if len(a) < 3 or len(b) < 3:
        return 0
    sa, sb = skeleton(a), skeleton(b)
    if sa == sb and len(sa) >= 3:
        return 1
    if min(len(a), len(b)) >= 8:
        from rapidfuzz.fuzz import ratio
        if ratio(a, b) >= 92:
            return 1
    return 0


def _initial_match(a: str, b: str) -> bool:
    return (len(a) == 1 or len(b) == 1) and a[0] == b[0]


def _full_compatible(f: tuple[str, ...], g: tuple[str, ...]) -> int:
    """Do two full names (>= 2 tokens each) name the same person? 0/1/2 like token_match."""
    last = token_match(f[-1], g[-1])
    if not last:
        return 0
    first = token_match(f[0], g[0])
    if first or _initial_match(f[0], g[0]):
        return min(last, first or 1)
    short, long_ = (f, g) if len(f) <= len(g) else (g, f)
    j = 0
    for tok in short:  # the shorter name's tokens appear in order in the longer one
        while j < len(long_) and not token_match(tok, long_[j]):
            j += 1
        if j == len(long_):
            return 0
        j += 1
    return 1


# ---------------------------------------------------------------- clustering
class _Union:
    def __init__(self) -> None:
        self.parent: dict = {}

    def find(self, x):
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a, b) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra


def _canonical(items: list[tuple[int, int, str, str]], size) -> str:
    """Longest form (by ``size``), then the most frequent spelling, then the first."""
    forms: dict[str, list] = {}
    for s, e, text, label in items:
        name = display_name(text, label)
        if name:
            forms.setdefault(name, []).append(s)
    if not forms:
        return items[0][2]
    return max(forms, key=lambda n: (size(n), len(forms[n]), -min(forms[n])))


def _cluster_people(people: list[tuple[int, int, str, str]]) -> list[list[int]]:
    """Group person mentions (indexes into ``people``)."""
    cores = [person_core(p[2]) for p in people]
    full = [i for i, (c, _) in enumerate(cores) if len(c) >= 2]
    short = [i for i, (c, _) in enumerate(cores) if len(c) == 1]

    # 1. full names: longest forms first, each joins the first compatible group
    freq = Counter(cores[i][0] for i in full)
    first_pos: dict[tuple, int] = {}
    for i in full:
        first_pos.setdefault(cores[i][0], people[i][0])
    forms = sorted(freq, key=lambda f: (-len(f), -freq[f], first_pos[f]))
    groups: list[list[tuple[str, ...]]] = []
    form_group: dict[tuple[str, ...], int] = {}
    for f in forms:
        best, best_q = None, 0
        for gi, g in enumerate(groups):
            q = max(_full_compatible(f, h) for h in g)
            if q > best_q:
                best, best_q = gi, q
        if best is None:
            groups.append([f])
            form_group[f] = len(groups) - 1
        else:
            groups[best].append(f)
            form_group[f] = best
    members: list[list[int]] = [[] for _ in groups]
    for i in full:
        members[form_group[cores[i][0]]].append(i)

    # 2. one-word mentions: the best compatible full name, nearest first
    group_ends = [sorted(people[i][1] for i in m) for m in members]
    group_starts = [sorted(people[i][0] for i in m) for m in members]
    leftovers: list[int] = []
    for i in short:
        (tok,), particle = cores[i]
        start = people[i][0]
        cands = []
        for gi, g in enumerate(groups):
            q: float = max(token_match(tok, f[-1]) for f in g)
            if not q and not particle and any(len(f) == 2 and tok == f[0] for f in g):
                q = 0.5  # family name first ("Wang" for "Wang Yi")
            if q:
                ends = group_ends[gi]
                k = bisect.bisect_right(ends, start)
                if k:      # nearest full mention before this one
                    dist = start - ends[k - 1]
                else:      # else the first one after it
                    dist = 10**9 + group_starts[gi][0] - start
                cands.append((q, -dist, len(ends), gi))
        if cands:
            members[max(cands)[-1]].append(i)
        else:
            leftovers.append(i)

    # 3. one-word mentions with no full name: group equal / variant spellings
    short_groups: list[tuple[str, list[int]]] = []
    counts = Counter(cores[i][0][0] for i in leftovers)
    for i in sorted(leftovers, key=lambda i: (-counts[cores[i][0][0]], people[i][0])):
        tok = cores[i][0][0]
        for gtok, gm in short_groups:
            if token_match(tok, gtok):
                gm.append(i)
                break
        else:
            short_groups.append((tok, [i]))
    return [m for m in members if m] + [gm for _, gm in short_groups]


def cluster_entities(
    ents: Sequence[tuple[int, int, str, str]],
    aliases: Iterable[tuple[str, str]] = (),
) -> tuple[list[Cluster], dict[tuple[int, int], int]]:
    """Cluster entity mentions given as (start, end, text, label).

    * PERSON: full names (two or more name tokens after dropping titles and
      particles such as al-/bin/de/van) are one person when their last tokens
      match and their first tokens match, are initials of each other, or the
      shorter name's tokens occur in order in the longer one. A one-word
      mention ("Shaibani", "al-Shaybani", "Mr. Al-Shaibani’s") joins the full
      name whose surname it matches (exactly before a spelling variant, then
      the nearest preceding mention, then the most frequent); a two-word name
      without particles may also be referred to by its first word ("Wang" for
      "Wang Yi"). Spelling variants are tokens with the same consonant
      skeleton. "Assad" never joins "Assad al-Shaibani": a first name is not a
      surname.
    * Other labels: same normalised name (case, accents, dots, "the",
      possessive), names in one line of ``data/aliases.txt``, the declared
      ``aliases`` pairs (acronyms), or near-identical long names
      (rapidfuzz ratio >= 94, 12+ characters).

    Returns clusters (ids in order of first mention; canonical name = the
    longest form, then the most frequent spelling) and {(start, end): id}.
    """
    from rapidfuzz.fuzz import ratio

    items = [e for e in ents if e[3] in CLUSTER_LABELS and e[1] > e[0]]
    people = [e for e in items if e[3] == "PERSON"]
    others = [e for e in items if e[3] != "PERSON"]
    groups: list[list[tuple[int, int, str, str]]] = []

    if people:
        for idx in _cluster_people(people):
            groups.append([people[i] for i in idx])

    if others:
        uf = _Union()
        keys = [norm_key(e[2]) or e[2] for e in others]
        table = alias_groups()
        for k in keys:
            uf.find(k)
            if k in table:
                uf.union(("alias", table[k]), k)
        for a, b in aliases:
            if a and b:
                uf.union(a, b)
        uniq = list(dict.fromkeys(keys))
        longs = [k for k in uniq if len(k) >= 12][:1500]   # bounded pairwise work
        for i, a in enumerate(longs):
            for b in longs[i + 1:]:
                if ratio(a, b) >= 94:
                    uf.union(a, b)
        by_root: dict = defaultdict(list)
        for e, k in zip(others, keys):
            by_root[uf.find(k)].append(e)
        groups.extend(by_root.values())

    groups.sort(key=lambda g: min(e[0] for e in g))
    clusters: list[Cluster] = []
    mapping: dict[tuple[int, int], int] = {}
    for cid, g in enumerate(groups):
        g.sort()
        label = Counter(e[3] for e in g).most_common(1)[0][0]
        if label == "PERSON":
            name = _canonical(g, lambda n: len(person_core(n)[0]))
        else:
            name = _canonical(g, lambda n: (not n.isupper(), len(n.split())))
        clusters.append(Cluster(cid, name, label, tuple((e[0], e[1]) for e in g)))
        for e in g:
            mapping[(e[0], e[1])] = cid
    return clusters, mapping
