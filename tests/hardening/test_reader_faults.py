"""The reader under stress (Pilot, the real app on a real store in a temp data dir).

* wide characters (CJK, emoji, full-width) keep every rendered line exactly
  the pane's width in cells, at several widths;
* hostile text (escapes, controls, markup) appears literally or not at all and
  never acts: nothing reaches the terminal but the app's own drawing, a fake
  ``[@click=app.quit]`` quits nothing;
* resizing to 20x5 and back while tagging, and hundreds of keys posted with no
  pause between them, neither crash the app nor drop or reorder a tag (the
  store is compared with a model of the presses);
* the spaCy model failing to load (NEWSREADER_MODEL=does_not_exist, or a damaged
  package): the text is shown and the reader says why there are no highlights.
"""
from __future__ import annotations

import io
import re

from pathlib import Path
from types import SimpleNamespace

import pytest
from rich.cells import cell_len
from rich.console import Console
from textual import events

from newsreader.core import paths as paths_mod
from newsreader.core.models import Article
from newsreader.core.store import Store

ANNOTATOR = "pilot"

WIDE = (
    "\u4e2d\u534e\u4eba\u6c11\u5171\u548c\u56fd\u5916\u4ea4\u90e8\u53d1\u8a00\u4eba\u8bf4\uff0c"
    "\u5317\u4eac\u6b22\u8fce\u53d9\u5229\u4e9a\u5916\u957f\u3002 The spokesman said so on "
    "Monday. \u201c\u6211\u4eec\u5c06\u7ee7\u7eed\u5408\u4f5c\uff0c\u201d\u738b\u6bc5\u8bf4\u3002"
    "\n\nFamilies \U0001F469\u200d\U0001F469\u200d\U0001F467 waited at the port \U0001F6A2 "
    "under flags \U0001F1FA\U0001F1F8\U0001F1E8\U0001F1F3 while officials \U0001F642 said the "
    "ferry would sail. \uff26\uff55\uff4c\uff4c\uff0d\uff57\uff49\uff44\uff54\uff48 letters "
    "\uff21\uff22\uff23 fill two cells each.\n\n"
    + "\u6e2f\u53e3" * 60 + "\u3002 " + "\U0001F30A" * 45 + " waves.\n\n"
    "Caf\u00e9 owners, Zo\u00eb and Ha\u0300\u0323 said the \u0627\u0644\u062c\u0633\u0631 "
    "(bridge) reopened."
)

HOSTILE = (
    "[bold red]Headline[/] [@click=app.quit]click me[/]\n\n"
    "[@click=app.quit]Quit now[/] said the minister [link=https://example.com]nothing[/link]. "
    "\x1b]0;pwned-title\x07Officials \x1b[31mdenied\x1b[0m it, according to [b]Reuters[/b]. "
    "\x1b]8;;https://evil.example/\x1b\\a hyperlink\x1b]8;;\x1b\\ here. \x1bP1$rq\x1b\\DCS gone. "
    "C1 \x9b31m csi \x9d0;c1-title\x07 end.\n\n"
    "\u201c[red]Not red[/red],\u201d said Ms Lee. [/] stray and [@click=app.bell]bell[/]."
)


@pytest.fixture(scope="module")
def nlp():
    from newsreader.core.analysis import pipeline

    return pipeline.load_nlp(None)


@pytest.fixture
def open_app(data_dir, nlp, tmp_path):
    """``open_app(text, warm=True)`` -> the real app on this article (analysis cached)."""
    from newsreader.core.analysis import pipeline
    from newsreader.core.cache import AnalysisCache
    from newsreader.core.ingest import load_path
    from newsreader.tui.launch import build_app

    made = []

    def factory(text: str, *, warm: bool = True, model: str | None = None, name="article.txt"):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        article = load_path(str(path))
        if warm:
            cache = AnalysisCache(paths_mod.resolve(str(data_dir)).analysis_cache)
            assert cache.put(pipeline.analyze(article, nlp))
        args = SimpleNamespace(paths=[str(path)], data_dir=str(data_dir), annotator=ANNOTATOR,
                               model=model)
        app, store = build_app(args)
        made.append((app, store))
        return app, article

    yield factory
    for app, store in made:
        app.host.close()
        store.close()


async def settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


def view_of(app):
    from newsreader.tui.widgets.document import DocumentView

    return list(app.screen.query(DocumentView))[0]


def screen_lines(app) -> list[str]:
    return [strip.text for strip in app.screen._compositor.render_strips()]


def terminal_bytes(app) -> str:
    """What the app would write to a colour terminal for a full repaint."""
    buf = io.StringIO()
    console = Console(file=buf, width=app.size.width, height=app.size.height, force_terminal=True,
                      color_system="truecolor", legacy_windows=False)
    console.print(app.screen._compositor.render_update(full=True), end="")
    return buf.getvalue()


def labels(data_dir, article_id) -> dict[int, str]:
    with Store.open(paths_mod.resolve(str(data_dir)).db) as store:
        return {i: a.label for i, a in store.annotations(article_id, ANNOTATOR).items()}


def simulate(keys, n: int, start: int = 0) -> dict[int, str]:
    labs: dict[int, str] = {}
    cursor = start
    for key in keys:
        if key in ("f", "q", "o"):
            labs[cursor] = {"f": "fact", "q": "quote", "o": "opinion"}[key]
            cursor = min(cursor + 1, n - 1)
        elif key == "j":
            cursor = min(cursor + 1, n - 1)
        elif key == "k":
            cursor = max(cursor - 1, 0)
    return labs


# ---------------------------------------------------------------- wide characters

@pytest.mark.parametrize("width", [120, 83, 57, 41])
async def test_wide_characters_keep_every_line_the_pane_width(width, open_app):
    app, article = open_app(WIDE)
    async with app.run_test(size=(width, 40)) as pilot:
        await settle(pilot)
        view = view_of(app)
        assert view.ready
        region = view.scrollable_content_region
        checked = 0
        for scroll in (0, 10**6):          # the top and the bottom of the document
            view.scroll_to(y=scroll, animate=False, immediate=True)
            await pilot.pause()
            for y in range(region.height):
                strip = view.render_line(y)
                assert cell_len(strip.text) == region.width, (y, strip.text)
                assert strip.cell_length == region.width
                checked += 1
        for line in screen_lines(app):
            assert cell_len(line) == width, line
        text = "\n".join(screen_lines(app))
        assert "\U0001F30A" in text or "\u6e2f\u53e3" in text
        assert checked > 0


# ---------------------------------------------------------------- hostile text

async def test_hostile_text_is_shown_literally_and_never_acts(open_app):
    app, article = open_app(HOSTILE)
    async with app.run_test(size=(110, 34)) as pilot:
        await settle(pilot)
        view = view_of(app)
        assert view.ready
        flat = " ".join(" ".join(screen_lines(app)).split())
        for s in ("[@click=app.quit]Quit now[/]", "[link=https://example.com]nothing[/link]",
                  "[b]Reuters[/b]", "[red]Not red[/red]", "Officials denied it"):
            assert s in flat, s
        for s in ("pwned-title", "evil.example", "c1-title", "1$rq"):
            assert s not in flat, s
        out = terminal_bytes(app)
        # only the app's own drawing reaches the terminal: CSI sequences, no OSC/DCS/BEL/C1
        assert not re.search(r"\x1b[^\[]|\x07|[\x80-\x9f]", out), \
            re.search(r"\x1b[^\[].{0,20}|\x07|[\x80-\x9f]", out)
        # clicking the fake actions and moving over them does not quit or ring
        for y in range(view.scrollable_content_region.height):
            line = view.render_line(y).text
            if "[@click=app.quit]" in line:
                x = line.index("[@click=app.quit]") + 3
                await pilot.click(type(view), offset=(x, y))
        await pilot.press("j", "f", "i", "i", "l", "l")
        await pilot.pause()
        assert app.is_running and app.return_code is None


async def test_control_characters_already_in_the_store_are_shown_inert(open_app, data_dir):
    """Text that reached the store without ingest (an imported label file) is still inert."""
    app, article = open_app("A plain first sentence.\n\nA second one.")
    hostile = Article(id="e" * 16, text="Officials \x1b[31mdenied\x1b[0m it \x1b]2;pwned\x07 today. "
                      "\x9b31m C1 and \x07 bell.\n\nSecond \u202eevil\u202c para.",
                      title="\x1b]0;title-pwned\x07Imported")
    with Store.open(paths_mod.resolve(str(data_dir)).db) as store:
        store.add_article(hostile)
    app.open_ids = [hostile.id]
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        out = terminal_bytes(app)
        assert not re.search(r"\x1b[^\[]|\x07|[\x80-\x9f]", out)
        flat = " ".join(" ".join(screen_lines(app)).split())
        assert "denied" in flat and "Imported" in flat
        await pilot.press("escape")          # the library lists the imported title too
        await settle(pilot)
        assert not re.search(r"\x1b[^\[]|\x07|[\x80-\x9f]", terminal_bytes(app))
        assert "Imported" in " ".join(screen_lines(app))
        assert app.is_running


async def test_a_hostile_annotator_name_is_shown_inert(data_dir, nlp, tmp_path):
    from newsreader.tui.launch import build_app

    path = tmp_path / "a.txt"
    path.write_text("The council said the bridge would reopen on Monday.\n", encoding="utf-8")
    args = SimpleNamespace(paths=[str(path)], data_dir=str(data_dir),
                           annotator="eve\x1b]0;pwned\x07\x9b31m", model=None)
    app, store = build_app(args)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            assert not re.search(r"\x1b[^\[]|\x07|[\x80-\x9f]", terminal_bytes(app))
            assert "eve" in " ".join(screen_lines(app))
    finally:
        app.host.close()
        store.close()


# ---------------------------------------------------------------- resize and key repeat

async def test_resize_to_20x5_and_back_while_tagging(open_app, data_dir, nlp):
    app, article = open_app(WIDE + "\n\n" + "The harbour reopened on Tuesday. " * 40)
    sizes = [(20, 5), (120, 36), (20, 5), (21, 6), (80, 24), (20, 5), (150, 50)]
    keys_per_size = [["f", "j", "q"], ["o", "o", "k", "f"], ["j", "j", "q"], ["f"],
                     ["k", "k", "k", "o"], ["q", "j", "f", "f"], ["o"]]
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        view = view_of(app)
        n = len(view.sentences)
        pressed = []
        for size, keys in zip(sizes, keys_per_size):
            await pilot.resize_terminal(*size)
            await pilot.pause()
            assert app.is_running
            await pilot.press(*keys)
            pressed += keys
            for line in screen_lines(app):
                assert cell_len(line) == size[0]
        assert app.is_running
        assert view.labels == simulate(pressed, n)
    assert labels(data_dir, article.id) == simulate(pressed, n)


@pytest.mark.parametrize("count", [400])
async def test_hundreds_of_keys_without_pauses(count, open_app, data_dir):
    """Key events queued all at once, faster than they are handled (auto-repeat)."""
    import random

    app, article = open_app("\n\n".join(
        f"Paragraph {i}: the council said the bridge would reopen. Critics disagreed."
        for i in range(120)))
    rng = random.Random(7)
    keys = rng.choices(["f", "j", "k", "q", "o"], weights=(5, 4, 1, 1, 1), k=count)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        view = view_of(app)
        n = len(view.sentences)
        for key in keys:            # no waiting between keys
            app.post_message(events.Key(key, key))
        for _ in range(50):
            await pilot.pause()
            if view.labels == simulate(keys, n):
                break
        await settle(pilot)
        assert app.is_running
        assert view.labels == simulate(keys, n)
        # the screen's count and the store agree with the presses
        assert f"{len(view.labels)}/{n} tagged" in " ".join(screen_lines(app))
    assert labels(data_dir, article.id) == simulate(keys, n)


# ---------------------------------------------------------------- model failure

def _broken_model(directory: Path) -> Path:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.to_disk(directory)
    (directory / "tokenizer").write_bytes(b"garbage")
    return directory


@pytest.mark.parametrize("how", ["env-does-not-exist", "damaged-package"])
async def test_model_failing_to_load_shows_text_and_says_why(how, open_app, monkeypatch, tmp_path):
    if how == "env-does-not-exist":
        monkeypatch.setenv("NEWSREADER_MODEL", "does_not_exist")
        expect = ["does_not_exist", "not installed"]
        model = None
    else:
        model = str(_broken_model(tmp_path / "broken-model"))
        expect = ["cannot load spaCy pipeline"]
    app, article = open_app("The council said the bridge would reopen on Monday. Critics "
                            "called the plan reckless.\n\nA second paragraph follows.",
                            warm=False, model=model)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        for _ in range(100):              # the analysis process reports back
            if view_of(app).failed:
                break
            await pilot.pause(0.1)
        view = view_of(app)
        assert view.failed and not view.ready
        text = " ".join(" ".join(screen_lines(app)).split())
        assert "The council said the bridge would reopen on Monday." in text
        assert "highlights unavailable" in text
        for word in expect:
            assert word in text, (word, text)
        await pilot.press("f", "j", "q")   # tagging is off, nothing breaks
        assert app.is_running


def test_helpers_are_not_vacuous():
    assert simulate(["f", "j", "q", "k", "o"], 5) == {0: "fact", 2: "opinion"}
    assert cell_len("\u4e2d\U0001F642a") == 5

