"""Hostile article text is never interpreted: not by ``analyze``, not in exports.

Terminal escapes (CSI, OSC window title and hyperlink, DCS), C0/C1 controls
are removed at ingest; Rich/Textual markup such as ``[bold red]`` or
``[@click=app.quit]`` stays literal text everywhere. The reader's side of the
same promise is in test_reader_faults.py.
"""
from __future__ import annotations

import csv
import io
import json
import os
import re
import select
import subprocess

import pytest
from hardening_helpers import (ANNOTATOR, NEWSREADER, base_env, offset_problems, run_nr)

from newsreader.core.models import Sentence, Suggestion
from newsreader.core.store import Store

HOSTILE = (
    "[bold red]Headline[/] [@click=app.quit]click me[/]\n\n"
    "The minister said [link=https://example.com]nothing[/link] on Monday. "
    "\x1b]0;pwned-title\x07Officials \x1b[31mdenied\x1b[0m it, according to [b]Reuters[/b]. "
    "\x1b]8;;https://evil.example/\x1b\\a hyperlink\x1b]8;;\x1b\\ here. "
    "\x1bP1$rq\x1b\\DCS gone. \x1b[2J\x1b[H\x1b[?1049h screen kept. "
    "C1 \x9b31m csi \x9d0;c1-title\x07 osc \x90dcs-body\x9c end. bell\x07 bs\x08 del\x7f ok.\n\n"
    "\u201c[red]Not red[/red],\u201d said Ms Lee, quoting \\[escaped] and [/] and [dim]. "
    "Unterminated \x1b]0;runaway title to the end of the line\n\n"
    "Last [@click=app.bell]paragraph[/] stays."
)

LITERAL = ["[bold red]Headline[/]", "[@click=app.quit]click me[/]",
           "[link=https://example.com]nothing[/link]", "[b]Reuters[/b]",
           "[red]Not red[/red]", "\\[escaped]", "[@click=app.bell]paragraph[/]"]
GONE = ["pwned-title", "evil.example", "c1-title", "dcs-body", "runaway title", "1$rq",
        "[31m", "[2J", "?1049h"]
KEPT = ["Officials denied it", "a hyperlink here.", "DCS gone.", "screen kept.", "bell bs del ok."]

# an ESC or BEL byte, or a C1 control (raw, or UTF-8 encoded as C2 80..C2 9F)
UNSAFE = re.compile(rb"[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f]|\xc2[\x80-\x9f]")


EVIL_NAME = "evil\x1b]0;pwned\x07[bold]name[red].txt"


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    """One JSON run and one summary run of the real command over both hostile files."""
    d = tmp_path_factory.mktemp("hostile")
    data_dir = tmp_path_factory.mktemp("hostile-data")
    hostile = d / "hostile.txt"
    hostile.write_text(HOSTILE, encoding="utf-8")
    evil = d / EVIL_NAME
    evil.write_text("The council said the bridge would reopen on Monday.\n", encoding="utf-8")
    as_json = run_nr(["analyze", "--json", str(hostile), str(evil)], data_dir)
    summary = run_nr(["analyze", str(hostile), str(evil)], data_dir)
    for res in (as_json, summary):
        assert res.returncode == 0, res.stderr
    return {"dir": d, "data_dir": data_dir, "hostile": hostile, "json": as_json,
            "summary": summary, "articles": json.loads(as_json.stdout)["articles"]}


def assert_clean_bytes(data: bytes, what: str) -> None:
    m = UNSAFE.search(data)
    assert m is None, f"{what}: control byte {m.group()!r} at {m.start()}: {data[max(0, m.start() - 40):m.end() + 40]!r}"


def test_analyze_json_keeps_markup_literal_and_drops_escapes(outputs):
    out = outputs["json"].stdout_bytes
    assert_clean_bytes(out, "analyze --json")
    assert b"\\u001b" not in out and b"\\u009" not in out
    art = outputs["articles"][0]
    everything = art["text"] + (art["title"] or "")
    for s in LITERAL:
        assert s in everything, s
    for s in GONE:
        assert s not in everything, s
    for s in KEPT:
        assert s in art["text"], s
    assert offset_problems(art) == []


def test_analyze_summary_keeps_markup_literal(outputs):
    res = outputs["summary"]
    assert_clean_bytes(res.stdout_bytes, "analyze summary")
    flat = " ".join(res.stdout.split())
    for s in ["[bold red]Headline[/]", "[@click=app.quit]click me[/]", "[b]Reuters[/b]",
              "[red]Not red[/red]"]:
        assert s in flat, s
    for s in GONE:
        assert s not in flat, s


def _run_in_pty(argv: list[str], env: dict[str, str], timeout: float = 240) -> bytes:
    """Run with stdout on a pseudo-terminal (so Rich draws colour); return what it wrote."""
    import time

    master, slave = os.openpty()
    try:
        proc = subprocess.Popen(argv, stdout=slave, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                                env=env)
    finally:
        os.close(slave)
    chunks = []
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.2)
            if ready:
                try:
                    data = os.read(master, 65536)
                except OSError:  # EIO: the child closed the terminal
                    break
                if not data:
                    break
                chunks.append(data)
            elif proc.poll() is not None:
                break
        proc.wait(timeout=30)
    finally:
        os.close(master)
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, proc.stderr.read()
    return b"".join(chunks)


def test_analyze_summary_on_a_terminal_emits_only_colour_codes(outputs):
    env = base_env(outputs["data_dir"], TERM="xterm-256color", COLORTERM="truecolor")
    out = _run_in_pty([str(NEWSREADER), "analyze", str(outputs["hostile"]),
                       str(outputs["dir"] / EVIL_NAME)], env)
    assert b"\x1b[" in out, "expected colour on a terminal"
    # every escape sequence is SGR (colour/bold): no title, hyperlink, DCS, cursor or screen codes
    for seq in re.findall(rb"\x1b.{0,24}", out):
        assert re.match(rb"\x1b\[[0-9;]*m", seq), seq
    assert b"\x07" not in out and not re.search(rb"\xc2[\x80-\x9f]", out)
    plain = re.sub(rb"\x1b\[[0-9;]*m", b"", out).decode()
    assert "[@click=app.quit]click me[/]" in " ".join(plain.split())


def test_hostile_file_name_in_summary_and_json(outputs):
    assert "[bold]name[red].txt" in outputs["summary"].stdout
    location = outputs["articles"][1]["location"]
    assert UNSAFE.search(location.encode()) is None
    assert location.endswith("evil\ufffd]0;pwned\ufffd[bold]name[red].txt")


@pytest.fixture(scope="module")
def tagged_hostile(outputs):
    """Both hostile articles added with the real command, every sentence tagged."""
    data_dir = outputs["data_dir"]
    res = run_nr(["add", "--no-analyze", str(outputs["hostile"]), str(outputs["dir"] / EVIL_NAME)],
                 data_dir)
    assert res.returncode == 0, res.stderr
    n = 0
    with Store.open(data_dir / "newsreader.db") as store:
        for art in outputs["articles"]:
            assert store.get_article(art["id"]).text == art["text"]
            for i, s in enumerate(art["sentences"]):
                sent = Sentence(s["index"], s["start"], s["end"], s["text"], s["paragraph"],
                                Suggestion(**s["suggestion"]))
                store.tag(art["id"], sent, ("fact", "quote", "opinion")[i % 3], ANNOTATOR,
                          sent.suggestion)
                n += 1
    return n


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_exports_contain_no_escapes_and_keep_markup(fmt, tagged_hostile, outputs):
    res = run_nr(["export", "--format", fmt], outputs["data_dir"])
    assert res.returncode == 0, res.stderr
    assert_clean_bytes(res.stdout_bytes.replace(b"\r\n", b"\n"), f"export {fmt}")
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(res.stdout)))
        sentences = [r["sentence"] for r in rows]
        meta = {r["article_title"] + " " + r["location"] for r in rows}
    else:
        recs = [json.loads(line) for line in res.stdout.splitlines()]
        sentences = [r["text"] for r in recs]
        meta = {(r["meta"]["article_title"] or "") + " " + r["meta"]["location"] for r in recs}
    assert len(sentences) == tagged_hostile
    joined = " ".join(sentences) + " ".join(meta)
    for s in LITERAL + ["[bold]name[red].txt"]:
        assert s in joined, s
    for s in GONE:
        assert s not in joined, s


IMPORT_CASES = {
    "esc-in-sentence": {"sentence": "Officials \x1b[31mdenied\x1b[0m it."},
    "osc-title-in-article-title": {"article_title": "\x1b]0;pwned\x07Title"},
    "c1-in-annotator": {"annotator": "eve\x9b31m"},
    "bel-in-source": {"source": "Wire\x07"},
    "bidi-override-in-sentence": {"sentence": "Officials \u202edenied\u202c it."},
}


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
@pytest.mark.parametrize("case", list(IMPORT_CASES), ids=str)
def test_imported_control_characters_are_shown_inert(case, fmt, data_dir, tmp_path):
    """A label file is someone else's text. Import keeps it exactly (export -> import ->
    export is byte-identical for any text: tests/unit/test_export.py::test_round_trip_any_text),
    and everything that shows it on a terminal shows it inert."""
    row = {"article_id": "f" * 16, "article_title": "T", "article_date": "", "source": "",
           "url": "", "location": "", "author": "", "sentence_index": "0", "char_start": "0",
           "char_end": "26", "sentence": "Officials denied it today.", "label": "fact",
           "annotator": "eve", "created_at": "2025-01-01T00:00:00.000000Z",
           "updated_at": "2025-01-01T00:00:00.000000Z", "suggested_label": "",
           "suggestion_accepted": "", "orphaned": "false"}
    bad = dict(row, **IMPORT_CASES[case], sentence_index="1", char_start="27")
    bad["char_end"] = str(27 + len(bad["sentence"]))
    path = tmp_path / f"labels.{fmt}"
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=list(row), lineterminator="\r\n")
        w.writeheader()
        w.writerow(row)
        w.writerow(bad)
        path.write_text(buf.getvalue(), encoding="utf-8", newline="")
    else:
        def rec(r):
            meta = {k: v for k, v in r.items() if k not in ("sentence", "label")}
            return json.dumps({"text": r["sentence"], "label": r["label"], "answer": "accept",
                               "meta": meta})
        path.write_text(rec(row) + "\n" + rec(bad) + "\n", encoding="utf-8")
    res = run_nr(["import", str(path)], data_dir)
    assert res.returncode == 0, res.stderr
    assert_clean_bytes(res.stderr.encode(), "import message")
    for command in (["list"], ["stats"], ["list", "--json"], ["stats", "--json"]):
        res = run_nr(command, data_dir)
        assert res.returncode == 0, res.stderr
        assert_clean_bytes(res.stdout_bytes + res.stderr.encode(), " ".join(command))
