"""Article text is shown as text: markup, escapes and controls are never interpreted."""
from __future__ import annotations

from tui_helpers import doc, screen_text, settle

HOSTILE = (
    "[bold red]Headline[/] [@click=app.quit]click me[/]\n\n"
    "The minister said [link=https://example.com]nothing[/link] on Monday. "
    "\x1b]0;pwned\x07Officials \x1b[31mdenied\x1b[0m it, according to [b]Reuters[/b].\n\n"
    "中华人民共和国外交部发言人说，北京欢迎叙利亚外长。 Emoji 🙂 stay two cells wide.\n"
)


async def test_markup_and_escapes_in_an_article_are_shown_literally(make_app, tmp_path):
    path = tmp_path / "hostile.txt"
    path.write_text(HOSTILE, encoding="utf-8")
    app = make_app(str(path))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        view = doc(app)
        assert view.ready
        text = screen_text(app)
        assert "[@click=app.quit]click me[/]" in text
        assert "[link=https://example.com]nothing[/link]" in text
        assert "[b]Reuters[/b]" in text
        assert "\x1b" not in text and "pwned" not in text
        # clicking the fake action does nothing but move the cursor
        lay = view.text_layout
        await pilot.click("DocumentView", offset=(8, 0))
        await pilot.press("f")
        assert app.is_running
        # wide characters keep lines within the pane
        for y in range(view.scrollable_content_region.height):
            assert view.render_line(y).cell_length == view.scrollable_content_region.width
        assert len(lay) > 0
        # the insight panel and status line take text from the article too
        await pilot.press("i")
        await pilot.pause()
        assert app.is_running
