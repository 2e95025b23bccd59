"""Debian's nginx serving a folder on 127.0.0.1, with its own config in a temporary
folder, started and stopped by the benchmark (nothing of the system's nginx is used
but the binary)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

CONFIG = """\
worker_processes 1;
pid {run}/nginx.pid;
error_log {run}/error.log warn;
{user}
events {{ worker_connections 1024; }}
http {{
    types {{ text/html html; image/jpeg jpg; image/png png; text/plain txt; }}
    default_type application/octet-stream;
    charset utf-8;
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    keepalive_timeout 60s;
    client_body_temp_path {run}/body;
    proxy_temp_path {run}/proxy;
    fastcgi_temp_path {run}/fastcgi;
    uwsgi_temp_path {run}/uwsgi;
    scgi_temp_path {run}/scgi;
    server {{
        listen 127.0.0.1:{port};
        root {root};
        location /101/original/bench/ {{
            rewrite "^/101/original/bench/\\d+_(\\d+)\\.jpg$" /101/pool/$1.jpg last;
            return 404;
        }}
        location ~ "^/101/pool/(\\d+)\\.jpg$" {{
            try_files /101/pool/$1.jpg =404;
        }}
    }}
}}
"""


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
    if not found:
        raise SystemExit("benchmark: needs Debian's nginx (apt-get install nginx); not found")
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Nginx:
    def __init__(self, root: Path, run_dir: Path):
        self.root = Path(root).resolve()
        self.run_dir = Path(run_dir).resolve()
        self.binary = nginx_binary()
        self.port = free_port()
        self.proc = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def version(self) -> str:
        out = subprocess.run([self.binary, "-v"], capture_output=True, text=True)
        return (out.stderr or out.stdout).strip().split("/")[-1]

    def start(self) -> Nginx:
        self.run_dir.mkdir(parents=True, exist_ok=True)
        # workers run as root's choice of user when started by root: let them read the site
        user = "user root;" if os.geteuid() == 0 else ""
        conf = self.run_dir / "nginx.conf"
        conf.write_text(CONFIG.format(run=self.run_dir, root=self.root, port=self.port, user=user))
        self.proc = subprocess.Popen(
            [self.binary, "-p", str(self.run_dir), "-c", str(conf), "-g", "daemon off;"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"benchmark: nginx did not start: {self.proc.stderr.read().decode()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise SystemExit("benchmark: nginx did not answer within 10 s")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
