"""The generic parser, field by field, on whole pages in the styles of 18 outlets, and on
pages that are not articles. Expected values are the ground truth beside each page."""

from __future__ import annotations

import re
from datetime import datetime

import lxml.html
import pytest

from archiver.extract import generic
from archiver.extract.dates import parse_time_text
from archiver.extract.outlets import display_name, source_key
from archiver.extract.pagemeta import strip_site_name
from archiver.extract.urls import canonical_url, key_from_url
from archiver.items import ParseError
from archiver.sites import article_key, jiemian, parser_for
from tests.support.fixtures import names, page_text, truth

ARTICLES = names("article")
NOT_ARTICLES = names("not_article")


@pytest.fixture(scope="module")
def parsed():
    return {name: generic.parse(page_text(name), truth(name)["url"]) for name in ARTICLES}


def body_text(article) -> str:
    return lxml.html.fragment_fromstring(article.body_html, create_parent="div").text_content()


def test_the_set_covers_many_outlets_and_both_languages():
    outlets = {truth(n)["outlet"] for n in ARTICLES}
    assert len(ARTICLES) >= 30 and len(outlets) >= 8
    assert sum(truth(n)["lang"] == "en" for n in ARTICLES) >= 4
    assert {"javascript", "list", "not_article"} <= {truth(n)["not_article"] for n in NOT_ARTICLES}


def test_fixtures_hold_no_mojibake():
    for name in ARTICLES + NOT_ARTICLES:
        assert "\ufffd" not in page_text(name), name
        assert 40_000 < len(page_text(name).encode(truth(name)["encoding"])) < 160_000, name


@pytest.mark.parametrize("name", ARTICLES)
def test_title_time_and_tag(parsed, name):
    article, expected = parsed[name], truth(name)
    assert article.title == expected["title"]
    assert article.published == datetime.fromisoformat(expected["published"]).replace(
        second=article.published.second
    )
    assert article.published.utcoffset() is not None
    assert article.site_name == expected["site_name"]


@pytest.mark.parametrize("name", ARTICLES)
def test_file_name_key_comes_from_the_domain_and_the_url(parsed, name):
    article = parsed[name]
    assert article.source == truth(name)["source"]
    assert article.source.isascii() and article.source.isalnum()
    assert article.id.replace("_", "").isalnum()
    assert key_from_url(article.url) == article.key == article_key(truth(name)["url"])


@pytest.mark.parametrize("name", ARTICLES)
def test_every_paragraph_is_kept_and_no_chrome(parsed, name):
    text = body_text(parsed[name])
    squashed = "".join(text.split())
    for paragraph in truth(name)["text"].split("\n"):
        assert "".join(paragraph.split()) in squashed, paragraph[:30]
    for chrome in (
        "责任编辑",
        "相关推荐",
        "相关新闻",
        "热门",
        "评论",
        "分享到",
        "Most viewed",
        "Our Standards",
        "Reporting by",
        "特别声明",
        "不得转载",
        "Copyright",
        "ICP",
    ):
        if chrome not in truth(name)["text"]:
            assert chrome not in text, chrome


@pytest.mark.parametrize("name", [n for n in ARTICLES if truth(n)["images"]])
def test_images_of_the_body_are_kept_in_order(parsed, name):  # captions: in the truth text
    article = parsed[name]
    assert truth(name)["images"] == [u for u in article.images if u in truth(name)["images"]]
    fragment = lxml.html.fragment_fromstring(article.body_html, create_parent="div")
    assert [img.get("src") for img in fragment.iter("img")] == article.images


def test_no_active_content_survives(parsed):
    for name, article in parsed.items():
        assert not re.search(
            r"<(script|style|iframe|form|svg)\b|\son[a-z]+\s*=|javascript:", article.body_html, re.I
        ), name


def test_authors_from_json_ld_and_bylines(parsed):
    assert parsed["reuters-1"].authors == ["Tom Westbrook", "Ankur Banerjee"]
    assert parsed["bbc-1"].authors == ["Georgina Rannard"]
    assert parsed["guardian-1"].authors == ["Patrick Barkham"]


def test_lead_is_the_description_unless_it_repeats_the_body(parsed):
    assert parsed["thepaper-1"].lead == truth("thepaper-1")["lead"]
    assert parsed["163-1"].lead == ""  # its description is the first paragraph's start
    assert parsed["guardian-1"].lead == truth("guardian-1")["lead"]


def test_article_url_drops_tracking_and_keeps_the_same_key():
    url = truth("thepaper-1")["url"]
    article = generic.parse(
        page_text("thepaper-1"),
        "http://m.thepaper.cn/newsDetail_forward_26512345?utm_source=wx&from=timeline#comments",
    )
    assert article.key == key_from_url(url) == "thepaper-26512345"
    assert "utm_source" not in article.url and "#" not in article.url


REFUSALS = {
    "neg-js-36kr": "no article text without JavaScript",
    "neg-list-sina": "a list or home page, not an article",
    "neg-home-thepaper": "a site's front page, not an article",
    "neg-about-people": "no publication time",
}


@pytest.mark.parametrize("name", NOT_ARTICLES)
def test_pages_that_are_not_articles_are_refused_with_the_reason(name):
    with pytest.raises(ParseError, match=re.escape(REFUSALS[name])):
        generic.parse(page_text(name), truth(name)["url"])


def test_a_home_page_at_a_channel_url_is_refused_by_its_content():
    with pytest.raises(ParseError, match="list or home page"):
        generic.parse(page_text("neg-home-thepaper"), "https://www.thepaper.cn/channel_25950")


def test_an_empty_or_broken_page_is_refused():
    for html in ("", "   ", "<html><body></body></html>", "not html at all"):
        with pytest.raises(ParseError):
            generic.parse(html, "https://www.example.com/news/12345.html")


# -- URLs, keys, names ---------------------------------------------------------


@pytest.mark.parametrize(
    "url,key",
    [
        ("https://www.thepaper.cn/newsDetail_forward_26512345", "thepaper-26512345"),
        (
            "http://m.thepaper.cn/newsDetail_forward_26512345?from=timeline&utm_medium=x#p2",
            "thepaper-26512345",
        ),
        ("https://finance.caixin.com/2024-03-05/102171234.html", "caixin-102171234"),
        ("https://news.sina.com.cn/c/2024-03-05/doc-inakqwer1234567.shtml", "sina-inakqwer1234567"),
        ("https://www.163.com/dy/article/IT3ABCDE0519DDQ2.html?spm=zz", "163-IT3ABCDE0519DDQ2"),
        ("http://politics.people.com.cn/n1/2024/0305/c1001-40190123.html", "people-40190123"),
        ("http://www.news.cn/fortune/2024-02/26/c_1130081234.htm", "xinhuanet-1130081234"),
        ("https://www.guancha.cn/internation/2024_03_05_727123.shtml", "guancha-727123"),
        ("https://www.toutiao.com/article/7342123456789012345/", "toutiao-7342123456789012345"),
        ("https://www.example.com/news.php?id=88231", "example-88231"),
    ],
)
def test_keys_of_article_urls(url, key):
    assert key_from_url(url) == key


def test_urls_without_an_id_get_a_stable_hash_whatever_the_tracking():
    a = key_from_url("https://www.reuters.com/world/europe/farmers-protest-2024-02-26/")
    b = key_from_url("http://www.reuters.com/world/europe/farmers-protest-2024-02-26?utm_source=x#top")
    c = key_from_url("https://www.reuters.com/world/europe/other-story-2024-02-26/")
    assert a == b != c and a.startswith("reuters-") and len(a.split("-", 1)[1]) == 12


def test_front_pages_and_other_schemes_are_no_article():
    for url in (
        "https://www.thepaper.cn/",
        "https://news.sina.com.cn/index.shtml",
        "https://36kr.com",
        "ftp://example.com/a/12345",
        "mailto:a@b.cn",
        "javascript:void(0)",
    ):
        assert key_from_url(url) is None and article_key(url) is None


def test_canonical_url_removes_fragments_and_tracking_only():
    assert (
        canonical_url("HTTPS://WWW.Example.com:443/a/b.html?id=3&utm_source=x&spm=1.2#c")
        == "https://www.example.com/a/b.html?id=3"
    )


def test_registry_routes_jiemian_to_its_parser_and_the_rest_to_generic():
    assert parser_for("https://m.jiemian.com/article/1108857.html") is jiemian
    assert parser_for("https://www.thepaper.cn/newsDetail_forward_1") is generic
    assert article_key("https://m.jiemian.com/article/1108857.html") == "jiemian-1108857"


def test_source_keys_and_display_names():
    assert source_key("news.sina.com.cn") == source_key("sina.cn") == "sina"
    assert source_key("www.news.cn") == "xinhuanet"
    assert source_key("www.example-news.co.uk") == "examplenews"
    assert display_name("www.thepaper.cn", "The Paper") == "澎湃新闻"
    assert display_name("www.reuters.com", "Reuters") == "Reuters"
    assert display_name("www.somepaper.com.au", "") == "somepaper.com.au"
    for host, name in [
        ("36kr.com", "36氪"),
        ("www.huxiu.com", "虎嗅"),
        ("www.caixin.com", "财新"),
        ("www.yicai.com", "第一财经"),
        ("www.163.com", "网易"),
        ("new.qq.com", "腾讯新闻"),
        ("www.people.com.cn", "人民网"),
        ("www.xinhuanet.com", "新华网"),
        ("www.guancha.cn", "观察者网"),
        ("news.ifeng.com", "凤凰网"),
        ("www.toutiao.com", "今日头条"),
        ("www.jiemian.com", "界面新闻"),
    ]:
        assert display_name(host) == name


@pytest.mark.parametrize(
    "title,clean",
    [
        ("央行：保持流动性合理充裕 降准仍有空间_金融频道_财新网", "央行：保持流动性合理充裕 降准仍有空间"),
        (
            "今年全国计划新开工改造城镇老旧小区5万个以上|今年|新规_新浪新闻",
            "今年全国计划新开工改造城镇老旧小区5万个以上",
        ),
        ("36氪独家｜储能电池厂商完成5亿元B轮融资-36氪", "36氪独家｜储能电池厂商完成5亿元B轮融资"),
        ("关于调整国债余额限额的决议__2007年第23号国务院公报_中国政府网", "关于调整国债余额限额的决议"),
        (
            "Shop price inflation falls to lowest level in two years - BBC News",
            "Shop price inflation falls to lowest level in two years",
        ),
    ],
)
def test_site_names_are_cut_from_declared_titles(title, clean):
    assert strip_site_name(title, ["财新网", "新浪", "36氪", "BBC News", "中国政府网"]) == clean


@pytest.mark.parametrize(
    "text,iso",
    [
        ("2017年2月11日 15:35", "2017-02-11T15:35:00+08:00"),
        ("2017-02-11 15:35", "2017-02-11T15:35:00+08:00"),
        ("发布时间：2017/02/11 15:35:20", "2017-02-11T15:35:20+08:00"),
        ("2024年03月05日08:21 | 来源：人民网", "2024-03-05T08:21:00+08:00"),
        ("2024-03-05T02:41:17.123Z", "2024-03-05T02:41:17+00:00"),
        ("2024-03-04T20:14:36+08:00", "2024-03-04T20:14:36+08:00"),
        ("March 5, 2024 2:41 AM GMT", "2024-03-05T02:41:00+00:00"),
        ("Tue 5 Mar 2024 18.30 GMT", "2024-03-05T18:30:00+00:00"),
        ("Updated 9:55 AM EST, March 3, 2024", "2024-03-03T09:55:00-05:00"),
        ("1709522400000", "2024-03-04T11:20:00+08:00"),
    ],
)
def test_publication_time_forms(text, iso):
    found = parse_time_text(text, generic.CHINA_TZ, epoch_ok=True)
    assert found.has_time and found.value == datetime.fromisoformat(iso)


def test_a_date_alone_is_no_time_of_day():
    found = parse_time_text("2024-03-05", generic.CHINA_TZ)
    assert not found.has_time
    assert parse_time_text("growth of 2024 3.5 percent", generic.CHINA_TZ) is None


def test_the_registry_finds_the_site_parsers_by_their_hosts():
    from archiver.extract import generic
    from archiver.sites import jiemian, parser_for, site_modules

    assert site_modules() == [jiemian]  # every module of archiver/parsers with HOSTS
    assert parser_for("https://m.jiemian.com/article/1108857.html") is jiemian
    assert parser_for("https://www.thepaper.cn/newsDetail_forward_26512345") is generic
