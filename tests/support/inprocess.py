"""One archiver run in process, for the unit tier: Scrapy's ``get_crawler`` with the
project's settings, the spider, its extensions (lock, state, rebuild from ``_posts/``,
the summary), the skip and conditional-request middlewares and the post pipelines, fed with responses
built from the saved pages of the bundled site. No server, no subprocess, no reactor loop:
each request is answered by :func:`site_response` and handed to its callback directly.

    run = Run(tmp_path / "blog", args={"ids": "1108857"})
    [request] = run.start()
    [article] = run.answer(request)        # the spider's parse of the saved page
    run.write(article)                     # validate -> duplicates -> write the post
    summary = run.close()                  # spider_closed: the run summary, the state
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

from scrapy import Request, signals
from scrapy.exceptions import DropItem, IgnoreRequest
from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure

import archiver.settings
from archiver import report
from archiver.demo.server import SITE, TYPES, site_file
from archiver.middlewares import ConditionalRequestMiddleware, SkipArchivedMiddleware
from archiver.pipelines import DuplicatePipeline, ValidatePipeline, WritePostPipeline
from spiders.jiemian import JiemianSpider

#: Every setting of archiver/settings.py, as ``scrapy crawl`` reads them.
PROJECT_SETTINGS = {
    name: getattr(archiver.settings, name) for name in dir(archiver.settings) if name.isupper()
}


def site_response(
    request: Request,
    *,
    status: int = 200,
    body: bytes | None = None,
    headers: dict | None = None,
    site: Path = SITE,
) -> Response:
    """What the bundled site answers for ``request`` (mapped from its real jiemian URL the
    way the demo server maps it: ``archiver/demo/site/README.md``), or the answer given."""
    real = request.meta.get("real_url", request.url)
    parts = urlsplit(real)
    answer = dict(headers or {})
    if body is None and status == 200:
        path = site_file(site, parts.path, parts.query)
        if path is None or not path.is_file():
            status, body = 404, b"<html><body>Not Found</body></html>"
            answer.setdefault("Content-Type", "text/html; charset=utf-8")
        else:
            body = path.read_bytes()
            answer.setdefault("Content-Type", TYPES.get(path.suffix, "application/octet-stream"))
    body = body or b""
    scrapy_headers = Headers(answer)
    cls = responsetypes.from_args(headers=scrapy_headers, url=request.url, body=body)
    return cls(url=request.url, status=status, headers=scrapy_headers, body=body, request=request)


class Run:
    """A run of the archiver over the blog folder ``blog``, driven by hand."""

    def __init__(self, blog: Path, *, spider=JiemianSpider, args: dict | None = None, **settings):
        self.blog = Path(blog)
        values = {
            **PROJECT_SETTINGS,
            "ARCHIVER_OUTPUT": str(self.blog),
            "ARCHIVER_IMAGES": False,  # images: tests/e2e (they need the image server)
            # of Scrapy's own extensions only the stats (the others need a running reactor)
            "EXTENSIONS_BASE": {"scrapy.extensions.corestats.CoreStats": 0},
            **settings,
        }
        # get_crawler builds the extensions as a crawl does: ArchiveState takes the run
        # lock, opens the state and rebuilds it from _posts/; RunSummary; BlogConfigCheck
        self.crawler = get_crawler(spider, values)
        try:
            self.spider = spider.from_crawler(self.crawler, **(args or {}))
        except Exception:  # a bad argument: release the lock and the state, as Scrapy would
            self._send(signals.engine_stopped)
            raise
        self.crawler.spider = self.spider
        self.skip = SkipArchivedMiddleware.from_crawler(self.crawler)
        self.conditional = ConditionalRequestMiddleware.from_crawler(self.crawler)
        self.pipelines = [
            ValidatePipeline.from_crawler(self.crawler),
            DuplicatePipeline.from_crawler(self.crawler),
            WritePostPipeline.from_crawler(self.crawler),
        ]
        self.closed = False
        #: (real URL, request headers) of every request answered, in order: what the site saw
        self.fetched: list[tuple[str, dict]] = []
        self._send(signals.spider_opened, spider=self.spider)

    # -- the crawl, step by step ----------------------------------------------------------

    def _send(self, signal, **kwargs) -> None:
        for receiver, result in self.crawler.signals.send_catch_log(signal, **kwargs):
            if isinstance(result, Failure):
                raise AssertionError(f"{receiver} failed on {signal}: {result.getTraceback()}")

    def start(self) -> list[Request]:
        """The requests the spider starts with (its arguments, earlier runs' backlog)."""
        return list(self.spider.argument_requests())

    def download(self, request: Request, **answer) -> Response | None:
        """The request through the skip and conditional middlewares, answered by the saved
        site (or by ``answer``: status, body, headers); None when a middleware refused it
        (then the spider's errback has run, as Scrapy runs it)."""
        try:
            for middleware in (self.skip, self.conditional):
                middleware.process_request(request)
        except IgnoreRequest as exc:
            failure = Failure(exc)
            failure.request = request
            if request.errback:
                list(request.errback(failure) or [])
            return None
        self.fetched.append(
            (
                request.meta.get("real_url", request.url),
                {k.decode().lower(): v[0].decode() for k, v in request.headers.items()},
            )
        )
        response = site_response(request, **answer)
        return self.conditional.process_response(request, response)

    def answer(self, request: Request, **answer) -> list:
        """Download ``request`` and run its callback: what the spider yields (requests, items)."""
        response = self.download(request, **answer)
        if response is None:
            return []
        return list(request.callback(response) or [])

    def write(self, item):
        """The item through validate, duplicates and write; the DropItem if one refused it."""
        try:
            for pipeline in self.pipelines:
                item = pipeline.process_item(item)
        except DropItem as exc:
            return exc
        return item

    def crawl(
        self, requests: list[Request] | None = None, answers: dict | None = None, limit: int = 500, **answer
    ) -> list:
        """Follow every request to the end (lists, pager, articles), writing every article;
        what the pipelines returned, in order. ``answers`` maps a real URL to its own answer
        (status, body, headers), or to a list of answers given in turn; any other request gets
        ``answer`` (default: the saved site). More than ``limit`` requests is an error (a loop)."""
        queue = list(self.start() if requests is None else requests)
        results, seen = [], set()
        while queue:
            request = queue.pop(0)
            if request.url in seen and not request.dont_filter:
                continue
            seen.add(request.url)
            assert len(self.fetched) < limit, f"more than {limit} requests: a loop? last {request}"
            own = (answers or {}).get(request.meta.get("real_url", request.url), answer)
            if isinstance(own, list):
                own = own.pop(0) if len(own) > 1 else own[0]
            for output in self.answer(request, **own):
                if isinstance(output, Request):
                    queue.append(output)
                else:
                    results.append(self.write(output))
        return results

    def close(self, reason: str = "finished") -> dict:
        """End the run as Scrapy does (spider_closed, then engine_stopped): the validators
        are saved, the run is recorded, the lock released. Returns the run summary."""
        stats = self.stats
        stats["finish_reason"] = reason
        self._send(signals.spider_closed, spider=self.spider, reason=reason)
        self._send(signals.engine_stopped)
        self.closed = True
        return report.summarize(stats)

    # -- what a user looks at -------------------------------------------------------------

    @property
    def stats(self) -> dict:
        return dict(self.crawler.stats.get_stats())

    @property
    def posts(self) -> list[Path]:
        folder = self.blog / "_posts"
        return sorted(p for p in folder.glob("*.md") if not p.name.startswith(".")) if folder.is_dir() else []


def saved_stats(path: Path) -> dict:
    """The stats JSON written by ``ARCHIVER_STATS_FILE`` (what ``--json`` users read)."""
    return json.loads(Path(path).read_text(encoding="utf-8"))
