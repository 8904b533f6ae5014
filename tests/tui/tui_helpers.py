"""Helpers shared by the reader tests (imported by name: pytest puts this dir on sys.path)."""
from __future__ import annotations

from newsreader.core.store import Store
from newsreader.tui.widgets.document import DocumentView


async def settle(pilot) -> None:
    """Let mounts, workers and the messages they post finish."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


def doc(app, index: int = 0) -> DocumentView:
    return list(app.screen.query(DocumentView))[index]


def screen_text(app) -> str:
    """What the terminal shows, as plain text (rendered by Textual, not our model)."""
    from rich.console import Console

    console = Console(width=app.size.width, record=True, file=open("/dev/null", "w"))
    lines = app.screen._compositor.render_update(full=True)
    console.print(lines)
    return console.export_text()


def labels_in_store(db_path, article_id: str, annotator: str = "tester") -> dict[int, str]:
    """Read the labels back through a fresh connection: proves they were committed."""
    with Store.open(db_path) as store:
        return {i: a.label for i, a in store.annotations(article_id, annotator).items() if a.label}


def visible_line(view: DocumentView, y: int) -> str:
    return view.render_line(y).text
