"""Every label reported as saved survives SIGKILL; two writer processes share a store."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap

from newsreader.core.store import Store

N = 400

WRITER = textwrap.dedent("""
    import os, sys, time
    from newsreader.core.models import Article, Sentence, Suggestion
    from newsreader.core.store import Store

    db, annotator, first, step = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    n = int(sys.argv[5])
    parts = [f"Sentence {i} of the article." for i in range(n)]
    text = " ".join(parts)
    art = Article(id="e" * 16, text=text, title="Crash")
    sug = Suggestion("fact", 0.5, "test")
    with Store.open(db) as store:
        store.add_article(art, n)
        pos = 0
        sents = []
        for i, p in enumerate(parts):
            sents.append(Sentence(i, pos, pos + len(p), p, 0, sug))
            pos += len(p) + 1
        print("ready", flush=True)
        go = sys.argv[6] if len(sys.argv) > 6 else None
        while go and not os.path.exists(go):  # start together with the other writer
            time.sleep(0.005)
        for i in range(first, n, step):
            label = ("fact", "quote", "opinion")[i % 3]
            store.tag(art.id, sents[i], label, annotator, sug)
            print(i, flush=True)
    print("done", flush=True)
""")


def spawn(db, annotator, first=0, step=1, n=N, go=None):
    extra = [str(go)] if go else []
    return subprocess.Popen([sys.executable, "-c", WRITER, str(db), annotator, str(first),
                             str(step), str(n), *extra], stdout=subprocess.PIPE, text=True,
                            stderr=subprocess.PIPE)


def run_together(db, tmp_path, *jobs):
    go = tmp_path / f"go-{jobs[0][0]}"
    procs = [spawn(db, who, first, step, 300, go) for who, first, step in jobs]
    for p in procs:
        assert p.stdout.readline().strip() == "ready", p.stderr.read()
    go.write_text("")
    outs = [p.communicate(timeout=240) for p in procs]
    for p, (out, err) in zip(procs, outs):
        assert p.returncode == 0, err
        assert out.split()[-1] == "done"


def test_sigkill_mid_stream_loses_nothing_reported(tmp_path):
    db = tmp_path / "newsreader.db"
    proc = spawn(db, "crash", n=100_000)
    assert proc.stdout.readline().strip() == "ready"
    reported: list[int] = []
    while len(reported) < 60:
        line = proc.stdout.readline()
        assert line, proc.stderr.read()
        reported.append(int(line))
    os.kill(proc.pid, signal.SIGKILL)
    # lines already written to the pipe before the kill were also reported as saved
    rest = proc.stdout.read()
    reported += [int(x) for x in rest.split() if x.isdigit()]
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    with Store.open(db) as store:
        saved = store.annotations("e" * 16, "crash")
    missing = sorted(set(reported) - set(saved))
    assert missing == []
    for i in reported:
        assert saved[i].label == ("fact", "quote", "opinion")[i % 3]
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()


def test_two_writer_processes(tmp_path):
    db = tmp_path / "newsreader.db"
    # alice and bob tag every sentence; carol's labels come from both processes
    run_together(db, tmp_path, ("alice", 0, 1), ("bob", 0, 1))
    run_together(db, tmp_path, ("carol", 0, 2), ("carol", 1, 2))
    with Store.open(db) as store:
        for who in ("alice", "bob", "carol"):
            got = store.annotations("e" * 16, who)
            assert sorted(got) == list(range(300)), who
            assert all(a.label == ("fact", "quote", "opinion")[i % 3] for i, a in got.items())
        assert len(store.list_articles()) == 1
        assert len(store.history("e" * 16)) == 900
