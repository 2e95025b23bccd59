"""The WARC records of a worker on another machine reach the blog's own WARC archive.

A worker started with ``archiver worker`` (on a machine without the blog) records every
article page in a WARC file of its own folder, as every process does, and also pushes the
two records, exactly as written there (gzip members, not compressed again), with the
response's index fields, onto ``…:warc``. The blog's writer appends them to a WARC file of
the blog's archive (``archiver-<time>-<pid>-remote-<n>.warc.gz``, with its CDXJ index), so
that ``archiver rebuild`` on the blog's host has every page of the crawl, wherever it was
fetched. The worker's own files are a copy on that machine (delete them at will).

An entry leaves ``…:warc`` only once written and flushed: a writer killed meanwhile writes
it again the next run (the archive keeps the newest answer per URL; a record twice changes
nothing), and its ``.open`` file is cut back to its last whole record.
"""

from __future__ import annotations

import pickle

from archiver import config
from archiver.store.warc import WarcFile
from archiver.workers.shared import Keys, connect, keep_unreadable

#: Records written by the writer between two flushes of its list (a drain's batch).
BATCH = 50


class Shipper:
    """In a remote worker's WARC recorder: send each written pair on to the writer."""

    def __init__(self, crawler):
        settings = crawler.settings
        self.crawler = crawler
        self.keys = Keys.for_settings(settings, crawler.spidercls.name)
        self.server = connect(config.get(settings, "ARCHIVER_REDIS_URL"))

    def push(self, response: bytes, request: bytes, entry: dict[str, str]) -> None:
        self.server.rpush(self.keys.warc, pickle.dumps((response, request, entry), protocol=5))
        self.crawler.stats.inc_value("archiver/workers/warc_shipped")


class Importer:
    """In the writer: append the remote workers' records to the blog's WARC archive."""

    def __init__(self, crawler, server, keys: Keys):
        settings = crawler.settings
        self.crawler = crawler
        self.server = server
        self.keys = keys
        self.file = (
            WarcFile(
                config.warc_dir(settings),
                int(config.getfloat(settings, "ARCHIVER_WARC_MAX_MB") * 1024 * 1024),
                level=config.getint(settings, "ARCHIVER_WARC_GZIP_LEVEL"),
                tag="-remote",
            )
            if config.getbool(settings, "ARCHIVER_WARC")
            else None  # the blog keeps no WARC archive: the records are dropped
        )

    def drain(self) -> int:
        """Write every record waiting in Redis; returns how many."""
        written = 0
        while True:
            batch = self.server.lrange(self.keys.warc, 0, BATCH - 1)
            if not batch:
                return written
            for raw in batch:
                if self.file is None:
                    continue
                try:
                    members = pickle.loads(raw)
                except Exception as exc:  # damaged, or not this archiver's: it would stop every run
                    keep_unreadable(self.crawler, raw, "A WARC record from a worker on another machine", exc)
                    continue
                self.file.write_members(*members)
            self.server.ltrim(self.keys.warc, len(batch), -1)  # written and flushed: gone
            written += len(batch)
            self.crawler.stats.inc_value("archiver/workers/warc_imported", len(batch))

    def close(self) -> None:
        if self.file is not None:
            self.file.close()
