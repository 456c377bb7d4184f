"""Lines a page's width broke inside a sentence, joined again: one rule for the born-digital PDF
reader (pdf.py), for text read by OCR (ocr.py) and for text copies broken at a fixed width
(page.py, which measures a line in characters)."""

from __future__ import annotations

from .. import lazy_re

_SENTENCE_END = tuple("。：:；;！!？?）)")
_HEADING = lazy_re.compile(r"^\s*[一二三四五六七八九十]{1,3}\s*、")       # a new section, never a wrapped line's end
_CELLS = lazy_re.compile(r"(?:\s(?:\d+|[/—-])){3,}\s*$")                 # a table row's run of cells


AT_THE_MARGIN = 1.5     # characters: a line reaches the margin within this much of it


def runs_on(text: str, line_right: float, margin: float, size: float) -> bool:
    """Whether a line goes on in the next: it reaches the text's right margin (within a
    character and a half of its size) and ends neither a sentence nor a row of cells."""
    return line_right >= margin - AT_THE_MARGIN * size and ends_open(text)


def ends_open(text: str) -> bool:
    """Whether a line ends neither a sentence nor a row of cells."""
    return not text.endswith(_SENTENCE_END) and not _CELLS.search(text)


def continues(text: str) -> bool:
    """Whether a line can be the rest of the one before (a section heading never is)."""
    return not _HEADING.match(text)
