"""config.toml: defaults, keymap, and one-line errors that name the file and line."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from newsreader.core.config import load_config
from newsreader.core.errors import ConfigError

IDS = ["tag_fact", "tag_quote", "cursor_down", "help"]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_missing_file_gives_defaults(tmp_path):
    config = load_config(tmp_path / "nope.toml", binding_ids=IDS)
    assert config.keymap == {} and config.theme is None and config.annotator is None


def test_keymap_theme_annotator_model(tmp_path):
    path = write(tmp_path, 'theme = "textual-light"\nannotator = "ana"\nmodel = "en_core_web_sm"\n'
                           '[keymap]\ntag_fact = "1"\ncursor_down = ["j", "ctrl+n"]\n'
                           'tag_quote = "w, e"\n')
    config = load_config(path, binding_ids=IDS)
    assert config.theme == "textual-light" and config.annotator == "ana"
    assert config.model == "en_core_web_sm"
    assert config.keymap == {"tag_fact": "1", "cursor_down": "j,ctrl+n", "tag_quote": "w,e"}


@pytest.mark.parametrize("text, line, words", [
    ('theme = "x"\n[keymap\ntag_fact = "1"\n', 2, "syntax"),
    ('theme = "x"\ncolour = "red"\n', 2, "unknown key 'colour'"),
    ('[keymap]\ntag_fact = "1"\n\ntag_facts = "2"\n', 4, "unknown binding id 'tag_facts'"),
    ('[keymap]\ntag_fact = 1\n', 2, "expected a key"),
    ('[keymap]\ntag_fact = "ctrl r"\n', 2, "is not a key"),
    ('theme = 3\n', 1, "must be a non-empty string"),
    ('keymap = "f"\n', 1, "must be a table"),
    ('annotator = "a"\nkeymap.tag_fact = "x"\nkeymap.nope = "y"\n', 3, "unknown binding id 'nope'"),
    ('theme = "unterminated\n', 1, "syntax"),
])
def test_errors_name_the_file_and_line(tmp_path, text, line, words):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_config(path, binding_ids=IDS)
    message = str(info.value)
    assert message.startswith(f"{path}, line {line}: "), message
    assert words in message
    assert "\n" not in message


def test_not_utf8_and_directory(tmp_path):
    path = tmp_path / "config.toml"
    path.write_bytes(b'theme = "a"\n\xff\xfe = 1\n')
    with pytest.raises(ConfigError, match=r"line 2: the config file is not UTF-8"):
        load_config(path)
    (tmp_path / "dir.toml").mkdir()
    with pytest.raises(ConfigError, match="is a directory"):
        load_config(tmp_path / "dir.toml")


def _newsreader(*args: str, env_extra: dict | None = None, **kw) -> subprocess.CompletedProcess:
    env = dict(os.environ, **(env_extra or {}))
    return subprocess.run([sys.executable, "-m", "newsreader.core.cli", *args], capture_output=True,
                          text=True, env=env, timeout=120, stdin=subprocess.DEVNULL, **kw)


def test_the_reader_refuses_a_broken_config_before_starting(data_dir):
    config_dir = Path(os.environ["NEWSREADER_CONFIG_DIR"])
    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "config.toml").write_text('[keymap]\ntag_fact = "t"\nfly = "x"\n', encoding="utf-8")
    out = _newsreader("--data-dir", str(data_dir))
    assert out.returncode == 1
    assert out.stderr.strip() == (f"newsreader: {config_dir / 'config.toml'}, line 3: unknown binding "
                                  "id 'fly' in [keymap] (docs/keys.md lists the ids)")
    (config_dir / "config.toml").write_text('theme = "no-such-theme"\n', encoding="utf-8")
    out = _newsreader("--data-dir", str(data_dir))
    assert out.returncode == 1 and "line 1: unknown theme 'no-such-theme'" in out.stderr
    assert "Traceback" not in out.stderr


def test_the_reader_refuses_a_missing_file_before_starting(data_dir, tmp_path):
    out = _newsreader(str(tmp_path / "missing.txt"), "--data-dir", str(data_dir))
    assert out.returncode == 1
    assert out.stderr.strip() == f"newsreader: {tmp_path / 'missing.txt'}: no such file"
