"""``archiver preview`` as a user runs it: the demo's posts built in the Hux theme and
served on 127.0.0.1, fetched over HTTP, stopped with Ctrl-C (SIGINT)."""

from __future__ import annotations

import json
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urljoin

import pytest
from lxml import html as lhtml

from archiver.demo.server import SITE
from tests.support import jekyll as jc
from tests.support.fixtures import ROOT

ARTICLE = "14835210"  # a bylined article with three images and a cover
EXPECTED = json.loads((SITE / "article" / f"{ARTICLE}.expected.json").read_text("utf-8"))
SERVING = re.compile(r"Serving the preview at (http://127\.0\.0\.1:(\d+)/)")
WORKDIR = re.compile(r"Building \d+ posts of .* in the Hux theme, in (\S+)")


@pytest.fixture(scope="module")
def demo_blog(tmp_path_factory) -> Path:
    blog = tmp_path_factory.mktemp("preview") / "blog"
    proc = subprocess.run(
        [sys.executable, "-m", "archiver.cli", "demo", "--output", str(blog)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return blog


class Preview:
    """``python -m archiver.cli preview …`` in a subprocess, its output read as it comes."""

    def __init__(self, *args: str, env: dict | None = None):
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "archiver.cli", "preview", *args],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.out: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.put(line)

    def wait_for(self, pattern: re.Pattern, timeout: float = 120) -> re.Match:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                if self.proc.poll() is not None and self.lines.empty():
                    break
                continue
            self.out.append(line)
            m = pattern.search(line)
            if m:
                return m
        self.proc.kill()
        raise AssertionError(
            f"no {pattern.pattern!r} in {''.join(self.out)!r}; stderr: {self.proc.stderr.read()}"
        )

    def interrupt(self) -> tuple[int, str, str]:
        self.proc.send_signal(signal.SIGINT)
        code = self.proc.wait(timeout=30)
        time.sleep(0.1)  # let the reader thread take the last lines
        while not self.lines.empty():
            self.out.append(self.lines.get())
        return code, "".join(self.out), self.proc.stderr.read()

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def get(url: str) -> tuple[int, str, bytes]:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status, response.headers.get("Content-Type", ""), response.read()


def listening_addresses(port: int) -> set[str]:
    """The IPv4/IPv6 addresses a socket of this machine listens on at ``port`` (Linux's
    /proc/net/tcp and tcp6: hex address, state 0A = LISTEN)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, _, hex_port = local.partition(":")
            if state == "0A" and int(hex_port, 16) == port:
                if len(address) == 8:
                    found.add(socket.inet_ntop(socket.AF_INET, bytes.fromhex(address)[::-1]))
                else:
                    words = [bytes.fromhex(address[i : i + 8])[::-1] for i in range(0, 32, 8)]
                    found.add(socket.inet_ntop(socket.AF_INET6, b"".join(words)))
    return found


def _refused(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


@pytest.mark.e2e
@pytest.mark.jekyll
def test_preview_serves_the_posts_in_the_hux_theme_and_stops_on_ctrl_c(demo_blog, tmp_path):
    preview = Preview("-s", f"ARCHIVER_OUTPUT={demo_blog}")
    try:
        workdir = Path(preview.wait_for(WORKDIR).group(1))
        url, port = preview.wait_for(SERVING).groups()
        assert workdir.is_dir()
        # this machine only: bound to the loopback address, not to every interface
        assert listening_addresses(int(port)) == {"127.0.0.1"}

        # the home page lists the posts; follow the link to the article's post
        status, _, home = get(url)
        assert status == 200
        doc = lhtml.fromstring(home, parser=lhtml.HTMLParser(encoding="utf-8"))
        links = {
            jc.norm_ws(a.findtext(".//h2")): a.get("href")
            for a in doc.xpath('//div[@class="post-preview"]/a')
        }
        assert EXPECTED["title"] in links, links
        post_url = urljoin(url, links[EXPECTED["title"]])
        status, content_type, page = get(post_url)
        assert status == 200 and content_type.startswith("text/html")
        saved = tmp_path / "post.html"
        saved.write_bytes(page)
        view = jc.post_view(saved)
        assert view.title == EXPECTED["title"]
        assert view.subtitle == EXPECTED["lead"]
        assert view.author == "/".join(EXPECTED["authors"])
        assert view.posted_by.startswith(f"Posted by {view.author} on ")
        assert view.source_link_href == EXPECTED["url"]

        # every image of the post, and its header picture, loads
        assert len(view.images) == 3 and view.header_img
        for src in [*view.images, view.header_img]:
            status, content_type, data = get(urljoin(post_url, src))
            assert status == 200 and content_type.startswith("image/"), src
            assert data[:3] == b"\xff\xd8\xff" or data[:8] == b"\x89PNG\r\n\x1a\n", src
        # the preview does not report to the theme author's analytics or comments
        assert b"UA-49627206-1" not in page and b"disqus.com/embed.js" not in page
    finally:
        code, out, err = preview.interrupt() if preview.proc.poll() is None else (None, "", "")
        preview.kill()
    assert code == 0, out + err
    assert "Traceback" not in err and "Traceback" not in out, err
    assert "Stopped." in out
    assert not workdir.exists(), "the temporary build folder was left behind"
    assert _refused(int(port))
    # the blog was only read
    assert not (demo_blog / "_site").exists()


@pytest.mark.e2e
@pytest.mark.jekyll
def test_every_demo_post_reads_right_in_the_hux_theme(demo_blog, tmp_path):
    posts = sorted((demo_blog / "_posts").glob("*.md"))
    build = jc.build_blog(demo_blog, tmp_path / "work")
    assert build.ok, build.describe()
    assert len(posts) == 11 and build.unrendered == []
    assert jc.check_posts(build, posts) == []


@pytest.mark.e2e
@pytest.mark.jekyll
def test_preview_on_a_given_port(demo_blog):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    preview = Preview("--port", str(port), "-s", f"ARCHIVER_OUTPUT={demo_blog}")
    try:
        url, printed = preview.wait_for(SERVING).groups()
        assert int(printed) == port
        assert get(url)[0] == 200
    finally:
        code, _, err = preview.interrupt()
        preview.kill()
    assert code == 0 and "Traceback" not in err


@pytest.mark.e2e
def test_preview_without_jekyll_names_the_debian_packages(demo_blog, tmp_path):
    empty = tmp_path / "bin"
    empty.mkdir()
    env = dict(os.environ, PATH=str(empty))
    proc = subprocess.run(
        [sys.executable, "-m", "archiver.cli", "preview", "-s", f"ARCHIVER_OUTPUT={demo_blog}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode != 0
    assert "Jekyll is not installed" in proc.stderr
    assert "apt-get install jekyll ruby-jekyll-paginate" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert "Serving" not in proc.stdout


@pytest.mark.e2e
def test_preview_of_a_folder_without_posts_says_so(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "archiver.cli", "preview", "-s", f"ARCHIVER_OUTPUT={tmp_path / 'none'}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode != 0
    assert "no _posts/ in" in proc.stderr and "archiver demo" in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.e2e
@pytest.mark.jekyll
def test_preview_on_a_busy_port_says_so_before_building(demo_blog):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "archiver.cli",
                "preview",
                "--port",
                str(port),
                "-s",
                f"ARCHIVER_OUTPUT={demo_blog}",
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
            stdin=subprocess.DEVNULL,
        )
    assert proc.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in proc.stderr
    assert "Traceback" not in proc.stderr and "Building" not in proc.stdout
