"""The reader's connection to the core: store, analysis cache, annotator.

Everything the UI does to data goes through here, on the UI thread, and is
committed by the store before the method returns; the UI only shows a label
after that. Nothing in this module imports Textual.
"""
from __future__ import annotations

import datetime as _dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from newsreader.core.errors import NewsreaderError, StoreError
from newsreader.core.models import Analysis, Article, Sentence, Suggestion
from newsreader.core.paths import Paths
from newsreader.core.store import Change, Store

from .titles import first_words


def model_name(given: str | None) -> str | None:
    """The spaCy pipeline name (the cache key), without importing spaCy.

    None when no pipeline is installed: then there is nothing cached either,
    and the analysis worker reports why.
    """
    from newsreader.core.analysis.pipeline import resolve_model  # no spaCy import

    try:
        return resolve_model(given)
    except NewsreaderError:
        return None


@dataclass
class Session:
    store: Store
    paths: Paths
    annotator: str
    model: str | None = None          # as given (--model / config); resolved lazily
    cache: object | None = None       # newsreader.core.cache.AnalysisCache, when available
    _untitled: dict[str, str] = field(default_factory=dict, repr=False)

    @property
    def model_key(self) -> str | None:
        if not hasattr(self, "_model_key"):
            self._model_key = model_name(self.model)
        return self._model_key

    # -- analyses -----------------------------------------------------------
    def cached_analysis(self, article_id: str) -> Analysis | None:
        if self.cache is None or self.model_key is None:
            return None
        try:
            return self.cache.get(article_id, self.model_key)
        except Exception:  # a damaged cache is a miss, never an error
            return None

    def has_cached_analysis(self, article_id: str) -> bool:
        """Whether the cache holds the article's analysis (without reading it)."""
        if self.cache is None or self.model_key is None:
            return False
        try:
            return self.cache.path_for(article_id, self.model_key).exists()
        except Exception:  # noqa: BLE001 - a damaged cache is a miss
            return False

    def store_analysis(self, analysis: Analysis) -> bool:
        """Record the sentence count, and re-anchor labels if the segmentation moved.

        Returns True when labels were re-anchored (their sentence indexes may have changed).
        """
        aid = analysis.article_id
        sentences = analysis.sentences
        moved = False
        for row in self.store.iter_export(article_id=aid):
            i = row.sentence_index
            if (row.orphaned or i >= len(sentences) or sentences[i].start != row.char_start
                    or sentences[i].end != row.char_end or sentences[i].text != row.sentence):
                moved = True
                break
        if moved:
            self.store.reanchor(aid, sentences)
        else:
            self.store.set_sentence_count(aid, len(sentences))
        return moved

    # -- labels ----------------------------------------------------------------
    def labels(self, article_id: str) -> dict[int, str]:
        return {i: a.label for i, a in self.store.annotations(article_id, self.annotator).items()
                if a.label}

    def tag(self, article_id: str, sentence: Sentence, label: str,
            suggestion: Suggestion | None) -> str | None:
        return self.store.tag(article_id, sentence, label, self.annotator, suggestion)

    def clear(self, article_id: str, index: int) -> str | None:
        return self.store.clear(article_id, index, self.annotator)

    def undo(self, article_id: str) -> Change | None:
        return self.store.undo(article_id, self.annotator)

    def redo(self, article_id: str) -> Change | None:
        return self.store.redo(article_id, self.annotator)

    def add_article(self, article: Article) -> None:
        self.store.add_article(article)

    def get_article(self, article_id: str) -> Article | None:
        return self.store.get_article(article_id)

    def untitled_title(self, article_id: str) -> str:
        """The first words of an untitled article (see titles.py), read once per article:
        an article's id is a hash of its text, so they never change."""
        memo = self._untitled
        words = memo.get(article_id)
        if words is None:
            try:
                article = self.store.get_article(article_id)
            except NewsreaderError:
                article = None
            words = (first_words(article.text) if article is not None else "") or "Untitled article"
            memo[article_id] = words
        return words

    # -- export ----------------------------------------------------------------
    def export_dir(self) -> Path:
        return self.paths.data_dir / "exports"

    def export_csv(self) -> tuple[Path, int]:
        """Write this annotator's labels as CSV (the `newsreader export` format)."""
        try:
            from newsreader.core import export
        except ImportError as exc:
            raise NewsreaderError(f"CSV export is not available ({exc})") from None
        directory = self.export_dir()
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            directory = Path.cwd()
            if not os.access(directory, os.W_OK):
                raise StoreError(f"cannot create {self.export_dir()} ({exc.strerror or exc})") from None
        stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in self.annotator) or "anon"
        path = directory / f"newsreader-{safe}-{stamp}.csv"
        n = 1
        while path.exists():
            n += 1
            path = directory / f"newsreader-{safe}-{stamp}-{n}.csv"
        rows = self.store.iter_export(annotator=self.annotator)
        try:
            count = export.export(rows, "csv", path)
        except OSError as exc:
            raise StoreError(f"cannot write {path}: {exc.strerror or exc}") from None
        return path, count
