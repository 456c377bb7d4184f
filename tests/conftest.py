"""Shared test helpers."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Property tests judge results, never speed: no per-example deadline and no "too slow" health
# check, which a loaded machine would trip.
settings.register_profile("xxgk", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("xxgk")

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "tests" / "examples"
REPORTS = REPO / "tests" / "archive_reports"     # one agency under several names, over several years


def corpus_places() -> list[Path]:
    """Where the project's shared corpus may be: $XXGK_CORPUS, else beside the repository
    (../shared/corpus), and nowhere else."""
    return [Path(os.environ["XXGK_CORPUS"])] if os.environ.get("XXGK_CORPUS") else [REPO.parent / "shared" / "corpus"]


def corpus_file(name: str) -> Path:
    """A document of the shared corpus; the test is skipped, saying where it looked, when the
    corpus is not there."""
    for place in corpus_places():
        if (place / name).exists():
            return place / name
    pytest.skip(f"{name} is not in the shared corpus ({', '.join(map(str, corpus_places()))}): "
                "put the corpus at ../shared/corpus beside the repository or set XXGK_CORPUS to its folder")


def xxgk(*args, cwd=None, timeout=600, env=None):
    """Run the `xxgk` command as a user would; the completed process (`timeout` bounds a hang;
    `env` adds to the environment)."""
    env = {**os.environ, "COLUMNS": "200", **(env or {})}
    return subprocess.run([sys.executable, "-m", "xxgk", *map(str, args)], capture_output=True,
                          text=True, cwd=cwd, timeout=timeout, env=env)


def fixture_files() -> list[Path]:
    """Every fixture report: the golden cases' inputs and the archive's own."""
    from tests.golden import cases, input_path

    return [input_path(c) for c in cases()] + sorted(REPORTS.iterdir())


def rows(db, sql, params=()):
    return [dict(r) for r in db.query(sql, params)]


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """An archive made by `xxgk ingest` from copies of every fixture report; the copies are then
    deleted, so whatever the archive does later it does from its own WARC files. Tests that
    change an archive work on a copy."""
    root = tmp_path_factory.mktemp("archive")
    downloads = root / "downloads"
    downloads.mkdir()
    for path in fixture_files():
        shutil.copy(path, downloads / path.name)
    result = xxgk("ingest", *sorted(downloads.iterdir()), "--data", root / "data")
    shutil.rmtree(downloads)
    return {"data": root / "data", "result": result}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_serving(data: Path, log) -> tuple[subprocess.Popen, str]:
    """`xxgk serve` on the archive in `data`, on a free port, writing to `log`: its process and
    base URL, once it answers."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "xxgk", "serve", "--data", str(data), "--port", str(port)],
                               stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300              # bounds a hang only: it waits for the server to answer
    while True:
        try:
            urllib.request.urlopen(base + "/-/versions.json", timeout=30).read()
            return process, base
        except OSError:                              # not listening yet (URLError), or slow to answer
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                log.seek(0)
                pytest.fail(f"xxgk serve did not start: {log.read()[-2000:]}")
            time.sleep(0.2)


@pytest.fixture(scope="session")
def served(built, tmp_path_factory):
    """`xxgk serve` on the built archive, on a free port: its base URL, its process, its log and
    the archive's database (opened by the test, not by the server)."""
    from archive.store import DB_NAME, open_database

    log = open(tmp_path_factory.mktemp("serve") / "datasette.log", "w+")     # a pipe nobody reads would fill
    process, base = start_serving(built["data"], log)
    yield {"base": base, "process": process, "log": log, "db": open_database(built["data"] / DB_NAME)}
    process.terminate()
    process.wait(timeout=60)
    log.close()
