"""docs/keys.md lists every key binding, by key and by id."""
from __future__ import annotations

import re
from pathlib import Path

from newsreader.tui.keymap import SECTIONS, binding_ids

KEYS_MD = Path(__file__).resolve().parents[2] / "docs" / "keys.md"

SPELLED = {"question_mark": "?", "right_square_bracket": "]", "left_square_bracket": "["}


def test_every_binding_is_documented_with_its_keys_and_id():
    text = KEYS_MD.read_text(encoding="utf-8")
    rows = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[2].startswith("`"):
            rows[cells[2].strip("`")] = cells[0]
    for _title, bindings in SECTIONS:
        for b in bindings:
            assert b.id in rows, f"{b.id} is missing from docs/keys.md"
            documented = set(re.findall(r"`([^`]+)`", rows[b.id]))
            for key in b.key.split(","):
                key = SPELLED.get(key.strip(), key.strip())
                assert key in documented, f"{b.id}: key {key!r} not in docs/keys.md ({documented})"
    assert set(binding_ids()) <= set(rows)
