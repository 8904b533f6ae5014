"""Export formats, formula-injection neutralisation, and export -> import -> export."""
from __future__ import annotations

import csv
import io
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsreader.core.export import (CSV_COLUMNS, FORMULA_TRIGGERS, build_docbin, export,
                                    neutralise, unneutralise, write_csv, write_jsonl)
from newsreader.core.importer import import_file
from newsreader.core.models import Article, Sentence, Suggestion
from newsreader.core.store import Store

TRICKY = [
    "=SUM(A1:A9) is what the memo said.",
    "+44 20 7946 0000 was the number.",
    "-5% was the drop, officials said.",
    "@handle posted it first.",
    "\tIndented with a tab.",
    "'=quoted already' said the clerk.",
    "''@twice quoted.",
    "'plain quote at the start.",
    "Commas, \"double quotes\" and a\nline break.",
    "Unicode: café, 北京, emoji 🙂, and \u2028separator.",
    "Ordinary sentence.",
]


def build(path) -> Store:
    store = Store.open(path)
    text1 = " ".join(TRICKY)
    a1 = Article(id="1111111111111111", text=text1, title="=Tricky, \"title\"", date="2024-02-03",
                 source="@wire", url="https://example.org/a?x=1&y=2", location="/data/a.txt",
                 author="-Anon")
    a2 = Article(id="2222222222222222", text="Second one. Another here.\n\nLast line.", title=None)
    store.add_article(a1, len(TRICKY))
    store.add_article(a2, 3)
    sents1, pos = [], 0
    for i, t in enumerate(TRICKY):
        sents1.append(Sentence(i, pos, pos + len(t), t, 0, Suggestion("fact", 0.5, "x")))
        pos += len(t) + 1
    sents2 = [Sentence(0, 0, 11, "Second one.", 0, Suggestion("opinion", 0.6, "y")),
              Sentence(1, 12, 25, "Another here.", 0, Suggestion("fact", 0.6, "y")),
              Sentence(2, 27, 37, "Last line.", 1, Suggestion("quote", 0.6, "y"))]
    labels = ("fact", "quote", "opinion")
    for i, s in enumerate(sents1):
        store.tag(a1.id, s, labels[i % 3], "alice", s.suggestion)
        if i % 2 == 0:
            store.tag(a1.id, s, labels[(i + 1) % 3], "=bob", None)
    store.tag(a2.id, sents2[0], "opinion", "alice", sents2[0].suggestion)
    store.tag(a2.id, sents2[1], "fact", "alice")
    store.tag(a2.id, sents2[2], "quote", "carol", sents2[2].suggestion)
    # orphans: re-segment article 2 so that its first two sentences become one
    merged = [sents2[0].__class__(0, 0, 25, "Second one. Another here.", 0, sents2[0].suggestion),
              Sentence(1, 27, 37, "Last line.", 1, sents2[2].suggestion)]
    store.reanchor(a2.id, merged)
    return store


def export_bytes(store, fmt, **kw) -> bytes:
    buf = io.BytesIO()
    export(store.iter_export(**kw), fmt, None, stdout=buf)
    return buf.getvalue()


@pytest.fixture
def store(tmp_path):
    s = build(tmp_path / "a" / "newsreader.db")
    yield s
    s.close()


# -- formula injection -------------------------------------------------------

@pytest.mark.parametrize("cell, out", [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@x", "'@x"), ("\tx", "'\tx"),
    ("\rx", "'\rx"), ("'=x", "''=x"), ("''+x", "'''+x"), ("'x", "'x"), ("''", "''"),
    ("x=1", "x=1"), ("", ""), (" =x", " =x"), ("1-2", "1-2"), ("'", "'"),
])
def test_neutralise_cases(cell, out):
    assert neutralise(cell) == out
    assert unneutralise(out) == cell


@given(st.text(alphabet=st.sampled_from(list("'=+-@\t\rab ,\"\n")), max_size=12) | st.text())
def test_neutralise_is_reversible_and_safe(cell):
    safe = neutralise(cell)
    assert unneutralise(safe) == cell
    assert not safe or safe[0] not in FORMULA_TRIGGERS


def test_csv_cells_never_start_with_a_trigger(store):
    data = export_bytes(store, "csv").decode("utf-8")
    rows = list(csv.reader(io.StringIO(data, newline="")))
    assert tuple(rows[0]) == CSV_COLUMNS
    for row in rows:
        for cell in row:
            assert not cell or cell[0] not in FORMULA_TRIGGERS, cell
    sentences = {r[10] for r in rows[1:]}
    assert "'=SUM(A1:A9) is what the memo said." in sentences
    assert "''=quoted already' said the clerk." in sentences
    assert "'''@twice quoted." in sentences
    assert "'plain quote at the start." in sentences  # untouched: no trigger follows
    assert "'\tIndented with a tab." in sentences
    assert "'=bob" in {r[12] for r in rows}


# -- CSV shape -----------------------------------------------------------------

def test_csv_is_rfc4180_crlf_utf8(store):
    data = export_bytes(store, "csv")
    assert data.startswith(b"article_id,article_title,article_date,source,url,location,author,"
                           b"sentence_index,char_start,char_end,sentence,label,annotator,"
                           b"created_at,updated_at,suggested_label,suggestion_accepted,orphaned\r\n")
    text = data.decode("utf-8")
    assert text.endswith("\r\n")
    assert "\"Commas, \"\"double quotes\"\" and a\nline break.\"" in text  # quoted, doubled
    records = text.split("\r\n")
    assert all(r.count("\r") == 0 for r in records)
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert len(rows) == 11 + 6 + 3
    first = rows[0]
    assert first["article_id"] == "1111111111111111"
    assert first["article_title"] == "'=Tricky, \"title\""
    assert first["source"] == "'@wire" and first["location"] == "/data/a.txt"
    assert (first["sentence_index"], first["char_start"], first["char_end"]) == ("0", "0", "34")
    assert first["suggestion_accepted"] in ("true", "false", "")
    orphan = [r for r in rows if r["orphaned"] == "true"]
    # merging the first two sentences of article 2 orphaned both of alice's labels there
    assert [(o["sentence"], o["annotator"], o["sentence_index"]) for o in orphan] == [
        ("Second one.", "alice", "0"), ("Another here.", "alice", "1")]


def test_filters(store):
    def rows(**kw):
        return list(csv.DictReader(io.StringIO(export_bytes(store, "csv", **kw).decode(),
                                               newline="")))
    assert {r["annotator"] for r in rows(annotator="alice")} == {"alice"}
    assert len(rows(annotator="=bob")) == 6
    assert {r["article_id"] for r in rows(article_id="2222222222222222")} == {"2222222222222222"}
    assert {r["label"] for r in rows(label="quote")} == {"quote"}
    assert rows(annotator="nobody") == []
    assert export_bytes(store, "csv", annotator="nobody").count(b"\r\n") == 1  # header only


# -- JSONL -------------------------------------------------------------------

def test_jsonl_is_prodigy_textcat_shape(store):
    lines = export_bytes(store, "jsonl").decode("utf-8").split("\n")
    assert lines[-1] == ""
    recs = [json.loads(x) for x in lines[:-1]]
    assert len(recs) == 20
    r = recs[0]
    assert set(r) == {"text", "label", "answer", "meta"}
    assert r["answer"] == "accept" and r["label"] in ("fact", "quote", "opinion")
    assert r["text"] == "=SUM(A1:A9) is what the memo said."  # no CSV escaping in JSON
    for key in ("article_id", "sentence_index", "char_start", "char_end", "annotator",
                "updated_at", "suggested_label", "suggestion_accepted", "orphaned"):
        assert key in r["meta"]
    assert "\u2028" not in "\n".join(lines)  # escaped, so a line is a record everywhere


def test_jsonl_offsets_point_into_the_article(store):
    for line in export_bytes(store, "jsonl").decode().splitlines():
        rec = json.loads(line)
        art = store.get_article(rec["meta"]["article_id"])
        m = rec["meta"]
        assert art.text[m["char_start"]:m["char_end"]] == rec["text"]


# -- round trips ---------------------------------------------------------------

@pytest.mark.parametrize("fmt, suffix", [("csv", ".csv"), ("jsonl", ".jsonl")])
def test_export_import_export_is_identical(store, tmp_path, fmt, suffix):
    first = export_bytes(store, fmt)
    f = tmp_path / f"labels{suffix}"
    f.write_bytes(first)
    with Store.open(tmp_path / "b" / "newsreader.db") as fresh:
        counts = import_file(fresh, f)
        assert counts["added"] == 20 and counts["articles"] == 2
        assert export_bytes(fresh, fmt) == first
        # both formats carry the same data
        other = "jsonl" if fmt == "csv" else "csv"
        assert export_bytes(fresh, other) == export_bytes(store, other)
        # importing again changes nothing and logs nothing
        n_events = len(fresh.history("1111111111111111"))
        again = import_file(fresh, f)
        assert (again["added"], again["updated"], again["same"]) == (0, 0, 20)
        assert len(fresh.history("1111111111111111")) == n_events
        assert export_bytes(fresh, fmt) == first


def test_import_creates_placeholder_articles_then_real_text_wins(store, tmp_path):
    f = tmp_path / "x.csv"
    f.write_bytes(export_bytes(store, "csv"))
    with Store.open(tmp_path / "c" / "newsreader.db") as fresh:
        import_file(fresh, f)
        placeholder = fresh.get_article("1111111111111111")
        assert placeholder.title == "=Tricky, \"title\"" and placeholder.source == "@wire"
        for a in fresh.annotations("1111111111111111", "alice").values():
            assert placeholder.text[a.start:a.end] == a.text
        real = store.get_article("1111111111111111")
        fresh.add_article(real)
        assert fresh.get_article("1111111111111111").text == real.text
        assert len(fresh.annotations("1111111111111111", "alice")) == 11


def test_import_merges_newer_wins(store, tmp_path):
    f = tmp_path / "x.jsonl"
    f.write_bytes(export_bytes(store, "jsonl"))
    with Store.open(tmp_path / "d" / "newsreader.db") as other:
        import_file(other, f)
        # the other store relabels a sentence later; importing the old file keeps it
        s = Sentence(1, 27, 37, "Last line.", 1, Suggestion("quote", 0.6, "y"))
        assert other.tag("2222222222222222", s, "fact", "carol") == "quote"
        c = import_file(other, f)
        assert c["updated"] == 0
        assert other.annotations("2222222222222222", "carol")[1].label == "fact"
        # and the newer label flows back into the first store
        g = tmp_path / "y.csv"
        g.write_bytes(export_bytes(other, "csv"))
        c = import_file(store, g)
        assert (c["added"], c["updated"]) == (0, 1)
        assert store.annotations("2222222222222222", "carol")[1].label == "fact"
        assert store.history("2222222222222222", "carol")[-1]["kind"] == "import"


def test_spacy_docbin(store, tmp_path):
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import DocBin

    out = tmp_path / "train.spacy"
    n = export(store.iter_export(), "spacy", out)
    assert n == 20
    nlp = spacy.blank("en")
    docs = list(DocBin().from_disk(out).get_docs(nlp.vocab))
    assert len(docs) == 20
    rows = list(store.iter_export())
    for doc, row in zip(docs, rows):
        assert doc.text == row.sentence
        assert doc.cats == {lab: (1.0 if lab == row.label else 0.0)
                            for lab in ("fact", "quote", "opinion")}
        assert doc.user_data["newsreader"]["annotator"] == row.annotator
    assert build_docbin(iter(())).__len__() == 0


def test_writers_count_rows(store):
    assert write_csv(store.iter_export(), io.StringIO(newline="")) == 20
    assert write_jsonl(store.iter_export(), io.StringIO()) == 20


# -- any text survives the round trip ------------------------------------------

from hypothesis import HealthCheck, settings  # noqa: E402

_cell = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.lists(_cell.filter(bool), min_size=1, max_size=4), title=_cell,
       who=_cell.filter(lambda s: s.strip() != ""), fmt=st.sampled_from(["csv", "jsonl"]))
def test_round_trip_any_text(tmp_path_factory, body, title, who, fmt):
    d = tmp_path_factory.mktemp("rt")
    text = " ".join(body)
    art = Article(id="9999999999999999", text=text, title=title or None, source=title)
    with Store.open(d / "a.db") as a:
        a.add_article(art)
        pos = 0
        for i, part in enumerate(body):
            a.tag(art.id, Sentence(i, pos, pos + len(part), part, 0,
                                   Suggestion("fact", 0.5, "")), LABELS3[i % 3], who)
            pos += len(part) + 1
        first = export_bytes(a, fmt)
    f = d / f"x.{fmt}"
    f.write_bytes(first)
    with Store.open(d / "b.db") as b:
        assert import_file(b, f)["added"] == len(body)
        assert export_bytes(b, fmt) == first


LABELS3 = ("fact", "quote", "opinion")
