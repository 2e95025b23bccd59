"""``scrapy crawl jiemian``: archive 界面新闻 articles.

Arguments (all optional; with none, the newest articles of the site-wide feed and
of the lists in JIEMIAN_DEFAULT_LISTS)::

    -a url=URL[,URL…]       article URLs (www or m.)
    -a ids=ID[,ID…]         article ids
    -a urls_file=PATH       one URL or id per line; blank lines and '#' comments ignored
    -a lists=CID[,CID…]     category lists, newest first (65 科技, 800 财经, …)
    -a pages=N              list pages per category (default JIEMIAN_DEFAULT_PAGES)
    -a feed=site|CID[,…]    RSS feeds: the site-wide one and/or per list
    -a since=YYYY-MM-DD     lists and feeds: skip older articles and stop paging
    -a refresh=all|N        fetch archived articles again (all, or published in the last
                            N days) and update posts whose article changed upstream
    -a warc=PATH            read every article of a WARC file (or folder) instead of the
                            network, e.g. to re-process them with a newer parser

Pages that failed for a passing reason in earlier runs are tried again (see
ARCHIVER_RETRY_FAILURES) whenever no URL, id or file is given.
"""

from __future__ import annotations

from datetime import datetime

from scrapy import Request

from archiver import config, report
from archiver.backlog import cover_mark, entries_json, is_covered, merge_marks
from archiver.items import ParseError
from archiver.sites import jiemian
from archiver.spiderargs import pages_from_arg, refresh_from_arg, since_from_arg, split_arg
from archiver.spiderbase import BaseSpider


class JiemianSpider(BaseSpider):
    name = "jiemian"
    parser = jiemian
    site = jiemian.SITE
    allowed_domains = list(jiemian.SITE.hosts)

    def __init__(
        self,
        url=None,
        urls=None,
        ids=None,
        urls_file=None,
        lists=None,
        pages=None,
        feed=None,
        since=None,
        refresh=None,
        warc=None,
        shard=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.urls = split_arg(url) + split_arg(urls)
        self.ids = split_arg(ids)
        for value in self.ids:
            if not value.isdigit():
                raise ValueError(f"ids: {value!r} is not an article id (digits)")
        self.urls_file = urls_file
        self.lists = [jiemian.list_id(c) for c in split_arg(lists)] if lists is not None else None
        self.feeds = split_arg(feed)
        for value in self.feeds:
            jiemian.feed_url(value)  # checks the list id
        self.pages = pages_from_arg(pages)
        self.since = since_from_arg(since, jiemian.TZ)
        self.refresh, self.refresh_days = refresh_from_arg(refresh)
        self.open_warc(warc, shard)

    # -- start -------------------------------------------------------------

    def argument_requests(self):
        explicit = list(self.urls) + [jiemian.article_url(i) for i in self.ids]
        if self.urls_file:
            explicit += [
                jiemian.article_url(line) if line.isdigit() else line
                for line in self.read_urls_file(self.urls_file)
            ]
        lists, feeds = self.lists, self.feeds
        if not explicit and lists is None and not feeds and not self.refresh:
            lists = split_arg(config.get(self.settings, "JIEMIAN_DEFAULT_LISTS"))
            feeds = list(jiemian.DEFAULT_FEEDS)
        yield from self.earlier_runs_requests(explicit=bool(explicit))
        pages = self.pages or config.getint(self.settings, "JIEMIAN_DEFAULT_PAGES")
        for url in explicit:
            request = self.article_request(url)
            if request is not None:
                yield request
        for feed in feeds:
            yield self.page_request(jiemian.feed_url(feed), self.parse_feed)
        for cid in lists or []:
            yield self.page_request(
                jiemian.list_page_url(cid, 1), self.parse_list, cid=cid, page=1, pages=pages
            )

    # -- lists, pager, feeds -------------------------------------------------

    def _from_entries(self, response, entries, covered):
        """Article requests for the entries not older than ``since`` and not covered by an
        earlier run (kept with the page's validators); and whether paging should stop.
        What this run covered is kept with the page."""
        requests, older, earlier = [], 0, 0
        mark = cover_mark(self.since)
        for entry in entries:
            if self.since and entry.published and entry.published < self.since:
                older += 1
                report.count(self.crawler.stats, report.SKIPPED, "older_than_since")
                continue
            if is_covered(covered.get(entry.url), self.since):
                earlier += 1
                continue
            covered[entry.url] = merge_marks(covered.get(entry.url), mark)
            request = self.article_request(entry.url, since=self.since)
            if request is not None:
                requests.append(request)
        self.keep_entries(response, entries_json(entries, covered))
        if older or earlier:
            self.logger.info(
                "%s: not requested: %d older than since, %d requested by an earlier run",
                response.meta["real_url"],
                older,
                earlier,
            )
        return requests, bool(older)

    def _parse_list_page(self, response):
        real = response.meta["real_url"]
        now = datetime.now(jiemian.TZ)
        try:
            return jiemian.parse_list_page(response.text, real, response.meta["page"], now)
        except (ParseError, ValueError) as exc:
            report.failed(self, real, "list_parse_error", f"cannot read the list: {exc}")
            return None

    def _parse_feed_page(self, response):
        try:
            return jiemian.parse_feed(response.body)
        except ParseError as exc:
            report.failed(self, response.meta["real_url"], "feed_parse_error", f"cannot read the feed: {exc}")
            return None

    def parse_list(self, response):
        real = response.meta["real_url"]
        read = self.page_entries(
            response,
            self._parse_list_page,
            jiemian.Entry,
            expect_html=jiemian.list_page_is_html(response.meta["page"]),
        )
        if read is None or isinstance(read, Request):
            yield from [read] if read is not None else []
            return
        entries, covered = read
        requests, older = self._from_entries(response, entries, covered)
        self.logger.info("List %s: %d articles, %d requested", real, len(entries), len(requests))
        yield from requests
        cid, page, pages = response.meta["cid"], response.meta["page"], response.meta["pages"]
        if entries and not older and page < pages:
            yield self.page_request(
                jiemian.list_page_url(cid, page + 1), self.parse_list, cid=cid, page=page + 1, pages=pages
            )

    def parse_feed(self, response):
        real = response.meta["real_url"]
        read = self.page_entries(response, self._parse_feed_page, jiemian.Entry)
        if read is None or isinstance(read, Request):
            yield from [read] if read is not None else []
            return
        entries, covered = read
        requests, _ = self._from_entries(response, entries, covered)
        self.logger.info("Feed %s: %d articles, %d requested", real, len(entries), len(requests))
        yield from requests
