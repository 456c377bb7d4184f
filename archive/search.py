"""Full-text search that works for Chinese, in SQLite's own FTS5 (and so in datasette's box).

SQLite's default tokenizer takes a run of Chinese as one token, and its trigram tokenizer finds
nothing shorter than three characters. The `xxgk_cjk` tokenizer indexes overlapping character
pairs (bigrams) of every run of Chinese, and reads queries the same way: 复议 is one pair, and
依申请公开 the phrase 依申·申请·请公·公开, so any Chinese substring of two or more characters is
found, whatever word boundaries a segmenter would have drawn. Latin letters and digits are
words, lower-cased.

The tokenizer is registered from Python (through sqlitefts): every connection that queries the
FTS tables registers it first (`register`; the datasette plugin xxgk installs does so for
datasette). The other tables need nothing special. The FTS tables index the text of the
`report_search` and `section_texts` views without keeping a second copy of it (external content)."""

from __future__ import annotations

import re
import sqlite3

from sqlitefts.fts5 import SQLITE_OK, ffi, fts5_api_from_db

TOKENIZER = "xxgk_cjk"
# Runs of CJK Unified Ideographs and Extension A (U+3400-U+9FFF, three UTF-8 bytes each; not the
# punctuation below them), matched on the bytes.
_CJK_RUN = re.compile(rb"(?:\xe3[\x90-\xbf][\x80-\xbf]|[\xe4-\xe9][\x80-\xbf][\x80-\xbf])+")

# Each search table indexes the text of a table (or view) without keeping a copy of it.
FTS_TABLES = {
    "reports_fts": ("report_search", ("title", "agency", "text")),
    "sections_fts": ("section_texts", ("title", "body")),
}


def spaced(text: bytes) -> bytes:
    """UTF-8 text with every run of Chinese written as its overlapping pairs, space-separated
    (依申请公开 → 依申 申请 请公 公开; a lone character stays itself): what unicode61 then splits."""
    return _CJK_RUN.sub(_pairs, text)


def prepared(text: str | None) -> str:
    """Text to index, spaced in advance (by an extraction worker rather than the one process
    that writes): marked so that the tokenizer passes it straight to unicode61. It gives the
    same tokens as the unmarked text, so the index can still be rebuilt from the tables."""
    return _PREPARED.decode() + spaced((text or "").encode()).decode()


def _pairs(match: re.Match) -> bytes:
    run = match.group()
    if len(run) == 3:
        return b" " + run + b" "
    return b" " + b" ".join([run[i:i + 6] for i in range(0, len(run) - 3, 3)]) + b" "


# xxgk_cjk is SQLite's own unicode61 tokenizer (case folding, ASCII words) fed the `spaced`
# text: Python rewrites the text once per call, and every token goes from unicode61 to FTS5
# in C. An instance *is* a unicode61 instance, deleted by unicode61's own xDelete, so SQLite
# closing a connection (even at interpreter exit) never calls back into Python. The offsets
# FTS5 records are in the spaced text: search is exact, but highlight() and snippet() would
# mark the wrong characters (xxgk uses neither).
_UNICODE61 = ffi.new("fts5_tokenizer *")
_TOKENIZER = ffi.new("fts5_tokenizer *")


@ffi.callback("int(void*, const char **, int, Fts5Tokenizer **)")
def _create(context, argv, argc, out):
    return _UNICODE61.xCreate(context, ffi.NULL, 0, out)


_PREPARED = b"\x01"      # a control character: a separator to unicode61, never a token


@ffi.callback("int(Fts5Tokenizer *, void *, int, const char *, int, int(void*, int, const char *, int, int, int))")
def _tokenize(tokenizer, context, flags, text, length, emit):
    if length and text[0] == _PREPARED:
        return _UNICODE61.xTokenize(tokenizer, context, flags, text, length, emit)
    data = spaced(ffi.buffer(text, length)[:])
    return _UNICODE61.xTokenize(tokenizer, context, flags, data, len(data), emit)


def register(connection: sqlite3.Connection) -> None:
    """Make the `xxgk_cjk` tokenizer available on a connection (needed to query FTS tables)."""
    api = fts5_api_from_db(connection)
    if _TOKENIZER.xTokenize == ffi.NULL:       # the first time: borrow unicode61's functions
        context = ffi.new("void **")
        if api.xFindTokenizer(api, b"unicode61", context, _UNICODE61) != SQLITE_OK:
            raise RuntimeError("this SQLite has no FTS5 unicode61 tokenizer")
        _TOKENIZER.xCreate, _TOKENIZER.xDelete, _TOKENIZER.xTokenize = _create, _UNICODE61.xDelete, _tokenize
    if api.xCreateTokenizer(api, TOKENIZER.encode(), api, _TOKENIZER, ffi.NULL) != SQLITE_OK:
        raise RuntimeError(f"could not register the {TOKENIZER} tokenizer")


def ensure_search_tables(db) -> None:
    """Create the FTS5 tables if they do not exist, indexing what the archive already holds."""
    existing = set(db.table_names())
    for name, (content, columns) in FTS_TABLES.items():
        if name in existing:
            continue
        db.execute(f"create virtual table {name} using fts5({', '.join(columns)}, content='{content}', "
                   f"content_rowid='id', tokenize='{TOKENIZER}')")
        db.execute(f"insert into {name} ({name}) values ('rebuild')")


def search_texts(title: str | None, agency: str | None, text: str,
                 sections: list[tuple[str, str]]) -> dict:
    """What `index_report` indexes for a report (its title, agency and text) and its sections
    (title and body each), prepared."""
    return {"report": [prepared(title), prepared(agency), prepared(text)],
            "sections": [[prepared(t), prepared(b)] for t, b in sections]}


def index_report(db, report_id: int, texts: dict) -> None:
    """Add a stored report and its sections to search, from their `search_texts`."""
    db.execute("insert into reports_fts (rowid, title, agency, text) values (?, ?, ?, ?)",
               [report_id, *texts["report"]])
    ids = [r[0] for r in db.execute("select id from sections where report_id = ? order by idx", [report_id])]
    db.conn.executemany("insert into sections_fts (rowid, title, body) values (?, ?, ?)",
                        [[i, *t] for i, t in zip(ids, texts["sections"])])


def index_reports(db, pending: list[tuple[int, dict]]) -> None:
    """Index a batch of stored reports, one after another with nothing in between (see
    store_report's `search_later`); empties `pending`."""
    for report_id, texts in pending:
        index_report(db, report_id, texts)
    pending.clear()


def unindex_report(db, report_id: int) -> None:
    """Remove a report and its sections from search (before their rows are deleted: the index
    is told exactly what text it is forgetting, read from the tables)."""
    for name, (content, columns) in FTS_TABLES.items():
        key = "id" if content == "report_search" else "report_id"
        db.execute(f"insert into {name} ({name}, rowid, {', '.join(columns)}) "
                   f"select 'delete', id, {', '.join(columns)} from {content} where {key} = ?", [report_id])
