"""Bytes to text. Charset labels on Chinese government pages are often wrong, so none is trusted:
a byte-order mark decides first, then strict UTF-8, then whichever of GB18030 and Big5 alone
decodes the bytes; where neither does, the codec that fails on the fewest bytes, when they are
few (a damaged page is read, its bad bytes replaced and counted), or UTF-8 lines and the rest
in one other codec (a page in two encodings is read by parts); where both (or neither)
do, charset-normalizer among the codecs Chinese pages really use."""

from __future__ import annotations

import codecs

from . import lazy_re
from .errors import ExtractError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_XML_DECLARATION = lazy_re.compile(r"^\s*<\?xml[^>]*\?>")
# GB18030 is a superset of GB2312 and GBK; Big5 for traditional pages; UTF-16 without a BOM.
_CJK_CODECS = ["gb18030", "big5", "utf_16_le", "utf_16_be"]


def decode(data: bytes) -> tuple[str, str]:
    """Return (text, encoding) for a document's raw bytes; raise ExtractError if none fits."""
    text, encoding, _ = decode_with_damage(data)
    return text, encoding


def html_tree(data: bytes):
    """An HTML page's text (decoded by its bytes, not its label) and its lxml tree (None where
    nothing can be parsed)."""
    text, root, _ = read_html(data)
    return text, root


def read_html(data: bytes):
    """html_tree's text and tree, and the encoding the bytes were read in (None where none fits
    and they were read as UTF-8 with replacements)."""
    from lxml import etree

    try:
        text, encoding = decode(data)
    except (ValueError, ExtractError):
        text, encoding = data.decode("utf-8", "replace"), None
    try:
        parser = etree.HTMLParser(no_network=True, remove_comments=True)
        return text, etree.fromstring(_XML_DECLARATION.sub("", text), parser), encoding
    except (etree.ParserError, ValueError):
        return text, None, encoding


def decode_with_damage(data: bytes) -> tuple[str, str, int]:
    """(text, encoding, bytes that could not be decoded): a document damaged in a few places
    (one invalid byte, a last character cut in half) is decoded by the codec that fits all but
    those bytes, each replaced by U+FFFD, rather than lost."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding, 0
            except UnicodeDecodeError as err:
                raise ExtractError(f"byte-order mark says {encoding} but the bytes are not: {err}")
    try:
        return data.decode("utf-8"), "utf-8", 0
    except UnicodeDecodeError:
        pass
    damaged = _few_errors(data, ("utf-8",))     # UTF-8's structure makes other texts fail all over
    if damaged:
        return damaged
    gb, big5 = _strict(data, "gb18030"), _strict(data, "big5")
    if gb is not None and big5 is None:
        return gb, "gb18030", 0
    if big5 is not None and gb is None:
        return big5, "big5", 0
    if gb is None and big5 is None:
        damaged = _few_errors(data, ("gb18030", "big5"))
        if damaged:
            return damaged
    if gb is None and big5 is None:
        parts = _by_parts(data)
        if parts:
            return parts
    # both or neither decode: let the character statistics decide
    from charset_normalizer import from_bytes     # only where the codecs leave it open

    best = from_bytes(data, cp_isolation=_CJK_CODECS).best()
    if best is None:
        raise ExtractError("cannot detect the text encoding (not UTF-8, GB18030, Big5 or UTF-16)")
    encoding = "gb18030" if best.encoding in ("gb2312", "gbk") else best.encoding
    return str(best), encoding, 0


def _few_errors(data: bytes, encodings: tuple[str, ...]) -> tuple[str, str, int] | None:
    """Of these codecs, the one under which the fewest bytes fail, when they are few (at most 1
    in 200, and at most 200): the document with those bytes replaced. A codec is given up as
    soon as it fails on more than that, so a page in another encoding costs little."""
    limit = min(200, len(data) // 200 + 1)
    results = []
    for encoding in encodings:
        bad = [0]

        def count(error: UnicodeDecodeError, bad=bad):
            bad[0] += error.end - error.start
            if bad[0] > limit:
                raise _TooDamaged
            return "\ufffd", error.end

        codecs.register_error("xxgk-count", count)
        try:
            text = data.decode(encoding, errors="xxgk-count")
        except _TooDamaged:
            continue
        results.append((bad[0], encoding, text))
    results.sort(key=lambda r: r[0])
    if not results or not results[0][0]:
        return None
    bad, encoding, text = results[0]
    if len(results) > 1 and results[1][0] == bad:     # a tie: the characters' statistics decide
        from charset_normalizer import from_bytes

        clean = text.replace("\ufffd", "").encode(encoding, errors="ignore")
        best = from_bytes(clean, cp_isolation=[r[1] for r in results if r[0] == bad]).best()
        if best is not None and best.encoding in ("big5", "big5hkscs") and encoding != "big5":
            encoding, text = "big5", next(r[2] for r in results if r[1] == "big5")
    return text, encoding, bad


def _by_parts(data: bytes) -> tuple[str, str, int] | None:
    """A text in two encodings (a GBK page with a UTF-8 part pasted in): each line's UTF-8 end
    (all of it, or what follows its last byte that is not UTF-8) as UTF-8 when it holds Chinese,
    the rest together as whatever one encoding it is in (bad bytes replaced and counted); None
    when no part is such UTF-8."""
    parts: list[tuple[bytes, bool]] = []
    for line in data.splitlines(keepends=True):
        cut = _after_last_invalid_utf8(line)
        if cut < len(line) and not line[cut:].isascii():
            parts += [(line[:cut], False), (line[cut:], True)] if cut else [(line, True)]
        else:
            parts.append((line, False))
    if not any(is_utf8 for _, is_utf8 in parts) or all(is_utf8 for _, is_utf8 in parts):
        return None
    try:
        _, encoding, bad = decode_with_damage(b"".join(part for part, is_utf8 in parts if not is_utf8))
    except ExtractError:
        return None
    text = "".join(part.decode("utf-8" if is_utf8 else encoding, errors="replace") for part, is_utf8 in parts)
    return text, f"utf-8+{encoding}", bad


def _after_last_invalid_utf8(line: bytes) -> int:
    """Where the bytes after the line's last invalid UTF-8 sequence begin (0 when all is UTF-8)."""
    end = [0]

    def mark(error: UnicodeDecodeError):
        end[0] = error.end
        return "", error.end

    codecs.register_error("xxgk-mark", mark)
    line.decode("utf-8", errors="xxgk-mark")
    return end[0]


class _TooDamaged(Exception):
    """Raised from the counting error handler once a codec fails on too many bytes."""


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None
