"""Schema versions: each migration tested from the version before, on real files."""
from __future__ import annotations

import sqlite3

import pytest

from newsreader.core import migrations
from newsreader.core.errors import StoreError
from newsreader.core.models import Article, Sentence, Suggestion
from newsreader.core.store import Store

# A frozen copy of the v1 schema as shipped. If someone edits migrations._V1,
# databases already on disk still have this one, so the test below fails.
V1_SQL = [
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


def make_v1(path):
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA journal_mode = WAL")
    for stmt in V1_SQL:
        con.execute(stmt)
    con.execute("PRAGMA user_version = 1")
    con.execute("INSERT INTO articles VALUES ('aaaaaaaaaaaaaaaa', 'Old', NULL, 'Src', NULL, "
                "'/x.txt', NULL, 'One. Two.', '2024-01-01T00:00:00.000000Z', 2)")
    con.execute("INSERT INTO annotations (article_id, sentence_index, char_start, char_end, "
                "sentence, label, annotator, created_at, updated_at, suggested_label, "
                "suggestion_accepted) VALUES ('aaaaaaaaaaaaaaaa', 0, 0, 4, 'One.', 'fact', 'ann', "
                "'2024-01-01T00:00:01.000000Z', '2024-01-01T00:00:02.000000Z', 'opinion', 0)")
    con.execute("INSERT INTO events (time, annotator, article_id, sentence_index, kind, label, "
                "previous_label) VALUES ('2024-01-01T00:00:02.000000Z', 'ann', "
                "'aaaaaaaaaaaaaaaa', 0, 'tag', 'fact', NULL)")
    con.close()


def schema(path):
    con = sqlite3.connect(path)
    rows = con.execute("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE "
                       "'sqlite_%' ORDER BY name").fetchall()
    con.close()
    return rows


def test_frozen_v1_matches_migration_code(tmp_path):
    a, b = tmp_path / "frozen.db", tmp_path / "code.db"
    make_v1(a)
    migrations.create_at_version(b, 1)
    assert schema(a) == schema(b)


def test_v1_to_v2_keeps_data(tmp_path):
    path = tmp_path / "newsreader.db"
    make_v1(path)
    with Store.open(path) as store:
        assert store.schema_version() == 2
        ann = store.annotations("aaaaaaaaaaaaaaaa", "ann")
        assert ann[0].label == "fact" and ann[0].orphaned is False
        assert ann[0].created_at == "2024-01-01T00:00:01.000000Z"
        assert ann[0].suggested_label == "opinion" and ann[0].suggestion_accepted is False
        # history written by v1 still drives undo after the migration
        change = store.undo("aaaaaaaaaaaaaaaa", "ann")
        assert change is not None and change.sentence_index == 0 and change.label is None
    names = {r[1] for r in schema(path)}
    assert "annotations_key" not in names
    assert {"annotations_live", "annotations_order", "events_history"} <= names
    con = sqlite3.connect(path)
    cols = [r[1] for r in con.execute("PRAGMA table_info(annotations)")]
    assert cols[-1] == "orphaned"
    con.close()


def test_v2_allows_orphan_beside_live_label(tmp_path):
    path = tmp_path / "newsreader.db"
    make_v1(path)
    Store.open(path).close()
    con = sqlite3.connect(path)
    con.execute("UPDATE annotations SET orphaned = 1")
    con.execute("INSERT INTO annotations (article_id, sentence_index, char_start, char_end, "
                "sentence, label, annotator, created_at, updated_at) VALUES ('aaaaaaaaaaaaaaaa',"
                " 0, 5, 9, 'Two.', 'quote', 'ann', 't', 't')")
    con.commit()
    with pytest.raises(sqlite3.IntegrityError):  # but two live rows still collide
        con.execute("INSERT INTO annotations (article_id, sentence_index, char_start, char_end, "
                    "sentence, label, annotator, created_at, updated_at) VALUES "
                    "('aaaaaaaaaaaaaaaa', 0, 5, 9, 'Two.', 'fact', 'ann', 't', 't')")
    con.close()


def test_empty_file_becomes_current_schema(tmp_path):
    path = tmp_path / "newsreader.db"
    path.write_bytes(b"")
    with Store.open(path) as store:
        assert store.schema_version() == migrations.SCHEMA_VERSION


def test_every_version_migrates_to_current(tmp_path):
    for v in range(migrations.SCHEMA_VERSION + 1):
        path = tmp_path / f"v{v}.db"
        migrations.create_at_version(path, v)
        with Store.open(path) as store:
            assert store.schema_version() == migrations.SCHEMA_VERSION
            store.add_article(Article(id="bbbbbbbbbbbbbbbb", text="Hi there."))
            store.tag("bbbbbbbbbbbbbbbb", Sentence(0, 0, 9, "Hi there.", 0,
                                                   Suggestion("fact", 1.0, "")), "fact", "ann")


def test_newer_schema_is_refused_untouched(tmp_path):
    path = tmp_path / "newsreader.db"
    migrations.create_at_version(path, migrations.SCHEMA_VERSION)
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA user_version = {migrations.SCHEMA_VERSION + 5}")
    con.commit()
    con.close()
    before = path.read_bytes()
    with pytest.raises(StoreError) as err:
        Store.open(path)
    v = migrations.SCHEMA_VERSION
    assert str(err.value) == (f"{path} was written by a newer newsreader (schema v{v + 5}, "
                              f"this one knows v{v}); upgrade newsreader")
    assert path.read_bytes() == before


def test_failed_migration_rolls_back(tmp_path, monkeypatch):
    path = tmp_path / "newsreader.db"
    make_v1(path)
    broken = list(migrations._V2) + ["CREATE TABLE articles (x)"]  # fails at the end
    monkeypatch.setattr(migrations, "MIGRATIONS", [migrations._V1, broken])
    with pytest.raises(StoreError):
        Store.open(path)
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA user_version").fetchone()[0] == 1
    cols = [r[1] for r in con.execute("PRAGMA table_info(annotations)")]
    assert "orphaned" not in cols
    con.close()
