"""Local files into the archive: for researchers who already have the reports on disk.

Each file is kept as it is, in a WARC resource record under its `file://` URL, like a crawled
document; then it is extracted like one. A file already archived with the same bytes is
skipped, so ingesting twice changes nothing; a file whose bytes changed becomes a new version
(and a row in `changes`).
A file that cannot be read, is over the size limit, or is not a regular file (a FIFO, a
device) is recorded in `fetch_failures` (stage 'ingest') with its reason; one that cannot be extracted, with stage 'extract'."""

from __future__ import annotations

import datetime as dt
import hashlib
import mimetypes
from collections.abc import Callable, Iterable
from pathlib import Path

from extract import ExtractError
from extract.report import read_document

from .extraction import extract_documents
from .store import Archive, fingerprint, utcnow


def ingest_files(archive: Archive, paths: Iterable[str | Path], *, workers: int = 2,
                 progress: Callable[[dict], None] | None = None) -> dict:
    """Archive and extract local files; return counts (added, unchanged, unreadable) and the
    extraction's counts under 'extraction'."""
    counts = {"files": 0, "added": 0, "unchanged": 0, "unreadable": 0}
    archive.begin()
    for path in map(Path, paths):
        counts["files"] += 1
        counts[_archive_file(archive, path)] += 1
        if counts["files"] % 1000 == 0:
            archive.commit()
            archive.begin()
    archive.commit()
    counts["extraction"] = extract_documents(archive, workers=workers, progress=progress)
    return counts


def _archive_file(archive: Archive, path: Path) -> str:
    url = path.resolve().as_uri()
    try:
        body = read_document(path)
        modified = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.timezone.utc).replace(microsecond=0)
    except (ExtractError, OSError) as err:
        reason = err.reason if isinstance(err, ExtractError) else err.strerror or str(err)
        archive.record_failure(fp=fingerprint(url), url=url, stage="ingest", classification="unreadable_file",
                               reason=f"cannot ingest {path}: {reason}", run_id=None, kind="report")
        return "unreadable"
    sha256 = hashlib.sha256(body).hexdigest()
    previous = archive.latest_document(url)
    if previous is not None and previous["sha256"] == sha256:
        return "unchanged"
    now = utcnow()
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    location = archive.write_warc("resource", url=url, body=body, content_type=content_type,
                                  fetched_at=dt.datetime.fromisoformat(now))
    document_id = archive.add_document({
        "url": url, "fetched_at": now, "content_type": content_type, "sha256": sha256, "size": len(body),
        "warc_file": location.file, "warc_offset": location.offset, "warc_length": location.length,
        "kind": "report", "report_url": url, "link_text": path.name, "source": "file",
        "capture_time": modified.isoformat(),
    })
    if previous is not None:
        archive.record_change(url=url, kind="replaced", run_id=None, old=previous, new_id=document_id,
                              new_sha256=sha256)
    archive.resolve_failures(fingerprint(url), stage="ingest")
    return "added"
