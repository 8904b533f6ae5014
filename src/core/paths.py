"""The one place that decides where newsreader keeps its files."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP = "newsreader"
ENV_DATA_DIR = "NEWSREADER_DATA_DIR"


@dataclass(frozen=True)
class Paths:
    data_dir: Path
    cache_dir: Path
    config_dir: Path

    @property
    def db(self) -> Path:
        return self.data_dir / "newsreader.db"

    @property
    def analysis_cache(self) -> Path:
        return self.cache_dir / "analysis"

    @property
    def config_file(self) -> Path:
        return self.config_dir / "config.toml"


def resolve(data_dir: str | os.PathLike | None = None) -> Paths:
    """``--data-dir`` wins, then ``NEWSREADER_DATA_DIR``, then platformdirs.

    When a data dir is given, the cache lives under it too, so one folder holds
    everything (tests point this at a temporary directory).
    """
    given = data_dir or os.environ.get(ENV_DATA_DIR) or None
    config_env = os.environ.get("NEWSREADER_CONFIG_DIR")
    if given:
        base = Path(given).expanduser()
        return Paths(base, base / "cache", Path(config_env) if config_env else base)
    return Paths(
        Path(platformdirs.user_data_dir(APP)),
        Path(platformdirs.user_cache_dir(APP)),
        Path(config_env) if config_env else Path(platformdirs.user_config_dir(APP)),
    )


def resolve_annotator(given: str | None = None) -> str:
    """``--annotator`` wins, then ``NEWSREADER_ANNOTATOR``, then the OS user."""
    from .text import strip_controls

    # the name is drawn in the terminal and written to exports: no escapes or controls
    name = " ".join(strip_controls(given or os.environ.get("NEWSREADER_ANNOTATOR") or "").split())
    if name:
        return name
    import getpass

    try:
        return getpass.getuser() or "anonymous"
    except Exception:  # no user database entry (containers)
        return "anonymous"
