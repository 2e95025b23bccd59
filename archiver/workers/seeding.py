"""One worker of a run makes the start requests; the others take them from the queue.

Every worker of ``archiver crawl … --workers N`` runs the same spider, and the spider's
start (the list pages, the ``urls_file``, the retries and refreshes the state asks for)
is the same in each: N workers made N times the start requests, and all but one copy of
each were pushed to Redis only to be found in the seen-set (on a 2,000-URL ``urls_file``,
about 0.4 s of CPU per extra worker, and N times the Redis traffic of the start).

:class:`SeedOnce` (spider middleware of a run's workers): the first worker to claim
``…:seeder`` (SET NX, its name) runs the spider's start and then sets ``…:seeded``; the
others yield no start request of their own, and wait (without closing: Scrapy does not
close a spider whose start is not over) until ``…:seeded`` is there. Meanwhile they take
requests from the shared queue as usual. A seeder that dies before it is done (its
heartbeat gone, or its process on this host) is replaced: a waiting worker takes the claim
over (one Lua script: only one of them does) and makes the start requests again; what the
dead one queued already is in the seen-set, so nothing is fetched twice. The run deletes
both keys at its start (a resumed run seeds again, into the seen-set it kept) and at a
clean end.
"""

from __future__ import annotations

import asyncio
import logging

from archiver import config
from archiver.workers.shared import Keys, connect, is_dead

logger = logging.getLogger(__name__)

#: Seconds between two looks at whether the start requests are all made.
POLL = 0.2

#: Take the claim over from a dead seeder: only if it is still that seeder's.
#: KEYS: seeder. ARGV: the dead seeder, this worker.
TAKE_OVER = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2])
  return 1
end
return 0
"""


class SeedOnce:
    def __init__(self, crawler):
        self.keys = Keys.for_settings(crawler.settings, crawler.spidercls.name)
        self.server = connect(config.get(crawler.settings, "ARCHIVER_REDIS_URL"))
        self.name = config.get(crawler.settings, "ARCHIVER_WORKER_ID")
        self.take_over = self.server.register_script(TAKE_OVER)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def _claim(self) -> bool:
        """Whether this worker is to make the start requests now."""
        keys = self.keys
        if self.server.set(keys.seeder, self.name, nx=True):
            return True
        seeder = (self.server.get(keys.seeder) or b"").decode()
        if not is_dead(self.server, keys, seeder, self.server.hget(keys.workers, seeder)):
            return False
        if not self.take_over(keys=[keys.seeder], args=[seeder, self.name]):
            return False  # another waiting worker took it first
        logger.warning(
            "Worker %s stopped before it had made the start requests: %s makes them", seeder, self.name
        )
        return True

    async def process_start(self, start):
        while not self.server.exists(self.keys.seeded):
            if self._claim():
                logger.info("This worker (%s) makes the start requests of the shared crawl", self.name)
                async for entry in start:
                    yield entry
                self.server.set(self.keys.seeded, b"1")
                return
            await asyncio.sleep(POLL)
        logger.info(
            "The start requests were made by worker %s",
            (self.server.get(self.keys.seeder) or b"?").decode(),
        )
