"""Score the opinion-vs-not suggestion on benchmarks/devset/opinion.jsonl.

Each line of the dev set is one sentence with a gold label "opinion" or "not"
(docs/guidelines.md): hand-written news sentences (split "dev" or "heldout")
and every sentence of the two bundled samples (split "sample", with the
sentence index in the analysed sample). A written sentence is analysed as a
one-paragraph article and predicted "opinion" when any of its sentences is
suggested as opinion; a sample sentence is looked up in the analysis of its
whole article (so quotes spanning sentences have their context).

    .venv/bin/python benchmarks/score_opinion.py [DEVSET | --devset PATH] [--model NAME] [--errors SPLIT]

The blind set (written independently of the lexicon) is scored with
``--devset benchmarks/devset/opinion_blind.jsonl``.

prints macro-F1 per split and the misclassified sentences.
``score_opinion(path)`` returns the same numbers as a dict (used by
benchmarks/score_analysis.py).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT / "benchmarks" / "devset" / "opinion.jsonl"


def _f1(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def metrics(pairs: list[tuple[str, str]]) -> dict:
    """Binary opinion-vs-not metrics for (gold, predicted) pairs."""
    out: dict = {"n": len(pairs)}
    f1s = []
    for cls in ("opinion", "not"):
        tp = sum(1 for g, p in pairs if g == cls and p == cls)
        fp = sum(1 for g, p in pairs if g != cls and p == cls)
        fn = sum(1 for g, p in pairs if g == cls and p != cls)
        p, r, f = _f1(tp, fp, fn)
        out[cls] = {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3),
                    "support": tp + fn}
        f1s.append(f)
    out["macro_f1"] = round(sum(f1s) / 2, 3)
    out["accuracy"] = round(sum(1 for g, p in pairs if g == p) / len(pairs), 3) if pairs else 0.0
    return out


def score_opinion(devset_path: str | Path = DEFAULT, model: str | None = None) -> dict:
    """Predict every dev-set sentence and score opinion-vs-not.

    Returns {"splits": {split: metrics}, "errors": [{id, split, gold, predicted,
    text, reason}], "model": name}. Splits: each split in the file, plus
    "written" (dev + heldout) and "all".
    """
    sys.path.insert(0, str(ROOT / "src"))  # harmless when installed
    from newsreader.core.analysis.pipeline import analyze, analyze_many, load_nlp, model_name
    from newsreader.core.ingest import load_path
    from newsreader.core.models import Article

    rows = [json.loads(line) for line in Path(devset_path).read_text("utf-8").splitlines()
            if line.strip()]
    nlp = load_nlp(model)

    predicted: dict[str, tuple[str, str]] = {}
    written = [r for r in rows if r.get("split") != "sample"]
    arts = [Article(id=hashlib.sha256(r["text"].encode()).hexdigest()[:16], text=r["text"])
            for r in written]
    for r, an in zip(written, analyze_many(arts, nlp)):
        ops = [s for s in an.sentences if s.suggestion.label == "opinion"]
        if ops:
            predicted[r["id"]] = ("opinion", ops[0].suggestion.reason)
        else:
            reasons = "; ".join(f"{s.suggestion.label}: {s.suggestion.reason}" for s in an.sentences)
            predicted[r["id"]] = ("not", reasons)

    by_source: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        if r.get("split") == "sample":
            by_source[r["source"]].append(r)
    for source, items in by_source.items():
        an = analyze(load_path(str(ROOT / source)), nlp)
        by_text = {s.text: s for s in an.sentences}
        for r in items:
            s = None
            idx = r.get("sentence")
            if idx is not None and idx < len(an.sentences) and an.sentences[idx].text == r["text"]:
                s = an.sentences[idx]
            s = s or by_text.get(r["text"])
            if s is None:
                predicted[r["id"]] = ("not", "sentence not found in the analysis (segmentation changed)")
            else:
                label = "opinion" if s.suggestion.label == "opinion" else "not"
                predicted[r["id"]] = (label, f"{s.suggestion.label}: {s.suggestion.reason}")

    groups: dict[str, list[tuple[str, str]]] = defaultdict(list)
    errors = []
    for r in rows:
        pred, reason = predicted[r["id"]]
        pair = (r["label"], pred)
        split = r.get("split", "dev")
        groups[split].append(pair)
        groups["all"].append(pair)
        if split in ("dev", "heldout"):
            groups["written"].append(pair)
        if pred != r["label"]:
            errors.append({"id": r["id"], "split": split, "gold": r["label"], "predicted": pred,
                           "text": r["text"], "reason": reason})
    return {"model": model_name(nlp),
            "splits": {k: metrics(v) for k, v in groups.items()},
            "errors": errors}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("devset", nargs="?", default=str(DEFAULT))
    ap.add_argument("--devset", dest="devset_flag", metavar="PATH",
                    help="the dev set to score (same as the positional argument)")
    ap.add_argument("--model")
    ap.add_argument("--errors", default="all", metavar="SPLIT",
                    help="show misclassified sentences of this split (default all; 'none')")
    args = ap.parse_args(argv)
    if args.devset_flag:
        args.devset = args.devset_flag
    res = score_opinion(args.devset, args.model)
    print(f"opinion vs not  (model {res['model']}, dev set {args.devset})")
    print(f"{'split':<9} {'n':>4} {'acc':>6} {'P(op)':>6} {'R(op)':>6} {'F1(op)':>7} "
          f"{'F1(not)':>8} {'macro-F1':>9}")
    order = ["dev", "heldout", "written", "sample", "blind", "all"]
    for split in order + [k for k in res["splits"] if k not in order]:
        m = res["splits"].get(split)
        if not m:
            continue
        print(f"{split:<9} {m['n']:>4} {m['accuracy']:>6.3f} {m['opinion']['precision']:>6.3f} "
              f"{m['opinion']['recall']:>6.3f} {m['opinion']['f1']:>7.3f} {m['not']['f1']:>8.3f} "
              f"{m['macro_f1']:>9.3f}")
    if args.errors != "none":
        errs = [e for e in res["errors"] if args.errors == "all" or e["split"] == args.errors]
        print(f"\nmisclassified ({len(errs)}):")
        for e in errs:
            print(f"  [{e['id']}] gold={e['gold']} predicted={e['predicted']}  {e['text']}")
            print(f"      why: {e['reason']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
