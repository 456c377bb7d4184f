"""Shared test helpers."""

import os
import shutil
import subprocess
import sys
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
# The project's shared corpus lives beside the repository (../shared/corpus); CI machines have
# it at /work/shared. XXGK_CORPUS points elsewhere.
CORPUS_PLACES = [os.environ.get("XXGK_CORPUS"), REPO.parent / "shared" / "corpus", "/work/shared/corpus"]


def corpus_file(name: str) -> Path:
    """A document of the shared corpus; fails (does not skip) when the corpus is missing."""
    for place in CORPUS_PLACES:
        if place and (Path(place) / name).exists():
            return Path(place) / name
    pytest.fail(f"{name} not found in the shared corpus ({', '.join(map(str, filter(None, CORPUS_PLACES)))}); "
                "set XXGK_CORPUS to its folder")


def xxgk(*args, cwd=None, timeout=600):
    """Run the `xxgk` command as a user would; the completed process (`timeout` bounds a hang)."""
    env = {**os.environ, "COLUMNS": "200"}
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
