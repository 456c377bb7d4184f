"""Bounded work (issue 12, items 5-10, 12, 13; issue 20, item 19): hostile documents and files cost
bounded time and memory, one document's failure is that document's row and the rest goes on, a
shard's names are never paths, extraction workers do not outlive the command that started them,
and what a document stores grows with the document, not with its square.

Each probe runs in a subprocess with an address-space limit and a timeout: a probe that needs
more memory than it should fails with MemoryError, one that takes too long times out."""

from __future__ import annotations

import io
import json
import os
import resource
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path

import pytest

from archive.extraction import Limits, extract_documents
from archive.ingest import _archive_file
from archive.merge import MergeError, merge_shards
from archive.store import Archive
from tests.conftest import EXAMPLES, REPO, rows, xxgk

GOOD = EXAMPLES / "changde-wsj-2011.txt"
PROBE_MEMORY = 1024 * 2**20           # what a probe's whole process may map


def probe(code: str, *, memory: int = PROBE_MEMORY, timeout: float = 300) -> dict:
    """Run `code` (which sets `outcome`) in a fresh interpreter under an address-space limit;
    return its outcome and the process's own peak memory."""
    script = ("import json, sys\n" + code + "\nfor line in open('/proc/self/status'):\n"
              "    if line.startswith('VmHWM:'): peak = int(line.split()[1]) // 1024\n"
              "print(json.dumps({'outcome': outcome, 'peak_mib': peak}))\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=timeout,
                          preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (memory, memory)))
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


EXTRACT = """
from extract import ExtractError, extract_bytes
data = open(sys.argv[1] if len(sys.argv) > 1 else {path!r}, 'rb').read()
try:
    outcome = {{'title': extract_bytes(data, name={name!r}).title}}
except ExtractError as err:
    outcome = {{'error': err.reason}}
"""


def extract_probe(tmp_path: Path, data: bytes, name: str, **limits) -> dict:
    path = tmp_path / name
    path.write_bytes(data)
    return probe(EXTRACT.format(path=str(path), name=name), **limits)


# --- item 6: table spans -------------------------------------------------------------------------

def test_a_table_span_bomb_is_bounded_by_its_slots(tmp_path):
    page = ("<html><body><table><tr>" + "<td rowspan=50 colspan=50>1</td>" * 100_000 + "</tr></table></body></html>")
    result = extract_probe(tmp_path, page.encode(), "s.html")
    assert result["outcome"] == {"error": "no Chinese report text found"}
    assert result["peak_mib"] < 600


def test_a_span_bomb_in_the_archive_does_not_stop_the_next_ingest(tmp_path):
    bomb = tmp_path / "s.html"
    bomb.write_text("<html><body><table><tr>" + "<td rowspan=50 colspan=50>1</td>" * 100_000 + "</tr></table>"
                    "</body></html>", encoding="utf-8")
    first = xxgk("ingest", bomb, "--data", tmp_path / "data", timeout=300)
    assert first.returncode == 1 and "not extractable" in first.stdout
    second = xxgk("ingest", GOOD, "--data", tmp_path / "data", timeout=300)
    assert "extracted 1 report (" in second.stdout, second.stdout + second.stderr     # the bomb is retried, and fails again


# --- items 7 and 8: one document's failure, limits per document ----------------------------------

def _archive_with(tmp_path: Path, files: list[Path]) -> Archive:
    archive = Archive(tmp_path / "data")
    archive.begin()
    for path in files:
        assert _archive_file(archive, path) == "added"
    archive.commit()
    return archive


def _huge_report(tmp_path: Path) -> Path:
    """A 40 MB page of report text: readable, but neither quick nor small to extract."""
    path = tmp_path / "huge.html"
    paragraph = "<p>全年共受理政府信息公开申请12件，其中当面申请3件，网上申请9件，均已按期答复。</p>\n"
    path.write_text("<html><head><meta charset='utf-8'><title>某县2019年政府信息公开工作年度报告</title></head><body>"
                    + paragraph * (40 * 2**20 // len(paragraph.encode())) + "</body></html>", encoding="utf-8")
    return path


def test_a_document_over_its_memory_budget_is_too_large_and_the_rest_goes_on(tmp_path):
    archive = _archive_with(tmp_path, [_huge_report(tmp_path), GOOD])
    try:
        counts = extract_documents(archive, workers=1, limits=Limits(seconds=600, memory=64 * 2**20))
        failures = rows(archive.db, "select url, classification, reason from fetch_failures where stage = 'extract'")
        extracted = rows(archive.db, "select url from reports")
    finally:
        archive.close()
    assert (counts["extracted"], counts["failed"]) == (1, 1)
    assert [(f["url"].rsplit("/", 1)[1], f["classification"]) for f in failures] == [("huge.html", "too_large")]
    assert extracted[0]["url"].endswith(GOOD.name)


def test_a_document_past_its_time_limit_is_too_slow(tmp_path):
    archive = _archive_with(tmp_path, [_huge_report(tmp_path)])
    try:
        counts = extract_documents(archive, workers=1, limits=Limits(seconds=0.5))
        failure = rows(archive.db, "select classification, reason from fetch_failures where stage = 'extract'")
    finally:
        archive.close()
    assert counts["failed"] == 1 and failure[0]["classification"] == "too_slow"
    assert "0.5 s" in failure[0]["reason"]


def _one_sentence_of(count: int) -> str:
    """A report whose 主动公开 section is one sentence of `count` categories, each with its number."""
    names = "东南西北中春夏秋冬金木水火土山川河湖海天地人和"
    name = lambda i: "".join(names[i // len(names) ** k % len(names)] for k in range(3))  # noqa: E731
    return ("某县科技局2015年政府信息公开工作年度报告\n一、概述\n本报告由某县科技局编制。\n二、主动公开政府信息情况\n"
            f"本年度共主动公开政府信息{count * 3}条，其中" + "、".join(f"{name(i)}类信息{i + 1}条" for i in range(count))
            + "。\n")


def test_a_sentence_of_thousands_of_numbers_is_stored_once_not_once_a_number(tmp_path):
    from archive.records import EXCERPT

    report = tmp_path / "many.txt"
    report.write_text(_one_sentence_of(3000), encoding="utf-8")
    result = xxgk("ingest", report, "--data", tmp_path / "data", timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    db = sqlite3.connect(tmp_path / "data" / "xxgk.db")
    figures = db.execute("select f.value, f.category, f.evidence, substr(t.text, f.start + 1, f.\"end\" - f.start) "
                         "from figures f join report_texts t on t.report_id = f.report_id "
                         "where f.metric = 'proactive.items_by_category' order by f.idx").fetchall()
    db.close()
    assert len(figures) == 3000
    # every figure stored the 100 KB sentence: 330 MB; a bounded excerpt each: linear in the text
    assert (tmp_path / "data" / "xxgk.db").stat().st_size < 50 * report.stat().st_size
    value, category, evidence, sentence = figures[1500]
    assert len(evidence) <= EXCERPT + 2 and f"{category}{value}条" in evidence      # the number, in its words
    assert sentence.startswith("本年度共主动公开政府信息9000条") and len(sentence) > 30_000     # the whole, by offsets


# --- item 9: PDF bombs -----------------------------------------------------------------------------

def _pdf(content_stream: bytes, filters: str, *, pages: int = 1, count: int | None = None) -> bytes:
    """A PDF of `pages` pages sharing one content stream (already encoded with `filters`)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % (4 + i) for i in range(pages))
               + b"] /Count %d >>" % (pages if count is None else count),
               b"<< /Length %d /Filter [%s] >>\nstream\n" % (len(content_stream), filters.encode())
               + content_stream + b"\nendstream"]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R /Resources << /Font << "
                b"/F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>"] * pages
    out, offsets = io.BytesIO(), []
    out.write(b"%PDF-1.5\n")
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % o for o in offsets))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def _deflated(chunks, level: int = 9) -> bytes:
    packer, out = zlib.compressobj(level), []
    for chunk in chunks:
        out.append(packer.compress(chunk))
    out.append(packer.flush())
    return b"".join(out)


def test_nested_flate_that_inflates_to_gigabytes_is_refused(tmp_path):
    inner = _deflated((b"\0" * 2**22 for _ in range(128)), level=6)     # 512 MiB of zeros
    stream = zlib.compress(zlib.compress(inner, 9), 9)
    assert len(stream) < 64 * 1024
    result = extract_probe(tmp_path, _pdf(stream, "/FlateDecode /FlateDecode /FlateDecode"), "nested.pdf")
    assert "decompression bomb" in result["outcome"]["error"]


def test_text_operators_by_the_hundred_million_are_refused(tmp_path):
    stream = _deflated([b"BT /F1 12 Tf 72 720 Td " + b"(a) Tj " * (300 * 2**20 // 7) + b"ET"])
    assert len(stream) < 2 * 2**20
    result = extract_probe(tmp_path, _pdf(stream, "/FlateDecode"), "operators.pdf")
    assert "bomb" in result["outcome"]["error"]


def test_operator_counts_stop_a_content_stream_that_inflates_little():
    from extract.formats.pdf import PdfLimits, read_pdf
    from extract import ExtractError

    stream = _deflated([b"BT /F1 12 Tf 72 720 Td " + b"(a) Tj " * 200_000 + b"ET"])
    with pytest.raises(ExtractError, match="operators"):
        read_pdf(_pdf(stream, "/FlateDecode"), PdfLimits(operators=100_000))


@pytest.mark.parametrize("count", [None, 1], ids=["declared", "understated"])
def test_a_page_tree_of_many_pages_is_refused_before_it_is_walked(tmp_path, count):
    data = _pdf(zlib.compress(b"BT /F1 12 Tf (a) Tj ET"), "/FlateDecode", pages=50_000, count=count)
    result = extract_probe(tmp_path, data, "pages.pdf", timeout=120)
    if count is None:       # refused by the count the tree declares, before any page object is made
        assert result["outcome"]["error"] == "the PDF has 50000 pages, over the 500-page limit"
        assert result["peak_mib"] < 200         # walking them all first took 299 MiB
    else:                   # a tree that understates its pages: the walk stops past the limit
        assert result["outcome"]["error"] == "the PDF has more than 500 pages, over the limit"


def test_pdfium_is_never_handed_a_bomb():
    """PDFium inflates in C, out of reach of the budget: the raw scan refuses these before it
    sees them (the pdfminer path then refuses them, as above), inflating at most the budget."""
    from extract.formats.pdf import PdfLimits
    from extract.formats.pdf_guard import scan

    nested = zlib.compress(zlib.compress(_deflated((b"\0" * 2**22 for _ in range(128)), level=6), 9), 9)
    operators = _deflated([b"BT /F1 12 Tf 72 720 Td " + b"(a) Tj " * 200_000 + b"ET"])
    plain = b"BT /F1 12 Tf 72 720 Td " + b"(a)Tj" * 200_000 + b"ET"
    pages = _pdf(zlib.compress(b"BT /F1 12 Tf (a) Tj ET"), "/FlateDecode", pages=600, count=1)
    assert scan(_pdf(nested, "/FlateDecode /FlateDecode /FlateDecode"), PdfLimits(operators=10**12), 500).refused == \
        "its streams inflate past the budget"
    small = PdfLimits(operators=100_000)
    for data in (_pdf(operators, "/FlateDecode"), _pdf(plain, "")):
        assert scan(data, small, 500).refused == "its streams may hold more tokens than the operator budget"
    assert scan(pages, PdfLimits(), 500).refused == "600 page objects"
    assert scan(_pdf(operators, "/FlateDecode"), PdfLimits(), 500).refused is None      # within the budgets


# --- item 10: DOCX ----------------------------------------------------------------------------------

_DOCUMENT_HEAD = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w='
                  b'"http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>')


_CONTENT_TYPES = ('<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                  '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" '
                  'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
                  '</Types>')
_RELATIONSHIPS = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship '
                  'Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
                  'Target="word/document.xml"/></Relationships>')


def _docx(tmp_path: Path, body_chunks) -> Path:
    """A DOCX (a package python-docx opens too) whose document.xml is streamed from `body_chunks`."""
    path = tmp_path / "big.docx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as container:
        container.writestr("[Content_Types].xml", _CONTENT_TYPES)
        container.writestr("_rels/.rels", _RELATIONSHIPS)
        with container.open("word/document.xml", "w", force_zip64=True) as member:
            member.write(_DOCUMENT_HEAD)
            for chunk in body_chunks:
                member.write(chunk)
            member.write(b"</w:body></w:document>")
    return path


def _paragraphs(megabytes: int):
    text = "全年共受理政府信息公开申请12件，均已按期答复。".encode()
    report = (b"<w:p><w:r><w:t>" + "某县2019年政府信息公开工作年度报告".encode() + b"</w:t></w:r></w:p>"
              + b"<w:p><w:r><w:t>" + text * 3 + b"</w:t></w:r></w:p>")
    yield report
    filler = b'<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:p>' * 1000
    for _ in range(megabytes * 2**20 // len(filler)):
        yield filler


def test_a_docx_of_80_mb_of_xml_is_read_a_piece_at_a_time(tmp_path):
    path = _docx(tmp_path, _paragraphs(80))
    code = (f"from extract.formats.docx import read_docx\ntext, grids = read_docx(open({str(path)!r}, 'rb').read())\n"
            "outcome = {'report': '年度报告' in text, 'lines': text.count(chr(10))}")
    result = probe(code, memory=768 * 2**20, timeout=600)        # python-docx's whole tree would not fit
    assert result["outcome"]["report"] and result["outcome"]["lines"] > 500_000
    assert result["peak_mib"] < 400


# --- item 12: what is not a regular file -----------------------------------------------------------

def test_devices_and_fifos_are_refused_and_the_rest_is_ingested(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    result = xxgk("ingest", "/dev/zero", fifo, GOOD, "--data", tmp_path / "data", timeout=120)
    assert result.returncode == 1
    assert "extracted 1 report (" in result.stdout and "2 unreadable" in result.stdout
    db = sqlite3.connect(tmp_path / "data" / "xxgk.db")
    reasons = dict(db.execute("select url, reason from fetch_failures where stage = 'ingest'").fetchall())
    assert "a character device" in reasons["file:///dev/zero"]
    assert "a FIFO or pipe" in reasons[fifo.as_uri()]
    # a folder is a mistake in the command, refused before anything is read (exit 2)
    folder = xxgk("ingest", tmp_path, GOOD, "--data", tmp_path / "other", timeout=120)
    assert folder.returncode == 2 and "is a directory" in folder.stderr and not (tmp_path / "other").exists()


def test_extract_refuses_a_device_instead_of_reading_it_forever():
    code = ("from extract import ExtractError\nfrom extract.report import extract_file\ntry:\n"
            "    extract_file('/dev/zero')\n    outcome = 'read'\nexcept ExtractError as err:\n    outcome = err.reason")
    assert "not a regular file (a character device)" in probe(code, timeout=60)["outcome"]


# --- item 5: a shard's WARC names are data -----------------------------------------------------------

def test_merge_refuses_a_shard_whose_warc_names_are_paths(tmp_path):
    shard = tmp_path / "shard"
    archive = Archive(shard)
    archive.close()
    db = sqlite3.connect(shard / "xxgk.db")
    db.execute("insert into warc_files (name, committed_size, created_at) values ('../../escaped.warc.gz', 0, '')")
    db.commit()
    db.close()
    target = Archive(tmp_path / "merged")
    try:
        with pytest.raises(MergeError, match="not a WARC file name"):
            merge_shards(target, [shard], workers=1)
    finally:
        target.close()
    assert not (tmp_path / "escaped.warc.gz").exists() and not (tmp_path.parent / "escaped.warc.gz").exists()


# --- item 13: workers exit when their parent dies -------------------------------------------------------

def _children(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found |= {int(p) for p in (task / "children").read_text().split()}
        except OSError:
            pass
    return found


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def test_kill_9_of_ingest_leaves_no_worker_behind(tmp_path):
    files = tmp_path / "files"
    files.mkdir()
    for i in range(500):
        (files / f"r{i:03d}.txt").write_bytes(GOOD.read_bytes() + b"\n%d\n" % i)
    command = [sys.executable, "-m", "xxgk", "ingest", *sorted(map(str, files.iterdir())), "--data", str(tmp_path / "d")]
    ingest = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: set[int] = set()
    deadline = time.monotonic() + 300
    while not workers and ingest.poll() is None and time.monotonic() < deadline:
        workers = {p for p in _children(ingest.pid) if b"spawn_main" in _cmdline(p)}
        time.sleep(0.05)
    assert workers, "ingest started no extraction worker"
    ingest.send_signal(signal.SIGKILL)
    ingest.wait()
    deadline = time.monotonic() + 60
    while any(_alive(p) for p in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [p for p in workers if _alive(p)]
