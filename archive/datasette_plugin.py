"""The datasette plugin xxgk installs: every connection datasette opens to an archive can read
its Chinese full-text search tables (see archive.search)."""

from __future__ import annotations

from datasette import hookimpl

from .search import register


@hookimpl
def prepare_connection(conn):
    register(conn)
