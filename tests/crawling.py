"""Helpers for tests that crawl the mock sites in tests/sites through a local server."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from sqlite_utils import Database

SITES = Path(__file__).parent / "sites"
EXPECTED = tomllib.loads((SITES / "_expected.toml").read_text(encoding="utf-8"))
# Local sites: no need to be slow; retries still happen, after a short pause.
FAST = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False", "XXGK_RETRY_BACKOFF_BASE": "0.05",
        "CONCURRENT_REQUESTS_PER_DOMAIN": "4", "XXGK_PROGRESS_INTERVAL": "0.5",
        "XXGK_BLOCK_BACKOFF_DELAY": "0.1", "XXGK_BLOCKS_BEFORE_GIVING_UP": "5"}
TEST_SITES = """
[[site]]
name = "yueyang-kjj"
agency = "岳阳市科技局"
region = "430600"
start_urls = ["http://kjj.yueyang.test/"]

[[site]]
name = "pingjiang"
start_urls = ["http://www.pingjiang.test/"]

[[site]]
name = "shaoguan-rsj"
start_urls = ["http://www.shaoguan.test/gkmlpt/index"]

[[site]]
name = "hanshou"
start_urls = ["http://www.hanshou.test/"]

[[site]]
name = "weishan"
start_urls = ["http://www.weishan.test/"]

[[site]]
name = "yunxian"
start_urls = ["http://www.ynyx.test/"]

[[site]]
name = "zongyang"
start_urls = ["http://www.zongyang.test/"]

[[site]]
name = "huachuan"
start_urls = ["http://www.huachuan.test/"]

[[site]]
name = "langao"
start_urls = ["http://www.langao.test/"]

[[site]]
name = "baishui"
start_urls = ["http://www.baishui.test/"]

[[site]]
name = "haitang"
start_urls = ["http://ht.sanya.test/"]

[[site]]
name = "shanghai"
start_urls = ["http://www.shanghai.test/"]
"""


def copy_sites(target: Path) -> Path:
    """A copy of the mock sites a test may change."""
    shutil.copytree(SITES, target)
    return target


def write_sites(folder: Path, text: str = TEST_SITES) -> Path:
    path = folder / "sites.toml"
    path.write_text(text, encoding="utf-8")
    return path


def crawl(server, sites: Path, data: Path, *args: str, settings: dict | None = None,
          cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run `xxgk crawl` as a user does, through the local server."""
    return subprocess.run(crawl_command(server, sites, data, *args, settings=settings), capture_output=True,
                          text=True, timeout=600, cwd=cwd, env=crawl_env())


def start_crawl(server, sites: Path, data: Path, *args: str, settings: dict | None = None, **popen) -> subprocess.Popen:
    """`xxgk crawl` started in the background (to be killed, say)."""
    return subprocess.Popen(crawl_command(server, sites, data, *args, settings=settings), env=crawl_env(), **popen)


def crawl_command(server, sites: Path, data: Path, *args: str, settings: dict | None = None) -> list[str]:
    options = [a for name, value in {**FAST, **(settings or {})}.items() for a in ("-s", f"{name}={value}")]
    return [sys.executable, "-m", "xxgk", "crawl", "--sites", str(sites), "--data", str(data),
            "--via", server.proxy, *options, *args]


def crawl_env() -> dict:
    return {k: v for k, v in os.environ.items() if k.lower() not in ("http_proxy", "no_proxy")}


def archive(data: Path) -> Database:
    return Database(data / "xxgk.db")
