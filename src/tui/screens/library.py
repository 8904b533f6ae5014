"""The library: every article in the store; typing filters, Enter opens."""
from __future__ import annotations

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
from ..widgets.bars import StatusLine, TopBar, progress_bar

SOURCE_W = 16
DATE_W = 10
PROGRESS_W = 16   # "▰▰▰▰▱▱▱▱ 123/456"


def _fit(text: str, width: int) -> str:
    if width <= 0:
        return ""
    if cell_len(text) > width:
        text = set_cell_size(text, max(0, width - 1)) + "…"
    return set_cell_size(text, width)


def columns(width: int) -> tuple[int, int, int, int]:
    """(title, source, date, progress) widths for a row of ``width`` cells."""
    source_w = SOURCE_W if width >= 70 else 0
    date_w = DATE_W if width >= 56 else 0
    gaps = sum(1 for w in (source_w, date_w) if w) + 1
    title_w = max(10, width - source_w - date_w - PROGRESS_W - gaps)
    return title_w, source_w, date_w, PROGRESS_W


class ArticleRow:
    """One library row; lays itself out to whatever width the list has."""

    def __init__(self, summary: ArticleSummary):
        self.summary = summary
        s = summary
        self.title = " ".join((s.title or (s.location or "untitled").rsplit("/", 1)[-1]).split())
        self.source = " ".join((s.source or "").split())
        self.date = s.date or ""
        total = s.n_sentences
        bar = progress_bar(s.n_tagged, total)
        count = f"{s.n_tagged}/{total}" if total else f"{s.n_tagged}/?"
        self.progress = f"{bar} {count}"
        self.search = f"{self.title} {self.source} {self.date} {s.location or ''}".lower()

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        title_w, source_w, date_w, progress_w = columns(width)
        t = Text(no_wrap=True, overflow="crop", end="")
        t.append(_fit(self.title, title_w), style=Style(bold=True))
        if source_w:
            t.append(" ")
            t.append(_fit(self.source, source_w), style=Style(italic=True))
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


class LibraryList(OptionList):
    """An OptionList whose rows are always one line tall.

    OptionList measures every option's height when options change; library rows
    never wrap, so that is skipped and filtering 10,000 articles stays cheap.
    """

    DEFAULT_CSS = """
    LibraryList { height: 1fr; border: none; padding: 0; background: $surface; }
    LibraryList:focus { border: none; }
    LibraryList > .option-list--option { padding: 0 1; }
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

    def set_rows(self, ids: list[str], options: list[Option]) -> None:
        """Replace every row at once (``set_options`` checks and indexes one option at a
        time, which costs tens of milliseconds per keystroke with 10,000 articles)."""
        self._options = options
        self._option_to_index = dict(zip(options, range(len(options))))
        self._id_to_option = dict(zip(ids, options))
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
        self._order: list[str] = []
        self._last_filter: tuple[list[str], list[str] | None] = ([], None)

    def compose(self) -> ComposeResult:
        yield TopBar(id="topbar")
        with Vertical():
            filter_input = Input(placeholder="type to filter by title, source, date or path…", id="filter")
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

    def _update_columns(self) -> None:
        lst = self.query_one(LibraryList)
        width = max(20, lst.scrollable_content_region.width - 2)
        title_w, source_w, date_w, progress_w = columns(width)
        t = Text(no_wrap=True, end="")
        t.append(_fit("Title", title_w))
        if source_w:
            t.append(" " + _fit("Source", source_w))
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
        self._rows = {s.id: ArticleRow(s) for s in summaries}
        self._options = {aid: RowOption(row, id=aid) for aid, row in self._rows.items()}
        self._order = [s.id for s in summaries]
        self._last_filter = ([], None)
        top = self.query_one(TopBar)
        what = f"Library · {len(summaries)} article{'s' if len(summaries) != 1 else ''}"
        if self.pick_for:
            what = "Compare with… (Enter picks, Escape cancels)"
        top.set_parts(what, "", app.session.annotator)
        self.apply_filter(self.query_one("#filter", Input).value, keep=highlighted)
        self.call_after_refresh(self._update_columns)

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
        lst.set_rows(ids, [options[aid] for aid in ids])
        if ids:
            index = ids.index(keep) if keep in ids else 0
            lst.highlighted = index
        empty = self.query_one("#empty", Static)
        empty.display = not ids
        if not ids:
            if self._order:
                empty.update(Content(f"No article matches {query!r}. Escape clears the filter."))
            else:
                empty.update(Content("The library is empty. Open articles with: newsreader PATH…"))
        total = len(self._order) - (1 if self.pick_for else 0)
        status = f"{len(ids)} of {total} shown" if words else f"{total} article{'s' if total != 1 else ''}"
        self.query_one(StatusLine).say(status + " · Enter opens · ctrl+q quits")

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
        if not lst.option_count:
            return
        current = lst.highlighted if lst.highlighted is not None else 0
        lst.highlighted = max(0, min(lst.option_count - 1, current + step))

    def action_open(self) -> None:
        aid = self.highlighted_id()
        if aid:
            self._open(aid)

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
