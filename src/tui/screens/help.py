"""`?`: every key, as currently mapped (config [keymap] included)."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from rich.console import Group
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.screen import ModalScreen
from textual.widgets import Static

from ..keymap import HELP_BINDINGS, SECTIONS


def key_text(app, binding: Binding) -> str:
    """The keys of ``binding`` as the user sees them, after the keymap."""
    keys = app.keymap.get(binding.id, binding.key) if binding.id else binding.key
    shown = []
    for key in keys.split(","):
        key = key.strip()
        if key:
            shown.append(app.get_key_display(Binding(key, binding.action)))
    return " / ".join(dict.fromkeys(shown))


class HelpScreen(ModalScreen):
    BINDINGS = HELP_BINDINGS

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 90%;
        max-width: 100;
        height: 90%;
        border: round $accent;
        border-title-color: $accent;
        border-subtitle-color: $text-muted;
        background: $surface;
        padding: 0 1;
        scrollbar-size-vertical: 1;
    }
    """

    def compose(self) -> ComposeResult:
        scroll = VerticalScroll()
        scroll.border_title = "Keys"
        scroll.border_subtitle = "escape or ? closes · ctrl+p lists every action"
        with scroll:
            yield Static(self._content(), id="keys")

    def _content(self) -> Group:
        app = self.app
        heading = Style(bold=True, color=app.current_theme.accent or None)

        def table() -> Table:
            t = Table(box=None, show_header=False, expand=True, padding=(0, 1), pad_edge=False)
            t.add_column("keys", no_wrap=True, style="bold", width=14)
            t.add_column("what", ratio=1)
            t.add_column("id", no_wrap=True, style="dim", width=18)
            return t

        parts: list = []
        seen: set[str] = set()
        for title, bindings in SECTIONS:
            rows = [b for b in bindings if not (b.id and b.id in seen)]
            if not rows:
                continue
            t = table()
            for b in rows:
                if b.id:
                    seen.add(b.id)
                t.add_row(Text(key_text(app, b)), Text(b.tooltip or b.description), Text(b.id or ""))
            parts += [Text(title, style=heading), t, Text("")]
        t = table()
        t.add_row(Text("ctrl+p"), Text("search and run any action of the current screen"), Text(""))
        parts += [Text("Command palette", style=heading), t, Text("")]
        parts.append(Text.assemble(
            ("Remap keys: ", heading),
            f"in {app.session.paths.config_file}, under [keymap], write id = \"key\" "
            "(the id column), for example  tag_fact = \"1\"  or  cursor_down = \"j,down\"."))
        return Group(*parts)

    def action_close(self) -> None:
        self.dismiss()
