"""Pages that cannot become posts: one clear log line with the URL and the reason, a stats
counter, and no file. Crawled for real (``scrapy crawl`` over HTTP on 127.0.0.1)."""

from __future__ import annotations

import re

import pytest

from archiver.demo.server import SITE, Canned, FixtureServer
from tests.support.crawl import run_crawl

pytestmark = pytest.mark.e2e

PDF = b"%PDF-1.4\n" + b"0" * 2000 + b"\n%%EOF\n"
CASES = {
    # id: (canned answer or None for the site's own file, stats reason, words in the log line)
    "9000001": (None, "http_404", "HTTP 404 Not Found"),
    "9000002": (Canned(302, b"", {"Location": "/"}), "redirected", "redirected to https://www.jiemian.com/"),
    "9000003": (Canned(200, b"", {"Content-Type": "text/html; charset=utf-8"}), "empty", "empty response"),
    "9000004": (Canned(200, PDF, {"Content-Type": "application/pdf"}), "not_html", "application/pdf"),
    "9000005": (
        Canned(200, b'{"code": 0}', {"Content-Type": "application/json"}),
        "not_html",
        "application/json",
    ),
    "9000006": (Canned(410, b"gone", {"Content-Type": "text/html"}), "http_410", "HTTP 410 Gone"),
    "14799999": (None, "parse_error", "missing body"),  # a 专题 page without article markup
}


@pytest.fixture(scope="module")
def bad_crawl(tmp_path_factory):
    canned = {f"/article/{i}.html": answer for i, (answer, _, _) in CASES.items() if answer}
    out = tmp_path_factory.mktemp("bad") / "blog"
    with FixtureServer(SITE, canned) as server:
        result = run_crawl(out, server.url, "ids=" + ",".join(CASES))
    return result


def test_no_post_is_written(bad_crawl):
    assert bad_crawl.returncode == 0, bad_crawl.log
    assert bad_crawl.posts == []


@pytest.mark.parametrize("article_id", list(CASES))
def test_one_clear_log_line_per_page(bad_crawl, article_id):
    _, _reason, words = CASES[article_id]
    url = f"https://www.jiemian.com/article/{article_id}.html"
    lines = [line for line in bad_crawl.log.splitlines() if url in line and "WARNING" in line]
    assert len(lines) == 1, "\n".join(lines) or bad_crawl.log[-3000:]
    assert re.search(rf"Failed {re.escape(url)}: .*{re.escape(words)}", lines[0]), lines[0]


def test_each_reason_is_counted(bad_crawl):
    counts = {}
    for _, reason, _ in CASES.values():
        counts[reason] = counts.get(reason, 0) + 1
    for reason, n in counts.items():
        assert bad_crawl.stats.get(f"archiver/failed/{reason}") == n, reason
    assert bad_crawl.stats.get("archiver/failed") == len(CASES)


def test_off_site_and_malformed_urls_are_refused_without_a_request(tmp_path):
    with FixtureServer(SITE) as server:
        result = run_crawl(
            tmp_path / "blog",
            server.url,
            "url=https://www.example.com/article/1.html,https://www.jiemian.com/lists/65.html",
        )
        article_hits = [p for p in server.paths() if p.startswith("/article") or p.startswith("/lists")]
    assert article_hits == []
    assert result.stats.get("archiver/failed/not_article_url") == 2
    assert "Failed https://www.example.com/article/1.html: not a 界面新闻 article URL" in result.log


def test_5xx_and_429_are_retried_with_backoff_then_archived(tmp_path):
    answers = {
        "/article/1108857.html": [Canned(503, b"busy"), Canned(502, b"bad gateway")],
        "/article/14790001.html": [Canned(429, b"slow down", {"Retry-After": "1"})],
    }

    def flaky(handler):
        path = handler.path
        if answers[path]:
            return answers[path].pop(0)
        return Canned(200, (SITE / path.lstrip("/")).read_bytes(), {"Content-Type": "text/html"})

    with FixtureServer(SITE, {path: flaky for path in answers}) as server:
        result = run_crawl(
            tmp_path / "blog",
            server.url,
            "ids=1108857,14790001",
            settings={"ARCHIVER_RETRY_BACKOFF_BASE": "0.5"},
        )
        times = [p for p, _ in server.hits if p.startswith("/article/1108857")]
    assert times == ["/article/1108857.html"] * 3
    assert result.stats.get("retry/count") == 3
    assert result.stats.get("archiver/retry_backoff_seconds", 0) >= 1  # Retry-After: 1 honoured
    assert [p.name for p in result.posts] == ["2017-02-11-jiemian-1108857.md"]
    # 14790001 is the paywalled fixture: fetched after the 429, then dropped with a reason
    assert result.stats.get("archiver/dropped/paywalled") == 1
