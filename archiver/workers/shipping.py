"""Articles travel through Redis from the workers to the one writer.

* :class:`ShipItems` (spider middleware of a worker): every article a callback yields has
  its body's Markdown rendered here (the writer's costliest step, done on the workers'
  cores; the writer renders again only when its images pipeline archived images of the
  article) and is pushed, pickled, onto ``…:items``; requests go on as usual (to the shared
  queue). When the callback's output is all shared, its articles are pushed and the
  request is no longer held by the worker, in one transaction (:class:`Handoff`): a worker
  killed before it has shipped nothing of the page, and its request goes back to the queue.
  "All shared" is not the end of the callback: Scrapy takes a callback's output into a
  queue of its own (up to 2 × CONCURRENT_ITEMS entries) before it schedules the requests,
  so the request is held until every request it yielded is in the shared queue too (a
  whole run killed in between lost the rest of a list's pages).
* :class:`WriterStart` (spider middleware of the writer): the writer's spider yields no
  request of its own; its start is the articles taken from ``…:items`` (LMOVE into
  ``…:writing``, so a writer killed mid-write loses none: the next one starts with them),
  and they run through the normal item pipelines (validate, duplicates, images, the
  post), so the posts and the state are those a one-process run writes. An article
  leaves ``…:writing`` when its pipelines are done. The writer waits for articles with a
  blocking BLMOVE on an asyncio client (no polling, nothing blocks the reactor), and stops
  when every worker has stopped (``…:done``) and nothing is left to write.
"""

from __future__ import annotations

import logging
import pickle

from scrapy import Request, signals
from scrapy.exceptions import NotConfigured

from archiver import config
from archiver.items import Article
from archiver.render.post import render_body_ahead
from archiver.store.postindex import PostIndex
from archiver.workers.remote import publish_archived
from archiver.workers.scheduler import HANDOFF
from archiver.workers.shared import Keys, connect
from archiver.workers.warcship import Importer

logger = logging.getLogger(__name__)

#: Articles written between two imports of remote workers' WARC records, while they flow.
WARC_EVERY = 50


def _role(crawler, wanted: str) -> None:
    if config.get(crawler.settings, "ARCHIVER_WORKER_ROLE") != wanted:
        raise NotConfigured(f"not a {wanted} of a shared crawl")


class ShipItems:
    def __init__(self, crawler):
        _role(crawler, "worker")
        self.crawler = crawler
        self.keys = Keys.for_settings(crawler.settings, crawler.spidercls.name)
        self.server = connect(config.get(crawler.settings, "ARCHIVER_REDIS_URL"))

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def _take(self, item, shipped: list[bytes]) -> bool:
        if not isinstance(item, Article):
            return False
        try:
            render_body_ahead(item)
        except Exception as exc:  # the writer renders it, and reports what fails there
            logger.debug("Body of %s not rendered ahead: %s", item.url, exc)
        shipped.append(pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL))
        return True

    def _handoff(self, response) -> Handoff:
        scheduler = getattr(self.crawler, "_archiver_scheduler", None)
        held = scheduler.held(response.request) if scheduler is not None and response.request else None
        handoff = Handoff(self, held)
        if scheduler is not None:
            scheduler.handing.add(handoff)
            handoff.handing = scheduler.handing
        return handoff

    def _pass(self, entry, handoff: Handoff) -> bool:
        """True for what goes on to Scrapy (requests, counted), False for an article taken."""
        if isinstance(entry, Request):
            handoff.child(entry)
            return True
        return not self._take(entry, handoff.shipped)

    def process_spider_output(self, response, result):
        handoff = self._handoff(response)
        try:
            for entry in result:
                if self._pass(entry, handoff):
                    yield entry
        except Exception:  # the callback failed: what it handed on before still counts
            handoff.end()
            raise
        handoff.end()

    async def process_spider_output_async(self, response, result):
        handoff = self._handoff(response)
        try:
            async for entry in result:
                if self._pass(entry, handoff):
                    yield entry
        except Exception:
            handoff.end()
            raise
        handoff.end()


class Handoff:
    """What one callback handed on: its articles go to the writer and its request is no
    longer held, in one transaction, once the callback has ended and every request it
    yielded is in the shared queue (the scheduler calls :meth:`queued` for each; a request
    Scrapy drops before the scheduler leaves its parent held until the worker is idle,
    when the scheduler commits what is left)."""

    def __init__(self, ship: ShipItems, held: tuple[str, str] | None):
        self.ship = ship
        self.held = held
        self.shipped: list[bytes] = []
        self.waiting = 0
        self.ended = False
        self.handing: set[Handoff] | None = None

    def child(self, request: Request) -> None:
        request.meta[HANDOFF] = self  # the scheduler takes it out, then calls queued()
        self.waiting += 1

    def queued(self) -> None:
        self.waiting -= 1
        if self.ended and not self.waiting:
            self.commit()

    def end(self) -> None:
        self.ended = True
        if not self.waiting:
            self.commit()

    def commit(self) -> None:
        if self.handing is not None:
            self.handing.discard(self)
        shipped, self.shipped = self.shipped, []
        held, self.held = self.held, None
        if not shipped and held is None:
            return
        ship = self.ship
        pipe = ship.server.pipeline(transaction=True)
        if shipped:
            pipe.rpush(ship.keys.items, *shipped)
        if held is not None:
            pipe.hdel(*held)
        pipe.execute()
        if shipped:
            ship.crawler.stats.inc_value("archiver/workers/shipped", len(shipped))


#: Seconds of one wait for an article (a blocking BLMOVE), after which the writer looks
#: whether the workers are done.
WAIT = 0.25


class WriterStart:
    def __init__(self, crawler):
        _role(crawler, "writer")
        self.crawler = crawler
        self.keys = Keys.for_settings(crawler.settings, crawler.spidercls.name)
        self.url = config.get(crawler.settings, "ARCHIVER_REDIS_URL")
        self.server = connect(self.url)
        self.raw: dict[int, bytes] = {}
        self.warc = Importer(crawler, self.server, self.keys)  # remote workers' pages
        crawler.signals.connect(self.warc.close, signal=signals.spider_closed)
        for signal in (signals.item_scraped, signals.item_dropped, signals.item_error):
            crawler.signals.connect(self.written, signal=signal)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def written(self, item, **kwargs) -> None:
        raw = self.raw.pop(id(item), None)
        if raw is not None:
            self.server.lrem(self.keys.writing, 1, raw)

    async def process_start(self, start):
        import redis.asyncio

        publish_archived(self.server, self.keys, PostIndex.for_crawler(self.crawler))  # `archiver worker`
        left = self.server.lrange(self.keys.writing, 0, -1)
        if left:  # a writer killed mid-write: those first (a post written twice is unchanged)
            logger.warning("Writing %d articles a stopped writer left unwritten", len(left))
        for raw in left:
            yield self._load(raw)
        waiter = redis.asyncio.Redis.from_url(self.url, socket_timeout=WAIT + 10, socket_connect_timeout=10)
        try:
            while True:
                # redis-py types the timeout as int; Redis >= 6 takes a float
                raw = await waiter.blmove(self.keys.items, self.keys.writing, WAIT, "LEFT", "RIGHT")  # type: ignore[arg-type]
                if raw is not None:
                    yield self._load(raw)
                    if not self.crawler.stats.get_value("archiver/workers/received") % WARC_EVERY:
                        self.warc.drain()  # records of remote workers do not pile up in Redis
                    continue
                self.warc.drain()
                if await waiter.exists(self.keys.done) and not await waiter.llen(self.keys.items):
                    self.warc.drain()
                    return
        finally:
            await waiter.aclose()

    def _load(self, raw):
        item = pickle.loads(raw)
        self.raw[id(item)] = raw
        self.crawler.stats.inc_value("archiver/workers/received")
        return item
