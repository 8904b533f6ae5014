"""Pilot tests: every binding and flow of the reader, on the real store and pipeline.

The samples' real analyses come from the session's analysis cache (see
conftest.py); tests about the analysis worker itself are in test_worker.py.
"""
from __future__ import annotations

import csv
import io
import os

import pytest
from tui_helpers import doc, labels_in_store, screen_text, settle

from newsreader.core.cli import main as cli_main
from newsreader.core.store import Store
from newsreader.tui.keymap import SECTIONS
from newsreader.tui.launch import sample_paths
from newsreader.tui.screens.help import HelpScreen
from newsreader.tui.screens.library import LibraryList, LibraryScreen
from newsreader.tui.screens.reader import CompareScreen, ReaderScreen
from newsreader.tui.widgets.bars import Legend
from newsreader.tui.widgets.document import DocumentView
from newsreader.tui.widgets.insight import ComparePanel, InsightPanel

pytestmark = pytest.mark.usefixtures("warm_cache")


# --------------------------------------------------------------------------- opening


async def test_no_path_opens_the_samples_with_the_cursor_on_the_first_sentence(
        make_app, sample_articles, db_path):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)
        view = doc(app)
        assert view.article.id == sample_articles[0].id
        assert view.ready and view.cursor == 0
        n = len(view.sentences)
        text = screen_text(app)
        assert "annotator: tester" in text
        assert f"0/{n} tagged" in text
        assert f"sentence 1/{n}" in text
        assert sample_articles[0].text[:40] in text.replace("\n", " ") or \
            sample_articles[0].text.split()[0] in text
        # the library is built (and the store read) when first shown, not under the reader
        assert not [s for s in app.screen_stack if isinstance(s, LibraryScreen)]
        await pilot.press("escape")
        library = app.screen
        assert isinstance(library, LibraryScreen) and app.screen_stack == [library]
        assert library.store_reads == 1
        assert library.query_one(LibraryList).article_count == 2
    with Store.open(db_path) as store:
        summaries = {s.id: s for s in store.list_articles()}
    assert set(summaries) == {a.id for a in sample_articles}
    assert summaries[sample_articles[0].id].n_sentences == n


async def test_cached_analysis_is_highlighted_at_first_paint(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        view = doc(app)
        assert view.ready, "the cached analysis should be used before any worker runs"
        assert not [w for w in app.workers if w.group == "nlp"]
        assert view.hl is not None and view.hl.named_entities
        # a named entity is drawn bold on screen
        e = view.hl.named_entities[0]
        line = view.text_layout.line_of_char(e.start)
        view.scroll_to(y=max(0, line - 2), animate=False, immediate=True)
        await pilot.pause()
        strip = view.render_line(line - int(view.scroll_y))
        styled = [seg for seg in strip if e.text.split()[0] in seg.text]
        assert styled and styled[0].style.bold


async def test_two_paths_open_side_by_side(make_app, sample_articles):
    a, b = sample_paths()
    app = make_app(a, b)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, CompareScreen)
        va, vb = doc(app, 0), doc(app, 1)
        assert (va.article.id, vb.article.id) == (sample_articles[0].id, sample_articles[1].id)
        assert va.ready and vb.ready
        panel = app.screen.query_one(ComparePanel)
        assert panel.display
        summary = panel.query_one("#compare-summary").content.plain
        for heading in ("Entities", "People quoted", "Sources cited", "Fact / quote / opinion"):
            assert heading in summary
        assert "both:" in summary and "Syria" in summary and "only A:" in summary


# --------------------------------------------------------------------------- cursor


async def test_cursor_keys_move_between_sentences_and_the_view_follows(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        view = doc(app)
        n = len(view.sentences)
        await pilot.press("j", "j", "down")
        assert view.cursor == 3
        await pilot.press("k", "up")
        assert view.cursor == 1
        await pilot.press("G")
        assert view.cursor == n - 1
        await pilot.pause()
        first, last = view.text_layout.sentence_lines(view.cursor)
        top = int(view.scroll_y)
        assert top <= first and last < top + view.scrollable_content_region.height
        await pilot.press("g")
        assert view.cursor == 0 and int(view.scroll_y) == 0
        await pilot.press("end")
        assert view.cursor == n - 1
        await pilot.press("home")
        assert view.cursor == 0
        await pilot.press("pagedown")
        assert view.cursor > 0
        below = view.cursor
        await pilot.press("space")
        assert view.cursor >= below
        await pilot.press("pageup", "pageup", "pageup", "pageup", "pageup")
        assert view.cursor == 0
        await pilot.press("k")
        assert view.cursor == 0  # stays at the top


async def test_mouse_click_selects_the_sentence(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        view = doc(app)
        target = 2
        line = view.text_layout.first_line[target] - int(view.scroll_y)
        await pilot.click(DocumentView, offset=(12, line))
        assert view.cursor == target
        assert "sentence 3/" in screen_text(app)


async def test_clicking_an_entity_selects_it_and_shows_its_cluster(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        view = doc(app)
        hl = view.hl
        entity = next(e for e in hl.named_entities if e.cluster is not None
                      and hl.cluster_counts[e.cluster] > 1 and e.start > 0)
        pos = hl.sentence_at(entity.start)
        view.move_to(pos)
        await pilot.pause()
        lay = view.text_layout
        line = lay.line_of_char(entity.start)
        x = 6 + len(view.article.text[lay.starts[line]:entity.start])  # ASCII prefix in the samples
        await pilot.click(DocumentView, offset=(x, line - int(view.scroll_y)))
        assert view.selected == entity
        name = hl.cluster_name(entity.cluster)
        assert name in screen_text(app)


async def test_brackets_cycle_entities_and_show_the_canonical_name(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        view = doc(app)
        hl = view.hl
        pos = next(p for p, ents in enumerate(hl.entities) if len(ents) >= 2)
        view.move_to(pos)
        await pilot.press("right_square_bracket")
        assert view.selected == hl.entities[pos][0]
        await pilot.press("right_square_bracket")
        assert view.selected == hl.entities[pos][1]
        await pilot.press("left_square_bracket")
        assert view.selected == hl.entities[pos][0]
        selected = view.selected
        text = screen_text(app)
        assert "entity" in text and selected.text in text
        canonical = hl.cluster_name(selected.cluster)
        if canonical:
            assert canonical in text
        await pilot.press("j")  # leaving the sentence drops the selection
        assert view.selected is None


# --------------------------------------------------------------------------- tagging


async def test_f_q_o_tag_commit_and_advance(make_app, db_path):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        view = doc(app)
        aid = view.article.id
        await pilot.press("f", "q", "o")
        assert view.cursor == 3
        assert labels_in_store(db_path, aid) == {0: "fact", 1: "quote", 2: "opinion"}
        assert view.labels == {0: "fact", 1: "quote", 2: "opinion"}
        n = len(view.sentences)
        text = screen_text(app)
        assert f"3/{n} tagged" in text
        # the gutter shows the label letter on each sentence's first line
        lines = text.splitlines()
        gutters = "".join(line[1] for line in lines[1:] if len(line) > 1)
        assert "F" in gutters and "Q" in gutters and "O" in gutters


async def test_retagging_replaces_the_label(make_app, db_path):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        view = doc(app)
        await pilot.press("f", "k", "o")
        assert labels_in_store(db_path, view.article.id) == {0: "opinion"}


async def test_enter_accepts_the_suggestion(make_app, db_path):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        view = doc(app)
        suggested = [s.suggestion.label for s in view.sentences[:2]]
        await pilot.press("enter", "enter")
        assert view.cursor == 2
    with Store.open(db_path) as store:
        anns = store.annotations(view.article.id, "tester")
    assert [anns[i].label for i in (0, 1)] == suggested
    assert all(anns[i].suggestion_accepted for i in (0, 1))
    assert [anns[i].suggested_label for i in (0, 1)] == suggested


async def test_x_and_backspace_clear(make_app, db_path):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        view = doc(app)
        await pilot.press("f", "f", "k")
        await pilot.press("x")
        assert labels_in_store(db_path, view.article.id) == {0: "fact"}
        await pilot.press("k", "backspace")
        assert labels_in_store(db_path, view.article.id) == {}
        assert view.labels == {}
        assert view.cursor == 0


async def test_undo_and_redo_many_steps(make_app, db_path):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        view = doc(app)
        aid = view.article.id
        await pilot.press("f", "q", "o", "k", "x")       # 0 fact, 1 quote, 2 opinion, clear 2
        assert labels_in_store(db_path, aid) == {0: "fact", 1: "quote"}
        await pilot.press("u")
        assert labels_in_store(db_path, aid) == {0: "fact", 1: "quote", 2: "opinion"}
        assert view.cursor == 2
        await pilot.press("u", "u", "u")
        assert labels_in_store(db_path, aid) == {}
        assert view.labels == {}
        assert view.cursor == 0
        await pilot.press("u")                             # nothing left: no change
        assert labels_in_store(db_path, aid) == {}
        await pilot.press("ctrl+r", "ctrl+r")
        assert labels_in_store(db_path, aid) == {0: "fact", 1: "quote"}
        assert view.labels == {0: "fact", 1: "quote"}
        await pilot.press("ctrl+r", "ctrl+r")
        assert labels_in_store(db_path, aid) == {0: "fact", 1: "quote"}   # tag 2, then its clear


async def test_n_and_shift_n_jump_to_untagged(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        view = doc(app)
        await pilot.press("f", "f", "j", "f")            # 0, 1, 3 tagged; cursor on 4
        await pilot.press("g", "n")
        assert view.cursor == 2
        await pilot.press("n")
        assert view.cursor == 4
        await pilot.press("N")
        assert view.cursor == 2


async def test_n_says_so_when_everything_is_tagged(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        view = doc(app)
        for _ in view.sentences:
            await pilot.press("f")
        assert view.n_tagged == len(view.sentences)
        await pilot.press("n")
        await pilot.pause()
        assert any("Every sentence" in str(n.message) for n in app._notifications)


async def test_tags_survive_reopening(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("q", "o")
        aid = doc(app).article.id
    app2 = make_app()
    async with app2.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        view = doc(app2)
        assert view.article.id == aid
        assert view.labels == {0: "quote", 1: "opinion"}
        assert "2/" in screen_text(app2)


async def test_annotators_have_their_own_labels(make_app, db_path):
    app = make_app(annotator="alice")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "annotator: alice" in screen_text(app)
        await pilot.press("f")
        aid = doc(app).article.id
    assert labels_in_store(db_path, aid, "alice") == {0: "fact"}
    assert labels_in_store(db_path, aid, "tester") == {}


async def test_a_store_error_is_shown_and_the_label_is_not(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        view = doc(app)
        app.session.store.close()            # every write now fails inside the store
        await pilot.press("f")
        await pilot.pause()
        assert view.labels == {}
        assert view.cursor == 0
        messages = [str(n.message) for n in app._notifications]
        assert any(m.startswith("Not saved:") for m in messages)


# --------------------------------------------------------------------------- layers, legend


async def test_number_keys_toggle_the_highlight_layers(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        view = doc(app)
        before = [view.render_line(y) for y in range(12)]
        for key, layer in (("1", "entities"), ("2", "quotes"), ("3", "claims")):
            await pilot.press(key)
            assert view.shown_layers[layer] is False
        after = [view.render_line(y) for y in range(12)]
        assert [s.text for s in after] != [s.text for s in before] or \
            [list(s) for s in after] != [list(s) for s in before]
        # with every layer off no text segment is bold/italic/underlined
        for strip in after[3:]:
            for seg in list(strip)[6:]:
                assert not (seg.style and (seg.style.italic or seg.style.underline)), seg
        await pilot.press("1", "2", "3")
        assert all(view.shown_layers.values())


async def test_l_shows_the_legend(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        legend = app.screen.query_one(Legend)
        assert not legend.has_class("-shown")
        await pilot.press("l")
        await pilot.pause()
        assert legend.has_class("-shown") and legend.display
        text = screen_text(app)
        assert "Entities" in text and "Quotes" in text and "Claims" in text and "Gutter" in text
        await pilot.press("l")
        assert not legend.has_class("-shown")


# --------------------------------------------------------------------------- insight panel


async def test_insight_panel_lists_entities_quotes_and_claims(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        panel = app.screen.query_one(InsightPanel)
        assert panel.display
        ids = [o.id for o in panel.options if o.id]
        view = doc(app)
        analysis = view.analysis
        assert any(i.startswith("ent:") for i in ids)
        assert sum(i.startswith("quote:") for i in ids) == len(analysis.quotes)
        assert sum(i.startswith("claim:") for i in ids) == len(analysis.claims)


async def test_choosing_a_quote_moves_the_cursor_there(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        view = doc(app)
        panel = app.screen.query_one(InsightPanel)
        quotes = view.analysis.quotes
        assert quotes
        k = len(quotes) - 1
        index = next(i for i, o in enumerate(panel.options) if o.id == f"quote:{k}")
        panel.focus()
        panel.highlighted = index
        await pilot.press("enter")
        assert view.cursor == view.hl.quote_position(quotes[k])
        assert view.has_focus


async def test_choosing_a_claim_and_an_entity_moves_the_cursor(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        view = doc(app)
        panel = app.screen.query_one(InsightPanel)
        claims = view.analysis.claims
        index = next(i for i, o in enumerate(panel.options) if o.id == f"claim:{len(claims) - 1}")
        panel.focus()
        panel.highlighted = index
        await pilot.press("enter")
        assert view.cursor == view.hl.claim_position(claims[-1])
        # an entity cluster: first choice goes to its first mention, the next to the second
        cid = next(c for c, n in view.hl.cluster_counts.items() if n >= 2)
        mentions = [e for e in view.hl.named_entities if e.cluster == cid]
        index = next(i for i, o in enumerate(panel.options) if o.id == f"ent:{cid}")
        panel.focus()
        panel.highlighted = index
        await pilot.press("enter")
        assert view.selected == mentions[0]
        assert view.cursor == view.hl.sentence_at(mentions[0].start)
        panel.focus()
        panel.highlighted = index
        await pilot.press("enter")
        assert view.selected == mentions[1]


async def test_insight_panel_hides_when_narrow_and_i_toggles_it(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        panel = app.screen.query_one(InsightPanel)
        assert not panel.display
        await pilot.press("i")
        assert panel.display
        await pilot.press("i")
        assert not panel.display
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        panel = app.screen.query_one(InsightPanel)
        assert panel.display
        await pilot.press("i")
        assert not panel.display


async def test_resizing_to_tiny_and_back_keeps_working(make_app, db_path):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        view = doc(app)
        await pilot.resize_terminal(20, 5)
        await pilot.pause()
        await pilot.press("f", "j")
        await pilot.resize_terminal(200, 50)
        await pilot.pause()
        await pilot.press("q")
        assert labels_in_store(db_path, view.article.id) == {0: "fact", 2: "quote"}
        first, last = view.text_layout.sentence_lines(view.cursor)
        assert int(view.scroll_y) <= first


# --------------------------------------------------------------------------- compare


async def test_c_picks_a_second_article_and_tab_switches_panes(make_app, sample_articles, db_path):
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen) and app.screen.pick_for
        # the picker offers only the other article
        assert app.screen.query_one(LibraryList).article_count == 1
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CompareScreen)
        va, vb = doc(app, 0), doc(app, 1)
        assert va.has_focus
        await pilot.press("f")
        await pilot.press("tab")
        assert vb.has_focus
        await pilot.press("j", "o")
        assert va.cursor == 1 and vb.cursor == 2
        await pilot.press("tab")
        assert va.has_focus
        assert labels_in_store(db_path, sample_articles[0].id) == {0: "fact"}
        assert labels_in_store(db_path, sample_articles[1].id) == {1: "opinion"}
        summary = app.screen.query_one(ComparePanel).query_one("#compare-summary").content.plain
        assert "A tagged F1 Q0 O0" in summary and "B tagged F0 Q0 O1" in summary
        await pilot.press("escape")
        assert isinstance(app.screen, LibraryScreen)


async def test_compare_panel_hides_below_150_columns(make_app):
    a, b = sample_paths()
    app = make_app(a, b)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        panel = app.screen.query_one(ComparePanel)
        assert not panel.display
        await pilot.press("i")
        assert panel.display


# --------------------------------------------------------------------------- library


async def test_library_filters_as_you_type_and_enter_opens(make_app, sample_articles):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("escape")
        assert isinstance(app.screen, LibraryScreen)
        lst = app.screen.query_one(LibraryList)
        assert lst.article_count == 2
        await pilot.press(*"2025")         # only the second sample has a 2025 date
        assert lst.article_count == 1
        await pilot.press(*"zzz")
        assert lst.article_count == 0
        assert "No article matches" in screen_text(app)
        await pilot.press("escape")         # clears the filter
        assert lst.article_count == 2
        await pilot.press(*"shaibani")
        assert lst.article_count == 1
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)
        assert doc(app).article.id == sample_articles[0].id


async def test_library_shows_progress_and_escape_returns_to_the_article(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        view = doc(app)
        n = len(view.sentences)
        await pilot.press("f", "f", "j")
        await pilot.press("escape")
        await pilot.pause()
        assert f"2/{n}" in screen_text(app)
        await pilot.press("down", "up")
        await pilot.press("escape")          # empty filter: back to the open article
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)
        assert doc(app).cursor == 3          # where the cursor was


# --------------------------------------------------------------------------- help, palette, footer


async def test_question_mark_lists_every_key(make_app):
    app = make_app()
    async with app.run_test(size=(120, 60)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        from rich.console import Console
        console = Console(width=110, record=True, file=io.StringIO())
        console.print(app.screen._content())
        text = console.export_text()
        for _title, bindings in SECTIONS:
            for b in bindings:
                assert b.id in text, b.id
        await pilot.press("escape")
        assert isinstance(app.screen, ReaderScreen)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("question_mark")
        assert isinstance(app.screen, ReaderScreen)


async def test_command_palette_lists_every_action_and_runs_them(make_app, db_path):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        titles = {c.title for c in app.get_system_commands(app.screen)}
        wanted = {"Fact", "Quote", "Opinion", "Accept", "Clear", "Undo", "Redo", "Untagged",
                  "Previous untagged", "Next", "Previous", "Page down", "Page up", "First", "Last",
                  "Entities", "Quotes", "Claims", "Next entity", "Previous entity", "Library",
                  "Compare", "Insight", "Legend", "Export", "Keys"}
        assert wanted <= titles, wanted - titles
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Opinion")
        from textual.command import CommandList
        for _ in range(200):   # the palette searches in the background: wait for its hits
            await pilot.pause(0.05)
            hits = app.screen.query_one(CommandList)
            if hits.option_count and "Opinion" in str(hits.get_option_at_index(0).prompt):
                break
        assert "Opinion" in str(hits.get_option_at_index(0).prompt)
        await pilot.press("enter")
        await settle(pilot)
        assert labels_in_store(db_path, doc(app).article.id) == {0: "opinion"}


async def test_footer_shows_the_keys_that_apply(make_app):
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        active = app.screen.active_bindings
        assert active["f"].enabled and active["q"].enabled and active["o"].enabled
        text = screen_text(app).splitlines()[-1]
        for word in ("Fact", "Quote", "Opinion", "Accept", "Undo", "Keys"):
            assert word in text


# --------------------------------------------------------------------------- export


async def test_e_exports_csv_like_the_export_command(make_app, data_dir, capsysbinary):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("f", "q", "enter")
        await pilot.press("e")
        await pilot.pause()
        notes = [str(n.message) for n in app._notifications]
    written = [m for m in notes if "written to" in m]
    assert written, notes
    path = written[-1].split("written to ", 1)[1]
    assert os.path.isfile(path) and path.startswith(str(data_dir))
    with open(path, encoding="utf-8", newline="") as fh:
        mine = list(csv.DictReader(fh))
    assert [r["label"] for r in mine][:2] == ["fact", "quote"] and len(mine) == 3
    capsysbinary.readouterr()
    assert cli_main(["export", "--data-dir", str(data_dir), "--annotator", "tester"]) == 0
    theirs = list(csv.DictReader(io.StringIO(capsysbinary.readouterr().out.decode("utf-8"))))
    assert mine == theirs


# --------------------------------------------------------------------------- keymap


async def test_keys_are_remappable_in_the_config_file(make_app, data_dir, db_path):
    from newsreader.core import paths as paths_mod

    config = paths_mod.resolve(str(data_dir)).config_file
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('[keymap]\ntag_fact = "t"\ncursor_down = "ctrl+n,down"\n', encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        view = doc(app)
        await pilot.press("t")
        assert labels_in_store(db_path, view.article.id) == {0: "fact"}
        await pilot.press("ctrl+n")
        assert view.cursor == 2
        await pilot.press("f", "j")          # f and j are no longer bound
        assert labels_in_store(db_path, view.article.id) == {0: "fact"}
        assert view.cursor == 2
        await pilot.press("question_mark")
        await pilot.pause()
        from rich.console import Console
        console = Console(width=110, record=True, file=io.StringIO())
        console.print(app.screen._content())
        assert "ctrl+n" in console.export_text().replace("^n", "ctrl+n")


# --------------------------------------------------------------------------- theme, NO_COLOR


async def test_highlights_follow_the_theme(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        view = doc(app)
        e = view.hl.named_entities[0]
        line = view.text_layout.line_of_char(e.start) - int(view.scroll_y)

        def entity_color():
            strip = view.render_line(line)
            seg = next(s for s in strip if e.text.split()[0] in s.text)
            return seg.style.color

        dark = entity_color()
        app.theme = "textual-light"
        await pilot.pause()
        await pilot.pause()
        assert entity_color() != dark


async def test_no_color_keeps_marks_that_are_not_colour(make_app, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.no_color
        view = doc(app)
        text = screen_text(app)
        assert "▌" in text          # the cursor bar
        assert "†" in text or "“" in text   # claim / quote gutter marks
        e = view.hl.named_entities[0]
        line = view.text_layout.line_of_char(e.start) - int(view.scroll_y)
        seg = next(s for s in view.render_line(line) if e.text.split()[0] in s.text)
        assert seg.style.bold


# --------------------------------------------------------------------------- re-anchoring


async def test_labels_follow_their_sentences_when_the_segmentation_changes(
        make_app, data_dir, sample_articles, sample_analyses, db_path):
    """A newer analysis merges the first two sentences: labels move with their text."""
    import dataclasses

    from newsreader.core.analysis import pipeline
    from newsreader.core.cache import AnalysisCache
    from newsreader.core import paths as paths_mod

    article = sample_articles[0]
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("j", "j", "o", "q")         # sentence 2 opinion, 3 quote
    old = sample_analyses[article.id]
    s0, s1 = old.sentences[0], old.sentences[1]
    merged = dataclasses.replace(s0, end=s1.end, text=article.text[s0.start:s1.end])
    rest = [dataclasses.replace(s, index=s.index - 1) for s in old.sentences[2:]]
    newer = dataclasses.replace(old, sentences=(merged, *rest), quotes=(), claims=())
    cache = AnalysisCache(paths_mod.resolve(str(data_dir)).analysis_cache)
    assert cache.put(dataclasses.replace(newer, model=pipeline.resolve_model(None)))

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        view = doc(app)
        assert len(view.sentences) == len(old.sentences) - 1
        assert view.labels == {1: "opinion", 2: "quote"}
        assert view.sentences[1].text == old.sentences[2].text
    assert labels_in_store(db_path, article.id) == {1: "opinion", 2: "quote"}


@pytest.mark.usefixtures("warm_cache")
async def test_cursor_and_label_messages_go_straight_to_the_screen(make_app):
    """The status line is updated in the frame that moves the cursor: the view's messages
    are posted to the screen itself, not bubbled through the containers (a frame each)."""
    app = make_app(*sample_paths())          # compare: each view sits two containers deep
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        seen: list[str] = []
        for container in app.screen.query("#panes, .pane"):
            post = container.post_message

            def spy(message, post=post):
                seen.append(type(message).__name__)
                return post(message)

            container.post_message = spy
        await pilot.press("j", "f", "right_square_bracket")
        await pilot.pause()
        view = app.screen.active_view
        assert view.cursor == 2 and view.labels == {1: "fact"}
        assert f"sentence 3/{len(view.sentences)}" in screen_text(app)
        assert not {"CursorMoved", "LabelsChanged", "SelectionChanged"} & set(seen), seen
