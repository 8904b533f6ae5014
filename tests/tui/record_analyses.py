"""Record the samples' real analyses for the snapshot tests.

    .venv/bin/python tests/tui/record_analyses.py

Snapshots test how the reader draws an analysis, so they use this recording
rather than the live analyzer (which is tuned often and would otherwise change
every snapshot). Re-record when the samples or the ingest rules change (the
snapshot fixture fails with a message saying so), then run
``pytest tests/tui/test_snapshots.py --snapshot-update`` and review the SVGs.
"""
from __future__ import annotations

import json
from pathlib import Path

OUT = Path(__file__).with_name("fixtures") / "sample_analyses.json"


def main() -> None:
    from newsreader.core.analysis import pipeline
    from newsreader.core.ingest import load_path
    from newsreader.tui.launch import sample_paths

    nlp = pipeline.load_nlp(None)
    data = [pipeline.analyze(load_path(p), nlp).to_dict() for p in sample_paths()]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
