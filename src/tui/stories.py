"""Stories for the library pane: :func:`newsreader.core.library.group_stories`
over the articles whose analysis is cached, worked out in a thread.

The inputs are kept between runs (each article's text and entity clusters:
an article's id is a hash of its body, so neither ever changes), so after
the first run only newly analysed articles are read from the cache. Which
articles have a cached analysis is learnt from one listing of the cache
folder, not one failed open per article, so a library of 10,000 unanalysed
articles costs a few milliseconds. Nothing here imports Textual or spaCy.

The store is the reader's own (its connection is thread-safe). A second
connection must not be opened in the reader's process: opening the database
file again and closing it drops the process's SQLite locks, and another
process (``newsreader add``, the add child) may then delete the WAL under the
reader's connection.
"""
from __future__ import annotations

import dataclasses
import os
import re
import threading
from typing import Callable

from newsreader.core.models import Analysis, Article

# ids the analysis cache uses as file names as they are (see AnalysisCache.path_for)
_PLAIN_ID = re.compile(r"[A-Za-z0-9_-]{1,64}\Z")


@dataclasses.dataclass(frozen=True)
class StoryInfo:
    """An article's place in a story, as the library shows it."""
    number: int                  # 1-based, in group_stories' order (largest first)
    story_id: str
    size: int                    # articles in the story
    position: int                # 1-based, by date
    article_ids: tuple[str, ...]

    def label(self, width: int = 20) -> str:
        """``story 1 · 2 articles``, shorter when ``width`` is small."""
        full = f"story {self.number} · {self.size} articles"
        if len(full) <= width:
            return full
        short = f"story {self.number} · {self.size}"
        if len(short) <= width:
            return short
        return f"s{self.number}·{self.size}"


def _slim(analysis: Analysis) -> Analysis:
    """Only what grouping reads (the clusters; the article gives text and date)."""
    return dataclasses.replace(analysis, sentences=(), entities=(), quotes=(), claims=())


class StoryBook:
    """Computes stories; :meth:`compute` runs in a worker thread (one at a time),
    :meth:`offer` is called from the UI thread and never waits."""

    def __init__(self, store, cache, model: str | None | Callable[[], str | None]) -> None:
        self.store = store              # the reader's Store (used from the worker thread)
        self.cache = cache              # AnalysisCache or None
        self._model = model             # the cache key's model name, or a function giving it
        self._pairs: dict[str, tuple[Article, Analysis]] = {}
        self._offered: dict[str, tuple[Article, Analysis]] = {}
        self._lock = threading.Lock()

    @property
    def model(self) -> str | None:
        return self._model() if callable(self._model) else self._model

    def offer(self, article: Article, analysis: Analysis) -> None:
        """An analysis that has just arrived (it may not be in the cache yet)."""
        self._offered[article.id] = (article, _slim(analysis))

    def _cached_names(self) -> set[str]:
        try:
            with os.scandir(self.cache.directory) as it:
                return {e.name for e in it}
        except OSError:
            return set()

    def compute(self) -> dict[str, StoryInfo]:
        """article id -> StoryInfo, for every article in a story."""
        model = self.model
        if self.cache is None or model is None:
            return {}
        from newsreader.core.library import group_stories

        with self._lock:
            for aid in list(self._offered):
                pair = self._offered.pop(aid, None)
                if pair is not None:
                    self._pairs[aid] = pair
            names = self._cached_names()
            store = self.store
            ids = store.article_ids()
            # a cache file is named "<article id>-<key of version and model>.json.gz"
            probe = "0" * 16
            suffix = self.cache.path_for(probe, model).name[len(probe):]
            for aid in ids:
                if aid in self._pairs:
                    continue
                if aid + suffix not in names:
                    if _PLAIN_ID.match(aid):       # named after the id: not cached
                        continue
                    try:
                        if self.cache.path_for(aid, model).name not in names:
                            continue
                    except Exception:  # noqa: BLE001 - an odd id is simply not cached
                        continue
                analysis = self.cache.get(aid, model)
                article = store.get_article(aid) if analysis is not None else None
                if article is None:
                    continue
                self._pairs[aid] = (article, _slim(analysis))
            alive = set(ids)
            for aid in [a for a in self._pairs if a not in alive]:
                del self._pairs[aid]
            pairs = [self._pairs[aid] for aid in ids if aid in self._pairs]
        stories = group_stories(pairs)
        out: dict[str, StoryInfo] = {}
        for number, story in enumerate(stories, 1):
            for position, aid in enumerate(story.article_ids, 1):
                out[aid] = StoryInfo(number, story.id, len(story.article_ids), position,
                                     tuple(story.article_ids))
        return out
