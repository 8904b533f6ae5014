"""Fuzz the loader and the analyzer with seeded random inputs for a given time.

    .venv/bin/python benchmarks/fuzz.py --seconds 600            # a long run
    .venv/bin/python benchmarks/fuzz.py --seconds 20 --seed 7    # what CI runs (shorter)
    .venv/bin/python benchmarks/fuzz.py --seed 7 --case 123      # replay one case
    .venv/bin/python benchmarks/fuzz.py --sizes                  # 1.5M chars, 50,000 paragraphs

Every case is bytes built from a seed and a case number (so any failure can be
replayed exactly): random bytes, real articles mutated (bit flips, cuts,
splices, inserted escapes/controls/BOMs/markup, re-encoded as UTF-16/cp1252/
latin-1, newlines changed), and token soup of news words, punctuation,
quotes, paragraph breaks, CJK, emoji and combining marks. For each case:

* ``ingest.load_path`` returns an Article or raises ``InputError``; anything
  else is a failure. A refusal is checked through the real command too
  (``newsreader analyze`` exits 1 with one ``newsreader: ...`` line, no
  traceback) for a sample of cases.
* An Article is canonical: no control characters or escapes, paragraphs
  separated by exactly one blank line, none empty, no trailing spaces,
  ``normalise(text) == text``, and its id is the hash of its text.
* The real English pipeline analyses it (whole, and cut into 1,000-character
  chunks for long ones) and every offset points at the text it claims
  (tests/hardening/hardening_helpers.py: ``offset_problems``); every visible
  character is in a sentence.

Failing inputs are saved under --save-dir with the command that replays them.
Prints a table; exits 1 if any case failed. No timing is asserted anywhere.
"""
from __future__ import annotations

import argparse
import codecs
import random
import re
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "hardening"))

from hardening_helpers import offset_problems  # noqa: E402

from newsreader.core.commands.analyze import article_json  # noqa: E402
from newsreader.core.errors import InputError  # noqa: E402
from newsreader.core.ingest import article_id, load_path  # noqa: E402
from newsreader.core.text import normalise  # noqa: E402

NEWSREADER = str(Path(sys.executable).parent / "newsreader")

WORDS = ["The", "council", "said", "Maria", "Lopez", "Reuters", "according", "to", "AFP",
         "Wang", "Yi", "told", "reporters", "Damascus", "on", "Monday", "reckless", "she",
         "insisted", "officials", "denied", "U.S.", "Dr.", "3.5", "1,200", "\u4e2d\u56fd",
         "\u5317\u4eac\u8bf4", "\U0001F642", "\U0001F469\u200d\U0001F467", "\U0001F1FA\U0001F1F8",
         "Caf\u00e9", "Zoe\u0308", "Z\u0351\u0352a\u0354", "\u0627\u0644\u0648\u0632\u064a\u0631",
         "\uff21\uff22\uff23", "[bold red]", "[/]", "[@click=app.quit]", "\\[x]"]
PUNCT = [".", ",", "!", "?", ";", ":", " \u2014 ", "...", "\u2026", "\u201c", "\u201d", '"', "'",
         "\u2019", "(", ")", "-", "\n", "\n\n", "\r\n", "\r", "\r\n\r\n", " ", "\t", "\u00a0"]
HOSTILE = ["\x1b[31m", "\x1b[0m", "\x1b]0;title\x07", "\x1b]8;;http://x/\x1b\\", "\x1bP1$r\x1b\\",
           "\x9b31m", "\x9d0;t\x9c", "\x07", "\x08", "\x00", "\x7f", "\x85", "\u200b", "\u202e",
           "\u2066", "\ufeff", "\u2028", "\x1b", "\x1b]", "\x1bP"]
BOMS = [b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00"]
MAGIC = [b"\x89PNG\r\n\x1a\n", b"PK\x03\x04", b"%PDF-", b"\x1f\x8b", b"GIF89a", b"\x7fELF"]


def seed_texts() -> list[str]:
    texts = []
    for p in sorted((ROOT / "seeds").glob("*.txt")):
        texts.append(p.read_text(encoding="utf-8"))
    for p in sorted((ROOT / "tests" / "fixtures" / "web").glob("*.html"))[:3]:
        texts.append(p.read_bytes().decode("utf-8", "replace"))
    return texts or ["The council said the bridge would reopen on Monday."]


def token_soup(r: random.Random, n: int) -> str:
    out = []
    for _ in range(n):
        x = r.random()
        if x < 0.55:
            out.append(r.choice(WORDS) + " ")
        elif x < 0.85:
            out.append(r.choice(PUNCT))
        elif x < 0.93:
            out.append(r.choice(HOSTILE))
        else:
            out.append("".join(chr(r.randrange(0x20, 0x2FFF)) for _ in range(r.randint(1, 4))))
    return "".join(out)


def mutate_text(r: random.Random, text: str) -> str:
    for _ in range(r.randint(1, 6)):
        if not text:
            break
        i = r.randrange(len(text) + 1)
        op = r.randrange(7)
        if op == 0:
            text = text[:i] + r.choice(HOSTILE + PUNCT) + text[i:]
        elif op == 1:
            j = min(len(text), i + r.randint(1, 400))
            text = text[:i] + text[j:]
        elif op == 2:
            text = text[:i] + token_soup(r, r.randint(1, 30)) + text[i:]
        elif op == 3:
            text = text.replace("\n", r.choice(["\r\n", "\r", "\n\n", " ", "\u2028"]))
        elif op == 4:
            j = r.randrange(len(text) + 1)
            text = text[:i] + text[min(i, j):max(i, j)] * r.randint(1, 4) + text[i:]
        elif op == 5:
            text = text[:i]
        else:
            text = "".join(ch.upper() if r.random() < 0.1 else ch for ch in text)
    return text


def encode(r: random.Random, text: str) -> bytes:
    enc = r.choice(["utf-8", "utf-8", "utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be",
                    "cp1252", "latin-1"])
    return codecs.encode(text, enc, errors="replace") if enc in ("cp1252", "latin-1") \
        else text.encode(enc, errors="surrogatepass")


def mutate_bytes(r: random.Random, data: bytes) -> bytes:
    b = bytearray(data)
    for _ in range(r.randint(1, 8)):
        if not b:
            break
        i = r.randrange(len(b))
        op = r.randrange(5)
        if op == 0:
            b[i] ^= 1 << r.randrange(8)
        elif op == 1:
            b[i] = r.randrange(256)
        elif op == 2:
            del b[i:i + r.randint(1, 64)]
        elif op == 3:
            b[i:i] = r.randbytes(r.randint(1, 16))
        else:
            b[i:i] = r.choice(BOMS)
    return bytes(b)


@dataclass
class Case:
    kind: str
    name: str
    data: bytes


def make_case(seed: int, number: int, seeds: list[str]) -> Case:
    r = random.Random(f"{seed}:{number}")
    kind = r.choices(["soup", "mutated-text", "mutated-bytes", "random-bytes", "magic", "whitespace",
                      "long-line", "many-paragraphs"], weights=(30, 30, 15, 5, 3, 4, 4, 4))[0]
    suffix = r.choice([".txt", ".txt", ".txt", ".md", ".html", ".htm"])
    if kind == "soup":
        data = encode(r, token_soup(r, r.randint(1, 400)))
    elif kind == "mutated-text":
        data = encode(r, mutate_text(r, r.choice(seeds)))
    elif kind == "mutated-bytes":
        data = mutate_bytes(r, encode(r, r.choice(seeds)))
    elif kind == "random-bytes":
        data = r.randbytes(r.randint(0, 4000))
    elif kind == "magic":
        data = r.choice(MAGIC) + r.randbytes(r.randint(0, 200))
    elif kind == "whitespace":
        data = "".join(r.choice([" ", "\t", "\n", "\r", "\u00a0", "\u3000", "\u200b", "\ufeff",
                                 "\x0c"]) for _ in range(r.randint(0, 200))).encode()
    elif kind == "long-line":
        data = " ".join(r.choice(WORDS) for _ in range(r.randint(2000, 8000))).encode()
    else:
        data = "\n\n".join(token_soup(r, r.randint(1, 6)) for _ in range(r.randint(200, 1500))).encode()
    return Case(kind, f"case{number}{suffix}", data)


_FORBIDDEN = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b\ufeff]")


def article_problems(article) -> list[str]:
    out = []
    t = article.text
    if not t:
        out.append("empty article text")
    if _FORBIDDEN.search(t):
        out.append(f"control character {_FORBIDDEN.search(t).group()!r} in the text")
    if "\n\n\n" in t or t != t.strip() or any(p != p.strip() or not p for p in t.split("\n\n")):
        out.append("paragraphs are not canonical")
    if re.search(r"[^\n]\n[^\n]", t):
        out.append("a single newline inside a paragraph")
    if "  " in t:
        out.append("double space")
    if normalise(t) != t:
        out.append("normalise(text) != text")
    if article.id != article_id(t):
        out.append("id is not the hash of the text")
    for field in ("title", "location"):
        v = getattr(article, field)
        if v and _FORBIDDEN.search(v.replace("\n", " ")):
            out.append(f"control character in {field}")
    return out


def coverage_problems(article, analysis) -> list[str]:
    covered = bytearray(len(article.text))
    for s in analysis.sentences:
        covered[s.start:s.end] = b"\x01" * (s.end - s.start)
    missed = [ch for i, ch in enumerate(article.text) if not ch.isspace() and not covered[i]]
    return [f"{len(missed)} visible characters in no sentence: {missed[:10]!r}"] if missed else []


def cli_refusal_problems(path: Path, data_dir: Path) -> list[str]:
    out = subprocess.run([NEWSREADER, "analyze", str(path)], capture_output=True, text=True,
                         timeout=300, stdin=subprocess.DEVNULL,
                         env={"PATH": "/usr/bin:/bin", "NEWSREADER_DATA_DIR": str(data_dir)})
    problems = []
    if out.returncode != 1:
        problems.append(f"analyze exit {out.returncode} for refused input")
    lines = out.stderr.splitlines()
    if len(lines) != 1 or not lines[0].startswith("newsreader: ") or "Traceback" in out.stderr:
        problems.append(f"analyze printed {out.stderr[:300]!r}")
    if "\x1b" in out.stderr:
        problems.append("escape character in the error line")
    return problems


def run_case(case: Case, work: Path, nlp, cli: bool) -> tuple[str, list[str]]:
    from newsreader.core.analysis import pipeline

    path = work / case.name
    path.write_bytes(case.data)
    try:
        article = load_path(str(path))
    except InputError as exc:
        reason = re.sub(r"^.*?: ", "", str(exc), count=1)
        reason = re.sub(r"\(.*", "", reason).strip()
        problems = []
        if "\n" in str(exc):
            problems.append("multi-line InputError")
        if cli:
            problems += cli_refusal_problems(path, work / "data")
        return f"refused: {reason[:60]}", problems
    except Exception:  # noqa: BLE001 - anything but InputError is what we hunt
        return "crashed in load", [traceback.format_exc(limit=8)]
    problems = article_problems(article)
    try:
        analysis = pipeline.analyze(article, nlp)
        problems += offset_problems(article_json(article, analysis))
        problems += coverage_problems(article, analysis)
        if len(article.text) > 1500:
            [chunked] = pipeline.analyze_many([article], nlp, chunk_chars=1000)
            problems += [f"chunked: {p}" for p in offset_problems(article_json(article, chunked))]
    except Exception:  # noqa: BLE001
        return "crashed in analysis", [traceback.format_exc(limit=8)]
    return "analysed", problems


def sizes(nlp) -> int:
    """The issue's big shapes with the real pipeline (minutes each on 2 cores)."""
    from newsreader.core.analysis import pipeline
    from newsreader.core.ingest import load_text
    sys.path.insert(0, str(ROOT / "tests" / "hardening"))
    from test_sizes import news_paragraphs, no_punctuation, single_line, tiny_paragraphs

    failed = 0
    for name, text in (("no punctuation", no_punctuation()), ("200,000-char line", single_line()),
                       ("1.5M characters", news_paragraphs(1_500_000)),
                       ("50,000 tiny paragraphs", tiny_paragraphs())):
        t0 = time.perf_counter()
        article = load_text(text, location=name)
        analysis = pipeline.analyze(article, nlp)
        problems = offset_problems(article_json(article, analysis))
        dt = time.perf_counter() - t0
        print(f"  {name:<24} {len(article.text):>10,} chars  {len(analysis.sentences):>7,} sentences"
              f"  {dt:7.1f} s  {'ok' if not problems else problems[:3]}", flush=True)
        failed += bool(problems)
    return failed


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=60, help="time budget (default 60)")
    ap.add_argument("--seed", type=int, default=None, help="seed (default: random, printed)")
    ap.add_argument("--case", type=int, default=None, help="replay only this case number")
    ap.add_argument("--max-cases", type=int, default=None, help="stop after this many cases")
    ap.add_argument("--cli-every", type=int, default=10,
                    help="check every Nth refused input through the real command (0: never)")
    ap.add_argument("--save-dir", default="fuzz-failures", help="where failing inputs go")
    ap.add_argument("--sizes", action="store_true", help="also run the big shapes (slow)")
    args = ap.parse_args(argv)
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)

    from newsreader.core.analysis import pipeline

    nlp = pipeline.load_nlp(None)
    seeds = seed_texts()
    counts: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    failures: list[tuple[int, Case, str, list[str]]] = []
    refused = 0
    start = time.monotonic()
    numbers = [args.case] if args.case is not None else range(1 << 62)
    with tempfile.TemporaryDirectory(prefix="nr-fuzz-") as tmp:
        work = Path(tmp)
        n = 0
        for number in numbers:
            if args.case is None and (time.monotonic() - start >= args.seconds
                                      or (args.max_cases and n >= args.max_cases)):
                break
            case = make_case(seed, number, seeds)
            cli = False
            if args.cli_every:
                cli = refused % args.cli_every == 0
            outcome, problems = run_case(case, work, nlp, cli)
            if outcome.startswith("refused"):
                refused += 1
            counts[outcome] += 1
            kinds[case.kind] += 1
            n += 1
            if problems:
                failures.append((number, case, outcome, problems))
                save = Path(args.save_dir)
                save.mkdir(parents=True, exist_ok=True)
                (save / f"seed{seed}-{case.name}").write_bytes(case.data)
                print(f"FAIL case {number} ({case.kind}, {outcome}): {problems[0][:500]}\n"
                      f"  replay: .venv/bin/python benchmarks/fuzz.py --seed {seed} --case {number}",
                      flush=True)
    elapsed = time.monotonic() - start
    print(f"\nfuzz: seed {seed}, {n} cases in {elapsed:.0f} s, {len(failures)} failed")
    print(f"\n{'outcome':<58} {'cases':>6}")
    for outcome, k in counts.most_common():
        print(f"{outcome:<58} {k:>6}")
    print(f"\n{'input kind':<58} {'cases':>6}")
    for kind, k in kinds.most_common():
        print(f"{kind:<58} {k:>6}")
    failed = len(failures)
    if args.sizes:
        print("\nbig shapes, real pipeline:")
        failed += sizes(nlp)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
