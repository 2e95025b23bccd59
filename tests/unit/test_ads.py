"""No advertising in a post (issue 13, item 1).

tests/fixtures/jiemian/ads-in-body.html is the demo's 14837702 with ads of every usual
shape inserted in its body (see its expected file's note); the post must hold the article's
paragraphs, and nothing of the ads, and none of their images may be fetched.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import lxml.html
import pytest
from scrapy.utils.test import get_crawler
from test_authors import project_settings

from archiver.demo.server import SITE
from archiver.extract.ads import is_ad_name, is_ad_url, is_marked
from archiver.extract.dom import parse_html, squash
from archiver.pipelines import ValidatePipeline
from archiver.render.post import PostSettings, render_post
from archiver.sites import jiemian

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "jiemian"
EXPECTED = json.loads((FIXTURES / "ads-in-body.expected.json").read_text(encoding="utf-8"))
DEMO = json.loads((SITE / "article" / "14837702.expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def article():
    return jiemian.parse((FIXTURES / "ads-in-body.html").read_text(encoding="utf-8"), EXPECTED["served_at"])


def paragraphs(body_html: str) -> list[str]:
    root = lxml.html.fragment_fromstring(body_html, create_parent="div")
    return [" ".join(p.text_content().split()) for p in root.iter("p") if p.text_content().strip()]


def test_the_body_keeps_the_article_and_loses_every_ad(article):
    kept = paragraphs(article.body_html)
    inserted = EXPECTED["body_contains"][:2]
    assert [p for p in kept if p not in inserted] == DEMO["body_paragraphs"]
    for text in EXPECTED["body_contains"]:
        assert any(text in p for p in kept), text
    for text in EXPECTED["body_excludes"]:
        assert text not in article.body_html, text


def test_no_ad_image_is_fetched_or_linked(article):
    assert article.images == EXPECTED["images"]
    assert article.cover.url == EXPECTED["cover"]
    for url in EXPECTED["ad_urls"]:
        assert url not in article.body_html
        assert url not in article.images


def test_each_removed_ad_is_logged_and_counted(article, caplog):
    crawler = get_crawler(
        settings_dict={**dict(project_settings()), "TWISTED_REACTOR_ENABLED": False, "EXTENSIONS": {}}
    )
    crawler.stats.open_spider()
    with caplog.at_level(logging.INFO):
        item = ValidatePipeline(crawler).process_item(article)
    stats = crawler.stats.get_stats()
    assert {k.rsplit("/", 1)[1]: v for k, v in stats.items() if k.startswith("archiver/cleaned/")} == (
        EXPECTED["cleaned"]
    )
    lines = [
        r.getMessage() for r in caplog.records if r.getMessage().startswith(("Ad removed", "Ad with no"))
    ]
    assert len(lines) == sum(EXPECTED["cleaned"].values())
    assert all(line.endswith(article.url) for line in lines)
    assert "Ad with no text removed: container div.jm-adv-box, 1 image not fetched: " in lines[0]
    post = render_post(item, PostSettings.from_settings(project_settings()))
    for text in EXPECTED["body_excludes"]:
        assert text not in post, text
    assert "广告投放预算" in post


def test_the_demo_pages_ads_are_still_gone():
    """The demo's own ad blocks (div.ad with a click link and an ad <p>) go by the general rule."""
    for page in ("14826640", "2081436"):
        expected = json.loads((SITE / "article" / f"{page}.expected.json").read_text(encoding="utf-8"))
        parsed = jiemian.parse(
            (SITE / "article" / f"{page}.html").read_text(encoding="utf-8"), expected["served_at"]
        )
        assert paragraphs(parsed.body_html) == expected["body_paragraphs"]
        assert [n[0] for n in parsed.notes] == ["ad"]


@pytest.mark.parametrize(
    "names, ad",
    [
        ("ad", True),
        ("ad-slot", True),
        ("jm-adv-box", True),
        ("article_ad", True),
        ("sponsoredContent", True),
        ("promo-card", True),
        ("ADS", True),
        ("header", False),
        ("shadow-box", False),
        ("download-app", False),
        ("badge lead", False),
        ("no-ad", False),
        ("loaded", False),
        ("", False),
    ],
)
def test_ad_names_are_whole_words_or_parts_never_substrings(names, ad):
    assert is_ad_name(names) is ad


@pytest.mark.parametrize(
    "url, ad",
    [
        ("https://adx.jiemian.com/click?slot=1", True),
        ("https://googleads.g.doubleclick.net/pagead/ads?x=1", True),
        ("https://g.cn.miaozhen.com/x/k=1&p=2", True),
        ("https://www.example.com/click?id=3", True),
        ("https://shop.example.com/item?adid=77", True),
        ("https://www.jiemian.com/article/14826640.html", False),
        ("https://www.jiemian.com/about/ad.html", False),
        ("https://img.jiemian.com/101/original/20261126/a.jpg", False),
        ("https://www.clickhouse.com/docs", False),
    ],
)
def test_ad_and_click_tracking_addresses(url, ad):
    assert is_ad_url(url) is ad


@pytest.mark.parametrize(
    "text, marked",
    [
        ("广告", True),
        ("【推广】限时优惠", True),
        ("广告｜年末理财季", True),
        ("AD：开通VIP", True),
        ("[赞助] 本栏目由某银行支持", True),
        ("Sponsored", True),
        ("广告主预算收缩，信息流广告价格下降。", False),
        ("推广新能源汽车下乡是今年的重点工作。", False),
        ("AD患者的早期筛查仍是难题。", False),
        ("", False),
    ],
)
def test_markers_announce_an_ad_a_mention_does_not(text, marked):
    assert is_marked(text) is marked


def test_an_ad_paragraph_with_a_label_span_goes_whole():
    html = (
        "<html><body><div class='article-content'><p>正文第一段，足够长的文字。</p>"
        "<p><span>广告</span>｜新客专享7天期理财</p></div></body></html>"
    )
    body = jiemian.first(parse_html(html), "div.article-content")
    cleaned, _ = jiemian.clean_body(body, "https://www.jiemian.com/article/1.html", jiemian.CHROME)
    assert squash(lxml.html.fragment_fromstring(cleaned, create_parent="div").text_content()) == (
        "正文第一段，足够长的文字。"
    )


def test_the_generic_extractor_removes_and_reports_ads_too():
    """After a redesign the generic extractor reads the page (archiver/sites/fallback.py):
    the same rule keeps the ads out, and what it removed is reported."""
    from archiver.items import ParseError
    from archiver.sites import fallback
    from tests.support.redesign import redesign_page

    html = redesign_page((FIXTURES / "ads-in-body.html").read_text(encoding="utf-8"))
    with pytest.raises(ParseError) as site_error:
        jiemian.parse(html, EXPECTED["served_at"])
    article = fallback.read_redesigned(jiemian, html, EXPECTED["served_at"], site_error.value)
    for text in EXPECTED["body_excludes"]:
        assert text not in article.body_html, text
    for text in EXPECTED["body_contains"]:
        assert text in article.body_html, text
    assert article.images == []
    assert article.notes and {reason for reason, _ in article.notes} <= {"ad", "ad_no_text"}
