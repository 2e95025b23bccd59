"""Downloader middlewares: skip what is archived, ask conditionally, retry with back-off,
check bodies, record WARC files and answer from them."""

from __future__ import annotations

import random
import zlib
from io import BytesIO
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Headers
from scrapy.responsetypes import responsetypes
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.task import deferLater
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archiver import config, report
from archiver.store.postindex import PostIndex
from archiver.store.state import State
from archiver.store.warc import TRANSFER_HEADERS, WarcFile, recover_open_files


class SkipArchivedMiddleware:
    """Never fetch an article the blog already holds (``request.meta["article_key"]``)."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.remote = None  # a worker of another machine asks Redis what the blog holds
        if config.getbool(crawler.settings, "ARCHIVER_WORKER_JOIN"):
            from archiver.workers.remote import ArchivedKeys

            self.remote = ArchivedKeys(crawler)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request):
        key = request.meta.get("article_key")
        if not key or request.meta.get("refresh"):
            return None
        if key in (self.remote if self.remote is not None else PostIndex.for_crawler(self.crawler)):
            report.count(self.crawler.stats, report.SKIPPED, "already_archived")
            raise IgnoreRequest(f"{key} is already archived")
        return None


class ConditionalRequestMiddleware:
    """Lists, feeds and sitemaps (``request.meta["conditional"]``) are asked for with the
    ETag and Last-Modified of the last answer; a ``304 Not Modified`` costs the site nothing.

    The rule: a 304 may only skip what an earlier run covered. So the validators are kept
    together with what that answer held (its entries, :func:`keep_page`), and on a 304 the
    spider reads those entries again and judges them by *this* run's arguments (deeper
    pages, an earlier ``since``, other filters): nothing is missed, and nothing archived is
    fetched again. Validators are sent only for pages whose entries are kept.

    They are saved only when the run finishes normally, and only for pages the spider
    read (a page that failed to parse keeps none): after a killed run the pages are read
    again in full, so no article they link to is missed.
    """

    def __init__(self, crawler):
        self.crawler = crawler
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    def spider_closed(self, spider, reason):
        if reason == "finished":
            state = State.for_crawler(self.crawler)
            for url, (etag, modified, entries) in kept_pages(self.crawler).items():
                state.save_validators(url, etag, modified, entries)

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
                request.meta["validators"] = (
                    etag.decode("latin-1") if etag else None,
                    modified.decode("latin-1") if modified else None,
                )
        return response


def kept_pages(crawler) -> dict[str, tuple[str | None, str | None, str]]:
    if not hasattr(crawler, "_archiver_pages"):
        crawler._archiver_pages = {}
    return crawler._archiver_pages


def keep_page(crawler, response, entries: str) -> None:
    """Keep ``entries`` (JSON: what a 200 answer held, as the spider read it) with the
    answer's validators, to be saved when the run finishes and re-read on a later 304."""
    validators = response.meta.get("validators")
    if validators is not None:
        kept_pages(crawler)[response.meta["real_url"]] = (*validators, entries)


def recall_page(crawler, response) -> str | None:
    """The entries kept with the validators a ``304`` answer refers to (None: none kept)."""
    return State.for_crawler(crawler).page_entries(response.meta["real_url"])


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
        self.base = config.getfloat(settings, "ARCHIVER_RETRY_BACKOFF_BASE")
        self.cap = config.getfloat(settings, "ARCHIVER_RETRY_BACKOFF_MAX")

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

    # Scrapy 2.13+ calls these without the deprecated ``spider`` argument of the base class
    def process_response(self, request, response):  # type: ignore[override]
        result = super().process_response(request, response)
        if result is response:
            return response
        return self._with_backoff(result, retry_after_seconds(response.headers.get("Retry-After")))

    def process_exception(self, request, exception):  # type: ignore[override]
        return self._with_backoff(super().process_exception(request, exception))


class IntactBodyMiddleware:
    """Refuses a compressed body that does not decompress to its end (a truncated or
    corrupt gzip/deflate answer), which Scrapy would otherwise cut short silently:
    half an article must never become a post. Sits between the downloader and
    HttpCompressionMiddleware, so it sees the body as received."""

    def process_response(self, request, response):
        encodings = [
            e.strip().lower()
            for e in response.headers.get(b"Content-Encoding", b"").decode("latin-1").split(",")
            if e.strip()
        ]
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


# ---------------------------------------------------------------------------
# WARC: record what is fetched; answer from the archive instead of the network
# ---------------------------------------------------------------------------


def _http_headers(headers: Headers) -> list[tuple[str, str]]:
    pairs = []
    for name, values in headers.items():
        for value in values:
            pairs.append((name.decode("latin-1"), value.decode("latin-1")))
    return pairs


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


class WarcRecorder:
    """Downloader middleware (near the downloader: sees bodies before decompression)."""

    def __init__(self, crawler):
        settings = crawler.settings
        if not config.getbool(settings, "ARCHIVER_WARC"):
            raise NotConfigured("WARC recording is off (ARCHIVER_WARC)")
        self.crawler = crawler
        self.everything = config.getbool(settings, "ARCHIVER_WARC_EVERYTHING")
        folder = config.warc_dir(settings)
        if folder.is_dir() and not config.get(settings, "ARCHIVER_WORKER_ROLE"):
            recover_open_files(folder)  # (a shared crawl's parent does it before its workers start)
        self.file = WarcFile(
            folder,
            int(config.getfloat(settings, "ARCHIVER_WARC_MAX_MB") * 1024 * 1024),
            level=config.getint(settings, "ARCHIVER_WARC_GZIP_LEVEL"),
        )
        self.records = WARCWriter(BytesIO(), gzip=True, warc_version="1.1")  # a record factory
        self.ship = None  # a worker on another machine: its records go on to the blog's writer
        if config.getbool(settings, "ARCHIVER_WARC_SHIP"):
            from archiver.workers.warcship import Shipper

            self.ship = Shipper(crawler)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def spider_closed(self, spider, reason):
        self.file.close()

    def _wanted(self, request) -> bool:
        return bool(request.meta.get("article_key")) or self.everything

    def process_response(self, request, response):
        if "warc" in response.flags or not self._wanted(request):
            return response
        target = request.meta.get("real_url", request.url)
        parts = urlsplit(request.url)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        request_headers = [("Host", parts.netloc)] + _http_headers(request.headers)
        request_record = self.records.create_warc_record(
            target,
            "request",
            payload=BytesIO(request.body or b""),
            http_headers=StatusAndHeaders(
                f"{request.method} {path} HTTP/1.1", request_headers, is_http_request=True
            ),
        )
        response_headers = [
            (k, v)
            for k, v in _http_headers(response.headers)
            if k.lower() not in TRANSFER_HEADERS and k.lower() != "content-length"
        ]
        response_headers.append(("Content-Length", str(len(response.body))))
        status = f"{response.status} {_reason(response.status)}"
        response_record = self.records.create_warc_record(
            target,
            "response",
            payload=BytesIO(response.body),
            http_headers=StatusAndHeaders(status, response_headers, protocol="HTTP/1.1"),
        )
        try:
            written = self.file.write_pair(request_record, response_record)
        except OSError as exc:
            report.stop_run(
                self.crawler,
                "write_error",
                "Cannot write the WARC archive in %s: %s. The run stops here; the file "
                "is closed at its last whole record by the next run.",
                self.file.folder,
                exc,
            )
            raise IgnoreRequest(f"WARC archive not writable: {exc}") from exc
        self.crawler.stats.inc_value("archiver/warc/records", 2)
        if self.ship is not None:
            self.ship.push(*written)
        return response


class WarcSourceMiddleware:
    """Answers every request from the spider's WARC archive (``spider.warc_archive``)
    instead of the network. A URL the archive lacks is refused (robots.txt: allowed)."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request):
        spider = self.crawler.spider
        archive = getattr(spider, "warc_archive", None)
        if archive is None:
            return None
        url = request.meta.get("real_url", request.url)
        found = archive.get(url)
        if found is None:
            if request.url.endswith("/robots.txt"):
                return responsetypes.from_args(url=request.url)(url=request.url, status=404, flags=["warc"])
            raise IgnoreRequest(f"not in the WARC archive: {url}")
        status, headers, body = found
        headers = Headers(headers)
        cls = responsetypes.from_args(headers=headers, url=request.url, body=body)
        self.crawler.stats.inc_value("archiver/warc/served")
        return cls(
            url=request.url, status=status, headers=headers, body=body, flags=["warc"], request=request
        )
