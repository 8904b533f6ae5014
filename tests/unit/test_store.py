"""The store on real SQLite files in temporary directories."""
from __future__ import annotations

import sqlite3

import pytest

from newsreader.core.errors import StoreError
from newsreader.core.migrations import SCHEMA_VERSION
from newsreader.core.models import Article, Sentence, Suggestion
from newsreader.core.store import Annotation, Change, Store

TEXT = ("The minister said the plan works. Critics disagree.\n\n"
        "\"It is a disaster,\" Wang said. Prices rose 3% in May.")


def sentences_of(text: str) -> list[Sentence]:
    """A small deterministic splitter (sentence = up to '. ' or paragraph end)."""
    out: list[Sentence] = []
    pos = 0
    for p_i, para in enumerate(text.split("\n\n")):
        start = pos
        i = 0
        while i < len(para):
            j = para.find(". ", i)
            end = len(para) if j < 0 else j + 1
            s, e = start + i, start + end
            out.append(Sentence(len(out), s, e, text[s:e], p_i,
                                Suggestion("fact", 0.5, "test")))
            i = end + 1 if j >= 0 else len(para)
        pos += len(para) + 2
    return out


ARTICLE = Article(id="a1b2c3d4e5f60718", text=TEXT, title="Plan", date="2024-05-01",
                  source="Wire", url="https://example.org/plan", location="/tmp/plan.txt",
                  author="R. Writer")
SENTS = sentences_of(TEXT)


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "data" / "newsreader.db")
    s.add_article(ARTICLE, n_sentences=len(SENTS))
    yield s
    s.close()


def test_splitter_matches_text():
    assert [s.text for s in SENTS] == ["The minister said the plan works.", "Critics disagree.",
                                       "\"It is a disaster,\" Wang said.", "Prices rose 3% in May."]
    for s in SENTS:
        assert TEXT[s.start:s.end] == s.text


def test_open_creates_dirs_wal_and_schema(tmp_path):
    path = tmp_path / "deep" / "er" / "newsreader.db"
    with Store.open(path) as s:
        assert s.schema_version() == SCHEMA_VERSION == 2
    assert path.is_file()
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert con.execute("PRAGMA user_version").fetchone()[0] == 2
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"articles", "annotations", "events"} <= tables
    con.close()


def test_article_roundtrip_and_idempotent(store):
    assert store.get_article(ARTICLE.id) == ARTICLE
    assert store.get_article("nope") is None
    store.add_article(ARTICLE)  # again: no error, no duplicate
    summaries = store.list_articles()
    assert len(summaries) == 1
    s = summaries[0]
    assert (s.id, s.title, s.source, s.date, s.location, s.n_sentences, s.n_tagged) == \
        (ARTICLE.id, "Plan", "Wire", "2024-05-01", "/tmp/plan.txt", 4, 0)
    store.set_sentence_count(ARTICLE.id, 7)
    assert store.list_articles()[0].n_sentences == 7


def test_list_articles_newest_first(store):
    other = Article(id="ffff000011112222", text="Another one.", title="B")
    store.add_article(other)
    assert [a.id for a in store.list_articles()] == [other.id, ARTICLE.id]
    assert store.article_ids() == [other.id, ARTICLE.id]   # the same order, without counts


def test_tag_returns_previous_and_persists(store, tmp_path):
    assert store.tag(ARTICLE.id, SENTS[0], "fact", "ann") is None
    assert store.tag(ARTICLE.id, SENTS[0], "opinion", "ann") == "fact"
    assert store.tag(ARTICLE.id, SENTS[2], "quote", "ann", SENTS[2].suggestion) is None
    anns = store.annotations(ARTICLE.id, "ann")
    assert set(anns) == {0, 2}
    a0 = anns[0]
    assert isinstance(a0, Annotation)
    assert (a0.start, a0.end, a0.text, a0.label, a0.annotator) == \
        (0, 33, "The minister said the plan works.", "opinion", "ann")
    assert a0.created_at <= a0.updated_at
    assert a0.suggested_label is None and a0.suggestion_accepted is None
    assert anns[2].suggested_label == "fact" and anns[2].suggestion_accepted is False
    # visible from a fresh connection: committed
    con = sqlite3.connect(store.path)
    rows = con.execute("SELECT sentence_index, label FROM annotations ORDER BY 1").fetchall()
    assert rows == [(0, "opinion"), (2, "quote")]
    con.close()


def test_suggestion_accepted(store):
    store.tag(ARTICLE.id, SENTS[1], "fact", "ann", Suggestion("fact", 0.9, "x"))
    assert store.annotations(ARTICLE.id, "ann")[1].suggestion_accepted is True


def test_annotators_are_separate(store):
    store.tag(ARTICLE.id, SENTS[0], "fact", "alice")
    store.tag(ARTICLE.id, SENTS[0], "opinion", "bob")
    assert store.annotations(ARTICLE.id, "alice")[0].label == "fact"
    assert store.annotations(ARTICLE.id, "bob")[0].label == "opinion"
    assert store.list_articles("alice")[0].n_tagged == 1
    assert store.list_articles("carol")[0].n_tagged == 0
    assert store.list_articles()[0].n_tagged == 1  # distinct sentences


def test_clear(store):
    assert store.clear(ARTICLE.id, 0, "ann") is None
    store.tag(ARTICLE.id, SENTS[0], "fact", "ann")
    assert store.clear(ARTICLE.id, 0, "ann") == "fact"
    assert store.annotations(ARTICLE.id, "ann") == {}
    assert store.clear(ARTICLE.id, 0, "ann") is None
    assert store.tag(ARTICLE.id, SENTS[0], "quote", "ann") is None


def test_bad_label_and_unknown_article(store):
    with pytest.raises(ValueError):
        store.tag(ARTICLE.id, SENTS[0], "rumour", "ann")
    with pytest.raises(StoreError, match="not in"):
        store.tag("0000000000000000", SENTS[0], "fact", "ann")


def test_undo_redo_chain(store):
    a = ARTICLE.id
    assert store.undo(a, "ann") is None
    store.tag(a, SENTS[0], "fact", "ann")
    store.tag(a, SENTS[0], "opinion", "ann")
    store.tag(a, SENTS[1], "quote", "ann")
    store.clear(a, 0, "ann")
    assert store.undo(a, "ann") == Change(0, "opinion")
    assert store.undo(a, "ann") == Change(1, None)
    assert store.undo(a, "ann") == Change(0, "fact")
    assert store.annotations(a, "ann")[0].label == "fact"
    assert store.redo(a, "ann") == Change(0, "opinion")
    assert store.redo(a, "ann") == Change(1, "quote")
    assert store.redo(a, "ann") == Change(0, None)
    assert store.redo(a, "ann") is None
    assert store.undo(a, "ann") == Change(0, "opinion")
    assert store.undo(a, "ann") == Change(1, None)
    assert store.undo(a, "ann") == Change(0, "fact")
    assert store.undo(a, "ann") == Change(0, None)
    assert store.undo(a, "ann") is None
    assert store.annotations(a, "ann") == {}


def test_new_change_clears_redo(store):
    a = ARTICLE.id
    store.tag(a, SENTS[0], "fact", "ann")
    store.tag(a, SENTS[1], "fact", "ann")
    assert store.undo(a, "ann") == Change(1, None)
    store.tag(a, SENTS[2], "quote", "ann")
    assert store.redo(a, "ann") is None
    assert store.undo(a, "ann") == Change(2, None)
    assert store.undo(a, "ann") == Change(0, None)


def test_undo_is_per_annotator(store):
    a = ARTICLE.id
    store.tag(a, SENTS[0], "fact", "alice")
    store.tag(a, SENTS[0], "opinion", "bob")
    assert store.undo(a, "alice") == Change(0, None)
    assert store.annotations(a, "bob")[0].label == "opinion"
    assert store.undo(a, "alice") is None


def test_noop_tag_logs_nothing(store):
    a = ARTICLE.id
    store.tag(a, SENTS[0], "fact", "ann")
    assert store.tag(a, SENTS[0], "fact", "ann") == "fact"
    kinds = [e["kind"] for e in store.history(a)]
    assert kinds == ["tag"]


def test_event_log_is_append_only_record(store):
    a = ARTICLE.id
    store.tag(a, SENTS[0], "fact", "ann")
    store.clear(a, 0, "ann")
    store.undo(a, "ann")
    store.redo(a, "ann")
    ev = store.history(a, "ann")
    assert [(e["kind"], e["sentence_index"], e["label"], e["previous_label"]) for e in ev] == [
        ("tag", 0, "fact", None), ("clear", 0, None, "fact"), ("undo", 0, "fact", None),
        ("redo", 0, None, "fact")]
    assert ev[2]["target"] == ev[1]["id"] and ev[3]["target"] == ev[1]["id"]
    assert all(e["time"].endswith("Z") for e in ev)


def test_remove_article_keeps_history_and_ends_undo(store):
    a = ARTICLE.id
    store.tag(a, SENTS[0], "fact", "alice")
    store.tag(a, SENTS[1], "quote", "bob")
    assert store.remove_article("nope") is False
    assert store.remove_article(a) is True
    assert store.get_article(a) is None and store.list_articles() == []
    assert store.annotations(a, "alice") == {}
    kinds = [(e["annotator"], e["kind"]) for e in store.history(a)]
    assert kinds == [("alice", "tag"), ("bob", "tag"), ("alice", "remove"),
                     ("bob", "remove")]
    store.add_article(ARTICLE)
    assert store.undo(a, "alice") is None  # the deleted rows cannot come back by undo


def test_articles_with_url(store):
    assert store.articles_with_url("https://example.org/plan") == [ARTICLE.id]
    assert store.articles_with_url("/tmp/plan.txt") == [ARTICLE.id]
    assert store.articles_with_url("https://example.org/other") == []
