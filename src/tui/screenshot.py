"""Regenerate docs/screenshot.svg and docs/screenshot.png from the samples.

    python -m newsreader.tui.screenshot [OUTDIR]      (default: docs)

Runs the real app headless on the bundled samples in a temporary data dir
(real spaCy analysis), tags a few sentences, selects an entity, and saves the
screen with ``App.save_screenshot``. The PNG is rendered from the SVG with
cairosvg, using a locally installed monospace font when the SVG's web font
cannot be fetched.
"""
from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path
from types import SimpleNamespace

SIZE = (132, 38)
KEYS = ("f", "q", "enter", "right_square_bracket")
MONO_FALLBACKS = ("DejaVu Sans Mono", "Liberation Mono", "Menlo", "Consolas")


async def _shoot(outdir: Path, data_dir: str) -> Path:
    from .launch import build_app

    app, store = build_app(SimpleNamespace(paths=[], data_dir=data_dir, annotator="reader",
                                           model=None))
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            for key in KEYS:
                await pilot.press(key)
            await pilot.pause()
            await pilot.pause(0.2)
            return Path(app.save_screenshot("screenshot.svg", str(outdir)))
    finally:
        store.close()


def _png(svg_path: Path) -> Path | None:
    try:
        import cairosvg
    except ImportError:
        print("cairosvg is not installed: PNG skipped", file=sys.stderr)
        return None
    svg = svg_path.read_text(encoding="utf-8")
    font = next((f for f in MONO_FALLBACKS if _have_font(f)), None)
    if font:
        svg = svg.replace("Fira Code", font)
    png = svg_path.with_suffix(".png")
    cairosvg.svg2png(bytestring=svg.encode("utf-8"), write_to=str(png), output_width=SIZE[0] * 11)
    return png


def _have_font(name: str) -> bool:
    import shutil
    import subprocess

    if shutil.which("fc-list") is None:
        return False
    out = subprocess.run(["fc-list", name], capture_output=True, text=True)
    return bool(out.stdout.strip())


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    outdir = Path(argv[0] if argv else "docs")
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="newsreader-shot-") as tmp:
        os.environ["NEWSREADER_CONFIG_DIR"] = str(Path(tmp) / "config")
        svg = asyncio.run(_shoot(outdir, tmp))
    png = _png(svg)
    print(f"wrote {svg}" + (f" and {png}" if png else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
