"""The reader (one article) and compare (two side by side) screens."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, OptionList

from newsreader.core.errors import NewsreaderError
from newsreader.core.models import Article

from ..compare import compare  # light: it imports rapidfuzz on first use
from ..titles import article_title
from ..keymap import COMPARE_BINDINGS, READER_BINDINGS
from ..widgets.bars import Bar, Legend, StatusLine, TopBar, progress_bar
from ..widgets.document import DocumentView
from ..widgets.insight import ComparePanel, InsightPanel

INSIGHT_MIN_WIDTH = 100      # reader: the insight panel shows from this width
COMPARE_PANEL_MIN_WIDTH = 150


#: how a title made of the article's first words is drawn (never as a headline)
UNTITLED_STYLE = "italic $text-muted"


def _title(article: Article) -> Content:
    """The article's title, or its first words dimmed (see titles.py); never markup."""
    title = article_title(article)
    if title.real:
        return Content(title.text)
    return Content.styled(title.text, UNTITLED_STYLE)


class DocumentScreen(Screen):
    """What the reader and compare screens share: status, legend, export, analysis."""

    insight_auto_width = INSIGHT_MIN_WIDTH

    def __init__(self) -> None:
        super().__init__()
        self.insight_choice: bool | None = None   # None: decided by width

    # -- to implement ---------------------------------------------------------
    @property
    def views(self) -> list[DocumentView]:
        return list(self.query(DocumentView))

    @property
    def active_view(self) -> DocumentView:
        focused = self.focused
        if isinstance(focused, DocumentView):
            return focused
        return getattr(self, "_last_view", None) or self.views[0]

    def update_panels(self) -> None:
        raise NotImplementedError

    def update_top(self) -> None:
        raise NotImplementedError

    # -- shared ---------------------------------------------------------------
    def on_mount(self) -> None:
        for view in self.views:
            cached = self.app.request_analysis(view.article)
            if cached is not None:
                view.set_analysis(cached)
                pos = self.app.cursors.get(view.article.id)
                if pos is not None:
                    view.move_to(pos)
            elif self.app.analysis_error(view.article.id):
                view.set_failed(self.app.analysis_error(view.article.id))
        self.views[0].focus()
        self._last_view = self.views[0]
        self._apply_insight_visibility()
        self.update_top()
        self.update_status()
        # the side panel is filled after the first paint: the article's text comes first
        self.call_after_refresh(self.update_panels)
        self.query_one(Legend).show_for(self.views[0])

    def analysis_ready(self, article_id: str) -> None:
        """Called by the app when an article's analysis (or its failure) arrives."""
        for view in self.views:
            if view.article.id != article_id:
                continue
            analysis = self.app.analyses.get(article_id)
            if analysis is not None:
                view.set_analysis(analysis)
                pos = self.app.cursors.get(article_id)
                if pos is not None:
                    view.move_to(pos)
            else:
                view.set_failed(self.app.analysis_error(article_id) or "analysis failed")
        self.update_top()
        self.update_status()
        self.update_panels()

    def on_descendant_focus(self, event) -> None:
        if isinstance(event.widget, DocumentView):
            self._last_view = event.widget
            self.update_status()
            self.update_top()

    def on_resize(self) -> None:
        self._apply_insight_visibility()

    def _insight_widget(self):
        raise NotImplementedError

    def _apply_insight_visibility(self) -> None:
        panel = self._insight_widget()
        show = self.insight_choice
        if show is None:
            show = self.size.width >= self.insight_auto_width
        if panel.display != show:
            panel.display = show
            if not show and panel.has_focus:
                self.active_view.focus()

    def on_document_view_cursor_moved(self, event: DocumentView.CursorMoved) -> None:
        self.update_status()

    def on_document_view_selection_changed(self, event: DocumentView.SelectionChanged) -> None:
        self.update_status()

    def on_document_view_labels_changed(self, event: DocumentView.LabelsChanged) -> None:
        self.update_top()
        self.update_panels_labels()

    def update_panels_labels(self) -> None:
        pass

    def status_for(self, view: DocumentView) -> tuple[Content, str]:
        if view.failed:
            return Content.assemble(("⚠ ", "bold"), view.status,
                                    " · the text is shown without sentences, so tagging is off"), "warning"
        if not view.ready:
            if view.analysis is not None:
                return Content(view.status or "no sentences"), "warning"
            return Content.assemble(("analysing… ", "bold"),
                                    "highlights and tagging start when sentences are ready"), "warning"
        sentence = view.current
        n = len(view.sentences)
        parts: list = []
        if sentence is not None:
            parts.append((f"sentence {view.cursor + 1}/{n}", "bold"))
            label = view.labels.get(sentence.index)
            parts.append(f" · {label}" if label else " · untagged")
            sug = sentence.suggestion
            if sug is not None:
                parts.append(("  suggested ", "$text-muted"))
                parts.append((sug.label, "bold"))
                if sug.reason:
                    parts.append((f" ({sug.reason})", "$text-muted"))
        selection = view.describe_selection()
        if selection:
            parts = [("entity ", "$text-muted"), (selection, "bold"), ("  ·  ", "$text-muted"), *parts]
        return Content.assemble(*parts), ""

    def update_status(self) -> None:
        view = self.active_view
        content, level = self.status_for(view)
        self.query_one(StatusLine).say(content, level)

    def action_toggle_insight(self) -> None:
        panel = self._insight_widget()
        self.insight_choice = not panel.display
        self._apply_insight_visibility()

    def action_toggle_legend(self) -> None:
        legend = self.query_one(Legend)
        legend.show_for(self.active_view)
        legend.toggle_class("-shown")

    def action_library(self) -> None:
        self.app.show_library()

    def action_export(self) -> None:
        try:
            path, count = self.app.session.export_csv()
        except NewsreaderError as exc:
            self.app.notify(f"Export failed: {exc}", severity="error", timeout=15)
            return
        self.app.notify(f"{count} label{'s' if count != 1 else ''} written to {path}",
                        title="CSV exported", timeout=12)

    def progress_text(self, view: DocumentView) -> str:
        n = len(view.sentences)
        if not n:
            return f"{len(view.labels)}/? tagged"
        return f"{view.n_tagged}/{n} tagged {progress_bar(view.n_tagged, n)}"


class ReaderScreen(DocumentScreen):
    BINDINGS = READER_BINDINGS

    DEFAULT_CSS = """
    ReaderScreen #body { height: 1fr; }
    ReaderScreen DocumentView { width: 1fr; height: 1fr; }
    """

    def __init__(self, article: Article) -> None:
        super().__init__()
        self.article = article

    def compose(self) -> ComposeResult:
        yield TopBar(id="topbar")
        with Horizontal(id="body"):
            yield DocumentView(self.article, labels=self.app.session_labels(self.article.id), id="doc")
            yield InsightPanel(id="insight")
        yield Legend()
        yield StatusLine(id="status")
        yield Footer(compact=True, show_command_palette=False)

    def _insight_widget(self):
        return self.query_one(InsightPanel)

    def update_top(self) -> None:
        view = self.views[0]
        self.query_one(TopBar).set_parts(_title(self.article), self.progress_text(view),
                                         self.app.session.annotator)

    def update_panels(self) -> None:
        view = self.views[0]
        panel = self.query_one(InsightPanel)
        if view.hl is not None:
            panel.show(view.hl)
        elif view.failed:
            panel.show_pending("No insight: " + view.failed)
        else:
            panel.show_pending("analysing…")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        view = self.views[0]
        hl = view.hl
        oid = event.option.id or ""
        if hl is None or ":" not in oid:
            return
        kind, _, rest = oid.partition(":")
        a = hl.analysis
        if kind == "ent":
            cid = int(rest)
            mentions = [e for e in hl.named_entities if e.cluster == cid]
            if not mentions:
                return
            current = view.selected
            nxt = mentions[0]
            if current is not None and current.cluster == cid and current in mentions:
                nxt = mentions[(mentions.index(current) + 1) % len(mentions)]
            view.move_to_char(nxt.start, select=nxt)
        elif kind == "txt":
            text = rest.split(":", 1)[1]
            mentions = [e for e in hl.named_entities if e.cluster is None and e.text == text]
            if mentions:
                current = view.selected
                nxt = mentions[0]
                if current in mentions:
                    nxt = mentions[(mentions.index(current) + 1) % len(mentions)]
                view.move_to_char(nxt.start, select=nxt)
        elif kind == "quote":
            pos = hl.quote_position(a.quotes[int(rest)])
            if pos is not None:
                view.move_to(pos)
        elif kind == "claim":
            pos = hl.claim_position(a.claims[int(rest)])
            if pos is not None:
                view.move_to(pos)
        view.focus()

    def action_compare(self) -> None:
        self.app.pick_compare(self.article.id)

    def action_story(self) -> None:
        self.app.open_story(self.article.id, keep=True)


class PaneTitle(Bar):
    DEFAULT_CSS = """
    PaneTitle { height: 1; background: $panel; color: $text-muted; padding: 0 1; }
    PaneTitle.-active { color: $foreground; text-style: bold; background: $primary-muted; }
    """


class CompareScreen(DocumentScreen):
    BINDINGS = COMPARE_BINDINGS
    insight_auto_width = COMPARE_PANEL_MIN_WIDTH

    DEFAULT_CSS = """
    CompareScreen #panes { height: 1fr; }
    CompareScreen .pane { width: 1fr; height: 1fr; }
    CompareScreen #pane-b { border-left: vkey $panel-lighten-1; }
    CompareScreen DocumentView { height: 1fr; }
    """

    def __init__(self, a: Article, b: Article) -> None:
        super().__init__()
        self.a, self.b = a, b

    def compose(self) -> ComposeResult:
        yield TopBar(id="topbar")
        with Horizontal(id="panes"):
            with Vertical(classes="pane", id="pane-a"):
                yield PaneTitle(id="title-a")
                yield DocumentView(self.a, labels=self.app.session_labels(self.a.id), id="doc-a")
            with Vertical(classes="pane", id="pane-b"):
                yield PaneTitle(id="title-b")
                yield DocumentView(self.b, labels=self.app.session_labels(self.b.id), id="doc-b")
            yield ComparePanel(id="compare")
        yield Legend()
        yield StatusLine(id="status")
        yield Footer(compact=True, show_command_palette=False)

    def _insight_widget(self):
        return self.query_one(ComparePanel)

    def update_top(self) -> None:
        view = self.active_view
        which = "A" if view.id == "doc-a" else "B"
        self.query_one(TopBar).set_parts(f"Compare · {which} active", self.progress_text(view),
                                         self.app.session.annotator)
        for tag, pane_view, title_id in (("A", self.views[0], "#title-a"), ("B", self.views[1], "#title-b")):
            title = self.query_one(title_id, PaneTitle)
            title.set_class(pane_view is view, "-active")
            title.set_content(Content.assemble((f"{tag} ", "bold"), _title(pane_view.article),
                                          (f"  {self.progress_text(pane_view)}", "")))

    def update_panels(self) -> None:
        va, vb = self.views
        pending = []
        for tag, v in (("A", va), ("B", vb)):
            if v.failed:
                pending.append(f"{tag}: {v.status}")
            elif v.analysis is None:
                pending.append(f"{tag}: analysing…")
        comparison = None
        if va.analysis is not None or vb.analysis is not None:
            comparison = compare(va.analysis, va.labels, vb.analysis, vb.labels)
        self.query_one(ComparePanel).show(comparison, _title(self.a), _title(self.b),
                                          "; ".join(pending) or None)

    def update_panels_labels(self) -> None:
        self.update_panels()

    def action_switch_pane(self) -> None:
        va, vb = self.views
        (vb if self.active_view is va else va).focus()
