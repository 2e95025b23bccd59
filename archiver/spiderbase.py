"""What every article spider shares: requests for article pages, routing them to the
site's parser, and one clear report for each page that does not become an article.

Site spiders only decide which URLs to visit (lists, feeds, ids); the site module
(``archiver/sites/<site>.py``) decides what a page means.
"""

from __future__ import annotations

import sys
import zlib
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import scrapy
from scrapy.exceptions import IgnoreRequest
from twisted.python.failure import Failure

from archiver import backlog, config, report, spiderargs
from archiver.backlog import entries_from_json
from archiver.extract import generic
from archiver.extract.encoding import decode_html
from archiver.failures import failure_reason, ignored_reason, unusable
from archiver.fetchdates import date_fallbacks
from archiver.items import ParseError
from archiver.middlewares import keep_page, recall_page
from archiver.sites import Site, fallback

if TYPE_CHECKING:
    from archiver.store.warc import WarcArchive

#: Statuses handed to our callbacks (instead of Scrapy's HttpError filter), so that
#: each gets one clear report line. Redirects (3xx) are still followed.
HANDLED_STATUSES = list(range(400, 600))
#: ... and for lists and feeds, asked for conditionally, "304 Not Modified" too.
PAGE_STATUSES = [304] + HANDLED_STATUSES
#: What an archived article's page answering this means: it is gone upstream.
GONE_REASONS = ("http_404", "http_410", "redirected")
#: Article redirects are followed by the spider itself (to tell "moved to its canonical
#: URL" from "sent to the home page", "sent to another site" and loops).
REDIRECTS = (301, 302, 303, 307, 308)
MAX_HOPS = 5
CONDITIONAL_HEADERS = (b"if-none-match", b"if-modified-since")


class BaseSpider(scrapy.Spider):
    """Base of the spiders. A site's spider sets ``parser`` (its site module) and ``site``
    (that module's record); the record names the setting that serves the site from
    another origin. A spider of several sites overrides the URL methods."""

    parser: ModuleType
    site: Site | None = None
    origin_setting = ""
    origin = ""
    allowed_domains: list[str]  # the site's hosts (and the origin's), set by from_crawler
    refresh = False  # -a refresh: set by the subclass's arguments
    refresh_days: int | None = None
    warc_archive: WarcArchive | None = None  # set by open_warc (-a warc=PATH)
    warc_shard = (0, 1)
    progress_total: int | None = None  # the articles this run will handle, when known

    @classmethod
    def update_settings(cls, settings):
        super().update_settings(settings)
        contact = config.get(settings, "ARCHIVER_CONTACT_URL")
        if contact:  # the User-Agent names a way to reach the person running the archiver
            settings.set(
                "USER_AGENT",
                f"{settings.get('USER_AGENT')} (+{contact})",
                priority=settings.getpriority("USER_AGENT"),
            )

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        setting = cls.site.origin_setting if cls.site is not None else cls.origin_setting
        spider.origin = (config.get(settings, setting) or "").rstrip("/") if setting else ""
        domains = list(getattr(cls, "allowed_domains", []) or [])
        if spider.origin:
            domains.append(urlsplit(spider.origin).hostname)
        spider.allowed_domains = domains
        return spider

    # -- URLs --------------------------------------------------------------

    def _is_site_host(self, host: str) -> bool:
        return self.site is not None and self.site.owns(host)

    def fetch_url(self, url: str) -> str:
        """The URL to request for a real site URL (rewritten to the origin, if set)."""
        if not self.origin:
            return url
        parts = urlsplit(url)
        if not self._is_site_host((parts.hostname or "").lower()):
            return url
        return self.origin + (parts.path or "/") + (f"?{parts.query}" if parts.query else "")

    def real_url(self, fetched: str) -> str:
        """The real site URL of a fetched URL (inverse of :meth:`fetch_url`)."""
        if self.origin and self.site is not None and fetched.startswith(self.origin):
            return f"https://{self.site.canonical_host}{fetched[len(self.origin) :]}"
        return fetched

    def parser_for(self, url: str) -> ModuleType | None:
        """The parser module for an article URL, or None when the URL is not an article
        of a site this spider archives. Spiders for several sites override this."""
        return self.parser if self.parser.key_from_url(url) else None

    def article_request(self, url: str, **meta) -> scrapy.Request | None:
        """A request for an article page, or None (reported) for a URL that is not one."""
        parser = self.parser_for(url)
        if parser is None:
            name = self.site.name if self.site is not None else "news"
            report.failed(self, url, "not_article_url", f"not a {name} article URL")
            return None
        url = parser.canonical_url(url)
        meta.update(
            article_key=parser.key_from_url(url),
            real_url=url,
            parser=parser.__name__,
            handle_httpstatus_list=list(REDIRECTS) + HANDLED_STATUSES,
            dont_redirect=True,
        )
        return scrapy.Request(
            self.fetch_url(url), callback=self.parse_article, errback=self.request_failed, meta=meta
        )

    def page_request(self, url: str, callback, **meta) -> scrapy.Request:
        """A request for a list, pager or feed page (conditional: see ConditionalRequestMiddleware)."""
        meta.update(real_url=url, handle_httpstatus_list=PAGE_STATUSES, conditional=True)
        return scrapy.Request(self.fetch_url(url), callback=callback, errback=self.request_failed, meta=meta)

    # -- responses ---------------------------------------------------------

    def redirect(self, response, parser) -> tuple[scrapy.Request | None, tuple[str, str] | None]:
        """Follow an article's redirect to the same article (its canonical URL); anything
        else is a problem: (request to follow, None) or (None, (reason, text))."""
        location = response.headers.get("Location", b"").decode("latin-1").strip()
        if not location:
            return None, ("redirected", f"HTTP {response.status} without a Location")
        target = response.urljoin(location)
        landed = self.real_url(target)
        host = (urlsplit(target).hostname or "").lower()
        if parser.key_from_url(landed) != response.meta["article_key"]:
            own = self._is_site_host(host) or (self.origin and target.startswith(self.origin))
            if not own:
                return None, ("offsite_redirect", f"redirected off the site, to {host}")
            return None, ("redirected", f"redirected to {landed} instead of the article")
        hops = response.meta.get("hops", 0) + 1
        if hops > MAX_HOPS:
            return None, ("redirect_loop", f"redirect loop ({MAX_HOPS} redirections to the same article)")
        meta = {k: v for k, v in response.meta.items() if k not in ("download_slot", "download_latency")}
        meta["hops"] = hops
        meta["real_url"] = landed  # what this request fetches (the WARC records it so) ...
        meta.setdefault("asked_url", response.meta["real_url"])  # ... for the article asked for
        # follow it the way the spider fetches (through the origin, when one is set)
        return response.request.replace(url=self.fetch_url(landed), meta=meta, dont_filter=True), None

    def not_modified(self, response) -> bool:
        """True (and counted) for a list or feed that has not changed since the last run."""
        if response.status != 304:
            return False
        self.crawler.stats.inc_value("archiver/pages/not_modified")
        return True

    def kept_entries(self, response) -> str | None:
        """For a ``304`` answer: what the last full answer held (JSON, kept with its
        validators), to be judged again by this run's arguments; None when nothing is kept
        (the caller then asks again in full: :meth:`ask_in_full`)."""
        kept = recall_page(self.crawler, response)
        real = response.meta["real_url"]
        if kept is None and response.request.meta.get("conditional") is not False:
            self.logger.warning("Not modified, but nothing kept of %s: asking for it again in full", real)
        else:
            self.logger.info("Not modified since the last run: %s (its entries re-read)", real)
        return kept

    def keep_entries(self, response, entries: str) -> None:
        """Keep what a page holds (and what was covered of it) with the validators of its
        last full answer; saved when the run finishes."""
        validators = response.meta.get("validators")
        if validators is None and response.status == 304:
            validators = backlog.page_validators(self.crawler, response.meta["real_url"])
        if validators is not None:
            response.meta["validators"] = validators
            keep_page(self.crawler, response, entries)

    def page_entries(self, response, parse, make, expect_html=False):
        """The entries of a list or feed page, and what earlier runs covered of them:
        ``(entries, covered)`` from a 200 answer (``parse(response)``; nothing covered
        yet) or, on a 304, from what the last full answer held. A Request when the page
        must be asked for again in full; None when the page is unusable (reported)."""
        real = response.meta["real_url"]
        if self.not_modified(response):
            kept = self.kept_entries(response)
            if kept is None:
                return self.ask_in_full(response)
            return entries_from_json(kept, make)
        problem = unusable(response, expect_html=expect_html)
        if problem:
            report.failed(self, real, *problem)
            return None
        entries = parse(response)
        return None if entries is None else (entries, {})

    def ask_in_full(self, response) -> scrapy.Request | None:
        """The request of ``response`` again, without validators (nothing kept to re-read).
        None (reported) when it was asked in full already and still got a 304: a server that
        answers 304 to any request would otherwise be asked again forever."""
        request = response.request
        if request.meta.get("conditional") is False:
            detail = "HTTP 304 Not Modified to a request without validators"
            report.failed(self, response.meta["real_url"], "unexpected_304", detail)
            return None
        headers = {k: v for k, v in request.headers.items() if k.lower() not in CONDITIONAL_HEADERS}
        meta = {k: v for k, v in request.meta.items() if k not in ("download_slot", "download_latency")}
        meta["conditional"] = False
        return request.replace(headers=headers, meta=meta, dont_filter=True)

    def page_text(self, response) -> str:
        """The page as text: GBK, GB2312, GB18030, Big5 or UTF-8 whatever the HTTP header
        and the page declare (:func:`archiver.extract.encoding.decode_html`)."""
        header = response.headers.get("Content-Type")
        return decode_html(response.body, header.decode("latin-1") if header else None)

    def parse_article(self, response):
        real = asked_url(response.meta)
        parser = sys.modules[response.meta["parser"]]
        key = response.meta["article_key"]
        if response.status in REDIRECTS:
            follow, problem = self.redirect(response, parser)
            if follow is not None:
                yield follow
                return
        else:
            problem = unusable(response)
        if problem:
            if response.meta.get("refresh") and problem[0] in GONE_REASONS:
                report.gone(self, real, key, problem[1])
            else:
                report.failed(self, real, *problem, key=key)
            return
        html = self.page_text(response)
        try:
            article = parser.parse(html, real, **date_fallbacks(parser, response))
        except ParseError as exc:
            if parser is generic or not fallback.can_fall_back(exc):
                report.failed(self, real, "parse_error", f"cannot parse the article: {exc}", key=key)
                return
            try:  # a redesign: the generic extractor reads it, the run says the parser needs work
                article = fallback.read_redesigned(
                    parser, html, real, exc, **date_fallbacks(generic, response)
                )
            except fallback.FallbackFailed as both:
                report.failed(self, real, "parse_error", f"cannot parse the article: {both}", key=key)
                return
            report.fell_back(self, real, parser.SITE.key, exc)
        if getattr(article, "date_source", ""):
            report.date_fallback(self, real, article.date_source, article.published)
        report.recovered(self, real)
        article.refresh = bool(response.meta.get("refresh"))
        since = response.meta.get("since")
        if since and article.published < since:
            report.skipped(
                self,
                real,
                "older_than_since",
                f"published {article.published:%Y-%m-%d %H:%M}, before since={since:%Y-%m-%d}",
            )
            return
        yield article

    def request_failed(self, failure: Failure):
        request = failure.request  # type: ignore[attr-defined]  # Scrapy sets it on an errback's failure
        real = asked_url(request.meta, request.url)
        if failure.check(IgnoreRequest):
            message = str(failure.value)
            if "robots.txt" in message:
                report.skipped(self, real, "robots_txt", "forbidden by robots.txt", level=30)
                return
            ignored = ignored_reason(message)
            if ignored:  # an already-archived article is ignored silently: nothing wrong
                report.failed(self, real, *ignored, key=request.meta.get("article_key"))
            return
        reason, text = failure_reason(failure)
        report.failed(self, real, reason, text, key=request.meta.get("article_key"))

    # -- start ----------------------------------------------------------------------

    async def start(self):
        """With ``-a warc=PATH`` every article of the archive; else what the arguments ask
        for (:meth:`argument_requests`, each spider's own)."""
        requests = self.warc_requests() if self.warc_archive is not None else self.argument_requests()
        for request in requests:
            yield request

    def argument_requests(self):
        raise NotImplementedError

    # -- arguments ------------------------------------------------------------------

    def read_urls_file(self, path: str) -> list[str]:
        """The entries of ``-a urls_file=PATH`` (:func:`archiver.spiderargs.read_urls_file`);
        a file that cannot be read is reported, and gives none."""
        try:
            return spiderargs.read_urls_file(path)
        except OSError as exc:
            self.logger.error("urls_file %s cannot be read: %s", Path(path).expanduser(), exc)
            report.count(self.crawler.stats, report.FAILED, "urls_file")
            return []

    def earlier_runs_requests(self, explicit: bool):
        """Refreshes asked for with ``-a refresh``, and (when no URL was given) the pages
        that failed for a passing reason in earlier runs."""
        if self.refresh:
            yield from self.refresh_requests(self.refresh_days)
        if not explicit:
            yield from self.retry_requests()

    # -- what earlier runs left -------------------------------------------------

    def refresh_requests(self, newer_than_days: int | None):
        """Archived articles fetched again to update their posts (all, or the last N days)."""
        for url in backlog.refresh_urls(self.crawler, newer_than_days):
            if self.parser_for(url):
                request = self.article_request(url, refresh=True)
                if request is not None:
                    yield request

    def retry_requests(self):
        """Articles that failed for a passing reason in earlier runs."""
        for url, reason, attempts in backlog.retry_urls(self.crawler):
            if self.parser_for(url):
                self.logger.info("Retrying %s (failed %d times, last: %s)", url, attempts, reason)
                request = self.article_request(url)
                if request is not None:
                    yield request

    def warc_requests(self):
        """Every article of the WARC archive this spider reads instead of the network
        (with ``-a shard=I/N``: the I-th of N disjoint parts, for parallel rebuilds)."""
        index, count = self.warc_shard
        assert self.warc_archive is not None  # start() reads the archive only when open_warc set it
        urls = [
            url
            for url in self.warc_archive.article_urls()
            if zlib.crc32(url.encode("utf-8")) % count == index and self.parser_for(url)
        ]
        self.progress_total = len(urls)  # what archiver/progress.py shows as the total
        for url in urls:
            request = self.article_request(url, refresh=True)
            if request is None:
                self.progress_total -= 1
            else:
                yield request

    def open_warc(self, path: str | None, shard: str | None = None) -> None:
        """``-a warc=PATH`` (a WARC file or a folder of them): the source instead of the network."""
        self.warc_archive = None
        self.warc_shard = spiderargs.shard_from_arg(shard)
        if path:
            from archiver.store.warc import WarcArchive

            self.warc_archive = WarcArchive(Path(path))
            if not self.warc_archive.files:
                raise ValueError(f"warc={path}: no .warc.gz file there")
            self.logger.info(
                "Reading %d pages from %d WARC files instead of the network",
                len(self.warc_archive),
                len(self.warc_archive.files),
            )


def asked_url(meta: dict, default: str = "") -> str:
    """The real URL of the article (or page) a request was made for: after a followed
    redirect, the first one (reports and the state name it)."""
    return meta.get("asked_url") or meta.get("real_url") or default
