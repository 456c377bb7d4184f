"""Folding the shards of a shared crawl (one archive per worker) into one archive.

Each shard's WARC files are copied once; its documents are added unless the archive already has
the same URL with the same bytes (a document fetched by two workers is stored once); its fetch
failures, changes and off-site links come along. The merged documents are then extracted, as a
single crawl extracts after it ends. Merging a shard twice changes nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

from .extraction import extract_documents
from .store import DB_NAME, Archive, utcnow
from .warcs import is_warc_name

_COPIED_DOCUMENT_FIELDS = (
    "url", "final_url", "method", "status", "fetched_at", "content_type", "encoding", "sha256", "size",
    "warc_file", "warc_offset", "warc_length", "site", "kind", "report_url", "link_text", "year", "etag",
    "last_modified", "source", "capture_time", "original_url",
)


class MergeError(Exception):
    """A shard that cannot be merged (not an archive, or still being written)."""


def merge_shards(archive: Archive, shards: list[Path], *, workers: int = 2, progress=None) -> dict:
    """Merge every shard into `archive`; return counts of what was added and skipped."""
    counts = {"shards": 0, "documents": 0, "duplicates": 0, "warc_files": 0, "failures": 0}
    for shard in shards:
        shard = Path(shard)
        if shard.resolve() == archive.data_dir.resolve():
            raise MergeError(f"{shard} is the archive being merged into")
        if not (shard / DB_NAME).exists():
            raise MergeError(f"{shard} holds no archive ({DB_NAME} missing)")
        source = Archive(shard)          # takes the shard's lock (not while a worker writes) and repairs it
        try:
            _merge_one(archive, source, shard, counts)
        finally:
            source.close()
        counts["shards"] += 1
    counts["extraction"] = extract_documents(archive, workers=workers, progress=progress)
    return counts


def _merge_one(archive: Archive, source: Archive, shard: Path, counts: dict) -> None:
    _check_names(source, shard)
    archive.begin()
    run_id = archive.db["crawl_runs"].insert({
        "started_at": utcnow(), "finished_at": utcnow(), "status": "merged", "sites_file": str(shard),
        "options": "{}"}).last_pk
    for row in source.db.query("select name, committed_size, created_at from warc_files"):
        target = archive.warc_folder / row["name"]
        if not target.exists():
            archive.warc_folder.mkdir(parents=True, exist_ok=True)
            with open(shard / "warc" / row["name"], "rb") as src, open(target, "wb") as dst:
                shutil.copyfileobj(_limited(src, row["committed_size"]), dst)
            counts["warc_files"] += 1
        archive.db["warc_files"].insert(dict(row), ignore=True)
    for row in source.db.query(f"select {', '.join(_COPIED_DOCUMENT_FIELDS)} from documents order by id"):
        # the archive's unique (url, sha256, fetched_at) index says whether it has the capture
        # already: no set of every document in memory, which would grow with the archive
        before = archive.db.conn.total_changes
        archive.insert("documents", [{**row, "run_id": run_id}], ignore=True)
        counts["documents" if archive.db.conn.total_changes > before else "duplicates"] += 1
    for row in source.db.query("select * from fetch_failures where resolved_at is null"):
        row = {k: v for k, v in row.items() if k != "id"} | {"run_id": run_id}
        archive.insert("fetch_failures", [row], ignore=True)
        counts["failures"] += 1
    for row in source.db.query("select url, found_on, site, link_text, kind from off_site_links"):
        archive.insert("off_site_links", [{**row, "run_id": run_id}], ignore=True)
    # a request that failed at one worker and was fetched by another is not a failure
    archive.db.execute("update fetch_failures set resolved_at = ? where resolved_at is null and stage = 'fetch' "
                       "and url in (select url from documents)", [utcnow()])
    archive.commit()


def _check_names(source: Archive, shard: Path) -> None:
    """A shard's WARC file names are data, never paths: each must be a plain WARC file name, and
    every document must point into one of the shard's own files."""
    names = [r["name"] for r in source.db.query("select name from warc_files")]
    bad = next((name for name in names if not is_warc_name(name)), None)
    if bad is not None:
        raise MergeError(f"{shard} names a WARC file {bad!r}, which is not a WARC file name; nothing merged")
    stray = next(source.db.query("select warc_file from documents where warc_file not in "
                                 "(select name from warc_files) limit 1"), None)
    if stray is not None:
        raise MergeError(f"{shard} has documents in {stray['warc_file']!r}, which is not one of its WARC files; "
                         "nothing merged")


class _limited:
    """A file object that reads at most `size` bytes (a WARC file's committed part)."""

    def __init__(self, file, size: int):
        self.file, self.left = file, size

    def read(self, n: int = -1) -> bytes:
        if self.left <= 0:
            return b""
        data = self.file.read(self.left if n < 0 else min(n, self.left))
        self.left -= len(data)
        return data
