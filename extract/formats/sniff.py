"""What a document is, told by its bytes first and its name or media type second (attachments
arrive as .doc that are DOCX, .wps that are Word or Works files, pages served as octet-stream)."""

from __future__ import annotations

import io
import re
from pathlib import Path

from .. import lazy_re
from ..errors import ExtractError

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SUFFIXES = {".txt": "text", ".html": "html", ".htm": "html", ".shtml": "html", ".xhtml": "html",
             ".pdf": "pdf", ".docx": "docx", ".doc": "word", ".wps": "word", ".rtf": "word"}
_LOOKS_HTML = lazy_re.compile(rb"^\s*(?:<!DOCTYPE\s+html|<html|<head|<body|<meta|<div|<p[\s>]|<table)", re.I)
# Markup inside a file that says it is text (a page saved as .txt, served as text/plain): the
# content decides. Five tags of a page's body, a closing one among them.
_TAG = lazy_re.compile(rb"<(/?)(?:html|head|body|div|p|span|table|tbody|tr|td|th|br|meta|font|strong|h[1-6])\b[^<>]{0,300}>", re.I)
_MARKUP_TAGS = 5
READABLE = "text, HTML, PDF, DOCX, DOC, WPS, RTF and JPG/PNG/TIFF/BMP scans"
# Images (scanned pages, read by OCR), told by their magic bytes.
_IMAGES = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"II*\x00", b"MM\x00*", b"BM")


def sniff(data: bytes, name: str, media_type: str | None = None) -> str:
    """One of text, html, pdf, docx, word (DOC, WPS or RTF: for LibreOffice), image (for OCR);
    ExtractError for anything else (spreadsheets, archives)."""
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data.startswith(_IMAGES) and (not data.startswith(b"BM") or _bmp(data)):
        return "image"
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data, name)
    if data.startswith(OLE2):
        return _ole_kind(data)
    if data.lstrip()[:5] == b"{\\rtf":
        return "word"
    if media_type:
        if "html" in media_type:
            return "html"
        if media_type.startswith("text/"):
            return "html" if _markup(data) else "text"
    suffix = Path(name.split("?")[0]).suffix.lower()
    kind = _SUFFIXES.get(suffix)
    if kind == "text" and _markup(data):
        return "html"
    if kind in ("text", "html"):
        return kind
    if _LOOKS_HTML.match(head):
        return "html"
    if kind:
        raise ExtractError(f"the file is named {suffix} but its bytes are not a {suffix[1:].upper()} document")
    raise ExtractError(f"unsupported document type {suffix or '(no suffix)'}; xxgk reads {READABLE}")


def _bmp(data: bytes) -> bool:
    """Whether bytes that start "BM" are a bitmap: its header gives the file's size and a pixel
    offset inside it."""
    return len(data) > 26 and int.from_bytes(data[10:14], "little") < len(data) and data[14] in (12, 40, 52, 56, 108, 124)


def _markup(data: bytes) -> bool:
    """Whether a document that says it is text is an HTML page: tags of a page's body, five or
    more in its first 64 KiB, a closing one among them."""
    tags = _TAG.findall(data[:65536])
    return len(tags) >= _MARKUP_TAGS and any(closing for closing in tags)


def _zip_kind(data: bytes, name: str) -> str:
    import zipfile

    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, OSError, ValueError) as err:
        raise ExtractError(f"a broken ZIP container (DOCX?): {err}") from None
    if "word/document.xml" in names:
        return "docx"
    if any(n.startswith("xl/") for n in names):
        raise ExtractError("a spreadsheet (XLSX), not a report document")
    raise ExtractError("a ZIP archive, not a report document; unpack it and extract its files")


def _ole_kind(data: bytes) -> str:
    """An OLE2 compound file: Word (DOC, Kingsoft WPS) and Works files go to LibreOffice, which
    tells them apart; spreadsheets and anything without a readable directory do not."""
    import olefile

    try:
        with olefile.OleFileIO(data) as ole:
            streams = {"/".join(entry) for entry in ole.listdir()}
    except (OSError, ValueError, IndexError, TypeError) as err:
        raise ExtractError(f"a broken OLE2 file (DOC/WPS?): {err}") from None
    if streams & {"Workbook", "Book"}:
        raise ExtractError("a spreadsheet (XLS), not a report document")
    return "word"
