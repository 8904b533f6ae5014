"""``newsreader import FILE``: merge a CSV or JSONL export back into the store."""
from __future__ import annotations

import argparse
import sys

from ..cli import add_common


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "import", help="merge labels from a CSV or JSONL export",
        description="Read a file written by `newsreader export` (CSV or JSONL, detected from the "
        "extension, else the content) and merge its labels into the store. Articles the store "
        "does not have are created from the file's metadata. Importing the same file twice "
        "changes nothing; for a label present in both, the later updated_at wins. The whole "
        "file is checked before anything is written.")
    p.add_argument("file", metavar="FILE", help="an exported .csv or .jsonl file")
    p.add_argument("--format", choices=("csv", "jsonl"), help="override detection")
    add_common(p)


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .. import paths
    from ..importer import import_file
    from ..store import Store

    with Store.open(paths.resolve(args.data_dir).db) as store:
        c = import_file(store, Path(args.file), args.format)
    msg = (f"newsreader: {args.file}: {c['rows']} labels read; {c['added']} added, "
           f"{c['updated']} updated, {c['same']} unchanged; {c['articles']} new articles")
    if c["skipped"]:
        msg += f"; {c['skipped']} records not answered 'accept' skipped"
    print(msg, file=sys.stderr)
    return 0
