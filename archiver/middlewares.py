"""Downloader middlewares: skip what is archived, retry with back-off."""
from __future__ import annotations

import random
import zlib

from scrapy import signals
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.task import deferLater

from archiver import report
from archiver.postindex import PostIndex
from archiver.state import State


class SkipArchivedMiddleware:
    """Never fetch an article the blog already holds (``request.meta["article_key"]``)."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request):
        key = request.meta.get("article_key")
        if key and not request.meta.get("refresh") and key in PostIndex.for_crawler(self.crawler):
            report.count(self.crawler.stats, report.SKIPPED, "already_archived")
            raise IgnoreRequest(f"{key} is already archived")
        return None


class ConditionalRequestMiddleware:
    """Lists and feeds (``request.meta["conditional"]``) are asked for with the ETag and
    Last-Modified of the last answer; a ``304 Not Modified`` costs the site nothing.

    Validators are saved only when the run finishes normally: after a killed run the
    lists are read again in full, so no article they link to is missed.
    """

    def __init__(self, crawler):
        self.crawler = crawler
        self.pending: dict[str, tuple[str | None, str | None]] = {}
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    def spider_closed(self, spider, reason):
        if reason == "finished":
            state = State.for_crawler(self.crawler)
            for url, (etag, modified) in self.pending.items():
                state.save_validators(url, etag, modified)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request):
        if request.meta.get("conditional"):
            etag, modified = State.for_crawler(self.crawler).validators(request.meta["real_url"])
            if etag:
                request.headers.setdefault("If-None-Match", etag)
            if modified:
                request.headers.setdefault("If-Modified-Since", modified)
        return None

    def process_response(self, request, response):
        if request.meta.get("conditional") and response.status == 200:
            header = response.headers.get
            etag, modified = header("ETag"), header("Last-Modified")
            if etag or modified:
                self.pending[request.meta["real_url"]] = (
                    etag.decode("latin-1") if etag else None,
                    modified.decode("latin-1") if modified else None)
        return response


def retry_after_seconds(value: bytes | str | None) -> float | None:
    """Seconds of a ``Retry-After`` header given as a number (HTTP dates are ignored)."""
    if not value:
        return None
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    try:
        return max(0.0, float(value.strip()))
    except ValueError:
        return None


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retry middleware, with exponential back-off and ``Retry-After``.

    The n-th retry of a request waits ``ARCHIVER_RETRY_BACKOFF_BASE * 2**(n-1)``
    seconds (with ±20 % jitter) or what the server asked for in ``Retry-After``,
    at most ``ARCHIVER_RETRY_BACKOFF_MAX``.
    """

    def __init__(self, settings):
        super().__init__(settings)
        self.base = settings.getfloat("ARCHIVER_RETRY_BACKOFF_BASE", 2.0)
        self.cap = settings.getfloat("ARCHIVER_RETRY_BACKOFF_MAX", 120.0)

    def _delay(self, retry_times: int, asked: float | None) -> float:
        if asked is not None:
            return min(asked, self.cap)
        return min(self.base * 2 ** (retry_times - 1) * random.uniform(0.8, 1.2), self.cap)

    def _with_backoff(self, result, asked: float | None = None):
        if result is not None and hasattr(result, "meta") and hasattr(result, "dont_filter"):
            delay = self._delay(result.meta.get("retry_times", 1), asked)
            result.meta["backoff_delay"] = delay
            self.crawler.stats.inc_value("archiver/retry_backoff_seconds", int(delay))
        return result

    async def process_request(self, request):
        delay = request.meta.pop("backoff_delay", 0)
        if delay > 0:
            from twisted.internet import reactor  # the one Scrapy installed

            await maybe_deferred_to_future(deferLater(reactor, delay, lambda: None))
        return None

    def process_response(self, request, response):
        result = super().process_response(request, response)
        if result is response:
            return response
        return self._with_backoff(result, retry_after_seconds(response.headers.get("Retry-After")))

    def process_exception(self, request, exception):
        return self._with_backoff(super().process_exception(request, exception))


class IntactBodyMiddleware:
    """Refuses a compressed body that does not decompress to its end (a truncated or
    corrupt gzip/deflate answer), which Scrapy would otherwise cut short silently:
    half an article must never become a post. Sits between the downloader and
    HttpCompressionMiddleware, so it sees the body as received."""

    def process_response(self, request, response):
        encodings = [e.strip().lower() for e in
                     response.headers.get(b"Content-Encoding", b"").decode("latin-1").split(",") if e.strip()]
        if encodings and encodings[-1] in ("gzip", "x-gzip", "deflate") and response.body:
            if not _decompresses(response.body, encodings[-1]):
                raise IgnoreRequest(f"corrupt {encodings[-1]} body: it ends before its end marker")
        return response


def _decompresses(body: bytes, encoding: str) -> bool:
    wbits = 31 if encoding in ("gzip", "x-gzip") else 15
    try:
        decompressor = zlib.decompressobj(wbits)
        while not decompressor.eof:
            out = decompressor.decompress(body, 1 << 16)  # bounded output: no zip bomb in memory
            if not out and body == decompressor.unconsumed_tail:
                break  # no progress: the stream ends before its end marker
            body = decompressor.unconsumed_tail
        return decompressor.eof
    except zlib.error:
        if encoding == "deflate":  # raw deflate streams exist in the wild
            try:
                decompressor = zlib.decompressobj(-15)
                decompressor.decompress(body)
                return decompressor.eof
            except zlib.error:
                return False
        return False
