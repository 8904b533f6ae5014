"""``newsreader remove``: take articles out of the library, carefully."""
from __future__ import annotations

import argparse
import sys
import unicodedata

from ..cli import add_common


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "remove", help="remove articles from the library",
        description="Remove articles (by id, or a unique prefix of at least 4 characters, as "
        "shown by `newsreader list`) with their kept web pages. Asks for confirmation on a "
        "terminal; without a terminal it refuses unless --yes. An article with labels is "
        "never removed unless --force (its labels and their history are deleted with it).")
    p.add_argument("ids", nargs="+", metavar="ID", help="article id or unique prefix")
    p.add_argument("--yes", "-y", action="store_true", help="do not ask for confirmation")
    p.add_argument("--force", action="store_true",
                   help="also remove articles that have labels, deleting the labels")
    add_common(p)


def _safe(text: str | None, width: int = 60) -> str:
    if not text:
        return ""
    out = "".join(" " if ch in "\t\n\r" else
                  ("\ufffd" if unicodedata.category(ch) in ("Cc", "Cf") else ch) for ch in text)
    out = " ".join(out.split())
    return out if len(out) <= width else out[: width - 1] + "…"


def _confirm(prompt: str) -> bool:
    sys.stderr.write(prompt)
    sys.stderr.flush()
    try:
        answer = sys.stdin.readline()
    except (OSError, KeyboardInterrupt):
        sys.stderr.write("\n")
        return False
    return answer.strip().lower() in ("y", "yes")


def run(args: argparse.Namespace) -> int:
    from .. import paths
    from ..errors import InputError
    from ..library import label_count, remove, resolve_id
    from ..store import Store

    with Store.open(paths.resolve(args.data_dir).db) as store:
        ids = [resolve_id(store, given) for given in args.ids]
        ids = list(dict.fromkeys(ids))
        plans = []
        for aid in ids:
            n = label_count(store, aid)
            if n and not args.force:
                raise InputError(f"{aid}: has {n} label{'s' if n != 1 else ''}; not removed "
                                 "(use --force to delete the article and its labels)")
            plans.append((aid, n, store.get_article(aid)))
        if not args.yes:
            if not sys.stdin.isatty():
                raise InputError("not removing without confirmation: stdin is not a terminal "
                                 "(pass --yes)")
            for aid, n, art in plans:
                title = _safe(art.title if art else None) or "(untitled)"
                extra = f" and its {n} label{'s' if n != 1 else ''}" if n else ""
                if not _confirm(f"remove {aid} {title}{extra}? [y/N] "):
                    print(f"newsreader: {aid} not removed", file=sys.stderr)
                    return 1
        for aid, n, art in plans:
            result = remove(store, aid, force=args.force)
            extra = f" with {n} label{'s' if n != 1 else ''}" if n else ""
            print(f"removed  {aid}  {_safe(result.title) or '(untitled)'}{extra}")
    return 0
