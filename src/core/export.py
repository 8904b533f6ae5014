"""Labels out of the store: CSV (RFC 4180), Prodigy-style JSONL, spaCy DocBin.

Every writer consumes an iterator of ``store.ExportRow`` (a database cursor),
so memory stays flat however many labels there are (except ``.spacy``: a
DocBin is built in memory by spaCy).

Formula injection (CSV only): a cell whose text, after any leading single
quotes, starts with ``=``, ``+``, ``-``, ``@``, tab or carriage return gets
one extra leading ``'``. Import removes exactly that one quote from cells of
the same shape, so export -> import -> export is byte-identical even for text
that genuinely starts with quotes. docs/schema.md states the rule.
"""
from __future__ import annotations

import csv
import io
import json
import os
import re
import tempfile
from pathlib import Path
from typing import IO, Any, Callable, Iterable

from .models import LABELS
from .store import ExportRow
from .text import json_safe

CSV_COLUMNS = (
    "article_id", "article_title", "article_date", "source", "url", "location", "author",
    "sentence_index", "char_start", "char_end", "sentence", "label", "annotator",
    "created_at", "updated_at", "suggested_label", "suggestion_accepted", "orphaned",
)
FORMATS = ("csv", "jsonl", "spacy")

FORMULA_TRIGGERS = "=+-@\t\r"
_NEEDS_GUARD = re.compile("^'*[" + re.escape(FORMULA_TRIGGERS) + "]")
_GUARDED = re.compile("^'+[" + re.escape(FORMULA_TRIGGERS) + "]")


def neutralise(cell: str) -> str:
    """Prefix ``'`` to a cell a spreadsheet would run as a formula (reversibly)."""
    return "'" + cell if _NEEDS_GUARD.match(cell) else cell


def unneutralise(cell: str) -> str:
    """Exact inverse of ``neutralise``."""
    return cell[1:] if _GUARDED.match(cell) else cell


def _bool_cell(v: bool | None) -> str:
    return "" if v is None else ("true" if v else "false")


def csv_cells(r: ExportRow) -> list[str]:
    values: list[Any] = [
        r.article_id, r.article_title, r.article_date, r.source, r.url, r.location, r.author,
        r.sentence_index, r.char_start, r.char_end, r.sentence, r.label, r.annotator,
        r.created_at, r.updated_at, r.suggested_label, _bool_cell(r.suggestion_accepted),
        _bool_cell(r.orphaned),
    ]
    return [neutralise("" if v is None else str(v)) for v in values]


def write_csv(rows: Iterable[ExportRow], out: IO[str]) -> int:
    """``out`` must be opened with ``newline=""`` (the writer emits CRLF itself)."""
    w = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(CSV_COLUMNS)
    n = 0
    for r in rows:
        w.writerow(csv_cells(r))
        n += 1
    return n



def jsonl_record(r: ExportRow) -> dict[str, Any]:
    return {
        "text": r.sentence,
        "label": r.label,
        "answer": "accept",
        "meta": {
            "article_id": r.article_id,
            "article_title": r.article_title,
            "article_date": r.article_date,
            "source": r.source,
            "url": r.url,
            "location": r.location,
            "author": r.author,
            "sentence_index": r.sentence_index,
            "char_start": r.char_start,
            "char_end": r.char_end,
            "annotator": r.annotator,
            "created_at": r.created_at,
            "updated_at": r.updated_at,
            "suggested_label": r.suggested_label,
            "suggestion_accepted": r.suggestion_accepted,
            "orphaned": r.orphaned,
        },
    }


def jsonl_line(r: ExportRow) -> str:
    line = json.dumps(jsonl_record(r), ensure_ascii=False, separators=(", ", ": "))
    # line breaks, DEL and C1 controls escaped too: a JSONL export never holds a raw control
    return json_safe(line) + "\n"


def write_jsonl(rows: Iterable[ExportRow], out: IO[str]) -> int:
    n = 0
    for r in rows:
        out.write(jsonl_line(r))
        n += 1
    return n


def build_docbin(rows: Iterable[ExportRow]):
    """A spaCy DocBin: one Doc per label, ``doc.cats`` one-hot over fact/quote/opinion."""
    import spacy  # lazily: only this format needs it
    from spacy.tokens import DocBin

    nlp = spacy.blank("en")
    db = DocBin(store_user_data=True)
    for r in rows:
        doc = nlp.make_doc(r.sentence)
        doc.cats = {label: 1.0 if label == r.label else 0.0 for label in LABELS}
        doc.user_data["newsreader"] = jsonl_record(r)["meta"]
        db.add(doc)
    return db


def write_spacy(rows: Iterable[ExportRow], path: Path) -> int:
    db = build_docbin(rows)
    atomic_write_bytes(Path(path), db.to_bytes())
    return len(db)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    atomic_write(path, lambda fh: fh.write(data), binary=True)


def atomic_write(path: Path, fill: Callable[[IO], Any], *, binary: bool = False) -> Any:
    """Write via a temporary file beside ``path`` and rename: never a half-written export."""
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        if binary:
            fh = os.fdopen(fd, "wb")
        else:
            fh = os.fdopen(fd, "w", encoding="utf-8", newline="")
        with fh:
            result = fill(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644 & ~_umask())
        os.replace(tmp, path)
        return result
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def export(rows: Iterable[ExportRow], fmt: str, output: Path | None,
           stdout: IO[bytes] | None = None) -> int:
    """Write ``rows`` in ``fmt`` to ``output`` (or ``stdout`` for csv/jsonl); returns the count."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    if fmt == "spacy":
        if output is None:
            raise ValueError("the spacy format needs an output file")
        return write_spacy(rows, output)
    writer = write_csv if fmt == "csv" else write_jsonl
    if output is not None:
        return atomic_write(output, lambda fh: writer(rows, fh))
    assert stdout is not None
    text = io.TextIOWrapper(stdout, encoding="utf-8", newline="", write_through=False)
    try:
        return writer(rows, text)
    finally:
        text.flush()
        text.detach()
