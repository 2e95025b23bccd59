"""Politeness across workers: a site's delay and concurrency hold for every process and
machine of a shared crawl together, not for each one.

Scrapy keeps DOWNLOAD_DELAY, AutoThrottle's delay and CONCURRENT_REQUESTS_PER_DOMAIN per
process, so N workers would ask a site N times as much. Here each download first takes a
lease on its host (its download slot) from Redis: one Lua script, on Redis's clock, grants
it while fewer than the slot's concurrency leases are live and the last start on that host
was at least the delay ago; the download gives it back when it ends. A lease also expires by
itself, the request's download timeout plus ARCHIVER_THROTTLE_LEASE_GRACE after its grant, so
the slots of a worker killed with ``kill -9`` come back; at once when the run finds the
worker dead (:func:`give_back`, called where its requests go back on the queue). The delay
is the slot's: the DOWNLOAD_DELAY, or AutoThrottle's current delay for that host in this
worker when it is on (never less than DOWNLOAD_DELAY); two starts are at least the larger
of their two delays apart. Scrapy's random jitter of the delay is not applied across workers: the delay is a
minimum.

It is a download handler wrapping Scrapy's HTTP(S) one, not a downloader middleware: a
middleware's ``process_request`` runs before the request joins its local download slot,
where Scrapy may hold it again for the slot's own delay, so a lease granted there is not the
moment the request goes out, and two workers' requests could reach the site closer than the
delay. The handler is called when the local slot lets the request go: the grant is the
start. Requests answered without the network (archived articles, the WARC source, the
rebuild) never take a lease.

Requests waiting for the same host in one worker queue here in order; one of them at a time
asks Redis, again when the answer says (the delay's remaining time), or on a lease released
by this worker, or every ARCHIVER_THROTTLE_POLL seconds while the host is full. Nothing
blocks the reactor: the Redis client is redis-py's asyncio one.

Keys (``<prefix>`` is ARCHIVER_REDIS_PREFIX, shared by every spider of the blog's crawls):
``<prefix>:polite:<slot>:leases`` (sorted set: lease -> expiry, ms) and
``<prefix>:polite:<slot>:last`` (hash: start and delay of the last grant); both expire when
the host is idle.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import os
import socket
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from time import monotonic
from typing import Any

from archiver import config

logger = logging.getLogger(__name__)

#: Grant a lease, or say how long to wait: 0 granted; > 0 the ms left of the delay;
#: < 0 the host is full (minus the ms to the first lease's expiry, at most the poll).
#: KEYS: leases, last. ARGV: lease, limit, delay ms, lease ms, poll ms.
ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local limit, delay = tonumber(ARGV[2]), tonumber(ARGV[3])
local ttl, poll = tonumber(ARGV[4]), tonumber(ARGV[5])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= limit then
  local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return -math.max(1, math.min(poll, tonumber(first[2]) - now))
end
local last = redis.call('HMGET', KEYS[2], 'start', 'delay')
if last[1] then
  local ready = tonumber(last[1]) + math.max(delay, tonumber(last[2]))
  if now < ready then return ready - now end
end
redis.call('ZADD', KEYS[1], now + ttl, ARGV[1])
local far = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
redis.call('PEXPIREAT', KEYS[1], tonumber(far[2]) + 1)
if delay > 0 then
  redis.call('HSET', KEYS[2], 'start', now, 'delay', delay)
  redis.call('PEXPIRE', KEYS[2], delay + 1000)
end
return 0
"""


#: DOWNLOAD_HANDLERS of every process of a shared crawl.
HANDLERS = {
    "http": "archiver.workers.throttle.PoliteDownloadHandler",
    "https": "archiver.workers.throttle.PoliteDownloadHandler",
}


def _ms(seconds: float) -> int:
    return max(0, round(seconds * 1000))


@dataclass
class _Host:
    """This worker's requests waiting for one host, in order, and the one asking Redis."""

    waiting: deque[tuple[asyncio.Future, Callable[[], tuple[int, float, float]]]] = field(
        default_factory=deque
    )
    asking: bool = False
    task: asyncio.Future | None = None
    released: asyncio.Event = field(default_factory=asyncio.Event)


class Politeness:
    """Leases on hosts, shared through the Redis at ``url`` under ``prefix``."""

    def __init__(self, url: str, prefix: str, poll: float, worker: str = ""):
        import redis.asyncio

        self.client = redis.asyncio.Redis.from_url(url, socket_timeout=10, socket_connect_timeout=10)
        self.prefix = prefix
        self.poll = poll
        self.acquire = self.client.register_script(ACQUIRE)
        # a shared crawl's worker names its leases, so that whoever finds it dead gives them back
        self.owner = worker or f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.counter = itertools.count(1)
        self.hosts: dict[str, _Host] = {}

    def keys(self, slot: str) -> list[str]:
        base = f"{self.prefix}:polite:{slot}"
        return [f"{base}:leases", f"{base}:last"]

    async def lease(self, slot: str, terms: Callable[[], tuple[int, float, float]]) -> str:
        """Wait for a lease on ``slot``; ``terms()`` gives (concurrency, delay s, lease s),
        asked again at each try (AutoThrottle changes the delay)."""
        host = self.hosts.setdefault(slot, _Host())
        future: asyncio.Future = asyncio.get_running_loop().create_future()
        host.waiting.append((future, terms))
        if not host.asking:
            host.asking = True
            host.task = asyncio.ensure_future(self._ask(slot, host))
        return await future

    async def _ask(self, slot: str, host: _Host) -> None:
        try:
            while host.waiting:
                future, terms = host.waiting[0]
                if future.done():  # its request was cancelled
                    host.waiting.popleft()
                    continue
                limit, delay, lease_for = terms()
                lease = f"{self.owner}:{next(self.counter)}"
                try:
                    wait = await self.acquire(
                        keys=self.keys(slot), args=[lease, limit, _ms(delay), _ms(lease_for), _ms(self.poll)]
                    )
                except Exception as exc:  # Redis gone: this request fails, the next tries again
                    host.waiting.popleft()
                    if not future.done():
                        future.set_exception(exc)
                    continue
                wait = int(wait)
                if wait == 0:
                    host.waiting.popleft()
                    if future.done():
                        await self.release(slot, lease)
                    else:
                        future.set_result(lease)
                elif wait > 0:
                    await asyncio.sleep(wait / 1000)
                else:
                    host.released.clear()
                    try:
                        await asyncio.wait_for(host.released.wait(), -wait / 1000)
                    except TimeoutError:
                        pass
        finally:
            host.asking = False

    async def release(self, slot: str, lease: str) -> None:
        try:
            await self.client.zrem(self.keys(slot)[0], lease)
        except Exception as exc:  # it expires by itself
            logger.warning(
                "Could not give back the lease %s on %s in Redis (%s): it expires by itself", lease, slot, exc
            )
        host = self.hosts.get(slot)
        if host is not None:
            host.released.set()

    async def close(self) -> None:
        await self.client.aclose()


def give_back(client, prefix: str, worker: str) -> int:
    """Drop the leases of a dead ``worker`` (a synchronous client); how many. Without this
    they would expire by themselves."""
    dropped = 0
    for key in client.scan_iter(match=f"{prefix}:polite:*:leases"):
        mine = [member for member, _ in client.zscan_iter(key, match=f"{worker}:*")]
        if mine:
            dropped += client.zrem(key, *mine)
    return dropped


class PoliteDownloadHandler:
    """Scrapy's HTTP(S) download handler, each download under a lease of :class:`Politeness`.

    Enabled for ``http`` and ``https`` in DOWNLOAD_HANDLERS by the shared crawl's processes;
    with no ARCHIVER_REDIS_URL it only passes requests on."""

    lazy = False

    def __init__(self, crawler, politeness: Politeness | None, grace: float):
        from scrapy.utils.misc import build_from_crawler, load_object

        base = crawler.settings.getwithbase("DOWNLOAD_HANDLERS_BASE")
        self.inner: Any = build_from_crawler(load_object(base["https"]), crawler)
        self.crawler = crawler
        self.politeness = politeness
        self.grace = grace

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        url = config.get(settings, "ARCHIVER_REDIS_URL")
        politeness = None
        if url:
            # one per crawler, shared by the http and https handlers
            politeness = getattr(crawler, "_archiver_politeness", None)
            if politeness is None:
                politeness = Politeness(
                    url,
                    config.get(settings, "ARCHIVER_REDIS_PREFIX"),
                    config.getfloat(settings, "ARCHIVER_THROTTLE_POLL"),
                    config.get(settings, "ARCHIVER_WORKER_ID"),
                )
                crawler._archiver_politeness = politeness
        return cls(crawler, politeness, config.getfloat(settings, "ARCHIVER_THROTTLE_LEASE_GRACE"))

    def _terms(self, request, key: str) -> Callable[[], tuple[int, float, float]]:
        settings = self.crawler.settings
        lease_for = (
            float(request.meta.get("download_timeout") or settings.getfloat("DOWNLOAD_TIMEOUT")) + self.grace
        )

        def terms() -> tuple[int, float, float]:
            slot = self.crawler.engine.downloader.slots.get(key)
            if slot is None:  # not expected: the downloader made it before calling us
                return (
                    settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN"),
                    settings.getfloat("DOWNLOAD_DELAY"),
                    lease_for,
                )
            return slot.concurrency, slot.delay, lease_for

        return terms

    async def download_request(self, request):
        if self.politeness is None:
            return await self.inner.download_request(request)
        # imported here, not at the top: the command `archiver crawl --workers` imports no Scrapy
        from scrapy.utils.httpobj import urlparse_cached

        key = request.meta.get("download_slot") or urlparse_cached(request).hostname or ""
        stats = self.crawler.stats
        asked = monotonic()
        lease = await self.politeness.lease(key, self._terms(request, key))
        waited = monotonic() - asked
        stats.inc_value("archiver/politeness/leases")
        stats.inc_value("archiver/politeness/wait_ms", _ms(waited))
        stats.max_value("archiver/politeness/max_wait_ms", _ms(waited))
        try:
            return await self.inner.download_request(request)
        finally:
            await self.politeness.release(key, lease)

    async def close(self) -> None:
        await self.inner.close()
        politeness = self.politeness
        if politeness is None or not getattr(self.crawler, "_archiver_politeness", None):
            return  # no Redis, or the other scheme's handler closed it
        self.crawler._archiver_politeness = None
        await politeness.close()
