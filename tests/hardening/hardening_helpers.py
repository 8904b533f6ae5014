"""Shared helpers for the hardening suite (issue 6).

Every case runs the real ``newsreader`` console script (``.venv/bin/newsreader``)
in a subprocess against a temporary data dir that already holds labels, and
checks the four promises of a refused input:

1. one line on stderr, ``newsreader: ...``, naming the file or value;
2. a non-zero exit (1) when the command cannot go on;
3. no traceback anywhere;
4. nothing already stored is touched (every byte of the data dir, and the
   labels and event log read back through a fresh connection).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from newsreader.core.models import Article, Sentence, Suggestion
from newsreader.core.store import Store

BIN = Path(sys.executable).parent
NEWSREADER = BIN / "newsreader"
ROOT = Path(__file__).resolve().parents[2]

ANNOTATOR = "hardening"

STORED_TEXT = ("The council said on Monday that the bridge would reopen. "
               "Critics called the plan reckless.\n\n"
               "\u201cWe will not wait,\u201d said Maria Lopez.")


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str
    stdout_bytes: bytes

    @property
    def lines(self) -> list[str]:
        return self.stderr.splitlines()


def base_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSREADER_")}
    env.update({"NEWSREADER_DATA_DIR": str(data_dir),
                "NEWSREADER_CONFIG_DIR": str(data_dir / "config"),
                "NEWSREADER_ANNOTATOR": ANNOTATOR,
                "COLUMNS": "100", "PYTHONDONTWRITEBYTECODE": "1"})
    env.pop("FORCE_COLOR", None)
    env.update(extra)
    return env


def run_nr(args: list[str], data_dir: Path, *, env: dict[str, str] | None = None,
           input: bytes | None = None, timeout: float = 240, user: int | None = None,
           cwd: Path | None = None) -> Result:
    """Run the real console script; stdin is /dev/null unless ``input`` is given."""
    out = subprocess.run([*as_user(user), str(NEWSREADER), *args], env=env or base_env(data_dir),
                         input=input, stdin=None if input is not None else subprocess.DEVNULL,
                         capture_output=True, timeout=timeout, cwd=cwd)
    return Result(out.returncode, out.stdout.decode("utf-8", "replace"),
                  out.stderr.decode("utf-8", "replace"), out.stdout)


STORED_SENTENCES = ["The council said on Monday that the bridge would reopen.",
                    "Critics called the plan reckless.",
                    "\u201cWe will not wait,\u201d said Maria Lopez."]


def stored_sentences() -> list[Sentence]:
    out = []
    for i, piece in enumerate(STORED_SENTENCES):
        start = STORED_TEXT.index(piece)
        out.append(Sentence(i, start, start + len(piece), piece, int(i == 2),
                            Suggestion("fact", 0.5, "test")))
    return out


def populate(data_dir: Path) -> Article:
    """A store with one article, three labels and some undo history."""
    art = Article(id="a1b2c3d4e5f60718", text=STORED_TEXT, title="Stored article",
                  source="Test Wire", date="2025-01-02")
    sents = stored_sentences()
    with Store.open(data_dir / "newsreader.db") as store:
        store.add_article(art, len(sents))
        store.tag(art.id, sents[0], "fact", ANNOTATOR, sents[0].suggestion)
        store.tag(art.id, sents[1], "opinion", ANNOTATOR, sents[1].suggestion)
        store.tag(art.id, sents[2], "quote", ANNOTATOR, sents[2].suggestion)
        store.tag(art.id, sents[1], "fact", ANNOTATOR)
        store.undo(art.id, ANNOTATOR)
    return art


def snapshot(directory: Path) -> dict[str, bytes]:
    """Every file under ``directory`` (relative path -> bytes)."""
    if not directory.exists():
        return {}
    return {str(p.relative_to(directory)): p.read_bytes()
            for p in sorted(directory.rglob("*")) if p.is_file()}


def stored_state(db: Path) -> tuple:
    """Labels and event log, read through a fresh connection."""
    with Store.open(db) as store:
        labels = [(r.article_id, r.sentence_index, r.annotator, r.label)
                  for r in store.iter_export()]
        arts = [(a.id, a.title, a.n_sentences) for a in store.list_articles()]
        events = [tuple(e.values()) for aid, *_ in arts for e in store.history(aid)]
    return labels, arts, events


def assert_refused(res: Result, *names: str, code: int = 1) -> str:
    """One line naming each of ``names``, exit ``code``, no traceback; returns the line."""
    assert "Traceback" not in res.stderr + res.stdout, res.stderr
    assert res.returncode == code, (res.returncode, res.stderr)
    assert len(res.lines) == 1, f"expected one line, got:\n{res.stderr}"
    line = res.lines[0]
    assert line.startswith("newsreader: "), line
    for name in names:
        assert name in line, (name, line)
    assert "\x1b" not in res.stderr
    return line


def nobody_uid() -> int | None:
    """An unprivileged uid the tests can run a subprocess as (None if impossible)."""
    if os.geteuid() != 0:
        return None
    import pwd

    try:
        return pwd.getpwnam("nobody").pw_uid
    except KeyError:
        return 65534


def as_user(uid: int | None) -> list[str]:
    """The command prefix that drops to ``uid`` (setpriv execs the script directly)."""
    if uid is None:
        return []
    return ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups"]


def can_run_as(uid: int | None) -> bool:
    if uid is None or shutil.which("setpriv") is None:
        return False
    try:
        out = subprocess.run([*as_user(uid), str(NEWSREADER), "--help"],
                             capture_output=True, timeout=60, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return False
    return out.returncode == 0


# ---------------------------------------------------------------- analysis offsets

def offset_problems(d: dict) -> list[str]:
    """Every way an analysis (the ``analyze --json`` article shape) breaks its offsets.

    Every sentence/entity/quote/claim/mention offset must point at exactly the
    text it claims; sentences are ordered, non-overlapping, non-empty, never
    cross a paragraph break, and carry their paragraph's number.
    """
    text = d["text"]
    n = len(text)
    out: list[str] = []

    def span(what: str, start: int, end: int, claimed: str | None = None) -> bool:
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= n):
            out.append(f"{what}: ({start}, {end}) outside 0..{n}")
            return False
        if claimed is not None and text[start:end] != claimed:
            out.append(f"{what}: text[{start}:{end}] = {text[start:end]!r}, claims {claimed!r}")
            return False
        return True

    def mention(what: str, m: dict | None) -> None:
        if m is not None:
            span(what, m["start"], m["end"], m["text"])

    prev_end = 0
    para, counted = 0, 0        # paragraph breaks before ``counted``, counted incrementally
    sents = d["sentences"]
    for i, s in enumerate(sents):
        w = f"sentence {i}"
        if s["index"] != i:
            out.append(f"{w}: index {s['index']}")
        if not span(w, s["start"], s["end"], s["text"]):
            continue
        if s["start"] >= s["end"]:
            out.append(f"{w}: empty")
        if s["start"] < prev_end:
            out.append(f"{w}: starts at {s['start']}, before the previous end {prev_end}")
        if "\n\n" in s["text"]:
            out.append(f"{w}: crosses a paragraph break")
        if s["start"] >= counted:
            para += text.count("\n\n", counted, s["start"])
            counted = s["start"]
        if s["paragraph"] != para:
            out.append(f"{w}: paragraph {s['paragraph']}, is in {para}")
        prev_end = s["end"]
    clusters = {c["id"] for c in d["clusters"]}
    for j, e in enumerate(d["entities"]):
        span(f"entity {j}", e["start"], e["end"], e["text"])
        if e["cluster"] is not None and e["cluster"] not in clusters:
            out.append(f"entity {j}: unknown cluster {e['cluster']}")
    for c in d["clusters"]:
        for a, b in c["mentions"]:
            span(f"cluster {c['id']} mention", a, b)
    for j, q in enumerate(d["quotes"]):
        w = f"quote {j}"
        span(w, q["start"], q["end"], q["text"])
        for k in q["sentences"]:
            if not 0 <= k < len(sents):
                out.append(f"{w}: sentence {k} does not exist")
            elif sents[k]["end"] <= q["start"] or sents[k]["start"] >= q["end"]:
                out.append(f"{w}: does not overlap its sentence {k}")
        mention(f"{w} speaker", q["speaker"])
        if q["cue_span"]:
            span(f"{w} cue", *q["cue_span"])
    for j, c in enumerate(d["claims"]):
        w = f"claim {j}"
        span(w, c["start"], c["end"], c["content"])
        if not 0 <= c["sentence"] < len(sents):
            out.append(f"{w}: sentence {c['sentence']} does not exist")
        mention(f"{w} source", c["source"])
        if c["cue_span"]:
            span(f"{w} cue", *c["cue_span"])
    return out


def analyze_json(paths: list[Path], data_dir: Path, *, env: dict[str, str] | None = None,
                 timeout: float = 600) -> list[dict]:
    res = run_nr(["analyze", "--json", *map(str, paths)], data_dir, env=env, timeout=timeout)
    assert res.returncode == 0, res.stderr
    assert "Traceback" not in res.stderr
    import json

    return json.loads(res.stdout)["articles"]
