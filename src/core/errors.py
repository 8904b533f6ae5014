"""Errors a user can act on. ``str(exc)`` is the one line printed; never a traceback."""
from __future__ import annotations


class NewsreaderError(Exception):
    exit_code = 1


class InputError(NewsreaderError):
    """A file, URL or value that cannot be read as an article."""


class UsageError(NewsreaderError):
    exit_code = 2


class ModelError(NewsreaderError):
    """No usable spaCy pipeline."""


class StoreError(NewsreaderError):
    """The database cannot be opened or written; the message says what to do."""


class ConfigError(NewsreaderError):
    """The config file is malformed; the message names the file and line."""
