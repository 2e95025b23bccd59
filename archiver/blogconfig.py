"""Check the blog's ``_config.yml`` against the archiver's settings, once per run.

Posts carry no UTC offset: Jekyll reads their dates in the build's time zone
(``timezone:`` of _config.yml, else the machine's). When that zone differs from
ARCHIVER_TIMEZONE, post dates shift and, with Jekyll's default ``future: false``,
a fresh post can be skipped as "future". We warn instead of guessing.
"""

from __future__ import annotations

import logging

import yaml
from scrapy import signals

from archiver import config

logger = logging.getLogger(__name__)


def timezone_problem(config_text: str, wanted: str) -> str | None:
    """Why the blog's config disagrees with ``wanted``, or None when it agrees."""
    try:
        config = yaml.safe_load(config_text) or {}
    except yaml.YAMLError as exc:
        return f"cannot be read as YAML ({exc.__class__.__name__}), so its time zone is unknown"
    if not isinstance(config, dict):
        return "is not a YAML mapping, so its time zone is unknown"
    zone = config.get("timezone")
    if not zone:
        return "sets no timezone, so Jekyll dates posts in the build machine's zone"
    if str(zone) != wanted:
        return f"has timezone: {zone}"
    return None


class BlogConfigCheck:
    def __init__(self, crawler):
        self.crawler = crawler
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def spider_opened(self, spider):
        settings = self.crawler.settings
        blog_config = config.blog_root(settings) / "_config.yml"
        if not blog_config.is_file():
            return
        wanted = config.get_or_default(settings, "ARCHIVER_TIMEZONE")
        problem = timezone_problem(blog_config.read_text(encoding="utf-8", errors="replace"), wanted)
        if problem:
            self.crawler.stats.set_value("archiver/config/timezone_mismatch", 1)
            logger.warning(
                "%s %s, but posts are dated in %s (ARCHIVER_TIMEZONE): set 'timezone: %s' "
                "in _config.yml, or Jekyll may shift post dates and skip fresh posts as future",
                blog_config,
                problem,
                wanted,
                wanted,
            )
