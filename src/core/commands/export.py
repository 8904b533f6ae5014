"""``newsreader export``: labels to CSV (stdout), JSONL (stdout) or a spaCy DocBin."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..cli import add_common
from ..errors import InputError, UsageError
from ..models import LABELS


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "export", help="write labels as CSV, JSONL or a spaCy DocBin",
        description="Write every label in the store (orphaned ones included, flagged) as CSV "
        "(default) or JSONL to stdout, or to --output FILE. The spacy format writes a DocBin "
        "for training a text classifier and needs --output. --annotator, --article and "
        "--label select; by default everyone's labels are exported. Columns: docs/schema.md.")
    p.add_argument("--format", choices=("csv", "jsonl", "spacy"), default="csv")
    p.add_argument("--output", "-o", metavar="FILE", help="write here (replaced atomically) "
                   "instead of stdout")
    p.add_argument("--article", metavar="ID", help="only this article (its id or a unique "
                   "prefix of at least 4 characters)")
    p.add_argument("--label", choices=LABELS, help="only this label")
    p.add_argument("--salvage", action="store_true", help="the store is damaged: write every "
                   "label that can still be read from it (the file is only read; import the "
                   "result into a new store)")
    add_common(p)


def run(args: argparse.Namespace) -> int:
    from .. import paths
    from ..export import export
    from ..store import Store

    output = Path(args.output) if args.output else None
    if args.format == "spacy" and output is None:
        raise UsageError("export --format spacy needs --output FILE.spacy")
    if output is not None:
        if output.is_dir():
            raise InputError(f"{output} is a directory; give a file name for --output")
        parent = output.parent if str(output.parent) else Path(".")
        if not parent.is_dir():
            raise InputError(f"cannot write {output}: directory {parent} does not exist")
    db = paths.resolve(args.data_dir).db
    if args.salvage:
        return _salvage(args, db, output)
    with Store.open_for_reading(db) as store:
        article = None
        if args.article:
            from ..library import resolve_id  # full id or a unique prefix

            article = resolve_id(store, args.article)
        rows = store.iter_export(annotator=args.annotator or None, article_id=article,
                                 label=args.label)
        try:
            n = export(rows, args.format, output, stdout=sys.stdout.buffer)
        except OSError as exc:
            if isinstance(exc, BrokenPipeError):
                raise
            raise InputError(f"cannot write {output or 'stdout'}: {exc.strerror or exc}") from None
    if output is not None:
        print(f"newsreader: wrote {n} label{'s' if n != 1 else ''} to {output}", file=sys.stderr)
    return 0


def _salvage(args: argparse.Namespace, db: Path, output: Path | None) -> int:
    """Export from a damaged store: its readable rows go to a temporary store first."""
    import tempfile

    from ..export import export
    from ..store import Store

    if not db.is_file():
        raise InputError(f"{db} does not exist; there is nothing to salvage")
    with tempfile.TemporaryDirectory(prefix="newsreader-salvage-") as tmp:
        report = Store.salvage(db, Path(tmp) / "salvaged.db")
        with report.store as store:
            article = None
            if args.article:
                from ..library import resolve_id

                article = resolve_id(store, args.article)
            rows = store.iter_export(annotator=args.annotator or None, article_id=article,
                                     label=args.label)
            try:
                n = export(rows, args.format, output, stdout=sys.stdout.buffer)
            except OSError as exc:
                if isinstance(exc, BrokenPipeError):
                    raise
                raise InputError(f"cannot write {output or 'stdout'}: {exc.strerror or exc}") \
                    from None
    lost = f"; {report.placeholders} article texts were lost (placeholders keep each label's " \
        "sentence at its offsets)" if report.placeholders else ""
    print(f"newsreader: salvaged {n} label{'s' if n != 1 else ''} from {db} "
          f"({report.articles} articles, {report.events} events readable{lost}); "
          f"{db} was not changed", file=sys.stderr)
    return 0
