"""``archiver crawl jiemian --workers N``: worker processes share one crawl through a real
``redis-server`` (scrapy-redis), one writer writes the blog: the same posts and state as
one process, nothing lost when a worker is killed, clear errors when Redis is not there."""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import redis

from archiver.demo.server import SITE, FixtureServer
from tests.support.compare import differences
from tests.support.crawl import archiver_command
from tests.support.fixtures import ROOT
from tests.support.redisserver import RedisServer
from tests.support.waiting import wait_for

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
    # the posts other runs are held to: every image archived, not one kept as a link
    assert re.search(r"images: [1-9]\d* archived, 0 failed", proc.stdout), proc.stdout + proc.stderr


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
    assert not (why := differences(two, one, "_posts")), why  # byte for byte
    assert not (why := differences(two, one, "img")), why
    assert state_rows(two) == state_rows(one)
    logs = sorted((two / ".archiver" / "logs").glob("*-[12].log"))
    assert len(logs) == 2  # both workers fetched articles
    for log in logs:
        assert "archiver/workers/shipped" in log.read_text(encoding="utf-8"), log
    seeders = [log for log in logs if "makes the start requests" in log.read_text(encoding="utf-8")]
    assert len(seeders) == 1  # the start requests are made once, not once per worker
    assert len(article_hits) == len(set(article_hits))  # no page fetched twice
    client = redis.Redis.from_url(redis_server.url)
    assert client.keys("*") == []  # a clean finish leaves nothing in Redis

    with FixtureServer(SITE) as site:
        code, out = shared_run(two, site.url, redis_server.url)  # the cron run after it
    assert code == 0, out
    assert "new: 0" in out
    assert not (why := differences(two, one, "_posts")), why


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


# -- killed workers, killed runs, a Redis that goes away ------------------------------


def start(out: Path, origin: str, redis_url: str, settings=None) -> subprocess.Popen:
    return subprocess.Popen(
        command(out, origin, redis_url, "--workers", "2", settings=settings),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )


def workers_of(client) -> dict[str, int]:
    return {
        name.decode(): json.loads(info)["pid"]
        for name, info in client.hgetall("archiver:jiemian:workers").items()
    }


def held(client, worker: str) -> int:
    return client.hlen(f"archiver:jiemian:inflight:{worker}")


def assert_whole(root: Path, killed: bool = False) -> None:
    """No partial file, no duplicate: every post parses and ends with its source link, one
    post per article, no temporary or second version beside any. Only ``killed`` (just
    after a kill -9) may a WARC file be left open: the next run closes it."""
    names = list(files(root, "_posts"))
    assert all(not name.startswith(".") for name in names), names  # no .tmp, no .upstream-…
    for name, text in files(root, "_posts").items():
        assert text.decode("utf-8").endswith('{:target="_blank"}\n\n\n'), name
    ids = [name.split("-")[-1] for name in names]
    assert len(ids) == len(set(ids))
    assert killed or [p for p in root.rglob("*.open")] == []


def next_run_writes_what_one_process_writes(
    out: Path, site, redis_server, reference: Path, earlier: str = ""
) -> None:
    """The next run after a stopped one (which printed ``earlier``): exit 0, nothing partial,
    the posts and images of one process, nothing of the crawl left in Redis (a lease on the
    sites expires by itself)."""
    code, printed = shared_run(out, site.url, redis_server.url)
    assert code == 0, printed
    assert_whole(out)
    runs = f"\nthe stopped run printed:\n{earlier}\nthe next run printed:\n{printed}"
    assert not (why := differences(out, reference, "_posts")), why + runs
    assert not (why := differences(out, reference, "img")), why + runs
    client = redis.Redis.from_url(redis_server.url)
    assert [key for key in client.keys("*") if not key.startswith(b"archiver:polite:")] == []


@pytest.fixture
def reference(tmp_path):
    """What one process writes of the fixture site."""
    one = tmp_path / "one"
    with FixtureServer(SITE) as site:
        one_process_run(one, site.url)
    return one


def test_a_worker_killed_mid_run_loses_nothing(tmp_path, redis_server, reference):
    out = tmp_path / "blog"
    client = redis.Redis.from_url(redis_server.url)
    with FixtureServer(SITE, delay=0.4) as site:
        run = start(out, site.url, redis_server.url, settings={"CONCURRENT_REQUESTS": "2"})
        # a worker holding article requests it has not finished
        assert wait_for(
            lambda: any(held(client, w) for w in workers_of(client)) and len(workers_of(client)) == 2
        )
        victim = next(w for w in workers_of(client) if held(client, w))
        os.kill(workers_of(client)[victim], signal.SIGKILL)
        printed, _ = run.communicate(timeout=180)
        assert run.returncode == 1, printed  # the run says it did not finish whole
        assert "went back on the queue" in printed, printed
        assert "was killed (SIGKILL)" in printed, printed  # which process, and how
        assert_whole(out)
        code, printed = shared_run(out, site.url, redis_server.url)
    assert code == 0, printed
    assert_whole(out)
    assert not (why := differences(out, reference, "_posts")), why
    assert not (why := differences(out, reference, "img")), why
    assert client.keys("*") == []


def _kill_whole_run_midway(out, site, redis_server, client, when=None):
    """Start a run and kill it whole when ``when()`` (default: requests are being queued)."""
    run = start(out, site.url, redis_server.url, settings={"CONCURRENT_REQUESTS": "2"})
    assert wait_for(when or (lambda: client.zcard("archiver:jiemian:requests") > 2))
    os.killpg(run.pid, signal.SIGKILL)  # the whole run: parent, writer, workers
    run.wait()
    assert_whole(out, killed=True)


def test_a_killed_runs_queue_is_refused_to_another_blog(tmp_path, redis_server):
    out, other = tmp_path / "blog", tmp_path / "other"
    client = redis.Redis.from_url(redis_server.url)
    with FixtureServer(SITE, delay=0.3) as site:
        _kill_whole_run_midway(out, site, redis_server, client)
        hits = len(site.paths())
        code, printed = shared_run(other, site.url, redis_server.url)
        assert code == 1
        assert printed.strip().startswith("archiver: Redis key archiver:jiemian:blog belongs to another blog")
        assert str(out) in printed
        assert len(site.paths()) == hits  # nothing fetched for the other blog
        assert not (other / "_posts").exists()


def test_a_killed_run_is_resumed_whole(tmp_path, redis_server, reference):
    out = tmp_path / "blog"
    client = redis.Redis.from_url(redis_server.url)
    with FixtureServer(SITE, delay=0.3) as site:
        _kill_whole_run_midway(out, site, redis_server, client)
        code, printed = shared_run(out, site.url, redis_server.url)
    assert code == 0, printed
    assert "resuming the crawl a stopped run left in Redis" in printed
    assert_whole(out)
    assert not (why := differences(out, reference, "_posts")), why
    assert client.keys("*") == []


def test_a_run_killed_mid_write_is_resumed_whole(tmp_path, redis_server, reference):
    """Killed while the writer has articles taken from the workers and not yet written."""
    out = tmp_path / "blog"
    client = redis.Redis.from_url(redis_server.url)
    with FixtureServer(SITE, delay=0.3) as site:  # slow images: the writer holds its articles a while
        _kill_whole_run_midway(
            out, site, redis_server, client, when=lambda: client.llen("archiver:jiemian:writing")
        )
        unwritten = client.llen("archiver:jiemian:writing") + client.llen("archiver:jiemian:items")
        assert unwritten and len(files(out, "_posts")) < ALL_ARTICLES
        code, printed = shared_run(out, site.url, redis_server.url)
    assert code == 0, printed
    assert f"{unwritten} articles to write" in printed, printed
    assert_whole(out)
    assert not (why := differences(out, reference, "_posts")), why
    assert not (why := differences(out, reference, "img")), why
    # nothing of the crawl is left; the killed writer's lease on the image host (its owner
    # is not recorded) only until it expires by itself (DOWNLOAD_TIMEOUT + the grace)
    left = client.keys("*")
    assert all(key.startswith(b"archiver:polite:") and client.pttl(key) > 0 for key in left), left


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_a_run_stopped_while_the_writer_holds_articles_ends_at_once_and_is_resumed(
    tmp_path, redis_server, reference, sig
):
    """Ctrl-C at the terminal (or a service manager's SIGTERM), which reaches every process
    of the run, while the writer has articles in its pipelines (slow images): the run
    stops within seconds (the writer used to wait for ever), says it did not finish, leaves
    nothing partial, and the next run writes what one process writes."""
    out = tmp_path / "blog"
    client = redis.Redis.from_url(redis_server.url)
    with FixtureServer(SITE, delay=0.3) as site:
        run = start(out, site.url, redis_server.url, settings={"CONCURRENT_REQUESTS": "2"})
        assert wait_for(lambda: client.llen("archiver:jiemian:writing"))
        os.killpg(run.pid, sig)
        printed, _ = run.communicate(timeout=60)
        assert run.returncode == 1, printed
        assert "finished: shutdown" in printed, printed
        assert "the next run resumes them" in printed, printed
        assert_whole(out)
        assert len(files(out, "_posts")) < ALL_ARTICLES
        next_run_writes_what_one_process_writes(out, site, redis_server, reference, printed)


def test_a_stale_queue_is_cleared_by_the_documented_command(tmp_path, redis_server, reference):
    out = tmp_path / "blog"
    client = redis.Redis.from_url(redis_server.url)
    with FixtureServer(SITE, delay=0.3) as site:
        run = start(out, site.url, redis_server.url, settings={"CONCURRENT_REQUESTS": "2"})
        assert wait_for(lambda: client.zcard("archiver:jiemian:requests") > 2)
        os.killpg(run.pid, signal.SIGKILL)
        run.wait()
        settings = ["-s", f"ARCHIVER_REDIS_URL={redis_server.url}", "-s", f"ARCHIVER_OUTPUT={out}"]
        cleared = subprocess.run(
            [sys.executable, "-m", "archiver.cli", "workers", "clear", "jiemian", *settings],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert cleared.returncode == 0, cleared.stdout + cleared.stderr
        assert cleared.stdout.startswith("Cleared ")
        assert client.keys("*") == []
        code, printed = shared_run(out, site.url, redis_server.url)
    assert code == 0, printed
    assert "resuming" not in printed
    assert_whole(out)
    assert not (why := differences(out, reference, "_posts")), why


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def test_a_stop_sent_while_the_processes_start_is_not_lost(tmp_path, redis_server):
    """SIGTERM to the whole run while its processes are still starting (before Scrapy's
    handlers): they stop, and the run says so (they used to start with the signals ignored,
    as their parent ignored them, and the run went on to its end, exit 0)."""
    out = tmp_path / "blog"
    with FixtureServer(SITE, delay=0.3) as site:
        run = start(out, site.url, redis_server.url, settings={"CONCURRENT_REQUESTS": "2"})
        assert wait_for(lambda: len(children_of(run.pid)) == 3, timeout=30)
        os.killpg(run.pid, signal.SIGTERM)
        printed, _ = run.communicate(timeout=60)
    assert run.returncode == 1, printed
    assert "finished: finished" not in printed, printed
    assert "the crawl stopped before finishing (" in printed or "finished: shutdown" in printed, printed
    assert_whole(out, killed=True)


def _running(pid: int) -> bool:
    """Alive, not a zombie (a process whose parent died is reaped by init, or not at all)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["kill -9", "kill"])
@pytest.mark.parametrize("workers", [0, 2], ids=["one process", "2 workers"])
def test_a_stopped_or_killed_command_takes_its_processes_with_it_and_a_run_started_at_once_finishes(
    tmp_path, redis_server, workers, sig
):
    """``kill -9`` or ``kill`` of the run's command alone (the pid ``archiver status``
    shows, not its process group) while the writer is busy: its processes stop within
    seconds, gracefully. They used to run on: after ``kill`` the run went on to its end,
    exit 0; after ``kill -9`` unseen, the writer waiting for ever for workers no one
    watched (a stop reaching it mid-article hung it), with the blog's lock free for a second
    writer. A run started at once waits for them, then archives the rest: every article
    once, as one process writes them."""
    from benchmarks.site import generate

    urls = generate(tmp_path / "site", 300)
    (tmp_path / "urls.txt").write_text("\n".join(urls) + "\n", encoding="utf-8")
    out, one = tmp_path / "blog", tmp_path / "one"
    fast = {"ARCHIVER_IMAGES": "False", "CONCURRENT_REQUESTS": "16", "ARCHIVER_REDIS_URL": redis_server.url}
    shared = ["--workers", str(workers)] if workers else []

    def crawl(blog: Path, origin: str, *more: str) -> list[str]:
        return archiver_command(blog, origin, f"urls_file={tmp_path / 'urls.txt'}", settings=fast) + list(
            more
        )

    with FixtureServer(tmp_path / "site") as site:
        run = subprocess.Popen(
            crawl(out, site.url, *shared),
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        assert wait_for(lambda: len(list((out / "_posts").glob("*.md"))) >= 30)
        started = children_of(run.pid)
        assert len(started) == (workers + 1 if workers else 1)
        os.kill(run.pid, sig)
        if sig == signal.SIGTERM:  # the command outlives its processes and reports
            stopped, _ = run.communicate(timeout=60)
            assert run.returncode == 1, stopped
            assert "finished: shutdown" in stopped, stopped
            assert len(list((out / "_posts").glob("*.md"))) < len(urls)
        else:
            run.wait()
        again = subprocess.run(
            crawl(out, site.url, *shared), cwd=ROOT, capture_output=True, text=True, timeout=180
        )
        assert not any(_running(pid) for pid in started)  # gone before the new run took the lock
        done = subprocess.run(crawl(one, site.url), cwd=ROOT, capture_output=True, text=True, timeout=180)
        run.communicate()
    printed = again.stdout + again.stderr
    assert again.returncode == 0, printed
    assert "another archiver run" not in printed
    assert done.returncode == 0, done.stdout + done.stderr
    assert_whole(out)
    assert len(files(out, "_posts")) == len(urls)
    assert not (why := differences(out, one, "_posts")), why
    assert redis.Redis.from_url(redis_server.url).keys("*") == []


def test_a_queue_cleared_by_force_while_the_run_goes_on_stops_it_and_the_next_run_finishes(
    tmp_path, redis_server, reference
):
    """``archiver workers clear --force`` while the run goes on: its workers would find the
    queue empty and stop as if the crawl were done (exit 0, "finished", most articles never
    fetched). The run says its keys were cleared and exits 1; the next run fetches the rest."""
    out = tmp_path / "blog"
    client = redis.Redis.from_url(redis_server.url)
    with FixtureServer(SITE, delay=0.3) as site:
        run = start(out, site.url, redis_server.url, settings={"CONCURRENT_REQUESTS": "2"})
        assert wait_for(lambda: client.zcard("archiver:jiemian:requests") > 2)
        settings = ["-s", f"ARCHIVER_REDIS_URL={redis_server.url}", "-s", f"ARCHIVER_OUTPUT={out}"]
        cleared = subprocess.run(
            [sys.executable, "-m", "archiver.cli", "workers", "clear", "jiemian", "--force", *settings],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert cleared.returncode == 0, cleared.stdout + cleared.stderr
        printed, _ = run.communicate(timeout=120)
        assert run.returncode == 1, printed
        assert "archiver: the crawl's keys in Redis (archiver:jiemian:*) were cleared while it ran" in printed
        assert_whole(out)
        assert len(files(out, "_posts")) < ALL_ARTICLES
        next_run_writes_what_one_process_writes(out, site, redis_server, reference, printed)


@pytest.mark.parametrize("where", ["articles", "requests", "warc records"])
def test_an_entry_that_cannot_be_read_is_reported_and_blocks_nothing(
    tmp_path, redis_server, reference, where
):
    """Something that is no entry of this archiver's on a shared list (damaged, or another
    program's): on the articles' list or among the remote workers' WARC records it stopped
    every run at its start, for ever; in the request queue it failed a worker's scheduler
    with a traceback. Each is reported as failed (exit 1, an ERROR naming it; an article
    or a record kept in a file) and the run writes every article."""
    out = tmp_path / "blog"
    client = redis.Redis.from_url(redis_server.url)
    junk = b"\x80\x05not an entry"
    with FixtureServer(SITE, delay=0.3) as site:
        run = start(out, site.url, redis_server.url, settings={"CONCURRENT_REQUESTS": "2"})
        assert wait_for(lambda: client.hlen("archiver:jiemian:workers") == 2)
        if where == "articles":
            client.lpush("archiver:jiemian:items", junk)
        elif where == "requests":
            client.zadd("archiver:jiemian:requests", {junk: -100})  # first out
        else:  # as a worker on another machine sends the records of its pages
            client.rpush("archiver:jiemian:warc", junk)
        printed, _ = run.communicate(timeout=180)
        assert run.returncode == 1, printed
        assert "failed: 1" in printed, printed
        logs = "".join(p.read_text(encoding="utf-8") for p in (out / ".archiver" / "logs").glob("*.log"))
        if where == "requests":
            assert "ERROR: A request in the shared queue cannot be read (UnpicklingError" in logs
            assert "Traceback" not in logs
        else:
            what = "An article from the workers" if where == "articles" else "A WARC record from a worker"
            assert f"ERROR: {what}" in logs and "cannot be read (UnpicklingError" in logs
            assert [p.read_bytes() for p in (out / ".archiver" / "unreadable").iterdir()] == [junk]
        assert_whole(out)
        assert not (why := differences(out, reference, "_posts")), why
        next_run_writes_what_one_process_writes(out, site, redis_server, reference)


def test_a_redis_that_refuses_writes_stops_the_run_in_one_line_before_any_fetch(
    tmp_path, redis_server, reference
):
    """A Redis that answers but refuses writes (full: its maxmemory reached) stopped the
    run's start with a traceback. One line names it, exit 1, nothing is fetched; once Redis
    has room, the next run is whole."""
    out = tmp_path / "blog"
    client = redis.Redis.from_url(redis_server.url)
    client.config_set("maxmemory-policy", "noeviction")
    client.config_set("maxmemory", "1")  # below what an empty Redis uses
    with FixtureServer(SITE) as site:
        code, printed = shared_run(out, site.url, redis_server.url)
        assert code == 1, printed
        assert printed.strip() == (
            f"archiver: Redis at {redis_server.url} failed (OutOfMemoryError: command not allowed when "
            "used memory > 'maxmemory'.); the run stopped. Posts written so far are whole; run again "
            "once Redis is fixed"
        )
        assert site.paths() == []
        client.config_set("maxmemory", "0")
        next_run_writes_what_one_process_writes(out, site, redis_server, reference)


def test_redis_going_away_mid_run_stops_the_run_with_a_clear_error(tmp_path, redis_server):
    out = tmp_path / "blog"
    client = redis.Redis.from_url(redis_server.url)
    with FixtureServer(SITE, delay=0.3) as site:
        run = start(out, site.url, redis_server.url, settings={"CONCURRENT_REQUESTS": "2"})
        assert wait_for(lambda: client.zcard("archiver:jiemian:requests") > 2)
        redis_server.stop()
        printed, _ = run.communicate(timeout=120)
    assert run.returncode == 1
    assert f"archiver: Redis at {redis_server.url} went away mid-run" in printed, printed
    assert_whole(out)
