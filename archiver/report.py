"""One clear log line and one stats counter for everything that does not become a post.

Counters (Scrapy stats, shown at the end of every run and by the run summary):

* ``archiver/failed/<reason>``: a page that should have been an article and was not
  (HTTP error, network error, redirect away, empty or non-HTML answer, parse error);
* ``archiver/dropped/<reason>``: an article that cannot become a good post (video,
  paywalled, empty body);
* ``archiver/skipped/<reason>``: nothing wrong (already archived, older than ``since``).
"""
from __future__ import annotations

import logging

FAILED, DROPPED, SKIPPED = "failed", "dropped", "skipped"


def count(stats, kind: str, reason: str) -> None:
    stats.inc_value(f"archiver/{kind}")
    stats.inc_value(f"archiver/{kind}/{reason}")


def failed(spider, url: str, reason: str, detail: str) -> None:
    """A page that should have been an article and is not: WARNING + ``archiver/failed/<reason>``."""
    spider.logger.warning("Failed %s: %s", url, detail, extra={"spider": spider})
    count(spider.crawler.stats, FAILED, reason)


def skipped(spider, url: str, reason: str, detail: str, level: int = logging.INFO) -> None:
    spider.logger.log(level, "Skipped %s: %s", url, detail, extra={"spider": spider})
    count(spider.crawler.stats, SKIPPED, reason)


def counters(stats: dict, kind: str) -> dict[str, int]:
    prefix = f"archiver/{kind}/"
    return {k[len(prefix):]: v for k, v in sorted(stats.items()) if k.startswith(prefix)}
