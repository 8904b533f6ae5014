"""Labels back into the store from a CSV or JSONL export (see docs/schema.md).

Files are read as a stream, validated completely first (so a bad line aborts
before anything is written), then merged in batches with
``Store.import_rows``, which is idempotent.
"""
from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any, Iterator

from .errors import InputError
from .export import CSV_COLUMNS, unneutralise
from .models import LABELS
from .store import ExportRow, Store

REQUIRED = ("article_id", "sentence_index", "char_start", "char_end", "sentence", "label",
            "annotator")
_OPTIONAL_TEXT = ("article_title", "article_date", "source", "url", "location", "author",
                  "suggested_label")

csv.field_size_limit(1 << 28)


def detect_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    if suffix == ".spacy":
        raise InputError(f"{path}: a .spacy DocBin cannot be imported (it holds no annotators "
                         "or times); import the CSV or JSONL export instead")
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    return "jsonl" if head.startswith(b"{") else "csv"


def _int(value: Any, path: Path, line: int, name: str) -> int:
    if isinstance(value, bool):
        raise InputError(f"{path}:{line}: {name} must be a whole number, not {value!r}")
    try:
        n = int(value)
    except (TypeError, ValueError):
        raise InputError(f"{path}:{line}: {name} must be a whole number, not {value!r}") from None
    if n < 0:
        raise InputError(f"{path}:{line}: {name} must not be negative ({n})")
    return n


def _bool(value: Any, path: Path, line: int, name: str) -> bool | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    low = str(value).strip().lower()
    if low in ("true", "1", "yes"):
        return True
    if low in ("false", "0", "no"):
        return False
    raise InputError(f"{path}:{line}: {name} must be true or false, not {value!r}")


def _row(d: dict[str, Any], path: Path, line: int) -> ExportRow:
    for name in REQUIRED:
        if d.get(name) in (None, "") and name != "sentence":
            raise InputError(f"{path}:{line}: {name} is empty")
    label = d["label"]
    if label not in LABELS:
        raise InputError(f"{path}:{line}: unknown label {label!r} (expected "
                         f"{', '.join(LABELS)})")
    start = _int(d["char_start"], path, line, "char_start")
    end = _int(d["char_end"], path, line, "char_end")
    if end < start:
        raise InputError(f"{path}:{line}: char_end {end} is before char_start {start}")
    text = {k: (d.get(k) if d.get(k) not in ("",) else None) for k in _OPTIONAL_TEXT}
    for k, v in text.items():
        if v is not None and not isinstance(v, str):
            raise InputError(f"{path}:{line}: {k} must be text, not {v!r}")
    suggested = text["suggested_label"]
    if suggested is not None and suggested not in LABELS:
        raise InputError(f"{path}:{line}: unknown suggested_label {suggested!r}")
    sentence = d.get("sentence")
    if not isinstance(sentence, str):
        raise InputError(f"{path}:{line}: sentence must be text")
    return ExportRow(
        article_id=str(d["article_id"]), article_title=text["article_title"],
        article_date=text["article_date"], source=text["source"], url=text["url"],
        location=text["location"], author=text["author"],
        sentence_index=_int(d["sentence_index"], path, line, "sentence_index"),
        char_start=start, char_end=end, sentence=sentence, label=label,
        annotator=str(d["annotator"]), created_at=str(d.get("created_at") or ""),
        updated_at=str(d.get("updated_at") or ""), suggested_label=suggested,
        suggestion_accepted=_bool(d.get("suggestion_accepted"), path, line,
                                  "suggestion_accepted"),
        orphaned=bool(_bool(d.get("orphaned"), path, line, "orphaned")),
    )


def read_csv(path: Path) -> Iterator[ExportRow]:
    try:
        fh = open(path, encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    with fh:
        reader = csv.reader(fh)
        try:
            header = next(reader, None)
            if header is None:
                raise InputError(f"{path}: empty file, expected a newsreader CSV export")
            header = [unneutralise(h).strip() for h in header]
            missing = [c for c in REQUIRED if c not in header]
            if missing:
                raise InputError(f"{path}: not a newsreader CSV export (missing columns: "
                                 f"{', '.join(missing)})")
            width = len(header)
            for cells in reader:
                if not cells or cells == [""]:
                    continue
                if len(cells) != width:
                    raise InputError(f"{path}:{reader.line_num}: {len(cells)} cells, the header "
                                     f"has {width}")
                d = {h: unneutralise(c) for h, c in zip(header, cells)}
                yield _row(d, path, reader.line_num)
        except UnicodeDecodeError as exc:
            raise InputError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start}); "
                             "save it as UTF-8") from None
        except csv.Error as exc:
            raise InputError(f"{path}:{reader.line_num}: malformed CSV ({exc})") from None


def read_jsonl(path: Path, skipped: list[int] | None = None) -> Iterator[ExportRow]:
    try:
        fh = open(path, encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    with fh:
        try:
            for n, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise InputError(f"{path}:{n}: not JSON ({exc.msg})") from None
                if not isinstance(rec, dict) or not isinstance(rec.get("meta"), dict):
                    raise InputError(f"{path}:{n}: expected a record with text, label, answer "
                                     "and meta")
                if rec.get("answer", "accept") != "accept":
                    if skipped is not None:
                        skipped.append(n)
                    continue
                d = dict(rec["meta"])
                d["sentence"] = rec.get("text")
                d["label"] = rec.get("label")
                yield _row(d, path, n)
        except UnicodeDecodeError as exc:
            raise InputError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start}); "
                             "save it as UTF-8") from None


def read(path: Path, fmt: str | None = None) -> Iterator[ExportRow]:
    fmt = fmt or detect_format(path)
    return read_csv(path) if fmt == "csv" else read_jsonl(path)


def import_file(store: Store, path: Path | str, fmt: str | None = None) -> dict[str, int]:
    """Validate the whole file, then merge it. Returns counts (added/updated/same/articles)."""
    path = Path(path)
    if path.is_dir():
        raise InputError(f"{path} is a directory; give an exported .csv or .jsonl file")
    if not path.exists():
        raise InputError(f"{path} does not exist")
    fmt = fmt or detect_format(path)
    skipped: list[int] = []
    reader = read_csv if fmt == "csv" else (lambda p: read_jsonl(p, skipped))
    total = sum(1 for _ in reader(path))  # validation pass: nothing written yet
    skipped.clear()
    counts = store.import_rows(reader(path))
    counts["rows"] = total
    counts["skipped"] = len(skipped)
    return counts


__all__ = ["CSV_COLUMNS", "detect_format", "import_file", "read", "read_csv", "read_jsonl"]
