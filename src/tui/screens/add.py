"""The add dialog: one line for a URL, a feed, a file or a folder."""
from __future__ import annotations

import os
import shlex

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from ..keymap import ADD_BINDINGS


def parse_items(text: str) -> list[str]:
    """What the user typed, as items for ``add_sources``.

    Several items are separated by spaces; a path with spaces is quoted, or
    typed alone (a line naming an existing file or folder is one item). ``~``
    is expanded.
    """
    text = text.strip()
    if not text:
        return []
    whole = os.path.expanduser(text)
    if os.path.exists(whole):
        return [whole]
    try:
        parts = shlex.split(text)
    except ValueError:   # an unbalanced quote: take the line as it is
        parts = [text]
    return [p if "://" in p else os.path.expanduser(p) for p in parts if p.strip()]


class AddScreen(ModalScreen[list[str] | None]):
    """Dismisses with the items to add, or None."""

    BINDINGS = ADD_BINDINGS

    DEFAULT_CSS = """
    AddScreen { align: center middle; }
    AddScreen > Vertical {
        width: 90%;
        max-width: 90;
        height: auto;
        border: round $accent;
        border-title-color: $accent;
        border-subtitle-color: $text-muted;
        background: $surface;
        padding: 0 1;
    }
    AddScreen Input { margin: 1 0 0 0; }
    AddScreen #add-hint { color: $text-muted; margin: 0 0 1 0; }
    AddScreen #add-error { color: $text-error; display: none; }
    """

    def compose(self) -> ComposeResult:
        box = Vertical()
        box.border_title = "Add to the library"
        box.border_subtitle = "enter adds · escape cancels"
        with box:
            field = Input(placeholder="https://… a web page or feed, or a file or folder path",
                          id="add-input")
            field.cursor_blink = False
            yield field
            yield Static(id="add-error")
            yield Static(Content("Web pages and RSS/Atom feeds are fetched in the background; "
                                 "each result shows as a notification. Several items: separate "
                                 "them with spaces."), id="add-hint")

    def on_mount(self) -> None:
        self.query_one("#add-input", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        items = parse_items(event.value)
        if not items:
            self.dismiss(None)
            return
        if "-" in items:
            error = self.query_one("#add-error", Static)
            error.update(Content("standard input (-) cannot be added from the reader"))
            error.display = True
            return
        self.dismiss(items)

    def action_cancel(self) -> None:
        self.dismiss(None)
