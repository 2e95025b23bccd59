"""``archiver crawl jiemian --workers N``: worker processes share one crawl through a real
``redis-server`` (scrapy-redis), one writer writes the blog: the same posts and state as
one process, nothing lost when a worker is killed, clear errors when Redis is not there."""

from __future__ import annotations

import json
import sqlite3
import subprocess
from pathlib import Path

import pytest
import redis

from archiver.demo.server import SITE, FixtureServer
from tests.support.crawl import archiver_command
from tests.support.fixtures import ROOT
from tests.support.redisserver import RedisServer

pytestmark = pytest.mark.e2e

BACKFILL = ("lists=65,800", "pages=3")
ALL_ARTICLES = 11  # every article of lists 65 and 800 but the paywalled one and the video


@pytest.fixture
def redis_server():
    with RedisServer() as server:
        yield server


@pytest.fixture
def site():
    with FixtureServer(SITE) as server:
        yield server


def command(out: Path, origin: str, redis_url: str, *more: str, settings=None) -> list[str]:
    merged = {"ARCHIVER_REDIS_URL": redis_url, **(settings or {})}
    return archiver_command(out, origin, *BACKFILL, settings=merged) + list(more)


def shared_run(out: Path, origin: str, redis_url: str, *more: str, settings=None, workers: int = 2):
    proc = subprocess.run(
        command(out, origin, redis_url, "--workers", str(workers), *more, settings=settings),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        stdin=subprocess.DEVNULL,
    )
    return proc.returncode, proc.stdout + proc.stderr


def one_process_run(out: Path, origin: str) -> None:
    proc = subprocess.run(
        archiver_command(out, origin, *BACKFILL), cwd=ROOT, capture_output=True, text=True, timeout=180
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def files(root: Path, folder: str) -> dict[str, bytes]:
    base = root / folder
    return {str(p.relative_to(base)): p.read_bytes() for p in sorted(base.rglob("*")) if p.is_file()}


def state_rows(root: Path) -> dict[str, list]:
    """What the state holds, without the times of day it was written."""
    db = sqlite3.connect(root / ".archiver" / "state.sqlite")
    rows = {
        "posts": db.execute(
            "SELECT key, url, path, written_hash, ours, upstream_hash, published, gone_since FROM posts ORDER BY key"
        ).fetchall(),
        "pages": [
            (url, etag, modified, [entry[:2] + entry[3:] for entry in json.loads(entries)])
            for url, etag, modified, entries in db.execute(
                "SELECT url, etag, last_modified, entries FROM pages ORDER BY url"
            )
        ],  # an entry's date (its third field) is the fetch time when the list gives none
        "failures": db.execute(
            "SELECT url, key, reason, detail, attempts FROM failures ORDER BY url"
        ).fetchall(),
        "runs": db.execute("SELECT spider, result FROM runs").fetchall(),
    }
    db.close()
    return rows


def test_two_workers_write_what_one_process_writes(tmp_path, redis_server):
    one, two = tmp_path / "one", tmp_path / "two"
    with FixtureServer(SITE) as site:
        one_process_run(one, site.url)
    # slow answers, and two requests at a time per worker: each worker gets its share
    slow = FixtureServer(SITE, delay=0.1).start()
    try:
        code, out = shared_run(two, slow.url, redis_server.url, settings={"CONCURRENT_REQUESTS": "2"})
        article_hits = [p for p in slow.paths() if p.startswith("/article/")]
    finally:
        slow.stop()
    assert code == 0, out
    assert "[2 workers]" in out and f"new: {ALL_ARTICLES}" in out
    assert len(files(two, "_posts")) == ALL_ARTICLES
    assert files(two, "_posts") == files(one, "_posts")  # byte for byte
    assert files(two, "img") == files(one, "img")
    assert state_rows(two) == state_rows(one)
    logs = sorted((two / ".archiver" / "logs").glob("*-[12].log"))
    assert len(logs) == 2  # both workers fetched articles
    for log in logs:
        assert "archiver/workers/shipped" in log.read_text(encoding="utf-8"), log
    assert len(article_hits) == len(set(article_hits))  # no page fetched twice
    client = redis.Redis.from_url(redis_server.url)
    assert client.keys("*") == []  # a clean finish leaves nothing in Redis

    with FixtureServer(SITE) as site:
        code, out = shared_run(two, site.url, redis_server.url)  # the cron run after it
    assert code == 0, out
    assert "new: 0" in out
    assert files(two, "_posts") == files(one, "_posts")


@pytest.mark.parametrize(
    "url, said",
    [
        ("http://127.0.0.1:6379/0", "ARCHIVER_REDIS_URL=http://127.0.0.1:6379/0: not a Redis URL"),
        ("redis://127.0.0.1:1/0", "ARCHIVER_REDIS_URL=redis://127.0.0.1:1/0: Redis cannot be reached"),
        ("", "--workers needs a Redis: set ARCHIVER_REDIS_URL"),
    ],
)
def test_a_redis_url_that_cannot_serve_stops_before_any_fetch(tmp_path, site, url, said):
    code, out = shared_run(tmp_path / "blog", site.url, url)
    assert code == 1
    lines = out.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"archiver: {said}"), out
    assert site.paths() == []
    assert not (tmp_path / "blog" / "_posts").exists()
