"""A site that misbehaves at the socket level, for the crawler's fault tests: connection resets,
silence, slow drip, truncated bodies, wrong Content-Length, redirect loops, 429 with
Retry-After, a gzip bomb. It speaks raw HTTP/1.1 on 127.0.0.1 and is used as the crawler's
proxy, so any host name reaches it."""

from __future__ import annotations

import gzip
import socket
import socketserver
import struct
import threading
import time
from urllib.parse import urlsplit

REPORT = ("<html><head><meta charset='utf-8'><title>{title}</title></head><body><h1>{title}</h1>"
          "<p>一、概述</p><p>2019年，本局主动公开政府信息{n}条。</p><p>二、依申请公开情况</p>"
          "<p>全年共收到政府信息公开申请{n}件。</p>" + "<p>本局认真落实政府信息公开条例。</p>" * 40 + "</body></html>")
BEHAVIOURS = ("good", "reset", "silence", "drip", "truncated", "short-length", "loop", "too-many-requests",
              "gzip-bomb")
# what each behaviour must leave in the archive: a document, or a failure of this classification
EXPECTED = {"good": "document", "too-many-requests": "document", "short-length": "document",
            "reset": "connection", "silence": "timeout", "drip": "timeout", "truncated": "connection",
            "loop": "redirect_loop", "gzip-bomb": "too_large"}
BOMB_SIZE = 64 * 1024 * 1024           # decompressed; the test sets DOWNLOAD_MAXSIZE below it


def _bomb() -> bytes:
    return gzip.compress(b"\0" * BOMB_SIZE, compresslevel=9)


class HostileServer:
    """`with HostileServer() as server:` … `server.proxy`, `server.log` (method, path, time)."""

    def __init__(self):
        self.log: list[tuple[str, str, float]] = []
        self.seen: dict[str, int] = {}
        self.bomb = _bomb()
        outer = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self):
                outer._handle(self.request)

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]

    @property
    def proxy(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def _handle(self, sock: socket.socket) -> None:
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = sock.recv(65536)
            if not chunk:
                return
            head += chunk
        method, target = head.split(b"\r\n", 1)[0].decode("latin-1").split(" ")[:2]
        path = urlsplit(target).path
        self.log.append((method, path, time.monotonic()))
        self.seen[path] = self.seen.get(path, 0) + 1
        name = path.strip("/").removesuffix(".html")
        try:
            getattr(self, "_" + name.replace("-", "_"), self._other)(sock, path)
        except OSError:
            pass

    # --- behaviours ------------------------------------------------------------------------
    @staticmethod
    def _send(sock, status: str, body: bytes, headers: dict | None = None, length: int | None = None) -> None:
        lines = [f"HTTP/1.1 {status}", "Content-Type: text/html; charset=utf-8",
                 f"Content-Length: {len(body) if length is None else length}", "Connection: close",
                 *[f"{k}: {v}" for k, v in (headers or {}).items()]]
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)

    def _other(self, sock, path):
        if path in ("", "/"):
            links = "".join(f'<li><a href="/{b}.html">某县{b}局2019年政府信息公开工作年度报告</a></li>' for b in BEHAVIOURS)
            self._send(sock, "200 OK", f"<html><body><ul>{links}</ul></body></html>".encode())
        else:
            self._send(sock, "404 Not Found", b"not found")

    def _good(self, sock, path):
        self._send(sock, "200 OK", REPORT.format(title="某县good局2019年政府信息公开工作年度报告", n=12).encode())

    def _reset(self, sock, path):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.close()                                      # RST instead of an answer

    def _silence(self, sock, path):
        time.sleep(8)                                     # longer than the crawler's DOWNLOAD_TIMEOUT

    def _drip(self, sock, path):
        body = REPORT.format(title="drip", n=1).encode()
        sock.sendall(f"HTTP/1.1 200 OK\r\nContent-Length: {len(body)}\r\n\r\n".encode())
        for byte in body[:40]:
            sock.sendall(bytes([byte]))
            time.sleep(0.25)                              # 40 bytes in 10 s: past the timeout

    def _truncated(self, sock, path):
        body = REPORT.format(title="truncated", n=2).encode()
        self._send(sock, "200 OK", body[:300], length=len(body))   # promises more than it sends

    def _short_length(self, sock, path):
        body = REPORT.format(title="某县short-length局2019年政府信息公开工作年度报告", n=3).encode()
        self._send(sock, "200 OK", body + b"<p>trailing bytes past the declared length</p>", length=len(body))

    def _loop(self, sock, path):
        self._send(sock, "302 Found", b"", headers={"Location": "/loop-back.html"})

    def _loop_back(self, sock, path):
        self._send(sock, "302 Found", b"", headers={"Location": "/loop.html"})

    def _too_many_requests(self, sock, path):
        if self.seen[path] == 1:
            self._send(sock, "429 Too Many Requests", b"slow down", headers={"Retry-After": "1"})
        else:
            self._send(sock, "200 OK", REPORT.format(title="某县429局2019年政府信息公开工作年度报告", n=4).encode())

    def _gzip_bomb(self, sock, path):
        self._send(sock, "200 OK", self.bomb, headers={"Content-Encoding": "gzip"})
