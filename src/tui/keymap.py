"""Every key binding of the reader, with the id that remaps it.

The ids are what a user writes under ``[keymap]`` in config.toml, e.g.::

    [keymap]
    tag_fact = "1"
    cursor_down = "j,down,ctrl+n"

They are applied with ``App.set_keymap``. docs/keys.md is checked against this
module by a test, so the two never drift apart.
"""
from __future__ import annotations

from textual.binding import Binding

APP_BINDINGS = [
    Binding("question_mark,f1", "app.show_keys", "Keys", id="help",
            tooltip="Show every key and what it does"),
    Binding("ctrl+q", "app.quit", "Quit", id="quit", priority=True, show=False,
            tooltip="Quit (every tag is already saved)"),
]

DOCUMENT_BINDINGS = [
    # the help key again, first, so the footer shows it even on narrow terminals
    Binding("question_mark,f1", "app.show_keys", "Keys", id="help",
            tooltip="Show every key and what it does"),
    Binding("j,down", "cursor_down", "Next", id="cursor_down", show=False,
            tooltip="Move the cursor to the next sentence"),
    Binding("k,up", "cursor_up", "Previous", id="cursor_up", show=False,
            tooltip="Move the cursor to the previous sentence"),
    Binding("f", "tag('fact')", "Fact", id="tag_fact", tooltip="Tag the sentence as fact, go to the next"),
    Binding("q", "tag('quote')", "Quote", id="tag_quote", tooltip="Tag the sentence as quote, go to the next"),
    Binding("o", "tag('opinion')", "Opinion", id="tag_opinion",
            tooltip="Tag the sentence as opinion, go to the next"),
    Binding("enter", "accept", "Accept", id="accept", tooltip="Accept the suggested label, go to the next"),
    Binding("x,backspace", "clear", "Clear", id="clear", tooltip="Remove the sentence's label"),
    Binding("u", "undo", "Undo", id="undo", tooltip="Undo the last tag or clear (many steps)"),
    Binding("ctrl+r", "redo", "Redo", id="redo", show=False, tooltip="Redo what was undone"),
    Binding("n", "next_untagged", "Untagged", id="next_untagged",
            tooltip="Jump to the next sentence without a label"),
    Binding("N", "previous_untagged", "Previous untagged", id="previous_untagged", show=False,
            tooltip="Jump to the previous sentence without a label"),
    Binding("pagedown,space", "page_down", "Page down", id="page_down", show=False,
            tooltip="Move a screenful down"),
    Binding("pageup", "page_up", "Page up", id="page_up", show=False, tooltip="Move a screenful up"),
    Binding("g,home", "first", "First", id="first", show=False, tooltip="Go to the first sentence"),
    Binding("G,end", "last", "Last", id="last", show=False, tooltip="Go to the last sentence"),
    Binding("1", "toggle_layer('entities')", "Entities", id="layer_entities", show=False,
            tooltip="Show or hide entity highlights"),
    Binding("2", "toggle_layer('quotes')", "Quotes", id="layer_quotes", show=False,
            tooltip="Show or hide quotation highlights"),
    Binding("3", "toggle_layer('claims')", "Claims", id="layer_claims", show=False,
            tooltip="Show or hide attributed-claim highlights"),
    Binding("right_square_bracket", "entity(1)", "Next entity", id="entity_next", show=False,
            tooltip="Select the next named entity in the sentence (shows its canonical name)"),
    Binding("left_square_bracket", "entity(-1)", "Previous entity", id="entity_previous", show=False,
            tooltip="Select the previous named entity in the sentence"),
]

READER_BINDINGS = [
    Binding("escape", "library", "Library", id="library", tooltip="Back to the library"),
    Binding("c", "compare", "Compare", id="compare", tooltip="Open another article side by side"),
    Binding("i", "toggle_insight", "Insight", id="insight", tooltip="Show or hide the insight panel"),
    Binding("l", "toggle_legend", "Legend", id="legend", tooltip="Show or hide the highlight legend"),
    Binding("e", "export", "Export", id="export", tooltip="Export your tags as CSV"),
    Binding("s", "story", "Story", id="story",
            tooltip="Compare side by side with the earliest other article of its story"),
    Binding("a", "app.add_source", "Add", id="add",
            tooltip="Add a web page, feed, file or folder to the library"),
]

COMPARE_BINDINGS = [
    Binding("escape", "library", "Library", id="library", tooltip="Back to the library"),
    Binding("tab", "switch_pane", "Switch", id="switch_pane", tooltip="Switch between the two articles"),
    Binding("i", "toggle_insight", "Insight", id="insight", tooltip="Show or hide the comparison panel"),
    Binding("l", "toggle_legend", "Legend", id="legend", tooltip="Show or hide the highlight legend"),
    Binding("e", "export", "Export", id="export", tooltip="Export your tags as CSV"),
    Binding("a", "app.add_source", "Add", id="add",
            tooltip="Add a web page, feed, file or folder to the library"),
]

LIBRARY_BINDINGS = [
    # typing goes to the filter here, so help is on F1
    Binding("f1", "app.show_keys", "Keys", id="library_help", tooltip="Show every key and what it does"),
    Binding("enter", "open", "Open", id="open", tooltip="Open the highlighted article"),
    # letters type into the filter here, so these two are control keys
    Binding("ctrl+o", "app.add_source", "Add", id="library_add",
            tooltip="Add a web page, feed, file or folder to the library"),
    Binding("ctrl+s", "story", "Story", id="library_story",
            tooltip="Compare the first two articles (by date) of the highlighted article's story"),
    Binding("down", "move(1)", "Down", id="library_down", show=False),
    Binding("up", "move(-1)", "Up", id="library_up", show=False),
    Binding("pagedown", "move(10)", "Page down", id="library_page_down", show=False),
    Binding("pageup", "move(-10)", "Page up", id="library_page_up", show=False),
    Binding("escape", "back", "Back", id="library_back",
            tooltip="Clear the filter, or go back to the open article"),
]

INSIGHT_BINDINGS = [
    Binding("j", "cursor_down", "Down", id="insight_down", show=False),
    Binding("k", "cursor_up", "Up", id="insight_up", show=False),
]

HELP_BINDINGS = [
    Binding("escape,question_mark,q", "close", "Close", id="help_close"),
]

ADD_BINDINGS = [
    Binding("escape", "cancel", "Cancel", id="add_cancel", tooltip="Close without adding"),
]

# (title, bindings) in the order docs/keys.md and the help screen list them
SECTIONS = [
    ("Everywhere", APP_BINDINGS),
    ("Reading and tagging (article pane)", DOCUMENT_BINDINGS),
    ("Reader screen", READER_BINDINGS),
    ("Compare screen", COMPARE_BINDINGS),
    ("Library", LIBRARY_BINDINGS),
    ("Insight panel", INSIGHT_BINDINGS),
    ("Add to the library", ADD_BINDINGS),
    ("Help", HELP_BINDINGS),
]


def binding_ids() -> list[str]:
    """Every remappable id (what config.toml's [keymap] accepts)."""
    seen: dict[str, None] = {}
    for _, bindings in SECTIONS:
        for b in bindings:
            if b.id:
                seen[b.id] = None
    return list(seen)
