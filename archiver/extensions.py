"""Run-level extensions: the state database and run lock, and the end-of-run summary."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import resource
import signal
import sqlite3
import sys
from datetime import datetime
from pathlib import Path

from scrapy import signals

from archiver import config, report
from archiver.report import CPU_STAT
from archiver.store.atomic import remove_stale_temporaries, write_atomic
from archiver.store.lock import EXIT_LOCKED, PARENT_ENV, RunLock, RunLocked, held_by
from archiver.store.postindex import PostIndex
from archiver.store.state import State, StateError

logger = logging.getLogger(__name__)


#: Seconds a process waits, once its archiver command passed on a stop, for the stop to
#: reach it by itself (sent to the whole process group: Ctrl-C, systemd) before it stops.
PASSED_ON_WAIT = 1.0


def stop_when_asked(crawler) -> None:
    """In a process an archiver command started: SIGUSR1 (``archiver.cli.PASS_ON``, sent
    when the command itself is told to stop) stops the crawl gracefully, as SIGTERM does
    (it sends itself one: Scrapy's own stop). Not when the stop reached this process too
    (it was sent to the whole process group): Scrapy would count a second signal and force
    an unclean stop, so it waits :data:`PASSED_ON_WAIT` for that first."""
    if not os.environ.get(PARENT_ENV):
        return
    loop = asyncio.get_event_loop()  # the reactor's (Scrapy's asyncio reactor)

    def stop() -> None:
        if crawler.crawling:  # no stop of its own reached it
            logger.info("The archiver command that started this crawl was told to stop: stopping gracefully")
            os.kill(os.getpid(), signal.SIGTERM)

    def asked(_signum, _frame) -> None:
        loop.call_soon_threadsafe(lambda: loop.call_later(PASSED_ON_WAIT, stop))

    signal.signal(signal.SIGUSR1, asked)


class ArchiveState:
    """Takes the run lock, opens the state database, rebuilds it from ``_posts/`` when
    needed, and records the run. A second run exits at once with status 75."""

    def __init__(self, crawler):
        self.crawler = crawler
        settings = crawler.settings
        self.lock = RunLock(config.state_dir(settings) / "run.lock")
        lender = config.getint(settings, "ARCHIVER_LOCK_HELD_BY")
        try:
            if lender:  # a worker of a parallel rebuild: its parent holds the lock
                if not held_by(self.lock.path, lender):
                    raise RunLocked(
                        f"ARCHIVER_LOCK_HELD_BY={lender}, but that process does not hold {self.lock.path}"
                    )
            else:
                self.lock.acquire()
        except RunLocked as exc:
            logger.error("%s", exc)
            sys.exit(EXIT_LOCKED)
        except OSError as exc:
            logger.error("Cannot take the run lock %s: %s", self.lock.path, exc)
            sys.exit(1)
        try:
            self.state = State.for_crawler(crawler)
        except StateError as exc:
            logger.error("%s", exc)
            self.lock.release()
            sys.exit(1)
        if not lender and self.state.last_run_unfinished():
            # only a killed run leaves temporaries (the parent of parallel workers cleans
            # up before starting them); looking for them costs a walk of the whole blog
            remove_stale_temporaries(config.blog_root(settings))
        stop_when_asked(crawler)
        PostIndex.for_crawler(crawler)  # noticed: posts added, removed or changed since the last run
        self.run_id = None
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(self.engine_stopped, signal=signals.engine_stopped)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def spider_opened(self, spider):
        if config.get(self.crawler.settings, "ARCHIVER_WORKER_ROLE") == "worker":
            return  # a shared crawl is one run: its writer records it
        self.run_id = self.state.run_started(
            config.get(self.crawler.settings, "ARCHIVER_SOURCE") or spider.name
        )

    def spider_closed(self, spider, reason):
        stats = dict(self.crawler.stats.get_stats())
        stats["finish_reason"] = reason
        if self.run_id is not None:
            self.state.run_finished(self.run_id, reason, report.summarize(stats))

    def engine_stopped(self):
        """After every component's spider_closed: nothing writes to the state any more.
        ``_posts/`` is synced once more, as the run leaves it: after the run's own writes
        its folder's stat changed, and the listing made now spares the next run and
        ``archiver status`` theirs (archiver/store/postindex.py)."""
        try:
            if config.get(self.crawler.settings, "ARCHIVER_WORKER_ROLE") != "worker":  # they write no post
                index = PostIndex.for_crawler(self.crawler)
                self.state.reconcile(index, index.sync())
        except (OSError, sqlite3.Error) as exc:  # the next run lists the folder instead
            logger.warning("Post index: not synced at the end of the run: %s", exc)
        finally:
            self.state.close()
            self.lock.release()


class RunSummary:
    """Logs the summary block at the end of every run; writes the stats as JSON on request."""

    def __init__(self, crawler):
        self.crawler = crawler
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def spider_closed(self, spider, reason):
        stats = dict(self.crawler.stats.get_stats())
        stats["finish_reason"] = reason
        logger.info(
            "Run summary (%s):\n  %s", spider.name, "\n  ".join(report.summary_lines(report.summarize(stats)))
        )
        target = config.get(self.crawler.settings, "ARCHIVER_STATS_FILE")
        if target:
            data = {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in stats.items()}
            usage = resource.getrusage(resource.RUSAGE_SELF)  # this process's CPU, for --workers' JSON
            data[CPU_STAT] = round(usage.ru_utime + usage.ru_stime, 3)
            write_atomic(
                Path(target).expanduser(), json.dumps(data, ensure_ascii=False, indent=2, default=str)
            )


def _lowest_handler_level() -> int:
    """The lowest level any logging handler takes (0: one takes every record); libraries'
    NullHandlers, which write nothing, do not count."""
    loggers = [logging.root] + [
        lg for lg in logging.Logger.manager.loggerDict.values() if isinstance(lg, logging.Logger)
    ]
    levels = [
        handler.level
        for lg in loggers
        for handler in lg.handlers
        if not isinstance(handler, logging.NullHandler)
    ]
    return min(levels, default=0)


class QuietLogging:
    """Records no handler would write are not made. Scrapy sets the root logger to NOTSET
    and filters by ``LOG_LEVEL`` in its handlers, so each response's and item's DEBUG line
    (``Crawled (200)``, ``Scraped``) was built (caller lookup, record, handler calls) and
    then dropped: about 7 us each. While the crawl runs, the root logger's level is the
    lowest level of any handler's (none changed when a handler takes everything, as
    pytest's does); the log written is the same."""

    def __init__(self, crawler):
        self.before: int | None = None  # the root logger's level before the crawl
        self.level: int | None = None  # the level set for the crawl
        crawler.signals.connect(self.engine_started, signal=signals.engine_started)
        crawler.signals.connect(self.engine_stopped, signal=signals.engine_stopped)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def engine_started(self):
        lowest = _lowest_handler_level()
        if lowest > logging.root.level:
            self.before, self.level = logging.root.level, lowest
            logging.root.setLevel(lowest)

    def engine_stopped(self):
        if self.before is not None and logging.root.level == self.level:  # unless changed since
            logging.root.setLevel(self.before)
        self.before = self.level = None
