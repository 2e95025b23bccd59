"""Many processes, one crawl: ``archiver crawl SPIDER --workers N`` on scrapy-redis.

* :mod:`~archiver.workers.shared`: the Redis URL check, the keys of one shared crawl, the
  blog's id, putting a dead worker's requests back on the queue.
* :mod:`~archiver.workers.scheduler`: scrapy-redis's scheduler and seen-set, plus the
  requests each worker holds (so a worker killed with ``kill -9`` loses nothing).
* :mod:`~archiver.workers.shipping`: workers send their articles through Redis; the one
  writer takes them and runs the normal item pipelines.
* :mod:`~archiver.workers.run`: the command: N workers and one writer, the summary.
"""
