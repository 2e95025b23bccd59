"""``scrapy crawl article``: archive news articles of any outlet, given by URL.

Arguments (one of them is needed)::

    -a url=URL[,URL…]       article URLs of any site
    -a urls_file=PATH       one URL per line; blank lines and '#' comments ignored
    -a refresh=all|N        fetch archived articles (of any source) again and update
                            posts whose article changed upstream
    -a warc=PATH            read every article of a WARC file (or folder) instead of
                            the network (what ``archiver rebuild`` runs)

A URL of a site with its own parser (界面新闻) is read by that parser; any other
http(s) URL by the generic one (:mod:`archiver.extract.generic`). Only the given
pages (and their images) are fetched; no link is followed. A page that is not an
article — a home or list page, a page built by JavaScript, a page without a
publication time — is reported as failed, with the reason, and makes no post.

``-s ARTICLE_ORIGIN=http://127.0.0.1:8000`` fetches every URL from that origin as
``<origin>/<host><path>`` (tests and demos); posts keep the real URLs.
"""

from __future__ import annotations

from types import ModuleType
from urllib.parse import urlsplit

from archiver import report
from archiver.extract import generic
from archiver.extract.urls import is_front_page
from archiver.sites import parser_for
from archiver.spiderbase import ArticleSpider, split_arg


class ArticleUrlSpider(ArticleSpider):
    name = "article"
    site = generic
    origin_setting = "ARTICLE_ORIGIN"

    def __init__(self, url=None, urls=None, urls_file=None, refresh=None, warc=None, shard=None, **kwargs):
        super().__init__(**kwargs)
        self.urls = split_arg(url) + split_arg(urls)
        self.urls_file = urls_file
        self.refresh, self.refresh_days = self.refresh_from_arg(refresh)
        self.open_warc(warc, shard)
        if not self.urls and not urls_file and not self.refresh and self.warc_archive is None:
            raise ValueError(
                "give the articles to archive: -a url=URL[,URL…] or -a urls_file=PATH "
                "(or -a refresh=all, -a warc=PATH)"
            )

    # -- URLs --------------------------------------------------------------

    def site_for(self, url: str) -> ModuleType | None:
        if urlsplit(url.strip()).scheme.lower() not in ("http", "https"):
            return None
        return parser_for(url)

    def fetch_url(self, url: str) -> str:
        """``https://host/path?q`` -> ``<origin>/host/path?q`` when ARTICLE_ORIGIN is set."""
        parts = urlsplit(url)
        if not self.origin or not parts.hostname:
            return url
        return f"{self.origin}/{parts.hostname}{parts.path or '/'}" + (
            f"?{parts.query}" if parts.query else ""
        )

    def real_url(self, fetched: str) -> str:
        if self.origin and fetched.startswith(self.origin + "/"):
            host, _, rest = fetched[len(self.origin) + 1 :].partition("/")
            return f"https://{host}/{rest}"
        return fetched

    def article_request(self, url: str, **meta):
        if self.site_for(url) is None:
            if urlsplit(url.strip()).scheme.lower() not in ("http", "https"):
                detail = f"{url!r} is not an http(s) URL"
            elif is_front_page(url):
                detail = "a site's front page, not an article"
            else:
                detail = "not an article URL"
            report.failed(self, url, "not_article_url", detail)
            return None
        return super().article_request(url, **meta)

    def argument_requests(self):
        urls = list(self.urls)
        if self.urls_file:
            urls += self.read_urls_file(self.urls_file)
        yield from self.earlier_runs_requests(explicit=bool(urls))
        for url in dict.fromkeys(urls):
            request = self.article_request(url)
            if request is not None:
                yield request
