"""The newsreader Textual app: library, reader, compare, help.

Analysis runs in one thread worker (group "nlp") that hands articles to a
child process owning spaCy (analysis_host: spaCy in a thread would starve the
UI of the GIL), so article text is on screen first and keys stay responsive.
Results are cached on disk (AnalysisCache); a cached article is highlighted at
first paint.

Adding sources (the add key) runs in a thread worker that drives a child
process (add_host), so fetching never blocks the UI and quitting never waits
for the network; each result is a notification, new articles appear in the
library and are analysed in the background. Stories (articles about the same
event) are worked out in a thread worker from the cached analyses, at start
and whenever an analysis arrives.
"""
from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterable
from typing import TYPE_CHECKING

from textual import work
from textual.app import App, SystemCommand
from textual.message import Message
from textual.screen import Screen
from textual.worker import get_current_worker

from newsreader.core.errors import ModelError, NewsreaderError
from newsreader.core.models import Analysis, Article

from .analysis_host import AnalysisCancelled, AnalysisHost
from .keymap import APP_BINDINGS
from .screens.reader import CompareScreen, DocumentScreen, ReaderScreen
from .session import Session

if TYPE_CHECKING:   # imported when first used: adding, help and stories are not needed to start
    from .add_host import AddLine, AddOutcome, AddRun
    from .stories import StoryBook, StoryInfo

# Articles larger than this read their cached analysis in the worker, not at first paint.
SYNC_CACHE_CHARS = 400_000
# One add (a feed) can give many results: this many are notified one by one, then a summary.
ADD_NOTIFICATIONS = 10
# While articles arrive, the library re-reads the store at most this often (seconds).
LIBRARY_RELOAD_S = 0.5


class AnalysisDone(Message):
    """An article's analysis, or why there is none (``model_failed``: for every article)."""

    def __init__(self, article_id: str, analysis: Analysis | None, error: str | None, *,
                 model_failed: bool = False, article: Article | None = None) -> None:
        super().__init__()
        self.article_id = article_id
        self.analysis = analysis
        self.error = error
        self.model_failed = model_failed
        self.article = article


class SourceAdded(Message):
    """One result of an add (the ``n``-th of its run)."""

    def __init__(self, line: AddLine, n: int) -> None:
        super().__init__()
        self.line = line
        self.n = n


class AddFinished(Message):
    def __init__(self, items: list[str], outcome: AddOutcome) -> None:
        super().__init__()
        self.items = items
        self.outcome = outcome


class StoriesReady(Message):
    def __init__(self, stories: dict[str, StoryInfo] | None, error: str | None = None) -> None:
        super().__init__()
        self.stories = stories
        self.error = error


class StartScreen(Screen):
    """What lies under the article(s) opened at start-up until the library is first shown.

    Building the library (its widgets and styles) under the reader would only delay
    the article's first frame; ``show_library`` replaces this screen with it.
    """


def _library():
    """The library screen class (its module is imported when the library is first needed)."""
    from .screens.library import LibraryScreen

    return LibraryScreen


class NewsreaderApp(App):
    """Read news critically; tag every sentence as fact, quote or opinion."""

    TITLE = "newsreader"
    CSS_PATH = "newsreader.tcss"
    BINDINGS = APP_BINDINGS

    def __init__(self, session: Session, *, open_ids: Iterable[str] = (),
                 keymap: dict[str, str] | None = None, theme: str | None = None,
                 host: AnalysisHost | None = None) -> None:
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
        self.host = host or AnalysisHost(session.model, getattr(session.cache, "directory", None))
        self.stories: dict[str, StoryInfo] | None = None     # None until worked out
        self._story_book: StoryBook | None = None
        self._stories_running = False
        self._stories_again = False
        self._add_runs: set[AddRun] = set()
        self._library_timer = None

    # -- start / stop -------------------------------------------------------------
    def get_default_screen(self) -> Screen:
        if self.open_ids:   # the library is built when first shown, not under the article
            return StartScreen()
        return _library()()

    def on_unmount(self) -> None:
        self.close_children()

    def close_children(self) -> None:
        """Stop the analysis process and any add in progress (what was added stays)."""
        self.host.close()
        for run in list(self._add_runs):
            run.stop()

    def on_mount(self) -> None:
        if self.keymap:
            self.set_keymap(self.keymap)
        if self._nr_theme:
            self.theme = self._nr_theme
        if len(self.open_ids) >= 2:
            self.open_compare(self.open_ids[0], self.open_ids[1])
        elif self.open_ids:
            self.open_article(self.open_ids[0])
        if len(self.screen_stack) == 1:   # the article could not be opened (said why)
            self.show_library()
        self.call_after_refresh(self.refresh_stories)   # after the first paint

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
        base = self.screen_stack[0]
        if isinstance(base, StartScreen):
            # switch_screen drops the result callback a pushed screen has; the default
            # screen was never pushed, so give it one (textual 8.2.8, pinned)
            base._push_result_callback(self, None)
            self.switch_screen(_library()())

    def resume_last_reader(self) -> None:
        if self.last_reader and len(self.last_reader) == 2:
            self.open_compare(*self.last_reader)
        elif self.last_reader:
            self.open_article(self.last_reader[0])

    def pick_compare(self, article_id: str) -> None:
        def chosen(other: str | None) -> None:
            if other:
                self.open_compare(article_id, other)

        self.push_screen(_library()(pick_for=article_id), chosen)

    def open_story(self, article_id: str, *, keep: bool = False) -> None:
        """Compare two articles of ``article_id``'s story: its first two by date, or
        (``keep``) this article and the earliest other one."""
        if self.stories is None:
            self.notify("Stories are still being worked out; try again in a moment.", timeout=5)
            return
        info = self.stories.get(article_id)
        if info is None:
            self.notify("This article is in no story. A story is two or more analysed articles "
                        "that name the same people, organisations and places within a few days; "
                        "articles are analysed when they are opened or added.",
                        title="No story", timeout=10)
            return
        if keep:
            other = next(a for a in info.article_ids if a != article_id)
            self.open_compare(article_id, other)
        else:
            self.open_compare(info.article_ids[0], info.article_ids[1])

    def action_show_keys(self) -> None:
        from .screens.help import HelpScreen

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
            # after the first paint: for a large article the worker first parses the cached
            # analysis (JSON, seconds of CPU for the largest), which would hold the GIL
            # while the text is drawn
            self.call_after_refresh(self._analysis_worker)
        return None

    def queue_analysis(self, articles: Iterable[Article]) -> None:
        """Analyse articles in the background, after anything asked for by a screen."""
        if self._nlp_model_error is not None:
            return
        with self._nlp_lock:
            for article in articles:
                aid = article.id
                if aid in self.analyses or aid in self.errors or aid in self._nlp_queued:
                    continue
                if self.session.has_cached_analysis(aid):
                    continue
                self._nlp_queued.add(aid)
                self._nlp_pending.append(article)
            start = bool(self._nlp_pending) and not self._nlp_running
            if start:
                self._nlp_running = True
        if start:
            self._analysis_worker()

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
                    self.post_message(AnalysisDone(aid, analysis, None, article=article))
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
            elif isinstance(screen, _library()) and message.analysis is not None:
                screen.set_sentence_count(aid, len(message.analysis.sentences))
        if message.analysis is not None and message.article is not None:
            self._story_inputs().offer(message.article, message.analysis)
            self.refresh_stories()

    # -- stories --------------------------------------------------------------------------
    def _story_inputs(self) -> StoryBook:
        if self._story_book is None:
            from .stories import StoryBook

            self._story_book = StoryBook(self.session.store, self.session.cache,
                                         lambda: self.session.model_key)
        return self._story_book

    def refresh_stories(self) -> None:
        """Work the stories out again (in a worker; one run at a time, the last request wins)."""
        if self._stories_running:
            self._stories_again = True
            return
        self._stories_running = True
        self._stories_worker(self._story_inputs())

    @work(thread=True, group="stories", exit_on_error=False)
    def _stories_worker(self, book: StoryBook) -> None:
        try:
            stories = book.compute()
        except NewsreaderError as exc:
            self.post_message(StoriesReady(None, str(exc)))
        except Exception as exc:  # noqa: BLE001 - shown to the user, never a crash
            reason = f"{type(exc).__name__}: {exc}".splitlines()[0][:200]
            self.post_message(StoriesReady(None, f"stories could not be worked out ({reason})"))
        else:
            self.post_message(StoriesReady(stories))

    def on_stories_ready(self, message: StoriesReady) -> None:
        self._stories_running = False
        if message.stories is not None:
            self.stories = message.stories
        else:
            if self.stories is None:
                self.stories = {}
            self.notify(message.error or "stories could not be worked out", severity="warning",
                        timeout=10)
        for screen in self.screen_stack:
            if isinstance(screen, _library()):
                screen.stories_changed()
        if self._stories_again:
            self._stories_again = False
            self.refresh_stories()

    # -- adding sources ------------------------------------------------------------------
    def action_add_source(self) -> None:
        from .screens.add import AddScreen

        if isinstance(self.screen, AddScreen):
            return
        self.push_screen(AddScreen(), self.add_items)

    def add_items(self, items: list[str] | None) -> None:
        """Add URLs, feeds, files or folders to the library, in the background."""
        if not items:
            return
        what = items[0] if len(items) == 1 else f"{len(items)} items"
        self.notify(f"Adding {what}…", timeout=5)
        self._add_worker(list(items))

    @work(thread=True, group="add", exit_on_error=False)
    def _add_worker(self, items: list[str]) -> None:
        worker = get_current_worker()
        log = self.session.paths.data_dir / "add.log"
        from .add_host import AddRun

        run = AddRun(self.session.store.path, items, log=log)
        self._add_runs.add(run)
        count = 0

        def result(line: AddLine) -> None:
            nonlocal count
            count += 1
            self.post_message(SourceAdded(line, count))

        try:
            outcome = run.run(result, cancelled=lambda: worker.is_cancelled)
        finally:
            self._add_runs.discard(run)
        if not worker.is_cancelled:
            self.post_message(AddFinished(items, outcome))

    def on_source_added(self, message: SourceAdded) -> None:
        line = message.line
        if message.n <= ADD_NOTIFICATIONS:
            if line.status == "failed":
                self.notify(line.reason or line.line, title="Not added", severity="error",
                            timeout=15)
            else:
                self.notify(" ".join(line.line.split()),
                            title="Added" if line.status == "added" else "Already in the library",
                            timeout=8)
        if line.status == "added":
            self._schedule_library_reload()

    def _schedule_library_reload(self) -> None:
        if self._library_timer is None:
            self._library_timer = self.set_timer(LIBRARY_RELOAD_S, self._reload_library)

    def _reload_library(self, keep: str | None = None) -> None:
        if self._library_timer is not None:
            self._library_timer.stop()
            self._library_timer = None
        screen = self.screen
        if isinstance(screen, _library()) and screen.is_mounted:
            screen.reload(keep=keep)

    def on_add_finished(self, message: AddFinished) -> None:
        outcome = message.outcome
        if outcome.error:
            self.notify(outcome.error, title="Adding stopped", severity="error", timeout=15)
        if len(outcome.results) > 1:
            more = len(outcome.results) - ADD_NOTIFICATIONS
            extra = f" ({more} more not shown one by one)" if more > 0 else ""
            self.notify(outcome.summary() + extra, title="Adding done",
                        severity="warning" if any(r.status == "failed" for r in outcome.results)
                        else "information", timeout=12)
        self._reload_library(keep=outcome.new_ids[0] if outcome.new_ids else None)
        new: list[Article] = []
        for aid in outcome.new_ids:
            try:
                article = self.session.get_article(aid)
            except NewsreaderError:
                article = None
            if article is not None:
                new.append(article)
        self.queue_analysis(new)   # sentence counts and stories fill in as they finish

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
