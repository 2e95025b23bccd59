"""scrapy-redis's scheduler (its priority queue and RFPDupeFilter seen-set), keeping the
requests each worker has taken.

scrapy-redis pops a request, which is in the seen-set already: a worker killed with
``kill -9`` would lose what it held. Here the pop also records the request in the
worker's ``inflight`` hash (one Lua script: nothing between the two), the worker's
spider middleware (:class:`~archiver.workers.shipping.ShipItems`) removes it once the
callback's output is all in the shared crawl (its articles pushed for the writer, every
request it yielded queued here or found seen), and a worker with nothing to do clears its
hash. A request is added to the seen-set and the queue in one Lua script too: a kill
between the two would leave it seen and never fetched.
Whoever finds a dead worker (another worker, the parent, the next run) puts its
requests back on the queue (:func:`~archiver.workers.shared.requeue_dead`).

A worker closes when the queue is empty and every live worker is idle: a list page still
being parsed elsewhere may yet add requests.
"""

from __future__ import annotations

import logging

from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.utils.defer import deferred_from_coro
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler
from twisted.internet.task import LoopingCall

from archiver import config, report
from archiver.workers.shared import Keys, connect, requeue_dead, worker_info

logger = logging.getLogger(__name__)

#: Pop the best request, record it as held by the worker, mark the worker busy.
POP_AND_HOLD = """
local r = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #r == 0 then return false end
redis.call('ZREM', KEYS[1], r[1])
local id = redis.sha1hex(r[1])
redis.call('HSET', KEYS[2], id, r[2] .. '\\n' .. r[1])
redis.call('SREM', KEYS[3], ARGV[1])
return {r[1], id}
"""

#: Add a request to the seen-set and, when it was not there yet, to the queue: one round
#: trip. KEYS: seen-set, queue. ARGV: fingerprint, score, request.
SEE_AND_PUSH = """
if redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
return 1
"""

#: Seconds between two looks at the shared queue when this worker has nothing to do
#: (Scrapy's own is 5 s, made for a local queue that cannot fill up by itself).
POLL = 0.2

#: The meta key of a request a callback yielded: the callback's shipping.Handoff.
HANDOFF = "archiver_handoff"


class RequestQueue(PriorityQueue):
    """scrapy-redis's priority queue, naming a request's callback and errback by the
    method's own name: ``Request.to_dict(spider=…)`` looks for them among all the spider's
    members (``inspect.getmembers``) at every request."""

    def _name(self, method) -> str | None:
        """The spider's attribute that is ``method``, or None (not a method of the spider)."""
        function = getattr(method, "__func__", None)
        name = getattr(function, "__name__", "")
        found = getattr(getattr(self.spider, name, None), "__func__", None)
        mine = getattr(method, "__self__", None) is self.spider
        return name if mine and function is not None and found is function else None

    def _encode_request(self, request):
        callback, errback = request.callback, request.errback
        names = [self._name(m) if callable(m) else m for m in (callback, errback)]
        if any(callable(m) and n is None for m, n in zip((callback, errback), names)):
            return super()._encode_request(request)  # not a plain method of the spider
        request.callback = request.errback = None
        try:
            data = request.to_dict()
        finally:
            request.callback, request.errback = callback, errback
        data["callback"], data["errback"] = names
        return self.serializer.dumps(data)


class SharedScheduler(Scheduler):
    def __init__(self, crawler, server, keys: Keys, worker: str, heartbeat: float):
        super().__init__(
            server,
            persist=True,
            queue_key=keys.requests,
            dupefilter=RFPDupeFilter(server, keys.dupefilter),
            dupefilter_key=keys.dupefilter,
        )
        self.crawler = crawler
        self.stats = crawler.stats
        self.keys = keys
        self.worker = worker
        self.heartbeat = heartbeat
        self.pop = server.register_script(POP_AND_HOLD)
        self.see_and_push = server.register_script(SEE_AND_PUSH)
        self.beating: LoopingCall | None = None
        #: callbacks' outputs not all in the shared queue yet (archiver.workers.shipping)
        self.handing: set = set()

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        server = connect(config.get(settings, "ARCHIVER_REDIS_URL"))
        keys = Keys.for_settings(settings, crawler.spidercls.name)
        worker = config.get(settings, "ARCHIVER_WORKER_ID") or worker_info()
        return cls(crawler, server, keys, worker, config.getfloat(settings, "ARCHIVER_WORKER_HEARTBEAT"))

    def open(self, spider):
        # scrapy-redis's own open() and enqueue_request() use APIs Scrapy 2.13 deprecated
        self.spider = spider
        self.queue = RequestQueue(server=self.server, spider=spider, key=self.keys.requests)
        if len(self.queue):
            logger.info("Resuming the shared crawl (%d requests queued)", len(self.queue))
        self.crawler._archiver_scheduler = self  # for ShipItems._done
        self.crawler.engine._SLOT_HEARTBEAT_INTERVAL = POLL  # private: see POLL
        self.beat()
        self.server.hset(self.keys.workers, self.worker, worker_info())
        returned = requeue_dead(self.server, self.keys, but=self.worker)
        if returned:
            logger.warning("Put back on the queue %d requests of workers that died", returned)
        self.beating = LoopingCall(self.beat)
        self.beating.start(max(0.2, self.heartbeat / 4), now=False)
        self.crawler.signals.connect(self.idle, signal=signals.spider_idle)

    def beat(self) -> None:
        import redis

        try:
            self.server.set(self.keys.alive(self.worker), b"1", px=int(self.heartbeat * 1000))
        except redis.RedisError as exc:
            logger.error("Redis is gone (%s): this worker stops", exc)
            if self.beating is not None and self.beating.running:
                self.beating.stop()
            deferred_from_coro(self.crawler.engine.close_spider_async(reason="redis_lost"))

    def close(self, reason):
        if self.beating is not None and self.beating.running:
            self.beating.stop()
        try:
            if reason == "finished":  # everything it took is done
                self.server.delete(self.keys.inflight(self.worker))
            pipe = self.server.pipeline()
            pipe.delete(self.keys.alive(self.worker))
            if reason == "finished":
                pipe.hdel(self.keys.workers, self.worker)
                pipe.srem(self.keys.idle, self.worker)
            pipe.execute()
        except Exception as exc:  # Redis gone: the heartbeat expires by itself
            logger.error("Could not deregister worker %s from Redis: %s", self.worker, exc)

    def enqueue_request(self, request):
        request.meta.pop("archiver_inflight", None)  # a retry or a copy is a request of its own
        parent = request.meta.pop(HANDOFF, None)  # the Handoff of the callback that yielded it
        try:
            return self._enqueue(request)
        finally:  # queued, or seen already: either way in the shared crawl now
            if parent is not None:
                parent.queued()

    def _enqueue(self, request) -> bool:
        data = self.queue._encode_request(request)
        if request.dont_filter:
            self.server.execute_command("ZADD", self.keys.requests, -request.priority, data)
        elif not self.see_and_push(
            keys=[self.keys.dupefilter, self.keys.requests],
            args=[self.df.request_fingerprint(request), -request.priority, data],
        ):
            self.df.log(request, self.spider)
            return False
        self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def next_request(self):
        found = self.pop(
            keys=[self.keys.requests, self.keys.inflight(self.worker), self.keys.idle], args=[self.worker]
        )
        if not found:
            return None
        data, ident = found
        try:
            request = self.queue._decode_request(data)
        except Exception as exc:  # damaged, or not this archiver's: it would stop a worker each time
            self.server.hdel(self.keys.inflight(self.worker), ident)
            report.count(self.stats, report.FAILED, "unreadable_request")
            logger.error(
                "A request in the shared queue cannot be read (%s: %s): dropped (%d bytes, %r…)",
                type(exc).__name__,
                exc,
                len(data),
                data[:60],
            )
            return None
        request.meta["archiver_inflight"] = ident.decode()
        self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def held(self, request) -> tuple[str, str] | None:
        """(hash, field) that records ``request`` as held by this worker, to be deleted once
        its output is all handed on (:class:`~archiver.workers.shipping.ShipItems`)."""
        ident = request.meta.get("archiver_inflight")
        return (self.keys.inflight(self.worker), ident) if ident else None

    def idle(self, spider):
        """Nothing runs in this worker: what it holds is done. It stays while requests wait
        or another live worker may still add some."""
        for handoff in list(self.handing):  # a request of theirs Scrapy dropped: the rest goes
            handoff.commit()
        pipe = self.server.pipeline()
        pipe.delete(self.keys.inflight(self.worker))
        pipe.sadd(self.keys.idle, self.worker)
        pipe.execute()
        returned = requeue_dead(self.server, self.keys, but=self.worker)
        if returned:
            logger.warning("Put back on the queue %d requests of workers that died", returned)
        if self.server.zcard(self.keys.requests):
            raise DontCloseSpider
        idle = self.server.smembers(self.keys.idle)
        if any(name not in idle for name in self.server.hkeys(self.keys.workers)):
            raise DontCloseSpider
