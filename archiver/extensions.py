"""End-of-run summary: one block a person reads to know what the run did."""
from __future__ import annotations

import json
import logging
from datetime import datetime
from pathlib import Path

from scrapy import signals

from archiver.fsutil import write_atomic

from archiver import report

logger = logging.getLogger(__name__)


def summary_lines(stats: dict) -> list[str]:
    def fmt(counts: dict[str, int]) -> str:
        return ", ".join(f"{k} {v}" for k, v in counts.items()) or "none"

    return [
        f"new posts: {stats.get('archiver/posts/new', 0)}",
        f"unchanged: {stats.get('archiver/posts/unchanged', 0)}",
        f"skipped: {fmt(report.counters(stats, report.SKIPPED))}",
        f"dropped: {fmt(report.counters(stats, report.DROPPED))}",
        f"failed: {fmt(report.counters(stats, report.FAILED))}",
    ]


class RunSummary:
    def __init__(self, crawler):
        self.crawler = crawler
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def spider_closed(self, spider, reason):
        stats = self.crawler.stats.get_stats()
        logger.info("Run summary (%s, %s):\n  %s", spider.name, reason,
                    "\n  ".join(summary_lines(stats)))
        target = self.crawler.settings.get("ARCHIVER_STATS_FILE")
        if target:
            data = {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in stats.items()}
            data["finish_reason"] = reason
            write_atomic(Path(target).expanduser(), json.dumps(data, ensure_ascii=False, indent=2, default=str))
