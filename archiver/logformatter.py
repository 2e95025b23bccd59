"""Log lines that name the article (URL) instead of dumping the whole item."""

from __future__ import annotations

import logging

from scrapy.logformatter import LogFormatter

from archiver.items import Article


def _name(item) -> str:
    if isinstance(item, Article):
        return item.url
    return type(item).__name__


class ArchiverLogFormatter(LogFormatter):
    def dropped(self, item, exception, response, spider=None):
        level = getattr(exception, "log_level", None) or logging.WARNING
        if isinstance(level, str):
            level = logging.getLevelName(level)
        return {
            "level": level,
            "msg": "Dropped %(item)s: %(exception)s",
            "args": {"item": _name(item), "exception": exception},
        }

    def scraped(self, item, response, spider=None):
        return {
            "level": logging.DEBUG,
            "msg": "Scraped %(item)s",
            "args": {"item": _name(item)},
        }
