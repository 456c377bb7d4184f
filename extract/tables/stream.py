"""A stretch of report text as the table readers see it, whatever its line breaks.

Two views of the same text, each with offsets into it:
- the words: its Chinese characters alone, so that a label is found across line breaks, `|`
  separators, Markdown, spaces and numbers set in the middle of it ("属于国家\\n0 0 0\\n秘密");
- the pieces: what can be a cell, in order: a number, a run of digits (cells a copy ran
  together), a mark of a blank cell ("/", "—", "无"), or an empty cell between two `|`.

Digits that are never cells (numbering such as 1. and (1), 列1, years, document numbers,
percentages) are no pieces: which they are is the table NOT_CELLS in vocabulary.py; a line
a page adds where it broke a table (PAGE_FURNITURE_LINES: 第3页, - 3 -, 3/12, a running title,
a browser's print header) is neither words nor pieces."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from .. import lazy_re
from .vocabulary import NOT_CELLS, PAGE_FURNITURE_LINES

_HAN = lazy_re.compile(r"[\u4e00-\u9fff]+")
_MARKDOWN_RULE = lazy_re.compile(r"^[ \t]*\|?(?:[ \t]*:?-{3,}:?[ \t]*\|)+[ \t]*(?::?-{3,}:?[ \t]*)?$", re.M)
_PIPE_LINE = lazy_re.compile(r"^[^\n]*\|[^\n]*\|[^\n]*$", re.M)
_NOT_CELL = lazy_re.compile("|".join(f"(?:{pattern})" for pattern in NOT_CELLS))
_PAGE_FURNITURE_LINE = lazy_re.compile(r"^[ \t]*(?:" + "|".join(f"(?:{p})" for p in PAGE_FURNITURE_LINES) + r")[ \t]*$", re.M)
# A number, a run of digits, a blank mark; "无" and "空" only where they stand alone (not 无法提供).
_NUMBER = r"(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?"      # 1,234 is one number; 0,0,2 three
# A sign right after digits ("1215-351180", cells a copy ran together) is the next number's sign,
# never a blank cell's mark: the run stays one piece and is read only if its cells are certain.
_PIECE = lazy_re.compile(rf"(?:(?<=[\s|,，:：;；\d])|^)[+-]{_NUMBER}|{_NUMBER}|[/\\]|—\s*—|[—–－-]+"
                         r"|(?<![\u4e00-\u9fff])[无空](?![\u4e00-\u9fff])")
_WHOLE_CELL = lazy_re.compile(rf"^\s*(?:[+-]?{_NUMBER}\s*(?:件|条|个|项|次|人次|万元|元)?|[/\\]|—\s*—|[—–－-]+|[无空])\s*$")
# A number's note in brackets, in words ("-164(因机构改革，…(含行政许可6大项)…划转)"), on one line
# or broken over several: neither cells nor a row's label.
_NOTE = lazy_re.compile(r"(?<=\d)[ \t]*[(（](?=[^)）|]{0,10}[\u4e00-\u9fff])(?:[^()（）|]|[(（][^()（）|]{0,80}[)）]){1,300}?[)）]")
_NOTED_CELL = lazy_re.compile(rf"^\s*([+-]?{_NUMBER})\s*[(（][^|]*[)）]\s*$")    # "-164(因机构改革…)": a number and its note
_NUMBERED_NEXT = lazy_re.compile(r"\s*[.．、](?!\d)\s*[\u4e00-\u9fff“\"]")


@dataclass
class Piece:
    """A cell in the stream: a number, a blank mark or nothing between two `|`."""

    raw: str
    start: int
    end: int
    kind: str               # "number", "blank" (a mark: "/", "—", "无") or "empty" (nothing between two `|`)
    numbered: bool = False  # digits followed by "." and words: the last of them may number the next label
    line: int | None = None  # in a `|` row: where its line begins (a row's cells are on one line)

    @property
    def run(self) -> bool:
        """Digits only: cells a copy ran together may be in it."""
        return self.kind == "number" and self.raw.isdigit()


def words_of(text: str) -> str:
    """A text's Chinese characters alone: the words a label is matched in."""
    return "".join(_HAN.findall(text))


class Stream:
    """The words and the pieces of text[start:end]."""

    def __init__(self, text: str, start: int = 0, end: int | None = None):
        self.text = text
        self.start, self.end = start, len(text) if end is None else end
        chunk = _NOTE.sub(_blank, _PAGE_FURNITURE_LINE.sub(_blank, text[self.start:self.end]))
        word_chars: list[str] = []
        self.word_offsets: list[int] = []
        for match in _HAN.finditer(chunk):
            word_chars.append(match.group(0))
            self.word_offsets.extend(range(self.start + match.start(), self.start + match.end()))
        self.words = "".join(word_chars)
        self._found: dict[lazy_re.Pattern, list[tuple[int, int, int]]] = {}
        self.pieces = _pieces(chunk, self.start)
        self._piece_starts = [p.start for p in self.pieces]

    def find(self, pattern: lazy_re.Pattern) -> list[tuple[int, int, int]]:
        """Matches of a pattern in the words, as (word start, word end, text start); each
        pattern is looked for once (a table's header words are asked for by several readers)."""
        if pattern not in self._found:
            self._found[pattern] = [(m.start(), m.end(), self.word_offsets[m.start()])
                                    for m in pattern.finditer(self.words)]
        return self._found[pattern]

    def offset_of_word(self, index: int) -> int:
        """The text offset of the word character at `index` (the stretch's end past the last)."""
        return self.word_offsets[index] if index < len(self.word_offsets) else self.end

    def pieces_between(self, start: int, end: int) -> list[Piece]:
        """The pieces that begin in text[start:end]."""
        lo = bisect.bisect_left(self._piece_starts, start)
        hi = bisect.bisect_left(self._piece_starts, end)
        return self.pieces[lo:hi]

    def words_between(self, start: int, end: int) -> str:
        """The words in text[start:end]."""
        lo = bisect.bisect_left(self.word_offsets, start)
        hi = bisect.bisect_left(self.word_offsets, end)
        return self.words[lo:hi]


def _pieces(chunk: str, offset: int) -> list[Piece]:
    masked = _mask(chunk)
    pieces: list[Piece] = []
    position = 0
    for line in _PIPE_LINE.finditer(masked):
        pieces += _free_pieces(masked, position, line.start(), offset)
        pieces += _pipe_pieces(masked, line.start(), line.end(), offset)
        position = line.end()
    pieces += _free_pieces(masked, position, len(masked), offset)
    return pieces


def _blank(match: re.Match) -> str:
    """What a pattern matched, as spaces (its line breaks kept): offsets do not move."""
    return re.sub(r"[^\n]", " ", match.group(0))


def _mask(chunk: str) -> str:
    """The chunk with what can never be a cell (NOT_CELLS, Markdown rule lines) blanked,
    offsets kept."""
    return _NOT_CELL.sub(_blank, _MARKDOWN_RULE.sub(_blank, chunk))


def _free_pieces(masked: str, start: int, end: int, offset: int, line: int | None = None) -> list[Piece]:
    pieces = []
    for match in _PIECE.finditer(masked, start, end):
        raw = match.group(0)
        if raw[-1].isdigit():
            numbered = raw.isdigit() and bool(_NUMBERED_NEXT.match(masked, match.end()))
            pieces.append(Piece(raw, offset + match.start(), offset + match.end(), "number", numbered, line))
        else:
            pieces.append(Piece(raw, offset + match.start(), offset + match.end(), "blank", line=line))
    return pieces


def _pipe_pieces(masked: str, start: int, end: int, offset: int) -> list[Piece]:
    """The cells of a `|` line: a cell that is a number or a blank mark as a whole is a piece,
    an empty one an "empty" piece; a cell with words in it is none (列1 is a header)."""
    pieces = []
    bounds = [start - 1] + [i for i in range(start, end) if masked[i] == "|"] + [end]
    for left, right in zip(bounds, bounds[1:]):
        cell = masked[left + 1:right]
        if not cell.strip():
            if left >= start and right < end:             # between two pipes
                pieces.append(Piece("", offset + left + 1, offset + right, "empty", line=offset + start))
            continue
        noted = _NOTED_CELL.match(cell)
        if _WHOLE_CELL.match(cell) or noted:
            inner = noted.group(1) if noted else cell.strip()
            at = left + 1 + cell.index(inner)
            kind = "number" if re.search(r"\d", inner) else "blank"
            finish = left + 1 + len(cell.rstrip()) if noted else at + len(inner)   # the note is the cell's
            pieces.append(Piece(inner, offset + at, offset + finish, kind, line=offset + start))
        elif not _HAN.search(cell):
            pieces += _free_pieces(masked, left + 1, right, offset, offset + start)
    return pieces


def shown(pieces: list[Piece]) -> str:
    """Pieces as a warning shows them."""
    return " ".join(p.raw or "(empty)" for p in pieces)
