"""``scrapy crawl article``: archive news articles of any outlet, given by URL.

Arguments (one of them is needed)::

    -a url=URL[,URL…]       article URLs of any site
    -a urls_file=PATH       one URL per line; blank lines and '#' comments ignored
    -a follow=URL[,URL…]    outlets to follow: a feed (RSS 2.0/0.9x, Atom 1.0, RSS 1.0),
                            a sitemap or sitemap index (gzip or not, Google News too), a
                            robots.txt (its Sitemap: lines) or a home page (its
                            <link rel="alternate"> feeds, else its robots.txt sitemaps);
                            what it is is told from the content
    -a follow_file=PATH     one follow URL per line, each optionally with its own options:
                            ``URL since=2026-11-01 max_items=50 allow=/news/ deny=/video/``
    -a since=YYYY-MM-DD     followed sources: skip articles older than this (by the feed's
                            or sitemap's own date when it gives one, else the article's)
    -a max_items=N          followed sources: at most N new articles per source and run,
                            newest first (default ARCHIVER_FOLLOW_MAX_ITEMS); the rest wait
                            for the next runs
    -a allow=REGEX[,…]      followed sources: take only article URLs matching one of these
    -a deny=REGEX[,…]       followed sources: never take article URLs matching one of these
                            (patterns are split at commas: write a comma in one as \x2c)
    -a refresh=all|N        fetch archived articles (of any source) again and update
                            posts whose article changed upstream
    -a warc=PATH            read every article of a WARC file (or folder) instead of
                            the network (what ``archiver rebuild`` runs)

since, max_items, allow and deny apply to every follow URL of the run; a follow_file
line's own options override them for that source, so one run can follow several
outlets, each with its options.

A URL of a site with its own parser (界面新闻) is read by that parser; any other
http(s) URL by the generic one (:mod:`archiver.extract.generic`). With ``url`` and
``urls_file`` only the given pages (and their images) are fetched.

A followed source stays on its site (the registrable domain of the follow URL): a link
to another site is refused with a log line and never requested; so are sitemap and
feed entries that are not articles (front, section, tag, category, author, about and
pager pages: :func:`archiver.extract.urls.not_article_reason`). Feeds, sitemaps and
robots.txt are asked for conditionally; on a ``304`` the entries kept from the last
full answer are judged again by this run's options, so an earlier ``since`` or a
larger ``max_items`` than last time still gets its articles. A sitemap index is read
to its leaves once per run, loops are reported, and at most
ARCHIVER_SITEMAP_MAX_CHILDREN child sitemaps are read per source. A page that is not an
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
from archiver.follow import FollowMixin
from archiver.sites import parser_for
from archiver.spiderargs import refresh_from_arg, split_arg
from archiver.spiderbase import BaseSpider


class ArticleSpider(FollowMixin, BaseSpider):
    name = "article"
    parser = generic
    origin_setting = "ARTICLE_ORIGIN"

    def __init__(
        self,
        url=None,
        urls=None,
        urls_file=None,
        refresh=None,
        warc=None,
        shard=None,
        follow=None,
        follow_file=None,
        since=None,
        max_items=None,
        allow=None,
        deny=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.urls = split_arg(url) + split_arg(urls)
        self.urls_file = urls_file
        self.refresh, self.refresh_days = refresh_from_arg(refresh)
        self.open_warc(warc, shard)
        self.init_follow(follow, follow_file, since, max_items, allow, deny)
        if (
            not self.urls
            and not urls_file
            and not self.follow_sources
            and not self.refresh
            and self.warc_archive is None
        ):
            raise ValueError(
                "give the articles to archive: -a url=URL[,URL…], -a urls_file=PATH, "
                "-a follow=FEED-SITEMAP-OR-HOME[,…] or -a follow_file=PATH "
                "(or -a refresh=all, -a warc=PATH)"
            )

    # -- URLs --------------------------------------------------------------

    def parser_for(self, url: str) -> ModuleType | None:
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
        if self.parser_for(url) is None:
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
        yield from self.follow_requests()
