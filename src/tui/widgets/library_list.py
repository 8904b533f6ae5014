"""The library's list of articles: a ScrollView on Textual's line API.

Rows are group headers (``Source · 3 articles ────``) and articles, one line
each. Only the visible rows are drawn (``render_line``), each into a Strip that
is cached per row, width and look (highlighted, hovered, focused, theme), so
filtering 10,000 articles costs the filter and one cheap repaint: no layout
(the virtual size is set without one unless the scrollbar comes or goes) and
no Rich rendering of rows that were drawn before.

Everything shown comes from plain strings (titles are cleaned of control
characters by the screen): nothing is parsed as markup.
"""
from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget

from newsreader.core.store import ArticleSummary

from ..stories import StoryInfo
from .bars import progress_bar

STORY_W = 20      # "story 12 · 3 articles"
STORY_SHORT_W = 12
DATE_W = 10
PROGRESS_W = 16   # "▰▰▰▰▱▱▱▱ 123/456"
PAD = 1           # cells left and right of every row

BOLD = Style(bold=True)
NOT_BOLD = Style(bold=False)
ITALIC = Style(italic=True)
DIM = Style(dim=True)
UNTITLED = Style(italic=True, dim=True)


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


class ArticleRow:
    """One article in the list; lays itself out to whatever width the list has.

    ``title`` is clean one-line text; ``group`` the source it is listed under
    ("" as ``source`` when it has none).
    """

    disabled = False

    def __init__(self, summary: ArticleSummary, title: str, *, real_title: bool, group: str,
                 no_source: str) -> None:
        self.summary = summary
        self.id = summary.id
        self.title = title
        self.real_title = real_title      # False: the article's first words, drawn dimmed
        self.group = group
        self.source = group if group != no_source else ""
        self.date = summary.date or ""
        self.story: StoryInfo | None = None
        self.version = 0                  # bumped when what the row shows changes
        self._search = f"{title} {self.source} {self.date} {summary.location or ''}".lower()
        self.search = self._search

    @property
    def prompt(self) -> "ArticleRow":
        return self

    @property
    def progress(self) -> str:
        s = self.summary
        total = s.n_sentences
        count = f"{s.n_tagged}/{total}" if total else f"{s.n_tagged}/?"
        return f"{progress_bar(s.n_tagged, total)} {count}"

    def set_story(self, story: StoryInfo | None) -> bool:
        """Returns True when the row changed."""
        if story == self.story:
            return False
        self.story = story
        self.search = self._search + (f" story {story.number}" if story else "")
        self.version += 1
        return True

    def set_counts(self, summary: ArticleSummary) -> None:
        """New sentence and label counts (``summary`` names the same article, with the
        same title, source, date and location)."""
        self.summary = summary
        self.version += 1

    def segments(self, width: int, base: Style) -> list[Segment]:
        title_w, story_w, date_w, progress_w = columns(width)
        segs = [Segment(_fit(self.title, title_w), base + (BOLD if self.real_title else UNTITLED))]
        space = Segment(" ", base)
        if story_w:
            segs.append(space)
            segs.append(Segment(_fit(self.story.label(story_w) if self.story else "", story_w),
                                base + ITALIC))
        if date_w:
            segs.append(space)
            segs.append(Segment(_fit(self.date, date_w), base))
        segs.append(space)
        s = self.summary
        done = s.n_tagged and s.n_sentences and s.n_tagged >= s.n_sentences
        segs.append(Segment(_fit(self.progress, progress_w), base + (BOLD if done else NOT_BOLD)))
        return segs


class GroupHeader:
    """The row above a source's articles: ``Source · 3 articles ────``."""

    disabled = True
    id = None
    version = 0

    def __init__(self, name: str, count: int):
        self.name = name
        self.count = count

    @property
    def prompt(self) -> "GroupHeader":
        return self

    def segments(self, width: int, base: Style) -> list[Segment]:
        segs = [Segment(_fit(self.name, min(cell_len(self.name), max(1, width - 16))), base + BOLD),
                Segment(f" · {self.count} article{'s' if self.count != 1 else ''} ", base + DIM)]
        rest = width - sum(seg.cell_length for seg in segs)
        if rest > 0:
            segs.append(Segment("─" * rest, base + DIM))
        return segs


Entry = ArticleRow | GroupHeader


class LibraryList(ScrollView, can_focus=True):
    """Group headers and articles, one line each; ``highlighted`` is an index into
    ``options`` (headers cannot be picked)."""

    BINDINGS = [
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
    ]

    COMPONENT_CLASSES = {
        "library-list--row", "library-list--header", "library-list--highlighted",
        "library-list--hover",
    }

    # the look of the OptionList this replaces
    DEFAULT_CSS = """
    LibraryList {
        height: 1fr;
        overflow-x: hidden;
        overflow-y: auto;
        color: $foreground;
        background: $surface;
        & > .library-list--header { color: $text-accent; }
        & > .library-list--highlighted {
            color: $foreground;
            background: $block-cursor-blurred-background;
            text-style: $block-cursor-blurred-text-style;
        }
        & > .library-list--hover { background: $block-hover-background; }
        &:focus {
            background-tint: $foreground 5%;
            & > .library-list--highlighted {
                color: $block-cursor-foreground;
                background: $block-cursor-background;
                text-style: $block-cursor-text-style;
            }
        }
    }
    """

    class WidthChanged(Message):
        """The rows' width changed (the list was resized, or its scrollbar came or went)."""

    class Picked(Message):
        """An article row was clicked."""

        def __init__(self, article_id: str) -> None:
            super().__init__()
            self.article_id = article_id

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._entries: list[Entry] = []
        self._n_articles = 0
        self._index_of: dict[str, int] | None = None
        self._highlighted: int | None = None
        self._hover: int | None = None
        self._strips: LRUCache[tuple, Strip] = LRUCache(1024)
        self._styles: dict[tuple, Style] = {}
        self._gen = 0
        self.rendered_rows = 0            # rows drawn (not taken from the cache): for tests

    # -- the rows ----------------------------------------------------------------------
    @property
    def options(self) -> list[Entry]:
        return self._entries

    @property
    def option_count(self) -> int:
        return len(self._entries)

    @property
    def article_count(self) -> int:
        """Rows that are articles (``option_count`` counts the group headers too)."""
        return self._n_articles

    def set_entries(self, entries: list[Entry], n_articles: int) -> None:
        """Show ``entries`` from the top, nothing highlighted."""
        self._entries = entries
        self._n_articles = n_articles
        self._index_of = None
        self._highlighted = None
        self._hover = None
        self._set_height(len(entries))
        self.scroll_to_row(0)
        self.refresh()

    def index_of(self, article_id: str) -> int | None:
        if self._index_of is None:
            self._index_of = {e.id: i for i, e in enumerate(self._entries) if not e.disabled}
        return self._index_of.get(article_id)

    def refresh_entry(self, entry: Entry) -> None:
        """Repaint ``entry`` if it is on screen (after it changed)."""
        if entry.id is None:
            self.refresh()
            return
        index = self.index_of(entry.id)
        if index is not None:
            self.refresh_line(index)

    def _set_height(self, rows: int) -> None:
        size = Size(self.scrollable_content_region.width, rows)
        if size == self.virtual_size:
            return
        height = self.scrollable_content_region.height
        if (self.virtual_size.height > height) != (rows > height) or not self.is_mounted:
            self.virtual_size = size          # the scrollbar comes or goes: a layout
            self.post_message(self.WidthChanged())
        else:
            # no layout: the same scrollbar, another length
            self.set_reactive(Widget.virtual_size, size)
            self._scroll_update(size)

    def on_resize(self, event: events.Resize) -> None:
        self._set_height(len(self._entries))
        self._show(self._highlighted)
        self.post_message(self.WidthChanged())

    def row_width(self) -> int:
        """The width rows are drawn at once the layout has caught up with the rows
        (the scrollbar shown when they do not fit)."""
        width = self.size.width
        if len(self._entries) > self.size.height:
            width -= self.styles.scrollbar_size_vertical
        return max(0, width)

    # -- the highlight -------------------------------------------------------------------
    @property
    def highlighted(self) -> int | None:
        return self._highlighted

    @highlighted.setter
    def highlighted(self, index: int | None) -> None:
        if index is not None:
            index = max(0, min(len(self._entries) - 1, index)) if self._entries else None
        old = self._highlighted
        self._highlighted = index
        if old != index:
            for i in (old, index):
                if i is not None:
                    self.refresh_line(i)
        if index is not None and not self._entries[index].disabled:
            self._show(index)

    @property
    def highlighted_option(self) -> Entry | None:
        i = self._highlighted
        return self._entries[i] if i is not None else None

    def scroll_to_row(self, y: int) -> None:
        """Put row ``y`` at the top (as far as the rows go), now; also before the layout
        that shows the scrollbar (``force``)."""
        self.scroll_to(y=y, animate=False, force=True, immediate=True)

    def _show(self, index: int | None) -> None:
        """Scroll as little as needed to bring row ``index`` into view."""
        if index is None or not self.is_mounted:
            return
        height = self.scrollable_content_region.height
        top = int(self.scroll_y)
        if index < top:
            self.scroll_to_row(index)
        elif height and index >= top + height:
            self.scroll_to_row(index - height + 1)

    def _step(self, start: int, direction: int) -> int | None:
        entries = self._entries
        i = start
        while 0 <= i < len(entries):
            if not entries[i].disabled:
                return i
            i += direction
        return None

    def action_first(self) -> None:
        index = self._step(0, 1)
        if index is not None:
            self.highlighted = index
            if index == 1:
                self.scroll_to_row(0)   # its header too

    def action_last(self) -> None:
        index = self._step(len(self._entries) - 1, -1)
        if index is not None:
            self.highlighted = index

    # -- mouse ------------------------------------------------------------------------------
    def _row_at(self, event: events.MouseEvent) -> int | None:
        offset = event.get_content_offset(self)
        if offset is None:
            return None
        index = int(self.scroll_y) + offset.y
        return index if 0 <= index < len(self._entries) else None

    def on_click(self, event: events.Click) -> None:
        index = self._row_at(event)
        if index is None or self._entries[index].disabled:
            return
        self.highlighted = index
        self.post_message(self.Picked(self._entries[index].id))

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self._set_hover(self._row_at(event))

    def on_leave(self, event: events.Leave) -> None:
        self._set_hover(None)

    def _set_hover(self, index: int | None) -> None:
        if index != self._hover:
            for i in (self._hover, index):
                if i is not None:
                    self.refresh_line(i)
            self._hover = index

    # -- drawing ----------------------------------------------------------------------------
    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._invalidate()

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._invalidate())

    def _invalidate(self) -> None:
        self._gen += 1
        self._styles.clear()
        self._strips.clear()
        self.refresh()

    def _style(self, kind: str) -> Style:
        key = (kind, self.has_focus)
        style = self._styles.get(key)
        if style is None:
            if kind == "row":
                style = self.get_visual_style("library-list--row").rich_style
            else:
                style = self.get_visual_style("library-list--row",
                                              f"library-list--{kind}").rich_style
            self._styles[key] = style
        return style

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = int(self.scroll_y) + y
        entries = self._entries
        if index >= len(entries):
            return Strip.blank(width, self._style("row"))
        entry = entries[index]
        if entry.disabled:
            kind = "header"
        elif index == self._highlighted:
            kind = "highlighted"
        elif index == self._hover:
            kind = "hover"
        else:
            kind = "row"
        key = (entry, entry.version, width, kind, self.has_focus, self._gen)
        strip = self._strips.get(key)
        if strip is None:
            self.rendered_rows += 1
            base = self._style(kind)
            inner = max(1, width - 2 * PAD)
            content = Strip(entry.segments(inner, base)).adjust_cell_length(inner, base)
            pad = Segment(" " * PAD, base)
            strip = Strip([pad, *content, pad], width).adjust_cell_length(width, base)
            self._strips[key] = strip
        return strip
