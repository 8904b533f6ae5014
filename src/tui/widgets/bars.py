"""One-line bars: the top bar (title, progress, annotator), status line, legend."""
from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

from ..highlights import FAMILY_NAMES


def progress_bar(done: int, total: int | None, cells: int = 8) -> str:
    if not total:
        return "▱" * cells
    filled = round(cells * min(done, total) / total)
    if done and not filled:
        filled = 1
    return "▰" * filled + "▱" * (cells - filled)


class Bar(Widget):
    """A one-line bar. Updating it repaints one line and never re-lays out the screen
    (``Static.update`` does), which keeps a keystroke's cost small."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._content: Content | Text = Content("")

    def set_content(self, content: Content | Text) -> None:
        if content != self._content:
            self._content = content
            self.refresh()

    @property
    def content(self) -> Content | Text:
        return self._content

    def render(self) -> Content | Text:
        return self._content


class TopBar(Bar):
    """``newsreader · <what> ········ 3/24 tagged ▰▱▱ · annotator: NAME``"""

    DEFAULT_CSS = """
    TopBar {
        height: 1;
        background: $panel;
        color: $foreground;
        padding: 0 1;
    }
    """

    def set_parts(self, left: str | Content, right: str = "", annotator: str = "") -> None:
        width = max(10, self.size.width - 2) if self.size.width else 78
        right_parts = []
        if right:
            right_parts.append((right, ""))
        if annotator:
            if right:
                right_parts.append(("  ", ""))
            right_parts.append(("annotator: ", "$text-muted"))
            right_parts.append((annotator, "bold"))
        right_len = sum(cell_len(t) for t, _ in right_parts)
        head = "newsreader"
        room = width - right_len - len(head) - 5
        middle = left if isinstance(left, Content) else Content(left)
        if middle.cell_length > room:
            middle = middle.truncate(room, ellipsis=True) if room > 1 else Content("")
        pad = max(1, width - len(head) - 3 - middle.cell_length - right_len)
        self.set_content(Content.assemble((head, "bold $text-accent"), (" · " if middle else "", "$text-muted"),
                                     middle, " " * pad, *right_parts))
        self._parts = (left, right, annotator)

    def on_resize(self) -> None:
        parts = getattr(self, "_parts", None)
        if parts:
            self.set_parts(*parts)


class StatusLine(Bar):
    DEFAULT_CSS = """
    StatusLine {
        height: 1;
        background: $panel-darken-1;
        color: $text-muted;
        padding: 0 1;
        &.-warning { color: $text-warning; }
        &.-error { color: $text-error; text-style: bold; }
    }
    """

    def say(self, message: Content | str, level: str = "") -> None:
        self.set_class(level == "warning", "-warning")
        self.set_class(level == "error", "-error")
        self.set_content(message if isinstance(message, Content) else Content(message))


class Legend(Static):
    """What every highlight and gutter mark means, drawn with the real styles."""

    DEFAULT_CSS = """
    Legend {
        height: auto;
        max-height: 8;
        background: $panel;
        padding: 0 1;
        display: none;
    }
    Legend.-shown { display: block; }
    """

    def show_for(self, view) -> None:
        from ..keymap import DOCUMENT_BINDINGS
        from ..screens.help import key_text

        keys = {b.id: key_text(self.app, b) for b in DOCUMENT_BINDINGS}
        style = view._style
        t = Text(no_wrap=False, overflow="fold")
        t.append("Entities ", style="bold")
        for family in ("person", "org", "place", "group", "thing"):
            t.append(FAMILY_NAMES[family], style=style(family))
            t.append("  ")
        t.append(f"(key {keys['layer_entities']}; {keys['entity_previous']} {keys['entity_next']} "
                 "select one: shows its canonical name)\n", style="dim")
        t.append("Quotes ", style="bold")
        t.append("“quoted words”", style=style("quote"))
        t.append(" ")
        t.append("speaker", style=style("speaker"))
        t.append(" ")
        t.append("said", style=style("qcue"))
        t.append(f"  gutter “  (key {keys['layer_quotes']})\n", style="dim")
        t.append("Claims ", style="bold")
        t.append("claim content", style=style("claim"))
        t.append(" ")
        t.append("according to", style=style("ccue"))
        t.append(" ")
        t.append("source", style=style("source"))
        t.append(f"  gutter †  (key {keys['layer_claims']})\n", style="dim")
        t.append("Gutter ", style="bold")
        t.append("▌", style=style("cursor-bar"))
        t.append(" cursor  ")
        t.append("F", style=style("fact"))
        t.append("act ")
        t.append("Q", style=style("quote-label"))
        t.append("uote ")
        t.append("O", style=style("opinion"))
        t.append("pinion ")
        t.append("·", style=style("untagged-dot"))
        t.append(" untagged, then the suggestion ")
        t.append("f q o", style=style("suggestion"))
        t.append(" (enter accepts)")
        self.update(t)
