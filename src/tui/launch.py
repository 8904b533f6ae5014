"""``newsreader [PATH | URL ...]``: load articles, add them to the store, run the app.

Everything that can fail on bad input (a missing file, an unreachable URL, a
broken config, an unusable database) fails here, before the terminal is taken
over, with the one-line message the CLI prints.

Files are read first, before the store is opened. Web pages are loaded with
``library.load_source(url, store)``: a URL already in the library opens from
the store without the network (so it works offline), a new one is fetched,
extracted, added and its page kept.
"""
from __future__ import annotations

import os
import sys

from newsreader.core import paths as paths_mod
from newsreader.core.config import load_config
from newsreader.core.errors import ConfigError, InputError
from newsreader.core.models import Article


def sample_paths() -> list[str]:
    """The bundled sample articles (read through importlib.resources)."""
    from importlib import resources

    root = resources.files("newsreader.seeds")
    return sorted(str(p) for p in root.iterdir() if p.name.endswith(".txt"))


def load_articles(given: list[str], store=None) -> list[Article]:
    """One Article per argument, in order (the samples when there is none).

    With ``store``, URLs are loaded through it (see the module docstring);
    without one, only files and ``-`` can be given.
    """
    return load_urls(load_files(given), store)


def load_files(given: list[str]) -> list[Article | str]:
    """Read every file argument; URLs are left in place as strings for :func:`load_urls`."""
    from newsreader.core.ingest import load_path
    from newsreader.core.urls import is_url

    if given.count("-") > 1:
        raise InputError("-: standard input can be read only once")
    return [p if is_url(p) else load_path(p) for p in (given or sample_paths())]


def load_urls(items: list[Article | str], store) -> list[Article]:
    out: list[Article] = []
    for item in items:
        if isinstance(item, Article):
            out.append(item)
            continue
        from newsreader.core.library import load_source  # the network stack, only for a URL

        if store is None:
            raise InputError(f"{item}: web pages need the library (internal error: no store)")
        note = sys.stderr is not None and sys.stderr.isatty()
        if note:
            sys.stderr.write(f"newsreader: loading {item} …\r")
            sys.stderr.flush()
        try:
            out.append(load_source(item, store))
        finally:
            if note:
                sys.stderr.write("\r\033[K")
                sys.stderr.flush()
    return out


def _reattach_terminal() -> None:
    """After reading an article from a pipe, read keys from the terminal."""
    if sys.stdin is not None and sys.stdin.isatty():
        return
    try:
        fd = os.open("/dev/tty", os.O_RDONLY)
    except OSError:
        raise InputError("-: the article was read from standard input, but there is no "
                         "terminal to read keys from (run newsreader in a terminal)") from None
    os.dup2(fd, 0)
    os.close(fd)
    sys.stdin = open(0, encoding="utf-8", closefd=False)  # noqa: SIM115


def build_app(args, *, stdin_ok: bool = True):
    """Everything run_app does except running: returns (app, store).

    Textual's app module is imported last: when an article to open has no
    cached analysis, the analysis process is started first, so spaCy's import
    and model load (seconds) overlap the UI's start on the other core.
    """
    from newsreader.core.store import Store

    from .session import Session

    paths = paths_mod.resolve(getattr(args, "data_dir", None))
    config = load_config(paths.config_file, binding_ids=_binding_ids)
    annotator = paths_mod.resolve_annotator(getattr(args, "annotator", None) or _env_or(config.annotator))
    theme = config.theme
    if theme and theme not in _builtin_themes():  # checked before anything is stored
        line = config.line_of("theme")
        where = f"{config.path}, line {line}" if line else str(config.path)
        raise ConfigError(f"{where}: unknown theme {theme!r} (known: "
                          f"{', '.join(sorted(_builtin_themes()))})")
    given = list(getattr(args, "paths", None) or [])
    loaded = load_files(given)
    if "-" in given and stdin_ok:
        _reattach_terminal()
    store = Store.open(paths.db)
    host = None
    try:
        articles = load_urls(loaded, store)
        for article in articles:
            store.add_article(article)
        cache = None
        try:
            from newsreader.core.cache import AnalysisCache
            cache = AnalysisCache(paths.analysis_cache)
        except ImportError:
            cache = None
        # --model, then NEWSREADER_MODEL (read by the pipeline), then the config file
        model = getattr(args, "model", None) or (
            None if os.environ.get("NEWSREADER_MODEL", "").strip() else config.model)
        session = Session(store=store, paths=paths, annotator=annotator, model=model, cache=cache)
        if len(given) == 2 and articles[0].id != articles[1].id:
            open_ids = [articles[0].id, articles[1].id]
        else:
            open_ids = [articles[0].id] if articles else []
        host = _analysis_host(session, open_ids)
        from .app import NewsreaderApp

        app = NewsreaderApp(session, open_ids=open_ids, keymap=config.keymap, theme=theme, host=host)
    except BaseException:
        if host is not None:
            host.close()
        store.close()
        raise
    return app, store


def _binding_ids() -> list[str]:
    from .keymap import binding_ids  # imports Textual: only for a config with a keymap

    return binding_ids()


def _builtin_themes():
    from textual.theme import BUILTIN_THEMES  # imports Textual: only for a config with a theme

    return BUILTIN_THEMES


def _analysis_host(session, open_ids: list[str]):
    """The app's analysis process, already starting when an article to open needs it."""
    from .analysis_host import AnalysisHost

    host = AnalysisHost(session.model, getattr(session.cache, "directory", None))
    if any(not session.has_cached_analysis(aid) for aid in open_ids):
        host.start()
    return host


def _env_or(value: str | None) -> str | None:
    # --annotator wins, then NEWSREADER_ANNOTATOR, then the config file, then the OS user
    if os.environ.get("NEWSREADER_ANNOTATOR", "").strip():
        return None
    return value


def run_app(args) -> int:
    app, store = build_app(args)
    try:
        app.run()
    finally:
        app.close_children()
        store.close()
    code = app.return_code
    return 0 if code is None else int(code)

