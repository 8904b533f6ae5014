"""Word-wrapping an article into screen lines, once per width.

The document view never wraps text per keystroke: it asks for the layout of a
width once (about 20 ms for 100,000 words of one-cell-wide text, which is
wrapped a line at a time; text with wide or unusual characters goes word by
word) and then only looks lines up. Every body line is a pair of character offsets into ``Article.text``
so highlights, clicks and sentences map to lines with plain arithmetic.

Cell widths come from ``rich.cells`` so wide CJK characters and emoji take two
columns and lines still fit the pane.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import repeat

from rich.cells import cell_len

from newsreader.core.models import Article, Sentence

from .titles import article_title

# Line kinds
BODY = 0
BLANK = 1
TITLE = 2
META = 3
UNTITLED = 4   # the header line of an article without a title: its first words, dimmed

_WORD = re.compile(r"\S+\s*|\s+")

# Defensive 1:1 replacement of anything a terminal could act on (ingest already
# strips these; offsets must not move, so each becomes one visible character).
_CONTROL = {c: "\ufffd" for c in range(0x20) if c not in (0x0A,)}
_CONTROL[0x09] = " "
_CONTROL.update({c: "\ufffd" for c in range(0x7F, 0xA0)})
CONTROL_TABLE = str.maketrans(_CONTROL)
_HAS_CONTROL = re.compile("[" + "".join(f"\\x{c:02x}" for c in sorted(_CONTROL)) + "]")


def display_text(text: str) -> str:
    """``text`` with control characters replaced one for one (offsets unchanged)."""
    if _HAS_CONTROL.search(text) is None:   # the usual case: a scan, not a copy
        return text
    return text.translate(CONTROL_TABLE)


# Characters one cell wide (checked against rich, which Textual draws with):
# Latin, Greek, Cyrillic and the punctuation news copy is full of (’ “ ” – — …).
_RANGES = ((0x20, 0x7E), (0xA0, 0x2FF), (0x370, 0x482), (0x2010, 0x2027), (0x2030, 0x205E),
           (0x20A0, 0x20C0))
_SINGLE = frozenset(ch for a, b in _RANGES for ch in map(chr, range(a, b + 1)) if cell_len(ch) == 1)
_all_single = _SINGLE.issuperset


def _runs(codes: list[int]) -> list[tuple[int, int]]:
    """Sorted code points as (first, last) ranges."""
    runs: list[list[int]] = []
    for c in codes:
        if runs and runs[-1][1] == c - 1:
            runs[-1][1] = c
        else:
            runs.append([c, c])
    return [(a, b) for a, b in runs]


# Anything else sends a unit to the word-by-word wrap: a character not known to be
# one cell wide, or whitespace other than the plain space (the no-break space is
# one cell wide but is whitespace to ``str.split`` and the word pattern).
_NARROW = sorted(ord(ch) for ch in _SINGLE if ch == " " or not ch.isspace())
_SLOW_CHAR = re.compile("[^" + "".join(
    f"\\U{a:08x}-\\U{b:08x}" for a, b in _runs(_NARROW)) + "]")
_NOT_SPACE = re.compile("[^ ]")


def _width(s: str) -> int:
    return len(s) if s.isascii() or _all_single(s) else cell_len(s)


def wrap(text: str, start: int, end: int, width: int) -> list[tuple[int, int]]:
    """Wrap ``text[start:end]`` (no newlines) into lines of at most ``width`` cells.

    Returns absolute ``(start, end)`` offsets; trailing spaces stay on the line
    they follow (they are cropped when drawn). Words longer than the width are
    split at character boundaries.
    """
    if _SLOW_CHAR.search(text, start, end) is None:
        return _wrap_narrow(text, start, end, width)
    return wrap_reference(text, start, end, width)


def _wrap_narrow(text: str, start: int, end: int, width: int) -> list[tuple[int, int]]:
    starts: list[int] = []
    ends: list[int] = []
    _narrow_into(text, start, end, max(1, width), starts, ends)
    return list(zip(starts, ends))


def _wrap_into(text: str, start: int, end: int, width: int, starts: list[int],
               ends: list[int]) -> int:
    """``wrap``, appending the lines' offsets to ``starts`` and ``ends``; returns their number."""
    if _SLOW_CHAR.search(text, start, end) is None:
        return _narrow_into(text, start, end, max(1, width), starts, ends)
    lines = wrap_reference(text, start, end, width)
    for s, e in lines:
        starts.append(s)
        ends.append(e)
    return len(lines)


def _narrow_into(text: str, start: int, end: int, width: int, starts: list[int],
                 ends: list[int]) -> int:
    """``wrap_reference`` for text whose every character is one cell wide and whose only
    whitespace is the plain space (``width`` >= 1): widths are lengths, so each line
    is found with one look at the character just past the width and one ``rfind``,
    not word by word (100,000 words: tens of milliseconds instead of half a second).

    A word fits while it ends within ``width`` cells of the line's start (the
    spaces after a word never break a line). So: if the character at
    ``line start + width`` is a space, every word before it fits and the next line
    starts at the next word; otherwise the word under it does not fit and the line
    breaks before that word, or, when no space precedes it on the line, the word
    is wider than the line and is cut at the width.
    """
    line_start = start
    rfind = text.rfind
    next_word = _NOT_SPACE.search
    n = 1
    while True:
        limit = line_start + width
        if limit >= end:
            break
        if text[limit] == " ":
            m = next_word(text, limit, end)
            if m is None:
                break
            brk = m.start()
        else:
            space = rfind(" ", line_start, limit)
            brk = limit if space < 0 else space + 1
        starts.append(line_start)
        ends.append(brk)
        n += 1
        line_start = brk
    starts.append(line_start)
    ends.append(end)
    return n


def wrap_reference(text: str, start: int, end: int, width: int) -> list[tuple[int, int]]:
    """The word-by-word wrap with a cell width per word: the definition of ``wrap``.

    ``wrap`` uses it for text with wide, zero-width or unusual whitespace
    characters; for everything else ``_wrap_narrow`` gives the same lines line by
    line (the tests compare the two).
    """
    width = max(1, width)
    unit = text[start:end]
    single = unit.isascii() or _all_single(unit)
    if (len(unit) if single else cell_len(unit)) <= width:
        return [(start, end)]
    measure = len if single else _width
    lines: list[tuple[int, int]] = []
    line_start = 0
    used = 0
    for match in _WORD.finditer(unit):
        word = match.group()
        ws = match.start()
        stripped = word.rstrip()
        w = measure(stripped)
        trailing = len(word) - len(stripped)
        if used + w <= width:
            used += w + trailing
            continue
        if used > 0 and ws > line_start:
            lines.append((start + line_start, start + ws))
            line_start = ws
            used = 0
        if w <= width:
            used = w + trailing
            continue
        # a word wider than the pane: split it by cells
        acc = 0
        for i, ch in enumerate(stripped):
            cw = 1 if single else cell_len(ch)
            if acc + cw > width and acc > 0:
                lines.append((start + line_start, start + ws + i))
                line_start = ws + i
                acc = 0
            acc += cw
        used = acc + trailing
    lines.append((start + line_start, end))
    return lines


def char_at_cell(text: str, cell: int) -> int:
    """Index into ``text`` of the character drawn at column ``cell``."""
    if text.isascii():
        return min(max(cell, 0), len(text))
    acc = 0
    for i, ch in enumerate(text):
        acc += cell_len(ch)
        if acc > cell:
            return i
    return len(text)


@dataclass
class Layout:
    """Screen lines of one article at one width."""

    width: int
    starts: list[int] = field(default_factory=list)    # char offset (body/blank lines)
    ends: list[int] = field(default_factory=list)
    sents: list[int] = field(default_factory=list)     # sentence position, -1 for none
    kinds: list[int] = field(default_factory=list)
    header: dict[int, str] = field(default_factory=dict)  # line -> text for TITLE/UNTITLED/META
    first_line: list[int] = field(default_factory=list)   # sentence position -> first line
    last_line: list[int] = field(default_factory=list)    # sentence position -> last line
    body_start: int = 0

    def __len__(self) -> int:
        return len(self.kinds)

    def line_of_char(self, offset: int) -> int:
        """The body line holding character ``offset`` (nearest line before it)."""
        if len(self.starts) <= self.body_start:
            return max(0, len(self.kinds) - 1)
        i = bisect_right(self.starts, offset, lo=self.body_start) - 1
        return max(self.body_start, i)

    def sentence_lines(self, position: int) -> tuple[int, int]:
        return self.first_line[position], self.last_line[position]


def build_layout(article: Article, sentences: Sequence[Sentence] | None, width: int,
                 text: str | None = None) -> Layout:
    """Lay out the header (title, source/date) and the body at ``width`` cells.

    With sentences, each sentence starts on a new line (the gutter then shows one
    label per sentence); without them, paragraphs wrap as wholes.
    """
    text = article.text if text is None else text
    width = max(8, width)
    lay = Layout(width=width)
    starts, ends, sents, kinds = lay.starts, lay.ends, lay.sents, lay.kinds
    wrap_into = _wrap_into

    def add(s: int, e: int, sent: int, kind: int) -> None:
        starts.append(s)
        ends.append(e)
        sents.append(sent)
        kinds.append(kind)

    heading = article_title(article)
    title = display_text(heading.text)
    for s, e in wrap(title, 0, len(title), width):
        lay.header[len(kinds)] = title[s:e].rstrip()
        add(0, 0, -1, TITLE if heading.real else UNTITLED)
    meta = " · ".join(display_text(x) for x in (article.source, article.date, article.author) if x)
    if meta:
        for s, e in wrap(meta, 0, len(meta), width):
            lay.header[len(kinds)] = meta[s:e].rstrip()
            add(0, 0, -1, META)
    add(0, 0, -1, BLANK)
    lay.body_start = len(kinds)

    def add_unit(s: int, e: int, sent: int) -> None:
        # a unit may hold single newlines: each is a hard break
        pos = s
        while True:
            nl = text.find("\n", pos, e)
            stop = e if nl < 0 else nl
            if stop > pos or nl < 0:
                n = wrap_into(text, pos, stop, width, starts, ends)
                if n == 1:
                    sents.append(sent)
                    kinds.append(BODY)
                else:
                    sents.extend(repeat(sent, n))
                    kinds.extend(repeat(BODY, n))
            if nl < 0:
                break
            pos = nl + 1

    if sentences:
        lay.first_line = [0] * len(sentences)
        lay.last_line = [0] * len(sentences)
        pos = 0
        for position, sentence in enumerate(sentences):
            s, e = sentence.start, sentence.end
            if s < pos:  # overlapping offsets: never draw text twice
                s = pos
            if e < s:
                e = s
            _gap(text, pos, s, add, add_unit, first=(position == 0))
            lay.first_line[position] = len(kinds)
            if e > s:
                add_unit(s, e, position)
            else:
                add(s, s, position, BODY)
            lay.last_line[position] = len(kinds) - 1
            pos = e
        _gap(text, pos, len(text), add, add_unit, first=False, tail=True)
    else:
        pos = 0
        first = True
        for para in text.split("\n\n"):
            if not first:
                add(pos - 1, pos - 1, -1, BLANK)
            first = False
            if para.strip():
                add_unit(pos, pos + len(para), -1)
            pos += len(para) + 2
    if len(kinds) == lay.body_start:
        add(0, 0, -1, BLANK)
    return lay


def _gap(text: str, a: int, b: int, add, add_unit, *, first: bool, tail: bool = False) -> None:
    """Text between two sentences: blank lines for paragraph breaks, stray words as lines."""
    if b <= a:
        return
    gap = text[a:b]
    if not gap.strip():
        if "\n\n" in gap and not first and not tail:
            add(a, a, -1, BLANK)
        return
    # non-whitespace outside every sentence: show it, unselectable
    pos = a
    for k, para in enumerate(gap.split("\n\n")):
        if k > 0:
            add(pos - 1, pos - 1, -1, BLANK)
        if para.strip():
            lead = len(para) - len(para.lstrip())
            add_unit(pos + lead, pos + len(para.rstrip()), -1)
        pos += len(para) + 2
