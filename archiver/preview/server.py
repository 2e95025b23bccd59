"""The preview's HTTP server (its own module: ``archiver`` imports the preview package to
list its arguments, and http.server is a tenth of a second of start-up)."""

from __future__ import annotations

import socket
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer


class _Handler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # one quiet line per request is noise here
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True


class _Server6(_Server):
    address_family = socket.AF_INET6


def _bind(host: str, port: int) -> _Server:
    """The listening server, before the build: a busy port fails at once."""
    cls = _Server6 if ":" in host else _Server
    return cls((host, port), _Handler, bind_and_activate=True)
