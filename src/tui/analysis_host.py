"""spaCy in a child process, so the reader never waits for it.

Running the pipeline in a thread of the UI process starves the UI: spaCy holds
the GIL for long stretches, and on a 100,000-word document keystrokes waited
seconds (measured: median 3 s while the analysis ran). The analysis therefore
runs in one child process per app (``python -m newsreader.tui.analysis_host``),
started on first use; the app's worker thread sends it an Article and waits on
a pipe, which releases the GIL. The UI process never imports spaCy.

The child is a plain subprocess rather than ``multiprocessing`` so that nothing
re-imports the parent's ``__main__`` and nothing is forked from a process that
runs threads. Messages are length-prefixed pickles on the child's stdin/stdout;
its stderr goes nowhere near the terminal the reader draws on. The child loads
the model once, exits when its stdin closes, and watches its parent so a killed
reader does not leave it behind.

This module must not import Textual: the child runs it.
"""
from __future__ import annotations

import os
import pickle
import select
import struct
import subprocess
import sys
import threading

from newsreader.core.errors import ModelError, NewsreaderError
from newsreader.core.models import Analysis, Article

from .children import stop, watch_parent

_HEADER = struct.Struct("!Q")


class AnalysisCancelled(Exception):
    """The host was closed while an analysis was running."""


class AnalysisHostError(NewsreaderError):
    """The analysis failed in the child (the message says why)."""


def _write(fh, obj) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    fh.write(_HEADER.pack(len(data)) + data)
    fh.flush()


def _read_exact(fd: int, n: int, cancelled=None) -> bytes:
    chunks = []
    while n:
        if cancelled is not None:
            while True:
                ready, _, _ = select.select([fd], [], [], 0.1)
                if ready:
                    break
                cancelled()
        chunk = os.read(fd, min(n, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)


def _read(fd: int, cancelled=None):
    (size,) = _HEADER.unpack(_read_exact(fd, _HEADER.size, cancelled))
    return pickle.loads(_read_exact(fd, size, cancelled))


def serve(model: str | None, parent: int, cache_dir: str | None = None) -> None:
    """The child's loop: read Articles from stdin, write results to stdout.

    Results are also written to the analysis cache here, after they are sent, so
    serialising a large analysis never costs the reader's process any time.
    """
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)                       # stray prints must not corrupt the protocol
    threading.Thread(target=watch_parent, args=(parent,), daemon=True).start()
    model_error: str | None = None
    nlp = None
    pipeline = None
    try:
        from newsreader.core.analysis import pipeline

        nlp = pipeline.load_nlp(model)
    except NewsreaderError as exc:
        model_error = str(exc)
    except Exception as exc:  # noqa: BLE001 - reported to the parent as a model failure
        model_error = f"the spaCy model could not be loaded ({type(exc).__name__}: {exc})"
    while True:
        try:
            article = _read(0)
        except (EOFError, OSError):
            return
        if model_error is not None:
            _write(out, ("model", model_error))
            continue
        try:
            analysis = pipeline.analyze(article, nlp)
            _write(out, ("ok", analysis))
        except NewsreaderError as exc:
            _write(out, ("error", str(exc)))
        except Exception as exc:  # noqa: BLE001 - one bad article must not end the host
            reason = f"{type(exc).__name__}: {exc}".splitlines()[0][:300]
            _write(out, ("error", f"analysis failed ({reason})"))
            continue
        if cache_dir:
            try:
                from newsreader.core.cache import AnalysisCache

                AnalysisCache(cache_dir).put(analysis)
            except Exception:  # noqa: BLE001 - a cache that cannot be written only costs time
                pass


class AnalysisHost:
    """One child process that owns the spaCy pipeline; call ``analyze`` from a thread."""

    def __init__(self, model: str | None = None, cache_dir: str | os.PathLike | None = None) -> None:
        self.model = model
        self.cache_dir = str(cache_dir) if cache_dir else ""
        self._proc: subprocess.Popen | None = None
        self._lock = threading.Lock()
        self._closed = False

    def _log(self):
        """Where the child's stderr goes: a log beside the cache, never the terminal."""
        if self.cache_dir:
            try:
                path = os.path.join(os.path.dirname(self.cache_dir.rstrip(os.sep)) or ".",
                                    "analysis-host.log")
                os.makedirs(os.path.dirname(path), exist_ok=True)
                return open(path, "wb")  # noqa: SIM115 - handed to the child
            except OSError:
                pass
        return subprocess.DEVNULL

    def _start(self) -> subprocess.Popen:
        args = [sys.executable, "-m", "newsreader.tui.analysis_host", str(os.getpid()),
                self.model or "", self.cache_dir]
        log = self._log()
        try:
            return subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                    stderr=log, close_fds=True)
        finally:
            if log is not subprocess.DEVNULL:
                log.close()

    def _check(self) -> None:
        if self._closed:
            raise AnalysisCancelled()
        proc = self._proc
        if proc is not None and proc.poll() is not None:
            raise AnalysisHostError(
                f"the analysis process stopped (exit code {proc.returncode}); "
                "the document may be too large for the available memory")

    def start(self) -> None:
        """Start the child now (it imports spaCy and loads the model while the UI starts)."""
        with self._lock:
            if not self._closed and (self._proc is None or self._proc.poll() is not None):
                self._proc = self._start()

    def analyze(self, article: Article) -> Analysis:
        """Analyse in the child; blocks the calling (worker) thread, never the UI.

        Raises ModelError when the pipeline cannot be loaded, AnalysisHostError
        when this article fails, AnalysisCancelled when the host is closed.
        """
        with self._lock:
            if self._closed:
                raise AnalysisCancelled()
            if self._proc is None or self._proc.poll() is not None:
                self._proc = self._start()
            proc = self._proc
            try:
                _write(proc.stdin, article)
                status, payload = _read(proc.stdout.fileno(), self._check)
            except AnalysisHostError:
                self._proc = None
                raise
            except (EOFError, OSError, ValueError, pickle.UnpicklingError):
                if self._closed:
                    raise AnalysisCancelled() from None
                self._proc = None
                raise AnalysisHostError("the analysis process stopped unexpectedly") from None
        if status == "ok":
            return payload
        if status == "model":
            raise ModelError(payload)
        raise AnalysisHostError(payload)

    def close(self) -> None:
        """Stop the child at once (an analysis in progress is abandoned)."""
        self._closed = True
        proc, self._proc = self._proc, None
        if proc is None:
            return
        for stream in (proc.stdin, proc.stdout):
            try:
                stream.close()
            except OSError:
                pass
        stop(proc)


if __name__ == "__main__":
    serve(sys.argv[2] or None, int(sys.argv[1]), sys.argv[3] or None)
