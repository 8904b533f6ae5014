"""On-disk cache of analyses, keyed by article id + analyzer version + model.

One gzip-compressed JSON file per key under ``paths.resolve(...).analysis_cache``.
Writes are atomic (temporary file in the same directory, then ``os.replace``),
so a reader never sees half a file. Anything unreadable (truncated, garbage,
an older layout, a different version inside the file) is a miss, never an
error; the next ``put`` replaces it. A cache that cannot be written is
skipped silently: it only costs time.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import tempfile
from pathlib import Path

from .models import Analysis, analysis_from_dict

_SAFE_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
SUFFIX = ".json.gz"


def _current_version() -> str:
    from .analysis.pipeline import ANALYZER_VERSION  # lazily: may pull in spaCy

    return ANALYZER_VERSION


class AnalysisCache:
    def __init__(self, directory: Path | str, analyzer_version: str | None = None):
        self.directory = Path(directory)
        self._version = analyzer_version

    @property
    def analyzer_version(self) -> str:
        if self._version is None:
            self._version = _current_version()
        return self._version

    def path_for(self, article_id: str, model: str, analyzer_version: str | None = None) -> Path:
        version = analyzer_version or self.analyzer_version
        key = hashlib.sha256(f"{version}\0{model}".encode()).hexdigest()[:16]
        name = article_id if _SAFE_ID.match(article_id) else \
            hashlib.sha256(article_id.encode()).hexdigest()[:32]
        return self.directory / f"{name}-{key}{SUFFIX}"

    def get(self, article_id: str, model: str) -> Analysis | None:
        path = self.path_for(article_id, model)
        try:
            with gzip.open(path, "rb") as fh:
                data = json.loads(fh.read().decode("utf-8"))
            analysis = analysis_from_dict(data)
        except FileNotFoundError:
            return None
        except Exception:  # corrupt, truncated, foreign: a miss
            return None
        if (analysis.article_id, analysis.analyzer_version, analysis.model) != \
                (article_id, self.analyzer_version, model):
            return None
        return analysis

    def put(self, analysis: Analysis) -> bool:
        """Store ``analysis``; returns False (and leaves no partial file) if it cannot."""
        path = self.path_for(analysis.article_id, analysis.model, analysis.analyzer_version)
        payload = gzip.compress(json.dumps(analysis.to_dict(), ensure_ascii=False,
                                           separators=(",", ":")).encode("utf-8"),
                                compresslevel=6, mtime=0)
        tmp = None
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=SUFFIX, dir=self.directory)
            with os.fdopen(fd, "wb") as fh:
                fh.write(payload)
            os.replace(tmp, path)
            return True
        except OSError:
            if tmp is not None:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
            return False

    def clear(self) -> int:
        """Delete every cached analysis; returns how many files were removed."""
        n = 0
        if not self.directory.is_dir():
            return 0
        for p in self.directory.glob(f"*{SUFFIX}"):
            try:
                p.unlink()
                n += 1
            except OSError:
                pass
        return n
