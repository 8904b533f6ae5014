"""The library: every article in the store; typing filters, Enter opens.

Articles are grouped by source (the outlet; a web page without one by its
host) with a header row per group, groups in alphabetical order, and sorted
by date within a group, newest first. Each row shows the article's story
("story 1 · 2 articles") once the app has grouped the analysed articles into
stories (in a worker, see stories.py). The list is one OptionList whose rows
are laid out at render time, so filtering stays a single pass over the rows.
"""
from __future__ import annotations

import dataclasses
from itertools import groupby
from urllib.parse import urlsplit

from rich.cells import cell_len, set_cell_size
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from newsreader.core.errors import NewsreaderError
from newsreader.core.store import ArticleSummary

from ..keymap import LIBRARY_BINDINGS
from ..stories import StoryInfo
from ..titles import clean
from ..widgets.bars import StatusLine, TopBar, progress_bar

STORY_W = 20      # "story 12 · 3 articles"
STORY_SHORT_W = 12
DATE_W = 10
PROGRESS_W = 16   # "▰▰▰▰▱▱▱▱ 123/456"
NO_SOURCE = "No source"


def _fit(text: str, width: int) -> str:
    if width <= 0:
        return ""
    if cell_len(text) > width:
        text = set_cell_size(text, max(0, width - 1)).rstrip() + "…"
    return set_cell_size(text, width)


def columns(width: int) -> tuple[int, int, int, int]:
    """(title, story, date, progress) widths for a row of ``width`` cells.

    The source is not a column: it heads each group of rows.
    """
    story_w = STORY_W if width >= 100 else STORY_SHORT_W if width >= 64 else 0
    date_w = DATE_W if width >= 56 else 0
    gaps = sum(1 for w in (story_w, date_w) if w) + 1
    title_w = max(10, width - story_w - date_w - PROGRESS_W - gaps)
    return title_w, story_w, date_w, PROGRESS_W


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


class ArticleRow:
    """One library row; lays itself out to whatever width the list has."""

    def __init__(self, summary: ArticleSummary, title: str | None = None, *, real_title: bool = True,
                 group: str | None = None):
        self.summary = summary
        s = summary
        self.title = title if title is not None else clean(s.title or "") or "Untitled article"
        self.real_title = real_title      # False: the article's first words, drawn dimmed
        self.group = group if group is not None else source_name(s)
        self.source = self.group if self.group != NO_SOURCE else ""
        self.date = s.date or ""
        self.story: StoryInfo | None = None
        total = s.n_sentences
        bar = progress_bar(s.n_tagged, total)
        count = f"{s.n_tagged}/{total}" if total else f"{s.n_tagged}/?"
        self.progress = f"{bar} {count}"
        self._search = f"{self.title} {self.source} {self.date} {s.location or ''}".lower()
        self.search = self._search

    def set_story(self, story: StoryInfo | None) -> bool:
        """Returns True when the row changed."""
        if story == self.story:
            return False
        self.story = story
        self.search = self._search + (f" story {story.number}" if story else "")
        return True

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        title_w, story_w, date_w, progress_w = columns(width)
        t = Text(no_wrap=True, overflow="crop", end="")
        if self.real_title:
            t.append(_fit(self.title, title_w), style=Style(bold=True))
        else:
            t.append(_fit(self.title, title_w), style=Style(italic=True, dim=True))
        if story_w:
            t.append(" ")
            t.append(_fit(self.story.label(story_w) if self.story else "", story_w),
                      style=Style(italic=True))
        if date_w:
            t.append(" ")
            t.append(_fit(self.date, date_w))
        t.append(" ")
        done = self.summary.n_tagged and self.summary.n_sentences and \
            self.summary.n_tagged >= self.summary.n_sentences
        t.append(_fit(self.progress, progress_w), style=Style(bold=bool(done)))
        t.truncate(width)
        yield t

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(1, options.max_width)


class RowOption(Option):
    """An Option hashed in C (``Option.__hash__`` is a Python method; with 10,000
    rows re-indexed per keystroke that alone costs milliseconds)."""

    __hash__ = object.__hash__


class GroupHeader:
    """The row above a source's articles: ``Source · 3 articles ────``."""

    def __init__(self, name: str, count: int):
        self.name = name
        self.count = count

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        t = Text(no_wrap=True, overflow="crop", end="")
        t.append(_fit(self.name, min(cell_len(self.name), max(1, width - 16))), style=Style(bold=True))
        t.append(f" · {self.count} article{'s' if self.count != 1 else ''} ", style=Style(dim=True))
        rest = width - t.cell_len
        if rest > 0:
            t.append("─" * rest, style=Style(dim=True))
        t.truncate(width)
        yield t

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(1, options.max_width)


class LibraryList(OptionList):
    """An OptionList whose rows are always one line tall.

    OptionList measures every option's height when options change; library rows
    never wrap, so that is skipped and filtering 10,000 articles stays cheap.
    """

    DEFAULT_CSS = """
    LibraryList { height: 1fr; border: none; padding: 0; background: $surface; }
    LibraryList:focus { border: none; }
    LibraryList > .option-list--option { padding: 0 1; }
    LibraryList > .option-list--option-disabled { color: $text-accent; }
    """

    def _update_lines(self) -> None:
        if not self.scrollable_content_region:
            return
        cache = self._line_cache
        n = len(self.options)
        if len(cache.lines) != n:
            cache.lines = list(zip(range(n), [0] * n))
            cache.heights = dict.fromkeys(range(n), 1)
            cache.index_to_line = dict(zip(range(n), range(n)))
        width = self.scrollable_content_region.width
        from textual.geometry import Size
        size = Size(width, n)
        if size != self.virtual_size:
            self.virtual_size = size
            self._scroll_update(size)

    def get_content_height(self, container, viewport, width: int) -> int:
        return len(self.options)

    @property
    def article_count(self) -> int:
        """Rows that are articles (``option_count`` counts the group headers too)."""
        return len(self._id_to_option)

    def set_rows(self, ids: list[str], rows: list[Option], options: list[Option]) -> None:
        """Replace every row at once (``set_options`` checks and indexes one option at a
        time, which costs tens of milliseconds per keystroke with 10,000 articles).

        ``rows`` are the articles' options (``ids`` theirs), ``options`` the same with
        the group headers (disabled options) among them.
        """
        self._options = options
        self._option_to_index = dict(zip(options, range(len(options))))
        self._id_to_option = dict(zip(ids, rows))
        self._line_cache.clear()
        self._option_render_cache.clear()
        self.highlighted = None
        self.scroll_y = 0
        self._update_lines()
        self.refresh()


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
        self._options: dict[str, Option] = {}
        self._order: list[str] = []       # grouped by source, newest first in a group
        self._group_of: dict[str, str] = {}   # article id -> its group (source)
        self._story_of: dict[str, str] = {}   # article id -> story id, for articles in one
        self._last_filter: tuple[list[str], list[str] | None] = ([], None)

    def compose(self) -> ComposeResult:
        yield TopBar(id="topbar")
        with Vertical():
            filter_input = Input(placeholder="type to filter by title, source, date, story or path…",
                                 id="filter")
            filter_input.cursor_blink = False
            yield filter_input
            yield Static(id="columns")
            yield LibraryList(id="articles")
            yield Static(id="empty")
        yield StatusLine(id="status")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.reload()
        self.query_one("#filter", Input).focus()

    def on_screen_resume(self) -> None:
        self.reload(keep=self.app.last_reader[0] if self.app.last_reader else None)
        self.query_one("#filter", Input).focus()

    def on_resize(self) -> None:
        self.call_after_refresh(self._update_columns)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "story" and self.pick_for is not None:
            return False
        return True

    def _update_columns(self) -> None:
        lst = self.query_one(LibraryList)
        width = max(20, lst.scrollable_content_region.width - 2)
        title_w, story_w, date_w, progress_w = columns(width)
        t = Text(no_wrap=True, end="")
        t.append(_fit("Title", title_w))
        if story_w:
            t.append(" " + _fit("Story", story_w))
        if date_w:
            t.append(" " + _fit("Date", date_w))
        t.append(" " + _fit("Tagged", progress_w))
        self.query_one("#columns", Static).update(t)

    def reload(self, keep: str | None = None) -> None:
        app = self.app
        try:
            summaries = app.session.store.list_articles(app.session.annotator)
        except NewsreaderError as exc:
            self.query_one(StatusLine).say(f"Cannot read the library: {exc}", "error")
            summaries = []
        highlighted = keep or self.highlighted_id()
        names = source_names(summaries)
        summaries = sort_summaries(summaries, names)
        rows: dict[str, ArticleRow] = {}
        session = app.session
        for s in summaries:
            group = names[s.id]
            title = clean(s.title) if s.title else ""
            if title:
                rows[s.id] = ArticleRow(s, title, real_title=True, group=group)
            else:
                rows[s.id] = ArticleRow(s, session.untitled_title(s.id), real_title=False,
                                        group=group)
        self._rows = rows
        self._group_of = names
        self._options = {aid: RowOption(row, id=aid) for aid, row in rows.items()}
        self._order = [s.id for s in summaries]
        self._last_filter = ([], None)
        self._apply_stories()
        top = self.query_one(TopBar)
        what = f"Library · {len(summaries)} article{'s' if len(summaries) != 1 else ''}"
        if self.pick_for:
            what = "Compare with… (Enter picks, Escape cancels)"
        top.set_parts(what, "", app.session.annotator)
        self.apply_filter(self.query_one("#filter", Input).value, keep=highlighted)
        self.call_after_refresh(self._update_columns)

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
        if not self.is_mounted or not self._apply_stories():
            return
        self._last_filter = ([], None)
        self.apply_filter(self.query_one("#filter", Input).value, keep=self.highlighted_id())

    def set_sentence_count(self, article_id: str, n: int) -> None:
        """An article was analysed in the background: show its sentence count."""
        row = self._rows.get(article_id)
        if row is None or row.summary.n_sentences == n:
            return
        story = row.story
        new = ArticleRow(dataclasses.replace(row.summary, n_sentences=n), row.title,
                         real_title=row.real_title, group=row.group)
        new.set_story(story)
        self._rows[article_id] = new
        self._options[article_id] = RowOption(new, id=article_id)
        self._last_filter = ([], None)
        self.apply_filter(self.query_one("#filter", Input).value, keep=self.highlighted_id())

    # -- list -------------------------------------------------------------------------------
    def highlighted_id(self) -> str | None:
        lst = self.query_one(LibraryList)
        option = lst.highlighted_option
        return option.id if option is not None else None

    def apply_filter(self, query: str, keep: str | None = None) -> None:
        words = query.lower().split()
        # typing narrows: search only what the previous query matched
        last_words, last_ids = self._last_filter
        pool = last_ids if (last_ids is not None and words and len(words) >= len(last_words)
                            and all(w.startswith(lw) if i == len(last_words) - 1 else w == lw
                                    for i, (w, lw) in enumerate(zip(words, last_words)))
                            and words[:len(last_words) - 1] == last_words[:-1]) else self._order
        rows = self._rows
        ids = [aid for aid in pool
               if aid != self.pick_for and all(w in rows[aid].search for w in words)]
        self._last_filter = (words, ids)
        lst = self.query_one(LibraryList)
        options = self._options
        shown = list(map(options.__getitem__, ids))
        # a header row above each source's articles (ids are grouped already)
        with_headers: list[Option] = []
        start = 0
        groups = 0
        for group, run in groupby(map(self._group_of.__getitem__, ids)):
            n = len(list(run))
            with_headers.append(RowOption(GroupHeader(group, n), disabled=True))
            with_headers.extend(shown[start:start + n])
            start += n
            groups += 1
        lst.set_rows(ids, shown, with_headers)
        if ids:
            chosen = options.get(keep) if keep else None
            index = lst._option_to_index.get(chosen) if chosen is not None else None
            lst.highlighted = index if index is not None else 1
            if lst.highlighted == 1:
                lst.scroll_y = 0     # the first group's header stays in view
        empty = self.query_one("#empty", Static)
        empty.display = not ids
        if not ids:
            if self._order:
                empty.update(Content(f"No article matches {query!r}. Escape clears the filter."))
            else:
                empty.update(Content(f"The library is empty. Press {self._key('library_add')} to add "
                                     "a web page, feed, file or folder, or start newsreader with "
                                     "PATH or URL arguments."))
        total = len(self._order) - (1 if self.pick_for else 0)
        status = f"{len(ids)} of {total} shown" if words else f"{total} article{'s' if total != 1 else ''}"
        if groups:
            status += f" · {groups} source{'s' if groups != 1 else ''}"
        story_of = self._story_of
        stories = {story_of[aid] for aid in ids if aid in story_of} if story_of else ()
        if stories:
            status += f" · {len(stories)} stor{'ies' if len(stories) != 1 else 'y'}"
        self.query_one(StatusLine).say(status + " · Enter opens · ctrl+q quits")

    def _key(self, binding_id: str) -> str:
        from .help import key_text

        for b in LIBRARY_BINDINGS:
            if b.id == binding_id:
                return key_text(self.app, b)
        return binding_id

    def on_input_changed(self, event: Input.Changed) -> None:
        self.apply_filter(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_open()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self._open(event.option.id)

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
            lst.scroll_to(y=target - 1, animate=False, immediate=True)   # show its header

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
