"""A PDF's pages read with PDFium (pypdfium2): every character with its box and the page's
ruling lines from its path objects, laid out into the same text lines and ruled tables
pdfplumber gives (extract_text_lines(layout=False) after dedupe_chars(tolerance=1); find_tables()
with its default "lines" settings, and Table.extract()), at PDFium's pace.

A character is a tuple (top, bottom, x0, x1, text, index), in points from the page's top; one
PDFium can only read as its glyph code (its font has no Unicode map) is UNREADABLE_CHAR. Text is
laid out left to right, top to bottom: what these reports print."""

from __future__ import annotations

import ctypes
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter

import pypdfium2
import pypdfium2.raw as pdfium

UNREADABLE_CHAR = "\ufffd"
_TOLERANCE = 3       # pdfplumber's word and line tolerances, and its tables' snap, join and intersection ones
_LIGATURES = {"ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl", "ﬁ": "fi", "ﬂ": "fl", "ﬆ": "st", "ﬅ": "st"}   # pdfplumber's


def _prototype(function, restype, *argtypes):
    """PDFium's `function` called with plain integers for its handles: cheaper than pypdfium2's
    own binding, which checks each handle's type (these are called per character and segment)."""
    return ctypes.CFUNCTYPE(restype, *argtypes)(ctypes.cast(function, ctypes.c_void_p).value)


_HANDLE, _INT = ctypes.c_void_p, ctypes.c_int
_IDENTITY = (1, 0, 0, 1, 0, 0)
_TOP, _LEFT, _INDEX = itemgetter(0), itemgetter(2), itemgetter(5)
_SECOND = itemgetter(1)
_TOP_LEFT, _TEXT_TOP, _LEFT_INDEX = itemgetter(0, 2), itemgetter(4, 0), itemgetter(2, 5)
_MOVETO, _BEZIERTO = pdfium.FPDF_SEGMENT_MOVETO, pdfium.FPDF_SEGMENT_BEZIERTO
_IMAGES, _TEXTS, _PATHS, _FORMS = pdfium.FPDF_PAGEOBJ_IMAGE, pdfium.FPDF_PAGEOBJ_TEXT, pdfium.FPDF_PAGEOBJ_PATH, \
    pdfium.FPDF_PAGEOBJ_FORM
_char_box = _prototype(pdfium.FPDFText_GetLooseCharBox, _INT, _HANDLE, _INT, _HANDLE)
_map_error = _prototype(pdfium.FPDFText_HasUnicodeMapError, _INT, _HANDLE, _INT)
_generated = _prototype(pdfium.FPDFText_IsGenerated, _INT, _HANDLE, _INT)
_font_size = _prototype(pdfium.FPDFText_GetFontSize, ctypes.c_double, _HANDLE, _INT)
_count_objects = _prototype(pdfium.FPDFPage_CountObjects, _INT, _HANDLE)
_page_object = _prototype(pdfium.FPDFPage_GetObject, _HANDLE, _HANDLE, _INT)
_count_form_objects = _prototype(pdfium.FPDFFormObj_CountObjects, _INT, _HANDLE)
_form_object = _prototype(pdfium.FPDFFormObj_GetObject, _HANDLE, _HANDLE, _INT)
_object_type = _prototype(pdfium.FPDFPageObj_GetType, _INT, _HANDLE)
_object_matrix = _prototype(pdfium.FPDFPageObj_GetMatrix, _INT, _HANDLE, _HANDLE)
_count_segments = _prototype(pdfium.FPDFPath_CountSegments, _INT, _HANDLE)
_segment = _prototype(pdfium.FPDFPath_GetPathSegment, _HANDLE, _HANDLE, _INT)
_segment_type = _prototype(pdfium.FPDFPathSegment_GetType, _INT, _HANDLE)
_segment_point = _prototype(pdfium.FPDFPathSegment_GetPoint, _INT, _HANDLE, _HANDLE, _HANDLE)
_segment_closes = _prototype(pdfium.FPDFPathSegment_GetClose, _INT, _HANDLE)


def _address(handle) -> int:
    return ctypes.cast(handle, ctypes.c_void_p).value


@dataclass
class Line:
    """A line of text: its words joined by single spaces, its top, right end and characters."""
    text: str
    top: float
    x1: float
    chars: list


@dataclass
class Table:
    """A ruled table: its box and its rows, each a list of cell boxes (x0, top, x1, bottom), None
    in the slots a merged cell above or to the left covers; `texts` maps a cell box to its text."""
    bbox: tuple
    rows: list
    texts: dict


@dataclass
class Page:
    """One page as read: its tables, its text lines outside them, whether it holds images, and
    how many characters it has and how many had no Unicode map."""
    lines: list
    tables: list
    images: bool
    chars: int
    unmapped: int
    width: float
    font_size: object        # a character -> its font size, asked of PDFium while the page is open


class Unsupported(Exception):
    """A page this reading would not lay out as pdfplumber does (a rotated page, text set
    sideways): the document is read on the pdfminer path."""


def open_document(data: bytes) -> pypdfium2.PdfDocument:
    """The document (PdfiumError when PDFium cannot read it)."""
    return pypdfium2.PdfDocument(data)


def read_page(document: pypdfium2.PdfDocument, index: int, layout):
    """`layout(Page)` for page `index` (from 0), called while PDFium holds the page."""
    page = document[index]
    textpage = None
    try:
        if page.get_rotation():
            raise Unsupported("a rotated page")
        height = pdfium.FPDF_GetPageHeightF(page.raw)
        textpage = page.get_textpage()
        text_handle = _address(textpage.raw)
        chars, unmapped = _chars(textpage.raw, text_handle, height)
        edges, images = _edges_and_images(_address(page.raw), height)
        count, chars = len(chars), _deduplicated(chars)
        tables = _tables(edges, chars) if edges else []
        boxes = [table.bbox for table in tables]
        outside = _outside(chars, boxes) if boxes else chars
        return layout(Page(lines(outside), tables, images, count, unmapped,
                           pdfium.FPDF_GetPageWidthF(page.raw), lambda char: _font_size(text_handle, char[5])))
    finally:
        if textpage is not None:
            textpage.close()
        page.close()


# --- characters and lines ----------------------------------------------------------------------

def _chars(textpage, handle: int, height: float) -> tuple[list, int]:
    """The page's characters in drawing order, PDFium's own spaces and line breaks left out, and
    how many of them had no Unicode map."""
    count = pdfium.FPDFText_CountChars(textpage)
    buffer = (ctypes.c_ushort * (count + 1))()
    pdfium.FPDFText_GetText(textpage, 0, count, buffer)
    text = bytes(buffer)[:count * 2].decode("utf-16-le", errors="replace")
    if len(text) != count:                 # a character outside the BMP: one at a time
        text = "".join(chr(pdfium.FPDFText_GetUnicode(textpage, i)) for i in range(count))
    box = pdfium.FS_RECTF()
    where = ctypes.addressof(box)
    chars, unmapped = [], 0
    for i, char in enumerate(text):
        if char.isspace() and _generated(handle, i):
            continue
        if not _char_box(handle, i, where):
            continue
        if _map_error(handle, i):
            char, unmapped = UNREADABLE_CHAR, unmapped + 1
        chars.append((height - box.top, height - box.bottom, box.left, box.right, char, i))
    return chars, unmapped


def _deduplicated(chars: list) -> list:
    """Without the doubles of fake-bold printing: characters with the same text within 1 pt of
    each other down and across (chained), of which the topmost, then leftmost, is kept (the
    groups pdfplumber's dedupe_chars(tolerance=1) makes)."""
    doubles: set = set()
    ordered = sorted(chars, key=_TEXT_TOP)
    run: list = []
    for before, char in zip(ordered, ordered[1:]):
        if char[4] == before[4] and char[0] - before[0] <= 1:
            run += [char] if run else [before, char]
        elif run:
            _note_doubles(run, doubles)
            run = []
    if run:
        _note_doubles(run, doubles)
    return [c for c in chars if id(c) not in doubles] if doubles else chars


def _note_doubles(row: list, doubles: set) -> None:
    """Of characters alike and level, those within 1 pt across of the next (chained): all but the
    topmost, then leftmost, of each such group into `doubles` (by id)."""
    row = sorted(row, key=_LEFT)
    group = row[:1]
    for char in row[1:] + [None]:
        if char is not None and char[2] - group[-1][2] <= 1:
            group.append(char)
            continue
        if len(group) > 1:
            keep = min(group, key=_TOP_LEFT)
            doubles.update(id(c) for c in group if c is not keep)
        group = [char]


def _clustered(items: list, key, tolerance: float) -> list[list]:
    """pdfplumber's cluster_objects: items grouped by values within `tolerance` of the next
    (chained), the groups in ascending order, each keeping its items' order."""
    ids = _cluster_ids(map(key, items), tolerance)
    return [list(group) for _, group in groupby(sorted(items, key=lambda item: ids[key(item)]),
                                                  key=lambda item: ids[key(item)])]


def _cluster_ids(values, tolerance: float) -> dict:
    """Each distinct value -> the number of its cluster (values within `tolerance`, chained)."""
    ids, number, last = {}, -1, None
    for value in sorted(set(values)):
        if last is None or value > last + tolerance:
            number += 1
        ids[value], last = number, value
    return ids


def lines(chars: list) -> list[Line]:
    """The characters as lines of words (pdfplumber's extract_text_lines(layout=False))."""
    if not chars:
        return []
    tops = [c[0] for c in chars]
    if max(tops) - min(tops) <= _TOLERANCE:       # one row (most table cells): no clustering to do
        words = _words(chars)
    else:
        words = [word for row in _clustered(chars, _TOP, _TOLERANCE) for word in _words(row)]
    ids = _cluster_ids((word[0] for word in words), _TOLERANCE)
    out = []
    for _, group in groupby(words, key=lambda word: ids[word[0]]):
        group = list(group)
        text = " ".join("".join(_LIGATURES.get(c[4], c[4]) for c in word[1]) for word in group)
        out.append(Line(text, min(word[0] for word in group), max(c[3] for word in group for c in word[1]),
                        [c for word in group for c in word[1]]))
    return out


def _words(row: list) -> list[tuple]:
    """A row's characters as words, left to right: (top, chars) each; a blank or a gap of
    more than 3 pt ends a word."""
    words, word = [], []
    for char in sorted(row, key=_LEFT):
        if char[4].isspace():
            if word:
                words.append(word)
            word = []
        elif word and (char[2] < word[-1][2] or char[2] > word[-1][3] + _TOLERANCE
                       or abs(char[0] - word[-1][0]) > _TOLERANCE):
            words.append(word)
            word = [char]
        else:
            word.append(char)
    if word:
        words.append(word)
    return [(min(c[0] for c in w), w) for w in words]


def _outside(chars: list, boxes: list) -> list:
    """The characters not wholly inside any of the boxes (with 1 pt to spare)."""
    wide = [(x0 - 1, top - 1, x1 + 1, bottom + 1) for x0, top, x1, bottom in boxes]
    out = []
    for char in chars:
        for x0, top, x1, bottom in wide:
            if char[2] >= x0 and char[3] <= x1 and char[0] >= top and char[1] <= bottom:
                break
        else:
            out.append(char)
    return out


# --- ruling lines ---------------------------------------------------------------------------------

def _edges_and_images(page: int, height: float) -> tuple[tuple[list, list], bool]:
    """The page's horizontal and vertical edges ((y, x0, x1) and (x, top, bottom)) from its path
    objects, as pdfplumber makes them of lines, rectangles and curves; and whether any image is
    drawn. Form XObjects are entered; text set sideways is Unsupported."""
    horizontal, vertical = [], []
    images = False
    matrix, point = pdfium.FS_MATRIX(), (ctypes.c_float(), ctypes.c_float())
    where = ctypes.addressof(matrix)
    stack = [(_page_object(page, i), _IDENTITY) for i in reversed(range(_count_objects(page)))]
    while stack:
        obj, parent = stack.pop()
        kind = _object_type(obj)
        if kind == _IMAGES:
            images = True
        elif kind == _TEXTS:
            _object_matrix(obj, where)
            a, b, c, d = matrix.a, matrix.b, matrix.c, matrix.d
            if parent is not _IDENTITY:
                a, b, c, d = _times((a, b, c, d, 0, 0), parent)[:4]
            if not (a * d > 0 and b * c <= 0):                   # pdfminer's test of upright text
                raise Unsupported("text set sideways")
        elif kind in (_PATHS, _FORMS):
            _object_matrix(obj, where)
            own = (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f)
            if parent is not _IDENTITY:
                own = _times(own, parent)
            if kind == _FORMS:
                stack += [(_form_object(obj, i), own) for i in reversed(range(_count_form_objects(obj)))]
            else:
                for subpath in _subpaths(obj, own, height, point):
                    _add_edges(subpath, horizontal, vertical)
    return (horizontal, vertical) if horizontal or vertical else None, images


def _times(m, n) -> tuple:
    """The matrix m then n (PDF's row-vector convention)."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s, e * p + f * r + t, e * q + f * s + u)


def _subpaths(path: int, m, height: float, point: tuple) -> list[list]:
    """A path object's subpaths as lists of points (x, top) on the page: each segment's end point
    (a curve's control points left out, as pdfminer does), a closing segment back to the start.
    `point`: two ctypes floats PDFium writes a segment's point into."""
    x, y = point
    at_x, at_y = ctypes.addressof(x), ctypes.addressof(y)
    a, b, c, d, e, f = m
    plain = (a, b, c, d) == (1, 0, 0, 1)               # moved at most: most paths
    subpaths, points, bezier, last = [], [], 0, None
    for i in range(_count_segments(path)):
        segment = _segment(path, i)
        kind = _segment_type(segment)
        if kind == _MOVETO:
            if len(points) > 1:
                subpaths.append(_closed(points, last))
            points, bezier = [], 0
        elif kind == _BEZIERTO:
            bezier += 1
            if bezier % 3:
                continue
        last = segment
        _segment_point(segment, at_x, at_y)
        if plain:
            points.append((x.value + e, height - (y.value + f)))
        else:
            px, py = x.value, y.value
            points.append((a * px + c * py + e, height - (b * px + d * py + f)))
    if len(points) > 1:
        subpaths.append(_closed(points, last))
    return subpaths


def _closed(points: list, last: int) -> list:
    """The subpath's points, back at its start where its last segment closes it."""
    if _segment_closes(last):
        points.append(points[0])
    return points


def _add_edges(points: list, horizontal: list, vertical: list) -> None:
    """pdfplumber's edges of one subpath: a single segment is an edge whatever its slope (upright
    unless level); a longer path gives its level and upright segments."""
    if len(points) > 2 and points[-1] == points[-2] == points[0]:
        points = points[:-1]                          # a closing segment drawn twice
    if len(points) == 2 or (len(points) == 3 and points[2] == points[0]):
        (x0, y0), (x1, y1) = points[:2]
        if y0 != y1 and x0 != x1:                     # slanted: upright, at its left end
            vertical.append((min(x0, x1), min(y0, y1), max(y0, y1)))
            return
        points = points[:2]
    x0, y0 = points[0]
    for x1, y1 in points[1:]:
        if x0 == x1:
            vertical.append((x0, y0, y1) if y0 < y1 else (x0, y1, y0))
        elif y0 == y1:
            horizontal.append((y0, x0, x1) if x0 < x1 else (y0, x1, x0))
        x0, y0 = x1, y1


# --- ruled tables -----------------------------------------------------------------------------------

def _tables(edges: tuple[list, list], chars: list) -> list[Table]:
    """pdfplumber's find_tables() and Table.extract() with the default "lines" settings."""
    horizontal, vertical = (_merged([e for e in group if e[2] - e[1] >= 1]) for group in edges)
    horizontal = [e for e in horizontal if e[2] - e[1] >= _TOLERANCE]
    vertical = [e for e in vertical if e[2] - e[1] >= _TOLERANCE]
    cells = _cells(_intersections(horizontal, vertical))
    middles = sorted(((c[0] + c[1]) / 2, (c[2] + c[3]) / 2, c) for c in chars)
    tables = []
    for group in _grouped(cells):
        rows = _rows(group)
        bbox = (min(c[0] for c in group), min(c[1] for c in group), max(c[2] for c in group), max(c[3] for c in group))
        tables.append(Table(bbox, rows, _cell_texts(group, middles)))
    return tables


def _merged(edges: list) -> list:
    """Edges snapped to their cluster's mean position (within 3 pt of the next, chained), then
    those of a cluster joined where they touch or lie within 3 pt (pdfplumber's merge_edges)."""
    edges = sorted(edges)
    joined, start = [], 0
    for end in range(1, len(edges) + 1):
        if end < len(edges) and edges[end][0] <= edges[end - 1][0] + _TOLERANCE:
            continue
        cluster = edges[start:end]
        mean = sum(e[0] for e in cluster) / len(cluster)
        current = None
        for _, low, high in sorted(cluster, key=_SECOND):
            if current and low <= current[2] + _TOLERANCE:
                if high > current[2]:
                    current = (mean, current[1], high)
            else:
                if current:
                    joined.append(current)
                current = (mean, low, high)
        joined.append(current)
        start = end
    return joined


def _intersections(horizontal: list, vertical: list) -> dict:
    """Each point (x, y) where an upright edge meets a level one (within 3 pt) -> the sets of
    upright and level edges through it."""
    points: dict = {}
    by_x = sorted(vertical)
    for h_y, h_x0, h_x1 in sorted(horizontal):
        start = bisect_left(by_x, (h_x0 - _TOLERANCE,))
        stop = bisect_right(by_x, (h_x1 + _TOLERANCE, float("inf"), float("inf")))
        for v in by_x[start:stop]:
            if v[1] <= h_y + _TOLERANCE and v[2] >= h_y - _TOLERANCE:
                ups, levels = points.setdefault((v[0], h_y), (set(), set()))
                ups.add(v)
                levels.add((h_y, h_x0, h_x1))
    return dict(sorted(points.items()))


def _cells(points: dict) -> list[tuple]:
    """The smallest rectangle from each intersection whose four sides are edges
    (pdfplumber's intersections_to_cells)."""
    column: dict = {}
    row: dict = {}
    for point in points:                       # sorted by x, then y
        column.setdefault(point[0], []).append(point)
        row.setdefault(point[1], []).append(point)
    after = {}
    for line in column.values():
        after.update((point, n + 1) for n, point in enumerate(line))
    across = {}
    for line in row.values():
        across.update((point, n + 1) for n, point in enumerate(line))
    cells = []
    for point in points:
        x, y = point
        cell = _smallest_cell(points, point, column[x][after[point]:], row[y][across[point]:])
        if cell:
            cells.append(cell)
    return cells


def _smallest_cell(points: dict, point, below: list, right: list):
    """The cell whose top left corner is `point`: the nearest points below and to the right it
    shares an edge with, closed by a fourth corner that shares edges with both."""
    ups, levels = points[point]
    for down in below:
        if ups.isdisjoint(points[down][0]):
            continue
        for across in right:
            if levels.isdisjoint(points[across][1]):
                continue
            corner = (across[0], down[1])
            if corner in points and not points[corner][0].isdisjoint(points[across][0]) \
                    and not points[corner][1].isdisjoint(points[down][1]):
                return point[0], point[1], corner[0], corner[1]
    return None


def _grouped(cells: list) -> list[list]:
    """The cells as tables: groups that share corners, found as pdfplumber's cells_to_tables
    does; top to bottom, single cells left out."""
    remaining, tables = list(cells), []
    current, corners = [], set()
    while remaining:
        before = len(current)
        for cell in list(remaining):
            x0, top, x1, bottom = cell
            own = ((x0, top), (x0, bottom), (x1, top), (x1, bottom))
            if not current or not corners.isdisjoint(own):
                corners.update(own)
                current.append(cell)
                remaining.remove(cell)
        if len(current) == before:
            tables.append(current)
            current, corners = [], set()
    if current:
        tables.append(current)
    tables.sort(key=lambda t: min((c[1], c[0]) for c in t))
    return [t for t in tables if len(t) > 1]


def _rows(cells: list) -> list[list]:
    """The table's rows, top to bottom: a slot for every column's left edge, None where no cell
    starts there in that row."""
    lefts = sorted({c[0] for c in cells})
    rows = []
    for _, group in groupby(sorted(cells, key=lambda c: (c[1], c[0])), key=lambda c: c[1]):
        starts = {c[0]: c for c in group}
        rows.append([starts.get(x) for x in lefts])
    return rows


def _cell_texts(cells: list, middles: list) -> dict:
    """Each cell's text: the characters whose middle lies in it, as lines joined by newlines
    (`middles`: (down, across, character) for the page's characters, in order)."""
    downs = [m[0] for m in middles]
    texts = {}
    for (top, bottom), band in groupby(sorted(cells, key=lambda c: (c[1], c[3])), key=lambda c: (c[1], c[3])):
        across = sorted(middles[bisect_left(downs, top):bisect_left(downs, bottom)], key=_SECOND)
        lefts, found = [m[1] for m in across], [m[2] for m in across]
        for cell in band:
            texts[cell] = _text(found[bisect_left(lefts, cell[0]):bisect_left(lefts, cell[2])])
    return texts


def _text(chars: list) -> str:
    """The characters' text, lines joined by newlines (one row, as most cells hold, directly)."""
    if len(chars) < 2:
        text = chars[0][4] if chars else ""
        return "" if text.isspace() else _LIGATURES.get(text, text)
    tops = [c[0] for c in chars]
    if max(tops) - min(tops) > _TOLERANCE:
        chars.sort(key=_INDEX)                    # drawing order, as pdfplumber keeps it
        return "\n".join(line.text for line in lines(chars))
    chars.sort(key=_LEFT_INDEX)
    out, last = [], None
    for char in chars:
        text = char[4]
        if text.isspace():
            last = None
            continue
        if out and (last is None or char[2] < last[2] or char[2] > last[3] + _TOLERANCE
                    or abs(char[0] - last[0]) > _TOLERANCE):
            out.append(" ")
        out.append(_LIGATURES.get(text, text))
        last = char
    return "".join(out)
