"""Transport and server faults, each against the local fixture server: every page either
becomes a whole post or gets one clear reason; nothing hangs, nothing half-written."""

from __future__ import annotations

import gzip
import time

import frontmatter
import pytest

from archiver.demo.server import SITE, Canned, FixtureServer
from tests.support.crawl import run_crawl

pytestmark = pytest.mark.e2e

PAGE = (SITE / "article" / "14840233.html").read_bytes()  # a whole current-markup page
HTML = {"Content-Type": "text/html; charset=utf-8"}


def page(status=200, body=PAGE, headers=None):
    return Canned(status, body, {**HTML, **(headers or {})})


def sequence(*answers):
    """A path that answers with each of ``answers`` in turn, then with the last one."""
    queue = list(answers)
    return lambda handler: queue.pop(0) if len(queue) > 1 else queue[0]


def reset_mid_body(handler):
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html; charset=utf-8")
    handler.send_header("Content-Length", str(len(PAGE)))
    handler.end_headers()
    handler.wfile.write(PAGE[:20_000])
    handler.wfile.flush()
    handler.connection.close()  # the server hangs up in the middle of the page


def too_slow(handler):
    time.sleep(4)  # longer than DOWNLOAD_TIMEOUT below
    return page()


def slow_but_fine(handler):
    time.sleep(1)
    return page()


def huge(with_length: bool):
    def answer(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        if with_length:
            handler.send_header("Content-Length", str(50 * 1024 * 1024))
        handler.end_headers()
        chunk = b"<p>" + "很长的页面".encode() * 2000 + b"</p>\n"
        try:
            for _ in range(50 * 1024 * 1024 // len(chunk)):
                handler.wfile.write(chunk)
        except OSError:
            pass  # the crawler stopped reading: good
        return None

    return answer


TRUNCATED_GZIP = gzip.compress(PAGE)[: len(gzip.compress(PAGE)) // 2]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 4000

CASES = {
    # id: (answer, expected outcome: "post" or the failure reason, words of the log line)
    "9100001": (reset_mid_body, "network", ""),
    "9100002": (too_slow, "timeout", "timed out"),
    "9100003": (slow_but_fine, "post", ""),
    "9100004": (page(403, b"<html>forbidden</html>"), "http_403", "HTTP 403 Forbidden"),
    "9100005": (sequence(page(429, b"slow down", {"Retry-After": "1"}), page()), "post", ""),
    "9100006": (sequence(page(500, b"x"), page(502, b"x"), page(503, b"x"), page()), "post", ""),
    "9100007": (page(502, b"bad gateway"), "http_502", "HTTP 502 Bad Gateway"),
    "9100008": (page(302, b"", {"Location": "/article/9100008.html"}), "redirect_loop", "redirect loop"),
    "9100009": (
        page(302, b"", {"Location": "https://evil.example/article/1.html"}),
        "offsite_redirect",
        "redirected off the site, to evil.example",
    ),
    "9100010": (page(200, TRUNCATED_GZIP, {"Content-Encoding": "gzip"}), "corrupt_body", "gzip"),
    "9100011": (page(200, PAGE[: len(PAGE) // 2]), "parse_error", "truncated"),
    "9100012": (page(200, PNG, {"Content-Type": "image/png"}), "not_html", "image/png"),
    "9100013": (huge(with_length=True), "too_large", "DOWNLOAD_MAXSIZE"),
    "9100014": (huge(with_length=False), "too_large", "DOWNLOAD_MAXSIZE"),
    "9100015": (page(200, PAGE, {"Content-Type": "text/html"}), "post", ""),  # no charset anywhere
}


@pytest.fixture(scope="module")
def faulty(tmp_path_factory):
    canned = {f"/article/{i}.html": answer for i, (answer, _, _) in CASES.items()}
    out = tmp_path_factory.mktemp("faults") / "blog"
    with FixtureServer(SITE, canned) as server:
        result = run_crawl(
            out,
            server.url,
            "ids=" + ",".join(CASES),
            timeout=300,
            settings={
                "DOWNLOAD_TIMEOUT": "2",
                "RETRY_TIMES": "3",
                "ARCHIVER_RETRY_BACKOFF_BASE": "0.05",
                "ARCHIVER_IMAGES": "False",
                "ARCHIVER_RETRY_BACKOFF_MAX": "2",
            },
        )
    return result


@pytest.mark.parametrize("article_id", list(CASES))
def test_each_fault_has_one_outcome(faulty, article_id):
    _, outcome, words = CASES[article_id]
    url = f"https://www.jiemian.com/article/{article_id}.html"
    posts = [p for p in faulty.posts if p.stem.endswith(f"-{article_id}")]
    failures = [line for line in faulty.log.splitlines() if f"Failed {url}:" in line]
    if outcome == "post":
        assert len(posts) == 1 and failures == [], "\n".join(failures)
        text = posts[0].read_text(encoding="utf-8")
        assert frontmatter.loads(text)["title"] and text.endswith('{:target="_blank"}\n\n\n')
    else:
        assert posts == []
        assert len(failures) == 1, faulty.log[-4000:]
        assert words in failures[0], failures[0]
        assert faulty.stats.get(f"archiver/failed/{outcome}", 0) >= 1


def test_the_whole_run_stays_bounded(faulty):
    assert faulty.returncode == 0
    assert faulty.stats["finish_reason"] == "finished"
    # two 50 MB answers were refused at DOWNLOAD_MAXSIZE, not buffered
    assert faulty.stats["memusage/max"] < 400 * 1024 * 1024


def test_connection_refused(tmp_path):
    result = run_crawl(
        tmp_path / "blog",
        "http://127.0.0.1:9",
        "ids=14840233",
        settings={"RETRY_TIMES": "1", "ARCHIVER_RETRY_BACKOFF_BASE": "0.05"},
    )
    assert result.posts == []
    assert result.stats["archiver/failed/connection_refused"] == 1
    assert "Failed https://www.jiemian.com/article/14840233.html: connection refused" in result.log


def test_a_redirect_to_the_mobile_page_of_the_same_article_is_followed_through_the_origin(tmp_path):
    # the origin serves every jiemian host: the m. page is asked for at the same path
    moved = {
        "/article/14840233.html": sequence(
            page(301, b"", {"Location": "https://m.jiemian.com/article/14840233.html"}), page()
        )
    }
    with FixtureServer(SITE, moved) as server:
        result = run_crawl(tmp_path / "blog", server.url, "ids=14840233")
        asked = [p for p in server.paths() if p.startswith("/article/")]
    assert asked == ["/article/14840233.html", "/article/14840233.html"]
    [post] = result.posts
    assert "[原文地址](https://www.jiemian.com/article/14840233.html)" in post.read_text(encoding="utf-8")
