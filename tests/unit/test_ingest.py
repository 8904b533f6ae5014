import subprocess
import sys

import pytest

from newsreader.core.errors import InputError
from newsreader.core.ingest import (article_id, bundled_samples, decode, is_boilerplate, load_path,
                                    load_text)

QUOTES = "\u201cIt is done,\u201d she said. The town\u2019s mayor agreed."


def test_bundled_samples_found_through_package():
    names = [p.rsplit("/", 1)[-1] for p in bundled_samples()]
    assert names == ["000_99910efe81c56d20.txt", "003_c3f2c6ece1b89d8e.txt"]


def test_sample_000_headline_and_boilerplate():
    a = load_path(bundled_samples()[0])
    assert a.title.startswith("Syria\u2019s Assad al-Shaibani meets with China\u2019s Wang Yi")
    assert not a.text.startswith("Syria\u2019s Assad al-Shaibani meets")
    assert "Recommended stories" not in a.text
    assert "list of 3 items" not in a.text
    assert a.text.startswith("Syria\u2019s Foreign Minister Assad al-Shaibani")
    assert a.text.count("\n\n") == 15


def test_sample_003_date_prefix_is_metadata():
    a = load_path(bundled_samples()[1])
    assert a.date == "2025-11-18"
    assert a.text.startswith("The Islamist regime governing Syria")
    assert "date 2025" not in a.text
    assert a.title is None


def test_id_is_hash_of_body_so_two_paths_are_one_article(tmp_path):
    src = bundled_samples()[1]
    copy = tmp_path / "copy.txt"
    copy.write_bytes(open(src, "rb").read())
    assert load_path(src).id == load_path(str(copy)).id == article_id(load_path(src).text)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252"])
def test_encodings_decode(tmp_path, encoding):
    f = tmp_path / "a.txt"
    f.write_bytes(("Headline here\n\n" + QUOTES + " Caf\u00e9 d\u00e9j\u00e0 vu.").encode(encoding))
    a = load_path(str(f))
    assert a.text == QUOTES + " Caf\u00e9 d\u00e9j\u00e0 vu."


def test_latin1_bytes_decode_as_cp1252():
    data = "Le caf\u00e9 \u00e9tait ferm\u00e9 \u00e0 minuit, a dit le g\u00e9rant du caf\u00e9.".encode("latin-1")
    assert decode(data, "x") == "Le caf\u00e9 \u00e9tait ferm\u00e9 \u00e0 minuit, a dit le g\u00e9rant du caf\u00e9."


@pytest.mark.parametrize("content,needle", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG image"),
    (b"PK\x03\x04\x14\x00\x00\x00", "zip archive"),
    (b"abc\x00\x01\x02\x03def\x00\xff\xfe", "NUL bytes"),
])
def test_binary_refused(tmp_path, content, needle):
    f = tmp_path / "bin.txt"
    f.write_bytes(content)
    with pytest.raises(InputError) as err:
        load_path(str(f))
    assert str(f) in str(err.value) and needle in str(err.value)


def test_missing_empty_and_directory(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        load_path(str(tmp_path / "nope.txt"))
    (tmp_path / "empty.txt").write_text("  \n\t\n")
    with pytest.raises(InputError, match="empty"):
        load_path(str(tmp_path / "empty.txt"))
    with pytest.raises(InputError, match="directory"):
        load_path(str(tmp_path))


def test_boilerplate_list_matches_whole_paragraphs_only():
    for junk in ["Recommended stories", "list of 3 itemsend of list", "Advertisement", "Read more",
                 "Share this article", "Skip to content", "Sign up for our newsletter"]:
        assert is_boilerplate(junk), junk
    assert not is_boilerplate("Read more about the budget in our explainer on taxes and spending.")
    assert not is_boilerplate("The advertisement campaign cost the party $2 million, officials said.")


def test_front_matter_and_key_lines():
    a = load_text("---\ntitle: Budget passes\ndate: 2024-03-05\nsource: Example Post\n---\nThe bill passed.\n")
    assert (a.title, a.date, a.source, a.text) == ("Budget passes", "2024-03-05", "Example Post", "The bill passed.")
    b = load_text("Title: Storm hits coast\nURL: https://example.org/storm\n\nWinds reached 120 km/h.\n\nSchools closed.")
    assert (b.title, b.url) == ("Storm hits coast", "https://example.org/storm")
    assert b.text == "Winds reached 120 km/h.\n\nSchools closed."


def test_markdown_heading_is_title_and_markup_removed():
    a = load_text("# Council votes\n\nThe **council** voted [7-2](http://x) on *Tuesday*.\n\n- one item\n",
                  fmt="markdown")
    assert a.title == "Council votes"
    assert a.text == "The council voted 7-2 on Tuesday.\n\none item"


HTML = """<!doctype html><html><head><title>Port strike ends | The Harbour Times</title>
<meta property="og:title" content="Port strike ends after nine days">
<meta property="og:site_name" content="The Harbour Times">
<meta property="article:published_time" content="2024-06-02T08:00:00Z">
</head><body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Port strike ends after nine days</h1>
<p>Dock workers returned to work on Sunday after a nine-day strike that halted exports, the union said.</p>
<p>\u201cWe won a fair deal,\u201d said union leader Maria Lopes, adding that wages would rise by 6 percent.</p>
<p>The port authority said shipping would return to normal within a week, according to a statement.</p>
</article><aside><h3>Related stories</h3><ul><li>Other news</li></ul></aside>
<footer>Copyright 2024 The Harbour Times. All rights reserved.</footer></body></html>"""


def test_html_main_text_and_metadata(tmp_path):
    f = tmp_path / "page.html"
    f.write_text(HTML, encoding="utf-8")
    a = load_path(str(f))
    assert a.title == "Port strike ends after nine days"
    assert a.date == "2024-06-02"
    assert a.source == "The Harbour Times"
    assert "Dock workers returned to work on Sunday" in a.text
    assert "Maria Lopes" in a.text
    assert "Home" not in a.text and "Related stories" not in a.text and "All rights reserved" not in a.text


def test_stdin_dash_reads_standard_input():
    code = ("import sys; from newsreader.core.ingest import load_path; a = load_path('-'); "
            "print(a.location, a.text)")
    out = subprocess.run([sys.executable, "-c", code], input="Hello there, said Ann.\n".encode(),
                         capture_output=True, check=True).stdout.decode()
    assert out.strip() == "<stdin> Hello there, said Ann."
