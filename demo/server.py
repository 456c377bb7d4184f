"""A local HTTP server for sample agency sites: the demo's offline sites and the tests' mock
sites, served on 127.0.0.1.

It is an HTTP proxy-style origin: the crawler is pointed at it as its HTTP proxy, so each site
keeps its own host name (``kjj.yueyang.test``) while every request stays on this machine. A
site is a folder named after its host::

    <root>/<host>/index.html              static files, bytes as served ("/" → index.html)
    <root>/<host>/robots.txt
    <root>/<host>/_site.toml              optional: charset label, faults, CMS endpoints
    <root>/<host>/_hanweb/<columnid>.txt  Hanweb column records, one <li>…</li> per line
    <root>/<host>/_gkmlpt/<catalog>.json  gkmlpt catalog: {"name": …, "articles": [...]}
    <root>/<host>/_xxgk/<area>/<year>.html Hanweb xxgk module: xxgkAnnualReport.jsp?area=&fbtime=
                                          (without fbtime: the newest year)

``_site.toml`` keys: ``charset`` (the label sent with HTML, right or wrong; none if absent),
``etag`` (answer conditional requests, default true), ``[gkmlpt] page_size``, and
``[[faults]]`` entries with ``path`` (exact path, or a glob), optional ``times`` (the first N
requests only; 0 = always), and one of ``status`` (with an optional ``body``), ``challenge``
(a 412 JavaScript cookie challenge), ``forbidden`` (418 访问被拦截), ``shell`` (a tiny page that
is only a script), ``redirect`` (a Location), ``delay`` (seconds before answering).

Every request is logged (``server.log``) so tests can count what the crawler fetched, and a
test can hold requests unanswered (``server.hold(...)``, ``server.release()``) to stop a crawler
at a point of its choosing instead of racing it.
"""

from __future__ import annotations

import fnmatch
import hashlib
import html
import json
import mimetypes
import threading
import time
import tomllib
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable
from urllib.parse import parse_qs, unquote_to_bytes, urlsplit

CONTENT_TYPES = {".html": "text/html", ".htm": "text/html", ".shtml": "text/html", ".txt": "text/plain",
                 ".pdf": "application/pdf", ".doc": "application/msword", ".xml": "text/xml",
                 ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                 ".xls": "application/vnd.ms-excel", ".wps": "application/vnd.ms-works",
                 ".zip": "application/zip", ".json": "application/json", ".jsp": "text/html"}


@dataclass
class Answer:
    status: int
    body: bytes = b""
    headers: dict = field(default_factory=dict)
    hang_up: bool = False          # close the connection without answering (logged as status 0)


HANG_UP = Answer(0, hang_up=True)


@dataclass
class Hit:
    """One request as the server saw it."""

    host: str
    path: str
    method: str
    status: int
    time: float
    body: bytes = b""
    headers: dict = field(default_factory=dict)


class Site:
    """One host's folder and its behaviours."""

    def __init__(self, folder: Path):
        self.folder = folder
        config = folder / "_site.toml"
        self.config = tomllib.loads(config.read_text(encoding="utf-8")) if config.exists() else {}
        self.counts: dict[str, int] = {}

    def answer(self, method: str, target: str, headers, body: bytes) -> Answer:
        path = urlsplit(target).path or "/"
        query = urlsplit(target).query
        full = path + ("?" + query if query else "")
        fault = self._fault(full)
        if fault is not None:
            return fault
        if path.endswith("/module/web/jpage/dataproxy.jsp"):
            return self._hanweb(query, body)
        if "/gkmlpt/api/all/" in path:
            return self._gkmlpt(path, query)
        if path.endswith("/module/xxgk/xxgkAnnualReport.jsp"):
            return self._xxgk(query, headers)
        return self._file(_decoded(path), headers)

    def _fault(self, full: str) -> Answer | None:
        for number, fault in enumerate(self.config.get("faults", [])):
            pattern = fault["path"]
            if not (full == pattern or urlsplit(full).path == pattern or fnmatch.fnmatch(full, pattern)):
                continue
            key = f"{number}:{full}"
            self.counts[key] = self.counts.get(key, 0) + 1
            times = fault.get("times", 0)
            if times and self.counts[key] > times:
                return None
            if "delay" in fault:
                time.sleep(fault["delay"])
                return None
            if "redirect" in fault:
                return Answer(fault.get("status", 302), b"", {"Location": fault["redirect"]})
            if fault.get("challenge"):
                return Answer(412, b'<html><head><script>var _0x=["cookie"];document.cookie="__jsl_clearance='
                                   b'1;path=/";location.reload();</script></head><body></body></html>',
                              {"Content-Type": "text/html"})
            if fault.get("forbidden"):
                return Answer(418, "<html><body><h1>访问被拦截</h1><p>您的访问请求疑似攻击行为</p></body></html>"
                              .encode("utf-8"), {"Content-Type": "text/html; charset=utf-8"})
            if fault.get("shell"):
                return Answer(200, b'<html><head><meta http-equiv="refresh" content="0;url=/"><script '
                                   b'src="/js/check.js"></script></head><body></body></html>',
                              {"Content-Type": "text/html"})
            return Answer(fault.get("status", 500), fault.get("body", "").encode("utf-8"),
                          {"Content-Type": "text/html"})
        return None

    def _file(self, path: str, request_headers) -> Answer:
        relative = path.lstrip("/")
        candidate = (self.folder / relative).resolve()
        if self.folder.resolve() not in candidate.parents and candidate != self.folder.resolve():
            return Answer(403)
        if candidate.is_dir() or path.endswith("/"):
            candidate = candidate / "index.html"
        if not candidate.is_file() or candidate.name.startswith("_"):
            return Answer(404, b"<html><body>404 Not Found</body></html>", {"Content-Type": "text/html"})
        data = candidate.read_bytes()
        etag = '"' + hashlib.sha1(data).hexdigest()[:16] + '"'
        modified = candidate.stat().st_mtime
        headers = {"Content-Type": self._content_type(candidate)}
        if self.config.get("etag", True):
            headers |= {"ETag": etag, "Last-Modified": formatdate(modified, usegmt=True)}
            if request_headers.get("If-None-Match") == etag or self._not_modified_since(request_headers, modified):
                return Answer(304, b"", headers)
        return Answer(200, data, headers)

    @staticmethod
    def _not_modified_since(request_headers, modified: float) -> bool:
        since = request_headers.get("If-Modified-Since")
        if not since or request_headers.get("If-None-Match"):
            return False
        try:
            return int(modified) <= parsedate_to_datetime(since).timestamp()
        except (TypeError, ValueError):
            return False

    def _content_type(self, path: Path) -> str:
        kind = CONTENT_TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        charset = self.config.get("charset")
        return f"{kind}; charset={charset}" if charset and kind.startswith("text/") else kind

    def _hanweb(self, query: str, body: bytes) -> Answer:
        """Hanweb's jpage data proxy: records startrecord…endrecord of a column, as XML."""
        params = {k: v[-1] for k, v in parse_qs(query).items()}
        params |= {k: v[-1] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
        source = self.folder / "_hanweb" / f"{params.get('columnid', '')}.txt"
        if not source.exists():
            return Answer(404)
        records = [line for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
        start, end = int(params.get("startrecord", 1)), int(params.get("endrecord", 45))
        perpage = int(params.get("perpage", 15))
        chosen = records[max(start - 1, 0):end]
        xml = ('<?xml version="1.0" encoding="UTF-8"?><datastore><nextgroup><![CDATA[]]></nextgroup>'
               f"<recordset>{''.join(f'<record><![CDATA[{r}]]></record>' for r in chosen)}</recordset>"
               f"<totalrecord>{len(records)}</totalrecord><totalpage>{-(-len(records) // perpage)}</totalpage>"
               "</datastore>")
        return Answer(200, xml.encode("utf-8"), {"Content-Type": "text/xml; charset=UTF-8"})

    def _gkmlpt(self, path: str, query: str) -> Answer:
        """Guangdong's gkmlpt catalog API: one page of a catalog's articles, as JSON."""
        catalog = path.rsplit("/", 1)[-1]
        source = self.folder / "_gkmlpt" / f"{catalog}.json"
        if not source.exists():
            return Answer(404)
        data = json.loads(source.read_text(encoding="utf-8"))
        size = self.config.get("gkmlpt", {}).get("page_size", 100)
        page = int(parse_qs(query).get("page", ["1"])[0])
        articles = data["articles"][(page - 1) * size:page * size]
        payload = {"classify": {"id": int(catalog), "name": data.get("name", "")}, "articles": articles,
                   "total": len(data["articles"]), "page": page}
        return Answer(200, json.dumps(payload, ensure_ascii=False).encode("utf-8"),
                      {"Content-Type": "application/json; charset=utf-8"})


    def _xxgk(self, query: str, headers) -> Answer:
        """Hanweb's xxgk module: a body's (area=) report of one year (fbtime=), else its newest."""
        params = {k: v[-1] for k, v in parse_qs(query).items()}
        folder = self.folder / "_xxgk" / params.get("area", "")
        years = sorted(p.stem for p in folder.glob("*.html")) if folder.is_dir() else []
        year = params.get("fbtime") or (years[-1] if years else "")
        return self._file(f"/_xxgk/{params.get('area', '')}/{year}.html", headers)


def _decoded(path: str) -> str:
    """A %-escaped path as a file name: UTF-8 escapes, or GBK ones as older sites write them."""
    raw = unquote_to_bytes(path)
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


class SiteServer:
    """Serves every host folder under `root` (and generated hosts) on 127.0.0.1."""

    def __init__(self, root: Path | None = None, generated: dict[str, Callable[[str], Answer]] | None = None,
                 port: int = 0, log: bool = True):
        self.root = root
        self.sites = {p.name: Site(p) for p in root.iterdir() if p.is_dir()} if root else {}
        self.generated = generated or {}
        self.log: list[Hit] = []
        self.keep_log = log
        self._lock = threading.Lock()
        self._gate = threading.Condition(self._lock)
        self._holding: tuple[int, Callable[[dict], bool]] | None = None   # (answers left, whose)
        self._stopping = False
        self._waiting = 0
        self._generation = 0
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self._thread: threading.Thread | None = None

    @property
    def proxy(self) -> str:
        """The URL to give the crawler as its HTTP proxy."""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "SiteServer":
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        with self._gate:
            self._stopping = True
            self._gate.notify_all()
        self.httpd.shutdown()
        self.httpd.server_close()

    def hold(self, after: int = 0, whose: Callable[[dict], bool] = lambda headers: True) -> None:
        """Answer `after` more of the requests whose headers `whose` accepts, then leave the
        rest of them unanswered until `release()` (a crawler waits on them, as on a slow site)."""
        with self._gate:
            self._holding = (after, whose)
            self._gate.notify_all()

    def release(self) -> None:
        """Answer the held requests, and every request from now on."""
        with self._gate:
            self._holding = None
            self._gate.notify_all()

    def drop(self) -> None:
        """Close the requests held so far unanswered (the crawler waiting on them is gone)."""
        with self._gate:
            self._generation += 1
            self._gate.notify_all()

    def held(self) -> int:
        """How many requests are waiting to be answered."""
        with self._gate:
            return self._waiting

    def _pass_gate(self, headers: dict) -> bool:
        """Wait while this request is held; False when the server stops first."""
        with self._gate:
            counted, generation = False, self._generation
            while self._holding is not None and not self._stopping and self._generation == generation:
                left, whose = self._holding
                if not whose(headers):
                    break
                if left > 0:
                    self._holding = (left - 1, whose)
                    break
                if not counted:
                    self._waiting, counted = self._waiting + 1, True
                self._gate.wait()
            if counted:
                self._waiting -= 1
            return not self._stopping and self._generation == generation

    def __enter__(self) -> "SiteServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def hits(self, host: str | None = None, path: str | None = None) -> list[Hit]:
        with self._lock:
            return [h for h in self.log if (host is None or h.host == host) and (path is None or h.path == path)]

    def answer(self, method: str, target: str, headers, body: bytes) -> tuple[str, Answer]:
        parts = urlsplit(target)
        host = (parts.hostname or headers.get("Host", "").split(":")[0]).lower()
        path = parts.path + ("?" + parts.query if parts.query else "") if parts.scheme else target
        if host in self.generated:
            return host, self.generated[host](path)
        site = self.sites.get(host)
        if site is None:
            return host, Answer(502, f"no such host: {html.escape(host)}".encode(), {"Content-Type": "text/plain"})
        return host, site.answer(method, path, headers, body)

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            server_version = "xxgk-sites/1.0"

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                if not server._pass_gate(dict(self.headers.items())):
                    self.close_connection = True
                    return
                host, answer = server.answer(self.command, self.path, self.headers, body)
                if server.keep_log:
                    path = urlsplit(self.path).path + ("?" + urlsplit(self.path).query if urlsplit(self.path).query else "")
                    with server._lock:
                        server.log.append(Hit(host, path, self.command, answer.status, time.time(), body,
                                              dict(self.headers.items())))
                if answer.hang_up:
                    self.close_connection = True
                    return
                self.send_response(answer.status)
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                if answer.status != 304:
                    self.send_header("Content-Length", str(len(answer.body)))
                try:
                    self.end_headers()
                    if self.command != "HEAD" and answer.status != 304:
                        self.wfile.write(answer.body)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True       # a held request whose crawler was killed

            do_GET = do_POST = do_HEAD = _serve

            def log_message(self, *args) -> None:
                pass

        return Handler


def main() -> None:
    """python -m demo.server ROOT [--port N]: serve a folder of sites until interrupted."""
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("root", type=Path)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    server = SiteServer(args.root, port=args.port, log=False)
    print(f"serving {', '.join(sorted(server.sites))} through proxy {server.proxy}", flush=True)
    try:
        server.httpd.serve_forever()
    except KeyboardInterrupt:
        server.stop()


if __name__ == "__main__":
    main()
