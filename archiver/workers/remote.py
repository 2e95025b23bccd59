"""``archiver worker SPIDER --blog PATH``: a worker on another machine joins the shared crawl
that ``archiver crawl SPIDER --workers N`` runs on the blog's host, through the same Redis
(ARCHIVER_REDIS_URL, ARCHIVER_REDIS_PREFIX) and with the same spider arguments (``-a``).

It asks for nothing of its own (no start requests): it takes requests from the shared
queue, takes the shared leases on each site (archiver/workers/throttle.py), sends its
articles to the one writer on the blog's host as the local workers do, and its WARC
records too (archiver/workers/warcship.py): the blog's archive ends with every page. It
writes nothing of the blog; its own folder (``--folder``) holds its log, its state and a
copy of the WARC files it wrote. It stays while the run goes on, and exits 0 when the run
ends (the queue empty, every worker idle, the run marked done).

Refused, with one line and exit 1, before anything is fetched: a Redis URL with a wrong
scheme or a Redis that cannot be reached; a crawl of another blog (the ``…:blog`` key is
named); other spider arguments than the run's. With no run to join it waits ``--wait``
seconds (a worker's timer may fire a little before the host's), then exits 1 saying so.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import time
from pathlib import Path

from archiver import config
from archiver.workers.shared import Keys, RedisProblem, code_version, connect, requeue, spider_arguments

#: Seconds between two looks for a run to join.
POLL = 0.5


def _live_workers(client, keys: Keys, but: str = "") -> list[str]:
    names = [name.decode() for name in client.hkeys(keys.workers)]
    return [name for name in names if name != but and client.exists(keys.alive(name))]


def _running(client, keys: Keys) -> dict | None:
    """The owner of the crawl (its blog id and folder) while a run goes on (and its writer
    has told what the blog holds), else None."""
    owner = client.get(keys.blog)
    if owner is None or client.exists(keys.done) or not client.exists(keys.archived_ready):
        return None
    if not _live_workers(client, keys):
        return None
    return json.loads(owner)


def _other_blog(client, keys: Keys, blog: str) -> str | None:
    owner = json.loads(client.get(keys.blog) or b"{}")
    if not owner or blog.rstrip("/") in (owner.get("blog"), str(owner.get("path", "")).rstrip("/")):
        return None
    return (
        f"Redis key {keys.blog} belongs to another blog ({owner.get('path')}, id "
        f"{owner.get('blog')}), not {blog}: this worker does not join its crawl"
    )


def _other_arguments(client, keys: Keys, arguments: list[str]) -> str | None:
    theirs = json.loads(client.get(keys.arguments) or b"[]")
    if sorted(theirs) == sorted(arguments):
        return None
    return (
        f"the crawl on {keys.base} runs with other spider arguments "
        f"({' '.join(f'-a {a}' for a in theirs) or 'none'}; this worker has "
        f"{' '.join(f'-a {a}' for a in arguments) or 'none'}): give it the same"
    )


def _other_code(owner: dict) -> str | None:
    version, code = code_version()
    if owner.get("code") in (None, code):
        return None
    return (
        f"the blog's host runs other archiver code ({owner.get('version')}, code {owner['code']}) than "
        f"this worker ({version}, code {code}): its pages would be parsed otherwise than the host's "
        "own; install the same version here"
    )


def join(args: argparse.Namespace, extra: list[str]) -> int:
    from archiver import cli

    settings = cli.run_settings(extra)
    url = config.get(settings, "ARCHIVER_REDIS_URL")
    try:
        client = connect(url)
    except RedisProblem as exc:
        print(f"archiver: {exc}")
        return 1
    keys = Keys.for_settings(settings, args.spider)
    deadline = time.monotonic() + args.wait
    while True:
        refused = _other_blog(client, keys, args.blog)
        if refused:
            print(f"archiver: {refused}")
            return 1
        owner = _running(client, keys)
        if owner is not None:
            break
        if time.monotonic() >= deadline:
            print(
                f"archiver: no shared crawl of {args.spider} to join on {url} (waited {args.wait:g} s "
                f"for a run of `archiver crawl {args.spider} --workers N` on the blog's host)"
            )
            return 1
        time.sleep(POLL)
    refused = _other_arguments(client, keys, spider_arguments(extra)) or _other_code(owner)
    if refused:
        print(f"archiver: {refused}")
        return 1
    return _work(args, extra, client, keys, owner)


def worker_settings(name: str, folder: Path, log: Path, stats: Path) -> dict[str, str]:
    from archiver.workers.run import role_settings

    own = role_settings("worker", name)
    middlewares = json.loads(own["SPIDER_MIDDLEWARES"])
    middlewares.pop("archiver.workers.seeding.SeedOnce")  # the run's own workers make the start
    middlewares["archiver.workers.remote.JoinStart"] = 5
    return {
        **own,
        "SPIDER_MIDDLEWARES": json.dumps(middlewares),
        "ARCHIVER_WORKER_JOIN": "True",
        "ARCHIVER_WARC_SHIP": "True",
        "ARCHIVER_OUTPUT": str(folder),
        "ARCHIVER_STATE_DIR": str(folder),
        "ARCHIVER_STATS_FILE": str(stats),
        "LOG_FILE": str(log),
    }


def _work(args, extra, client, keys: Keys, owner: dict) -> int:
    from archiver import cli
    from archiver.workers.run import _command

    folder = Path(args.folder).expanduser().resolve()
    name = f"{socket.gethostname()}-{os.getpid()}-remote"
    log = cli._log_file(folder / "logs", f"{args.spider}-worker")
    stats = cli._stats_path()
    print(
        f"archiver: joining the crawl of {owner.get('path')} on {keys.base} as {name}; "
        f"log: {log}, WARC copy: {folder / 'warc'}",
        flush=True,
    )
    command = _command(args.spider, extra, worker_settings(name, folder, log, stats))
    outlive = cli.Outlive()  # Ctrl-C: the worker stops gracefully, this process reports
    try:
        [child] = outlive.start([command], cli.scrapy_env())
        code = child.wait()
    finally:
        outlive.close()
    part = cli._read_stats(stats) or {}
    reason = part.get("finish_reason")
    if code or reason != "finished":
        try:
            returned = requeue(client, keys, name)  # what it held goes back at once
        except Exception:  # Redis gone: its heartbeat expires, the run requeues them
            returned = 0
        print(
            f"archiver: the worker stopped before the run ended ({reason or f'exit status {code}'}); "
            f"{returned} requests it held went back on the queue; log: {log}"
        )
        return 1
    print(
        f"archiver worker {args.spider}: the run ended; {part.get('downloader/response_count', 0)} "
        f"answers fetched, {part.get('archiver/workers/shipped', 0)} articles and "
        f"{part.get('archiver/workers/warc_shipped', 0)} WARC records sent to the blog's writer"
    )
    return 0


class JoinStart:
    """Spider middleware of a joining worker: no start requests (the run on the blog's
    host made them), and the worker stays while that run goes on, even with nothing to do."""

    def __init__(self, crawler):
        from scrapy import signals

        self.keys = Keys.for_settings(crawler.settings, crawler.spidercls.name)
        self.server = connect(config.get(crawler.settings, "ARCHIVER_REDIS_URL"))
        self.name = config.get(crawler.settings, "ARCHIVER_WORKER_ID")
        crawler.signals.connect(self.idle, signal=signals.spider_idle)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def process_start(self, start):
        return
        yield  # an async generator that yields nothing

    def idle(self, spider) -> None:
        from scrapy.exceptions import DontCloseSpider

        if (
            self.server.exists(self.keys.blog)
            and not self.server.exists(self.keys.done)
            and _live_workers(self.server, self.keys, but=self.name)
        ):
            raise DontCloseSpider


#: Keys sent to Redis in one round trip when the writer tells what the blog holds.
CHUNK = 5000


def publish_archived(server, keys: Keys, index) -> None:
    """In the writer, at its start: the keys of the articles the blog holds, for workers
    of other machines (:class:`ArchivedKeys`), which cannot see the blog. About 0.3 s and
    2 MB of Redis at 100,000 posts."""
    pipe = server.pipeline(transaction=False)
    pipe.delete(keys.archived)
    batch: list[str] = []
    for key, _post in index.items():
        batch.append(key)
        if len(batch) == CHUNK:
            pipe.sadd(keys.archived, *batch)
            batch = []
    if batch:
        pipe.sadd(keys.archived, *batch)
    pipe.set(keys.archived_ready, b"1")
    pipe.execute()


class ArchivedKeys:
    """What the blog holds, as a joining worker's skip-archived middleware asks it."""

    def __init__(self, crawler):
        self.keys = Keys.for_settings(crawler.settings, crawler.spidercls.name)
        self.server = connect(config.get(crawler.settings, "ARCHIVER_REDIS_URL"))

    def __contains__(self, key: str) -> bool:
        return bool(self.server.sismember(self.keys.archived, key))
