"""Build benchmarks/devset/devset.jsonl from the hand-annotated sources in source/*.txt.

The sources are articles with inline gold markup, written and annotated by hand:

    === id: d01-court-fraud | split: dev
    Headline

    Paragraph ... {{q:Speaker Name;Alternative|“quoted words,”}} she said.
    Wang {{a:indirect:Wang Yi}}said China considers ...
    {{a:according_to:SANA}}According to SANA, ...

- ``{{q:NAME|SPAN}}`` marks a direct quotation; SPAN is the quoted words including the marks.
  NAME is the speaker's canonical name, ``-`` when nobody is identifiable; ``;`` separates
  accepted alternative names (the first is canonical).
- ``{{a:TYPE:NAME}}`` marks an attributed claim without quote marks (TYPE is ``indirect`` or
  ``according_to``); it sits right before the cue word, and its offset anchors the sentence.
- Every quote with a speaker is also a ``direct`` attribution (derived here).
- ``split: sample`` articles carry ``seed: FILE``: the clean text must equal seeds/FILE.

Run: ``python benchmarks/devset/build.py`` (prints a summary; fails loudly on malformed markup).
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SOURCES = ("dev.txt", "heldout.txt", "samples.txt", "blind.txt")
OUT = HERE / "devset.jsonl"

HEADER = re.compile(r"^=== (.*)$", re.M)
MARK = re.compile(r"\{\{(q|a):(.*?)\}\}", re.S)
OPEN_MARKS = "“‘\"'"
CLOSE_MARKS = "”’\"'"


def _names(field: str) -> tuple[str | None, list[str]]:
    parts = [p.strip() for p in field.split(";") if p.strip()]
    if not parts or parts[0] == "-":
        return None, []
    return parts[0], parts[1:]


def parse_article(header: str, body: str) -> dict:
    meta = {}
    for part in header.split("|"):
        key, _, value = part.partition(":")
        meta[key.strip()] = value.strip()
    text_parts: list[str] = []
    quotes: list[dict] = []
    attributions: list[dict] = []
    pos = 0       # position in body
    clean = 0     # length of clean text so far
    for m in MARK.finditer(body):
        text_parts.append(body[pos:m.start()])
        clean += m.start() - pos
        kind, payload = m.group(1), m.group(2)
        if kind == "q":
            name_field, sep, span = payload.partition("|")
            if not sep or not span:
                raise ValueError(f"{meta['id']}: malformed quote markup {m.group(0)[:60]!r}")
            if "\n" in span:
                raise ValueError(f"{meta['id']}: quote crosses a line: {span[:60]!r}")
            if span[0] not in OPEN_MARKS:
                raise ValueError(f"{meta['id']}: quote does not start with a mark: {span[:60]!r}")
            speaker, alt = _names(name_field)
            quotes.append({"start": clean, "end": clean + len(span), "text": span,
                           "speaker": speaker, "speaker_alt": alt})
            text_parts.append(span)
            clean += len(span)
        else:
            ctype, sep, name_field = payload.partition(":")
            if ctype not in ("indirect", "according_to") or not sep:
                raise ValueError(f"{meta['id']}: malformed attribution markup {m.group(0)!r}")
            source, alt = _names(name_field)
            attributions.append({"type": ctype, "source": source, "source_alt": alt,
                                 "anchor": clean})
        pos = m.end()
    text_parts.append(body[pos:])
    text = "".join(text_parts).strip("\n")
    lead = len("".join(text_parts)) - len("".join(text_parts).lstrip("\n"))
    for q in quotes:
        q["start"] -= lead
        q["end"] -= lead
        assert text[q["start"]:q["end"]] == q["text"], q
    for a in attributions:
        a["anchor"] -= lead
        a["anchor_text"] = text[a["anchor"]:a["anchor"] + 40].split("\n")[0]
    for q in quotes:
        if q["speaker"]:
            attributions.append({"type": "direct", "source": q["speaker"],
                                 "source_alt": q["speaker_alt"], "anchor": q["start"],
                                 "anchor_text": q["text"][:40], "quote": [q["start"], q["end"]]})
    attributions.sort(key=lambda a: a["anchor"])
    if "{{" in text or "}}" in text:
        raise ValueError(f"{meta['id']}: unparsed markup left in text")
    rec = {"id": meta["id"], "split": meta["split"], "text": text,
           "quotes": quotes, "attributions": attributions}
    if meta.get("seed"):
        seed_text = (ROOT / "seeds" / meta["seed"]).read_text(encoding="utf-8").strip("\n")
        if seed_text != text:
            raise ValueError(f"{meta['id']}: clean text differs from seeds/{meta['seed']}")
        rec["seed"] = meta["seed"]
    return rec


def parse_file(path: Path) -> list[dict]:
    raw = path.read_text(encoding="utf-8")
    heads = list(HEADER.finditer(raw))
    out = []
    for i, h in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(raw)
        out.append(parse_article(h.group(1), raw[h.end():end]))
    return out


def unmarked_quoted_spans(rec: dict) -> list[str]:
    """Double-quoted spans of 3+ words not marked as quotes (for the annotator to review)."""
    text = rec["text"]
    marked = [(q["start"], q["end"]) for q in rec["quotes"]]
    found = []
    for m in re.finditer(r"[“\"]([^”\"\n]{1,400})[”\"]", text):
        if any(s <= m.start() < e for s, e in marked):
            continue
        if len(m.group(1).split()) >= 3:
            found.append(m.group(0))
    return found


def main() -> int:
    records = []
    for name in SOURCES:
        records.extend(parse_file(HERE / "source" / name))
    ids = [r["id"] for r in records]
    if len(ids) != len(set(ids)):
        raise SystemExit("duplicate article ids")
    with OUT.open("w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    for split in ("dev", "heldout", "sample", "blind"):
        rs = [r for r in records if r["split"] == split]
        nq = sum(len(r["quotes"]) for r in rs)
        na = sum(len(r["attributions"]) for r in rs)
        print(f"{split:8} articles={len(rs):3} quotes={nq:4} attributions={na:4}")
    if "-v" in sys.argv:
        for r in records:
            for span in unmarked_quoted_spans(r):
                print(f"  review {r['id']}: unmarked {span[:70]!r}")
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
