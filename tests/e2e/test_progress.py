"""Progress on a terminal: ``archiver rebuild`` (and a crawl, of one process or shared by
workers) run with stderr a pseudo-terminal show a bar of the articles done, their total,
the rate and the time left; with stderr a pipe (cron) nothing of it is printed."""

from __future__ import annotations

import os
import pty
import re
import select
import shutil
import subprocess
import sys
import time

import pytest

from archiver.demo.server import SITE, FixtureServer
from tests.support.crawl import archiver_command, run_archiver
from tests.support.fixtures import ROOT
from tests.support.redisserver import RedisServer

pytestmark = pytest.mark.e2e

ARTICLES = 11  # the posts of the bundled site's lists 65 and 800, 3 pages deep
#: The article pages of its WARC archive: those 11, a video and a paywalled page (dropped).
IN_ARCHIVE = ARTICLES + 2


@pytest.fixture(scope="module")
def archived(tmp_path_factory):
    out = tmp_path_factory.mktemp("progress") / "blog"
    with FixtureServer(SITE) as server:
        status, printed, _ = run_archiver(out, server.url, "lists=65,800", "pages=3")
    assert status == 0, printed
    return out


def on_a_terminal(command: list[str], timeout: float = 180) -> tuple[int, str, str]:
    """Run ``command`` with stderr a pseudo-terminal: (exit status, stdout, what the terminal showed)."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        command, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=slave, text=True
    )
    os.close(slave)
    shown = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the other side closed
                break
            if not chunk:
                break
            shown += chunk
        elif proc.poll() is not None:
            break
    os.close(master)
    out = proc.stdout.read() if proc.stdout else ""
    return proc.wait(timeout=30), out, shown.decode("utf-8", "replace")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_rebuild_on_a_terminal_shows_done_of_total_the_rate_and_the_time_left(archived, tmp_path, jobs):
    blog = tmp_path / "blog"
    shutil.copytree(archived, blog)
    code, out, shown = on_a_terminal(
        [sys.executable, "-m", "archiver.cli", "rebuild", "--jobs", jobs, "-s", f"ARCHIVER_OUTPUT={blog}"]
    )
    assert code == 0, out + shown
    assert f"unchanged: {ARTICLES}" in out and "dropped: paywalled 1, video 1" in out, out
    final = shown.replace("\r", "\n").strip().splitlines()[-1]
    assert f"{IN_ARCHIVE}/{IN_ARCHIVE}" in final, shown  # done / total, the total from the archive
    assert "100%" in final
    assert re.search(r"articles/s|s/ articles", final), final  # the rate
    assert re.search(r"<\d\d:\d\d", final), final  # elapsed<time left
    assert "archiver rebuild" in final
    assert "unchanged" not in shown  # the summary goes to stdout, the bar alone to the terminal


def test_rebuild_with_stderr_not_a_terminal_prints_no_progress(archived, tmp_path):
    blog = tmp_path / "blog"
    shutil.copytree(archived, blog)
    done = subprocess.run(
        [sys.executable, "-m", "archiver.cli", "rebuild", "--jobs", "2", "-s", f"ARCHIVER_OUTPUT={blog}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"unchanged: {ARTICLES}" in done.stdout
    assert done.stderr == ""
    assert "articles/s" not in done.stdout and "%|" not in done.stdout


def test_a_crawl_on_a_terminal_shows_the_articles_done_and_the_rate(tmp_path):
    blog = tmp_path / "blog"
    with FixtureServer(SITE) as server:
        command = [
            sys.executable,
            "-m",
            "archiver.cli",
            "crawl",
            "jiemian",
            "-a",
            "lists=65,800",
            "-a",
            "pages=3",
            "-s",
            f"ARCHIVER_OUTPUT={blog}",
            "-s",
            f"JIEMIAN_ORIGIN={server.url}",
            "-s",
            "AUTOTHROTTLE_ENABLED=False",
            "-s",
            "DOWNLOAD_DELAY=0",
        ]
        code, out, shown = on_a_terminal(command)
    assert code == 0, out + shown
    assert f"new: {ARTICLES}" in out
    final = shown.replace("\r", "\n").strip().splitlines()[-1]
    # a crawl discovers its articles as it goes: done and the rate, no total
    shown_done = re.search(r"archiver crawl jiemian: (\d+) articles .*articles/s", final)
    assert shown_done, final
    assert int(shown_done[1]) >= ARTICLES + 2, final  # the posts, the video and the paywalled page


def crawl_with_workers(blog, origin: str, redis_url: str) -> list[str]:
    return archiver_command(
        blog, origin, "lists=65,800", "pages=3", settings={"ARCHIVER_REDIS_URL": redis_url}
    ) + ["--workers", "2"]


def test_a_shared_crawl_on_a_terminal_shows_the_whole_crawls_articles_and_rate(tmp_path):
    with RedisServer() as redis_server, FixtureServer(SITE) as server:
        code, out, shown = on_a_terminal(crawl_with_workers(tmp_path / "blog", server.url, redis_server.url))
    assert code == 0, out + shown
    assert f"new: {ARTICLES}" in out and "[2 workers]" in out, out
    final = shown.replace("\r", "\n").strip().splitlines()[-1]
    # one bar for the writer and both workers together: done and the rate, no total
    shown_done = re.search(r"archiver crawl jiemian: (\d+) articles .*(articles/s|s/ articles)", final)
    assert shown_done, final
    assert int(shown_done[1]) >= ARTICLES + 2, final  # the posts, the video and the paywalled page
    assert "new: " not in shown  # the summary goes to stdout, the bar alone to the terminal


def test_a_shared_crawl_under_cron_prints_no_progress(tmp_path):
    with RedisServer() as redis_server, FixtureServer(SITE) as server:
        done = subprocess.run(
            crawl_with_workers(tmp_path / "blog", server.url, redis_server.url),
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=180,
            stdin=subprocess.DEVNULL,
        )
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"new: {ARTICLES}" in done.stdout
    assert done.stderr == ""
    assert "articles/s" not in done.stdout and "%|" not in done.stdout
