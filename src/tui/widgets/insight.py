"""Side panels: the article's insight list and the comparison summary."""
from __future__ import annotations

from collections import Counter

from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from newsreader.core.models import LABELS

from ..compare import Comparison, Matched
from ..highlights import FAMILIES, Highlights
from ..keymap import INSIGHT_BINDINGS

# The panel lists at most this many items per section: a 100,000-word document has
# thousands, and measuring thousands of wrapped options would stall the UI.
LIMIT = 150

FAMILY_TAG = {"person": "person", "org": "org", "place": "place", "group": "group", "thing": "other"}


def _clip(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _clip_title(title: str | Content, n: int) -> str | Content:
    if isinstance(title, Content):
        return title.truncate(n, ellipsis=True) if title.cell_length > n else title
    return _clip(title, n)


class InsightPanel(OptionList):
    """Entity clusters with counts, quotations with speakers, claims with sources.

    Choosing an item (enter or click) moves the article's cursor there.
    """

    BINDINGS = INSIGHT_BINDINGS
    HELP = """
## Insight panel
Entities (by cluster, with mention counts), quotations with their speakers and
claims with their sources. **Enter** on an item moves the article cursor there;
choosing an entity again goes to its next mention.
"""

    DEFAULT_CSS = """
    InsightPanel {
        width: 40;
        height: 1fr;
        border: none;
        border-left: vkey $panel-lighten-1;
        background: $surface;
        padding: 0;
        scrollbar-size-vertical: 1;
        & > .option-list--option { padding: 0 1; }
    }
    InsightPanel:focus { border-left: vkey $accent; }
    """

    def watch_show_vertical_scrollbar(self, old: bool, new: bool) -> None:
        # OptionList measures its items' heights at the width it has when they are set; when
        # that adds the scrollbar the width shrinks without a Resize, and wrapped items would
        # keep heights measured one cell too wide (their last line cut off). Measure again.
        if old != new:
            self._clear_caches()

    def show_pending(self, message: str) -> None:
        self.set_options([Option(Content.styled("Insight", "bold"), disabled=True),
                          Option(Content(message), disabled=True)])

    def show(self, hl: Highlights) -> None:
        """Quotations and claims first (short, and what a critical reader asks first:
        who says what, on whose word), then every entity cluster by mention count."""
        a = hl.analysis
        options: list[Option | None] = []
        options.append(Option(Content.styled(f"Quotations ({len(a.quotes)})", "bold $text-secondary"),
                              disabled=True))
        for i, q in enumerate(a.quotes[:LIMIT]):
            who = q.speaker.name if q.speaker else "unattributed"
            prompt = Content.assemble((_clip(who, 30), "bold"), (f" {q.cue}" if q.cue else "", "$text-muted"),
                                      "\n", (_clip(q.text, 70), "italic"))
            options.append(Option(prompt, id=f"quote:{i}"))
        if not a.quotes:
            options.append(Option(Content("none found"), disabled=True))
        elif len(a.quotes) > LIMIT:
            options.append(Option(Content(f"… and {len(a.quotes) - LIMIT} more"), disabled=True))
        options.append(None)
        options.append(Option(Content.styled(f"Claims ({len(a.claims)})", "bold $text-warning"),
                              disabled=True))
        for i, c in enumerate(a.claims[:LIMIT]):
            src = c.source.name if c.source else "unnamed source"
            prompt = Content.assemble((_clip(src, 30), "bold"), (f" ({c.cue})", "$text-muted"),
                                      "\n", (_clip(c.content, 70), "underline"))
            options.append(Option(prompt, id=f"claim:{i}"))
        if not a.claims:
            options.append(Option(Content("none found"), disabled=True))
        elif len(a.claims) > LIMIT:
            options.append(Option(Content(f"… and {len(a.claims) - LIMIT} more"), disabled=True))
        options.append(None)
        counts = hl.cluster_counts
        clusters = [c for c in a.clusters if counts.get(c.id)]
        clusters.sort(key=lambda c: (-counts[c.id], c.name.lower()))
        unclustered = Counter(e.text for e in hl.named_entities if e.cluster is None)
        n_ent = len(clusters) + len(unclustered)
        options.append(Option(Content.styled(f"Entities ({n_ent})", "bold $text-accent"), disabled=True))
        shown = 0
        for c in clusters[:LIMIT]:
            shown += 1
            family = FAMILY_TAG.get(FAMILIES.get(c.label, ""), c.label.lower())
            prompt = Content.assemble((f"{counts[c.id]:>3} ", "$text-muted"), (_clip(c.name, 26), "bold"),
                                      " ", (family, "$text-muted"))
            options.append(Option(prompt, id=f"ent:{c.id}"))
        for i, (text, n) in enumerate(unclustered.most_common(max(0, LIMIT - shown))):
            shown += 1
            options.append(Option(Content.assemble((f"{n:>3} ", "$text-muted"), (_clip(text, 26), "bold")),
                                  id=f"txt:{i}:{text}"))
        if not n_ent:
            options.append(Option(Content("none found"), disabled=True))
        elif n_ent > shown:
            options.append(Option(Content(f"… and {n_ent - shown} more"), disabled=True))
        highlighted = self.highlighted
        self.set_options(options)
        if highlighted is not None and highlighted < self.option_count:
            self.highlighted = highlighted


def _names(items: list[str], limit: int = 12) -> str:
    if not items:
        return "—"
    shown = ", ".join(items[:limit])
    return shown + (f" (+{len(items) - limit} more)" if len(items) > limit else "")


class ComparePanel(VerticalScroll, can_focus=False):
    """Shared and only-one entities, people quoted, sources cited, label profiles."""

    DEFAULT_CSS = """
    ComparePanel {
        width: 44;
        height: 1fr;
        border-left: vkey $panel-lighten-1;
        background: $surface;
        padding: 0 1;
        scrollbar-size-vertical: 1;
    }
    """

    def compose(self):
        yield Static(id="compare-summary")

    def show(self, comparison: Comparison | None, title_a: str | Content, title_b: str | Content,
             pending: str | None = None) -> None:
        static = self.query_one("#compare-summary", Static)
        if comparison is None:
            static.update(Content.assemble(("Comparison", "bold"), "\n\n", pending or "analysing…"))
            return
        parts: list = [("A ", "bold $text-accent"), _clip_title(title_a, 36), "\n",
                       ("B ", "bold $text-primary"), _clip_title(title_b, 36), "\n"]
        if pending:
            parts += ["\n", (pending, "italic $text-muted"), "\n"]

        missing_a = comparison.profile_a["total"]["sentences"] is None
        missing_b = comparison.profile_b["total"]["sentences"] is None

        def names(items: list[str], missing: bool) -> str:
            return "(no analysis yet)" if missing else _names(items)

        def section(title: str, m: Matched, style: str) -> None:
            parts.extend(["\n", (title, f"bold {style}"), "\n"])
            shared = [a if a == b else f"{a} = {b}" for a, b in m.shared]
            parts.extend([("both: ", "bold"), names(shared, missing_a or missing_b), "\n"])
            # with one side not analysed yet, "only" would be a claim we cannot make
            parts.extend([("A: " if missing_b else "only A: ", "bold $text-accent"),
                          names(m.only_a, missing_a), "\n"])
            parts.extend([("B: " if missing_a else "only B: ", "bold $text-primary"),
                          names(m.only_b, missing_b), "\n"])

        section("Entities", comparison.entities, "$text-accent")
        section("People quoted", comparison.speakers, "$text-secondary")
        section("Sources cited", comparison.sources, "$text-warning")
        parts.extend(["\n", ("Fact / quote / opinion", "bold"), "\n"])
        for tag, prof in (("A", comparison.profile_a), ("B", comparison.profile_b)):
            n = prof["total"]["sentences"]
            tagged = " ".join(f"{label[0].upper()}{prof['tagged'][label]}" for label in LABELS)
            suggested = " ".join(f"{label[0].upper()}{prof['suggested'][label]}" for label in LABELS)
            parts.extend([(f"{tag} ", "bold"), f"tagged {tagged}", (f"  of {n if n is not None else '?'}",
                                                                    "$text-muted"), "\n"])
            if n is not None:
                parts.extend(["  ", (f"suggested {suggested}", "$text-muted"), "\n"])
        static.update(Content.assemble(*parts))
