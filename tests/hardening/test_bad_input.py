"""Files that cannot be read as an article: one line, exit 1, no traceback, store untouched.

Table-driven: every case of the issue's first list runs the real
``newsreader analyze`` (and, where it applies, the reader and ``add``) in a
subprocess against a data dir that already holds labels.
"""
from __future__ import annotations

import gzip
import io
import os
import random
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest
from hardening_helpers import assert_refused, can_run_as, nobody_uid, run_nr


def png_bytes() -> bytes:
    """A real 2x2 PNG image."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def zip_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("article.txt", "The council said the bridge would reopen.\n" * 20)
    return buf.getvalue()


def random_bytes(seed: int, n: int, low: int = 0) -> bytes:
    r = random.Random(seed)
    return bytes(r.randrange(low, 256) for _ in range(n))


def random_choice(seed: int, alphabet: bytes, n: int) -> bytes:
    r = random.Random(seed)
    return bytes(r.choice(alphabet) for _ in range(n))


@dataclass(frozen=True)
class Case:
    id: str
    content: bytes | None          # None: the case builds the path itself
    expect: str                     # words the one line must contain
    name: str = "case.txt"


# content -> the words of the one-line message
FILE_CASES = [
    Case("empty", b"", "the file is empty or has only whitespace"),
    Case("whitespace-ascii", b"  \t\r\n\n   \x0c\n\r\n", "the file is empty or has only whitespace"),
    Case("whitespace-unicode", "\ufeff\u00a0\u3000\n\u2003\u200b\u2060\n".encode(),
         "the file is empty or has only whitespace"),
    Case("nul-bytes", b"The council met on Monday.\x00\x00\x01\x00 It voted.\n" * 3,
         "binary file (contains NUL bytes), not text"),
    Case("png-image", png_bytes(), "not a text file (a PNG image)", "photo.png"),
    Case("png-renamed-txt", png_bytes(), "not a text file (a PNG image)", "photo.txt"),
    Case("zip-archive", zip_bytes(), "not a text file (a zip archive)", "articles.zip"),
    Case("gzip-archive", gzip.compress(b"The council met." * 50), "not a text file (a gzip archive)",
         "article.txt.gz"),
    Case("pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "a PDF document", "a.pdf"),
    Case("random-bytes", random_bytes(1, 4000), "binary file (contains NUL bytes), not text",
         "noise.bin"),
    Case("not-text-in-any-encoding", random_bytes(2, 3000, low=1), "not text in any known encoding"),
    Case("control-characters", random_choice(3, b"\x01\x02\x03\x1b\x7f\x81\x8d\x9d", 2000),
         "not text in any known encoding"),
    Case("only-escape-sequences", b"\x1b[31m\x1b[0m\x1b]0;title\x07\x1bP1$r\x1b\\\r\n" * 40,
         "no readable text (only control characters or terminal escape sequences)"),
    Case("utf16-bom-broken", b"\xff\xfe" + "The council".encode("utf-16-le") + b"\x00\xd8\x41\x00",
         "not valid UTF-16-LE text despite its byte-order mark"),
]


def write_case(directory: Path, case: Case) -> Path:
    path = directory / case.name
    path.write_bytes(case.content)
    return path


@pytest.mark.parametrize("case", FILE_CASES, ids=lambda c: c.id)
def test_analyze_refuses_file(case, stored, tmp_path):
    path = write_case(tmp_path, case)
    res = run_nr(["analyze", str(path)], stored.data_dir)
    line = assert_refused(res, str(path), case.expect)
    assert line == f"newsreader: {path}: {case.expect}" or case.expect in line
    assert res.stdout == ""
    stored()


@pytest.mark.parametrize("case", [c for c in FILE_CASES if c.id in
                                  ("empty", "nul-bytes", "png-image", "not-text-in-any-encoding")],
                         ids=lambda c: c.id)
def test_the_reader_refuses_file_before_taking_the_terminal(case, stored, tmp_path):
    path = write_case(tmp_path, case)
    res = run_nr([str(path)], stored.data_dir)
    assert_refused(res, str(path), case.expect)
    assert res.stdout == ""        # the terminal was never taken over
    stored()


def test_one_bad_file_among_good_ones_prints_nothing_else(stored, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("The council said the bridge would reopen on Monday.\n", encoding="utf-8")
    bad = write_case(tmp_path, FILE_CASES[0])
    res = run_nr(["analyze", "--json", str(good), str(bad)], stored.data_dir)
    assert_refused(res, str(bad), "empty")
    assert res.stdout == ""
    stored()


# ---------------------------------------------------------------- paths that are not files

def test_missing_file(stored, tmp_path):
    path = tmp_path / "no-such-article.txt"
    res = run_nr(["analyze", str(path)], stored.data_dir)
    assert assert_refused(res) == f"newsreader: {path}: no such file"
    res = run_nr([str(path)], stored.data_dir)
    assert assert_refused(res) == f"newsreader: {path}: no such file"
    stored()


def test_directory_with_no_articles(stored, tmp_path):
    d = tmp_path / "photos"
    d.mkdir()
    (d / "a.png").write_bytes(png_bytes())
    res = run_nr(["analyze", str(d)], stored.data_dir)
    assert_refused(res, str(d), "no article files")
    stored()


def test_directory_where_the_reader_expects_a_file(stored, tmp_path):
    d = tmp_path / "folder"
    d.mkdir()
    res = run_nr([str(d)], stored.data_dir)
    assert assert_refused(res) == f"newsreader: {d}: is a directory, not a file"
    stored()


def test_unreadable_file_permission_denied(stored, public_dir):
    """Root reads any file, so the command runs as an unprivileged user (``nobody``)."""
    uid = nobody_uid()
    if not can_run_as(uid):
        pytest.skip("cannot run a subprocess as an unprivileged user here (not root, or "
                    "the venv is not readable by 'nobody'); permissions cannot be tested")
    path = public_dir / "secret.txt"
    path.write_text("The council said the bridge would reopen on Monday.\n", encoding="utf-8")
    path.chmod(0o000)
    env_home = public_dir / "home"
    env_home.mkdir()
    env_home.chmod(0o777)
    from hardening_helpers import base_env

    env = base_env(stored.data_dir, HOME=str(env_home))
    # the same file is readable by that user once permitted: the refusal is about permissions
    res = run_nr(["analyze", str(path)], stored.data_dir, env=env, user=uid)
    assert assert_refused(res) == f"newsreader: {path}: permission denied (cannot read the file)"
    path.chmod(0o644)
    ok = run_nr(["analyze", "--json", str(path)], stored.data_dir, env=env, user=uid)
    assert ok.returncode == 0, ok.stderr
    stored()


@pytest.mark.skipif(not os.path.exists("/proc/self/mem"), reason="needs Linux /proc")
def test_unreadable_file_read_error(stored):
    """A file that opens but whose read() fails (EIO): /proc/self/mem at offset 0."""
    res = run_nr(["analyze", "/proc/self/mem"], stored.data_dir)
    line = assert_refused(res, "/proc/self/mem", "cannot read")
    assert line == "newsreader: /proc/self/mem: cannot read (Input/output error)"
    stored()


def test_hostile_file_name_is_printed_safely(stored, tmp_path):
    """A name with an escape sequence and a newline stays one inert line."""
    path = tmp_path / "evil\x1b]0;pwned\x07\nname.txt"
    res = run_nr(["analyze", str(path)], stored.data_dir)
    line = assert_refused(res, "no such file")
    assert "\x07" not in res.stderr and "pwned" in line
    stored()
