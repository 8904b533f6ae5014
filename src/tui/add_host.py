"""Adding sources from the reader, in a child process.

The reader's add key runs :func:`newsreader.core.library.add_sources` here, in
``python -m newsreader.tui.add_host``, driven by a thread worker of the app:

* fetching and extracting pages (trafilatura, feed parsing) is CPU work that
  would hold the GIL in a thread of the UI process and make keys stutter;
* a page can take up to the fetch timeout to answer, and a thread cannot be
  stopped: quitting the reader would wait for it. A child is terminated at
  once, and it watches its parent so a killed reader leaves nothing behind.

The child opens the store itself (SQLite in WAL mode: the reader keeps its own
connection) and writes one JSON line per result on stdout, then a ``done``
line with the ids of the articles it added. Its stderr goes to a log file in
the data dir, never to the terminal the reader draws on.

The child ends with ``os._exit`` without closing its store connection. Every
write it made is already committed (WAL, synchronous=FULL); closing would let
SQLite decide it is the last connection and delete the WAL and shared-memory
files, which it may wrongly conclude while the reader is open, because the
reader's process can have lost its file lock on the database (core
``migrations._setup`` reads the database file with a plain open/close after
connecting, and closing any descriptor of a file drops the process's POSIX
locks on it). Exiting like a crash leaves the files alone.

This module must not import Textual: the child runs it.
"""
from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from .children import stop, watch_parent

#: how often the reading thread checks whether it should give up
POLL_S = 0.1


@dataclass(frozen=True)
class AddLine:
    """One result of adding, as the reader shows it."""
    item: str
    status: str                 # added | already | failed
    article_id: str | None
    title: str | None
    reason: str | None
    line: str                   # AddResult.line()


@dataclass
class AddOutcome:
    results: list[AddLine] = field(default_factory=list)
    new_ids: list[str] = field(default_factory=list)
    error: str | None = None    # the run itself failed (the store, the child)

    def summary(self) -> str:
        n = {s: sum(r.status == s for r in self.results) for s in ("added", "already", "failed")}
        return (f"{n['added']} added, {n['already']} already in the library, "
                f"{n['failed']} failed")


# --------------------------------------------------------------------------- child


def serve(db: str, parent: int, items: list[str]) -> int:
    out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)                       # stray prints must not corrupt the protocol
    threading.Thread(target=watch_parent, args=(parent,), daemon=True).start()

    def send(obj) -> None:
        out.write(json.dumps(obj, ensure_ascii=False) + "\n")
        out.flush()

    try:
        from newsreader.core.errors import NewsreaderError
        from newsreader.core.library import add_sources
        from newsreader.core.store import Store
    except Exception as exc:  # noqa: BLE001 - reported to the reader
        send({"type": "error", "message": f"cannot add ({type(exc).__name__}: {exc})"})
        return 1

    def result(r) -> None:
        send({"type": "result", "item": r.item, "status": r.status, "article_id": r.article_id,
              "title": r.title, "reason": r.reason, "line": r.line()})

    try:
        store = Store.open(Path(db))      # never closed: see the module docstring
        report = add_sources(store, items, on_result=result)
    except NewsreaderError as exc:
        send({"type": "error", "message": str(exc)})
        return 1
    except Exception as exc:  # noqa: BLE001 - one line for the reader, never a traceback
        reason = f"{type(exc).__name__}: {exc}".splitlines()[0][:300]
        send({"type": "error", "message": f"adding failed ({reason})"})
        return 1
    send({"type": "done", "new": [a.id for a in report.new_articles]})
    return 0


# --------------------------------------------------------------------------- parent


class AddRun:
    """One ``add`` child. ``run`` blocks the calling (worker) thread, never the UI."""

    def __init__(self, db: Path, items: Iterable[str], *, log: Path | None = None) -> None:
        self.db = Path(db)
        self.items = [str(i) for i in items]
        self.log = log
        self._proc: subprocess.Popen | None = None
        self._stopped = False

    def _stderr(self):
        if self.log is not None:
            try:
                self.log.parent.mkdir(parents=True, exist_ok=True)
                return open(self.log, "ab")  # noqa: SIM115 - handed to the child
            except OSError:
                pass
        return subprocess.DEVNULL

    def run(self, on_result: Callable[[AddLine], None],
            cancelled: Callable[[], bool] = lambda: False) -> AddOutcome:
        outcome = AddOutcome()
        args = [sys.executable, "-m", "newsreader.tui.add_host", str(os.getpid()), str(self.db),
                *self.items]
        err = self._stderr()
        try:
            self._proc = proc = subprocess.Popen(args, stdin=subprocess.DEVNULL,
                                                 stdout=subprocess.PIPE, stderr=err,
                                                 close_fds=True)
        except OSError as exc:
            outcome.error = f"cannot start adding ({exc.strerror or exc})"
            return outcome
        finally:
            if err is not subprocess.DEVNULL:
                err.close()
        if self._stopped:
            self.stop()
        fd = proc.stdout.fileno()
        buf = b""
        done = False
        try:
            while True:
                if cancelled() or self._stopped:
                    self.stop()
                    outcome.error = "adding was stopped"
                    return outcome
                ready, _, _ = select.select([fd], [], [], POLL_S)
                if not ready:
                    continue
                chunk = os.read(fd, 65536)
                if not chunk:
                    break
                buf += chunk
                while b"\n" in buf:
                    raw, buf = buf.split(b"\n", 1)
                    try:
                        msg = json.loads(raw.decode("utf-8"))
                    except (UnicodeDecodeError, ValueError):
                        continue
                    kind = msg.get("type")
                    if kind == "result":
                        line = AddLine(str(msg.get("item") or ""), str(msg.get("status") or ""),
                                       msg.get("article_id"), msg.get("title"),
                                       msg.get("reason"), str(msg.get("line") or ""))
                        outcome.results.append(line)
                        on_result(line)
                    elif kind == "done":
                        outcome.new_ids = [str(i) for i in msg.get("new") or []]
                        done = True
                    elif kind == "error":
                        outcome.error = str(msg.get("message") or "adding failed")
        finally:
            try:
                proc.stdout.close()
            except OSError:
                pass
        code = proc.wait()
        if not done and outcome.error is None:
            outcome.error = f"adding stopped unexpectedly (exit code {code})"
        return outcome

    def stop(self) -> None:
        """Terminate the child at once (what it already added stays added)."""
        self._stopped = True
        if self._proc is not None:
            stop(self._proc)


if __name__ == "__main__":
    code = serve(sys.argv[2], int(sys.argv[1]), sys.argv[3:])
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)   # without closing the store: see the module docstring
