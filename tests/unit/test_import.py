"""Import: format detection, validation before writing, exact error lines."""
from __future__ import annotations

import json

import pytest

from newsreader.core.errors import InputError
from newsreader.core.importer import detect_format, import_file
from newsreader.core.store import Store

HEADER = ("article_id,article_title,sentence_index,char_start,char_end,sentence,label,annotator,"
          "created_at,updated_at\r\n")
ROW = "abababababababab,T,{i},{s},{e},{text},{label},ann,2024-01-01T00:00:00Z,2024-01-01T00:00:0{i}Z\r\n"


def rows(n=3, label="fact"):
    out, pos = [], 0
    for i in range(n):
        t = f"Sentence {i}."
        out.append(ROW.format(i=i, s=pos, e=pos + len(t), text=t, label=label))
        pos += len(t) + 1
    return out


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "db" / "newsreader.db") as s:
        yield s


def err(store, path) -> str:
    with pytest.raises(InputError) as e:
        import_file(store, path)
    assert "\n" not in str(e.value)
    return str(e.value)


def test_minimal_csv_with_fewer_columns(store, tmp_path):
    f = tmp_path / "in.csv"
    f.write_text(HEADER + "".join(rows()), newline="")
    c = import_file(store, f)
    assert (c["added"], c["articles"], c["rows"]) == (3, 1, 3)
    got = store.annotations("abababababababab", "ann")
    assert [a.text for a in got.values()] == ["Sentence 0.", "Sentence 1.", "Sentence 2."]
    assert got[2].updated_at == "2024-01-01T00:00:02Z"
    assert got[0].suggested_label is None and got[0].suggestion_accepted is None
    assert store.get_article("abababababababab").text == "Sentence 0. Sentence 1. Sentence 2."


def test_bom_and_lf_line_endings(store, tmp_path):
    f = tmp_path / "in.csv"
    f.write_bytes(b"\xef\xbb\xbf" + (HEADER + "".join(rows())).replace("\r\n", "\n").encode())
    assert import_file(store, f)["added"] == 3


def test_bad_label_stops_before_anything_is_written(store, tmp_path):
    f = tmp_path / "in.csv"
    body = rows(5)
    body[3] = body[3].replace(",fact,", ",rumour,")
    f.write_text(HEADER + "".join(body), newline="")
    assert err(store, f) == (f"{f}:5: unknown label 'rumour' (expected fact, quote, opinion)")
    assert store.list_articles() == []


def test_bad_number(store, tmp_path):
    f = tmp_path / "in.csv"
    body = rows(2)
    body[1] = body[1].replace(",1,", ",one,", 1)
    f.write_text(HEADER + "".join(body), newline="")
    assert err(store, f) == f"{f}:3: sentence_index must be a whole number, not 'one'"


def test_missing_columns(store, tmp_path):
    f = tmp_path / "in.csv"
    f.write_text("article_id,sentence\r\nx,y\r\n", newline="")
    assert err(store, f) == (f"{f}: not a newsreader CSV export (missing columns: "
                             "sentence_index, char_start, char_end, label, annotator)")


def test_wrong_cell_count(store, tmp_path):
    f = tmp_path / "in.csv"
    f.write_text(HEADER + "a,b\r\n", newline="")
    assert err(store, f) == f"{f}:2: 2 cells, the header has 10"


def test_not_utf8(store, tmp_path):
    f = tmp_path / "in.csv"
    f.write_bytes(HEADER.encode() + "abababababababab,caf\xe9".encode("latin-1") + b"\r\n")
    assert err(store, f).startswith(f"{f}: not UTF-8 text (")


def test_empty_file(store, tmp_path):
    f = tmp_path / "in.csv"
    f.write_bytes(b"")
    assert err(store, f) == f"{f}: empty file, expected a newsreader CSV export"


def test_spacy_file_refused(store, tmp_path):
    f = tmp_path / "train.spacy"
    f.write_bytes(b"\x00\x01")
    assert err(store, f) == (f"{f}: a .spacy DocBin cannot be imported (it holds no annotators "
                             "or times); import the CSV or JSONL export instead")


def test_missing_and_directory(store, tmp_path):
    assert err(store, tmp_path / "nope.csv") == f"{tmp_path / 'nope.csv'} does not exist"
    assert err(store, tmp_path) == (f"{tmp_path} is a directory; give an exported .csv or "
                                    ".jsonl file")


def test_detect_by_content(tmp_path):
    a, b = tmp_path / "labels", tmp_path / "other"
    a.write_text('{"text": "x"}\n')
    b.write_text(HEADER)
    assert detect_format(a) == "jsonl" and detect_format(b) == "csv"


def jsonl(recs) -> str:
    return "".join(json.dumps(r) + "\n" for r in recs)


def rec(i=0, **meta):
    m = {"article_id": "cdcdcdcdcdcdcdcd", "sentence_index": i, "char_start": 0, "char_end": 5,
         "annotator": "ann", "created_at": "t1", "updated_at": "t2"}
    m.update(meta)
    return {"text": "Hello", "label": "quote", "answer": "accept", "meta": m}


def test_jsonl_rejects_and_ignores_are_skipped(store, tmp_path):
    f = tmp_path / "in.jsonl"
    r2 = rec(1)
    r2["answer"] = "reject"
    f.write_text(jsonl([rec(0), r2]))
    c = import_file(store, f)
    assert (c["added"], c["skipped"]) == (1, 1)


def test_jsonl_errors(store, tmp_path):
    f = tmp_path / "in.jsonl"
    f.write_text(jsonl([rec(0)]) + "{oops\n")
    assert err(store, f) == f"{f}:2: not JSON (Expecting property name enclosed in double quotes)"
    f.write_text(jsonl([rec(0, char_start=9, char_end=3)]))
    assert err(store, f) == f"{f}:1: char_end 3 is before char_start 9"
    f.write_text(jsonl([{"text": "x", "label": "fact"}]))
    assert err(store, f) == f"{f}:1: expected a record with text, label, answer and meta"
    f.write_text(jsonl([rec(0, annotator="")]))
    assert err(store, f) == f"{f}:1: annotator is empty"
    f.write_text(jsonl([rec(0, sentence_index=True)]))
    assert err(store, f) == f"{f}:1: sentence_index must be a whole number, not True"
    assert store.list_articles() == []
