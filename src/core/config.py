"""The user's config file (TOML), read once at start.

Location: ``paths.resolve().config_file`` (``config.toml`` in the config dir,
or in ``--data-dir`` / ``NEWSREADER_DATA_DIR`` when one is given; the
``NEWSREADER_CONFIG_DIR`` variable moves it). A missing file means defaults.

Recognised keys::

    theme = "textual-light"      # any Textual theme name
    annotator = "alice"          # overridden by --annotator / NEWSREADER_ANNOTATOR
    model = "en_core_web_sm"     # overridden by --model / NEWSREADER_MODEL

    [keymap]                     # binding id = key, or several keys: "j,down" / ["j", "down"]
    tag_fact = "1"
    tag_quote = "2"

A syntax error, an unknown key, an unknown binding id or a value of the wrong
type raises :class:`~newsreader.core.errors.ConfigError` naming the file and
the line. This module never imports Textual: the reader passes the binding ids
it knows so that they can be checked here.
"""
from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ConfigError

TOP_LEVEL_KEYS = ("theme", "annotator", "model", "keymap")


@dataclass(frozen=True)
class Config:
    path: Path | None = None
    theme: str | None = None
    annotator: str | None = None
    model: str | None = None
    keymap: dict[str, str] = field(default_factory=dict)

    def line_of(self, key: str, section: str | None = None) -> int | None:
        """Line number (1-based) where ``key`` is set, for error messages."""
        if self.path is None:
            return None
        try:
            text = self.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        return _line_of(text, key, section)


def _line_of(text: str, key: str, section: str | None) -> int | None:
    current: str | None = None
    quoted = re.escape(key)
    key_re = re.compile(rf"""^\s*(?:{quoted}|"{quoted}"|'{quoted}')\s*=""")
    dotted_re = (re.compile(rf"""^\s*{re.escape(section)}\s*\.\s*(?:{quoted}|"{quoted}"|'{quoted}')\s*=""")
                 if section else None)
    header_re = re.compile(r"^\s*\[\s*([^\]]+?)\s*\]")
    for number, line in enumerate(text.splitlines(), 1):
        header = header_re.match(line)
        if header:
            current = header.group(1).strip().strip("\"'")
            continue
        if current == section and key_re.match(line):
            return number
        if current is None and dotted_re is not None and dotted_re.match(line):
            return number
    if section:  # the section header itself
        for number, line in enumerate(text.splitlines(), 1):
            header = header_re.match(line)
            if header and header.group(1).strip().strip("\"'") == section:
                return number
    return None


def _where(path: Path, line: int | None) -> str:
    return f"{path}, line {line}" if line else str(path)


def load_config(path: Path | None, *,
                binding_ids: Iterable[str] | Callable[[], Iterable[str]] | None = None) -> Config:
    """Read and check the config file; a missing file gives the defaults.

    ``binding_ids`` (or a function returning them, called only when the file has a
    ``[keymap]`` table) are the ids a keymap may name.
    """
    if path is None:
        return Config()
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Config()
    except IsADirectoryError:
        raise ConfigError(f"{path}: is a directory, expected a TOML config file") from None
    except PermissionError:
        raise ConfigError(f"{path}: permission denied (cannot read the config file)") from None
    except NotADirectoryError:
        blocker = next((p for p in path.parents if p.exists() and not p.is_dir()), path.parent)
        raise ConfigError(f"cannot read the config file {path}: {blocker} is a file, not a "
                          "directory (check --data-dir, NEWSREADER_DATA_DIR and "
                          "NEWSREADER_CONFIG_DIR)") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the config file ({exc.strerror or exc})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ConfigError(f"{_where(path, line)}: the config file is not UTF-8 text") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = re.search(r"\(at line (\d+), column (\d+)\)", message)
        if match:
            detail = message[: match.start()].strip()
            raise ConfigError(f"{path}, line {match.group(1)}: TOML syntax error: {detail} "
                              f"(column {match.group(2)})") from None
        match = re.search(r"\(at end of document\)", message)
        if match:
            detail = message[: match.start()].strip()
            line = text.count("\n") + 1
            raise ConfigError(f"{path}, line {line}: TOML syntax error: {detail} "
                              "(at the end of the file)") from None
        raise ConfigError(f"{path}: TOML syntax error: {message}") from None

    def fail(key: str, section: str | None, what: str) -> ConfigError:
        return ConfigError(f"{_where(path, _line_of(text, key, section))}: {what}")

    for key in data:
        if key not in TOP_LEVEL_KEYS:
            raise fail(key, None, f"unknown key {key!r} (known: {', '.join(TOP_LEVEL_KEYS)})")
    values: dict[str, str | None] = {}
    for key in ("theme", "annotator", "model"):
        value = data.get(key)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise fail(key, None, f"{key!r} must be a non-empty string")
        if isinstance(value, str) and re.search("[\x00-\x1f\x7f-\x9f]", value):
            raise fail(key, None, f"{key!r} contains control characters (the reader shows it "
                       "on screen); write it without them")
        values[key] = value.strip() if isinstance(value, str) else None

    keymap: dict[str, str] = {}
    table = data.get("keymap", {})
    if not isinstance(table, dict):
        raise fail("keymap", None, "'keymap' must be a table: [keymap] followed by id = \"key\" lines")
    if callable(binding_ids):   # the ids cost an import: only when there is a keymap
        binding_ids = binding_ids() if table else None
    known = set(binding_ids) if binding_ids is not None else None
    for binding_id, value in table.items():
        if known is not None and binding_id not in known:
            raise fail(binding_id, "keymap", f"unknown binding id {binding_id!r} in [keymap] "
                       "(docs/keys.md lists the ids)")
        if isinstance(value, str):
            keys = [k.strip() for k in value.split(",")]
        elif isinstance(value, list) and all(isinstance(k, str) for k in value):
            keys = [k.strip() for k in value]
        else:
            raise fail(binding_id, "keymap", f"[keymap] {binding_id}: expected a key such as \"j\" "
                       "or a list of keys such as [\"j\", \"down\"]")
        if not keys or any(not k or " " in k for k in keys):
            raise fail(binding_id, "keymap", f"[keymap] {binding_id}: {value!r} is not a key "
                       "(use names such as \"j\", \"ctrl+r\", \"down\", separated by commas)")
        keymap[binding_id] = ",".join(keys)
    return Config(path=path, theme=values["theme"], annotator=values["annotator"],
                  model=values["model"], keymap=keymap)
