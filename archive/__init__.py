"""The archive: one SQLite file (sqlite-utils) holding every capture and every report's record,
served read-only by datasette (issue 4 fills it)."""
