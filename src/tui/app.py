"""The newsreader Textual app: library, reader, compare, help.

Analysis runs in one thread worker (group "nlp") that hands articles to a
child process owning spaCy (analysis_host: spaCy in a thread would starve the
UI of the GIL), so article text is on screen first and keys stay responsive.
Results are cached on disk (AnalysisCache); a cached article is highlighted at
first paint.
"""
from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterable

from textual import work
from textual.app import App, SystemCommand
from textual.message import Message
from textual.screen import Screen

from newsreader.core.errors import ModelError, NewsreaderError
from newsreader.core.models import Analysis, Article

from .analysis_host import AnalysisCancelled, AnalysisHost
from .keymap import APP_BINDINGS
from .screens.help import HelpScreen
from .screens.library import LibraryScreen
from .screens.reader import CompareScreen, DocumentScreen, ReaderScreen
from .session import Session

# Articles larger than this read their cached analysis in the worker, not at first paint.
SYNC_CACHE_CHARS = 400_000


class AnalysisDone(Message):
    """An article's analysis, or why there is none (``model_failed``: for every article)."""

    def __init__(self, article_id: str, analysis: Analysis | None, error: str | None, *,
                 model_failed: bool = False) -> None:
        super().__init__()
        self.article_id = article_id
        self.analysis = analysis
        self.error = error
        self.model_failed = model_failed


class NewsreaderApp(App):
    """Read news critically; tag every sentence as fact, quote or opinion."""

    TITLE = "newsreader"
    CSS_PATH = "newsreader.tcss"
    BINDINGS = APP_BINDINGS

    def __init__(self, session: Session, *, open_ids: Iterable[str] = (),
                 keymap: dict[str, str] | None = None, theme: str | None = None) -> None:
        super().__init__()
        self.session = session
        self.open_ids = list(open_ids)
        self.keymap: dict[str, str] = dict(keymap or {})
        self._nr_theme = theme
        self.analyses: dict[str, Analysis] = {}
        self.errors: dict[str, str] = {}
        self.cursors: dict[str, int] = {}
        self.last_reader: tuple[str, ...] | None = None
        self._nlp_pending: deque[Article] = deque()
        self._nlp_queued: set[str] = set()
        self._nlp_lock = threading.Lock()
        self._nlp_running = False
        self._nlp_model_error: str | None = None
        cache = session.cache
        self.host = AnalysisHost(session.model, getattr(cache, "directory", None))

    # -- start / stop -------------------------------------------------------------
    def get_default_screen(self) -> Screen:
        return LibraryScreen()

    def on_unmount(self) -> None:
        self.host.close()

    def on_mount(self) -> None:
        if self.keymap:
            self.set_keymap(self.keymap)
        if self._nr_theme:
            self.theme = self._nr_theme
        if len(self.open_ids) >= 2:
            self.open_compare(self.open_ids[0], self.open_ids[1])
        elif self.open_ids:
            self.open_article(self.open_ids[0])

    # -- navigation ---------------------------------------------------------------
    def _article(self, article_id: str) -> Article | None:
        try:
            article = self.session.get_article(article_id)
        except NewsreaderError as exc:
            self.notify(str(exc), title="Store error", severity="error", timeout=15)
            return None
        if article is None:
            self.notify(f"Article {article_id} is not in the library.", severity="error")
        return article

    def _show(self, screen: Screen) -> None:
        # the library stays at the bottom of the stack; one article screen above it
        while len(self.screen_stack) > 2:
            self.pop_screen()
        if len(self.screen_stack) == 2:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def open_article(self, article_id: str) -> None:
        article = self._article(article_id)
        if article is not None:
            self.last_reader = (article_id,)
            self._show(ReaderScreen(article))

    def open_compare(self, a_id: str, b_id: str) -> None:
        a, b = self._article(a_id), self._article(b_id)
        if a is not None and b is not None:
            self.last_reader = (a_id, b_id)
            self._show(CompareScreen(a, b))

    def show_library(self) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()

    def resume_last_reader(self) -> None:
        if self.last_reader and len(self.last_reader) == 2:
            self.open_compare(*self.last_reader)
        elif self.last_reader:
            self.open_article(self.last_reader[0])

    def pick_compare(self, article_id: str) -> None:
        def chosen(other: str | None) -> None:
            if other:
                self.open_compare(article_id, other)

        self.push_screen(LibraryScreen(pick_for=article_id), chosen)

    def action_show_keys(self) -> None:
        if isinstance(self.screen, HelpScreen):
            self.pop_screen()
        else:
            self.push_screen(HelpScreen())

    def session_labels(self, article_id: str) -> dict[int, str]:
        try:
            return self.session.labels(article_id)
        except NewsreaderError as exc:
            self.notify(f"Cannot read your labels: {exc}", severity="error", timeout=15)
            return {}

    # -- analysis ---------------------------------------------------------------------
    def analysis_error(self, article_id: str) -> str | None:
        return self.errors.get(article_id)

    def request_analysis(self, article: Article) -> Analysis | None:
        """The analysis if it is known now (memory or cache); else start the worker."""
        aid = article.id
        if aid in self.analyses:
            return self.analyses[aid]
        if aid in self.errors:
            return None
        if len(article.text) <= SYNC_CACHE_CHARS:
            cached = self.session.cached_analysis(aid)
            if cached is not None:
                self._accept(cached)
                return cached
        if self._nlp_model_error is not None:
            self.errors[aid] = self._nlp_model_error
            return None
        with self._nlp_lock:
            if aid not in self._nlp_queued:
                self._nlp_queued.add(aid)
                self._nlp_pending.appendleft(article)   # what is on screen goes first
            start = not self._nlp_running
            if start:
                self._nlp_running = True
        if start:
            self._analysis_worker()
        return None

    def _accept(self, analysis: Analysis) -> None:
        """Use the analysis now; record it in the store before the next keystroke.

        Recording is a write transaction (sentence count, and re-anchoring labels when
        the segmentation differs from the one they were made on), so it runs right
        after the first paint rather than before it.
        """
        self.analyses[analysis.article_id] = analysis
        self.call_later(self._record, analysis)

    def _record(self, analysis: Analysis) -> None:
        try:
            moved = self.session.store_analysis(analysis)
        except NewsreaderError as exc:
            self.notify(f"Could not record the sentences: {exc}", severity="error", timeout=15)
            return
        if moved:  # labels now sit on other sentence indexes: show them where they are
            labels = self.session_labels(analysis.article_id)
            for screen in self.screen_stack:
                for view in screen.query("DocumentView"):
                    if view.article.id == analysis.article_id:
                        view.set_labels(labels)

    @work(thread=True, exclusive=True, group="nlp", exit_on_error=False)
    def _analysis_worker(self) -> None:
        """Analyse queued articles one by one, in the analysis process (see analysis_host)."""
        try:
            while True:
                with self._nlp_lock:
                    if not self._nlp_pending:
                        self._nlp_running = False
                        return
                    article = self._nlp_pending.popleft()
                aid = article.id
                try:
                    analysis = None
                    if len(article.text) > SYNC_CACHE_CHARS:
                        analysis = self.session.cached_analysis(aid)
                    if analysis is None:
                        analysis = self.host.analyze(article)   # the host also caches it
                    self.post_message(AnalysisDone(aid, analysis, None))
                except AnalysisCancelled:
                    return
                except ModelError as exc:  # every article would fail the same way
                    self._fail_all(str(exc), first=article)
                    return
                except NewsreaderError as exc:
                    self.post_message(AnalysisDone(aid, None, str(exc)))
                except Exception as exc:  # noqa: BLE001 - shown to the user, never a crash
                    reason = f"{type(exc).__name__}: {exc}".splitlines()[0][:200]
                    self.post_message(AnalysisDone(aid, None, f"analysis failed ({reason})"))
        finally:
            with self._nlp_lock:
                if self._nlp_running and not self._nlp_pending:
                    self._nlp_running = False

    def _fail_all(self, reason: str, *, first: Article) -> None:
        with self._nlp_lock:
            failed = [first, *self._nlp_pending]
            self._nlp_pending.clear()
            self._nlp_running = False
        for article in failed:
            self.post_message(AnalysisDone(article.id, None, reason, model_failed=True))

    def on_analysis_done(self, message: AnalysisDone) -> None:
        if message.model_failed:  # later requests fail at once instead of retrying
            self._nlp_model_error = message.error
        aid = message.article_id
        self._nlp_queued.discard(aid)
        if message.analysis is not None:
            self._accept(message.analysis)
            self.errors.pop(aid, None)
        else:
            self.errors[aid] = message.error or "analysis failed"
        for screen in self.screen_stack:
            if isinstance(screen, DocumentScreen):
                screen.analysis_ready(aid)

    def notify(self, message: str, *, title: str = "", severity="information",
               timeout: float | None = None, markup: bool = False) -> None:
        """Notifications carry paths and store messages: never read them as markup."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    # -- command palette -----------------------------------------------------------------
    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        seen: set[tuple[int, str]] = set()
        for key, active in screen.active_bindings.items():
            binding = active.binding
            if not active.enabled or binding.system or not binding.description:
                continue
            if (id(active.node), binding.action) in seen:
                continue
            seen.add((id(active.node), binding.action))
            detail = binding.tooltip or binding.description
            yield SystemCommand(binding.description, f"{detail} (key: {self.get_key_display(binding)})",
                                _runner(active.node, binding.action))
        yield SystemCommand("All keys", "Show every key and its binding id (?)", self.action_show_keys)


def _runner(node, action: str):
    async def run() -> None:
        await node.run_action(action)
    return run
