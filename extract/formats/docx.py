"""A DOCX report → its text (paragraphs and table rows in document order) and its tables as
grids. Merged cells (gridSpan, vMerge) stand in every grid slot they cover, the grid's own
convention; text is read as python-docx reads it (runs and hyperlinks' runs; w:tab and w:ptab a
tab, a text-wrapping w:br and w:cr a line break, w:noBreakHyphen a hyphen).

A DOCX is a ZIP whose sizes can lie: its declared sizes are checked first (an honest zip bomb is
refused unopened), then word/document.xml is inflated a piece at a time with a running count of
the bytes it really gives, and read with lxml's iterparse: each top-level paragraph, and each row
of a top-level table, is dropped once read, so hundreds of MB of XML cost time, not memory.
Entities are never resolved and nothing is fetched (no external entities)."""

from __future__ import annotations

import io
import zipfile
import zlib

from lxml import etree

from ..errors import ExtractError
from ..tables.grid import Grid, cell_text

MAX_UNPACKED = 200 * 1024 * 1024
_MAX_RATIO = 200
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_BODY, _P, _TBL, _TR, _TC, _R = (_W + t for t in ("body", "p", "tbl", "tr", "tc", "r"))
_RUN_PARTS = tuple(_W + t for t in ("br", "cr", "noBreakHyphen", "ptab", "t", "tab"))
_AS_TEXT = {_W + "cr": "\n", _W + "noBreakHyphen": "-", _W + "ptab": "\t", _W + "tab": "\t"}


class _TooLarge(Exception):
    pass


def read_docx(data: bytes) -> tuple[str, list[Grid]]:
    """The document's text and its tables; ExtractError for a broken or hostile file."""
    _check_container(data)
    lines, grids, table = [], [], None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as container, container.open("word/document.xml") as member:
            events = etree.iterparse(_Counted(member, MAX_UNPACKED), events=("end",), tag=(_P, _TR, _TBL),
                                     resolve_entities=False, no_network=True, load_dtd=False)
            for _, element in events:
                parent = element.getparent()
                if element.tag == _TR:
                    if parent is not None and _top_level(parent):
                        table = table if table is not None and table.element is parent else _Table(parent)
                        table.add_row(element)
                        _drop(element)
                elif _top_level(element):
                    if element.tag == _P:
                        lines.append(_paragraph_text(element))
                    else:
                        grid, table_lines = (table or _Table(element)).finish(f"table {len(grids) + 1}")
                        grids.append(grid)
                        lines += table_lines
                        table = None
                    _drop(element)
    except _TooLarge:
        raise ExtractError(f"the DOCX's document.xml inflates past {MAX_UNPACKED} bytes: refused as a zip bomb") \
            from None
    except KeyError:
        raise ExtractError("unreadable DOCX: it has no word/document.xml") from None
    except (etree.XMLSyntaxError, zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError,
            NotImplementedError, RuntimeError) as err:
        raise ExtractError(f"unreadable DOCX: {type(err).__name__}: {err}") from None
    return "\n".join(lines), grids


class _Table:
    """A top-level table read a row at a time: its grid, and its rows as lines of text (each
    merged cell once, in the row where it starts)."""

    def __init__(self, element):
        self.element = element
        self.rows: list[list[str]] = []
        self.lines: list[str] = []
        self.above: dict[int, tuple[int, str]] = {}      # grid column → (cell, text) in the row above

    def add_row(self, tr) -> None:
        column, cells, here = _grid_before(tr), [], {}
        for number, tc in enumerate(tr.iterchildren(_TC)):
            span = _grid_span(tc)
            for k in range(span):
                above = self.above.get(column + k) if _continues(tc) else None
                cell = above or ((len(self.rows), number), "\n".join(_paragraph_text(p) for p in tc.iterchildren(_P)))
                here[column + k] = cell
                cells.append(cell)
            column += span
        self.above = here
        self.rows.append([cell_text(text) for _, text in cells])
        line, previous = [], None
        for cell, text in cells:
            if cell != previous and text.strip():
                line.append(cell_text(text))
            previous = cell
        if line:
            self.lines.append(" ".join(line))

    def finish(self, source: str) -> tuple[Grid, list[str]]:
        return Grid(rows=self.rows, source=source), self.lines


def _paragraph_text(p) -> str:
    parts = []
    for child in p.iterchildren(_R, _W + "hyperlink"):
        for run in ([child] if child.tag == _R else child.iterchildren(_R)):
            for part in run.iterchildren(*_RUN_PARTS):
                if part.tag == _W + "t":
                    parts.append(part.text or "")
                elif part.tag == _W + "br":
                    parts.append("\n" if part.get(_W + "type", "textWrapping") == "textWrapping" else "")
                else:
                    parts.append(_AS_TEXT[part.tag])
    return "".join(parts)


def _top_level(element) -> bool:
    parent = element.getparent()
    return parent is not None and parent.tag == _BODY


def _drop(element) -> None:
    """Free what iterparse has built so far of this element and the siblings before it."""
    element.clear(keep_tail=True)
    parent = element.getparent()
    while element.getprevious() is not None:
        del parent[0]


def _property(element, path: str) -> str | None:
    found = element.find(path)
    return None if found is None else found.get(_W + "val", "")


def _number(value: str | None, default: int) -> int:
    return int(value) if value and value.isdigit() else default


def _grid_before(tr) -> int:
    return _number(_property(tr, f"{_W}trPr/{_W}gridBefore"), 0)


def _grid_span(tc) -> int:
    return max(1, _number(_property(tc, f"{_W}tcPr/{_W}gridSpan"), 1))


def _continues(tc) -> bool:
    """A cell that continues the vertical merge of the cell above (w:vMerge without "restart")."""
    merge = _property(tc, f"{_W}tcPr/{_W}vMerge")
    return merge is not None and merge != "restart"


class _Counted:
    """A ZIP member's stream that stops past `limit` inflated bytes, whatever the ZIP declared."""

    def __init__(self, stream, limit: int):
        self.stream, self.left = stream, limit

    def read(self, n: int = 64 * 1024) -> bytes:
        data = self.stream.read(n if n and n > 0 else 64 * 1024)
        self.left -= len(data)
        if self.left < 0:
            raise _TooLarge()
        return data


def _check_container(data: bytes) -> None:
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as err:
        raise ExtractError(f"unreadable DOCX: {err}") from None
    unpacked = sum(m.file_size for m in members)
    packed = sum(m.compress_size for m in members) or 1
    if unpacked > MAX_UNPACKED or unpacked / packed > _MAX_RATIO and unpacked > 10 * 1024 * 1024:
        raise ExtractError(f"the DOCX would unpack to {unpacked} bytes from {packed}: refused as a zip bomb")
