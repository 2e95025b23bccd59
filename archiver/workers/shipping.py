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
  ``…:writing``, so a writer killed mid-write loses none: the next one starts with them;
  up to TAKE in one round trip, GATHER apart once it has caught up), and they run through the normal item pipelines (validate, duplicates, images, the
  post), so the posts and the state are those a one-process run writes. An article
  leaves ``…:writing`` (LPOP of the list's head) when its pipelines are done and those of
  every article taken before it. The writer waits for articles with a
  blocking BLMOVE on an asyncio client (no polling, nothing blocks the reactor), and stops
  when every worker has stopped (``…:done``) and nothing is left to write.
"""

from __future__ import annotations

import asyncio
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
from archiver.workers.shared import Keys, connect, keep_unreadable
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
WAIT = 0.1
#: Articles taken at most in one round trip to Redis (one blocking BLMOVE, then LMOVEs of
#: what is there already): all go to ``…:writing`` first, as one would.
TAKE = 16
#: Seconds the writer lets articles gather when a take found fewer than TAKE (it had
#: caught up with the workers): a round trip to Redis costs the writer about as much CPU
#: as writing a post, and one for every article arriving would double its work.
GATHER = 0.05


#: Seconds between two looks at a closing writer's pipelines (:meth:`WriterStart._close_when_done`).
CLOSE_LOOK = 0.1


def _closing(crawler):
    """The Deferred Scrapy's scraper fires when it may close, once a close has begun (None
    before, or in a Scrapy whose scraper has no such slot)."""
    engine = getattr(crawler, "engine", None)
    slot = getattr(getattr(engine, "scraper", None), "slot", None)
    return getattr(slot, "closing", None)


class WriterStart:
    def __init__(self, crawler):
        _role(crawler, "writer")
        self.crawler = crawler
        self.keys = Keys.for_settings(crawler.settings, crawler.spidercls.name)
        self.url = config.get(crawler.settings, "ARCHIVER_REDIS_URL")
        self.server = connect(self.url)
        #: the articles taken, in their order in ``…:writing``: id(item) -> position
        self.taken: dict[int, int] = {}
        self.next = 0  # the position of the next article taken
        self.head = 0  # the position of the first article still in ``…:writing``
        self.finished: set[int] = set()  # positions done, behind an unfinished one
        self.poppable = 0  # articles done at the head of ``…:writing``, not yet popped
        self.taking = True  # process_start pops them with its next take; after it, written()
        self.warc = Importer(crawler, self.server, self.keys)  # remote workers' pages
        crawler.signals.connect(self.warc.close, signal=signals.spider_closed)
        crawler.signals.connect(self.closed, signal=signals.spider_closed)
        crawler.signals.connect(self._close_when_done, signal=signals.spider_opened)
        for signal in (signals.item_scraped, signals.item_dropped, signals.item_error):
            crawler.signals.connect(self.written, signal=signal)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def written(self, item, **kwargs) -> None:
        """An article's pipelines are done: it leaves ``…:writing`` once every article
        taken before it is done too (LPOP of the list's head: an LREM would send the whole
        article to Redis again and make it scan the list). A writer killed before the
        pop leaves done articles there: the next one skips them (already archived)."""
        position = self.taken.pop(id(item), None)
        if position is None:
            return
        self._done(position)

    def _done(self, position: int) -> None:
        self.finished.add(position)
        while self.head in self.finished:
            self.finished.remove(self.head)
            self.head += 1
            self.poppable += 1
        if not self.taking:
            self._pop()

    def _close_when_done(self) -> None:
        """Scrapy (2.19) looks whether its scraper may close when a response's output is
        done, but not when an item of ``start()`` is (scrapy/scrapy#7029), and the writer's
        articles are items of its start: a writer told to stop (Ctrl-C, SIGTERM) while an
        article was in its pipelines (or still sending its "scraped" signal) waited for ever.
        This look, every :data:`CLOSE_LOOK` seconds from the spider's opening, lets a begun
        close go on once the pipelines are idle."""
        closing = _closing(self.crawler)
        if closing is not None and closing.called:
            return  # closed, or closing as Scrapy would
        if closing is not None and self.crawler.engine.scraper.slot.is_idle():
            closing.callback(self.crawler.spider)
            return
        asyncio.get_running_loop().call_later(CLOSE_LOOK, self._close_when_done)

    def _pop(self) -> None:
        count, self.poppable = self.poppable, 0
        if count:
            self.server.lpop(self.keys.writing, count)

    def closed(self, spider, reason) -> None:
        self.taking = False
        try:
            self._pop()
        except Exception as exc:  # Redis gone: the next writer skips them (already archived)
            logger.warning("Could not take %d written articles off Redis: %s", self.poppable, exc)

    async def process_start(self, start):
        import redis.asyncio

        publish_archived(self.server, self.keys, PostIndex.for_crawler(self.crawler))  # `archiver worker`
        left = self.server.lrange(self.keys.writing, 0, -1)
        if left:  # a writer killed mid-write: those first (a post written twice is unchanged)
            logger.warning("Writing %d articles a stopped writer left unwritten", len(left))
        for raw in left:
            if (item := self._load(raw)) is not None:
                yield item
        waiter = redis.asyncio.Redis.from_url(self.url, socket_timeout=WAIT + 10, socket_connect_timeout=10)
        keys = self.keys
        try:
            while True:
                # one round trip: what is written leaves …:writing, then up to TAKE articles
                # come in (a blocking BLMOVE for the first; redis-py types its timeout as int,
                # Redis >= 6 takes a float)
                pipe = waiter.pipeline(transaction=False)
                popped, self.poppable = self.poppable, 0
                if popped:
                    pipe.lpop(keys.writing, popped)
                pipe.blmove(keys.items, keys.writing, WAIT, "LEFT", "RIGHT")  # type: ignore[arg-type]
                for _ in range(TAKE - 1):
                    pipe.lmove(keys.items, keys.writing, "LEFT", "RIGHT")
                answers = await pipe.execute()
                batch = [raw for raw in answers[1 if popped else 0 :] if raw is not None]
                for raw in batch:
                    if (item := self._load(raw)) is not None:
                        yield item
                    if not self.crawler.stats.get_value("archiver/workers/received") % WARC_EVERY:
                        self.warc.drain()  # records of remote workers do not pile up in Redis
                if batch:
                    if len(batch) < TAKE:  # caught up with the workers: let more gather
                        await asyncio.sleep(GATHER)
                    continue
                self.warc.drain()
                if await waiter.exists(keys.done) and not await waiter.llen(keys.items):
                    self.warc.drain()
                    return
        finally:
            self.taking = False  # what is written from now on leaves …:writing at once
            try:
                self._pop()
            finally:
                await waiter.aclose()

    def _load(self, raw):
        """The article of an entry of ``…:writing``; None when it cannot be read (kept
        aside: :func:`~archiver.workers.shared.keep_unreadable`): it leaves ``…:writing`` in
        its turn, as a written one."""
        position, self.next = self.next, self.next + 1
        self.crawler.stats.inc_value("archiver/workers/received")
        try:
            item = pickle.loads(raw)
        except Exception as exc:  # UnpicklingError, EOFError, AttributeError, ImportError…
            keep_unreadable(self.crawler, raw, "An article from the workers", exc)
            self._done(position)
            return None
        self.taken[id(item)] = position
        return item
