"""What every process of a shared crawl agrees on: the Redis URL, the keys, the blog's id,
and the rule that gives a dead worker's requests back to the queue.

Keys of one shared crawl (``<prefix>`` is ARCHIVER_REDIS_PREFIX, ``<spider>`` the spider):

* ``<prefix>:<spider>:requests``, ``…:dupefilter``: scrapy-redis's queue and seen-set;
* ``…:items`` the articles on their way to the writer, ``…:writing`` those it is writing;
* ``…:warc`` the WARC records of pages fetched by workers of other machines (``archiver
  worker``), on their way to the blog's WARC archive (archiver/workers/warcship.py);
* ``…:arguments`` the spider arguments (``-a``) of the running crawl, which a worker
  joining it must share; ``…:archived`` (set) the keys of the articles the blog holds, for
  those workers, which cannot see the blog (``…:archived-ready`` once it is whole);
* ``…:blog`` the blog that owns the crawl (its id and folder, and the archiver code its
  host runs: :func:`code_version`) while one runs, or while a killed run's queue waits to
  be resumed;
* ``…:workers`` (hash: worker -> host and pid), ``…:alive:<worker>`` (its heartbeat),
  ``…:inflight:<worker>`` (hash: the requests it took and has not finished), ``…:idle``
  (set: workers with nothing to do), ``…:done`` (every worker has stopped), ``…:returned``
  (how many requests of stopped workers went back on the queue this run, by whichever
  process noticed first: the run's parent, or a live worker);
* ``…:seeder`` the worker that makes the run's start requests, ``…:seeded`` once it has
  made them all (archiver/workers/seeding.py).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import socket
import uuid
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from archiver.store.lock import pid_alive

logger = logging.getLogger(__name__)

SCHEMES = ("redis", "rediss", "unix")


class RedisProblem(RuntimeError):
    """Redis cannot serve this crawl; the message is the one line the user sees."""


def check_url(url: str) -> None:
    """A URL the redis client can use, or :class:`RedisProblem` naming it."""
    if not url:
        raise RedisProblem(
            "--workers needs a Redis: set ARCHIVER_REDIS_URL (-s ARCHIVER_REDIS_URL=redis://127.0.0.1:6379/0)"
        )
    scheme = urlsplit(url).scheme
    if scheme not in SCHEMES:
        raise RedisProblem(
            f"ARCHIVER_REDIS_URL={url}: not a Redis URL (scheme {scheme or 'missing'!r}; "
            f"use redis://, rediss:// or unix://)"
        )


def connect(url: str, timeout: float = 5.0):
    """A client of the Redis at ``url``, checked with a PING (:class:`RedisProblem` if not)."""
    import redis

    check_url(url)
    try:
        client = redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)
        client.ping()
    except (redis.RedisError, OSError, ValueError) as exc:
        raise RedisProblem(f"ARCHIVER_REDIS_URL={url}: Redis cannot be reached: {exc}") from exc
    return client


class Keys:
    def __init__(self, prefix: str, spider: str):
        self.prefix = prefix
        self.base = f"{prefix}:{spider}"
        self.requests = f"{self.base}:requests"
        self.dupefilter = f"{self.base}:dupefilter"
        self.items = f"{self.base}:items"
        self.writing = f"{self.base}:writing"
        self.warc = f"{self.base}:warc"
        self.arguments = f"{self.base}:arguments"
        self.archived = f"{self.base}:archived"
        self.archived_ready = f"{self.base}:archived-ready"
        self.blog = f"{self.base}:blog"
        self.workers = f"{self.base}:workers"
        self.idle = f"{self.base}:idle"
        self.done = f"{self.base}:done"
        self.returned = f"{self.base}:returned"
        self.seeder = f"{self.base}:seeder"
        self.seeded = f"{self.base}:seeded"
        #: what one run marks and no later run may inherit: deleted at a run's start and end
        self.run_marks = (
            self.done,
            self.idle,
            self.returned,
            self.archived,
            self.archived_ready,
            self.seeder,
            self.seeded,
        )

    @classmethod
    def for_settings(cls, settings, spider: str) -> Keys:
        from archiver import config

        return cls(config.get(settings, "ARCHIVER_REDIS_PREFIX"), spider)

    def alive(self, worker: str) -> str:
        return f"{self.base}:alive:{worker}"

    def inflight(self, worker: str) -> str:
        return f"{self.base}:inflight:{worker}"

    def all(self, client) -> list[bytes]:
        return sorted(client.scan_iter(match=f"{self.base}:*"))


def spider_arguments(extra: list[str]) -> list[str]:
    """The ``-a NAME=VALUE`` arguments of a command line, as ``NAME=VALUE``."""
    return [value for flag, value in zip(extra, extra[1:]) if flag == "-a"]


def blog_id(state_dir: Path) -> str:
    """The blog's own random id (``<state dir>/blog-id``), made on first use."""
    path = Path(state_dir) / "blog-id"
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    ident = uuid.uuid4().hex
    path.write_text(ident + "\n", encoding="ascii")
    return ident


def code_digest(folders: list[Path]) -> str:
    """A digest of the Python files under ``folders`` (their paths and bytes)."""
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(folder.rglob("*.py")):
            digest.update(f"{folder.name}/{path.relative_to(folder).as_posix()}\0".encode())
            digest.update(path.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()[:12]


@cache
def code_version() -> tuple[str, str]:
    """The archiver's version and a digest of its code (the ``archiver`` and ``spiders``
    packages), e.g. ``("0.1.0", "3f2a9c01d4e7")``: a worker on another machine with other
    code would parse the pages otherwise and make other posts than the blog's host. The
    digest decides (a source tree run without installing it has no version)."""
    from importlib import metadata

    import archiver
    import spiders

    try:
        version = metadata.version("news-archiver")
    except metadata.PackageNotFoundError:
        version = "not installed"
    folders = [Path(archiver.__file__).resolve().parent, Path(spiders.__file__).resolve().parent]
    return version, code_digest(folders)


def claim(client, keys: Keys, ident: str, root: Path) -> None:
    """Make this blog the owner of the crawl's keys, or refuse: another blog's queue (a
    run in progress, or a killed run's queue waiting to be resumed) is never taken. The
    owner names the code this host runs (a resumed run's host may have been upgraded)."""
    version, code = code_version()
    mine = json.dumps({"blog": ident, "path": str(root), "version": version, "code": code})
    if client.set(keys.blog, mine, nx=True):
        return
    held = client.get(keys.blog) or b"{}"
    owner = json.loads(held)
    if owner.get("blog") != ident:
        raise RedisProblem(
            f"Redis key {keys.blog} belongs to another blog ({owner.get('path')}, id {owner.get('blog')}), "
            f"not {root}: its queue is not this blog's. Use another ARCHIVER_REDIS_PREFIX, or "
            f"`archiver workers clear {keys.base.split(':', 1)[1]}` with that blog's settings"
        )
    client.set(keys.blog, mine)


def worker_info() -> str:
    return json.dumps({"host": socket.gethostname(), "pid": os.getpid()})


def is_dead(client, keys: Keys, worker: str, info: bytes | None) -> bool:
    """A worker is dead when its heartbeat expired, or (on this host) its process is gone."""
    if not client.exists(keys.alive(worker)):
        return True
    try:
        data = json.loads(info or b"{}")
    except ValueError:
        return False
    return data.get("host") == socket.gethostname() and not pid_alive(int(data.get("pid") or 0))


def requeue(client, keys: Keys, worker: str) -> int:
    """Put the requests ``worker`` held back on the queue (past the seen-set: they are in
    it already), and forget the worker. Returns how many."""
    held = client.hgetall(keys.inflight(worker))
    pipe = client.pipeline(transaction=True)
    for entry in held.values():
        score, _, data = entry.partition(b"\n")
        pipe.zadd(keys.requests, {data: float(score)})
    pipe.delete(keys.inflight(worker), keys.alive(worker))
    pipe.hdel(keys.workers, worker)
    pipe.srem(keys.idle, worker)
    if held:
        pipe.incrby(keys.returned, len(held))
    pipe.execute()
    from archiver.workers.throttle import give_back

    give_back(client, keys.prefix, worker)  # its slots on the sites, at once
    return len(held)


def requeue_dead(client, keys: Keys, but: str = "") -> int:
    """Requeue the requests of every dead worker (but ``but``, this process)."""
    returned = 0
    for name, info in client.hgetall(keys.workers).items():
        worker = name.decode()
        if worker != but and is_dead(client, keys, worker, info):
            returned += requeue(client, keys, worker)
    return returned


def pending(client, keys: Keys) -> tuple[int, int, int]:
    """(requests queued, requests held by workers, articles waiting for the writer)."""
    held = sum(client.hlen(keys.inflight(w.decode())) for w in client.hkeys(keys.workers))
    return (
        client.zcard(keys.requests),
        held,
        client.llen(keys.items) + client.llen(keys.writing),
    )


def keep_unreadable(crawler, raw: bytes, what: str, exc: Exception) -> None:
    """An entry of a shared list the writer cannot read (damaged, or not written by this
    archiver's workers) would stop every run at the same place: it is kept in a file of the
    state folder (``unreadable/``) for a person to look at, counted as failed (the run
    exits 1), logged, and skipped. ``what``: what it should have been, for the log."""
    from datetime import UTC, datetime

    from archiver import config, report
    from archiver.store.atomic import write_atomic

    folder = config.state_dir(crawler.settings) / "unreadable"
    path = folder / f"{datetime.now(UTC):%Y%m%dT%H%M%S%fZ}-{hashlib.sha256(raw).hexdigest()[:12]}.pickle"
    try:
        write_atomic(path, raw)
        kept = f"kept in {path}"
    except OSError as why:
        kept = f"not kept ({why})"
    report.count(crawler.stats, report.FAILED, "unreadable_entry")
    logger.error("%s cannot be read (%s: %s): skipped, %s", what, type(exc).__name__, exc, kept)
