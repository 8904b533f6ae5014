import unicodedata

from newsreader.core.text import normalise, split_paragraphs, strip_controls


def test_nfc_and_newlines():
    raw = "Cafe\u0301 opens.\r\nSecond line.\rThird."
    assert normalise(raw) == "Café opens.\n\nSecond line.\n\nThird."
    assert unicodedata.is_normalized("NFC", normalise(raw))


def test_blank_line_paragraphs_join_hard_wraps():
    raw = "First para line one\nline two.\n\n\n  Second para.  \n"
    assert normalise(raw) == "First para line one line two.\n\nSecond para."


def test_one_paragraph_per_line_without_blank_lines():
    assert split_paragraphs("A.\nB.\nC.") == ["A.", "B.", "C."]


def test_terminal_escapes_removed():
    hostile = ("Title\x1b]0;pwned\x07 ok \x1b[31mred\x1b[0m \x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\ "
               "\x1bP1$qm\x1b\\dcs \x9b2Jc1 \x07bell\x00nul")
    out = normalise(hostile)
    assert "\x1b" not in out and "\x9b" not in out and "\x07" not in out and "\x00" not in out
    assert out == "Title ok red link dcs c1 bellnul"


def test_unterminated_osc_does_not_swallow_following_lines():
    assert normalise("a\x1b]0;title\nnext line") == "a\n\nnext line"


def test_markup_stays_literal():
    assert normalise("Press [bold red]here[/] or [@click=app.quit]q[/]") == \
        "Press [bold red]here[/] or [@click=app.quit]q[/]"


def test_bidi_and_zero_width_removed_but_arabic_kept():
    text = "abc\u202eevil\u202c \u200bzw \u0627\u0644\u0634\u064a\u0628\u0627\u0646\u064a"
    assert normalise(text) == "abcevil zw \u0627\u0644\u0634\u064a\u0628\u0627\u0646\u064a"


def test_strip_controls_keeps_newline_and_tab():
    assert strip_controls("a\tb\nc\x01") == "a\tb\nc"
