"""Discovery, in process: what a followed document is (from its content, whatever its
Content-Type), the links it holds, and what a source may take. On the whole fixture
documents of tests/fixtures/follow."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime

import pytest

from archiver import discover
from archiver.discover.feed import cut
from archiver.discover.scope import Scope, newest_first, patterns
from archiver.extract.urls import not_article_reason
from tests.support.fixtures import FIXTURES

FOLLOW = FIXTURES / "follow"


def read(path: str, url: str, ctype: str = "text/html") -> discover.Found:
    return discover.read((FOLLOW / path).read_bytes(), url, ctype)


def test_rss2_with_bom_cdata_content_encoded_and_relative_links():
    found = read("www.thepaper.cn/rss.xml", "https://www.thepaper.cn/rss.xml")
    assert (found.kind, found.description) == (discover.FEED, "an RSS 2.0 feed")
    assert [e.url for e in found.articles] == [
        "https://www.thepaper.cn/newsDetail_forward_26512345",  # relative, against xml:base
        "https://www.thepaper.cn/newsDetail_forward_26498877",
        "https://www.thepaper.cn/newsDetail_forward_26477001",  # a permalink guid, no <link>
        "https://www.sohu.com/a/761234567_121123456",
        "https://www.thepaper.cn/about",
    ]
    assert found.articles[0].title == "两会速递 | 政府工作报告：今年经济增长预期目标为5%左右"
    assert found.articles[0].published == datetime(2024, 3, 5, 0, 30, tzinfo=UTC)


def test_atom_with_per_entry_xml_base():
    found = read("news.sina.com.cn/atom.xml", "https://news.sina.com.cn/atom.xml", "application/octet-stream")
    assert found.description == "an Atom 1.0 feed"
    assert [e.url for e in found.articles] == [
        "https://news.sina.com.cn/c/2024-03-05/doc-inakqwer1234567.shtml",
        "https://finance.sina.com.cn/stock/marketresearch/2024-03-01/doc-inakmzxy7654321.shtml",
        "https://tech.sina.com.cn/i/2024-02-26/doc-inakabcd2468101.shtml",
    ]
    # published when given, else updated
    assert found.articles[2].published == datetime(2024, 2, 26, 0, 5, tzinfo=UTC)


def test_rss1_rdf_with_dc_dates():
    found = read("www.163.com/rss/rdf.xml", "https://www.163.com/rss/rdf.xml")
    assert found.description == "an RSS 1.0 (RDF) feed"
    assert len(found.articles) == 3 and found.articles[0].published == datetime(
        2024, 3, 4, 12, 14, tzinfo=UTC
    )


def test_google_news_sitemap_gives_the_publication_dates():
    found = read("www.yicai.com/sitemap_news.xml", "https://www.yicai.com/sitemap_news.xml")
    assert found.description == "a Google News sitemap"
    first = found.articles[0]
    assert first.url == "https://www.yicai.com/news/102012345.html"
    assert first.title == "央行：保持流动性合理充裕"
    assert first.published.isoformat() == "2024-03-04T16:18:00+08:00"


def test_gzip_sitemap_served_as_is_and_a_sitemap_served_as_html_with_a_bom():
    gz = read("www.yicai.com/sitemap/2024-02.xml.gz", "https://www.yicai.com/sitemap/2024-02.xml.gz")
    assert gz.kind == discover.SITEMAP and gz.articles[0].url == "https://www.yicai.com/news/101998877.html"
    html = read("www.people.com.cn/sitemap/politics.htm", "http://www.people.com.cn/sitemap/politics.htm")
    assert html.kind == discover.SITEMAP and len(html.articles) == 2


def test_sitemap_index_and_robots_with_several_sitemap_lines():
    index = read("www.people.com.cn/sitemap_index.xml", "http://www.people.com.cn/sitemap_index.xml")
    assert index.kind == discover.SITEMAP_INDEX
    assert index.sitemaps == [  # the duplicate child once
        "http://www.people.com.cn/sitemap/politics.htm",
        "http://www.people.com.cn/sitemap/finance.xml",
    ]
    robots = read("www.yicai.com/robots.txt", "https://www.yicai.com/robots.txt", "text/plain")
    assert robots.kind == discover.ROBOTS
    assert robots.sitemaps == [
        "https://www.yicai.com/sitemap_news.xml",
        "https://www.yicai.com/sitemap/2024-02.xml.gz",  # "SITEMAP:" in capitals
        "https://static.cdn-example.net/yicai/sitemap.xml",
    ]


def test_home_page_feeds_without_the_comments_feed():
    found = read("www.huxiu.com/index.html", "https://www.huxiu.com/")
    assert found.feeds == [
        "https://www.huxiu.com/rss/0.xml",
        "https://www.huxiu.com/atom.xml",
        "https://feeds.partner-example.com/huxiu.xml",
    ]
    assert found.ignored == [
        ("https://www.huxiu.com/comments/feed/", "a comments feed (虎嗅网 » Comments Feed)")
    ]
    assert (
        read("www.people.com.cn/index.html", "https://www.people.com.cn/").feeds == []
    )  # hreflang alternates


@pytest.mark.parametrize(
    ("body", "ctype", "reason"),
    [
        (
            b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>",
            "application/rss+xml",
            "html_not_feed",
        ),
        (b'<?xml version="1.0"?><rss version="2.0"><channel><item><title>cut', "text/xml", "malformed_xml"),
        (
            b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://a.example/1/123456.html</loc></url><url><loc>https://a.ex',
            "text/xml",
            "malformed_xml",
        ),
        (b"", "text/xml", "empty"),
        (b"<?xml version='1.0'?><kml><Placemark/></kml>", "application/xml", "unknown_xml"),
        (b"just some words", "text/plain", "unknown_document"),
        (b"\x1f\x8b\x08\x00garbage", "application/gzip", "bad_gzip"),
    ],
)
def test_documents_that_cannot_be_followed_say_why(body, ctype, reason):
    with pytest.raises(discover.NotFollowable) as caught:
        discover.read(body, "https://a.example/feed.xml", ctype)
    assert caught.value.reason == reason


def test_a_huge_feed_is_cut_before_parsing_and_the_rest_counted():
    items = "".join(f"<item><link>https://a.example/n/{100000 + i}.html</link></item>" for i in range(3000))
    body = (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>a</title>{items}</channel></rss>'.encode()
    )
    short, left = cut(body, 1000)
    assert left == 2000 and short.endswith(b"</channel></rss>")
    found = discover.read(
        gzip.compress(body), "https://a.example/feed.xml", "application/gzip", max_feed_items=1000
    )
    assert len(found.articles) == 1000 and found.truncated == 2000 and found.wellformed


def test_found_survives_its_json_form():
    found = read("www.thepaper.cn/rss.xml", "https://www.thepaper.cn/rss.xml")
    again, covered = discover.from_json(discover.to_json(found, {found.articles[0].url: "*"}))
    assert again.articles == found.articles and again.kind == found.kind
    assert covered[found.articles[0].url] == "*" and covered[found.articles[1].url] is None


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://www.yicai.com/", "a site's front page"),
        ("https://www.yicai.com/about/", "an about page"),
        ("https://www.yicai.com/tag/12345", "a tag page"),
        ("https://www.yicai.com/category/finance/", "a category page"),
        ("https://www.yicai.com/author/100001.html", "an author's page"),
        ("https://www.yicai.com/news/page/2", "a pager page"),
        ("https://www.yicai.com/news/?page=3", "a pager page"),
        ("https://www.yicai.com/news/", "a section page (one path segment, no id)"),
        ("http://politics.people.com.cn/GB/1024/index.html", "a section's front page"),
        ("https://www.yicai.com/news/102012345.html", None),
        ("https://www.thepaper.cn/newsDetail_forward_26512345", None),
        ("https://www.theguardian.com/environment/2024/mar/04/uk-wildlife-survey-butterflies-decline", None),
        ("https://www.yicai.com/news/102012345.html?page=2", None),  # page 2 of an article
    ],
)
def test_which_urls_can_be_articles(url, reason):
    assert not_article_reason(url) == reason


def test_scope_refuses_other_sites_and_applies_since_and_patterns():
    scope = Scope(
        source="https://www.thepaper.cn/rss.xml",
        since=datetime(2024, 3, 1, tzinfo=UTC),
        allow=patterns(["newsDetail"], "allow"),
        deny=patterns(["_forward_2649"], "deny"),
    )
    entry = discover.Entry
    assert scope.refuse(entry("https://m.thepaper.cn/newsDetail_forward_26512345")) is None  # same site
    assert scope.refuse(entry("https://www.sohu.com/a/761234567_121123456"))[0] == "offsite"
    assert scope.refuse(entry("https://www.thepaper.cn/about"))[0] == "not_article"
    assert scope.refuse(entry("https://www.thepaper.cn/list_25462"))[0] == "not_allowed"
    assert scope.refuse(entry("https://www.thepaper.cn/newsDetail_forward_26498877"))[0] == "denied"
    old = entry("https://www.thepaper.cn/newsDetail_forward_26477001", datetime(2024, 2, 29, tzinfo=UTC))
    assert scope.refuse(old)[0] == "older_than_since"
    with pytest.raises(ValueError, match="allow="):
        patterns(["(unclosed"], "allow")


def test_newest_first_keeps_undated_entries_last_in_document_order():
    e = discover.Entry
    entries = [
        e("u1"),
        e("d1", datetime(2024, 1, 1, tzinfo=UTC)),
        e("u2"),
        e("d2", datetime(2024, 3, 1, tzinfo=UTC)),
    ]
    assert [x.url for x in newest_first(entries)] == ["d2", "d1", "u1", "u2"]
