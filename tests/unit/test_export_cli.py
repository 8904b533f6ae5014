"""`newsreader export / import / stats` as real subprocesses: output, exit codes, errors."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from newsreader.core.store import Store

sys.path.insert(0, str(Path(__file__).parent))
from test_export import build, export_bytes  # noqa: E402

EXE = str(Path(sys.executable).parent / "newsreader")


def nr(*args, cwd=None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env.pop("NEWSREADER_DATA_DIR", None)  # every call says --data-dir explicitly
    return subprocess.run([EXE, *args], capture_output=True, cwd=cwd, env=env, timeout=120)


def one_line_error(p: subprocess.CompletedProcess, code: int = 1) -> str:
    err = p.stderr.decode()
    assert p.returncode == code, err
    assert "Traceback" not in err
    assert err.count("\n") == 1, err
    return err.rstrip("\n")


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    d = tmp_path_factory.mktemp("cli-store")
    build(d / "newsreader.db").close()
    return d


def test_export_csv_to_stdout_matches_library(data):
    p = nr("export", "--data-dir", str(data))
    assert p.returncode == 0, p.stderr
    with Store.open(data / "newsreader.db") as store:
        assert p.stdout == export_bytes(store, "csv")
    assert p.stderr == b""


def test_export_filters(data):
    p = nr("export", "--data-dir", str(data), "--annotator", "carol", "--format", "jsonl")
    recs = [json.loads(x) for x in p.stdout.decode().splitlines()]
    assert [r["meta"]["annotator"] for r in recs] == ["carol"]
    p = nr("export", "--data-dir", str(data), "--label", "quote", "--article", "1" * 16)
    lines = p.stdout.decode().split("\r\n")
    # alice: sentences 1, 4, 7, 10; =bob: 0, 6 (header + 6 rows + the final CRLF)
    assert len(lines) == 2 + 6 and all(",quote," in x for x in lines[1:-1])


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_cli_round_trip(data, tmp_path, fmt):
    out = tmp_path / f"labels.{fmt}"
    p = nr("export", "--data-dir", str(data), "--format", fmt, "--output", str(out))
    assert p.returncode == 0
    assert p.stderr.decode() == f"newsreader: wrote 20 labels to {out}\n"
    fresh = tmp_path / "fresh"
    p = nr("import", str(out), "--data-dir", str(fresh))
    assert p.returncode == 0, p.stderr
    assert p.stderr.decode() == (f"newsreader: {out}: 20 labels read; 20 added, 0 updated, "
                                 "0 unchanged; 2 new articles\n")
    again = tmp_path / f"again.{fmt}"
    assert nr("export", "--data-dir", str(fresh), "--format", fmt, "-o", str(again)
              ).returncode == 0
    assert again.read_bytes() == out.read_bytes()
    p = nr("import", str(out), "--data-dir", str(fresh))
    assert "0 added, 0 updated, 20 unchanged" in p.stderr.decode()


def test_spacy_needs_output_then_loads(data, tmp_path):
    p = nr("export", "--data-dir", str(data), "--format", "spacy")
    assert one_line_error(p, 2) == "newsreader: export --format spacy needs --output FILE.spacy"
    out = tmp_path / "train.spacy"
    p = nr("export", "--data-dir", str(data), "--format", "spacy", "--output", str(out),
           "--annotator", "alice")
    assert p.returncode == 0, p.stderr
    import spacy
    from spacy.tokens import DocBin

    docs = list(DocBin().from_disk(out).get_docs(spacy.blank("en").vocab))
    assert len(docs) == 13
    assert all(sum(d.cats.values()) == 1.0 and set(d.cats) == {"fact", "quote", "opinion"}
               for d in docs)
    p = nr("import", str(out), "--data-dir", str(tmp_path / "x"))
    assert one_line_error(p).startswith(f"newsreader: {out}: a .spacy DocBin cannot be imported")


def test_usage_errors_exit_2(data):
    p = nr("export", "--data-dir", str(data), "--label", "rumour")
    assert p.returncode == 2 and b"invalid choice" in p.stderr
    p = nr("export", "--data-dir", str(data), "--format", "xml")
    assert p.returncode == 2


def test_output_into_missing_directory(data, tmp_path):
    target = tmp_path / "no" / "such" / "out.csv"
    p = nr("export", "--data-dir", str(data), "--output", str(target))
    assert one_line_error(p) == (f"newsreader: cannot write {target}: directory "
                                 f"{target.parent} does not exist")


def test_bad_import_line(tmp_path):
    f = tmp_path / "bad.csv"
    f.write_text("article_id,sentence_index,char_start,char_end,sentence,label,annotator\r\n"
                 "abcd,0,0,3,Hi.,fact,ann\r\nabcd,1,4,7,Yo.,maybe,ann\r\n", newline="")
    p = nr("import", str(f), "--data-dir", str(tmp_path / "d"))
    assert one_line_error(p) == (f"newsreader: {f}:3: unknown label 'maybe' (expected fact, "
                                 "quote, opinion)")
    with Store.open(tmp_path / "d" / "newsreader.db") as store:
        assert store.list_articles() == []  # nothing half-imported


def test_data_dir_is_a_file(tmp_path):
    f = tmp_path / "file"
    f.write_text("x")
    for cmd in (["export"], ["stats"], ["import", str(f)]):
        p = nr(*cmd, "--data-dir", str(f))
        assert one_line_error(p) == (f"newsreader: cannot create data directory {f}: a file is "
                                     "in the way; move it or pass --data-dir DIR")
    assert f.read_text() == "x"


def test_corrupt_store_untouched(tmp_path):
    d = tmp_path / "d"
    d.mkdir()
    db = d / "newsreader.db"
    db.write_bytes(b"\x00garbage" * 1000)
    for cmd in (["export"], ["stats", "--json"]):
        p = nr(*cmd, "--data-dir", str(d))
        assert one_line_error(p) == (f"newsreader: {db} is not a newsreader database (not an "
                                     "SQLite file); move it aside (nothing was changed) or pass "
                                     "--data-dir DIR to use another store")
    assert db.read_bytes() == b"\x00garbage" * 1000
    assert sorted(os.listdir(d)) == ["newsreader.db"]


def test_broken_pipe_is_quiet(data):
    p = subprocess.run(f"'{EXE}' export --data-dir '{data}' | head -c 10", shell=True,
                       capture_output=True, timeout=120)
    assert p.stdout == b"article_id"
    assert b"Traceback" not in p.stderr and b"Error" not in p.stderr


def test_article_prefix_and_unknown(data):
    p = nr("export", "--data-dir", str(data), "--article", "2222")
    assert p.returncode == 0
    assert {line.split(",")[0] for line in p.stdout.decode().split("\r\n")[1:-1]} == \
        {"2222222222222222"}
    p = nr("export", "--data-dir", str(data), "--article", "abcdef")
    assert one_line_error(p) == ("newsreader: abcdef: no such article in the library "
                                 "(see `newsreader list`)")
