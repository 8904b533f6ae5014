"""The SQLite connection layer: opening, pragmas, schema versions and migrations.

Everything SQLite-specific lives here (PRAGMAs, ``BEGIN IMMEDIATE``, file
checks). ``store.py`` speaks portable SQL through the small ``Backend``
interface below, so a PostgreSQL backend only has to provide the same five
methods and its own DDL.

Schema versions (``PRAGMA user_version``):

* v1: articles, annotations (unique per article/sentence/annotator),
  events (append-only log).
* v2: anchoring. ``annotations.orphaned`` flags labels whose sentence no longer
  exists after re-segmentation; the unique key becomes partial (live rows
  only) so an orphan never blocks a new label on the same index; an index on
  events for undo/redo and one on annotations in export order.

A migration runs inside one transaction with the version bump, so a crash
mid-migration leaves the file at the old version, never half-migrated.
"""
from __future__ import annotations

import os
import sqlite3
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

from .errors import StoreError

BUSY_TIMEOUT_S = 15.0

_V1 = [
    """CREATE TABLE articles (
        id TEXT PRIMARY KEY,
        title TEXT,
        date TEXT,
        source TEXT,
        url TEXT,
        location TEXT,
        author TEXT,
        text TEXT NOT NULL,
        added_at TEXT NOT NULL,
        n_sentences INTEGER
    )""",
    """CREATE TABLE annotations (
        id INTEGER PRIMARY KEY,
        article_id TEXT NOT NULL REFERENCES articles(id),
        sentence_index INTEGER NOT NULL,
        char_start INTEGER NOT NULL,
        char_end INTEGER NOT NULL,
        sentence TEXT NOT NULL,
        label TEXT,
        annotator TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        suggested_label TEXT,
        suggestion_accepted INTEGER
    )""",
    "CREATE UNIQUE INDEX annotations_key ON annotations(article_id, sentence_index, annotator)",
    """CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        time TEXT NOT NULL,
        annotator TEXT NOT NULL,
        article_id TEXT NOT NULL,
        sentence_index INTEGER,
        kind TEXT NOT NULL,
        label TEXT,
        previous_label TEXT,
        target INTEGER
    )""",
]

_V2 = [
    "ALTER TABLE annotations ADD COLUMN orphaned INTEGER NOT NULL DEFAULT 0",
    "DROP INDEX annotations_key",
    "CREATE UNIQUE INDEX annotations_live ON annotations(article_id, sentence_index, annotator) "
    "WHERE orphaned = 0",
    "CREATE INDEX annotations_order ON annotations(article_id, sentence_index, annotator)",
    "CREATE INDEX events_history ON events(article_id, annotator, id)",
]

# MIGRATIONS[i] takes a database from version i to version i + 1.
MIGRATIONS: list[list[str]] = [_V1, _V2]
SCHEMA_VERSION = len(MIGRATIONS)

# Indexes that only speed reads up, made when a store is opened for writing (so stores
# made by any earlier version get them too, without a schema version of their own).
# articles_library covers Store.list_articles: no sort, and no article text read.
INDEXES = [
    "CREATE INDEX IF NOT EXISTS articles_library ON articles(added_at DESC, title, id, "
    "source, date, location, n_sentences)",
]

_HELP = "move it aside (nothing was changed) or pass --data-dir DIR to use another store"


class Backend:
    """The narrow interface ``Store`` needs from a database.

    ``query`` yields rows lazily (a cursor, never ``fetchall``); ``write`` runs a
    function inside one write transaction that is committed before it
    returns. Parameters use ``?`` placeholders; a backend whose driver wants
    ``%s`` rewrites them in ``_sql``.
    """

    path: Path

    def query(self, sql: str, params: Sequence[Any] = ()) -> Iterator[tuple]:
        raise NotImplementedError

    def query_one(self, sql: str, params: Sequence[Any] = ()) -> tuple | None:
        raise NotImplementedError

    def write(self, fn: Callable[["Backend"], Any]) -> Any:
        raise NotImplementedError

    def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one statement inside ``write``; returns the new row id if any."""
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def data_version(self) -> int:
        """A number that changes when another connection commits (not this one)."""
        raise NotImplementedError


class SQLiteBackend(Backend):
    """SQLite in WAL mode, ``synchronous=FULL``, one write transaction per call.

    ``readonly=True`` opens the file without writing anything to it (no
    migration, no journal switch): for reading a store on a read-only file,
    directory or file system.
    """

    def __init__(self, path: Path, *, readonly: bool = False):
        self.path = Path(path)
        self.readonly = readonly
        self._lock = threading.RLock()
        self._conn = _connect_readonly(self.path) if readonly else _connect(self.path)
        _opened(self.path, +1)
        self._closed = False

    # -- errors -----------------------------------------------------------
    def _error(self, exc: BaseException) -> StoreError:
        return _translate(self.path, exc)

    # -- interface --------------------------------------------------------
    def query(self, sql: str, params: Sequence[Any] = (), batch: int = 2000) -> Iterator[tuple]:
        with self._lock:
            try:
                cur = self._conn.execute(sql, tuple(params))
            except sqlite3.Error as exc:
                raise self._error(exc) from None
        try:
            while True:
                with self._lock:
                    try:
                        rows = cur.fetchmany(batch)
                    except sqlite3.Error as exc:
                        raise self._error(exc) from None
                if not rows:
                    return
                yield from rows
        finally:
            cur.close()

    def query_one(self, sql: str, params: Sequence[Any] = ()) -> tuple | None:
        with self._lock:
            try:
                return self._conn.execute(sql, tuple(params)).fetchone()
            except sqlite3.Error as exc:
                raise self._error(exc) from None

    def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        cur = self._conn.execute(sql, tuple(params))
        return cur.lastrowid

    def write(self, fn: Callable[[Backend], Any]) -> Any:
        if self.readonly:
            raise StoreError(f"{self.path} is open read-only; nothing can be saved to it")
        with self._lock:
            conn = self._conn
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise self._error(exc) from None
            try:
                result = fn(self)
                conn.execute("COMMIT")
                return result
            except BaseException as exc:
                try:
                    conn.execute("ROLLBACK")
                except sqlite3.Error:
                    pass
                if isinstance(exc, sqlite3.Error):
                    raise self._error(exc) from None
                raise

    def executemany(self, sql: str, rows) -> None:
        self._conn.executemany(sql, rows)

    def data_version(self) -> int:
        row = self.query_one("PRAGMA data_version")
        return int(row[0]) if row else 0

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
            try:
                self._conn.close()
            except sqlite3.Error:
                pass
            _opened(self.path, -1)


def _translate(path: Path, exc: BaseException) -> StoreError:
    msg = str(exc).strip() or type(exc).__name__
    low = msg.lower()
    if "locked" in low or "busy" in low:
        return StoreError(f"{path} is locked by another process; close the other newsreader "
                          "and try again")
    if "readonly" in low or "read-only" in low or "permission" in low:
        return StoreError(f"{path} is read-only ({msg}); make it writable or pass --data-dir DIR")
    if "not a database" in low or "malformed" in low or "corrupt" in low:
        return _damaged(StoreError(f"{path} is not a readable newsreader database ({msg}); "
                                   f"{_HELP}"))
    if "unable to open" in low:
        return StoreError(f"cannot open {path} ({msg}); check that it is a writable file, "
                          "or pass --data-dir DIR")
    if "disk is full" in low or "disk i/o" in low:
        return StoreError(f"cannot write {path} ({msg}); free some space or pass --data-dir DIR")
    return StoreError(f"{path}: {msg}; {_HELP}")


def _check_path(path: Path) -> None:
    parent = path.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise StoreError(f"cannot create data directory {parent}: a file is in the way; "
                         "move it or pass --data-dir DIR") from None
    except NotADirectoryError:
        raise StoreError(f"cannot create data directory {parent}: part of the path is a file; "
                         "pass --data-dir DIR") from None
    except PermissionError:
        raise StoreError(f"cannot create data directory {parent}: permission denied; "
                         "pass --data-dir DIR") from None
    except OSError as exc:
        raise StoreError(f"cannot create data directory {parent}: {exc.strerror or exc}; "
                         "pass --data-dir DIR") from None
    if not parent.is_dir():
        raise StoreError(f"cannot use data directory {parent}: it is not a directory; "
                         "pass --data-dir DIR")
    if path.is_dir():
        raise StoreError(f"{path} is a directory, not a database file; {_HELP}")
    if path.exists():
        if not os.access(path, os.R_OK):
            raise StoreError(f"cannot read {path}: permission denied; fix its permissions "
                             "or pass --data-dir DIR")
        if not os.access(path, os.W_OK):
            raise _read_only(StoreError(f"{path} is read-only; make it writable or pass "
                                        "--data-dir DIR"))
        if not os.access(parent, os.W_OK):
            # WAL needs newsreader.db-wal and -shm beside the file
            raise _read_only(StoreError(f"cannot write {path}: its directory {parent} is not "
                                        "writable; make it writable or pass --data-dir DIR"))
        _check_header(path)
    elif not os.access(parent, os.W_OK):
        raise StoreError(f"cannot create {path}: the directory is not writable; "
                         "pass --data-dir DIR")


_MAGIC = b"SQLite format 3\x00"

#: printed after a store error's message by the CLI (``str(exc)`` stays the message)
READ_ONLY_HINT = "`newsreader export` and `newsreader list` can still read it"
SALVAGE_HINT = ("`newsreader export --salvage -o labels.csv` writes every label that can still "
                "be read, for `newsreader import` into a new store")


def _read_only(exc: StoreError) -> StoreError:
    exc.hint = READ_ONLY_HINT
    return exc


def _damaged(exc: StoreError) -> StoreError:
    exc.hint = SALVAGE_HINT
    return exc


# Database files this process has open through SQLite. POSIX record locks belong
# to the process: closing ANY descriptor of a file drops every lock the process
# holds on it, including the locks SQLite's connections rely on. If a Python-level
# header read dropped them, another process closing its connection would think it
# was the last one and delete the -wal file, losing commits. So the database file
# is only ever read directly while this process has no connection to it.
_OPEN_FILES: dict[str, int] = {}
_OPEN_LOCK = threading.Lock()


def _key(path: Path) -> str:
    return os.path.realpath(path)


def _opened(path: Path, delta: int) -> None:
    with _OPEN_LOCK:
        k = _key(path)
        n = _OPEN_FILES.get(k, 0) + delta
        if n > 0:
            _OPEN_FILES[k] = n
        else:
            _OPEN_FILES.pop(k, None)


def _read_head(path: Path) -> bytes | None:
    """The first 100 bytes of the file, or None when this process has it open
    through SQLite (it was checked when first opened; reading it now would drop
    that connection's locks)."""
    with _OPEN_LOCK:
        if _key(path) in _OPEN_FILES:
            return None
        with open(path, "rb") as fh:
            return fh.read(100)


def _check_header(path: Path) -> None:
    """Refuse a file that is not SQLite before SQLite touches it."""
    try:
        head = _read_head(path)
    except OSError as exc:
        raise StoreError(f"cannot read {path}: {exc.strerror or exc}; {_HELP}") from None
    if head is None:
        return
    if not head:
        return  # an empty file is an empty database
    if len(head) < 100 or not head.startswith(_MAGIC):
        raise StoreError(f"{path} is not a newsreader database (not an SQLite file); {_HELP}")


def _header_claims_more_than_file(path: Path) -> bool:
    """True when page 1 says the database is longer than the file (a truncated copy).

    Only trusted when SQLite itself would trust the in-header size (the
    version-valid-for number equals the change counter).
    """
    try:
        head = _read_head(path)
        size = path.stat().st_size
    except OSError:
        return False
    if head is None or len(head) < 100:
        return False
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    n_pages = int.from_bytes(head[28:32], "big")
    valid = head[24:28] == head[92:96]
    return valid and n_pages > 0 and n_pages * page_size > size


def _connect(path: Path) -> sqlite3.Connection:
    _check_path(path)
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    delay = 0.01
    while True:
        # read the header before connecting (see _OPEN_FILES)
        suspect = _header_claims_more_than_file(path)
        try:
            conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S, isolation_level=None,
                                   check_same_thread=False)
        except sqlite3.Error as exc:
            raise _translate(path, exc) from None
        try:
            _setup(conn, path, suspect)
            return conn
        except StoreError:
            conn.close()
            raise
        except sqlite3.Error as exc:
            conn.close()
            # another process creating or migrating the same file: SQLite does not
            # call the busy handler for every lock taken while opening, so retry
            low = str(exc).lower()
            if ("locked" in low or "busy" in low) and time.monotonic() < deadline:
                time.sleep(delay)
                delay = min(delay * 2, 0.25)
                continue
            raise _translate(path, exc) from None


def _setup(conn: sqlite3.Connection, path: Path, suspect: bool) -> None:
    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    # reading the schema proves the file is a database before anything is written
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise StoreError(f"{path} was written by a newer newsreader (schema v{version}, this "
                         f"one knows v{SCHEMA_VERSION}); upgrade newsreader")
    if suspect:
        # maybe truncated, maybe another process mid-checkpoint: let SQLite decide
        try:
            problems = conn.execute("PRAGMA quick_check(1)").fetchone()
        except sqlite3.DatabaseError as exc:
            problems = (str(exc),)
        if problems and problems[0] != "ok":
            raise _damaged(StoreError(f"{path} is damaged (database disk image is malformed: "
                                      f"{problems[0]}); {_HELP}"))
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if str(mode).lower() != "wal":
        raise StoreError(f"{path}: cannot switch to WAL journal mode (got {mode}); "
                         "use a local disk or pass --data-dir DIR")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    migrate(conn, path)
    for statement in INDEXES:
        conn.execute(statement)


def _uri(path: Path, **params: str) -> str:
    from urllib.parse import quote, urlencode

    return f"file:{quote(str(path.resolve()))}?{urlencode(params)}"


def _connect_readonly(path: Path) -> sqlite3.Connection:
    """Open an existing store without writing to it (or beside it)."""
    if path.is_dir():
        raise StoreError(f"{path} is a directory, not a database file; {_HELP}")
    if not path.is_file():
        raise StoreError(f"{path} does not exist; there is nothing to read")
    if not os.access(path, os.R_OK):
        raise StoreError(f"cannot read {path}: permission denied; fix its permissions")
    _check_header(path)
    wal = Path(f"{path}-wal")
    # a read-only WAL database needs its -shm file; when it cannot be created and no
    # -wal holds unmerged commits, the file alone is the whole database
    attempts = [_uri(path, mode="ro")]
    if not (wal.exists() and wal.stat().st_size > 0):
        attempts.append(_uri(path, mode="ro", immutable="1"))
    error: BaseException | None = None
    suspect = _header_claims_more_than_file(path)  # before connecting (see _OPEN_FILES)
    for uri in attempts:
        try:
            conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None,
                                   check_same_thread=False)
        except sqlite3.Error as exc:
            error = exc
            continue
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if suspect:
                problems = conn.execute("PRAGMA quick_check(1)").fetchone()
                if problems and problems[0] != "ok":
                    raise _damaged(StoreError(f"{path} is damaged (database disk image is "
                                              f"malformed: {problems[0]}); {_HELP}"))
        except StoreError:
            conn.close()
            raise
        except sqlite3.Error as exc:
            conn.close()
            error = exc
            continue
        if version > SCHEMA_VERSION:
            conn.close()
            raise StoreError(f"{path} was written by a newer newsreader (schema v{version}, this "
                             f"one knows v{SCHEMA_VERSION}); upgrade newsreader")
        if version < SCHEMA_VERSION:
            conn.close()
            raise StoreError(f"{path} has an older layout (schema v{version}) that newsreader "
                             "upgrades when it opens the file for writing; make it writable once")
        return conn
    raise _translate(path, error) from None


# --------------------------------------------------------------- salvage

SALVAGE_TABLES = ("articles", "annotations", "events")


def read_damaged(path: Path, workdir: Path) -> dict[str, list[dict[str, Any]]]:
    """Every row of the store's tables that can still be read, by table.

    ``path`` (and its -wal) is never written: a copy in ``workdir`` is opened,
    after making its header agree with the file's real length (a truncated
    file otherwise fails every query). Tables are read in rowid order; where a
    damaged page stops the scan, rows are looked up one by one, and the scan
    also runs backwards from the end, so rows after the damage are found too.
    """
    import shutil

    with _OPEN_LOCK:  # copying opens and closes the file: see _OPEN_FILES
        if _key(path) in _OPEN_FILES:
            raise StoreError(f"{path} is open in this process; close it before salvaging")
    _check_header(path)
    copy = Path(workdir) / "salvage.db"
    shutil.copyfile(path, copy)
    wal = Path(f"{path}-wal")
    if wal.is_file():
        shutil.copyfile(wal, Path(f"{copy}-wal"))
    with open(copy, "r+b") as fh:
        head = bytearray(fh.read(100))
        if len(head) < 100:
            raise StoreError(f"{path} is too short to hold any data (it was cut off in its header)")
        page_size = int.from_bytes(head[16:18], "big")
        page_size = 65536 if page_size == 1 else page_size
        size = os.fstat(fh.fileno()).st_size
        if page_size < 512 or page_size & (page_size - 1):
            raise StoreError(f"{path}: the header is damaged (page size {page_size}); "
                             "nothing can be read")
        if size % page_size:  # a partial last page: pad it
            fh.seek(size)
            fh.write(b"\0" * (page_size - size % page_size))
            size += page_size - size % page_size
        head[28:32] = (size // page_size).to_bytes(4, "big")
        fh.seek(0)
        fh.write(head)
    conn = sqlite3.connect(str(copy), isolation_level=None)
    try:
        try:
            names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{path}: the table list is damaged ({exc}); nothing can be "
                             "read") from None
        out: dict[str, list[dict[str, Any]]] = {}
        for table in SALVAGE_TABLES:
            if table not in names:
                out[table] = []
                continue
            cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
            out[table] = [dict(zip(cols, row)) for row in _salvage_rows(conn, table, cols)]
        return out
    finally:
        conn.close()


def _salvage_rows(conn: sqlite3.Connection, table: str, cols: list[str]) -> list[tuple]:
    select = f"SELECT rowid, {', '.join(cols)} FROM {table}"
    got: dict[int, tuple] = {}
    for order in ("ASC", "DESC"):
        try:
            for row in conn.execute(f"{select} ORDER BY rowid {order}"):
                got[row[0]] = row[1:]
            if order == "ASC":
                return [got[k] for k in sorted(got)]   # the whole table was readable
        except sqlite3.DatabaseError:
            continue
    # between the two scans: look rows up one by one past the damage
    top = max(got, default=0)
    budget = max(5000, 2 * len(got))
    rowid, misses = 0, 0
    while rowid < top or misses < budget:
        rowid += 1
        if rowid in got:
            misses = 0
            continue
        try:
            row = conn.execute(f"{select} WHERE rowid = ?", (rowid,)).fetchone()
        except sqlite3.DatabaseError:
            row = None
        if row is None:
            misses += 1
        else:
            got[row[0]] = row[1:]
            misses = 0
    return [got[k] for k in sorted(got)]


def migrate(conn: sqlite3.Connection, path: Path, target: int = SCHEMA_VERSION) -> int:
    """Bring the database to ``target``; each step in its own transaction."""
    while True:
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version >= target:
                conn.execute("COMMIT")
                return version
            for statement in MIGRATIONS[version]:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise


def create_at_version(path: Path, version: int) -> None:
    """Create a database at an older schema version (for migration tests and tools)."""
    conn = sqlite3.connect(str(path), isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        migrate(conn, path, target=version)
    finally:
        conn.close()


@contextmanager
def raw(path: Path) -> Iterator[sqlite3.Connection]:
    """A plain connection without migrations (for inspection in tests and tools)."""
    conn = sqlite3.connect(str(path), isolation_level=None)
    try:
        yield conn
    finally:
        conn.close()
