"""Runs that overlap, runs that are killed, backfills that are paused: nothing partial,
nothing lost, and the next run finishes the work."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import frontmatter
import pytest

from archiver.demo.server import SITE, FixtureServer
from tests.support.crawl import archiver_command, run_archiver
from tests.support.fixtures import ROOT
from tests.support.waiting import wait_for

pytestmark = pytest.mark.e2e

BACKFILL = ("lists=65,800", "pages=3")
ALL_ARTICLES = 11  # every article of lists 65 and 800 but the paywalled one and the video


def posts(root: Path) -> list[Path]:
    return sorted((root / "_posts").glob("*.md")) if (root / "_posts").is_dir() else []


def assert_consistent(root: Path) -> None:
    """Every visible file is whole: posts parse and end with their source link."""
    for post in posts(root):
        text = post.read_text(encoding="utf-8")
        assert frontmatter.loads(text)["layout"] == "post"
        assert text.endswith('{:target="_blank"}\n\n\n'), post
    db = sqlite3.connect(root / ".archiver" / "state.sqlite")
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def start(out: Path, origin: str, *args: str, settings=None) -> subprocess.Popen:
    return subprocess.Popen(
        archiver_command(out, origin, *args, settings=settings),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )


def test_a_second_run_exits_at_once_while_one_is_running(tmp_path):
    out = tmp_path / "blog"
    with FixtureServer(SITE, delay=1.0) as server:
        first = start(out, server.url, *BACKFILL)
        lock = out / ".archiver" / "run.lock"
        assert wait_for(lambda: lock.exists() and "pid" in lock.read_text())
        began = time.monotonic()
        status, printed, _report = run_archiver(out, server.url, *BACKFILL)
        waited = time.monotonic() - began
        first_out, _ = first.communicate(timeout=180)
    assert status == 75, printed
    assert "another run of this blog is in progress; nothing done" in printed
    assert waited < 15, "the second run must not wait for the first"
    assert first.returncode == 0, first_out
    assert len(posts(out)) == ALL_ARTICLES


def test_a_lock_left_by_a_killed_run_is_recovered(tmp_path):
    out = tmp_path / "blog"
    with FixtureServer(SITE, delay=0.3) as server:
        victim = start(out, server.url, *BACKFILL)
        assert wait_for(lambda: (out / ".archiver" / "run.lock").exists())
        os.killpg(victim.pid, signal.SIGKILL)
        victim.wait()
        status, printed, _ = run_archiver(out, server.url, "ids=1108857")
    assert status == 0, printed


@pytest.mark.parametrize("kill_after_posts", [0, 1, 4, 8])
def test_a_run_killed_at_any_moment_leaves_nothing_partial_and_the_next_run_finishes(
    tmp_path, kill_after_posts
):
    out = tmp_path / "blog"
    with FixtureServer(SITE, delay=0.05) as server:
        victim = start(out, server.url, *BACKFILL)
        if kill_after_posts:
            assert wait_for(lambda: len(posts(out)) >= kill_after_posts)
        else:
            assert wait_for(lambda: (out / ".archiver" / "state.sqlite").exists())
        os.killpg(victim.pid, signal.SIGKILL)
        victim.wait()
        assert_consistent(out)
        status, printed, _report = run_archiver(out, server.url, *BACKFILL)
    assert status == 0, printed
    assert len(posts(out)) == ALL_ARTICLES
    assert_consistent(out)
    leftovers = [p for p in out.rglob(".*.tmp")] + [p for p in out.rglob("*.open")]
    assert leftovers == []
    # the WARC file the killed run was writing was cut back to whole records and closed
    warcs = sorted((out / ".archiver" / "warc").glob("*.warc.gz"))
    check = subprocess.run(
        [sys.executable, "-m", "warcio.cli", "check", *map(str, warcs)], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout + check.stderr
    for image in (out / "img").rglob("*.*"):
        assert image.stat().st_size > 1000, image  # whole images only


def test_a_paused_backfill_resumes_from_its_job_directory(tmp_path):
    out, job = tmp_path / "blog", tmp_path / "job"
    settings = {"JOBDIR": str(job)}
    with FixtureServer(SITE, delay=0.2) as server:
        paused = start(out, server.url, *BACKFILL, settings=settings)
        assert wait_for(lambda: len(posts(out)) >= 2)
        os.killpg(paused.pid, signal.SIGINT)  # Ctrl-C: Scrapy stops gracefully, keeping its queue
        paused_out, _ = paused.communicate(timeout=120)
        done_before = len(posts(out))
        assert done_before < ALL_ARTICLES, "paused too late to prove anything"
        assert (job / "requests.queue").exists()
        server.hits.clear()
        status, printed, _report = run_archiver(out, server.url, *BACKFILL, settings=settings)
        asked = [p for p in server.paths() if p.startswith("/article/")]
    assert "shutdown" in paused_out
    assert status == 0, printed
    assert len(posts(out)) == ALL_ARTICLES
    assert len(asked) <= ALL_ARTICLES - done_before + 1  # the rest, not everything again
