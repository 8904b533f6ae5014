"""The reference for newsreader's start-up and memory: a bare Textual app showing a text file.

    .venv/bin/python benchmarks/bare_app.py FILE

It does the least a Textual app must do to show the same article: read the
file, wrap its paragraphs to the window once, and draw only the visible lines
with the line API (a ScrollView returning a Strip per line), plus a header
and a footer line. No markup is parsed. ctrl+q quits.
"""
from __future__ import annotations

import sys
import textwrap

from rich.segment import Segment
from textual.app import App, ComposeResult
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Footer, Header


class TextView(ScrollView, can_focus=True):
    DEFAULT_CSS = "TextView { height: 1fr; overflow-x: hidden; }"

    def __init__(self, text: str) -> None:
        super().__init__()
        self.paragraphs = [" ".join(p.split()) for p in text.split("\n\n") if p.strip()]
        self.lines: list[str] = []
        self._width = 0

    def on_resize(self) -> None:
        width = max(8, self.scrollable_content_region.width - 1)
        if width != self._width:
            self._width = width
            lines: list[str] = []
            for p in self.paragraphs:
                lines.extend(textwrap.wrap(p, width) or [""])
                lines.append("")
            self.lines = lines
            self.virtual_size = Size(width, len(lines))
            self.refresh()

    def render_line(self, y: int) -> Strip:
        index = int(self.scroll_y) + y
        width = self.scrollable_content_region.width
        style = self.rich_style
        if index >= len(self.lines):
            return Strip.blank(width, style)
        return Strip([Segment(self.lines[index], style)]).adjust_cell_length(width, style)


class BareApp(App):
    BINDINGS = [("ctrl+q", "quit", "Quit")]

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        yield Header()
        yield TextView(self.text)
        yield Footer()


def main() -> int:
    with open(sys.argv[1], encoding="utf-8") as fh:
        text = fh.read()
    BareApp(text).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
