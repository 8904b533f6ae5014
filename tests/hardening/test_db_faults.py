"""A damaged or unusable database: say what happened and how to recover, recover what
can be recovered, never silently replace anything.

* left mid-transaction (a writer killed inside BEGIN IMMEDIATE with uncommitted
  writes, in WAL and in rollback-journal mode): the committed labels are all
  there, the uncommitted ones are not, and the store keeps working;
* truncated: every command refuses with one line naming the file and pointing
  at ``export --salvage``; the file is not touched; ``export --salvage`` gets
  out every label still readable, and they import into a new store;
* read-only (file, directory, or a read-only mount): writing commands refuse
  with one line saying how to recover; export, list and stats still read it.
"""
from __future__ import annotations

import csv
import io
import os
import shlex
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap

import pytest
from hardening_helpers import (ANNOTATOR, NEWSREADER, Result, assert_refused, base_env,
                               can_run_as, nobody_uid, run_nr, snapshot, stored_state)

from newsreader.core.models import Article, Sentence, Suggestion
from newsreader.core.store import Store

N_LABELS = 400


def big_store(db, n: int = N_LABELS) -> dict[int, str]:
    """A store with ``n`` labelled sentences; returns the labels."""
    parts = [f"Sentence number {i} says the council met on Monday." for i in range(n)]
    art = Article(id="b" * 16, text=" ".join(parts), title="Big")
    labels = {}
    with Store.open(db) as store:
        store.add_article(art, n)
        pos = 0
        for i, p in enumerate(parts):
            label = ("fact", "quote", "opinion")[i % 3]
            store.tag(art.id, Sentence(i, pos, pos + len(p), p, 0, Suggestion("fact", 1, "")),
                      label, ANNOTATOR)
            labels[i] = label
            pos += len(p) + 1
    return labels


def export_labels(res) -> dict[int, str]:
    assert res.returncode == 0, res.stderr
    return {int(r["sentence_index"]): r["label"] for r in csv.DictReader(io.StringIO(res.stdout))}


# ---------------------------------------------------------------- mid-transaction

HOLDER = textwrap.dedent("""
    import sqlite3, sys, time
    db = sys.argv[1]
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("PRAGMA cache_size = 1")          # spill dirty pages before the commit
    con.execute("BEGIN IMMEDIATE")
    con.execute("UPDATE annotations SET label = 'opinion'")
    con.execute("DELETE FROM events")
    for i in range(3000):
        con.execute("INSERT INTO events (time, annotator, article_id, sentence_index, kind, "
                    "label) VALUES ('t', 'ghost', 'x', ?, 'tag', ?)", (i, 'x' * 500))
    print("ready", flush=True)
    time.sleep(600)
""")


@pytest.mark.parametrize("journal", ["wal", "rollback-journal"])
def test_writer_killed_mid_transaction(journal, stored):
    db = stored.data_dir / "newsreader.db"
    before = stored_state(db)
    if journal == "rollback-journal":  # a store last written by a tool in DELETE mode
        con = sqlite3.connect(db)
        assert con.execute("PRAGMA journal_mode = DELETE").fetchone()[0] == "delete"
        con.close()
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(db)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready", holder.stderr.read()
        side = db.with_name(db.name + ("-wal" if journal == "wal" else "-journal"))
        assert side.exists() and side.stat().st_size > 0   # uncommitted writes are on disk
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=30)

    res = run_nr(["export"], stored.data_dir)
    assert export_labels(res) == {0: "fact", 1: "opinion", 2: "quote"}
    assert "Traceback" not in res.stderr and res.stderr == ""
    assert stored_state(db) == before              # committed history intact, ghost writes gone
    res = run_nr(["list"], stored.data_dir)
    assert res.returncode == 0 and "Stored article" in res.stdout, res.stderr
    with Store.open(db) as store:                   # and it takes new labels
        s = Sentence(0, 0, 4, "The ", 0, Suggestion("fact", 1, ""))
        store.tag(stored.article.id, s, "quote", ANNOTATOR)
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        con.close()


# ---------------------------------------------------------------- truncated

@pytest.fixture(scope="module")
def full_db(tmp_path_factory):
    d = tmp_path_factory.mktemp("full-db")
    labels = big_store(d / "newsreader.db")
    assert sorted(os.listdir(d)) == ["newsreader.db"]
    return (d / "newsreader.db").read_bytes(), labels


REFUSING = [["export"], ["list"], ["stats"], ["add", "--no-analyze", "{article}"], ["{article}"],
            ["import", "{labels}"]]


@pytest.mark.parametrize("fraction", [0.35, 0.7, 0.95])
def test_truncated_database(fraction, full_db, data_dir, tmp_path):
    data, labels = full_db
    db = data_dir / "newsreader.db"
    db.write_bytes(data[: int(len(data) * fraction)])
    article = tmp_path / "a.txt"
    article.write_text("The council said the bridge would reopen on Monday.\n", encoding="utf-8")
    label_file = tmp_path / "labels.csv"
    label_file.write_text("article_id,sentence_index,char_start,char_end,sentence,label,annotator\r\n"
                          + "c" * 16 + ",0,0,4,Four,fact,x\r\n", encoding="utf-8")
    before = snapshot(data_dir)
    for command in REFUSING:
        argv = [a.format(article=article, labels=label_file) for a in command]
        res = run_nr(argv, data_dir)
        line = assert_refused(res, str(db))
        assert "not a readable newsreader database" in line or "is damaged" in line, line
        assert "move it aside (nothing was changed)" in line
        assert "newsreader export --salvage" in line
        assert snapshot(data_dir) == before, f"{argv} changed the data dir"

    out = tmp_path / "salvaged.csv"
    res = run_nr(["export", "--salvage", "-o", str(out)], data_dir)
    assert res.returncode == 0, res.stderr
    assert len(res.lines) == 1 and f"{db} was not changed" in res.stderr
    assert snapshot(data_dir) == before
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    salvaged = {int(r["sentence_index"]): r["label"] for r in rows}
    assert all(labels[i] == lab for i, lab in salvaged.items())   # nothing invented or altered
    # the store is laid out the same way every run: measured 75, 250 and 363 of 400
    assert len(salvaged) >= {0.35: 60, 0.7: 220, 0.95: 340}[fraction], len(salvaged)
    assert f"salvaged {len(salvaged)} labels" in res.stderr

    # the salvaged labels go into a new store
    fresh = tmp_path / "fresh"
    res = run_nr(["import", str(out)], fresh)
    assert res.returncode == 0, res.stderr
    assert export_labels(run_nr(["export"], fresh)) == salvaged


def test_truncated_inside_the_header(full_db, data_dir):
    data, _ = full_db
    db = data_dir / "newsreader.db"
    db.write_bytes(data[:60])
    before = snapshot(data_dir)
    line = assert_refused(run_nr(["export"], data_dir), str(db))
    assert "not a newsreader database (not an SQLite file)" in line
    line = assert_refused(run_nr(["export", "--salvage"], data_dir), str(db))
    assert snapshot(data_dir) == before


# ---------------------------------------------------------------- read-only

def _readonly_checks(data_dir, before_labels, run, expect: str) -> None:
    db = data_dir / "newsreader.db"
    before = snapshot(data_dir)
    assert export_labels(run(["export"])) == before_labels
    res = run(["list"])
    assert res.returncode == 0 and "Big" in res.stdout, res.stderr
    res = run(["stats"])
    assert res.returncode == 0 and f"{len(before_labels)} labels" in res.stdout, res.stderr
    article = data_dir.parent / "article.txt"
    article.write_text("The council said the bridge would reopen on Monday.\n", encoding="utf-8")
    article.chmod(0o644)
    for argv in (["add", "--no-analyze", str(article)], ["import", str(data_dir / "none.csv")],
                 [str(article)]):
        line = assert_refused(run(argv), str(db))
        assert expect in line, line
        assert "`newsreader export` and `newsreader list` can still read it" in line
    after = snapshot(data_dir)
    # reading a WAL database may leave SQLite's shared-memory index and an empty -wal
    # beside it (where the directory allows); the database itself is never written
    assert after.pop("newsreader.db-wal", b"") == b""
    after.pop("newsreader.db-shm", None)
    assert after == before


@pytest.fixture
def unprivileged():
    uid = nobody_uid()
    if not can_run_as(uid):
        pytest.skip("cannot run a subprocess as an unprivileged user here (root ignores "
                    "file permissions, and setpriv or the 'nobody' user is missing)")
    return uid


@pytest.mark.parametrize("what", ["file", "directory"])
def test_read_only_database(what, unprivileged, public_dir):
    data_dir = public_dir / "data"
    data_dir.mkdir()
    labels = big_store(data_dir / "newsreader.db", n=30)
    db = data_dir / "newsreader.db"
    os.chown(db, 0, 0)
    if what == "file":      # nobody may write the directory, not the file
        data_dir.chmod(0o777)
        db.chmod(0o644)
        expect = f"{db} is read-only; make it writable or pass --data-dir DIR"
    else:                   # the file is writable, its directory is not (WAL needs -wal, -shm)
        data_dir.chmod(0o755)
        db.chmod(0o666)
        expect = f"its directory {data_dir} is not writable"
    env = base_env(data_dir, HOME=str(public_dir))

    def run(argv):
        return run_nr(argv, data_dir, env=env, user=unprivileged)

    _readonly_checks(data_dir, labels, run, expect)


def test_read_only_mount(tmp_path):
    """As root, on a read-only bind mount in a private mount namespace."""
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        pytest.skip("needs root and unshare for a private read-only mount")
    probe = subprocess.run(["unshare", "-m", "--propagation", "private", "sh", "-c",
                            f"mount --bind {tmp_path} {tmp_path} && "
                            f"mount -o remount,ro,bind {tmp_path}"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"cannot make a read-only mount here: {probe.stderr.decode().strip()}")
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    labels = big_store(data_dir / "newsreader.db", n=30)
    env = base_env(data_dir)

    def run(argv):
        script = (f"mount --bind {data_dir} {data_dir} && mount -o remount,ro,bind {data_dir} && "
                  f"exec {shlex.quote(str(NEWSREADER))} \"$@\"")
        return run_cmd(["unshare", "-m", "--propagation", "private", "sh", "-c", script, "sh",
                        *argv], env)

    _readonly_checks(data_dir, labels, run, f"{data_dir / 'newsreader.db'} is read-only")


def run_cmd(argv, env) -> Result:
    out = subprocess.run(argv, env=env, capture_output=True, timeout=240, stdin=subprocess.DEVNULL)
    return Result(out.returncode, out.stdout.decode("utf-8", "replace"),
                  out.stderr.decode("utf-8", "replace"), out.stdout)
