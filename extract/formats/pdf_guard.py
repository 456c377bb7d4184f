"""Whether PDFium may be handed a PDF: a scan of its raw bytes that bounds what PDFium would
do with it, before PDFium (which inflates in C, out of reach of any budget) sees it.

Every stream in the file is inflated here, a bounded piece at a time, through each FlateDecode
of its filter chain (up to an image codec, where PDFium stops unless it renders), its output
thrown away as it comes; while they fit, a small stream's 1,032-fold bound is counted instead.
All of it counts against PdfLimits.inflated; and the bytes of every stream's final output (past
half the budget, its blanks and delimiters) bound the tokens, operators and operands, any of
them can hold, against PdfLimits.operators. PDFium is let in only when everything fits, the file
is not encrypted (its streams could not be measured), no filter is one this scan does not
follow, the page objects are few enough, and no composite font lacks a Unicode map (pdfminer's
path knows which characters are drawn in it). Anything else goes to the pdfminer path, which
counts what it does itself and refuses bombs as it always has."""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

from .. import lazy_re

_STREAM = lazy_re.compile(rb">>\s*stream")
_FILTER = lazy_re.compile(rb"/Filter\s*(\[[^\]]*\]|/[^\s/\[\]<>()]+)")
_NAME = lazy_re.compile(rb"/([^\s/\[\]<>()]+)")
_PAGE = lazy_re.compile(rb"/Type\s*/Page(?![A-Za-z])")
_IMAGE_CODECS = {b"DCTDecode", b"DCT", b"JPXDecode", b"JBIG2Decode", b"CCITTFaxDecode", b"CCF"}
_FLATE = {b"FlateDecode", b"Fl"}
_BLANKS_AND_DELIMITERS = b"\0\t\n\x0c\r ()<>[]{}/%"
_OTHER_BYTES = bytes(b for b in range(256) if b not in _BLANKS_AND_DELIMITERS)
_MAX_RATIO = 1032                # the most one FlateDecode can inflate a byte to (deflate's limit)
_PIECE = 1 << 16                 # compressed bytes handed to an inflater at a time
_OUT = 1 << 20                   # the most an inflater gives back at a time


@dataclass
class Scan:
    """What the scan found: None in `refused` when PDFium may read the file (else why not), and
    how many page objects the file holds."""
    refused: str | None
    pages: int = 0


class _Unfit(Exception):
    """The file is not one to hand to PDFium (the message says why)."""


class _Tally:
    """Inflated bytes and tokens so far, against the limits. A stream's bytes bound its tokens;
    past half the operator budget they are counted (blanks and delimiters, each ending at most
    one token), which costs a pass over the bytes."""

    def __init__(self, limits):
        self.limits, self.inflated, self.tokens = limits, 0, 0

    def inflate(self, produced: int) -> None:
        self.inflated += produced
        if self.inflated > self.limits.inflated:
            raise _Unfit("its streams inflate past the budget")

    def bound(self, most: int) -> bool:
        """Count `most` bytes (and as many tokens) for a stream not inflated, if that fits."""
        if most < 0 or self.tokens + most > self.limits.operators // 2 or self.inflated + most > self.limits.inflated:
            return False
        self.tokens += most
        self.inflated += most
        return True

    def count_tokens(self, data: bytes) -> None:
        if self.tokens + len(data) <= self.limits.operators // 2:
            self.tokens += len(data)
        else:
            self.tokens += len(data.translate(None, _OTHER_BYTES)) + 1
        if self.tokens > self.limits.operators:
            raise _Unfit("its streams may hold more tokens than the operator budget")


def scan(data: bytes, limits, max_pages: int) -> Scan:
    """Whether PDFium may read `data` within `limits` and `max_pages` pages."""
    if b"/Encrypt" in data:
        return Scan("encrypted")
    tally, objects = _Tally(limits), [data]
    try:
        for match in _STREAM.finditer(data):
            kept = _stream(data, match, tally)
            if kept is not None:
                objects.append(kept)
        pages = sum(len(_PAGE.findall(text)) for text in objects)
        if pages > max_pages:
            raise _Unfit(f"{pages} page objects")
        for text in objects:
            _check_fonts(text)
    except _Unfit as why:
        return Scan(str(why))
    return Scan(None, pages)


def _stream(data: bytes, match: re.Match, tally: _Tally) -> bytes | None:
    """Count one stream's inflated bytes and tokens; its bytes when it is an object stream
    (the dictionaries in it are scanned too)."""
    head_at = data.rfind(b"obj", 0, match.start())
    if head_at < 0:
        raise _Unfit("a stream outside any object")
    head = data[head_at:match.start() + 2]
    filters = _filters(head)
    start = _data_start(data, match.end())
    keep = b"/ObjStm" in head
    if not filters:
        end = data.find(b"endstream", start)
        body = data[start:end if end >= 0 else len(data)]
        tally.count_tokens(body)
        return body if keep else None
    if not keep and filters == 1 and tally.bound(_MAX_RATIO * (data.find(b"endstream", start) - start)):
        return None
    out = []
    produced = _inflate(memoryview(data)[start:], filters, tally, out.append if keep else tally.count_tokens)
    if not produced:
        raise _Unfit("a FlateDecode stream that does not inflate")
    if keep:
        body = b"".join(out)
        tally.count_tokens(body)
        return body
    return None


def _filters(head: bytes) -> int:
    """How many FlateDecode filters lead the stream's chain before an image codec (PDFium
    applies no image codec when it reads text); _Unfit for a filter not followed here."""
    if b"/Filter" not in head:
        return 0
    found = _FILTER.search(head)
    if found is None:
        raise _Unfit("a filter given indirectly")
    flates = 0
    for name in _NAME.findall(found.group(1)):
        if name in _IMAGE_CODECS:
            break
        if name not in _FLATE:
            raise _Unfit(f"a {name.decode(errors='replace')} filter")
        flates += 1
    return flates


def _data_start(data: bytes, at: int) -> int:
    """Where a stream's data begins: after the end of the line its keyword is on (as PDFium reads it)."""
    newline, carriage = data.find(b"\n", at), data.find(b"\r", at)
    if carriage >= 0 and (newline < 0 or carriage < newline):
        return carriage + 2 if data[carriage + 1:carriage + 2] == b"\n" else carriage + 1
    return newline + 1 if newline >= 0 else len(data)


def _inflate(source: memoryview, depth: int, tally: _Tally, sink) -> int:
    """Inflate `source` through `depth` FlateDecodes in bounded pieces, every stage's output
    counted; the last stage's pieces go to `sink`. The bytes the first stage gave."""
    stages = [zlib.decompressobj() for _ in range(depth)]
    given = [0]

    def feed(level: int, piece) -> None:
        if level == depth:
            sink(bytes(piece))
            return
        inflater = stages[level]
        while piece and not inflater.eof:
            try:
                out = inflater.decompress(piece, _OUT)
            except zlib.error:
                return                     # a damaged stream: what it gave so far is what PDFium gets
            tally.inflate(len(out))
            if level == 0:
                given[0] += len(out)
            piece = inflater.unconsumed_tail
            if out:
                feed(level + 1, out)

    for at in range(0, len(source), _PIECE):
        if stages[0].eof:
            break
        feed(0, source[at:at + _PIECE])
        if not given[0] and at > 0:
            break                          # not zlib data at all
    return given[0]


def _check_fonts(text: bytes) -> None:
    """_Unfit when a composite font's dictionary has no ToUnicode and an Identity (or indirect)
    encoding: its glyph codes say nothing of its characters."""
    for found in re.finditer(rb"/Type0(?![A-Za-z0-9])", text):
        font = _enclosing_dictionary(text, found.start())
        if b"/ToUnicode" in font:
            continue
        encoding = re.search(rb"/Encoding\s*(/[^\s/\[\]<>()]+)?", font)
        if encoding and (encoding.group(1) is None or encoding.group(1).startswith(b"/Identity")):
            raise _Unfit("a composite font without a Unicode map")


def _enclosing_dictionary(text: bytes, at: int) -> bytes:
    """The innermost << … >> around position `at` (a stretch around it where none is)."""
    depth, pos = 0, at
    while True:
        opening, closing = text.rfind(b"<<", 0, pos), text.rfind(b">>", 0, pos)
        if opening < 0:
            return text[max(0, at - 2000):at + 2000]
        if closing > opening:                 # a dictionary closed before `at`: step over it
            depth, pos = depth + 1, closing
        elif depth:
            depth, pos = depth - 1, opening
        else:
            break
    end, depth = opening + 2, 1
    while depth:
        inner, closing = text.find(b"<<", end), text.find(b">>", end)
        if closing < 0:
            return text[opening:]
        if 0 <= inner < closing:
            depth, end = depth + 1, inner + 2
        else:
            depth, end = depth - 1, closing + 2
    return text[opening:end]
