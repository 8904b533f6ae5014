"""The local store: articles, every label, and the append-only event log.

One SQLite file (``paths.resolve(...).db``), shared by any number of
annotators and processes. Every ``tag``/``clear``/``undo``/``redo`` is one
write transaction, committed (and fsynced: WAL with ``synchronous=FULL``)
before the method returns, so a label the UI shows as saved survives a
crash or SIGKILL.

SQL here is portable (plain DB-API with ``?`` placeholders, no SQLite-only
syntax); the SQLite specifics live in ``migrations.py`` behind ``Backend``.

Undo/redo (per annotator, per article), replayed from the event log:

* ``tag``/``clear`` push a change and empty that annotator's redo chain;
* ``undo`` reverts the latest change not yet undone and puts it on the redo chain;
* ``redo`` re-applies the most recently undone change;
* ``import``, ``reanchor`` and ``remove`` events are barriers: history before
  them cannot be undone (sentence indexes may have moved, rows may be gone).

A ``tag`` with the label already in force, or a ``clear`` of an untagged
sentence, changes nothing and logs nothing.
"""
from __future__ import annotations

import datetime as _dt
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Sequence

from .errors import StoreError
from .migrations import SCHEMA_VERSION, Backend, SQLiteBackend
from .models import LABELS, Article, Sentence, Suggestion

__all__ = ["Store", "ArticleSummary", "Annotation", "Change", "ReanchorReport", "ExportRow",
           "SalvageReport", "SCHEMA_VERSION", "now"]


def now() -> str:
    """UTC timestamp, ISO 8601 with microseconds (sorts as text)."""
    return _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class ArticleSummary:
    id: str
    title: str | None
    source: str | None
    date: str | None
    location: str | None
    added_at: str
    n_sentences: int | None
    n_tagged: int


@dataclass(frozen=True)
class Annotation:
    article_id: str
    sentence_index: int
    start: int
    end: int
    text: str
    label: str
    annotator: str
    created_at: str
    updated_at: str
    suggested_label: str | None
    suggestion_accepted: bool | None
    orphaned: bool = False


@dataclass(frozen=True)
class Change:
    sentence_index: int
    label: str | None   # the label now in force (None: untagged)


@dataclass(frozen=True)
class ReanchorReport:
    article_id: str
    unchanged: int      # same sentence index and text
    moved: int          # re-attached to another index (or re-attached from orphaned)
    orphaned: tuple[Annotation, ...]  # kept, flagged, reported by `newsreader stats`

    @property
    def n_orphaned(self) -> int:
        return len(self.orphaned)


@dataclass(frozen=True)
class SalvageReport:
    """What ``Store.salvage`` got out of a damaged file; ``store`` is the new store (open)."""
    store: "Store"
    articles: int       # article rows read
    labels: int         # labelled annotation rows read
    rows: int           # annotation rows copied (cleared rows included)
    events: int         # event-log rows read
    placeholders: int   # articles whose row was lost, recreated from their labels


@dataclass(frozen=True)
class ExportRow:
    """One annotation with its article's metadata, in export order."""
    article_id: str
    article_title: str | None
    article_date: str | None
    source: str | None
    url: str | None
    location: str | None
    author: str | None
    sentence_index: int
    char_start: int
    char_end: int
    sentence: str
    label: str
    annotator: str
    created_at: str
    updated_at: str
    suggested_label: str | None
    suggestion_accepted: bool | None
    orphaned: bool


_ANN_COLS = ("article_id, sentence_index, char_start, char_end, sentence, label, annotator, "
             "created_at, updated_at, suggested_label, suggestion_accepted, orphaned")

_BARRIERS = ("import", "reanchor", "remove")


def _bool(v: Any) -> bool | None:
    return None if v is None else bool(v)


def _annotation(row: tuple) -> Annotation:
    return Annotation(row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7], row[8],
                      row[9], _bool(row[10]), bool(row[11]))


def _check_label(label: str) -> None:
    if label not in LABELS:
        raise ValueError(f"unknown label {label!r}; expected one of {', '.join(LABELS)}")


def _accepted(label: str | None, suggested: str | None) -> int | None:
    if label is None or suggested is None:
        return None
    return int(label == suggested)


_WS = re.compile(r"\s+")


def _squash(text: str) -> str:
    return _WS.sub(" ", text).strip()


class Store:
    """Open with ``Store.open(paths.resolve(data_dir).db)``; use as a context manager."""

    def __init__(self, backend: Backend):
        self._db = backend

    # -- lifecycle --------------------------------------------------------
    @classmethod
    def open(cls, path: Path | str, *, readonly: bool = False) -> "Store":
        return cls(SQLiteBackend(Path(path), readonly=readonly))

    @classmethod
    def open_for_reading(cls, path: Path | str) -> "Store":
        """For commands that only read (export, list, stats): a store that cannot be
        written (read-only file, directory or file system, a full disk) is opened
        read-only instead of refused, so its labels can always be got out."""
        path = Path(path)
        try:
            return cls.open(path)
        except StoreError as exc:
            msg = str(exc)
            cannot_write = not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)) \
                or any(w in msg for w in ("cannot write", "read-only", "disk is full"))
            if not (path.is_file() and os.access(path, os.R_OK) and cannot_write):
                raise   # damaged, newer, locked...: reading would not help (and may add files)
            first = exc
        try:  # read-only file, directory or file system, or a full disk
            return cls.open(path, readonly=True)
        except StoreError:
            raise first from None

    @classmethod
    def salvage(cls, damaged: Path | str, dest: Path | str) -> "SalvageReport":
        """Copy every label, article and event still readable in a damaged store
        into a new store at ``dest``; ``damaged`` is only read.

        A label whose article row is lost gets a placeholder article that keeps
        the sentence at its offsets (as ``import`` does), so nothing readable is
        dropped; the real text replaces it when the article is added again.
        """
        import tempfile

        from .migrations import read_damaged

        with tempfile.TemporaryDirectory(prefix="newsreader-salvage-") as work:
            tables = read_damaged(Path(damaged), Path(work))
        store = cls.open(dest)
        try:
            placeholders = 0

            def fn(db: Backend) -> int:
                nonlocal placeholders
                have = set()
                for r in tables["articles"]:
                    if r.get("id") is None or r.get("text") is None:
                        continue
                    have.add(r["id"])
                    db.execute("INSERT OR IGNORE INTO articles (id, title, date, source, url, "
                               "location, author, text, added_at, n_sentences) VALUES "
                               "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                               (r["id"], r.get("title"), r.get("date"), r.get("source"),
                                r.get("url"), r.get("location"), r.get("author"), r["text"],
                                r.get("added_at") or now(), r.get("n_sentences")))
                n = 0
                for r in tables["annotations"]:
                    aid = r.get("article_id")
                    if aid is None or r.get("sentence") is None or r.get("char_start") is None:
                        continue
                    if aid not in have:
                        have.add(aid)
                        placeholders += 1
                        db.execute("INSERT OR IGNORE INTO articles (id, text, added_at) "
                                   "VALUES (?, ?, ?)",
                                   (aid, "", now()))
                    row = db.query_one("SELECT text FROM articles WHERE id = ?", (aid,))
                    if row is None or not isinstance(r["char_start"], int):
                        continue
                    have_text = row[0][r["char_start"]:r["char_start"] + len(r["sentence"])]
                    if have_text != r["sentence"] and not have_text.strip():
                        db.execute("UPDATE articles SET text = ? WHERE id = ?",
                                   (_place(row[0], r["char_start"], r["sentence"]), aid))
                    if r.get("label") not in (None, *LABELS) or not all(
                            isinstance(r.get(k), int) for k in ("sentence_index", "char_end")):
                        continue  # a row from a damaged page
                    db.execute(f"INSERT OR IGNORE INTO annotations ({_ANN_COLS}) VALUES "
                               "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                               (aid, r["sentence_index"], r["char_start"], r["char_end"],
                                r["sentence"], r["label"], r["annotator"], r["created_at"],
                                r["updated_at"], r.get("suggested_label"),
                                r.get("suggestion_accepted"), r.get("orphaned") or 0))
                    n += 1
                for r in tables["events"]:
                    db.execute("INSERT OR IGNORE INTO events (id, time, annotator, article_id, "
                               "sentence_index, kind, label, previous_label, target) VALUES "
                               "(?, ?, ?, ?, ?, ?, ?, ?, ?)",
                               (r["id"], r["time"], r["annotator"], r["article_id"],
                                r["sentence_index"], r["kind"], r["label"],
                                r["previous_label"], r["target"]))
                return n
            labels = store._db.write(fn)
        except BaseException:
            store.close()
            raise
        n_labels = sum(1 for r in tables["annotations"] if r.get("label") is not None)
        return SalvageReport(store, articles=len(tables["articles"]), labels=n_labels,
                             rows=labels, events=len(tables["events"]),
                             placeholders=placeholders)

    @property
    def path(self) -> Path:
        return self._db.path

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def schema_version(self) -> int:
        row = self._db.query_one("PRAGMA user_version")
        return int(row[0]) if row else 0

    # -- articles ---------------------------------------------------------
    def add_article(self, article: Article, n_sentences: int | None = None) -> None:
        """Insert the article, or refresh it if the id is known.

        The id is a hash of the text, so the incoming text is authoritative (it
        replaces the placeholder text of an article created by ``import``);
        metadata already stored is kept, missing metadata is filled in. Empty
        metadata strings are stored as NULL (unknown), as every export writes them.
        """
        meta_in = tuple(v or None for v in (article.title, article.date, article.source,
                                            article.url, article.location, article.author))

        def fn(db: Backend) -> None:
            row = db.query_one("SELECT text, title, date, source, url, location, author, "
                               "n_sentences FROM articles WHERE id = ?", (article.id,))
            if row is None:
                db.execute(
                    "INSERT INTO articles (id, title, date, source, url, location, author, text, "
                    "added_at, n_sentences) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (article.id, *meta_in, article.text, now(), n_sentences))
                return
            text, *meta, old_n = row
            new_meta = [old if old is not None else new for old, new in zip(meta, meta_in)]
            new_n = n_sentences if n_sentences is not None else old_n
            if text != article.text or new_meta != meta or new_n != old_n:
                db.execute("UPDATE articles SET text = ?, title = ?, date = ?, source = ?, "
                           "url = ?, location = ?, author = ?, n_sentences = ? WHERE id = ?",
                           (article.text, *new_meta, new_n, article.id))
        self._db.write(fn)

    def set_sentence_count(self, article_id: str, n: int) -> None:
        self._db.write(lambda db: db.execute(
            "UPDATE articles SET n_sentences = ? WHERE id = ?", (int(n), article_id)))

    def remove_article(self, article_id: str) -> bool:
        """Delete an article and all its labels (orphans included); False if unknown.

        The event log keeps its history (audit) plus a ``remove`` event per
        annotator who had any, which also ends their undo history there.
        """
        def fn(db: Backend) -> bool:
            if db.query_one("SELECT 1 FROM articles WHERE id = ?", (article_id,)) is None:
                return False
            who = [r[0] for r in db.query(
                "SELECT DISTINCT annotator FROM annotations WHERE article_id = ? "
                "ORDER BY annotator", (article_id,))]
            t = now()
            for name in who:
                self._log(db, t, name, article_id, None, "remove", None, None)
            db.execute("DELETE FROM annotations WHERE article_id = ?", (article_id,))
            db.execute("DELETE FROM articles WHERE id = ?", (article_id,))
            return True
        return self._db.write(fn)

    def articles_with_url(self, url: str) -> list[str]:
        """Ids of articles whose ``url`` or ``location`` is ``url`` (oldest first)."""
        return [r[0] for r in self._db.query(
            "SELECT id FROM articles WHERE url = ? OR location = ? ORDER BY added_at, id",
            (url, url))]

    def get_article(self, article_id: str) -> Article | None:
        row = self._db.query_one("SELECT id, text, title, date, source, url, location, author "
                                 "FROM articles WHERE id = ?", (article_id,))
        if row is None:
            return None
        return Article(id=row[0], text=row[1], title=row[2], date=row[3], source=row[4],
                       url=row[5], location=row[6], author=row[7])

    def list_articles(self, annotator: str | None = None,
                      ids: Sequence[str] | None = None) -> list[ArticleSummary]:
        """Newest first. ``n_tagged``: sentences labelled by ``annotator`` (by anyone if None).

        ``ids``: only these articles (those not in the store are left out).
        """
        if annotator is None:
            count = ("SELECT article_id, count(DISTINCT sentence_index) AS n FROM annotations "
                     "WHERE label IS NOT NULL AND orphaned = 0 GROUP BY article_id")
            params: tuple = ()
        else:
            count = ("SELECT article_id, count(*) AS n FROM annotations WHERE label IS NOT NULL "
                     "AND orphaned = 0 AND annotator = ? GROUP BY article_id")
            params = (annotator,)
        where = ""
        if ids is not None:
            ids = list(dict.fromkeys(ids))
            if not ids:
                return []
            where = f"WHERE articles.id IN ({', '.join('?' * len(ids))}) "
            params = (*params, *ids)
        # the articles_library index covers these columns in this order (no sort, and
        # the article texts are never read); the labels are counted in one pass
        sql = ("SELECT id, title, source, date, location, added_at, n_sentences, "
               f"coalesce(c.n, 0) FROM articles LEFT JOIN ({count}) c ON c.article_id = "
               f"articles.id {where}ORDER BY added_at DESC, title, id")
        return [ArticleSummary(*row) for row in self._db.query(sql, params)]

    def article_ids(self) -> list[str]:
        """Every article's id, in list_articles' order (without its per-article counts)."""
        return [row[0] for row in self._db.query(
            "SELECT id FROM articles ORDER BY added_at DESC, title, id", ())]

    def change_marks(self) -> tuple[int, int]:
        """A cheap look at what changed: ``(others, last_event)``.

        ``others`` changes whenever another connection (another process) commits;
        this connection's own writes leave it alone. ``last_event`` is the id of the
        latest event: every label change (tag, clear, undo, redo, re-anchoring,
        import, removal) appends one, from any connection. See :meth:`labels_changed_since`.
        """
        row = self._db.query_one("SELECT coalesce(max(id), 0) FROM events")
        return self._db.data_version(), int(row[0]) if row else 0

    def labels_changed_since(self, event_id: int) -> tuple[int, set[str]]:
        """``(last_event, article ids)``: the articles whose labels changed after
        event ``event_id`` (from :meth:`change_marks`)."""
        last = event_id
        ids: set[str] = set()
        for eid, aid in self._db.query("SELECT id, article_id FROM events WHERE id > ?",
                                       (event_id,)):
            last = max(last, eid)
            ids.add(aid)
        return last, ids

    # -- labels -----------------------------------------------------------
    def _live(self, db: Backend, article_id: str, index: int, annotator: str) -> tuple | None:
        return db.query_one(
            "SELECT id, label, suggested_label FROM annotations WHERE article_id = ? AND "
            "sentence_index = ? AND annotator = ? AND orphaned = 0",
            (article_id, index, annotator))

    def _set_label(self, db: Backend, row_id: int, label: str | None, suggested: str | None,
                   t: str) -> None:
        db.execute("UPDATE annotations SET label = ?, updated_at = ?, suggestion_accepted = ? "
                   "WHERE id = ?", (label, t, _accepted(label, suggested), row_id))

    def _log(self, db: Backend, t: str, annotator: str, article_id: str, index: int | None,
             kind: str, label: str | None, previous: str | None,
             target: int | None = None) -> int:
        return db.execute(
            "INSERT INTO events (time, annotator, article_id, sentence_index, kind, label, "
            "previous_label, target) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (t, annotator, article_id, index, kind, label, previous, target))

    def tag(self, article_id: str, sentence: Sentence, label: str, annotator: str,
            suggestion: Suggestion | None = None) -> str | None:
        """Label one sentence; returns the previous label. Durable when it returns."""
        _check_label(label)

        def fn(db: Backend) -> str | None:
            t = now()
            live = self._live(db, article_id, sentence.index, annotator)
            suggested = suggestion.label if suggestion is not None else None
            if live is None:
                if db.query_one("SELECT 1 FROM articles WHERE id = ?", (article_id,)) is None:
                    raise StoreError(f"article {article_id} is not in {self.path}; "
                                     "add it before tagging")
                db.execute(
                    "INSERT INTO annotations (article_id, sentence_index, char_start, char_end, "
                    "sentence, label, annotator, created_at, updated_at, suggested_label, "
                    "suggestion_accepted, orphaned) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)",
                    (article_id, sentence.index, sentence.start, sentence.end, sentence.text,
                     label, annotator, t, t, suggested, _accepted(label, suggested)))
                previous = None
            else:
                row_id, previous, old_suggested = live
                suggested = suggested if suggested is not None else old_suggested
                if previous == label and suggested == old_suggested:
                    return previous
                db.execute(
                    "UPDATE annotations SET char_start = ?, char_end = ?, sentence = ?, "
                    "label = ?, updated_at = ?, suggested_label = ?, suggestion_accepted = ? "
                    "WHERE id = ?",
                    (sentence.start, sentence.end, sentence.text, label, t, suggested,
                     _accepted(label, suggested), row_id))
                if previous == label:
                    return previous  # only the suggestion changed: not an undoable change
            self._log(db, t, annotator, article_id, sentence.index, "tag", label, previous)
            return previous
        return self._db.write(fn)

    def clear(self, article_id: str, sentence_index: int, annotator: str) -> str | None:
        """Remove a label; returns it (None if there was none). Durable when it returns."""
        def fn(db: Backend) -> str | None:
            live = self._live(db, article_id, sentence_index, annotator)
            if live is None or live[1] is None:
                return None
            t = now()
            self._set_label(db, live[0], None, live[2], t)
            self._log(db, t, annotator, article_id, sentence_index, "clear", None, live[1])
            return live[1]
        return self._db.write(fn)

    def annotations(self, article_id: str, annotator: str) -> dict[int, Annotation]:
        """The annotator's live labels in the article, by sentence index."""
        rows = self._db.query(
            f"SELECT {_ANN_COLS} FROM annotations WHERE article_id = ? AND annotator = ? AND "
            "label IS NOT NULL AND orphaned = 0 ORDER BY sentence_index", (article_id, annotator))
        return {r[1]: _annotation(r) for r in rows}

    def orphans(self, article_id: str | None = None) -> list[Annotation]:
        """Labels kept after re-anchoring could not place them (every annotator)."""
        where = "orphaned = 1 AND label IS NOT NULL"
        params: tuple = ()
        if article_id is not None:
            where += " AND article_id = ?"
            params = (article_id,)
        return [_annotation(r) for r in self._db.query(
            f"SELECT {_ANN_COLS} FROM annotations WHERE {where} "
            "ORDER BY article_id, annotator, char_start, sentence_index", params)]

    def annotators(self) -> list[str]:
        return [r[0] for r in self._db.query(
            "SELECT DISTINCT annotator FROM annotations WHERE label IS NOT NULL ORDER BY annotator")]

    # -- undo / redo ------------------------------------------------------
    def _stacks(self, db: Backend, article_id: str, annotator: str
                ) -> tuple[list[tuple], list[tuple]]:
        undo: list[tuple] = []
        redo: list[tuple] = []
        for ev in db.query("SELECT id, kind, sentence_index, label, previous_label, target "
                           "FROM events WHERE article_id = ? AND annotator = ? ORDER BY id",
                           (article_id, annotator)):
            kind = ev[1]
            if kind in ("tag", "clear"):
                undo.append(ev)
                redo.clear()
            elif kind == "undo":
                if undo and undo[-1][0] == ev[5]:
                    redo.append(undo.pop())
                else:  # not produced by this code: be safe, forget history
                    undo.clear()
                    redo.clear()
            elif kind == "redo":
                if redo and redo[-1][0] == ev[5]:
                    undo.append(redo.pop())
                else:
                    undo.clear()
                    redo.clear()
            elif kind in _BARRIERS:
                undo.clear()
                redo.clear()
        return undo, redo

    def _apply(self, db: Backend, article_id: str, annotator: str, index: int,
               label: str | None, kind: str, target: int) -> Change:
        t = now()
        live = self._live(db, article_id, index, annotator)
        if live is None:  # the row was re-anchored away; history is stale
            raise StoreError(f"cannot {kind}: sentence {index} of {article_id} has no label row "
                             f"in {self.path}")
        self._set_label(db, live[0], label, live[2], t)
        self._log(db, t, annotator, article_id, index, kind, label, live[1], target)
        return Change(index, label)

    def undo(self, article_id: str, annotator: str) -> Change | None:
        """Revert the annotator's latest change in the article not yet undone."""
        def fn(db: Backend) -> Change | None:
            undo, _ = self._stacks(db, article_id, annotator)
            if not undo:
                return None
            ev = undo[-1]
            return self._apply(db, article_id, annotator, ev[2], ev[4], "undo", ev[0])
        return self._db.write(fn)

    def redo(self, article_id: str, annotator: str) -> Change | None:
        """Re-apply the most recently undone change (None when the redo chain is empty)."""
        def fn(db: Backend) -> Change | None:
            _, redo = self._stacks(db, article_id, annotator)
            if not redo:
                return None
            ev = redo[-1]
            return self._apply(db, article_id, annotator, ev[2], ev[3], "redo", ev[0])
        return self._db.write(fn)

    def history(self, article_id: str, annotator: str | None = None) -> list[dict[str, Any]]:
        """The event log of an article (audit), oldest first."""
        sql = ("SELECT id, time, annotator, article_id, sentence_index, kind, label, "
               "previous_label, target FROM events WHERE article_id = ?")
        params: tuple = (article_id,)
        if annotator is not None:
            sql += " AND annotator = ?"
            params += (annotator,)
        keys = ("id", "time", "annotator", "article_id", "sentence_index", "kind", "label",
                "previous_label", "target")
        return [dict(zip(keys, r)) for r in self._db.query(sql + " ORDER BY id", params)]

    # -- anchoring --------------------------------------------------------
    def reanchor(self, article_id: str, sentences: Sequence[Sentence]) -> ReanchorReport:
        """Re-attach every label of the article to a new segmentation by sentence text.

        Per annotator, each label (live or previously orphaned) goes to, in order:
        the sentence with the same index, offsets and text; else an unused sentence
        with exactly the same text (nearest offset first); else one whose text is
        equal after collapsing whitespace (nearest first). A label that finds none
        is kept with ``orphaned = 1`` and reported, never dropped.
        """
        sentences = list(sentences)

        def fn(db: Backend) -> ReanchorReport:
            # labelled rows choose first; unlabelled (cleared) rows only back undo history
            rows = list(db.query(
                "SELECT id, annotator, sentence_index, char_start, char_end, sentence, label, "
                "orphaned FROM annotations WHERE article_id = ? ORDER BY annotator, "
                "CASE WHEN label IS NULL THEN 1 ELSE 0 END, orphaned, char_start, id",
                (article_id,)))
            by_text: dict[str, list[Sentence]] = {}
            by_squash: dict[str, list[Sentence]] = {}
            for s in sentences:
                by_text.setdefault(s.text, []).append(s)
                by_squash.setdefault(_squash(s.text), []).append(s)
            unchanged = moved = 0
            plans: list[tuple[int, Sentence | None]] = []
            dropped: list[int] = []
            touched: set[str] = set()
            annotator = None
            used: set[int] = set()
            for row in rows:
                row_id, who, index, start, end, text, label, was_orphan = row
                if who != annotator:
                    annotator, used = who, set()
                target = None
                if not was_orphan and index < len(sentences):
                    s = sentences[index]
                    if s.index == index and s.start == start and s.end == end and s.text == text \
                            and index not in used:
                        target = s
                if target is None:
                    for pool in (by_text.get(text, ()), by_squash.get(_squash(text), ())):
                        free = [s for s in pool if s.index not in used]
                        if free:
                            target = min(free, key=lambda s: (abs(s.start - start), s.index))
                            break
                same = (target is not None and not was_orphan and target.index == index
                        and target.start == start and target.end == end and target.text == text)
                if target is not None:
                    used.add(target.index)
                if not same and not (target is None and was_orphan):
                    touched.add(who)
                if label is None:
                    if target is None:
                        dropped.append(row_id)  # no label to keep; its history ends here
                        continue
                elif same:
                    unchanged += 1
                elif target is not None:
                    moved += 1
                plans.append((row_id, target))
            for row_id in dropped:
                db.execute("DELETE FROM annotations WHERE id = ?", (row_id,))
            t = now()
            # two passes so that swapping indexes never trips the unique key
            for row_id, target in plans:
                if target is None:
                    db.execute("UPDATE annotations SET orphaned = 1 WHERE id = ?", (row_id,))
                else:
                    db.execute("UPDATE annotations SET orphaned = 1, sentence_index = ? "
                               "WHERE id = ?", (-1 - target.index, row_id))
            for row_id, target in plans:
                if target is not None:
                    db.execute("UPDATE annotations SET orphaned = 0, sentence_index = ?, "
                               "char_start = ?, char_end = ?, sentence = ? WHERE id = ?",
                               (target.index, target.start, target.end, target.text, row_id))
            for who in sorted(touched):
                self._log(db, t, who, article_id, None, "reanchor", None, None)
            db.execute("UPDATE articles SET n_sentences = ? WHERE id = ?",
                       (len(sentences), article_id))
            orphans = tuple(_annotation(r) for r in db.query(
                f"SELECT {_ANN_COLS} FROM annotations WHERE article_id = ? AND orphaned = 1 "
                "AND label IS NOT NULL ORDER BY annotator, char_start", (article_id,)))
            return ReanchorReport(article_id, unchanged, moved, orphans)
        return self._db.write(fn)

    # -- bulk: export / import / stats -----------------------------------
    def iter_export(self, *, annotator: str | None = None, article_id: str | None = None,
                    label: str | None = None) -> Iterator[ExportRow]:
        """Stream every label (orphans included, flagged) in a stable order."""
        where = ["a.label IS NOT NULL"]
        params: list[Any] = []
        for col, value in (("a.annotator", annotator), ("a.article_id", article_id),
                           ("a.label", label)):
            if value is not None:
                where.append(f"{col} = ?")
                params.append(value)
        sql = ("SELECT a.article_id, r.title, r.date, r.source, r.url, r.location, r.author, "
               "a.sentence_index, a.char_start, a.char_end, a.sentence, a.label, a.annotator, "
               "a.created_at, a.updated_at, a.suggested_label, a.suggestion_accepted, a.orphaned "
               "FROM annotations a JOIN articles r ON r.id = a.article_id "
               f"WHERE {' AND '.join(where)} "
               "ORDER BY a.article_id, a.sentence_index, a.annotator, a.orphaned, a.char_start, "
               "a.char_end, a.id")
        for r in self._db.query(sql, params):
            yield ExportRow(*r[:16], _bool(r[16]), bool(r[17]))

    def import_rows(self, rows: Iterator[ExportRow], batch: int = 5000) -> dict[str, int]:
        """Merge exported rows (idempotent). Missing articles are created from the
        rows' metadata with a placeholder text that keeps every sentence at its
        offsets; ``add_article`` with the real text later replaces it.

        An existing label for the same article/sentence/annotator is replaced only
        by a row with a later ``updated_at``. Returns counts: added, updated, same.
        """
        counts = {"added": 0, "updated": 0, "same": 0, "articles": 0}
        pending: list[ExportRow] = []

        def flush(db: Backend) -> None:
            t = now()
            for r in pending:
                _check_label(r.label)
                self._import_article(db, r, counts, t)
            for r in pending:
                self._import_one(db, r, counts, t)

        def consume() -> None:
            self._db.write(flush)
            pending.clear()

        for r in rows:
            pending.append(r)
            if len(pending) >= batch:
                consume()
        if pending:
            consume()
        return counts

    def _import_article(self, db: Backend, r: ExportRow, counts: dict[str, int], t: str) -> None:
        row = db.query_one("SELECT text FROM articles WHERE id = ?", (r.article_id,))
        if row is None:
            db.execute(
                "INSERT INTO articles (id, title, date, source, url, location, author, text, "
                "added_at, n_sentences) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)",
                (r.article_id, r.article_title, r.article_date, r.source, r.url, r.location,
                 r.author, _place("", r.char_start, r.sentence), t))
            counts["articles"] += 1
            return
        text = row[0]
        have = text[r.char_start:r.char_start + len(r.sentence)]
        if have != r.sentence and not have.strip():  # a gap in a placeholder text
            db.execute("UPDATE articles SET text = ? WHERE id = ?",
                       (_place(text, r.char_start, r.sentence), r.article_id))

    def _import_one(self, db: Backend, r: ExportRow, counts: dict[str, int], t: str) -> None:
        accepted = None if r.suggestion_accepted is None else int(r.suggestion_accepted)
        orphaned = int(r.orphaned)
        existing = db.query_one(
            "SELECT id, char_start, char_end, sentence, label, created_at, updated_at, "
            "suggested_label, suggestion_accepted FROM annotations WHERE article_id = ? AND "
            "sentence_index = ? AND annotator = ? AND orphaned = ? AND char_start = ? "
            "AND char_end = ?" if orphaned else
            "SELECT id, char_start, char_end, sentence, label, created_at, updated_at, "
            "suggested_label, suggestion_accepted FROM annotations WHERE article_id = ? AND "
            "sentence_index = ? AND annotator = ? AND orphaned = ?",
            (r.article_id, r.sentence_index, r.annotator, orphaned,
             *((r.char_start, r.char_end) if orphaned else ())))
        values = (r.char_start, r.char_end, r.sentence, r.label, r.created_at, r.updated_at,
                  r.suggested_label, accepted)
        if existing is None:
            db.execute(
                "INSERT INTO annotations (article_id, sentence_index, char_start, char_end, "
                "sentence, label, annotator, created_at, updated_at, suggested_label, "
                "suggestion_accepted, orphaned) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (r.article_id, r.sentence_index, *values[:4], r.annotator, *values[4:], orphaned))
            counts["added"] += 1
        elif tuple(existing[1:]) == values:
            counts["same"] += 1
            return
        elif existing[4] is None or r.updated_at > existing[6]:
            db.execute(
                "UPDATE annotations SET char_start = ?, char_end = ?, sentence = ?, label = ?, "
                "created_at = ?, updated_at = ?, suggested_label = ?, suggestion_accepted = ? "
                "WHERE id = ?", (*values, existing[0]))
            counts["updated"] += 1
        else:
            counts["same"] += 1
            return
        previous = None if existing is None else existing[4]
        self._log(db, t, r.annotator, r.article_id, r.sentence_index, "import", r.label, previous)

    def iter_labels(self) -> Iterator[tuple[str, int, str, str]]:
        """(article_id, sentence_index, annotator, label) of every live label, by sentence."""
        return self._db.query(
            "SELECT article_id, sentence_index, annotator, label FROM annotations WHERE "
            "label IS NOT NULL AND orphaned = 0 ORDER BY article_id, sentence_index, annotator")


def _place(text: str, start: int, sentence: str) -> str:
    """Write ``sentence`` into ``text`` at ``start``, padding with spaces."""
    end = start + len(sentence)
    if len(text) < end:
        text = text + " " * (end - len(text))
    return text[:start] + sentence + text[end:]
