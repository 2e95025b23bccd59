"""Articles travel through Redis from the workers to the one writer.

* :class:`ShipItems` (spider middleware of a worker): every article a callback yields is
  pushed, pickled, onto ``…:items``; requests go on as usual (to the shared queue). When
  the callback's output is all handed on, the worker no longer holds the request.
* :class:`WriterStart` (spider middleware of the writer): the writer's spider yields no
  request of its own; its start is the articles taken from ``…:items`` (LMOVE into
  ``…:writing``, so a writer killed mid-write loses none: the next one starts with them),
  and they run through the normal item pipelines (validate, duplicates, images, the
  post), so the posts and the state are those a one-process run writes. An article
  leaves ``…:writing`` when its pipelines are done. The writer stops when every worker
  has stopped (``…:done``) and nothing is left to write. Between articles it adds the
  pages fetched by workers of other machines to the blog's WARC archive
  (:mod:`~archiver.workers.warcship`).
"""

from __future__ import annotations

import logging
import pickle

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.task import deferLater

from archiver import config
from archiver.items import Article
from archiver.workers.shared import Keys, connect
from archiver.workers.warcship import Importer

logger = logging.getLogger(__name__)


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

    def _ship(self, item) -> bool:
        if not isinstance(item, Article):
            return False
        self.server.rpush(self.keys.items, pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL))
        self.crawler.stats.inc_value("archiver/workers/shipped")
        return True

    def _done(self, response) -> None:
        scheduler = getattr(self.crawler, "_archiver_scheduler", None)
        if scheduler is not None and response.request is not None:
            scheduler.done(response.request)

    def process_spider_output(self, response, result):
        for entry in result:
            if not self._ship(entry):
                yield entry
        self._done(response)

    async def process_spider_output_async(self, response, result):
        async for entry in result:
            if not self._ship(entry):
                yield entry
        self._done(response)


#: Seconds between two looks at an empty ``…:items`` list.
WAIT = 0.1


class WriterStart:
    def __init__(self, crawler):
        _role(crawler, "writer")
        self.crawler = crawler
        self.keys = Keys.for_settings(crawler.settings, crawler.spidercls.name)
        self.server = connect(config.get(crawler.settings, "ARCHIVER_REDIS_URL"))
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
        from twisted.internet import reactor

        left = self.server.lrange(self.keys.writing, 0, -1)
        if left:  # a writer killed mid-write: those first (a post written twice is unchanged)
            logger.warning("Writing %d articles a stopped writer left unwritten", len(left))
        for raw in left:
            yield self._load(raw)
        while True:
            raw = self.server.lmove(self.keys.items, self.keys.writing, "LEFT", "RIGHT")
            if raw is not None:
                yield self._load(raw)
                continue
            self.warc.drain()
            if self.server.exists(self.keys.done) and not self.server.llen(self.keys.items):
                self.warc.drain()
                return
            await maybe_deferred_to_future(deferLater(reactor, WAIT, lambda: None))

    def _load(self, raw: bytes):
        item = pickle.loads(raw)
        self.raw[id(item)] = raw
        self.crawler.stats.inc_value("archiver/workers/received")
        return item
