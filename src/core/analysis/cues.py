"""Word lists that drive quote and attribution detection: the one place to edit them.

Everything here is plain data (lower-case strings, lemmas unless stated). ``quotes.py`` and
``attribution.py`` read these lists and contain no vocabulary of their own.
"""
from __future__ import annotations

# Verbs that report speech or writing (lemmas). A quote whose cue verb is one of these, or a
# clause complement of one of these, is attributed to the verb's subject.
SPEECH_VERBS: frozenset[str] = frozenset("""
say tell add ask answer reply respond retort counter quip joke laugh shout scream whisper mutter
claim deny insist warn announce report state argue note stress emphasize emphasise explain
acknowledge admit allege assert confirm contend declare suggest reveal write tweet post share
recall concede complain predict estimate accuse describe call urge caution promise pledge vow
observe remark maintain reiterate testify comment disclose mention highlight underline demand
affirm conclude continue hint indicate lecture boast plead concur dismiss reject counter
agree disagree criticise criticize praise welcome lament question wonder cry sigh tell
""".split())

# Verbs that introduce an attributed claim without quote marks, when they take a clause
# ("X said (that) ...", "..., SANA reported", "X told Y that ...", "X accused Y of ...").
# A subset of SPEECH_VERBS: verbs such as "laugh" or "praise" report manner or stance, not content.
CLAIM_VERBS: frozenset[str] = frozenset("""
say tell add claim deny insist warn announce report state argue note stress emphasize emphasise
explain acknowledge admit allege assert confirm contend declare suggest reveal write tweet post
recall concede complain predict estimate accuse maintain reiterate testify disclose mention
highlight underline affirm conclude caution promise pledge vow observe remark
agree reply respond answer counter retort share lecture
""".split())

# Verbs that take the claim as an "of" phrase: "accused the company of sitting on its hands".
CLAIM_VERBS_WITH_OF: frozenset[str] = frozenset({"accuse"})

# Verbs whose claim is an "as" phrase: "described Thornton as the best team-mate he had had".
CLAIM_VERBS_WITH_AS: frozenset[str] = frozenset({"describe", "characterise", "characterize"})

# Post-name titles: "Jonathan Sykes KC said" -> the speaker is Jonathan Sykes.
NAME_SUFFIXES: frozenset[str] = frozenset({"kc", "qc", "mp", "mep", "msp", "jr", "jr.", "sr", "sr.", "phd"})

# Verb + word pairs that work as a claim verb: "made clear that ...", "pointed out that ...".
CLAIM_PHRASES: frozenset[tuple[str, str]] = frozenset({
    ("make", "clear"), ("point", "out"), ("go", "on"),
})

# Prepositional source cues: "according to X", "as reported by X".
ACCORDING_TO: tuple[tuple[str, ...], ...] = (
    ("according", "to"),
    ("as", "reported", "by"),
    ("as", "quoted", "by"),
)

# Adverbs that mark hearsay without naming a source ("Wang reportedly lectured ...").
HEARSAY_ADVERBS: frozenset[str] = frozenset({"reportedly", "allegedly", "purportedly", "supposedly"})

# Nouns for documents and statements: "according to a statement from the ministry",
# "the union's naming rules", "the network said in a statement". The source is the owner.
REPORT_NOUNS: frozenset[str] = frozenset("""
statement report readout release communique communiqué announcement email letter post tweet
briefing interview note notice memo filing document rules data figures study survey analysis
transcript website account blog message video broadcast
""".split())

# Prepositions that introduce the owner of a report noun: "a statement from X", "a report by X".
REPORT_OWNER_PREPS: frozenset[str] = frozenset({"from", "by", "of"})

# Common nouns for organisations; "the company said" refers back to a named organisation.
ORG_NOUNS: frozenset[str] = frozenset("""
company firm club council ministry government agency airline group authority bank party union
network commission committee office department board organisation organization federation
association charity operator regulator service court university school hospital team league
retailer maker chipmaker carmaker broadcaster newspaper paper outlet institute foundation trust
museum gallery orchestra business employer insurer lender developer manufacturer supplier
processor utility administration state country city county region parliament
""".split())

# Descriptions of people that refer back to a named person: "the 12-year-old admitted".
PERSON_NOUNS: frozenset[str] = frozenset("""
official spokesman spokeswoman spokesperson minister president premier chancellor secretary
director executive chairman chairwoman chair manager coach captain player striker player
teacher doctor nurse judge lawyer barrister prosecutor officer detective inspector scientist
researcher professor expert analyst economist witness resident owner founder leader diplomat
envoy ambassador governor mayor senator lawmaker mp author novelist writer artist singer
engineer astronomer historian source driver farmer boss veteran winner champion
""".split())

PRONOUNS_MALE: frozenset[str] = frozenset({"he", "him"})
PRONOUNS_FEMALE: frozenset[str] = frozenset({"she", "her"})
PRONOUNS_PLURAL: frozenset[str] = frozenset({"they", "them", "we"})
PRONOUNS_NEUTER: frozenset[str] = frozenset({"it"})
SPEAKER_PRONOUNS: frozenset[str] = PRONOUNS_MALE | PRONOUNS_FEMALE | PRONOUNS_PLURAL | PRONOUNS_NEUTER

# Words next to a name that tell its gender cheaply ("Mr.", "spokeswoman", "Dame").
FEMALE_CUES: frozenset[str] = frozenset("""
ms ms. mrs mrs. miss madam madame dame lady spokeswoman chairwoman businesswoman
congresswoman sportswoman mother wife daughter sister aunt niece grandmother actress queen
princess duchess countess baroness woman girl widow mum mom
""".split())
MALE_CUES: frozenset[str] = frozenset("""
mr mr. sir lord spokesman chairman businessman congressman sportsman father husband son
brother uncle nephew grandfather actor king prince duke count baron man boy widower dad
""".split())

# Common given names with a clear gender in English-language news (a cheap cue, not a rule).
FEMALE_NAMES: frozenset[str] = frozenset("""
mary anna ana anne ann margaret elizabeth sarah sara susan linda karen helen laura emma olivia
sophia sophie emily hannah grace julia maria marie jane joan lucy kate katherine catherine
claire clare fiona rachel rebecca ruth diane diana alice amy amelia ella charlotte victoria
natalie nadia naomi priya ingrid elena lena petra sandra miriam jennifer jessica angela nicola
louise lorraine lorna kerry amira abena verena cerys aileen joanne amanda beatrice thora tigist
anouk sofie ning mei yuki fatima aisha layla zainab olga irina tatiana marta carmen lucia isabel
""".split())
MALE_NAMES: frozenset[str] = frozenset("""
john james robert michael william david richard joseph thomas tom charles daniel matthew mark
paul steven steve andrew peter pete george edward kevin brian ronald jason gary ryan nicholas
jack harry oliver noah liam ben benjamin samuel sam alan craig carl gareth nigel owen simon
ivan marc rahul omar martin henrik eirik aarav gavin jonathan mick keith bill rhys callum shane
patrick erik mateo rui ahmed mohammed muhammad ali hassan ibrahim yusuf igor sergei vladimir
donald joe barack xi wang li juan carlos luis jose pedro pierre jean hans karl franz giovanni
""".split())

# Quoted spans shorter than this many words are quoted terms (scare quotes, names, one-word
# fragments) unless they stand alone as a whole utterance with a cue ("“No,” she said").
MIN_QUOTE_WORDS = 3

# Function words that may appear lower-case inside a quoted name or title.
NAME_FUNCTION_WORDS: frozenset[str] = frozenset({
    "of", "the", "and", "for", "in", "on", "a", "an", "to", "de", "del", "la", "le", "von",
    "van", "al", "el", "bin", "ibn",
})
