"""Where a table's rows stand in a text, whatever its line breaks: the format's labels found in
their order (vocabulary.py), each with the cells that stand after it.

Labels are looked for in the text's words (stream.py), so line breaks, pipes, spaces and
numbers set inside a label do not matter; a label that lost its words is found by its number
(1. （三） 二、), counting half. Of all the places labels stand, the chain that keeps the format's
order and weighs most is taken (a mention in prose before the table is no label); words of the
table's header (its column names: 其他, 总计) are no labels. A row's cells are the numbers that
stand together after its label; numbers in a sentence are no cells."""

from __future__ import annotations

import bisect
import heapq
import itertools
from dataclasses import dataclass, field

from .. import lazy_re
from .stream import Piece, Stream

_SPACES = lazy_re.compile(r"\s+")
# A row found by a word as common as 其他 only right after its group's other rows (3.其他 of （六）).
_FOLLOWS = {"other.other": ("other.overdue_correction", "other.unpaid_fee", "other")}
_NOTE = lazy_re.compile(r"[(（][^()（）\n]{4,}[)）]")       # a note in brackets (区分处理的，…; 含行政强制1项…)
_LABEL_TAIL = 40            # characters of a label after the words that name its row, at most
_HEADER_GAP = 40            # characters between two of a header's column names, at most
_HEADER_REACH = 300         # characters between a table's header and its first label, at most
_UNITS = lazy_re.compile(r"[件条个项次人]")
# "148部、…", "3件，…": a count in a sentence (a bare "、" after digits numbers the next label;
# "，" and "；" may separate cells)
_CLAUSE_GOES_ON = lazy_re.compile(r"\s*[件条个项次人部份篇期]\s*[、，。；,;]")
_LABEL_OPENING = lazy_re.compile(r"(?:[一二三四]\s*、|[（(]\s*[一二三四五六七]\s*[)）]|\d{1,2}\s*[.．、]|[（(]\s*\d{1,2}\s*[)）]|[①-⑨])\s*$")


@dataclass
class Row:
    """A table row found in the text: its label and the cells after it."""

    key: str
    start: int                 # where its label begins in the text
    pieces: list[Piece]        # the cells that stand together after its label
    label: str = ""
    tabular: bool = True       # its numbers stand together right after its label, as a table's cells do
    more: list[list[Piece]] = field(default_factory=list)   # further runs of cells before the next label


def align(stream: Stream, keys, patterns: dict, numbering: dict | None = None,
           header: lazy_re.Pattern | None = None, labels: dict | None = None) -> list[tuple[str, int, int, bool]]:
    """(key, start, end, found by its words) in the text of each row label found, in the
    format's order: of every
    place where a row's words stand (or, counting half, its number: a label that lost its words),
    the chain that keeps the format's order (each label after the one before) and weighs most,
    and of equal chains the one that starts last (a mention in the prose before the table is not
    its label). Words inside the table's header (its column names: 其他, 总计) or inside a note in
    brackets are no labels. A
    label's start is where the format's label (`labels`) begins, when the words before the ones
    that named it are the label's own ("属于" before "国家秘密", with numbers set between them)."""
    order = {key: i for i, key in enumerate(keys)}
    after = {order[key]: {order[k] for k in before if k in order} for key, before in _FOLLOWS.items() if key in order}
    headers = _header_spans(stream, header) if header is not None else []
    notes = [(stream.start + m.start(), stream.start + m.end()) for m in _NOTE.finditer(stream.text[stream.start:stream.end])]
    marks = []
    chunk, numbered = stream.text[stream.start:stream.end], {}
    for key in keys:
        for ws, we, start in stream.find(patterns[key]):
            if any(lo < start < hi for lo, hi in notes):
                continue                                 # a word in a note in brackets names no row
            if labels and key in labels:
                start = stream.offset_of_word(_label_begins(stream.words, ws, we, labels[key]))
            marks.append((start, stream.offset_of_word(we - 1) + 1, order[key], key, 2))
        if numbering and key in numbering:
            if numbering[key] not in numbered:                  # 1. numbers a row of each group
                numbered[numbering[key]] = [m.span() for m in numbering[key].finditer(chunk)]
            marks += [(stream.start + s, stream.start + e, order[key], key, 1) for s, e in numbered[numbering[key]]]
    marks = sorted(m for m in marks if not any(lo <= m[0] < hi for lo, hi in headers)
                   or _LABEL_OPENING.search(stream.text, max(stream.start, m[0] - 8), m[0]))   # （七）总计: a label
    marks = _outside_longer_labels(marks)
    best: list[tuple[int, int, int]] = []          # per mark: (weight of its chain, chain start, previous mark)
    ended: list[tuple[int, int]] = []              # (end, mark) of marks not yet in `heaviest`
    none = (-2, 0, 0)                              # no chain: never heavier than a mark alone
    heaviest = [none] * len(keys)                  # per row: its heaviest chain (weight, start, -mark)
    for j, (start, end, index, _, weight) in enumerate(marks):   # of the marks ended before this
        while ended and ended[0][0] <= start:
            k = heapq.heappop(ended)[1]
            heaviest[marks[k][2]] = max(heaviest[marks[k][2]], (*best[k][:2], -k))
        allowed = after.get(index)
        before = max((heaviest[i] for i in allowed if i < index), default=none) if allowed is not None \
            else max(heaviest[:index], default=none)
        chain = (weight, start, -1)
        if (before[0] + weight, before[1]) > chain[:2]:
            chain = (before[0] + weight, before[1], -before[2])
        if allowed is not None and chain[2] < 0:
            chain = (-1, start, -1)                  # never the start of a chain
        best.append(chain)
        heapq.heappush(ended, (end, j))
    if not best:
        return []
    j = max(range(len(best)), key=lambda i: best[i][:2])
    chain = []
    while j >= 0:
        start, end, _, key, weight = marks[j]
        chain.append((key, start, end, weight == 2))
        j = best[j][2]
    return chain[::-1]


def _outside_longer_labels(marks: list[tuple]) -> list[tuple]:
    """The marks, less a row's words found inside a longer label found by its words (其他 in
    其他法律行政法规禁止公开 is that row's, not the row 其他)."""
    words = sorted(m for m in marks if m[4] == 2)
    starts = [w[0] for w in words]
    reach = list(itertools.accumulate((w[1] for w in words), max))   # the furthest end so far
    kept = []
    for m in marks:
        before = bisect.bisect_right(starts, m[0])
        if m[4] == 2 and before and reach[before - 1] >= m[1] and any(
                o[3] != m[3] and m[1] <= o[1] and o[1] - o[0] > m[1] - m[0] for o in words[:before]):
            continue
        kept.append(m)
    return kept


def _label_begins(words: str, ws: int, we: int, label: str) -> int:
    """The word index where a row's label begins: the words found, or before them as many of
    the words the format's label has before them as the text has too."""
    at = label.find(words[ws:we])
    if at <= 0:
        return ws
    prefix, back = label[:at], 0
    while back < len(prefix) and ws - back > 0 and words[ws - back - 1] == prefix[-back - 1]:
        back += 1
    return ws - back


def _header_spans(stream: Stream, header: lazy_re.Pattern) -> list[tuple[int, int]]:
    """Where a table's header stands (its column names, three or more close together), as
    many times as a copy repeats it."""
    spans, words, last = [], set(), None
    for ws, we, start in stream.find(header) + [(0, 0, stream.end + 1000)]:
        end = stream.offset_of_word(we - 1) + 1 if we else start
        if last is not None and (start - last[1] > _HEADER_GAP or len(stream.words_between(last[1], start)) >= 4):
            if len(words) >= 3:
                spans.append(last)
            words, last = set(), None
        words.add(stream.words[ws:we])
        last = (last[0] if last else start, end)
    return spans


def rows_of(stream: Stream, marks: list[tuple[str, int, int, bool]], header: lazy_re.Pattern | None = None) -> list[Row]:
    """Each row found with its cells: the pieces that stand together after its label, up to
    the next label (words between two numbers end a row: a label wrapped around its cells
    ends it, as does the next block's heading)."""
    rows = []
    boundary = stream.start
    for i, (key, start, label_end, _) in enumerate(marks):
        end = marks[i + 1][1] if i + 1 < len(marks) else stream.end
        line = stream.text.rfind("\n", start, end) + 1      # the next label's line, if it has no number before it
        if line > start and all(p.kind == "empty" for p in stream.pieces_between(line, end)):
            end = line
        clusters = _clusters(stream, stream.pieces_between(start, end))
        pieces = clusters[0] if clusters else []
        first = pieces[0].start if pieces else label_end
        begins = _label_start(stream.text, start, boundary)
        label = _SPACES.sub(" ", stream.text[begins:max(first, label_end)]).strip(" |")
        rows.append(Row(key=key, start=start, pieces=pieces, label=label[:40],
                         tabular=_tabular(stream, label_end, pieces, header), more=clusters[1:]))
        boundary = max(label_end, pieces[-1].end if pieces else label_end)
    return rows


def _clusters(stream: Stream, pieces: list[Piece]) -> list[list[Piece]]:
    """Pieces in runs that stand together: nothing but a unit between two of a run."""
    clusters: list[list[Piece]] = []
    for piece in pieces:
        if clusters and not _UNITS.sub("", stream.words_between(clusters[-1][-1].end, piece.start)):
            clusters[-1].append(piece)
        else:
            clusters.append([piece])
    return clusters


def _tabular(stream: Stream, label_end: int, pieces: list[Piece], header: lazy_re.Pattern | None) -> bool:
    """Whether a row's numbers are a table's cells, not prose: they stand soon after the
    label's words (a copy may repeat the table's header between them), not after a sentence
    that ends and goes on, and (one or two numbers) not followed by a unit and a comma as
    counts in a sentence are."""
    if not pieces:
        return True
    between = stream.words_between(label_end, pieces[0].start)
    between = header.sub("", between) if header is not None else between
    sentence = len(between) >= 4 and "。" in stream.text[label_end:pieces[0].start]
    in_sentence = len(pieces) < 3 and _CLAUSE_GOES_ON.match(stream.text, pieces[-1].end)
    return len(between) <= _LABEL_TAIL and not sentence and not in_sentence


def _label_start(text: str, start: int, boundary: int) -> int:
    """Where a row's label begins: its number (1. （三） 二、) just before its words."""
    number = _LABEL_OPENING.search(text, max(boundary, start - 6), start)
    return number.start() if number else start


def until_prose(stream: Stream, pieces: list[Piece], header: lazy_re.Pattern | None) -> list[Piece]:
    """The pieces up to the first words, once cells have begun, that are neither a header word
    nor a label wrapped around its cells: where the table ends and prose begins."""
    kept: list[Piece] = []
    for piece in pieces:
        if kept:
            between = stream.words_between(kept[-1].end, piece.start)
            if header is not None:
                between = header.sub("", between)
            if len(between) >= 4 or header is not None and len(between) >= 2:
                break
        kept.append(piece)
    return kept


def header_before(stream: Stream, first_row: int, header: lazy_re.Pattern) -> list[int]:
    """Where the header's words stand just before a table's first label (within 300 characters)."""
    return [t for _, _, t in stream.find(header) if first_row - _HEADER_REACH < t < first_row]


def pieces_after_header(stream: Stream, first_row: int, header: lazy_re.Pattern) -> list[Piece]:
    """The cells that stand between a table's header and its first label (numbers printed above
    that label); none where the header is not just before it."""
    before = header_before(stream, first_row, header)
    return stream.pieces_between(before[-1], first_row) if before else []
