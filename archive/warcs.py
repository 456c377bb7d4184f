"""Raw captures in WARC files (warcio; gzip, one member per record; rotated by size): request,
response and revisit records from crawls, resource records for files ingested from disk.

Each record is serialised in memory and written with one call, and the database records how
many bytes of each file it vouches for (`warc_files.committed_size`): after a kill, `repair`
cuts every file back to what was committed, so a reader never meets half a record and the
archive never points at bytes that are not there."""

from __future__ import annotations

import base64
import datetime as dt
import functools
import gzip
import hashlib
import io
import os
import re
import uuid
from dataclasses import dataclass
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

DEFAULT_MAX_SIZE = 256 * 1024 * 1024
_WARC_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,200}\.warc\.gz")
_DROPPED_HEADERS = {"content-encoding", "transfer-encoding", "content-length"}
_WRITTEN = {"warc-type", "warc-target-uri", "warc-payload-digest", "warc-block-digest", "content-type",
            "content-length"}     # the WARC headers a record's writer sets (see _record) …
_KEPT = {"warc-payload-digest", "warc-block-digest", "content-type"}     # … unless given


@dataclass(frozen=True)
class Location:
    file: str
    offset: int
    length: int


class WarcWriter:
    """Appends request, response and revisit records to numbered files in `folder`."""

    def __init__(self, folder: Path, prefix: str, max_size: int = DEFAULT_MAX_SIZE):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.prefix = prefix
        self.max_size = max_size
        self._file = None
        self._name: str | None = None
        self._serial = 0
        self.new_files: list[str] = []

    @property
    def current(self) -> str | None:
        return self._name

    def write_capture(self, *, url: str, method: str, request_headers: list[tuple[str, str]],
                      request_body: bytes, status: int, reason: str,
                      response_headers: list[tuple[str, str]], body: bytes, fetched_at: dt.datetime,
                      extra: dict[str, str] | None = None) -> Location:
        """Write the request and its response; return where the response record is. The records
        are what warcio writes, byte for byte (its headers in its order, its digests), built
        directly: warcio's general record machinery cost half of archiving a page
        (tests/test_archive.py compares the two)."""
        date = _warc_date(fetched_at)
        path = url.split("/", 3)[3] if url.count("/") >= 3 else ""
        response_id = f"<urn:uuid:{uuid.uuid4()}>"
        headers = [(k, v) for k, v in response_headers if k.lower() not in _DROPPED_HEADERS]
        headers.append(("Content-Length", str(len(body))))
        request = _http_block(f"{method} /{path} HTTP/1.1", request_headers, request=True)
        response = _http_block(f"HTTP/1.1 {status} {reason or 'OK'}", headers)
        records = [
            _record("request", url, [("WARC-Date", date), ("WARC-Concurrent-To", response_id)], request, request_body),
            _record("response", url, [("WARC-Date", date), ("WARC-Record-ID", response_id), *(extra or {}).items()],
                    response, body),
        ]
        return self._append([_member(record) for record in records])[-1]

    def write_revisit(self, *, url: str, status: int, reason: str, response_headers: list[tuple[str, str]],
                      fetched_at: dt.datetime, refers_to: str, refers_to_date: str, digest: str) -> Location:
        """A capture whose bytes are already archived: a revisit record pointing at them."""
        headers = [(k, v) for k, v in response_headers if k.lower() not in _DROPPED_HEADERS]
        buffer = io.BytesIO()
        writer = WARCWriter(buffer, gzip=False)
        record = writer.create_revisit_record(
            url, digest=digest, refers_to_uri=refers_to, refers_to_date=refers_to_date,
            http_headers=StatusAndHeaders(f"{status} {reason or 'OK'}", headers, protocol="HTTP/1.1"))
        record.rec_headers.replace_header("WARC-Date", _warc_date(fetched_at))
        writer.write_record(record)
        return self._append([_member(buffer.getvalue())])[0]

    def write_resource(self, *, url: str, body: bytes, content_type: str, fetched_at: dt.datetime,
                       extra: dict[str, str] | None = None) -> Location:
        """A document that did not come over HTTP (a local file): a resource record."""
        buffer = io.BytesIO()
        writer = WARCWriter(buffer, gzip=False)
        record = writer.create_warc_record(url, "resource", payload=io.BytesIO(body), length=len(body),
                                           warc_content_type=content_type,
                                           warc_headers_dict={"WARC-Date": _warc_date(fetched_at), **(extra or {})})
        writer.write_record(record)
        return self._append([_member(buffer.getvalue())])[0]

    def _append(self, chunks: list[bytes]) -> list[Location]:
        if self._file is None or self._file.tell() >= self.max_size:
            self._rotate()
        start = self._file.tell()
        self._file.write(b"".join(chunks))
        locations, offset = [], start
        for chunk in chunks:
            locations.append(Location(self._name, offset, len(chunk)))
            offset += len(chunk)
        return locations

    def _rotate(self) -> None:
        if self._file is not None:
            self._file.close()
        while True:
            self._serial += 1
            name = f"{self.prefix}-{self._serial:05d}.warc.gz"
            if not (self.folder / name).exists():
                break
        self._name = name
        self._file = open(self.folder / name, "ab")
        self.new_files.append(name)

    def flush(self) -> dict[str, int]:
        """Push written records to the operating system; return the current file's size."""
        if self._file is None:
            return {}
        self._file.flush()
        os.fsync(self._file.fileno())
        return {self._name: self._file.tell()}

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


def is_warc_name(name: object) -> bool:
    """Whether `name` is a WARC file name as the archive writes them: a plain name in the WARC
    folder (never a path: no separator, no `..`, nothing hidden)."""
    return isinstance(name, str) and bool(_WARC_NAME.fullmatch(name))


def read_record(folder: Path, location: Location | tuple) -> tuple[StatusAndHeaders, bytes, dict]:
    """The HTTP headers, body and WARC headers of the record at a location (ValueError for a
    file name that is not a WARC file's)."""
    file, offset = (location.file, location.offset) if isinstance(location, Location) else location[:2]
    if not is_warc_name(file):
        raise ValueError(f"{file!r} is not the name of a WARC file in the archive")
    with open(Path(folder) / file, "rb") as fh:
        fh.seek(offset)
        record = next(iter(ArchiveIterator(fh)))
        body = record.content_stream().read()
        return record.http_headers, body, dict(record.rec_headers.headers)


def repair(folder: Path, committed: dict[str, int]) -> list[str]:
    """Cut each WARC file back to the size the database vouches for; remove files it never
    committed. Returns what was changed."""
    changed = []
    folder = Path(folder)
    if not folder.exists():
        return changed
    for path in sorted(folder.glob("*.warc.gz")):
        size = committed.get(path.name)
        if size is None:
            path.unlink()
            changed.append(f"removed {path.name} (never committed)")
        elif path.stat().st_size > size:
            with open(path, "r+b") as fh:
                fh.truncate(size)
            changed.append(f"truncated {path.name} to {size} bytes")
    return changed


def _http_block(first_line: str, headers: list[tuple[str, str]], request: bool = False) -> bytes:
    """An HTTP status or request line and its headers, as warcio writes them: ASCII, each header
    value that is not %-encoded by warcio's own rules (RFC 8187; the crawler's User-Agent, read
    as Latin-1, is one)."""
    text = first_line + "\r\n" + "".join(f"{name}: {value if value.isascii() else _ascii_value(value)}\r\n"
                                          for name, value in headers) + "\r\n"
    try:
        return text.encode("ascii")
    except UnicodeEncodeError:      # a name or the first line: what warcio makes of it (or raises)
        if request:
            return StatusAndHeaders(first_line, list(headers), is_http_request=True).to_ascii_bytes()
        protocol, status = first_line.split(" ", 1)
        return StatusAndHeaders(status, list(headers), protocol=protocol).to_ascii_bytes()


@functools.lru_cache(maxsize=256)
def _ascii_value(value: str) -> str:
    """warcio's %-encoding of a header value that is not ASCII (it encodes each value on its own;
    the same few values come back on every request)."""
    headers = StatusAndHeaders("", [("X", value)])
    headers.percent_encode_non_ascii_headers()
    return headers.headers[0][1]


def _record(kind: str, url: str, warc_headers: list[tuple[str, str]], http: bytes, payload: bytes) -> bytes:
    """A WARC/1.0 request or response record, uncompressed, as warcio's WARCWriter writes it
    from these headers: WARC-Type, a record id unless given, the target URI, then both digests
    (SHA-1, base32), the content type and length."""
    block = hashlib.sha1(http)
    block.update(payload)
    written = [("WARC-Type", kind), ("WARC-Target-URI", url), ("WARC-Payload-Digest", _digest(hashlib.sha1(payload))),
               ("WARC-Block-Digest", _digest(block)), ("Content-Type", f"application/http; msgtype={kind}"),
               ("Content-Length", str(len(http) + len(payload)))]
    headers = list(warc_headers)
    names = {name.lower() for name, _ in headers}
    if "warc-record-id" not in names:
        written.insert(1, ("WARC-Record-ID", f"<urn:uuid:{uuid.uuid4()}>"))
    if names.isdisjoint(_WRITTEN):
        headers += written
    else:           # as warcio: the digests and content type given are kept, the rest replaced
        for name, value in written:
            if name.lower() not in names or name.lower() not in _KEPT:
                _replace(headers, name, value)
    head = "WARC/1.0\r\n" + "".join(f"{name}: {value}\r\n" for name, value in headers) + "\r\n"
    return b"".join((head.encode("utf-8"), http, payload, b"\r\n\r\n"))


def _replace(headers: list[tuple[str, str]], name: str, value: str) -> None:
    """Set a header in place (its name matched without case), or add it (warcio's replace_header)."""
    lower = name.lower()
    for index in range(len(headers) - 1, -1, -1):
        if headers[index][0].lower() == lower:
            headers[index] = (headers[index][0], value)
            return
    headers.append((name, value))


def _digest(sha1) -> str:
    return "sha1:" + base64.b32encode(sha1.digest()).decode("ascii")


def _member(record: bytes) -> bytes:
    """One record as its own gzip member (level 6: warcio's fixed level 9 costs twice the time
    for a few per cent of space)."""
    return gzip.compress(record, compresslevel=6, mtime=0)


def _warc_date(when: dt.datetime) -> str:
    return when.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
