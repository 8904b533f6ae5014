"""Score quotes, speakers and attributions on the hand-annotated dev set.

    .venv/bin/python benchmarks/score_analysis.py [--split dev|heldout|sample|blind|all] [--model NAME]
                                                  [--no-errors] [--no-opinion] [--json]

Runs the real pipeline (``ingest.load_text`` + ``pipeline.analyze_many``, one batch) over
benchmarks/devset/devset.jsonl (built from benchmarks/devset/source/ by build.py) and prints, per
split:

- quote+speaker P/R/F1: a system quote counts only when its span matches a gold quote AND its
  speaker matches the gold speaker;
- quote span P/R/F1 (span only) and speaker accuracy on the span-matched quotes;
- attribution P/R/F1 with the right source: direct (every quote with a speaker), indirect and
  according-to attributions together;
- opinion macro-F1 from benchmarks/score_opinion.py when its dev set is present;

then every error (missed, spurious, wrong speaker, wrong/missing source), so people read errors
and not only numbers. Matching rules (docs/accuracy.md):

- span: the quoted words equal after stripping quote marks, punctuation at the ends and
  whitespace, or the words overlap by >= 0.8 of the longer span (word positions in the text);
- name: lower-cased words without articles, titles and possessives; one name's words are a
  subset of the other's ("Mao" = "Mao Ning", "the official" = "Damascus ... Ministry official"),
  against the gold name or any accepted alternative;
- attribution: same sentence (a gold anchor inside the system unit's sentences) and the source
  name matches; a gold direct attribution needs the system quote matched to its gold quote.
  System claims with no source ("reportedly") are not scored.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEVSET = ROOT / "benchmarks" / "devset" / "devset.jsonl"
SPLITS = ("dev", "heldout", "sample", "blind")  # blind: written independently of the finders
STOP = {"the", "a", "an", "of", "mr", "ms", "mrs", "dr", "dame", "sir", "s", "prof", "professor"}
QUOTE_CHARS = "“”‘’\"'„"


# ------------------------------------------------------------------------------ matching rules
def name_words(name: str | None) -> set[str]:
    if not name:
        return set()
    s = name.lower().replace("’", "'")
    s = re.sub(r"'s\b", "", s)
    return {w for w in re.findall(r"[a-z0-9]+", s) if w not in STOP}


def names_match(system: str | None, gold: str | None, alts: list[str] | None = None) -> bool:
    if gold is None:
        return system is None
    if system is None:
        return False
    a = name_words(system)
    if not a:
        return False
    for g in [gold, *(alts or [])]:
        b = name_words(g)
        if b and (a <= b or b <= a):
            return True
    return False


def _norm_span(text: str) -> str:
    t = text.strip().strip(QUOTE_CHARS).strip()
    t = t.strip(".,;:!?…—– " + QUOTE_CHARS)
    return " ".join(t.split())


def _word_positions(text: str, start: int, end: int) -> set[int]:
    return {start + m.start() for m in re.finditer(r"\w+", text[start:end])}


def spans_match(text: str, a: tuple[int, int], b: tuple[int, int]) -> float:
    """1.0 for an exact match after normalisation, else the word overlap ratio (0 when < 0.8)."""
    if _norm_span(text[a[0]:a[1]]) == _norm_span(text[b[0]:b[1]]):
        return 1.0
    wa, wb = _word_positions(text, *a), _word_positions(text, *b)
    if not wa or not wb:
        return 0.0
    ratio = len(wa & wb) / max(len(wa), len(wb))
    return ratio if ratio >= 0.8 else 0.0


def locate(raw: str, norm: str, start: int, length: int) -> int | None:
    """Where raw[start:start+length] is in the ingested text (the same occurrence number)."""
    needle = raw[start:start + length]
    k = raw[:start].count(needle) if needle else 0
    pos = -1
    for _ in range(k + 1):
        pos = norm.find(needle, pos + 1)
        if pos < 0:
            break
    if pos < 0:
        pos = norm.find(needle)
    return pos if pos >= 0 else None


# ------------------------------------------------------------------------------ scoring
def prf(tp: int, n_sys: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_sys if n_sys else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score_article(rec: dict, article, analysis) -> tuple[dict, list[str]]:
    text = article.text
    raw = rec["text"]
    errors: list[str] = []
    counts = defaultdict(int)

    def sent_of(pos: int) -> int | None:
        for s in analysis.sentences:
            if s.start <= pos < max(s.end, s.start + 1):
                return s.index
        return None

    def snippet(s: str, n: int = 70) -> str:
        s = " ".join(s.split())
        return s if len(s) <= n else s[:n - 1] + "…"

    # gold quotes in the ingested text
    gold_q = []
    for g in rec["quotes"]:
        pos = locate(raw, text, g["start"], g["end"] - g["start"])
        if pos is None:
            errors.append(f"MISSED    gold quote not in ingested text: {snippet(g['text'])}")
            gold_q.append(None)
            continue
        gold_q.append({**g, "s": pos, "e": pos + len(g["text"])})
    sys_q = list(analysis.quotes)

    # span matching (greedy by overlap)
    pairs = []
    for gi, g in enumerate(gold_q):
        if g is None:
            continue
        for si, q in enumerate(sys_q):
            r = spans_match(text, (g["s"], g["e"]), (q.start, q.end))
            if r:
                pairs.append((r, gi, si))
    pairs.sort(reverse=True)
    g2s: dict[int, int] = {}
    s2g: dict[int, int] = {}
    for r, gi, si in pairs:
        if gi in g2s or si in s2g:
            continue
        g2s[gi], s2g[si] = si, gi

    counts["gold_quotes"] = len(rec["quotes"])
    counts["sys_quotes"] = len(sys_q)
    counts["span_tp"] = len(g2s)
    for gi, g in enumerate(gold_q):
        if g is None:
            continue
        if gi not in g2s:
            errors.append(f"MISSED    quote [{g['speaker']}] {snippet(g['text'])}")
            continue
        q = sys_q[g2s[gi]]
        sys_name = q.speaker.name if q.speaker else None
        if names_match(sys_name, g["speaker"], g["speaker_alt"]):
            counts["quote_tp"] += 1
        else:
            who = f"{q.speaker.name!r} (text {q.speaker.text!r})" if q.speaker else "nobody"
            errors.append(f"SPEAKER   {snippet(g['text'], 50)} -> {who}, gold {g['speaker']!r}"
                          f" [cue {q.cue!r}]")
    for si, q in enumerate(sys_q):
        if si not in s2g:
            who = q.speaker.name if q.speaker else None
            errors.append(f"SPURIOUS  quote [{who}] {snippet(q.text)}")

    # attributions
    gold_a = []
    for a in rec["attributions"]:
        if a["type"] == "direct":
            gi = next((i for i, g in enumerate(rec["quotes"]) if [g["start"], g["end"]] == a["quote"]), None)
            g = gold_q[gi] if gi is not None else None
            if g is None:
                continue
            gold_a.append({**a, "gi": gi, "sent": sent_of(g["s"])})
        else:
            pos = locate(raw, text, a["anchor"], len(a["anchor_text"]))
            gold_a.append({**a, "gi": None, "sent": sent_of(pos) if pos is not None else None})
    units = []  # (kind, sentences, name, label, index)
    for si, q in enumerate(sys_q):
        if q.speaker is not None:
            units.append(("direct", set(q.sentences), q.speaker.name, q.text, si))
    for c in analysis.claims:
        if c.source is not None:
            units.append((c.cue, {c.sentence}, c.source.name, c.content, None))
    counts["gold_attr"] = len(gold_a)
    counts["sys_attr"] = len(units)
    used: set[int] = set()
    for a in sorted(gold_a, key=lambda a: a["type"] != "direct"):
        hit = None
        for ui, u in enumerate(units):
            if ui in used or a["sent"] is None or a["sent"] not in u[1]:
                continue
            if not names_match(u[2], a["source"], a["source_alt"]):
                continue
            if a["type"] == "direct" and (u[4] is None or g2s.get(a["gi"]) != u[4]):
                continue
            hit = ui
            break
        if hit is None and a["type"] != "direct":
            # any unit of the same sentence with the right source (a quote the gold calls a term)
            for ui, u in enumerate(units):
                if ui not in used and a["sent"] in u[1] and names_match(u[2], a["source"], a["source_alt"]):
                    hit = ui
                    break
        if hit is None:
            sent_text = next((s.text for s in analysis.sentences if s.index == a["sent"]), a["anchor_text"])
            found = [u[2] for u in units if a["sent"] in u[1]]
            errors.append(f"ATTR-MISS {a['type']:12} [{a['source']}] {snippet(sent_text, 60)}"
                          + (f" (system has {found})" if found else ""))
        else:
            used.add(hit)
            counts["attr_tp"] += 1
    for ui, u in enumerate(units):
        if ui not in used:
            errors.append(f"ATTR-SPUR {u[0]!s:12} [{u[2]}] {snippet(u[3], 60)}")
    return counts, errors


def run(split: str, model: str | None, show_errors: bool, opinion: bool, as_json: bool) -> int:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from newsreader.core.analysis.pipeline import analyze_many, load_nlp, model_name
    from newsreader.core.ingest import load_text

    records = [json.loads(line) for line in DEVSET.read_text(encoding="utf-8").splitlines() if line.strip()]
    if split != "all":
        records = [r for r in records if r["split"] == split]
    nlp = load_nlp(model)
    articles = [load_text(r["text"], location=r["id"]) for r in records]
    analyses = list(analyze_many(articles, nlp))
    per_split: dict[str, dict] = defaultdict(lambda: defaultdict(int))
    all_errors: list[tuple[str, str, str]] = []
    for rec, art, an in zip(records, articles, analyses):
        counts, errors = score_article(rec, art, an)
        for key in (rec["split"], "written" if rec["split"] in ("dev", "heldout") else None, "all"):
            if key:
                for k, v in counts.items():
                    per_split[key][k] += v
        all_errors.extend((rec["split"], rec["id"], e) for e in errors)

    rows = {}
    for key in [s for s in (*SPLITS, "written", "all") if s in per_split]:
        c = per_split[key]
        qp, qr, qf = prf(c["quote_tp"], c["sys_quotes"], c["gold_quotes"])
        sp, sr, sf = prf(c["span_tp"], c["sys_quotes"], c["gold_quotes"])
        acc = c["quote_tp"] / c["span_tp"] if c["span_tp"] else 0.0
        ap, ar, af = prf(c["attr_tp"], c["sys_attr"], c["gold_attr"])
        rows[key] = {"quote_speaker": (qp, qr, qf), "quote_span": (sp, sr, sf), "speaker_accuracy": acc,
                     "attribution": (ap, ar, af), "gold_quotes": c["gold_quotes"],
                     "gold_attributions": c["gold_attr"]}
    opinion_rows = {}
    if opinion:
        try:
            from score_opinion import score_opinion  # written alongside; optional
            res = score_opinion(model=model)
            opinion_rows = {k: v["macro_f1"] for k, v in res["splits"].items()}
            blind = ROOT / "benchmarks" / "devset" / "opinion_blind.jsonl"
            if blind.exists() and split in ("blind", "all"):
                opinion_rows["blind"] = score_opinion(blind, model=model)["splits"]["blind"]["macro_f1"]
        except FileNotFoundError:
            opinion_rows = {}
        except ImportError:
            opinion_rows = {}

    if as_json:
        print(json.dumps({"model": model_name(nlp), "splits": rows, "opinion_macro_f1": opinion_rows,
                          "errors": [list(e) for e in all_errors]}, indent=1))
        return 0
    if show_errors:
        current = None
        for sp, aid, e in all_errors:
            if aid != current:
                print(f"\n## {aid} ({sp})")
                current = aid
            print("  " + e)
        print()
    print(f"model: {model_name(nlp)}   dev set: {DEVSET.relative_to(ROOT)}")
    head = (f"{'split':8} {'quotes':>6} {'Q+spk P':>8} {'R':>6} {'F1':>6} {'span F1':>8} {'spk acc':>8}"
            f" {'attrs':>6} {'attr P':>7} {'R':>6} {'F1':>6} {'opin F1':>8}")
    print(head)
    print("-" * len(head))
    for key, r in rows.items():
        qp, qr, qf = r["quote_speaker"]
        ap, ar, af = r["attribution"]
        op = opinion_rows.get(key)
        print(f"{key:8} {r['gold_quotes']:6d} {qp:8.3f} {qr:6.3f} {qf:6.3f} {r['quote_span'][2]:8.3f}"
              f" {r['speaker_accuracy']:8.3f} {r['gold_attributions']:6d} {ap:7.3f} {ar:6.3f} {af:6.3f}"
              f" {('%8.3f' % op) if op is not None else '       -'}")
    print("targets: quote+speaker F1 >= 0.75, speaker accuracy >= 0.90, attribution F1 >= 0.50,"
          " opinion macro-F1 >= 0.60")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", default="all", choices=[*SPLITS, "all"])
    ap.add_argument("--model", default=None)
    ap.add_argument("--no-errors", action="store_true", help="print only the table")
    ap.add_argument("--no-opinion", action="store_true", help="skip the opinion score")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    return run(args.split, args.model, not args.no_errors, not args.no_opinion, args.json)


if __name__ == "__main__":
    raise SystemExit(main())
