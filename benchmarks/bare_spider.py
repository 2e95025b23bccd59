"""The ceiling: a Scrapy spider that only fetches every article (no parsing, no writing).

Run with ``scrapy runspider`` outside the project (Scrapy's defaults, none of the
archiver's middlewares, pipelines or extensions), with the same concurrency as the
archiver's benchmark run:

    scrapy runspider benchmarks/bare_spider.py -a urls_file=urls.txt \\
        -a origin=http://127.0.0.1:PORT -a stats_file=stats.json
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import scrapy


class BareSpider(scrapy.Spider):
    name = "bare"

    def __init__(self, urls_file: str, origin: str, stats_file: str = "", **kwargs):
        super().__init__(**kwargs)
        self.urls_file = urls_file
        self.origin = origin.rstrip("/")
        self.stats_file = stats_file

    async def start(self):
        with open(self.urls_file, encoding="utf-8") as handle:
            for line in handle:
                url = line.strip()
                if url:
                    yield scrapy.Request(self.origin + urlsplit(url).path, callback=self.parse)

    def parse(self, response):
        return None

    def closed(self, reason):
        if self.stats_file:
            stats = {
                k: str(v) if not isinstance(v, (int, float)) else v
                for k, v in self.crawler.stats.get_stats().items()
            }
            with open(self.stats_file, "w", encoding="utf-8") as handle:
                json.dump(stats, handle)
