"""A small HTTP server for a folder that mirrors jiemian's URL layout.

Used by the offline demo (``archiver demo``) and by the tests: real HTTP on
127.0.0.1, with jiemian's query-string URLs (the AJAX pager, the site feed) mapped
to files, ETag/Last-Modified validators and ``304 Not Modified`` answers like a real
web server, and optional canned answers (status, headers, body) for bad-input tests.
"""

from __future__ import annotations

import mimetypes
import sys
import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

SITE = Path(__file__).parent / "site"

TYPES = {
    ".html": "text/html; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".rss": "application/rss+xml; charset=utf-8",
    ".xml": "application/rss+xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
}
#: Files of the site folder that are documentation or test expectations, not pages.
HIDDEN_SUFFIXES = (".expected.json", ".md")


@dataclass
class Canned:
    """A fixed answer for one path (``/article/1.html``) or path+query."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


def site_file(root: Path, path: str, query: str) -> Path | None:
    """The file serving ``path?query``, or None."""
    params = {k: v[0] for k, v in parse_qs(query).items()}
    if path == "/index.php":
        if params.get("m") == "lists" and params.get("a") == "ajax_news":
            cid, page = params.get("cid", ""), params.get("page", "")
            if cid.isalnum() and page.isdigit():
                return root / "ajax" / f"lists-{cid}-{int(page)}.json"
            return None
        if params.get("m") == "article" and params.get("a") == "rss":
            return root / "rss" / "site.xml"
        return None
    if path.endswith("/"):
        path += "index.html"
    candidate = (root / unquote(path).lstrip("/")).resolve()
    if root.resolve() not in candidate.parents or candidate.name.endswith(HIDDEN_SUFFIXES):
        return None
    return candidate


class _Handler(BaseHTTPRequestHandler):
    server_version = "fixture-site/1"
    server: _Server

    def log_message(self, format, *args):  # keep test and demo output clean
        pass

    def do_GET(self):
        self.server.hits.append((self.path, dict(self.headers)))
        if self.server.delay and not self.path.startswith("/robots.txt"):
            time.sleep(self.server.delay)  # a slow site, for tests of interrupted runs
        parts = urlsplit(self.path)
        canned = self.server.canned.get(self.path) or self.server.canned.get(parts.path)
        if canned is not None:
            if callable(canned):
                canned = canned(self)
                if canned is None:  # the callable answered (or hung up) by itself
                    return None
            return self._send(canned.status, canned.body, canned.headers)
        target = site_file(self.server.root, parts.path, parts.query)
        if target is None or not target.is_file():
            return self._send(
                404,
                b"<html><body><h1>404 Not Found</h1></body></html>",
                {"Content-Type": "text/html; charset=utf-8"},
            )
        ctype = TYPES.get(target.suffix) or mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        stat = target.stat()
        etag = f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"'
        validators = {"ETag": etag, "Last-Modified": formatdate(stat.st_mtime, usegmt=True)}
        if self.headers.get("If-None-Match") == etag:  # as a real web server does
            return self._send(304, b"", validators)
        return self._send(200, target.read_bytes(), {"Content-Type": ctype, **validators})

    def _send(self, status, body, headers):
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if "Content-Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_HEAD = do_GET


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # set by FixtureServer
    root: Path
    canned: dict
    hits: list[tuple[str, dict]]
    delay: float

    def handle_error(self, request, client_address):
        """A client that hangs up mid-answer (a killed crawl) is not an error of the site."""
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return
        super().handle_error(request, client_address)


class FixtureServer:
    """``with FixtureServer() as server: server.url`` -> ``http://127.0.0.1:PORT``."""

    def __init__(self, root: Path = SITE, canned: dict | None = None, port: int = 0, delay: float = 0.0):
        self.httpd = _Server(("127.0.0.1", port), _Handler)
        self.httpd.root = Path(root)
        self.httpd.canned = dict(canned or {})
        self.httpd.hits = []
        self.httpd.delay = delay
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        if isinstance(host, bytes):  # typeshed allows bytes; an AF_INET socket gives str
            host = host.decode("ascii")
        return f"http://{host}:{port}"

    @property
    def canned(self) -> dict:
        return self.httpd.canned

    @property
    def hits(self) -> list[tuple[str, dict]]:
        """(path, request headers) of every request, in order."""
        return self.httpd.hits

    def paths(self) -> list[str]:
        return [path for path, _ in self.httpd.hits]

    def start(self) -> FixtureServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
