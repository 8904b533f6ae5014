"""Legacy encodings and odd Unicode: decoded right, analysed, offsets valid.

All cases go through one real ``newsreader analyze --json`` run (the model
loads once); each case then checks its own article.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import pytest
from hardening_helpers import analyze_json, offset_problems


@dataclass(frozen=True)
class Enc:
    id: str
    data: bytes
    present: tuple[str, ...]        # must appear in the article text
    absent: tuple[str, ...] = ()    # must not


CASES = [
    Enc("cp1252-smart-quotes",
        ("\u201cWe will rebuild the bridge,\u201d the mayor said \u2014 it\u2019s a promise "
         "worth \u20ac3 million.\n\nCaf\u00e9 owners on the quay agreed.\n").encode("cp1252"),
        ("\u201cWe will rebuild the bridge,\u201d", "it\u2019s", "\u2014", "\u20ac3", "Caf\u00e9")),
    Enc("latin-1",
        ("Les caf\u00e9s de la r\u00e9gion ont ferm\u00e9 lundi. Le ma\u00eetre a parl\u00e9 "
         "\u00e0 la presse.\n\nIl a dit \u00ab non \u00bb aux journalistes.\n").encode("latin-1"),
        ("caf\u00e9s", "r\u00e9gion", "ma\u00eetre", "\u00ab non \u00bb")),
    Enc("utf-16-bom",
        "\ufeffThe council said it would meet. \u201cWe agree,\u201d said Ms Lee.\n\nThe vote is "
        "on Friday.\n".encode("utf-16"),
        ("The council said it would meet.", "\u201cWe agree,\u201d said Ms Lee."), ("\ufeff",)),
    Enc("utf-16-be-bom",
        "\ufeffThe harbour reopened on Tuesday, officials said.\n".encode("utf-16-be"),
        ("The harbour reopened on Tuesday, officials said.",), ("\ufeff",)),
    Enc("utf-8-bom",
        "\ufeffThe harbour reopened on Tuesday, officials said.\n".encode("utf-8"),
        ("The harbour reopened",), ("\ufeff",)),
    Enc("mixed-crlf-cr",
        b"First paragraph, line one\r\nand its hard-wrapped line two.\r\n\r\nSecond paragraph."
        b"\rThird paragraph.\r\rFourth paragraph here.\n\nFifth.\r\n",
        ("First paragraph, line one and its hard-wrapped line two.", "Fourth paragraph here."),
        ("\r",)),
    Enc("zero-width-and-bidi",
        "The\u200b minister\u200d said\u2066 nothing\u2069 about the \u202eevil\u202c plan on "
        "Monday.\u200e\u200f\n\nNobody\u2060 asked.\u061c\n".encode(),
        ("nothing", "evil"),
        ("\u200b", "\u2066", "\u2069", "\u202e", "\u202c", "\u200e", "\u200f", "\u2060", "\u061c")),
    Enc("arabic-rtl",
        "\u0642\u0627\u0644 \u0627\u0644\u0648\u0632\u064a\u0631 \u0625\u0646 \u0627\u0644\u062c"
        "\u0633\u0631 \u0633\u064a\u0641\u062a\u062d \u064a\u0648\u0645 \u0627\u0644\u0627\u062b"
        "\u0646\u064a\u0646. The minister spoke in Arabic.\n\n\u0634\u0643\u0631\u0627 \u0644\u0643"
        "\u0645.\n".encode(),
        ("\u0642\u0627\u0644 \u0627\u0644\u0648\u0632\u064a\u0631", "\u0634\u0643\u0631\u0627")),
    Enc("emoji-and-wide-cjk",
        "\u4e2d\u534e\u4eba\u6c11\u5171\u548c\u56fd\u5916\u4ea4\u90e8\u53d1\u8a00\u4eba\u8bf4"
        "\u3002 Families \U0001F469\u200d\U0001F469\u200d\U0001F467 waited, flags \U0001F1FA"
        "\U0001F1F8 flew \U0001F642.\n\nFull-width \uff21\uff22\uff23 and \u3000ideographic "
        "space.\n".encode(),
        ("\u4e2d\u534e\u4eba\u6c11\u5171\u548c\u56fd", "\U0001F469\u200d\U0001F469\u200d\U0001F467",
         "\U0001F1FA\U0001F1F8", "\uff21\uff22\uff23")),
    Enc("combining-marks",
        "Cafe\u0301 owner Zoe\u0308 said Ha\u0300\u0323 No\u0323i was calm. "
        "Z\u0351\u0352\u0353a\u0354\u0355lgo text stays.\n\nEnd.\n".encode(),
        ("Caf\u00e9", "Zo\u00eb", unicodedata.normalize("NFC", "Z\u0351\u0352\u0353a\u0354\u0355lgo"))),
]


@pytest.fixture(scope="module")
def analysed(tmp_path_factory):
    d = tmp_path_factory.mktemp("encodings")
    paths = []
    for case in CASES:
        p = d / f"{case.id}.txt"
        p.write_bytes(case.data)
        paths.append(p)
    data_dir = tmp_path_factory.mktemp("enc-data")
    articles = analyze_json(paths, data_dir)
    assert len(articles) == len(CASES)
    return dict(zip((c.id for c in CASES), articles))


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_decoded_analysed_and_offsets_valid(case, analysed):
    art = analysed[case.id]
    text = art["text"]
    for s in case.present:
        assert s in text, (s, text)
    for s in case.absent:
        assert s not in text, (s, text)
    assert "\r" not in text and "\ufffd" not in text
    assert text == unicodedata.normalize("NFC", text)
    assert art["sentences"], "no sentences"
    assert offset_problems(art) == []
    # paragraphs are separated by exactly one blank line, none empty
    assert all(p.strip() == p and p for p in text.split("\n\n"))


def test_mixed_newlines_make_paragraphs(analysed):
    text = analysed["mixed-crlf-cr"]["text"]
    assert text.split("\n\n") == [
        "First paragraph, line one and its hard-wrapped line two.",
        "Second paragraph. Third paragraph.",
        "Fourth paragraph here.",
        "Fifth.",
    ]
