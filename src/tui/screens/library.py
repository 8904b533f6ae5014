"""The library: every article in the store; typing filters, Enter opens.

Articles are grouped by source (the outlet; a web page without one by its
host) with a header row per group, groups in alphabetical order, and sorted
by date within a group, newest first. Each row shows the article's story
("story 1 · 2 articles") once the app has grouped the analysed articles into
stories (in a worker, see stories.py).

Made to stay quick with 10,000 articles:

* the store is read when the library is first shown, not when the app starts
  (it is the default screen, under the reader);
* on a return to it, only what changed is read again: nothing when the store
  is as it was, the rows of articles whose labels changed when this process
  wrote (the event log says which), everything when another process wrote
  (``Store.change_marks``);
* a keystroke in the filter narrows the previous matches (or reuses the
  matches of a query typed before, so Backspace does not rescan), and the
  list (widgets/library_list.py) draws only the visible rows, from a cache.
"""
from __future__ import annotations

import dataclasses
from itertools import groupby
from urllib.parse import urlsplit

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.geometry import Size
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from newsreader.core.errors import NewsreaderError
from newsreader.core.store import ArticleSummary

from ..keymap import LIBRARY_BINDINGS
from ..titles import clean
from ..widgets.bars import StatusLine, TopBar
from ..widgets.library_list import (  # noqa: F401 - part of this module's interface
    DATE_W, PROGRESS_W, STORY_SHORT_W, STORY_W, ArticleRow, GroupHeader, LibraryList, _fit,
    columns)

NO_SOURCE = "No source"
# filter results kept for queries typed before (Backspace goes back to one)
FILTER_MEMO = 64
# back in the library, more articles than this with new labels: read them all again
CATCH_UP_MAX = 500


def source_name(summary: ArticleSummary) -> str:
    """The group an article is listed under: its source, else a web page's host."""
    source = clean(summary.source or "")
    if source:
        return source
    location = summary.location or ""
    if "://" in location:
        host = urlsplit(location).netloc.rsplit("@", 1)[-1]
        if host:
            return host
    return NO_SOURCE


def source_names(summaries: list[ArticleSummary]) -> dict[str, str]:
    """article id -> :func:`source_name`, working each distinct source out once."""
    memo: dict[str, str] = {}
    out: dict[str, str] = {}
    for s in summaries:
        source = s.source
        if source and not source.isspace():
            name = memo.get(source)
            if name is None:
                name = memo[source] = source_name(s)
        else:
            name = source_name(s)
        out[s.id] = name
    return out


def _group_order(name: str) -> tuple[bool, str]:
    return name == NO_SOURCE, name.casefold()


def sort_summaries(summaries: list[ArticleSummary],
                   names: dict[str, str] | None = None) -> list[ArticleSummary]:
    """By source (alphabetical, "No source" last), then newest first (undated last).

    ``names``: article id -> :func:`source_name`, when already known.
    """
    if names is None:
        names = source_names(summaries)
    # newest first, undated ("") last, then most recently added (a reverse sort keeps
    # equal items in their order, and the store lists the most recently added first)
    by_date = sorted(summaries, key=lambda s: s.date or "", reverse=True)
    groups: dict[str, list[ArticleSummary]] = {}
    for s in by_date:
        name = names[s.id]
        group = groups.get(name)
        if group is None:
            group = groups[name] = []
        group.append(s)
    out: list[ArticleSummary] = []
    for name in sorted(groups, key=_group_order):
        out.extend(groups[name])
    return out


class FilterInput(Input):
    """The filter box. Input sets its virtual size on every change, a reactive that
    re-lays out the whole screen; this one-line box of fixed width only needs a
    repaint, so a keystroke costs one cheap frame."""

    virtual_size = Reactive(Size(0, 0), layout=False)

    def __init__(self, *args, on_change=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._on_change = on_change

    def watch_value(self, value: str) -> None:
        # filter now, so the list changes in the same frame as the text (the Changed
        # message reaches the screen a frame later)
        if self._on_change is not None:
            self._on_change(value)


def _narrows(before: tuple[str, ...], after: tuple[str, ...]) -> bool:
    """Whether every row matching ``after`` also matches ``before`` (typing on)."""
    n = len(before)
    if not n:
        return True
    return (len(after) >= n and after[:n - 1] == before[:n - 1]
            and after[n - 1].startswith(before[n - 1]))


class _Matches:
    """One query's result: the matching rows, and the list's entries with headers."""

    __slots__ = ("rows", "entries", "groups")

    def __init__(self, rows: list[ArticleRow], entries: list, groups: int) -> None:
        self.rows = rows
        self.entries = entries
        self.groups = groups


class LibraryScreen(Screen):
    """Every article in the store. Opened as a picker, Enter returns the article id."""

    BINDINGS = LIBRARY_BINDINGS

    DEFAULT_CSS = """
    LibraryScreen Input#filter { border: tall $panel-lighten-1; margin: 0 0; height: 3; }
    LibraryScreen Input#filter:focus { border: tall $accent; }
    LibraryScreen #columns { height: 1; padding: 0 1; color: $text-muted; text-style: bold; background: $panel; }
    LibraryScreen #empty { padding: 1 2; color: $text-muted; display: none; }
    """

    def __init__(self, *, pick_for: str | None = None) -> None:
        super().__init__()
        self.pick_for = pick_for          # article id we pick a partner for (compare)
        self._rows: dict[str, ArticleRow] = {}
        self._all: list[ArticleRow] = []   # grouped by source, newest first in a group
        self._story_of: dict[str, str] = {}   # article id -> story id, for articles in one
        self._loaded = False              # the store is read when the library is first shown
        self._marks: tuple[int, int] | None = None   # Store.change_marks() when last read
        self._matches: dict[tuple[str, ...], _Matches] = {}   # query words -> result
        self._last_words: tuple[str, ...] = ()
        self._headers: dict[tuple[str, int], GroupHeader] = {}
        self._columns_width: int | None = None
        self._query: str | None = None         # the filter text the list shows
        self.store_reads = 0              # times the whole article list was read (for tests)
        self.rows_scanned = 0             # rows the filter looked at (for tests)

    def compose(self) -> ComposeResult:
        yield TopBar(id="topbar")
        with Vertical():
            filter_input = FilterInput(placeholder="type to filter by title, source, date, story or "
                                       "path…", id="filter", on_change=self._filter_changed)
            filter_input.cursor_blink = False
            yield filter_input
            yield Static(id="columns")
            yield LibraryList(id="articles")
            yield Static(id="empty")
        yield StatusLine(id="status")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#filter", Input).focus()

    def on_screen_resume(self) -> None:
        if not self.is_active:
            return     # the default screen, resumed under the reader opened at start-up
        keep = self.app.last_reader[0] if self.app.last_reader else None
        if self._loaded:
            self._catch_up(keep)
        elif self._borrow():
            self._catch_up(keep, present=True)
        else:
            self.reload(keep=keep)
        self.query_one("#filter", Input).focus()

    def _borrow(self) -> bool:
        """A picker (compare) starts from the rows of the library below it, when that one
        has read the store, and then reads only what changed since."""
        if self.pick_for is None:
            return False
        for screen in self.app.screen_stack:
            if isinstance(screen, LibraryScreen) and screen is not self and screen._loaded \
                    and screen._marks is not None:
                self._rows = dict(screen._rows)
                self._all = list(screen._all)
                self._story_of = dict(screen._story_of)
                self._marks = screen._marks
                self._loaded = True
                return True
        return False

    def on_resize(self) -> None:
        self.call_after_refresh(self._update_columns)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "story" and self.pick_for is not None:
            return False
        return True

    def _update_columns(self) -> None:
        lst = self.query_one(LibraryList)
        width = max(20, lst.row_width() - 2)
        if width == self._columns_width:
            return
        self._columns_width = width
        title_w, story_w, date_w, progress_w = columns(width)
        t = Text(no_wrap=True, end="")
        t.append(_fit("Title", title_w))
        if story_w:
            t.append(" " + _fit("Story", story_w))
        if date_w:
            t.append(" " + _fit("Date", date_w))
        t.append(" " + _fit("Tagged", progress_w))
        self.query_one("#columns", Static).update(t)

    # -- reading the store --------------------------------------------------------------
    def reload(self, keep: str | None = None) -> None:
        """Read every article from the store again (rows that did not change are kept)."""
        app = self.app
        session = app.session
        store = session.store
        highlighted = keep or self.highlighted_id()
        try:
            marks = store.change_marks()      # before the list: a change in between shows next time
            summaries = store.list_articles(session.annotator)
        except NewsreaderError as exc:
            self.query_one(StatusLine).say(f"Cannot read the library: {exc}", "error")
            summaries, marks = [], None
        self.store_reads += 1
        self._marks = marks
        names = source_names(summaries)
        summaries = sort_summaries(summaries, names)
        old = self._rows
        rows: dict[str, ArticleRow] = {}
        for s in summaries:
            row = old.get(s.id)
            if row is None or row.summary != s:
                group = names[s.id]
                title = clean(s.title) if s.title else ""
                if title:
                    row = ArticleRow(s, title, real_title=True, group=group, no_source=NO_SOURCE)
                else:
                    row = ArticleRow(s, session.untitled_title(s.id), real_title=False,
                                     group=group, no_source=NO_SOURCE)
            rows[s.id] = row
        self._rows = rows
        self._all = list(rows.values())
        self._loaded = True
        self._apply_counts()
        self._present(highlighted)

    def _present(self, keep: str | None) -> None:
        """Show the rows (after they were read): stories, top bar, the filter's matches."""
        self._apply_stories()
        self._forget_matches()
        top = self.query_one(TopBar)
        n = len(self._all)
        what = f"Library · {n} article{'s' if n != 1 else ''}"
        if self.pick_for:
            what = "Compare with… (Enter picks, Escape cancels)"
        top.set_parts(what, "", self.app.session.annotator)
        self.apply_filter(self.query_one("#filter", Input).value, keep=keep)
        self.call_after_refresh(self._update_columns)

    def _catch_up(self, keep: str | None, *, present: bool = False) -> None:
        """Back to the library: read only what changed since the store was last read
        (``present``: the rows were borrowed, show them)."""
        store = self.app.session.store
        try:
            marks = store.change_marks()
            if self._marks is None or marks[0] != self._marks[0]:
                self.reload(keep=keep)      # another process wrote: anything may have changed
                return
            changed: set[str] = set()
            if marks[1] != self._marks[1]:  # labels changed (here): which articles
                last, changed = store.labels_changed_since(self._marks[1])
                marks = (marks[0], max(marks[1], last))
            if len(changed) > CATCH_UP_MAX:
                self.reload(keep=keep)
                return
            summaries = store.list_articles(self.app.session.annotator, ids=sorted(changed)) \
                if changed else []
        except NewsreaderError as exc:
            self.query_one(StatusLine).say(f"Cannot read the library: {exc}", "error")
            if present:
                self._present(keep)
            return
        self._marks = marks
        found = {s.id: s for s in summaries}
        lst = self.query_one(LibraryList)
        for aid in changed:
            row, s = self._rows.get(aid), found.get(aid)
            if row is None and s is None:
                continue
            if row is None or s is None or (s.title, s.source, s.date, s.location) != (
                    row.summary.title, row.summary.source, row.summary.date, row.summary.location):
                self.reload(keep=keep)      # an article came, went or was renamed: sort again
                return
            if s != row.summary:
                row.set_counts(s)
                lst.refresh_entry(row)
        self._apply_counts()
        if present:
            self._present(keep)
        else:
            self._highlight(keep)

    def _apply_counts(self) -> None:
        """Sentence counts of articles analysed here that the rows do not show yet (the
        store gets them right after the analysis arrives)."""
        analyses = getattr(self.app, "analyses", None) or {}
        rows = self._rows
        lst = self.query_one(LibraryList)
        for aid, analysis in analyses.items():
            row = rows.get(aid)
            if row is not None and row.summary.n_sentences != len(analysis.sentences):
                row.set_counts(dataclasses.replace(row.summary,
                                                   n_sentences=len(analysis.sentences)))
                lst.refresh_entry(row)

    def _highlight(self, keep: str | None) -> None:
        if not keep:
            return
        lst = self.query_one(LibraryList)
        index = lst.index_of(keep)
        if index is not None:
            lst.highlighted = index

    # -- stories and counts (set by the app as they are worked out) -------------------
    def _apply_stories(self) -> bool:
        stories = self.app.stories or {}
        changed = False
        rows = self._rows
        # only rows that are or were in a story can change
        for aid in set(self._story_of) | set(stories):
            row = rows.get(aid)
            if row is not None:
                changed |= row.set_story(stories.get(aid))
        self._story_of = {aid: s.story_id for aid, s in stories.items() if aid in rows}
        return changed

    def stories_changed(self) -> None:
        """The app has new stories: show them (and filter by them) without re-reading."""
        if not self._loaded or not self.is_mounted or not self._apply_stories():
            return
        self._forget_matches()
        self.apply_filter(self.query_one("#filter", Input).value, keep=self.highlighted_id())

    def set_sentence_count(self, article_id: str, n: int) -> None:
        """An article was analysed in the background: show its sentence count."""
        row = self._rows.get(article_id)
        if row is None or row.summary.n_sentences == n:
            return
        row.set_counts(dataclasses.replace(row.summary, n_sentences=n))
        self.query_one(LibraryList).refresh_entry(row)

    # -- list -------------------------------------------------------------------------------
    def highlighted_id(self) -> str | None:
        option = self.query_one(LibraryList).highlighted_option
        return option.id if option is not None else None

    def _forget_matches(self) -> None:
        self._matches.clear()
        self._last_words = ()
        self._headers.clear()

    def _match(self, words: tuple[str, ...]) -> _Matches:
        """The rows matching every word, narrowing the closest earlier result."""
        memo = self._matches
        hit = memo.get(words)
        if hit is not None:
            self._last_words = words
            return hit
        base = memo.get(())
        if base is None:
            pick_for = self.pick_for
            rows = [r for r in self._all if r.id != pick_for] if pick_for else self._all
            base = memo[()] = self._result(rows)
        # typing narrows: search only what the previous query (or the best earlier one) matched
        start: tuple[str, ...] = ()
        if self._last_words in memo and _narrows(self._last_words, words):
            start = self._last_words
        else:
            for before, result in memo.items():
                if _narrows(before, words) and len(result.rows) < len(memo[start].rows):
                    start = before
        pool = memo[start].rows
        for i, word in enumerate(words):
            if i < len(start) - 1 or (i < len(start) and word == start[i]):
                continue        # every row of the pool has it already
            self.rows_scanned += len(pool)
            pool = [r for r in pool if word in r.search]
        result = memo[words] = self._result(pool)
        if len(memo) > FILTER_MEMO:
            del memo[next(k for k in memo if k and k != words)]
        self._last_words = words
        return result

    def _result(self, rows: list[ArticleRow]) -> _Matches:
        # a header row above each source's articles (rows are grouped already)
        entries: list = []
        headers = self._headers
        groups = 0
        start = 0
        for group, run in groupby(row.group for row in rows):
            n = sum(1 for _ in run)
            header = headers.get((group, n))
            if header is None:
                header = headers[(group, n)] = GroupHeader(group, n)
            entries.append(header)
            entries.extend(rows[start:start + n])
            start += n
            groups += 1
        return _Matches(rows, entries, groups)

    def apply_filter(self, query: str, keep: str | None = None) -> None:
        self._query = query
        words = tuple(query.lower().split())
        result = self._match(words)
        rows = result.rows
        lst = self.query_one(LibraryList)
        lst.set_entries(result.entries, len(rows))
        self._update_columns()      # in this frame, also when the scrollbar comes or goes
        if rows:
            index = lst.index_of(keep) if keep else None
            lst.highlighted = index if index is not None else 1
            if lst.highlighted == 1:
                lst.scroll_to_row(0)   # the first group's header
        empty = self.query_one("#empty", Static)
        empty.display = not rows
        if not rows:
            if self._all:
                empty.update(Content(f"No article matches {query!r}. Escape clears the filter."))
            else:
                empty.update(Content(f"The library is empty. Press {self._key('library_add')} to add "
                                     "a web page, feed, file or folder, or start newsreader with "
                                     "PATH or URL arguments."))
        total = len(self._all) - (1 if self.pick_for and self.pick_for in self._rows else 0)
        status = f"{len(rows)} of {total} shown" if words else f"{total} article{'s' if total != 1 else ''}"
        if result.groups:
            status += f" · {result.groups} source{'s' if result.groups != 1 else ''}"
        story_of = self._story_of
        stories = {story_of[r.id] for r in rows if r.id in story_of} if story_of else ()
        if stories:
            status += f" · {len(stories)} stor{'ies' if len(stories) != 1 else 'y'}"
        self.query_one(StatusLine).say(status + " · Enter opens · ctrl+q quits")

    def _key(self, binding_id: str) -> str:
        from .help import key_text

        for b in LIBRARY_BINDINGS:
            if b.id == binding_id:
                return key_text(self.app, b)
        return binding_id

    def _filter_changed(self, value: str) -> None:
        if self._loaded and value != self._query:
            self.apply_filter(value)

    def on_input_changed(self, event: Input.Changed) -> None:
        self._filter_changed(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_open()

    def on_library_list_width_changed(self, event: LibraryList.WidthChanged) -> None:
        event.stop()
        self._update_columns()

    def on_library_list_picked(self, event: LibraryList.Picked) -> None:
        event.stop()
        self._open(event.article_id)

    def action_move(self, step: int) -> None:
        lst = self.query_one(LibraryList)
        n = lst.option_count
        if not n:
            return
        options = lst.options
        current = lst.highlighted if lst.highlighted is not None else 0
        target = max(0, min(n - 1, current + step))
        direction = 1 if step > 0 else -1
        while 0 <= target < n and options[target].disabled:   # step over group headers
            target += direction
        if not 0 <= target < n or options[target].disabled:
            target = current
            while 0 <= target < n and options[target].disabled:
                target -= direction
            if not 0 <= target < n:
                return
        lst.highlighted = target
        if target > 0 and options[target - 1].disabled and lst.scroll_y > target - 1:
            lst.scroll_to_row(target - 1)   # show its header

    def action_open(self) -> None:
        aid = self.highlighted_id()
        if aid:
            self._open(aid)

    def action_story(self) -> None:
        aid = self.highlighted_id()
        if aid:
            self.app.open_story(aid)

    def _open(self, aid: str) -> None:
        if self.pick_for is not None:
            self.dismiss(aid)
        else:
            self.app.open_article(aid)

    def action_back(self) -> None:
        inp = self.query_one("#filter", Input)
        if inp.value:
            inp.value = ""
            return
        if self.pick_for is not None:
            self.dismiss(None)
        elif self.app.last_reader is not None:
            self.app.resume_last_reader()
