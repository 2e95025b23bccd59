"""``archiver worker SPIDER --blog PATH``: a worker started apart from the blog's run (as on
another machine: its own folder and working directory, only the Redis URL in common)
joins ``archiver crawl … --workers 1`` through a real ``redis-server``: each article is
fetched once, by one or the other, both do some of it, the blog's posts are those of one
process, and the blog's WARC archive holds every page. And the worker's refusals."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
import redis
from warcio.archiveiterator import ArchiveIterator

from archiver.demo.server import SITE, FixtureServer
from tests.e2e.test_workers import ALL_ARTICLES, BACKFILL, command, files, reference  # noqa: F401
from tests.support.fixtures import ROOT
from tests.support.redisserver import RedisServer
from tests.support.waiting import wait_for

pytestmark = pytest.mark.e2e


@pytest.fixture
def redis_server():
    with RedisServer() as server:
        yield server


def worker_command(
    redis_url: str, origin: str, blog: Path, *more: str, arguments=BACKFILL, concurrency: str = "1"
) -> list[str]:
    command = [sys.executable, "-m", "archiver.cli", "worker", "jiemian", "--blog", str(blog), *more]
    for argument in arguments:
        command += ["-a", argument]
    settings = {
        "ARCHIVER_REDIS_URL": redis_url,
        "JIEMIAN_ORIGIN": origin,
        "AUTOTHROTTLE_ENABLED": "False",
        "DOWNLOAD_DELAY": "0",
        "CONCURRENT_REQUESTS": concurrency,
    }
    for name, value in settings.items():
        command += ["-s", f"{name}={value}"]
    return command


def elsewhere(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """Another machine's working directory, which finds the archiver only as installed."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    return folder, env


def worker_run(away: Path, env: dict[str, str], command: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        command, cwd=away, env=env, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL
    )


def host_run(blog: Path, origin: str, redis_url: str) -> list[str]:
    """The blog's host's run: one worker of its own and the writer."""
    return command(blog, origin, redis_url, "--workers", "1", settings={"CONCURRENT_REQUESTS": "1"})


def start_worker(
    away: Path, env: dict[str, str], command: list[str], own_group: bool = False
) -> subprocess.Popen:
    """``own_group``: in a process group of its own, as started from its own terminal."""
    return subprocess.Popen(
        command,
        cwd=away,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        stdin=subprocess.DEVNULL,
        start_new_session=own_group,
    )


def start_host(blog: Path, origin: str, redis_url: str) -> subprocess.Popen:
    return subprocess.Popen(
        host_run(blog, origin, redis_url),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        stdin=subprocess.DEVNULL,
    )


def article_responses(paths) -> list[str]:
    """The URL of every response recorded in the WARC files ``paths`` (article pages only:
    lists, images and robots.txt are not recorded)."""
    urls = []
    for path in sorted(paths):
        with path.open("rb") as handle:
            for record in ArchiveIterator(handle):
                url = record.rec_headers.get_header("WARC-Target-URI") or ""
                if record.rec_type == "response":
                    urls.append(url)
    return urls


def test_a_worker_started_apart_shares_the_crawl(tmp_path, redis_server, reference):  # noqa: F811
    blog = tmp_path / "blog"
    away, env = elsewhere(tmp_path)
    with FixtureServer(SITE, delay=0.8) as site:  # slow answers: the joining worker gets its share
        joined = start_worker(
            away, env, worker_command(redis_server.url, site.url, blog, "--folder", "work", "--wait", "60")
        )
        run = subprocess.run(
            host_run(blog, site.url, redis_server.url),
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=240,
            stdin=subprocess.DEVNULL,
        )
        printed, _ = joined.communicate(timeout=120)
        hits = Counter(p for p in site.paths() if p != "/robots.txt")  # each process asks for it
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"new: {ALL_ARTICLES}" in run.stdout, run.stdout
    assert joined.returncode == 0, printed
    assert f"joining the crawl of {blog}" in printed, printed
    assert "archiver worker jiemian: the run ended" in printed, printed

    # each page (article, list, image) fetched once, across both
    assert hits and set(hits.values()) == {1}, hits
    by_remote = article_responses((away / "work" / "warc").glob("*.warc.gz"))
    archive = blog / ".archiver" / "warc"
    imported = article_responses(archive.glob("*-remote-*.warc.gz"))
    local = article_responses(p for p in archive.glob("*.warc.gz") if "-remote-" not in p.name)
    assert by_remote and local, (by_remote, local)  # both did some of the work
    assert not set(by_remote) & set(local)
    assert sorted(imported) == sorted(by_remote)  # the remote pages reached the blog's archive
    in_blog = Counter(article_responses(archive.glob("*.warc.gz")))
    expected = article_responses((reference / ".archiver" / "warc").glob("*.warc.gz"))
    assert sorted(in_blog) == sorted(expected) and set(in_blog.values()) == {1}, in_blog  # every page, once
    # the posts are one process's; the worker's folder holds no post
    assert files(blog, "_posts") == files(reference, "_posts")
    assert files(blog, "img") == files(reference, "img")
    assert not (away / "work" / "_posts").exists()
    assert redis.Redis.from_url(redis_server.url).keys("*") == []

    # the blog's host can rebuild every post from its own archive, the remote pages included
    rebuilt = subprocess.run(
        [
            sys.executable,
            "-m",
            "archiver.cli",
            "rebuild",
            "--dry-run",
            "--jobs",
            "1",
            "-s",
            f"ARCHIVER_OUTPUT={blog}",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        stdin=subprocess.DEVNULL,
    )
    assert rebuilt.returncode == 0, rebuilt.stdout + rebuilt.stderr
    assert f"unchanged {ALL_ARTICLES}" in rebuilt.stdout, rebuilt.stdout


# -- refusals --------------------------------------------------------------------------


def one_line(proc: subprocess.CompletedProcess) -> str:
    lines = (proc.stdout + proc.stderr).strip().splitlines()
    assert len(lines) == 1, proc.stdout + proc.stderr
    return lines[0]


@pytest.mark.parametrize(
    "url, said",
    [
        ("http://127.0.0.1:6379/0", "archiver: ARCHIVER_REDIS_URL=http://127.0.0.1:6379/0: not a Redis URL"),
        (
            "redis://127.0.0.1:1/0",
            "archiver: ARCHIVER_REDIS_URL=redis://127.0.0.1:1/0: Redis cannot be reached",
        ),
        ("", "archiver: --workers needs a Redis: set ARCHIVER_REDIS_URL"),
    ],
)
def test_a_worker_with_a_redis_that_cannot_serve_stops_at_once(tmp_path, url, said):
    away, env = elsewhere(tmp_path)
    with FixtureServer(SITE) as site:
        done = worker_run(away, env, worker_command(url, site.url, tmp_path / "blog", "--folder", "work"))
        assert site.paths() == []
    assert done.returncode == 1
    assert one_line(done).startswith(said), done.stdout
    assert not (away / "work").exists()


def test_a_worker_with_no_run_to_join_waits_then_says_so(tmp_path, redis_server):
    away, env = elsewhere(tmp_path)
    started = time.monotonic()
    done = worker_run(
        away, env, worker_command(redis_server.url, "http://127.0.0.1:1", tmp_path / "blog", "--wait", "2")
    )
    assert done.returncode == 1
    assert time.monotonic() - started >= 2
    assert one_line(done) == (
        f"archiver: no shared crawl of jiemian to join on {redis_server.url} (waited 2 s for a run "
        "of `archiver crawl jiemian --workers N` on the blog's host)"
    )
    assert not (away / "archiver-worker").exists()


def test_a_worker_is_refused_another_blogs_crawl_and_other_arguments(tmp_path, redis_server, reference):  # noqa: F811
    blog = tmp_path / "blog"
    away, env = elsewhere(tmp_path)
    client = redis.Redis.from_url(redis_server.url)
    with FixtureServer(SITE, delay=0.3) as site:
        run = start_host(blog, site.url, redis_server.url)
        end = time.monotonic() + 60
        while not client.hlen("archiver:jiemian:workers") and time.monotonic() < end:
            time.sleep(0.05)
        other = worker_run(
            away, env, worker_command(redis_server.url, site.url, tmp_path / "other", "--folder", "a")
        )
        assert other.returncode == 1
        line = one_line(other)
        assert line.startswith("archiver: Redis key archiver:jiemian:blog belongs to another blog"), line
        assert str(blog) in line and str(tmp_path / "other") in line, line
        differing = worker_run(
            away,
            env,
            worker_command(
                redis_server.url, site.url, blog, "--folder", "b", arguments=("lists=65", "pages=1")
            ),
        )
        assert differing.returncode == 1
        assert one_line(differing) == (
            "archiver: the crawl on archiver:jiemian runs with other spider arguments (-a lists=65,800 "
            "-a pages=3; this worker has -a lists=65 -a pages=1): give it the same"
        )
        # the host upgraded (or this machine did): the host names the code it runs
        owner = json.loads(client.get("archiver:jiemian:blog"))
        assert len(owner["code"]) == 12 and owner["version"], owner
        client.set("archiver:jiemian:blog", json.dumps({**owner, "version": "0.0.9", "code": "0123456789ab"}))
        older = worker_run(away, env, worker_command(redis_server.url, site.url, blog, "--folder", "c"))
        assert older.returncode == 1
        assert one_line(older) == (
            "archiver: the blog's host runs other archiver code (0.0.9, code 0123456789ab) than this "
            f"worker ({owner['version']}, code {owner['code']}): its pages would be parsed otherwise "
            "than the host's own; install the same version here"
        )
        printed, _ = run.communicate(timeout=180)
    assert run.returncode == 0, printed
    assert not (away / "a").exists() and not (away / "b").exists()  # nothing fetched, nothing kept
    assert not (away / "c").exists()
    assert files(blog, "_posts") == files(reference, "_posts")


def test_a_worker_started_apart_fetches_no_article_the_blog_holds(tmp_path, redis_server, reference):  # noqa: F811
    """It cannot see the blog: the writer tells Redis what the blog holds. Here the lists are
    read in full again (their validators forgotten, as after a run killed before saving
    them), so every article of the blog is queued again; the blog's own worker is paused
    once both have joined (SIGSTOP, shorter than its heartbeat), so the other one reads
    lists and takes their articles."""
    blog = tmp_path / "blog"
    shutil.copytree(reference, blog)
    db = sqlite3.connect(blog / ".archiver" / "state.sqlite")
    db.execute("DELETE FROM pages")
    db.commit()
    db.close()
    held = {path.name.split("-")[-1].removesuffix(".md") for path in (blog / "_posts").glob("*.md")}
    away, env = elsewhere(tmp_path)
    client = redis.Redis.from_url(redis_server.url)
    with FixtureServer(SITE, delay=2.0) as site:
        joined = start_worker(
            away, env, worker_command(redis_server.url, site.url, blog, "--folder", "work", concurrency="4")
        )
        run = start_host(blog, site.url, redis_server.url)
        assert wait_for(lambda: len(client.hkeys("archiver:jiemian:workers")) == 2)
        local = next(
            json.loads(info)["pid"]
            for name, info in client.hgetall("archiver:jiemian:workers").items()
            if not name.endswith(b"-remote")
        )
        os.kill(local, signal.SIGSTOP)  # the other worker takes the lists and their articles
        try:
            time.sleep(6)
        finally:
            os.kill(local, signal.SIGCONT)
        printed_run, _ = run.communicate(timeout=240)
        printed, _ = joined.communicate(timeout=120)
        fetched = [p for p in site.paths() if p.startswith("/article/")]
    assert run.returncode == 0, printed_run
    assert joined.returncode == 0, printed
    assert "new: 0" in printed_run, printed_run
    assert len(held) == ALL_ARTICLES
    assert not [p for p in fetched if p.removeprefix("/article/").removesuffix(".html") in held], fetched
    worker_log = next((away / "work" / "logs").glob("*.log")).read_text(encoding="utf-8")
    assert "'archiver/skipped/already_archived'" in worker_log  # it took some, and skipped them
    assert files(blog, "_posts") == files(reference, "_posts")


def test_ctrl_c_stops_a_joined_worker_gracefully(tmp_path, redis_server, reference):  # noqa: F811
    """Ctrl-C at the joined worker's terminal: its Scrapy stops gracefully (it used to be
    killed at once by the waiting parent, with a traceback), what it held goes back on
    the queue at once, and the blog's own run finishes the crawl: one process's posts."""
    blog = tmp_path / "blog"
    away, env = elsewhere(tmp_path)
    client = redis.Redis.from_url(redis_server.url)
    with FixtureServer(SITE, delay=0.8) as site:
        joined = start_worker(
            away,
            env,
            worker_command(redis_server.url, site.url, blog, "--folder", "work", "--wait", "60"),
            own_group=True,
        )
        run = start_host(blog, site.url, redis_server.url)

        def remote_holds() -> bool:
            return any(
                name.endswith(b"-remote") and client.hlen(b"archiver:jiemian:inflight:" + name)
                for name in client.hkeys("archiver:jiemian:workers")
            )

        assert wait_for(remote_holds, timeout=120)
        os.killpg(joined.pid, signal.SIGINT)
        printed, _ = joined.communicate(timeout=60)
        host_printed, _ = run.communicate(timeout=240)
    assert joined.returncode == 1, printed
    assert "the worker stopped before the run ended (shutdown)" in printed, printed
    assert "went back on the queue" in printed, printed
    assert "Traceback" not in printed, printed
    assert run.returncode == 0, host_printed
    assert files(blog, "_posts") == files(reference, "_posts")
    assert client.keys("*") == []
