"""The article pane: a ScrollView on Textual's line API.

Only visible lines are drawn (``render_line``); the wrapped layout is computed
once per width (``layout.build_layout``) and rendered lines are kept in an LRU
keyed by everything that changes their look (width, theme generation, layers,
cursor, label, selected entity). A keystroke therefore costs O(visible lines):
moving the cursor or tagging repaints only the lines of the sentences involved.

Article text is never parsed as markup: segments are built from plain strings.
"""
from __future__ import annotations

from itertools import pairwise

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.cache import LRUCache
from textual.dom import NoScreen
from textual.geometry import Region, Size, Spacing
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from newsreader.core.errors import NewsreaderError
from newsreader.core.models import LABELS, Analysis, Article, Entity, Sentence

from ..highlights import FAMILIES, FAMILY_NAMES, LAYER_OF, Highlights
from ..keymap import DOCUMENT_BINDINGS
from ..layout import (BLANK, BODY, META, TITLE, UNTITLED, Layout, build_layout, char_at_cell,
                      display_text)

GUTTER = 6          # [cursor][label][suggestion][quote mark][claim mark][space]
LETTER = {"fact": "F", "quote": "Q", "opinion": "O"}
LAYERS = ("entities", "quotes", "claims")
NEEDS_SENTENCES = {"cursor_down", "cursor_up", "tag", "accept", "clear", "undo", "redo",
                   "next_untagged", "previous_untagged", "first", "last", "entity"}


class DocumentView(ScrollView, can_focus=True, inherit_bindings=False):
    """One article: header, paragraphs, highlights, a sentence cursor and a label gutter."""

    BINDINGS = DOCUMENT_BINDINGS

    HELP = """
## Article pane
Move the sentence cursor with **j**/**k**, tag with **f**/**q**/**o**
(fact, quote, opinion), **enter** accepts the suggestion shown dimmed in the
gutter, **x** clears, **u** undoes and **ctrl+r** redoes. **1**, **2**, **3**
toggle entity, quotation and claim highlights.
"""

    COMPONENT_CLASSES = {
        "doc--title", "doc--untitled", "doc--meta", "doc--cursor", "doc--cursor-bar", "doc--cursor-blur",
        "doc--gutter", "doc--suggestion", "doc--fact", "doc--quote-label", "doc--opinion",
        "doc--person", "doc--org", "doc--place", "doc--group", "doc--thing", "doc--selected",
        "doc--quote", "doc--speaker", "doc--qcue", "doc--claim", "doc--source", "doc--ccue",
        "doc--mark-quote", "doc--mark-claim", "doc--untagged-dot",
    }

    DEFAULT_CSS = """
    DocumentView {
        overflow-x: hidden;
        overflow-y: scroll;
        scrollbar-size-vertical: 1;
        background: $surface;
        color: $foreground;
        & > .doc--title { text-style: bold; color: $text-primary; }
        & > .doc--untitled { text-style: italic; color: $text-muted; }
        & > .doc--meta { color: $text-muted; text-style: italic; }
        & > .doc--cursor { background: $primary-muted; }
        & > .doc--cursor-blur { background: $panel; }
        & > .doc--cursor-bar { color: $accent; text-style: bold; }
        & > .doc--gutter { color: $text-muted; }
        & > .doc--suggestion { color: $text-disabled; }
        & > .doc--untagged-dot { color: $text-disabled; }
        & > .doc--fact { color: $text-success; text-style: bold; }
        & > .doc--quote-label { color: $text-secondary; text-style: bold; }
        & > .doc--opinion { color: $text-warning; text-style: bold; }
        & > .doc--person { color: $text-accent; text-style: bold; }
        & > .doc--org { color: $text-primary; text-style: bold; }
        & > .doc--place { color: $text-success; text-style: bold; }
        & > .doc--group { color: $text-warning; text-style: bold; }
        & > .doc--thing { color: $text-error; text-style: bold; }
        & > .doc--selected { text-style: reverse bold; }
        & > .doc--quote { color: $text-secondary; text-style: italic; }
        & > .doc--speaker { text-style: bold underline; }
        & > .doc--qcue { text-style: underline; }
        & > .doc--claim { text-style: underline; }
        & > .doc--source { text-style: bold underline; }
        & > .doc--ccue { text-style: italic underline; }
        & > .doc--mark-quote { color: $text-secondary; text-style: bold; }
        & > .doc--mark-claim { color: $text-warning; text-style: bold; }
    }
    DocumentView:focus { background-tint: $foreground 3%; }
    """

    # -- messages -------------------------------------------------------------
    class CursorMoved(Message):
        def __init__(self, view: "DocumentView") -> None:
            super().__init__()
            self.view = view

    class LabelsChanged(Message):
        def __init__(self, view: "DocumentView") -> None:
            super().__init__()
            self.view = view

    class SelectionChanged(Message):
        def __init__(self, view: "DocumentView") -> None:
            super().__init__()
            self.view = view

    def _tell(self, message: Message) -> None:
        """Post one of the messages above straight to the screen, which shows the status:
        bubbling up through the containers first delays the status line by a frame or two."""
        try:
            screen = self.screen
        except NoScreen:
            screen = None
        (screen if screen is not None else self).post_message(message)

    def __init__(self, article: Article, *, labels: dict[int, str] | None = None,
                 analysis: Analysis | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.article = article
        self._text = display_text(article.text)
        self.labels: dict[int, str] = dict(labels or {})
        self.analysis: Analysis | None = None
        self.hl: Highlights | None = None
        self.status = "analysing…"      # shown by the screen until sentences are known
        self.failed: str | None = None
        self.cursor: int | None = None   # sentence position
        self.shown_layers = {"entities": True, "quotes": True, "claims": True}
        self.selected: Entity | None = None
        self._layouts: dict[int, Layout] = {}
        self._lines: LRUCache[tuple, Strip] = LRUCache(2048)
        self._gen = 0
        self._styles: dict[str, Style] = {}
        if analysis is not None:
            self._set_analysis(analysis)

    # -- state ----------------------------------------------------------------
    @property
    def sentences(self) -> tuple[Sentence, ...]:
        return self.analysis.sentences if self.analysis else ()

    @property
    def ready(self) -> bool:
        return bool(self.sentences)

    @property
    def current(self) -> Sentence | None:
        if self.cursor is None or not self.sentences:
            return None
        return self.sentences[self.cursor]

    @property
    def n_tagged(self) -> int:
        if not self.sentences:
            return len(self.labels)
        return sum(1 for s in self.sentences if s.index in self.labels)

    def _set_analysis(self, analysis: Analysis) -> None:
        self.analysis = analysis
        self.hl = Highlights(analysis)
        self.failed = None
        self.status = ""
        if not analysis.sentences:
            self.status = "no sentences found in this article"
            self.cursor = None
        elif self.cursor is None or self.cursor >= len(analysis.sentences):
            self.cursor = 0
        self.selected = None
        self._layouts.clear()
        self._invalidate()

    def set_analysis(self, analysis: Analysis) -> None:
        """Sentences and highlights arrived: re-lay out, keeping the top line in place."""
        anchor = self._top_char()
        self._set_analysis(analysis)
        self._relayout(anchor)
        self._tell(self.CursorMoved(self))
        self.refresh_bindings()

    def set_failed(self, reason: str) -> None:
        """Analysis failed: keep the text, say why the highlights are missing."""
        self.failed = reason
        self.status = f"highlights unavailable: {reason}"
        self.refresh()
        self._tell(self.CursorMoved(self))
        self.refresh_bindings()

    def set_labels(self, labels: dict[int, str]) -> None:
        self.labels = dict(labels)
        self.refresh()
        self._tell(self.LabelsChanged(self))

    def set_layer(self, layer: str, on: bool) -> None:
        self.shown_layers[layer] = on
        if not self.shown_layers["entities"]:
            self.selected = None
        self.refresh()

    # -- layout ----------------------------------------------------------------
    def _text_width(self) -> int:
        return max(8, self.scrollable_content_region.width - GUTTER)

    def layout_for(self, width: int) -> Layout:
        lay = self._layouts.get(width)
        if lay is None:
            if len(self._layouts) > 3:
                self._layouts.clear()
            lay = build_layout(self.article, self.sentences or None, width, self._text)
            self._layouts[width] = lay
        return lay

    @property
    def text_layout(self) -> Layout:
        return self.layout_for(self._text_width())

    def _top_char(self) -> int | None:
        if not self._layouts or not self.size.height:
            return None
        lay = self.text_layout
        y = int(self.scroll_y)
        if y >= len(lay) or lay.kinds[y] not in (BODY, BLANK):
            return None
        return lay.starts[y]

    def _relayout(self, anchor: int | None = None) -> None:
        if not self.size.width:
            return
        lay = self.text_layout
        self.virtual_size = Size(self.scrollable_content_region.width, len(lay))
        if anchor is not None:
            self.scroll_to(y=lay.line_of_char(anchor), animate=False, immediate=True)
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        anchor = self._top_char()
        self._relayout(anchor)
        self.call_after_refresh(self._follow_cursor)

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._invalidate())

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._invalidate()

    def _invalidate(self) -> None:
        self._gen += 1
        self._styles.clear()
        self._lines.clear()
        self.refresh()

    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            style = self.get_component_rich_style(f"doc--{name}", partial=True)
            if self.app.no_color and name in ("person", "org", "place", "group", "thing"):
                style += Style(bold=True)
            self._styles[name] = style
        return style

    # -- drawing ----------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        lay = self.layout_for(max(8, width - GUTTER))
        index = int(self.scroll_y) + y
        base = self.rich_style
        if index >= len(lay):
            return Strip.blank(width, base)
        pos = lay.sents[index]
        if pos >= 0 and self.sentences:
            is_cursor = pos == self.cursor
            label = self.labels.get(self.sentences[pos].index)
        else:
            is_cursor, label = False, None
        selected = self.selected.cluster if self.selected else None
        selected_key = (selected, self.selected.start if self.selected else None)
        key = (index, width, self._gen, tuple(self.shown_layers.values()), selected_key, is_cursor,
               label, self.has_focus)
        strip = self._lines.get(key)
        if strip is None:
            strip = self._render(lay, index, width, pos, is_cursor, label, base)
            self._lines[key] = strip
        return strip

    def _render(self, lay: Layout, index: int, width: int, pos: int, is_cursor: bool,
                label: str | None, base: Style) -> Strip:
        kind = lay.kinds[index]
        if kind == BLANK:
            return Strip.blank(width, base)
        if kind in (TITLE, UNTITLED, META):
            style = base + self._style({TITLE: "title", UNTITLED: "untitled", META: "meta"}[kind])
            segs = [Segment(" " * GUTTER, base), Segment(lay.header[index], style)]
            return Strip(segs).adjust_cell_length(width, base)

        start, end = lay.starts[index], lay.ends[index]
        plain = self._text[start:end].rstrip()
        line_base = base
        if is_cursor:
            line_base = base + self._style("cursor" if self.has_focus else "cursor-blur")
        gutter = self._gutter(lay, index, pos, is_cursor, label, base, line_base)
        spans: list[tuple[int, int, Style]] = []
        hl = self.hl
        if hl is not None and pos >= 0:
            sel = self.selected
            for span in hl.spans[pos]:
                if not self.shown_layers[LAYER_OF[span.kind]]:
                    continue
                a = max(span.start, start) - start
                b = min(span.end, start + len(plain)) - start
                if b <= a:
                    continue
                style = self._style(span.kind)
                if sel is not None and span.kind in FAMILY_NAMES and span.cluster is not None \
                        and span.cluster == sel.cluster:
                    style = style + self._style("selected")
                elif sel is not None and span.kind in FAMILY_NAMES and span.cluster is None \
                        and span.start == sel.start:
                    style = style + self._style("selected")
                spans.append((a, b, style))
        segs = gutter + _segments(plain, line_base, spans)
        return Strip(segs).adjust_cell_length(width, line_base)

    def _gutter(self, lay: Layout, index: int, pos: int, is_cursor: bool, label: str | None,
                base: Style, line_base: Style) -> list[Segment]:
        cells: list[Segment] = []
        bar = self._style("cursor-bar")
        cells.append(Segment("▌" if is_cursor else " ", base + bar if is_cursor else base))
        first = pos >= 0 and lay.first_line[pos] == index
        if first and self.sentences:
            sentence = self.sentences[pos]
            if label:
                cells.append(Segment(LETTER[label], base + self._style(
                    "quote-label" if label == "quote" else label)))
            else:
                cells.append(Segment("·", base + self._style("untagged-dot")))
            sug = sentence.suggestion
            cells.append(Segment(LETTER.get(sug.label, "?").lower() if sug else " ",
                                 base + self._style("suggestion")))
        else:
            cells.append(Segment("  ", base))
        hl = self.hl
        quote_mark = claim_mark = " "
        if hl is not None and pos >= 0:
            if self.shown_layers["quotes"] and hl.has_quote[pos] and self._line_has(hl, pos, lay, index, "quote"):
                quote_mark = "“"
            if self.shown_layers["claims"] and hl.has_claim[pos] and self._line_has(hl, pos, lay, index, "claim"):
                claim_mark = "†"
        cells.append(Segment(quote_mark, base + self._style("mark-quote")))
        cells.append(Segment(claim_mark, base + self._style("mark-claim")))
        cells.append(Segment(" ", line_base))
        return cells

    def _line_has(self, hl: Highlights, pos: int, lay: Layout, index: int, layer_kind: str) -> bool:
        start, end = lay.starts[index], lay.ends[index]
        kinds = ("quote", "speaker") if layer_kind == "quote" else ("claim", "source", "ccue")
        return any(s.kind in kinds and s.start < end and s.end > start for s in hl.spans[pos])

    # -- cursor -----------------------------------------------------------------
    def _refresh_sentence(self, pos: int | None) -> None:
        if pos is None or not self.sentences or pos >= len(self.sentences):
            return
        lay = self.text_layout
        if not lay.first_line:
            return
        first, last = lay.sentence_lines(pos)
        self.refresh_lines(first, last - first + 1)

    def move_to(self, pos: int, *, follow: bool = True) -> None:
        if not self.sentences:
            return
        pos = max(0, min(pos, len(self.sentences) - 1))
        old = self.cursor
        self.cursor = pos
        self.app.cursors[self.article.id] = pos   # reopening the article returns here
        if self.selected is not None and not (
                self.sentences[pos].start <= self.selected.start < self.sentences[pos].end):
            self.selected = None
            self.refresh()
            self._tell(self.SelectionChanged(self))
        else:
            self._refresh_sentence(old)
            self._refresh_sentence(pos)
        if follow:
            self._follow_cursor()
        self._tell(self.CursorMoved(self))

    def _follow_cursor(self) -> None:
        if self.cursor is None or not self.sentences or not self.size.height:
            return
        lay = self.text_layout
        if not lay.first_line:
            return
        first, last = lay.sentence_lines(self.cursor)
        if self.cursor == 0:
            first = 0  # keep the title in view at the top
        height = last - first + 1
        region = Region(0, first, 1, height)
        top = height >= self.scrollable_content_region.height
        self.scroll_to_region(region, animate=False, top=top, immediate=True,
                              spacing=Spacing(1, 0, 1, 0))

    def select_entity(self, entity: Entity | None) -> None:
        self.selected = entity
        self.refresh()
        self._tell(self.SelectionChanged(self))

    def move_to_char(self, offset: int, *, select: Entity | None = None) -> None:
        if self.hl is None:
            return
        pos = self.hl.sentence_at(offset)
        if pos is not None:
            self.move_to(pos)
        if select is not None:
            self.select_entity(select)

    # -- actions -------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in NEEDS_SENTENCES and not self.ready:
            return None  # shown greyed out; the status line says why
        if action == "accept" and (self.current is None or self.current.suggestion is None
                                   or self.current.suggestion.label not in LABELS):
            return None
        if action == "toggle_layer" and self.hl is None:
            return None
        return True

    def action_cursor_down(self) -> None:
        if self.cursor is not None:
            self.move_to(self.cursor + 1)

    def action_cursor_up(self) -> None:
        if self.cursor is not None:
            self.move_to(self.cursor - 1)

    def action_first(self) -> None:
        self.move_to(0)

    def action_last(self) -> None:
        self.move_to(len(self.sentences) - 1)

    def _page(self, direction: int) -> None:
        height = max(1, self.scrollable_content_region.height - 2)
        if not self.sentences or self.cursor is None:
            self.scroll_to(y=self.scroll_y + direction * height, animate=False)
            return
        lay = self.text_layout
        line = lay.first_line[self.cursor] + direction * height
        line = max(lay.body_start, min(line, len(lay) - 1))
        # nearest sentence at or after (down) / before (up) the target line
        target = self.cursor
        step = 1 if direction > 0 else -1
        probe = line
        while 0 <= probe < len(lay):
            if lay.sents[probe] >= 0:
                target = lay.sents[probe]
                break
            probe += step
        self.scroll_to(y=self.scroll_y + direction * height, animate=False, immediate=True)
        self.move_to(target)

    def action_page_down(self) -> None:
        self._page(1)

    def action_page_up(self) -> None:
        self._page(-1)

    def _store_error(self, exc: Exception) -> None:
        self.app.notify(f"Not saved: {exc}", title="Store error", severity="error", timeout=15)

    def action_tag(self, label: str) -> None:
        sentence = self.current
        if sentence is None or label not in LABELS:
            return
        try:
            self.app.session.tag(self.article.id, sentence, label, sentence.suggestion)
        except NewsreaderError as exc:
            self._store_error(exc)
            return
        self.labels[sentence.index] = label   # shown only after the store committed it
        self._refresh_sentence(self.cursor)
        self._tell(self.LabelsChanged(self))
        if self.cursor is not None and self.cursor < len(self.sentences) - 1:
            self.move_to(self.cursor + 1)

    def action_accept(self) -> None:
        sentence = self.current
        if sentence is not None and sentence.suggestion is not None:
            self.action_tag(sentence.suggestion.label)

    def action_clear(self) -> None:
        sentence = self.current
        if sentence is None:
            return
        try:
            self.app.session.clear(self.article.id, sentence.index)
        except NewsreaderError as exc:
            self._store_error(exc)
            return
        self.labels.pop(sentence.index, None)
        self._refresh_sentence(self.cursor)
        self._tell(self.LabelsChanged(self))

    def _apply_change(self, change, verb: str) -> None:
        if change is None:
            self.app.notify(f"Nothing to {verb}.", timeout=3)
            return
        if change.label is None:
            self.labels.pop(change.sentence_index, None)
        else:
            self.labels[change.sentence_index] = change.label
        self._tell(self.LabelsChanged(self))
        pos = self.hl.position_of_index.get(change.sentence_index) if self.hl else None
        if pos is not None:
            self._refresh_sentence(pos)
            self.move_to(pos)
        now = change.label or "no label"
        self.app.notify(f"{verb.capitalize()}: sentence {change.sentence_index + 1} is now {now}.",
                        timeout=3)

    def action_undo(self) -> None:
        try:
            change = self.app.session.undo(self.article.id)
        except NewsreaderError as exc:
            self._store_error(exc)
            return
        self._apply_change(change, "undo")

    def action_redo(self) -> None:
        try:
            change = self.app.session.redo(self.article.id)
        except NewsreaderError as exc:
            self._store_error(exc)
            return
        self._apply_change(change, "redo")

    def _untagged(self, direction: int) -> None:
        n = len(self.sentences)
        if not n:
            return
        start = self.cursor if self.cursor is not None else -1
        for step in range(1, n + 1):
            pos = (start + direction * step) % n
            if self.sentences[pos].index not in self.labels:
                self.move_to(pos)
                return
        self.app.notify("Every sentence in this article is tagged.", timeout=4)

    def action_next_untagged(self) -> None:
        self._untagged(1)

    def action_previous_untagged(self) -> None:
        self._untagged(-1)

    def action_toggle_layer(self, layer: str) -> None:
        if layer in self.shown_layers:
            self.set_layer(layer, not self.shown_layers[layer])
            state = "shown" if self.shown_layers[layer] else "hidden"
            self.app.notify(f"{layer.capitalize()} {state}.", timeout=2)
            self._tell(self.SelectionChanged(self))

    def action_entity(self, step: int) -> None:
        if self.hl is None or self.cursor is None:
            return
        if not self.shown_layers["entities"]:
            self.set_layer("entities", True)
        ents = self.hl.entities[self.cursor]
        if not ents:
            self.app.notify("No named entity in this sentence.", timeout=3)
            return
        if self.selected in ents:
            i = ents.index(self.selected) + step
        else:
            i = 0 if step > 0 else len(ents) - 1
        self.select_entity(ents[i] if 0 <= i < len(ents) else None)

    # -- mouse ------------------------------------------------------------------------
    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        lay = self.text_layout
        index = int(self.scroll_y) + offset.y
        if not (0 <= index < len(lay)):
            return
        pos = lay.sents[index]
        if pos < 0 or not self.sentences:
            return
        self.move_to(pos, follow=False)
        x = offset.x - GUTTER
        if x >= 0 and lay.kinds[index] == BODY and self.hl is not None and self.shown_layers["entities"]:
            start, end = lay.starts[index], lay.ends[index]
            char = start + char_at_cell(self._text[start:end], x)
            entity = self.hl.entity_at(pos, char)
            if entity is not None or self.selected is not None:
                self.select_entity(entity)

    # -- descriptions for the status line ------------------------------------------
    def describe_selection(self) -> str | None:
        e = self.selected
        if e is None or self.hl is None:
            return None
        family = FAMILY_NAMES.get(FAMILIES.get(e.label, ""), e.label)
        name = self.hl.cluster_name(e.cluster)
        count = self.hl.cluster_counts.get(e.cluster, 1) if e.cluster is not None else 1
        if name and name != e.text:
            return f"{e.text} → {name} ({family}, {count} mention{'s' if count != 1 else ''})"
        return f"{e.text} ({family}, {count} mention{'s' if count != 1 else ''})"


def _segments(plain: str, base: Style, spans: list[tuple[int, int, Style]]) -> list[Segment]:
    if not spans:
        return [Segment(plain, base)]
    cuts = sorted({0, len(plain), *(a for a, _, _ in spans), *(b for _, b, _ in spans)})
    out = []
    for x, y in pairwise(cuts):
        if y <= x:
            continue
        style = base
        for a, b, st in spans:
            if a <= x and b >= y:
                style = style + st
        out.append(Segment(plain[x:y], style))
    return out
