"""Bytes to text. Charset labels on Chinese government pages are often wrong, so none is trusted:
a byte-order mark decides first, then strict UTF-8, then whichever of GB18030 and Big5 alone
decodes the bytes, and where both (or neither) do, charset-normalizer among the codecs Chinese
pages really use."""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

from .errors import ExtractError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# GB18030 is a superset of GB2312 and GBK; Big5 for traditional pages; UTF-16 without a BOM.
_CJK_CODECS = ["gb18030", "big5", "utf_16_le", "utf_16_be"]


def decode(data: bytes) -> tuple[str, str]:
    """Return (text, encoding) for a document's raw bytes; raise ExtractError if none fits."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as err:
                raise ExtractError(f"byte-order mark says {encoding} but the bytes are not: {err}")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    gb, big5 = _strict(data, "gb18030"), _strict(data, "big5")
    if gb is not None and big5 is None:
        return gb, "gb18030"
    if big5 is not None and gb is None:
        return big5, "big5"
    # both or neither decode: let the character statistics decide
    best = from_bytes(data, cp_isolation=_CJK_CODECS).best()
    if best is None:
        raise ExtractError("cannot detect the text encoding (not UTF-8, GB18030, Big5 or UTF-16)")
    encoding = "gb18030" if best.encoding in ("gb2312", "gbk") else best.encoding
    return str(best), encoding


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None
