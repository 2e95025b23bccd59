"""jiemian's lists, AJAX pager and feeds, from the bundled site's saved files
(``archiver/demo/site/lists``, ``ajax``, ``rss``; their contents are listed in its README):
the parsers alone, then the spider reading them in process (paging, ``since`` cut-offs,
broken answers), judged by the posts written and the counters."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from archiver.items import ParseError
from archiver.sites import jiemian
from tests.support.fixtures import SITE, expected_files

#: "now" of the saved lists' relative dates (archiver/demo/site/README.md)
NOW = datetime(2026, 11, 26, 14, 12, tzinfo=jiemian.TZ)
LIST_65 = "https://www.jiemian.com/lists/65.html"
PUBLISHED = {
    p.name.split(".")[0]: datetime.fromisoformat(json.loads(p.read_text(encoding="utf-8"))["published"])
    for p in expected_files()
    if "published" in json.loads(p.read_text(encoding="utf-8"))
}
FEEDS = {
    "rss/site.xml": [
        "14840233",
        "14837702",
        "14835210",
        "14831415",
        "14828876",
        "14826640",
        "14819087",
        "14790001",
        "14712056",
    ],
    "lists/65.rss": ["14835210", "14831415", "14712056"],
    "lists/800.rss": ["14840233", "14837702", "14828876", "14826640", "14819087", "14790001"],
}


def ids(entries) -> list[str]:
    return [e.url.rsplit("/", 1)[1].split(".")[0] for e in entries]


def saved(path: str) -> str:
    return (SITE / path).read_text(encoding="utf-8")


def post_ids(run) -> list[str]:
    return sorted(p.stem.rsplit("-", 1)[1] for p in run.posts)


def pager_pages(run) -> list[int]:
    return [int(url.rsplit("=", 1)[1]) for url, _ in run.fetched if "ajax_news" in url]


# -- the parsers --------------------------------------------------------------------------


def test_a_list_page_gives_its_articles_in_page_order_and_nothing_else():
    entries = jiemian.parse_list(saved("lists/65.html"), LIST_65, NOW)
    assert ids(entries) == ["14835210", "14831415", "14800123"]
    assert entries[2].url == "https://www.jiemian.com/video/14800123.html"
    assert all(e.url.startswith("https://www.jiemian.com/") for e in entries)  # no ad, no other site


def test_list_dates_are_read_against_now():
    entries = jiemian.parse_list(saved("lists/65.html"), LIST_65, NOW)
    assert entries[0].published == datetime(2026, 11, 25, 9, 37, tzinfo=jiemian.TZ)  # 昨天 09:37
    lists_800 = jiemian.parse_list(saved("lists/800.html"), "https://www.jiemian.com/lists/800.html", NOW)
    assert lists_800[0].published == datetime(2026, 11, 26, 14, 2, tzinfo=jiemian.TZ)  # 10分钟前
    assert lists_800[1].published == datetime(2026, 11, 26, 12, 12, tzinfo=jiemian.TZ)  # 2小时前


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("lists-65-2", ["14712056"]),
        ("lists-65-3", ["2081436", "1108857"]),
        ("lists-65-4", []),
        ("lists-800-2", ["14790001", "1124578"]),
        ("lists-800-3", []),
    ],
)
def test_the_pager_answer_gives_the_next_articles(name, expected):
    entries = jiemian.parse_pager(saved(f"ajax/{name}.json"), LIST_65, NOW)
    assert ids(entries) == expected
    for entry, article_id in zip(entries, expected):
        if article_id in ("2081436", "1108857", "1124578"):  # full dates on the page
            assert entry.published == PUBLISHED[article_id]


@pytest.mark.parametrize(
    ("body", "why"),
    [
        ("<html>busy</html>", "not JSON"),
        ('{"rs": null}', "no 'rs'"),
        ("[1, 2]", "no 'rs'"),
        ('{"other": "x"}', "no 'rs'"),
    ],
)
def test_a_broken_pager_answer_is_a_parse_error(body, why):
    with pytest.raises(ParseError, match=why):
        jiemian.parse_pager(body, LIST_65, NOW)


@pytest.mark.parametrize("path", sorted(FEEDS))
def test_a_feed_gives_its_articles_with_their_times(path):
    entries = jiemian.parse_feed((SITE / path).read_bytes())
    assert ids(entries) == FEEDS[path]
    for entry in entries:
        assert entry.published == PUBLISHED[ids([entry])[0]]
        assert entry.published.tzinfo is not None


@pytest.mark.parametrize(
    "body",
    [b"", b"not xml at all", b"<html><body>maintenance</body></html>", b"<rss><channel></channel></rss>"],
)
def test_a_broken_or_empty_feed_gives_no_article_or_a_parse_error(body):
    try:
        entries = jiemian.parse_feed(body)
    except ParseError as exc:
        assert str(exc).startswith("missing rss")
    else:
        assert entries == []


def test_feed_items_that_are_not_articles_are_left_out():
    feed = (SITE / "rss/site.xml").read_bytes()
    broken = feed.replace(
        b"https://www.jiemian.com/article/14837702.html", b"https://www.jiemian.com/tags/1.html"
    )
    assert "14837702" not in ids(jiemian.parse_feed(broken))
    assert len(jiemian.parse_feed(broken)) == len(FEEDS["rss/site.xml"]) - 1


def test_a_feed_date_without_zone_is_the_sites_time():
    feed = (
        (SITE / "rss/site.xml").read_bytes().replace(b"Thu, 26 Nov 2026 14:02:00 +0800", b"2026-11-26 14:02")
    )
    entry = jiemian.parse_feed(feed)[0]
    assert entry.published == datetime(2026, 11, 26, 14, 2, tzinfo=jiemian.TZ)


# -- the spider reading them ----------------------------------------------------------------


def test_a_list_is_paged_until_the_pager_is_empty(new_run):
    run = new_run(args={"lists": "65", "pages": "9"})
    run.crawl()
    summary = run.close()
    assert pager_pages(run) == [2, 3, 4]  # page 4 is empty: paging ends
    assert post_ids(run) == sorted(["14835210", "14831415", "14712056", "2081436", "1108857"])
    assert summary["dropped"] == {"video": 1}
    assert summary["new"] == 5 and summary["failed"] == 0


def test_pages_limits_how_deep_a_list_is_read(new_run):
    run = new_run(args={"lists": "65", "pages": "2"})
    run.crawl()
    assert pager_pages(run) == [2]
    assert post_ids(run) == sorted(["14835210", "14831415", "14712056"])


def test_since_skips_older_articles_and_stops_paging(new_run):
    run = new_run(args={"lists": "65", "pages": "5", "since": "2026-01-01"})
    run.crawl()
    summary = run.close()
    # page 3 holds the 2018 and 2017 articles: skipped, and no page 4 is asked for
    assert pager_pages(run) == [2, 3]
    assert post_ids(run) == sorted(["14835210", "14831415", "14712056"])
    assert summary["skipped"] == {"older_than_since": 2}
    assert not any("/article/2081436" in url or "/article/1108857" in url for url, _ in run.fetched)


def test_two_lists_are_read_each_to_its_end(new_run):
    run = new_run(args={"lists": "65,800", "pages": "9"})
    run.crawl()
    assert run.close()["new"] == 11
    assert "1124578" in post_ids(run) and "14790001" not in post_ids(run)  # VIP: dropped


@pytest.mark.parametrize(
    ("feed", "path"), [("site", "rss/site.xml"), ("65", "lists/65.rss"), ("800", "lists/800.rss")]
)
def test_a_feed_archives_its_articles(new_run, feed, path):
    run = new_run(args={"feed": feed})
    run.crawl()
    summary = run.close()
    expected = [i for i in FEEDS[path] if i != "14790001"]  # the VIP article is dropped
    assert post_ids(run) == sorted(expected)
    assert summary["new"] == len(expected)


@pytest.mark.parametrize("since", ["2026-11-24", "2026-11-25T12:00", "2026-11-27"])
def test_since_cuts_a_feed_by_publication_time(new_run, since):
    run = new_run(args={"feed": "site", "since": since})
    run.crawl()
    summary = run.close()
    cut = datetime.fromisoformat(since).replace(tzinfo=jiemian.TZ)
    newer = [i for i in FEEDS["rss/site.xml"] if PUBLISHED[i] >= cut]
    assert post_ids(run) == sorted(newer)
    assert summary["skipped"].get("older_than_since", 0) == len(FEEDS["rss/site.xml"]) - len(newer)


def test_with_no_arguments_the_default_lists_and_the_site_feed_are_read(new_run):
    run = new_run(JIEMIAN_DEFAULT_LISTS="800,65")
    urls = [r.meta["real_url"] for r in run.start()]
    assert urls == [
        "https://a.jiemian.com/index.php?m=article&a=rss",
        "https://www.jiemian.com/lists/800.html",
        LIST_65,
    ]


def test_an_article_in_two_lists_and_a_feed_is_written_once(new_run):
    run = new_run(args={"lists": "65", "feed": "65", "pages": "1"})
    run.crawl()
    assert post_ids(run) == sorted(["14835210", "14831415", "14712056"])
    assert run.close()["new"] == 3


# -- broken answers -------------------------------------------------------------------------


PAGER_2 = "https://www.jiemian.com/index.php?m=lists&a=ajax_news&cid=65&page=2"


@pytest.mark.parametrize(
    ("url", "answer", "reason"),
    [
        (LIST_65, {"status": 500, "body": b"oops"}, "http_500"),
        (LIST_65, {"status": 404, "body": b"no"}, "http_404"),
        (LIST_65, {"body": b"", "headers": {"Content-Type": "text/html"}}, "empty"),
        (LIST_65, {"body": b'{"rs": ""}', "headers": {"Content-Type": "application/json"}}, "not_html"),
        (
            PAGER_2,
            {"body": b"<html>busy</html>", "headers": {"Content-Type": "text/html"}},
            "list_parse_error",
        ),
        (
            PAGER_2,
            {"body": b'{"rs": 5}', "headers": {"Content-Type": "application/json"}},
            "list_parse_error",
        ),
    ],
)
def test_a_broken_list_answer_is_one_clear_failure_and_paging_stops(new_run, url, answer, reason):
    run = new_run(args={"lists": "65", "pages": "9"})
    run.crawl(answers={url: answer})
    summary = run.close()
    assert summary["failed_by_reason"] == {reason: 1}
    assert [u for u, _, _ in summary["failed_urls"]] == [url]
    if url == LIST_65:
        assert run.posts == [] and pager_pages(run) == []
    else:  # the first page's articles are archived; nothing after the broken page
        assert post_ids(run) == sorted(["14835210", "14831415"]) and pager_pages(run) == [2]


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        ({"status": 503, "body": b"busy"}, "http_503"),
        ({"body": b"", "headers": {"Content-Type": "application/rss+xml"}}, "empty"),
        (
            {"body": b"\x00\x01garbage", "headers": {"Content-Type": "application/rss+xml"}},
            "feed_parse_error",
        ),
    ],
)
def test_a_broken_feed_is_one_clear_failure(new_run, answer, reason):
    run = new_run(args={"feed": "site"})
    run.crawl(answers={"https://a.jiemian.com/index.php?m=article&a=rss": answer})
    summary = run.close()
    assert summary["failed_by_reason"] == {reason: 1}
    assert run.posts == []


def test_an_article_of_a_list_that_fails_does_not_stop_the_others(new_run):
    run = new_run(args={"lists": "65", "pages": "1"})
    run.crawl(answers={"https://www.jiemian.com/article/14831415.html": {"status": 502, "body": b"bad"}})
    summary = run.close()
    assert post_ids(run) == ["14835210"]
    assert summary["failed_by_reason"] == {"http_502": 1}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"lists": "6-5"}, "letters and digits"),
        ({"feed": "65;x"}, "letters and digits"),
        ({"pages": "two"}, "whole number"),
        ({"pages": "0"}, "at least 1"),
        ({"since": "yesterday"}, "not a date"),
        ({"ids": "12a"}, "not an article id"),
        ({"refresh": "soon"}, "'all' or a number of days"),
    ],
)
def test_bad_arguments_are_refused_before_any_request(new_run, args, message):
    with pytest.raises(ValueError, match=message):
        new_run(args=args)
