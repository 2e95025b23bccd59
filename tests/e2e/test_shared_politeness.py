"""Politeness across workers (archiver/workers/throttle.py): two crawl processes sharing a
real ``redis-server`` keep one site's delay and concurrency together, as the site sees it.

The site records when each request arrives and when its answer starts (before the first
byte is sent, so an interval is inside the client's lease). Each process crawls its own
articles into its own blog, so every hit is known to be one process's or the other's; the
same two processes without the shared leases show that the site would see more.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import redis

from archiver.demo.server import SITE, Canned, FixtureServer, _Handler
from tests.support.fixtures import ROOT
from tests.support.redisserver import RedisServer

pytestmark = pytest.mark.e2e

PREFIX = "politeness-test"
HANDLERS = json.dumps(
    {
        "http": "archiver.workers.throttle.PoliteDownloadHandler",
        "https": "archiver.workers.throttle.PoliteDownloadHandler",
    }
)
FIRST = ("1108857", "1124578", "14712056", "2081436", "14826640")
SECOND = ("14819087", "14828876", "14831415", "14835210", "14837702")
LEASES = f"{PREFIX}:polite:127.0.0.1:leases"


class _TimedHandler(_Handler):
    def do_GET(self):
        started = time.monotonic()
        self._started = started
        super().do_GET()

    def _send(self, status, body, headers):
        self.server.intervals.append((self.path, self._started, time.monotonic()))
        super()._send(status, body, headers)

    do_HEAD = do_GET


class TimedSite(FixtureServer):
    """The demo site, recording (path, arrival, answer) of every request. With ``together``,
    robots.txt (each crawl's first request) is answered once that many crawls asked for it,
    so that they fetch their articles during the same stretch of time."""

    def __init__(self, together: int = 0, **kwargs):
        super().__init__(SITE, **kwargs)
        if together:
            barrier = threading.Barrier(together, timeout=60)
            robots = Canned(200, (SITE / "robots.txt").read_bytes(), {"Content-Type": "text/plain"})

            def wait_for_the_others(handler):
                barrier.wait()
                return robots

            self.canned["/robots.txt"] = wait_for_the_others
        self.httpd.RequestHandlerClass = _TimedHandler
        self.httpd.intervals = []

    def intervals(self, ids) -> list[tuple[float, float]]:
        return [(a, b) for path, a, b in self.httpd.intervals if any(f"/{i}.html" in path for i in ids)]

    def article_hits(self) -> list[tuple[str, float, float]]:
        return [hit for hit in self.httpd.intervals if hit[0].startswith("/article/")]


@pytest.fixture
def redis_server():
    with RedisServer() as server:
        yield server


def crawl(tmp_path: Path, name: str, origin: str, ids, settings: dict) -> subprocess.Popen:
    out = tmp_path / name
    tmp_path.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "scrapy", "crawl", "jiemian", "-a", "ids=" + ",".join(ids)]
    merged = {
        "JIEMIAN_ORIGIN": origin,
        "ARCHIVER_OUTPUT": str(out),
        "ARCHIVER_IMAGES": "False",
        "AUTOTHROTTLE_ENABLED": "False",
        "ARCHIVER_RETRY_BACKOFF_BASE": "0.05",
        "LOG_FILE": str(tmp_path / f"{name}.log"),
        **settings,
    }
    for key, value in merged.items():
        command += ["-s", f"{key}={value}"]
    env = dict(os.environ, SCRAPY_SETTINGS_MODULE="archiver.settings")
    return subprocess.Popen(command, cwd=ROOT, env=env, stdin=subprocess.DEVNULL)


def shared(redis_url: str, **settings) -> dict:
    return {
        "DOWNLOAD_HANDLERS": HANDLERS,
        "ARCHIVER_REDIS_URL": redis_url,
        "ARCHIVER_REDIS_PREFIX": PREFIX,
        **settings,
    }


def both(tmp_path: Path, site: TimedSite, settings: dict) -> None:
    procs = {
        name: crawl(tmp_path, name, site.url, ids, settings)
        for name, ids in (("first", FIRST), ("second", SECOND))
    }
    for name, proc in procs.items():
        assert proc.wait(timeout=120) == 0, (tmp_path / f"{name}.log").read_text()[-3000:]
    for name, ids in (("first", FIRST), ("second", SECOND)):
        assert len(list((tmp_path / name / "_posts").glob("*.md"))) == len(ids)


def overlapping(first: list[tuple[float, float]], second: list[tuple[float, float]]) -> bool:
    """Did the two processes' requests reach the site during the same stretch of time?"""
    return min(b for _, b in first) < max(a for a, _ in second) and min(b for _, b in second) < max(
        a for a, _ in first
    )


def at_the_site_together(first: list[tuple[float, float]], second: list[tuple[float, float]]) -> bool:
    """Was there a moment when both processes had a request at the site?"""
    return any(a1 < b2 and a2 < b1 for a1, b1 in first for a2, b2 in second)


def most_at_once(intervals: list[tuple[float, float]]) -> int:
    events = sorted([(a, 1) for a, _ in intervals] + [(b, -1) for _, b in intervals])
    now = peak = 0
    for _, step in events:
        now += step
        peak = max(peak, now)
    return peak


def closest_starts(hits) -> float:
    starts = sorted(a for _, a, _ in hits)
    return min(b - a for a, b in zip(starts, starts[1:]))


DELAY = 0.5
#: A request reaches the site some ms after its grant, more on a busy machine.
LATE = 0.15


def test_two_processes_keep_one_delay_between_requests_to_the_site(tmp_path, redis_server):
    with TimedSite(together=2) as site:
        # AutoThrottle on, as by default: its delay never goes under DOWNLOAD_DELAY
        settings = shared(
            redis_server.url,
            DOWNLOAD_DELAY=DELAY,
            AUTOTHROTTLE_ENABLED="True",
            AUTOTHROTTLE_START_DELAY=DELAY,
        )
        both(tmp_path / "shared", site, settings)
        assert len(site.article_hits()) == len(FIRST) + len(SECOND)
        # They ran together by construction: the site holds robots.txt until both asked, so
        # both had their articles waiting at once. Which one the shared leases serve first is
        # not fixed (one may be served whole before the other), so no overlap is asserted.
        hits = site.httpd.intervals  # robots.txt too
        assert closest_starts(hits) >= DELAY - LATE, sorted(a for _, a, _ in hits)
    client = redis.Redis.from_url(redis_server.url)
    assert client.zcard(LEASES) == 0  # every lease given back

    # The same two processes, each polite on its own: the site sees them closer.
    with TimedSite(together=2) as site:
        both(tmp_path / "alone", site, {"DOWNLOAD_DELAY": str(DELAY), "DOWNLOAD_DELAY_JITTER": "0"})
        hits = site.article_hits()
        assert overlapping(site.intervals(FIRST), site.intervals(SECOND))
        assert closest_starts(hits) < DELAY - LATE


def test_two_processes_never_exceed_one_concurrency_limit(tmp_path, redis_server):
    limit = 2
    settings = {
        "DOWNLOAD_DELAY": "0",
        "CONCURRENT_REQUESTS_PER_DOMAIN": str(limit),
        "CONCURRENT_REQUESTS": "8",
    }
    with TimedSite(together=2, delay=0.3) as site:  # a slow site: each answer takes 0.3 s
        both(tmp_path / "shared", site, shared(redis_server.url, **settings))
        first, second = site.intervals(FIRST), site.intervals(SECOND)
        # The shared leases may serve one process's articles mostly before the other's, but
        # the slots are shared while both fetch: one process's request ran beside the other's
        assert at_the_site_together(first, second)
        assert most_at_once(first + second) == limit  # never more, and the limit is used
        assert most_at_once(first) <= limit and most_at_once(second) <= limit
    assert redis.Redis.from_url(redis_server.url).zcard(LEASES) == 0

    with TimedSite(together=2, delay=0.3) as site:  # each process alone: more than the limit at once
        both(tmp_path / "alone", site, settings)
        assert most_at_once(site.intervals(FIRST) + site.intervals(SECOND)) > limit


def test_a_killed_workers_lease_expires_and_its_slot_comes_back(tmp_path, redis_server):
    hanging = threading.Event()

    def hang(handler):  # the killed worker's request: never answered while it lives
        hanging.set()
        time.sleep(30)
        return Canned(200, b"")

    # a long lease, so that the second crawl is surely up and asking before it expires
    timeout, grace = 12, 1
    settings = shared(
        redis_server.url,
        DOWNLOAD_DELAY="0",
        CONCURRENT_REQUESTS_PER_DOMAIN="1",
        DOWNLOAD_TIMEOUT=str(timeout),
        ARCHIVER_THROTTLE_LEASE_GRACE=str(grace),
        ROBOTSTXT_OBEY="False",
        RETRY_ENABLED="False",
    )
    client = redis.Redis.from_url(redis_server.url)
    with TimedSite(canned={"/article/14840233.html": hang}) as site:
        holder = crawl(tmp_path, "killed", site.url, ["14840233"], settings)
        other = None
        try:
            assert hanging.wait(60), (tmp_path / "killed.log").read_text()
            granted = time.monotonic()  # the holder's request is at the site: it holds the lease
            other = crawl(tmp_path, "other", site.url, ["1108857"], settings)
            log = tmp_path / "other.log"
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and not (log.exists() and "Spider opened" in log.read_text()):
                time.sleep(0.1)
            time.sleep(0.5)  # its one request is made, and waits for the lease
            asking = time.monotonic()
            assert asking - granted < timeout + grace - 1, "the second crawl started too late to tell"
            holder.send_signal(signal.SIGKILL)
            holder.wait(timeout=30)
            assert client.zcard(LEASES) == 1  # the dead holder's lease is still there...
            assert other.wait(timeout=60) == 0, log.read_text()[-3000:]
        finally:
            for proc in (holder, other):
                if proc is not None and proc.poll() is None:
                    proc.kill()
                    proc.wait()
        (arrived,) = [a for path, a, _ in site.httpd.intervals if path.endswith("/1108857.html")]
        # ... and held the site's only slot until it expired, timeout + grace after its
        # grant; then the waiting crawl got it
        assert arrived - granted >= timeout + grace - 0.5, (arrived - granted, asking - granted)
    assert len(list((tmp_path / "other" / "_posts").glob("*.md"))) == 1
    assert client.zcard(LEASES) == 0
