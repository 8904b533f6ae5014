"""``newsreader stats``: counts by label, progress, agreement, orphaned labels."""
from __future__ import annotations

import argparse
import json
import sys
import unicodedata

from ..cli import add_common
from ..models import LABELS


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "stats", help="label counts, progress, inter-annotator agreement",
        description="Per article and per annotator: labels by kind and progress (sentences "
        "tagged / sentences in the article). For every pair of annotators who labelled the "
        "same sentences: Cohen's kappa per article and overall, with the number of shared "
        "sentences. Lists labels kept as orphaned after re-segmentation.")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    add_common(p)


def _safe(text: str | None, width: int | None = None) -> str:
    """Printable, single-line text (titles and sentences are untrusted)."""
    if not text:
        return ""
    out = "".join(" " if ch in "\t\n\r" else
                  ("\ufffd" if unicodedata.category(ch) in ("Cc", "Cf") else ch) for ch in text)
    out = " ".join(out.split())
    if width is not None and len(out) > width:
        out = out[: width - 1] + "…"
    return out


def _kappa(k: float | None) -> str:
    return "n/a" if k is None else f"{k:.3f}"


def render(s: dict) -> str:
    t = s["totals"]
    lines = [f"store: {s['store']}",
             f"{t['articles']} article{'s' if t['articles'] != 1 else ''}, {t['annotators']} "
             f"annotator{'s' if t['annotators'] != 1 else ''}, {t['labels']} label"
             f"{'s' if t['labels'] != 1 else ''} ({t['orphaned']} orphaned)", ""]
    lines.append("articles")
    head = f"  {'article':<40} {'annotator':<16} " + " ".join(f"{x:>7}" for x in LABELS) + \
        "  progress"
    lines.append(head)
    for a in s["articles"]:
        name = _safe(a["title"], 22) or "(untitled)"
        label = f"{name} [{a['id'][:12]}]"
        if not a["annotators"]:
            total = a["n_sentences"] if a["n_sentences"] is not None else "?"
            lines.append(f"  {label:<40} {'-':<16} " + " ".join(f"{0:>7}" for _ in LABELS) +
                         f"  0/{total}")
        for who, d in a["annotators"].items():
            total = d["total"] if d["total"] is not None else "?"
            pct = f" {d['progress'] * 100:.0f}%" if d["progress"] is not None else ""
            lines.append(f"  {label:<40} {_safe(who, 16):<16} " +
                         " ".join(f"{d[x]:>7}" for x in LABELS) + f"  {d['tagged']}/{total}{pct}")
            label = ""
    lines += ["", "annotators"]
    if not s["annotators"]:
        lines.append("  (no labels yet)")
    for who, d in s["annotators"].items():
        lines.append(f"  {_safe(who, 16):<16} " + " ".join(f"{x} {d[x]}" for x in LABELS) +
                     f"  ({d['tagged']} in {d['articles']} article"
                     f"{'s' if d['articles'] != 1 else ''}"
                     + (f", {d['orphaned']} orphaned" if d["orphaned"] else "") + ")")
    lines += ["", "agreement (Cohen's kappa on sentences both annotators labelled)"]
    if not s["agreement"]:
        lines.append("  (no sentence labelled by two annotators)")
    for p in s["agreement"]:
        a, b = (_safe(x, 16) for x in p["annotators"])
        lines.append(f"  {a} / {b}: kappa {_kappa(p['kappa'])} on {p['shared']} shared "
                     f"sentence{'s' if p['shared'] != 1 else ''} (agree {p['observed']:.0%})")
        for r in p["articles"]:
            lines.append(f"    {r['article_id'][:12]:<12}  kappa {_kappa(r['kappa']):>6}  "
                         f"shared {r['shared']}")
    lines += ["", "orphaned labels (kept; their sentence is gone after re-segmentation)"]
    if not s["orphaned"]:
        lines.append("  none")
    for o in s["orphaned"]:
        lines.append(f"  {o['article_id'][:12]}  {_safe(o['annotator'], 16)}  was #"
                     f"{o['sentence_index']} [{o['char_start']}:{o['char_end']}] {o['label']}: "
                     f"\"{_safe(o['sentence'], 60)}\"")
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    from .. import paths
    from ..agreement import store_stats
    from ..store import Store

    with Store.open_for_reading(paths.resolve(args.data_dir).db) as store:
        s = store_stats(store)
    if args.json:
        from ..text import json_safe

        sys.stdout.write(json_safe(json.dumps(s, ensure_ascii=False, indent=2)) + "\n")
    else:
        sys.stdout.write(render(s))
    return 0
