"""Regression: another process opening and closing the store must not make a
running process's later tags disappear after SIGKILL.

POSIX record locks are per process: a Python-level read of the database file
while a connection is open dropped that connection's locks, so the other
process's close deleted the -wal file and later commits were lost.
"""
import subprocess
import sys

import pytest

from newsreader.core.ingest import bundled_samples, load_path
from newsreader.core.models import Sentence, Suggestion
from newsreader.core.store import Store

READER = """
import os, signal, sys
from newsreader.core.store import Store
from newsreader.core.models import Sentence, Suggestion
db, art_id, second = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
a = Store.open(db)
if second:
    Store.open(db).close()   # a second store in the same process, opened and closed
a.list_articles()
print("open", flush=True)
sys.stdin.readline()
t = a.get_article(art_id).text
a.tag(art_id, Sentence(0, 0, 10, t[:10], 0, Suggestion("fact", 0.5, "")), "fact", "x")
print("tagged", flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


@pytest.mark.parametrize("second_store_in_process", [False, True])
def test_tag_survives_other_process_closing_the_store(tmp_path, second_store_in_process):
    db = tmp_path / "newsreader.db"
    art = load_path(bundled_samples()[0])
    with Store.open(db) as s:
        s.add_article(art)
    p = subprocess.Popen([sys.executable, "-c", READER, str(db), art.id,
                          "1" if second_store_in_process else "0"],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert p.stdout.readline().strip() == "open"
    subprocess.run([sys.executable, "-c", "import sys\nfrom newsreader.core.store import Store\n"
                    "with Store.open(sys.argv[1]) as s: s.list_articles()", str(db)], check=True)
    p.stdin.write("\n")
    p.stdin.flush()
    assert p.stdout.readline().strip() == "tagged"
    p.wait(timeout=30)
    with Store.open(db) as s:
        labels = s.annotations(art.id, "x")
    assert {i: a.label for i, a in labels.items()} == {0: "fact"}
