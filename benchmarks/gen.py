"""Deterministic benchmark inputs, generated from a seed (nothing is stored in the repo).

    article_text(1_000, seed=1)        # a news-like body of about 1,000 words
    write_article(path, 1_000, seed=1) # the same, as a file newsreader reads (Title/Source/Date)
    document_text(100_000)             # the 100,000-word document
    library_articles(10_000)           # Article objects for a big library

Every body has paragraphs separated by a blank line, named people who are
introduced in full and then by surname, organisations and places, direct
quotations with a speaker and a cue ("… ,” Okafor said.), quotations that
run over two sentences, reported speech ("X said that …"), "according to"
sources, numbers and evaluative sentences. The same seed always gives the
same text, byte for byte.
"""
from __future__ import annotations

import random
from pathlib import Path

FIRST = ["Maria", "James", "Aisha", "Kenji", "Olga", "Pedro", "Fatima", "Liam", "Sofia",
         "Daniel", "Amara", "Victor", "Elena", "Tomás", "Hannah", "Yusuf", "Grace", "Ivan",
         "Chen", "Nadia", "Samuel", "Ingrid", "Rahul", "Zanele"]
LAST = ["Lopez", "Whitaker", "Okafor", "Tanaka", "Petrova", "Almeida", "Haddad", "Brennan",
        "Rossi", "Kowalski", "Mensah", "Lindqvist", "Moreau", "Novak", "Fischer", "Castillo",
        "Osei", "Yamada", "Farouk", "Ivanova"]
ROLES = ["the finance minister", "a spokesperson for the ministry", "the mayor",
         "a senior analyst at Northwind Capital", "the union's general secretary",
         "the opposition leader", "a professor of economics", "the company's chief executive"]
ORGS = ["the Ministry of Finance", "Northwind Energy", "the Central Bank", "Reuters", "AFP",
        "the World Health Organization", "Atlas Motors", "the city council",
        "the European Commission", "the national football federation", "the Red Cross",
        "the Associated Press", "the state broadcaster"]
PLACES = ["Lisbon", "Nairobi", "Ottawa", "Warsaw", "Osaka", "Lima", "Manila", "Oslo", "Accra",
          "Brisbane", "Damascus", "Beijing", "Cairo", "Quito"]
TOPICS = ["the budget", "the new stadium", "fuel prices", "the vaccine programme", "the merger",
          "the election", "the strike", "the flood defences", "tax reform", "the rail line",
          "water rationing", "the ceasefire"]
VERBS = ["said", "told reporters", "insisted", "added", "warned", "argued", "said on Monday"]
ADJ = ["a reckless gamble", "a sensible compromise", "long overdue", "a serious mistake",
       "good news for families", "deeply troubling", "an embarrassment", "a historic step"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
SOURCES = ["Wire Service", "The Daily Ledger", "Metro Times", "Coastal Herald", "Global Desk",
           "Evening Post", "Northern Star"]
HEADLINE = ["{p} defends {t} as critics warn of delays", "{o} backs {t} after talks in {c}",
            "Talks on {t} stall in {c}", "{c} braces for {t} vote", "What {t} means for {c}",
            "{p} under pressure over {t}"]


class _Writer:
    """Sentences about one story: a small cast, introduced in full, then by surname."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.cast = [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(rng.randint(2, 4))]
        self.introduced: set[str] = set()
        self.topic = rng.choice(TOPICS)

    def _who(self) -> str:
        person = self.rng.choice(self.cast)
        if person in self.introduced:
            return person.split()[-1]
        self.introduced.add(person)
        return f"{person}, {self.rng.choice(ROLES)},"

    def _speaker(self) -> str:
        person = self.rng.choice(self.cast)
        if person in self.introduced:
            return person.split()[-1]
        self.introduced.add(person)
        return person

    def sentence(self) -> str:
        r = self.rng
        k = r.randrange(11)
        if k == 0:
            return (f"“We will not accept any delay on {self.topic},” {self._speaker()} "
                    f"{r.choice(VERBS)}.")
        if k == 1:
            return (f"{self._who()} {r.choice(VERBS)} that {self.topic} would cost "
                    f"{r.randint(2, 900)} million euros.")
        if k == 2:
            return (f"According to {r.choice(ORGS)}, {self.topic} was discussed in "
                    f"{r.choice(PLACES)} on {r.choice(DAYS)}.")
        if k == 3:
            return (f"Officials in {r.choice(PLACES)} reported {r.randint(10, 5000)} complaints, "
                    f"up {r.randint(1, 40)} percent from last year.")
        if k == 4:
            return f"The plan is {r.choice(ADJ)}, and it could still change before the vote."
        if k == 5:
            return (f"{self._speaker()} met representatives of {r.choice(ORGS)} in "
                    f"{r.choice(PLACES)} to discuss {self.topic}.")
        if k == 6:
            return (f"The proposal on {self.topic} was rejected by {r.randint(3, 60)} votes to "
                    f"{r.randint(3, 60)}, {r.choice(ORGS)} reported.")
        if k == 7:
            return (f"“This is {r.choice(ADJ)}. It affects everyone in {r.choice(PLACES)},” "
                    f"{self._speaker()} {r.choice(VERBS)}.")
        if k == 8:
            a, b = r.sample(PLACES, 2)
            return (f"The decision, announced by {r.choice(ORGS)}, follows months of talks "
                    f"between {a} and {b}.")
        if k == 9:
            return (f"Critics called the measure “{r.choice(ADJ)}”, while supporters said it "
                    f"was the only way forward.")
        return (f"{r.randint(2, 40)} people were questioned in {r.choice(PLACES)} on "
                f"{r.choice(DAYS)}, police said in a statement.")

    def paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(1, 4)))


def article_text(n_words: int, seed: int = 1) -> str:
    """A news-like body of about ``n_words`` words (it ends at a paragraph end)."""
    rng = random.Random(f"article:{seed}:{n_words}")
    writer = _Writer(rng)
    paragraphs: list[str] = []
    words = 0
    while words < n_words:
        if paragraphs and rng.random() < 0.02:   # a new story within a long document
            writer = _Writer(rng)
        para = writer.paragraph()
        paragraphs.append(para)
        words += len(para.split())
    return "\n\n".join(paragraphs)


def headline(seed: int) -> str:
    rng = random.Random(f"headline:{seed}")
    template = rng.choice(HEADLINE)
    person = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    org = rng.choice(ORGS)
    org = org[:1].upper() + org[1:]
    return template.format(p=person, o=org, t=rng.choice(TOPICS), c=rng.choice(PLACES))


def date_for(seed: int) -> str:
    rng = random.Random(f"date:{seed}")
    return f"20{rng.randint(18, 25):02d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def source_for(seed: int) -> str:
    return random.Random(f"source:{seed}").choice(SOURCES)


def article_file_text(n_words: int, seed: int = 1) -> str:
    """What :func:`write_article` writes: ``Title:``/``Source:``/``Date:`` lines, then the body."""
    return (f"Title: {headline(seed)}\nSource: {source_for(seed)}\nDate: {date_for(seed)}\n\n"
            f"{article_text(n_words, seed)}\n")


def write_article(path: Path | str, n_words: int, seed: int = 1) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(article_file_text(n_words, seed), encoding="utf-8")
    return path


def document_text(n_words: int = 100_000, seed: int = 100) -> str:
    """The long document: many stories' worth of paragraphs, about ``n_words`` words."""
    return article_text(n_words, seed)


def first_words(text: str, k: int = 3) -> str:
    """The opening ``k`` words of ``text``: what a benchmark waits to see on screen."""
    return " ".join(text.split()[:k])


def library_articles(n: int, seed: int = 7, words: tuple[int, int] = (60, 160)):
    """``n`` distinct Article objects (short bodies) for a big library."""
    from newsreader.core.ingest import article_id
    from newsreader.core.models import Article

    rng = random.Random(f"library:{seed}")
    out = []
    for i in range(n):
        body = article_text(rng.randint(*words), seed=seed * 1_000_003 + i)
        out.append(Article(id=article_id(body), text=body, title=headline(seed * 7919 + i),
                           date=date_for(i), source=source_for(i),
                           location=f"/corpus/{i:05d}.txt"))
    return out


if __name__ == "__main__":  # a quick look: python benchmarks/gen.py [WORDS] [SEED]
    import sys

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    s = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    sys.stdout.write(article_file_text(n, s))
