"""Unreadable stores: one line naming the file and what to do; the file is never touched."""
from __future__ import annotations

import os
import random
import sqlite3

import pytest

from newsreader.core.errors import StoreError
from newsreader.core.models import Article, Sentence, Suggestion
from newsreader.core.store import Store

HELP = "move it aside (nothing was changed) or pass --data-dir DIR to use another store"


def open_error(path) -> str:
    with pytest.raises(StoreError) as err:
        Store.open(path)
    msg = str(err.value)
    assert "\n" not in msg
    return msg


def snapshot(directory):
    return {p.name: p.read_bytes() for p in directory.iterdir() if p.is_file()}


def big_store(path, n=400):
    text = " ".join(f"Sentence number {i} says something." for i in range(n))
    art = Article(id="cccccccccccccccc", text=text)
    with Store.open(path) as s:
        s.add_article(art, n)
        pos = 0
        for i in range(n):
            t = f"Sentence number {i} says something."
            s.tag(art.id, Sentence(i, pos, pos + len(t), t, 0, Suggestion("fact", 1, "")),
                  "fact", "ann")
            pos += len(t) + 1
    return art


def test_garbage_bytes(tmp_path):
    path = tmp_path / "newsreader.db"
    path.write_bytes(random.Random(7).randbytes(8192))
    msg = open_error(path)
    assert msg == f"{path} is not a newsreader database (not an SQLite file); {HELP}"
    assert snapshot(tmp_path) == {"newsreader.db": path.read_bytes()}
    assert sorted(os.listdir(tmp_path)) == ["newsreader.db"]  # no -wal/-shm left behind


def test_text_file_in_place_of_db(tmp_path):
    path = tmp_path / "newsreader.db"
    path.write_text("these are my notes, not a database\n")
    before = path.read_bytes()
    assert open_error(path).startswith(f"{path} is not a newsreader database")
    assert path.read_bytes() == before


def test_sqlite_magic_then_garbage(tmp_path):
    path = tmp_path / "newsreader.db"
    path.write_bytes(b"SQLite format 3\x00" + random.Random(3).randbytes(4080))
    before = path.read_bytes()
    msg = open_error(path)
    assert msg.startswith(f"{path} is not a readable newsreader database (")
    assert msg.endswith(HELP)
    assert path.read_bytes() == before


def test_truncated_db(tmp_path):
    path = tmp_path / "newsreader.db"
    big_store(path)
    assert sorted(os.listdir(tmp_path)) == ["newsreader.db"]  # checkpointed on close
    data = path.read_bytes()
    assert len(data) > 16 * 4096
    path.write_bytes(data[: len(data) // 2])
    before = path.read_bytes()
    msg = open_error(path)
    assert msg == (f"{path} is not a readable newsreader database (database disk image is "
                   f"malformed); {HELP}")
    assert path.read_bytes() == before


def test_damage_found_later_is_a_store_error_not_a_traceback(tmp_path):
    path = tmp_path / "newsreader.db"
    art = big_store(path, n=600)
    con = sqlite3.connect(path)
    page_size = con.execute("PRAGMA page_size").fetchone()[0]
    root = con.execute("SELECT rootpage FROM sqlite_master WHERE name = 'annotations'").fetchone()[0]
    con.close()
    data = bytearray(path.read_bytes())
    # scribble over the annotations table's root page (not page 1: the file still opens)
    off = (root - 1) * page_size
    data[off:off + page_size] = random.Random(1).randbytes(page_size)
    path.write_bytes(bytes(data))
    store = Store.open(path)  # page 1 and the schema are intact, so it opens
    with store, pytest.raises(StoreError) as err:
        store.annotations(art.id, "ann")
    assert str(err.value).startswith(f"{path} is not a readable newsreader database (")


def test_directory_in_place_of_db(tmp_path):
    path = tmp_path / "newsreader.db"
    path.mkdir()
    (path / "keep.txt").write_text("mine")
    assert open_error(path) == f"{path} is a directory, not a database file; {HELP}"
    assert (path / "keep.txt").read_text() == "mine"


def test_data_dir_is_a_file(tmp_path):
    data = tmp_path / "data"
    data.write_text("not a dir")
    path = data / "newsreader.db"
    assert open_error(path) == (f"cannot create data directory {data}: a file is in the way; "
                                "move it or pass --data-dir DIR")
    assert data.read_text() == "not a dir"


def test_data_dir_below_a_file(tmp_path):
    (tmp_path / "f").write_text("x")
    path = tmp_path / "f" / "sub" / "newsreader.db"
    assert open_error(path).startswith(f"cannot create data directory {path.parent}:")


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_unwritable_data_dir(tmp_path):
    d = tmp_path / "ro"
    d.mkdir()
    d.chmod(0o555)
    try:
        assert open_error(d / "newsreader.db") == (
            f"cannot create {d / 'newsreader.db'}: the directory is not writable; "
            "pass --data-dir DIR")
    finally:
        d.chmod(0o755)


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_db(tmp_path):
    path = tmp_path / "newsreader.db"
    Store.open(path).close()
    path.chmod(0o444)
    try:
        assert open_error(path) == (f"{path} is read-only; make it writable or pass "
                                    "--data-dir DIR")
    finally:
        path.chmod(0o644)


def test_locked_by_another_writer(tmp_path, monkeypatch):
    from newsreader.core import migrations
    path = tmp_path / "newsreader.db"
    with Store.open(path) as store:
        store.add_article(Article(id="dddddddddddddddd", text="One."))
        holder = sqlite3.connect(path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            store._db._conn.execute("PRAGMA busy_timeout = 50")
            with pytest.raises(StoreError) as err:
                store.tag("dddddddddddddddd", Sentence(0, 0, 4, "One.", 0,
                                                       Suggestion("fact", 1, "")), "fact", "a")
            assert str(err.value) == (f"{path} is locked by another process; close the other "
                                      "newsreader and try again")
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        # and the store still works afterwards
        store.tag("dddddddddddddddd", Sentence(0, 0, 4, "One.", 0, Suggestion("fact", 1, "")),
                  "fact", "a")
        assert store.annotations("dddddddddddddddd", "a")[0].label == "fact"
