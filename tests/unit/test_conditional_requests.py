"""The downloader middlewares that spare the site, in process: lists and feeds are asked for
with the ETag and Last-Modified of the last full answer (a ``304 Not Modified`` re-reads what
that answer held, judged by this run's arguments), and an archived article is never fetched
again unless a refresh asks for it."""

from __future__ import annotations

import pytest

LIST_65 = "https://www.jiemian.com/lists/65.html"
SITE_FEED = "https://a.jiemian.com/index.php?m=article&a=rss"
ETAG = '"list-65-v1"'
MODIFIED = "Wed, 25 Nov 2026 01:37:00 GMT"
VALIDATED = {"headers": {"ETag": ETAG, "Last-Modified": MODIFIED, "Content-Type": "text/html; charset=utf-8"}}
NOT_MODIFIED = {"status": 304, "body": b""}


def sent(run, url: str) -> list[dict]:
    """The headers of every request for ``url``, in order."""
    return [headers for fetched, headers in run.fetched if fetched == url]


def post_ids(run) -> list[str]:
    return sorted(p.stem.rsplit("-", 1)[1] for p in run.posts)


def articles_fetched(run) -> list[str]:
    return [url for url, _ in run.fetched if "/article/" in url]


def first_run(new_run, **args):
    run = new_run(args={"lists": "65", "pages": "1", **args})
    run.crawl(answers={LIST_65: VALIDATED})
    run.close()
    return run


# -- validators sent ------------------------------------------------------------------------


def test_the_first_run_asks_in_full(new_run):
    run = first_run(new_run)
    [headers] = sent(run, LIST_65)
    assert "if-none-match" not in headers and "if-modified-since" not in headers


def test_the_next_run_asks_with_the_validators_of_the_last_answer(new_run):
    first_run(new_run)
    second = new_run(args={"lists": "65", "pages": "1"})
    second.crawl(answers={LIST_65: NOT_MODIFIED})
    [headers] = sent(second, LIST_65)
    assert headers["if-none-match"] == ETAG
    assert headers["if-modified-since"] == MODIFIED


def test_article_requests_never_carry_validators(new_run):
    run = first_run(new_run)
    second = new_run(args={"ids": "14835210", "refresh": "all"})
    second.crawl()
    assert all("if-none-match" not in h for url, h in second.fetched if "/article/" in url)
    assert articles_fetched(run)


def test_an_answer_without_validators_leaves_nothing_to_send(new_run):
    run = new_run(args={"lists": "65", "pages": "1"})
    run.crawl()  # the saved site answers without ETag or Last-Modified
    run.close()
    second = new_run(args={"lists": "65", "pages": "1"})
    second.crawl()
    [headers] = sent(second, LIST_65)
    assert "if-none-match" not in headers and "if-modified-since" not in headers


def test_validators_of_a_run_that_did_not_finish_are_not_kept(new_run):
    run = new_run(args={"lists": "65", "pages": "1"})
    run.crawl(answers={LIST_65: VALIDATED})
    run.close("shutdown")  # interrupted: the lists must be read again in full
    second = new_run(args={"lists": "65", "pages": "1"})
    second.crawl()
    [headers] = sent(second, LIST_65)
    assert "if-none-match" not in headers


def test_a_list_that_failed_to_parse_keeps_no_validators(new_run):
    run = new_run(args={"lists": "65", "pages": "1"})
    run.crawl(answers={LIST_65: {"body": b"", **VALIDATED}})
    assert run.close()["failed_by_reason"] == {"empty": 1}
    second = new_run(args={"lists": "65", "pages": "1"})
    second.crawl()
    assert "if-none-match" not in sent(second, LIST_65)[0]


# -- 304 Not Modified -------------------------------------------------------------------------


def test_a_304_fetches_nothing_already_covered(new_run):
    first = first_run(new_run)
    before = {p.name: p.read_bytes() for p in first.posts}
    second = new_run(args={"lists": "65", "pages": "1"})
    second.crawl(answers={LIST_65: NOT_MODIFIED})
    summary = second.close()
    assert second.stats["archiver/pages/not_modified"] == 1
    assert articles_fetched(second) == []
    assert summary["new"] == 0 and summary["failed"] == 0
    assert {p.name: p.read_bytes() for p in second.posts} == before


def test_a_304_with_deeper_pages_goes_on_to_the_pages_not_read_before(new_run):
    first_run(new_run)  # pages=1
    second = new_run(args={"lists": "65", "pages": "2"})
    second.crawl(answers={LIST_65: NOT_MODIFIED})
    second.close()
    assert [url for url, _ in second.fetched if "ajax_news" in url] == [
        "https://www.jiemian.com/index.php?m=lists&a=ajax_news&cid=65&page=2"
    ]
    assert "14712056" in post_ids(second)  # the article of page 2


def test_a_304_with_an_earlier_since_takes_the_articles_skipped_before(new_run):
    first = first_run(new_run, since="2026-11-25")
    assert post_ids(first) == ["14835210"]  # 14831415 (24 Nov) was older than since
    second = new_run(args={"lists": "65", "pages": "1"})
    second.crawl(answers={LIST_65: NOT_MODIFIED})
    summary = second.close()
    assert summary["new"] == 1
    assert post_ids(second) == ["14831415", "14835210"]
    assert articles_fetched(second) == ["https://www.jiemian.com/article/14831415.html"]


def test_validators_stay_for_the_run_after_a_304(new_run):
    first_run(new_run)
    for _ in range(2):
        run = new_run(args={"lists": "65", "pages": "1"})
        run.crawl(answers={LIST_65: NOT_MODIFIED})
        run.close()
        assert sent(run, LIST_65)[0]["if-none-match"] == ETAG


def test_a_304_nobody_asked_for_is_asked_again_in_full(new_run, caplog):
    """A server answering 304 to a request without validators: nothing is kept to re-read,
    so the page is asked for again, unconditionally."""
    run = new_run(args={"lists": "65", "pages": "1"})
    run.crawl(answers={LIST_65: [NOT_MODIFIED, {}]})
    summary = run.close()
    assert [("if-none-match" in h) for h in sent(run, LIST_65)] == [False, False]
    assert len(sent(run, LIST_65)) == 2
    assert "asking for it again in full" in caplog.text
    assert summary["new"] == 2 and summary["failed"] == 0


@pytest.mark.parametrize("url", [LIST_65, SITE_FEED])
def test_a_server_that_only_answers_304_is_asked_twice_and_reported(new_run, url):
    args = {"lists": "65", "pages": "1"} if url == LIST_65 else {"feed": "site"}
    run = new_run(args=args)
    run.crawl(answers={url: NOT_MODIFIED}, limit=50)
    summary = run.close()
    assert len(sent(run, url)) == 2  # once as asked, once in full
    assert summary["failed_by_reason"] == {"unexpected_304": 1}
    assert summary["failed_urls"] == [
        [url, "unexpected_304", "HTTP 304 Not Modified to a request without validators"]
    ]


# -- the skip middleware ------------------------------------------------------------------------


def test_an_archived_article_is_refused_before_download_and_counted(new_run):
    first = new_run(args={"ids": "14835210"})
    first.crawl()
    first.close()
    second = new_run(args={"lists": "65", "pages": "1"})
    second.crawl()
    summary = second.close()
    assert "https://www.jiemian.com/article/14835210.html" not in articles_fetched(second)
    assert summary["skipped"]["already_archived"] == 1
    assert summary["new"] == 1  # 14831415; the video is dropped


def test_a_refresh_goes_through_the_skip_middleware(new_run):
    first = new_run(args={"ids": "14835210"})
    first.crawl()
    first.close()
    second = new_run(args={"refresh": "all"})
    second.crawl()
    assert articles_fetched(second) == ["https://www.jiemian.com/article/14835210.html"]
    assert second.close()["unchanged"] == 1
