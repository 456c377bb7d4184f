"""Full-text search that works for Chinese, in SQLite's own FTS5 (and so in datasette's box).

SQLite's default tokenizer takes a run of Chinese as one token, and its trigram tokenizer finds
nothing shorter than three characters. The `xxgk_cjk` tokenizer indexes overlapping character
pairs (bigrams) of every run of Chinese, and reads queries the same way: 复议 is one pair, and
依申请公开 the phrase 依申·申请·请公·公开, so any Chinese substring of two or more characters is
found, whatever word boundaries a segmenter would have drawn. Latin letters and digits are
words, lower-cased.

The tokenizer lives in Python (through sqlitefts): every connection that queries the FTS
tables registers it first (`register`; the datasette plugin xxgk installs does so for
datasette). The other tables need nothing special. The FTS tables index the text of `reports`
and of the `section_texts` view without keeping a second copy of it (external content)."""

from __future__ import annotations

import ctypes
import re
import sqlite3

from sqlitefts.fts5 import SQLITE_OK, ffi, register_tokenizer

TOKENIZER = "xxgk_cjk"
# Runs matched on the UTF-8 bytes, so offsets need no arithmetic: CJK Unified Ideographs and
# Extension A (U+3400-U+9FFF, three bytes each; not the punctuation below them), and ASCII words.
_RUN = re.compile(rb"(?:\xe3[\x90-\xbf][\x80-\xbf]|[\xe4-\xe9][\x80-\xbf][\x80-\xbf])+|[A-Za-z0-9]+")

# Each search table indexes the text of a table (or view) without keeping a copy of it.
FTS_TABLES = {
    "reports_fts": ("reports", ("title", "agency", "text")),
    "sections_fts": ("section_texts", ("title", "body")),
}


def tokens(text: bytes) -> list[tuple[bytes, int, int]]:
    """(token, start, end) in UTF-8 byte offsets: Chinese bigrams (a lone character as itself)
    and lower-cased ASCII words."""
    found = []
    for match in _RUN.finditer(text):
        run, start = match.group(), match.start()
        if run[0] < 0x80:
            found.append((run.lower(), start, match.end()))
        elif len(run) == 3:
            found.append((run, start, start + 3))
        else:
            found += [(run[i:i + 6], start + i, start + i + 6) for i in range(0, len(run) - 3, 3)]
    return found


# A tokenizer instance holds no state: a small block from C's malloc, freed by C's free, so that
# SQLite closing a connection at interpreter exit never calls back into Python.
_LIBC = ctypes.CDLL(None)
_LIBC.malloc.restype = ctypes.c_void_p


@ffi.callback("int(void*, const char **, int, Fts5Tokenizer **)")
def _create(context, argv, argc, out):
    out[0] = ffi.cast("Fts5Tokenizer *", _LIBC.malloc(8))
    return SQLITE_OK


@ffi.callback("int(Fts5Tokenizer *, void *, int, const char *, int, int(void*, int, const char *, int, int, int))")
def _tokenize(tokenizer, context, flags, text, length, emit):
    for token, start, end in tokens(ffi.buffer(text, length)[:]):
        status = emit(context, 0, token, len(token), start, end)
        if status != SQLITE_OK:
            return status
    return SQLITE_OK


_FREE = ffi.cast("void(*)(Fts5Tokenizer *)", ctypes.cast(_LIBC.free, ctypes.c_void_p).value)
_TOKENIZER = ffi.new("fts5_tokenizer *", [_create, _FREE, _tokenize])


def register(connection: sqlite3.Connection) -> None:
    """Make the `xxgk_cjk` tokenizer available on a connection (needed to query FTS tables)."""
    register_tokenizer(connection, TOKENIZER, _TOKENIZER)


def ensure_search_tables(db) -> None:
    """Create the FTS5 tables if they do not exist, indexing what the archive already holds."""
    existing = set(db.table_names())
    for name, (content, columns) in FTS_TABLES.items():
        if name in existing:
            continue
        db.execute(f"create virtual table {name} using fts5({', '.join(columns)}, content='{content}', "
                   f"content_rowid='id', tokenize='{TOKENIZER}')")
        db.execute(f"insert into {name} ({name}) values ('rebuild')")


def index_report(db, report_id: int) -> None:
    """Add a stored report and its sections to search."""
    _index(db, report_id, "")


def unindex_report(db, report_id: int) -> None:
    """Remove a report and its sections from search (before their rows are deleted: the index
    is told exactly what text it is forgetting)."""
    _index(db, report_id, "'delete', ")


def _index(db, report_id: int, command: str) -> None:
    for name, (content, columns) in FTS_TABLES.items():
        key = "id" if content == "reports" else "report_id"
        head = f"{name}, " if command else ""
        db.execute(f"insert into {name} ({head}rowid, {', '.join(columns)}) "
                   f"select {command}id, {', '.join(columns)} from {content} where {key} = ?", [report_id])
