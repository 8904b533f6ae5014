"""``newsreader list``: the library, one article per line (or JSON)."""
from __future__ import annotations

import argparse
import json
import sys
import unicodedata

from ..cli import add_common


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "list", help="list the articles in the library",
        description="Every article in the library, newest first: id, story, date, sentence "
        "count, sentences tagged, source, title and where it came from (file or URL). "
        "STORY groups articles about the same event (from shared people, organisations and "
        "places, and dates); it needs the articles' analyses, which `newsreader add` computes. "
        "TAGGED counts the sentences labelled by anyone, or by --annotator if given.")
    p.add_argument("--json", action="store_true", help="a JSON array, one object per article")
    p.add_argument("--no-stories", dest="stories", action="store_false",
                   help="skip story grouping (faster on a large library)")
    p.add_argument("--model", metavar="NAME", help="whose cached analyses to use for stories")
    add_common(p)


def _safe(text: str | None, width: int | None = None) -> str:
    if not text:
        return ""
    out = "".join(" " if ch in "\t\n\r" else
                  ("\ufffd" if unicodedata.category(ch) in ("Cc", "Cf") else ch) for ch in text)
    out = " ".join(out.split())
    if width is not None and len(out) > width:
        out = out[: width - 1] + "…"
    return out


def run(args: argparse.Namespace) -> int:
    from .. import paths
    from ..errors import ModelError
    from ..library import group_stories, story_index
    from ..store import Store

    where = paths.resolve(args.data_dir)
    with Store.open_for_reading(where.db) as store:
        summaries = store.list_articles(args.annotator or None)
        stories = []
        if args.stories and len(summaries) > 1:
            try:
                stories = group_stories(store, cache_dir=where.analysis_cache, model=args.model)
            except ModelError:
                stories = []  # no model installed: no analyses to group by
    index = story_index(stories)
    if args.json:
        out = [{"id": s.id, "title": s.title, "source": s.source, "date": s.date,
                "location": s.location, "added_at": s.added_at, "n_sentences": s.n_sentences,
                "n_tagged": s.n_tagged, "story": index.get(s.id)} for s in summaries]
        from ..text import json_safe

        sys.stdout.write(json_safe(json.dumps(out, ensure_ascii=False, indent=1)))
        sys.stdout.write("\n")
        return 0
    if not summaries:
        print("the library is empty; add articles with `newsreader add FILE|DIR|URL`")
        return 0
    print(f"{'ID':<16}  {'STORY':<10}  {'DATE':<10}  {'SENT':>5}  {'TAGGED':>6}  "
          f"{'SOURCE':<20}  {'TITLE':<50}  LOCATION")
    for s in summaries:
        n = "?" if s.n_sentences is None else str(s.n_sentences)
        print(f"{s.id:<16}  {index.get(s.id, '-'):<10}  {s.date or '-':<10}  {n:>5}  "
              f"{s.n_tagged:>6}  {_safe(s.source, 20) or '-':<20}  "
              f"{_safe(s.title, 50) or '(untitled)':<50}  {_safe(s.location) or '-'}")
    if stories:
        print()
        for st in stories:
            print(f"story {st.id}: {len(st.article_ids)} articles, "
                  f"{st.first_date or '?'}..{st.last_date or '?'}: "
                  f"{_safe(st.title, 60) or '(untitled)'} ({_safe(', '.join(st.names[:5]))})")
    return 0
