"""Faults the crawl survives with nothing lost: kill -9 at random moments then --resume, a server
that misbehaves at the socket level, and a disk that fills up. After each, the archive passes
SQLite's integrity check, every completed capture is there once, and the WARC files read."""

from __future__ import annotations

import hashlib
import random
import resource
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from demo.server import SiteServer
from tests.crawling import SITES, archive, copy_sites, crawl, start_crawl, write_sites
from tests.hostile_server import BEHAVIOURS, EXPECTED, HostileServer


def consistent(data: Path) -> list[tuple]:
    """Check the archive (integrity, each capture once, WARC records readable and matching their
    rows); return its documents as (final_url, sha256, status, kind)."""
    db = archive(data)
    assert db.execute("pragma integrity_check").fetchone()[0] == "ok"
    rows = [dict(r) for r in db.query("select * from documents")]
    db.close()
    assert len({(r["url"], r["sha256"]) for r in rows}) == len(rows)
    for row in rows:
        with open(data / "warc" / row["warc_file"], "rb") as fh:
            fh.seek(row["warc_offset"])
            record = next(iter(ArchiveIterator(fh)))
            assert hashlib.sha256(record.content_stream().read()).hexdigest() == row["sha256"]
    for path in (data / "warc").glob("*.warc.gz"):      # every file reads to its end, and holds its captures
        with open(path, "rb") as fh:
            readable = sum(1 for _ in ArchiveIterator(fh))
        assert readable >= sum(1 for r in rows if r["warc_file"] == path.name)
    return sorted((r["final_url"], r["sha256"], r["status"], r["kind"]) for r in rows)


def records(data: Path) -> list[tuple]:
    db = archive(data)
    rows = sorted((r["url"], r["year"], r["agency"], r["figures"]) for r in db.query(
        "select r.url, r.year, r.agency, count(f.id) figures from reports r left join figures f "
        "on f.report_id = r.id group by r.id"))
    db.close()
    return rows


def test_ten_kills_at_random_moments_then_resume_gives_the_uninterrupted_crawl(tmp_path):
    """Each run is let fetch a few pages, then its next requests are held unanswered and it is
    killed at a random instant: ten kills however fast the machine is (a whole crawl takes more
    than ten runs' worth of answers)."""
    rng = random.Random(20261128)
    sites = write_sites(tmp_path)
    with SiteServer(SITES) as server:
        whole = crawl(server, sites, tmp_path / "whole")
        assert whole.returncode == 0, whole.stderr[-2000:]
        assert len(server.log) > 10 * 6
    settings = {"DOWNLOAD_DELAY": "0.03", "XXGK_COMMIT_EVERY_ITEMS": "4"}
    data = tmp_path / "killed"
    kills = 0
    with SiteServer(SITES) as server:
        while kills < 10:
            server.hold(after=rng.randint(1, 6))        # a few answers in this run, then the site waits
            child = start_crawl(server, sites, data, *(["--resume"] if kills else []), settings=settings,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            while not server.held() and child.poll() is None:
                time.sleep(0.002)
            time.sleep(rng.uniform(0, 0.05))            # then a random instant
            assert child.poll() is None, "a crawl that got a few answers cannot have finished"
            child.send_signal(signal.SIGKILL)
            child.wait()
            server.drop()
            kills += 1
            consistent(data)
        server.release()
        final = crawl(server, sites, data, "--resume", settings=settings)
    assert final.returncode == 0, final.stderr[-2000:]
    assert consistent(data) == consistent(tmp_path / "whole")
    assert records(data) == records(tmp_path / "whole")


def test_a_misbehaving_server_costs_its_pages_and_nothing_else(tmp_path):
    sites = write_sites(tmp_path, '[[site]]\nname = "hostile"\nstart_urls = ["http://www.hostile.test/"]\n')
    settings = {"DOWNLOAD_TIMEOUT": "3", "RETRY_TIMES": "1", "DOWNLOAD_MAXSIZE": str(8 * 1024 * 1024),
                "DOWNLOAD_WARNSIZE": str(4 * 1024 * 1024)}
    with HostileServer() as server:
        result = crawl(server, sites, tmp_path / "data", settings=settings)    # bounded: crawl()'s timeout
    assert result.returncode == 0, result.stderr[-3000:]
    documents = {row[0].rsplit("/", 1)[-1].removesuffix(".html"): row for row in consistent(tmp_path / "data")}
    db = archive(tmp_path / "data")
    failures = {r["url"].rsplit("/", 1)[-1].removesuffix(".html"): r["classification"]
                for r in db.query("select url, classification from fetch_failures where resolved_at is null")}
    db.close()
    for behaviour in BEHAVIOURS:
        if EXPECTED[behaviour] == "document":
            assert behaviour in documents and documents[behaviour][2] == 200, behaviour
        else:
            assert failures.get(behaviour) == EXPECTED[behaviour], (behaviour, failures)
    retried = [t for method, path, t in server.log if path == "/too-many-requests.html"]
    assert len(retried) == 2 and retried[1] - retried[0] >= 1.0         # Retry-After: 1 was honoured
    assert Counter(path for _, path, _ in server.log)["/loop.html"] <= 11  # the loop was cut short


def _limit_file_size(limit: int):
    def apply():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)   # a write past the limit fails (EFBIG), as on a full disk
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


def test_a_full_disk_stops_the_crawl_clearly_and_it_resumes(tmp_path):
    sites_root = copy_sites(tmp_path / "sites")
    big = sites_root / "kjj.yueyang.test" / "zwgk" / "ndbg" / "201603" / "P020160320.pdf"
    big.write_bytes(b"%PDF-1.4\n" + random.Random(1).randbytes(8 * 1024 * 1024))   # will not fit
    sites = write_sites(tmp_path)
    data = tmp_path / "data"
    with SiteServer(sites_root) as server:
        whole = crawl(server, sites, tmp_path / "whole")
        assert whole.returncode == 0, whole.stderr[-2000:]
        # every capture committed as it comes: the pages before the big attachment (which link to it)
        # are in the archive before it is fetched, whatever the order of the other sites' pages
        full = start_crawl(server, sites, data, settings={"XXGK_COMMIT_EVERY_ITEMS": "1"},
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           preexec_fn=_limit_file_size(6 * 1024 * 1024))
        out, err = full.communicate(timeout=600)
        assert full.returncode != 0
        assert "the crawl stopped: disk full while writing the archive" in err
        assert "Traceback" not in err
        kept = consistent(data)
        assert 0 < len(kept) < len(consistent(tmp_path / "whole"))
        resumed = crawl(server, sites, data, "--resume")
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    assert consistent(data) == consistent(tmp_path / "whole")
    assert records(data) == records(tmp_path / "whole")


def test_attachment_names_never_become_files(tmp_path):
    """Attachments are stored in WARC records, never as files named after them: a name that
    climbs out of the data folder goes nowhere."""
    sites_root = copy_sites(tmp_path / "sites")
    page = sites_root / "kjj.yueyang.test" / "zwgk" / "ndbg" / "201603" / "t20160320_2107.html"
    hostile = ('<a href="../../../../../../evil-1.pdf">附件：../../evil-1.pdf</a>'
               '<a href="..%2F..%2F..%2Fevil-2.pdf">附件：..%2F..%2Fevil-2.pdf</a>'
               '<a href="/zwgk/%2e%2e/%2e%2e/evil-3.doc">附件：/etc/evil-3.doc</a></body>')
    page.write_bytes(page.read_bytes().replace(b"</body>", hostile.encode("utf-8")))
    for name in ("evil-1.pdf", "evil-2.pdf", "evil-3.doc"):
        (sites_root / "kjj.yueyang.test" / name).write_bytes(b"%PDF-1.4 evil")
    sites = write_sites(tmp_path)
    with SiteServer(sites_root) as server:
        result = crawl(server, sites, tmp_path / "data")
    assert result.returncode == 0, result.stderr[-2000:]
    assert any("evil" in h.path for h in server.log)             # the links were followed and fetched
    made = {p.relative_to(tmp_path / "data").parts[0] for p in (tmp_path / "data").rglob("*")}
    assert made <= {"xxgk.db", "xxgk.db-wal", "xxgk.db-shm", "xxgk.lock", "warc", "logs"}
    outside = [p for p in tmp_path.rglob("evil-*") if sites_root not in p.parents]
    assert outside == []
