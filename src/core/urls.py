"""Telling a URL argument from a file path, without importing the network stack.

``newsreader ARTICLE`` checks every argument with :func:`is_url` before the
first frame; ``fetch`` (ssl, http.client, urllib) is imported only when one is.
"""
from __future__ import annotations

import re

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")


def is_url(arg: str) -> bool:
    """True for anything that looks like a URL with a scheme (``http://``, ``ftp://``...)."""
    return _SCHEME.match(arg.strip()) is not None
