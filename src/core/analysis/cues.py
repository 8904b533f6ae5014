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
remind recommend propose
""".split())

# Verbs that introduce an attributed claim without quote marks, when they take a clause
# ("X said (that) ...", "..., SANA reported", "X told Y that ...", "X accused Y of ...").
# A subset of SPEECH_VERBS: verbs such as "laugh" or "praise" report manner or stance, not content.
CLAIM_VERBS: frozenset[str] = frozenset("""
say tell add claim deny insist warn announce report state argue note stress emphasize emphasise
explain acknowledge admit allege assert confirm contend declare suggest reveal write tweet post
recall concede complain predict estimate accuse maintain reiterate testify disclose mention
highlight underline affirm conclude caution promise pledge vow observe remark
agree reply respond answer counter retort share lecture remind recommend propose hint
urge
""".split())

# Verbs whose claim can be a to-infinitive addressed to someone: "urged both sides to extend
# the truce". Their subject is the source and the infinitive clause the content.
CLAIM_VERBS_WITH_TO: frozenset[str] = frozenset({"urge", "implore", "exhort"})

# Verbs whose claim can be a gerund: "denied ever making the remark", "admitted taking".
CLAIM_VERBS_WITH_GERUND: frozenset[str] = frozenset({"deny", "admit", "acknowledge", "recall"})

# Heads that turn a speech verb into a non-claim: "declined to say", "refused to comment".
# (A negated speech verb, "has not said where", is not a claim either.)
NON_CLAIM_HEADS: frozenset[str] = frozenset({"decline", "refuse", "fail", "avoid", "reluctant"})

# Verbs that name rather than quote: what fans called "the quiet years" is a nickname.
NAMING_VERBS: frozenset[str] = frozenset({"call", "dub", "nickname", "term", "brand", "label",
                                          "christen", "know"})

# Verbs through which a person passes on someone else's words: "read from a statement given
# to police by the pawnbroker": the words are the author's, not the reader's.
READING_VERBS: frozenset[str] = frozenset({"read", "quote", "cite", "recite"})

# Verbs with an agent that owns a document: "figures published by X", "a letter signed by X".
DOCUMENT_AGENT_VERBS: frozenset[str] = frozenset({
    "publish", "issue", "release", "organise", "organize", "sign", "write", "give", "send",
    "compile", "produce", "commission", "post", "circulate", "submit", "make",
})

# Verbs whose subject is the author of the document that is their object or "in" phrase:
# "the ministry said in a statement", "the club issued a statement".
DOCUMENT_AUTHOR_VERBS: frozenset[str] = frozenset({
    "say", "issue", "release", "publish", "write", "send", "post", "put", "add", "announce",
})

# Verbs that take the claim as an "of" phrase: "accused the company of sitting on its hands".
CLAIM_VERBS_WITH_OF: frozenset[str] = frozenset({"accuse"})

# Verbs whose claim is an "as" phrase: "described Thornton as the best team-mate he had had".
CLAIM_VERBS_WITH_AS: frozenset[str] = frozenset({"describe", "characterise", "characterize"})

# Post-name titles: "Jonathan Sykes KC said" -> the speaker is Jonathan Sykes.
NAME_SUFFIXES: frozenset[str] = frozenset({"kc", "qc", "mp", "mep", "msp", "jr", "jr.", "sr", "sr.", "phd"})

# Verb + word pairs that work as a claim verb: "made clear that ...", "pointed out that ...".
CLAIM_PHRASES: frozenset[tuple[str, str]] = frozenset({
    ("make", "clear"), ("point", "out"), ("go", "on"), ("put", "it"),
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
processor utility administration state country city county region parliament carrier band
watchdog app platform brand chain publisher label coalition alliance consortium campaign
landlord insurer builder force brigade
""".split())

# What kind of named organisation a definite org noun can point back to ("the company said"
# -> a company, not a place, a person or the news agency in the dateline). Keys are head nouns;
# values are the kind, used with the word lists below.
ORG_NOUN_KINDS: dict[str, str] = {
    **{w: "company" for w in """company firm airline carrier retailer maker chipmaker carmaker
        business employer insurer lender developer manufacturer supplier processor utility
        operator app platform brand chain publisher label builder landlord""".split()},
    **{w: "club" for w in "club team".split()},
    "council": "council",
    **{w: "health" for w in "trust hospital".split()},
    **{w: "government" for w in """government ministry department administration state country
        city county region authority""".split()},
    "union": "union",
    "party": "party",
    "band": "band",
}
# Words in an organisation's name that mark its kind.
ORG_KIND_WORDS: dict[str, frozenset[str]] = {
    "company": frozenset("""inc inc. ltd ltd. plc llc corp corp. co co. company group holdings
        airways airlines air energy motors technologies technology tech systems pharma
        pharmaceuticals bank capital partners industries foods brands retail stores media
        labs software semiconductor semiconductors logistics shipping rail telecom""".split()),
    "club": frozenset("""fc afc cf united city town rovers athletic wanderers albion county
        rangers celtic hotspur villa olympic sporting club athletico atletico real dynamo
        harriers orient argyle alexion palace""".split()),
    "council": frozenset({"council"}),
    "health": frozenset({"nhs", "health", "hospital", "hospitals", "trust", "board", "clinic"}),
    "government": frozenset({"ministry", "department", "government", "office", "administration",
                             "authority", "executive"}),
    "union": frozenset({"union", "unite", "unison", "federation"}),
    "party": frozenset({"party", "labour", "conservatives", "democrats", "republicans"}),
}
# Words that mark an organisation as not a company (for "the company", "the carrier").
NOT_COMPANY_WORDS: frozenset[str] = frozenset("""
council ministry department government university college school police union party court
agency commission committee nhs service association federation society institute foundation
parliament senate congress assembly army navy police church charity campaign network
""".split())

# Descriptions of people that refer back to a named person: "the 12-year-old admitted".
PERSON_NOUNS: frozenset[str] = frozenset("""
official spokesman spokeswoman spokesperson minister president premier chancellor secretary
director executive chairman chairwoman chair manager coach captain player striker player
teacher doctor nurse judge lawyer barrister prosecutor officer detective inspector scientist
researcher professor expert analyst economist witness resident owner founder leader diplomat
envoy ambassador governor mayor senator lawmaker mp author novelist writer artist singer
engineer astronomer historian source driver farmer boss veteran winner champion defendant
accused claimant carer pensioner schoolboy schoolgirl pupil student teenager victim survivor
tenant worker employee councillor candidate campaigner activist chef drummer guitarist actor
actress star songwriter rapper producer trader banker investor patient midwife paramedic
firefighter pilot soldier commander businessman businesswoman entrepreneur architect
journalist photographer priest vicar bishop coroner magistrate sheriff congressman
congresswoman headteacher principal runner athlete cyclist swimmer boxer goalkeeper defender
midfielder skipper referee jockey rider pal friend neighbour neighbor mother father widow
""".split())

# Titles written before a person's name; dropped when a titled mention is linked to the full
# name ("Cllr Pryce" -> "Janet Pryce", "Gov. Lund" -> "Patricia Lund", "Ch Supt Ogle").
PERSON_TITLES: frozenset[str] = frozenset("""
mr mrs ms miss mx dr doctor prof professor sir dame lord lady cllr councillor sen senator rep
representative gov governor gen general col colonel maj major capt captain lt lieutenant sgt
sergeant cpl corporal pc dc ds di dci det detective insp inspector supt superintendent ch chief
cmdr commander adm admiral rev reverend fr father judge justice mayor president minister
secretary ambassador sheikh rabbi imam bishop archbishop cardinal pastor brother sister
""".split())

# Unnamed sources: a lead's "A spokesman said ..." is not the person named in the next paragraph.
ANON_SOURCE_NOUNS: frozenset[str] = frozenset("""
spokesman spokeswoman spokesperson source official insider aide person someone representative
""".split())

# Nouns that mark a company in "<noun> in/of X" ("Shares in Norvantis"), whatever the tagger says.
COMPANY_CONTEXT_NOUNS: frozenset[str] = frozenset({"shares", "stake", "stakes", "investors",
                                                   "shareholders", "takeover", "customers"})

# Nouns for news media: "the newspaper said" may point back to an outlet, "the company" may not.
MEDIA_NOUNS: frozenset[str] = frozenset({"newspaper", "paper", "broadcaster", "network", "outlet",
                                         "agency", "publisher", "channel", "station", "website"})

# Words a reader uses for one member of a group just mentioned: "Fans flooded social media.
# One wrote: ..." -> one of the fans.
GROUP_MEMBER_WORDS: frozenset[str] = frozenset({"one", "another", "others", "some", "many"})

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
bethany beth gwen deborah debbie carla patricia tess nell moira niamh isla amara sadia mira
harriet gail kaya rhiannon jackie sharon michelle lisa donna tracy julie jacqueline pauline
janet kathleen barbara betty dorothy nancy sue carol christine wendy heather rose lily chloe
megan jade zoe ellie isabella ava mia evie poppy freya esther judith gillian hazel abigail
alison anita brenda caroline denise elaine eileen frances gloria irene jill josephine leah
mandy maureen melanie molly nina paula rita rosie shirley sheila stella tina valerie vera
yvonne agnes ayesha deepa sunita anjali ngozi chioma siobhan aoife roisin morag kirsty
""".split())
MALE_NAMES: frozenset[str] = frozenset("""
john james robert michael william david richard joseph thomas tom charles daniel matthew mark
paul steven steve andrew peter pete george edward kevin brian ronald jason gary ryan nicholas
jack harry oliver noah liam ben benjamin samuel sam alan craig carl gareth nigel owen simon
ivan marc rahul omar martin henrik eirik aarav gavin jonathan mick keith bill rhys callum shane
patrick erik mateo rui ahmed mohammed muhammad ali hassan ibrahim yusuf igor sergei vladimir
donald joe barack xi wang li juan carlos luis jose pedro pierre jean hans karl franz giovanni
marcus neil julian stefan gordon tobias kieran felix rohan graham derek danny dale raymond
idris ewan lukas stuart leon ivo ian colin malcolm duncan stephen philip phil anthony tony
christopher chris timothy tim gregory greg douglas kenneth ken roger trevor terry barry
dennis frank fred frederick harold henry howard jeffrey jeff jerry jim jimmy larry lawrence
luke nathan neville norman ray roy russell scott sean shaun stanley terence victor vincent
wayne adam alex alexander andy arthur bob bobby dominic edwin eric ethan finn geoffrey gerald
glen glenn graeme hugh jake jamie jeremy joel jordan josh joshua kyle lewis louis matt max
nick oscar rob robbie rodney ronnie rupert theo toby tristan warren aidan declan conor
ciaran seamus dermot niall fergus angus hamish ross euan rory tariq imran rashid khalid
faisal hamza kwame kofi emeka chidi
""".split())

# Quoted spans shorter than this many words are quoted terms (scare quotes, names, one-word
# fragments) unless they stand alone as a whole utterance with a cue ("“No,” she said").
MIN_QUOTE_WORDS = 3

# A quoted span that no speech verb governs and no cue follows is credited to the subject of its
# clause only from this many words: shorter ones are idioms and scare quotes (pictured “drowning
# his sorrows”).
MIN_EMBEDDED_QUOTE_WORDS = 5

# Function words that may appear lower-case inside a quoted name or title.
NAME_FUNCTION_WORDS: frozenset[str] = frozenset({
    "of", "the", "and", "for", "in", "on", "a", "an", "to", "de", "del", "la", "le", "von",
    "van", "al", "el", "bin", "ibn",
})
