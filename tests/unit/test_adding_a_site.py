"""A second precise site is one module (docs/adding-a-site.md): the test-only site
``tests/support/example_site.py``, registered through ``archiver.sites.register``, takes
its whole-page fixture through the registry, the article spider, its own parser and the
post pipelines, in process, with no edit to archiver/."""

from __future__ import annotations

from pathlib import Path

import frontmatter
import pytest

from archiver import sites
from archiver.extract import generic
from archiver.extract.outlets import display_name, source_key
from spiders.article import ArticleSpider
from tests.support import example_site
from tests.support.fixtures import FIXTURES
from tests.support.inprocess import Run, site_response

URL = "https://news.example.org/a/20261130/4821.html"
PAGE = FIXTURES / "example_site" / "4821.html"


@pytest.fixture
def registered():
    sites.register(example_site)
    try:
        yield example_site
    finally:
        sites.unregister(example_site)


def test_before_registration_the_page_is_any_outlets_page():
    assert sites.parser_for(URL) is generic
    assert display_name("news.example.org") != "示例日报"


def test_registration_routes_its_urls_and_names_its_outlet(registered):
    assert registered in sites.site_modules()
    assert sites.parser_for(URL) is registered
    assert sites.parser_for("http://NEWS.example.org/a/20261130/4821.html") is registered
    assert sites.article_key(URL) == "exampledaily-4821"
    assert display_name("news.example.org") == "示例日报"
    assert source_key("www.example.org") == "exampledaily"
    sites.register(registered)  # twice changes nothing
    assert sites.site_modules().count(registered) == 1


def test_unregistering_restores_the_generic_route():
    sites.register(example_site)
    sites.unregister(example_site)
    assert example_site not in sites.site_modules()
    assert sites.parser_for(URL) is generic


def test_a_module_without_a_site_record_is_refused():
    with pytest.raises(TypeError, match="SITE"):
        sites.register(generic)


def test_the_parser_reads_the_article_and_leaves_the_chrome(registered):
    article = registered.parse(PAGE.read_text(encoding="utf-8"), URL)
    assert (article.key, article.url) == ("exampledaily-4821", URL)
    assert article.title == "港口吞吐量连续三月回升"
    assert article.lead.startswith("外贸订单回暖")
    assert article.authors == ["林晓", "周航"]
    assert article.published.isoformat() == "2026-11-30T09:15:00+08:00"
    assert article.images == ["https://img.example.org/2026/11/port.jpg"]
    assert "连续第三个月环比增长" in article.body_html and "运力仍然紧张" in article.body_html
    for chrome in ("广告", "分享到微信", "相关阅读", "版权所有", "搜索"):
        assert chrome not in article.body_html


def test_the_page_becomes_a_post_through_the_spider_and_the_pipelines(registered, tmp_path: Path):
    run = Run(tmp_path / "blog", spider=ArticleSpider, args={"url": URL})
    [request] = run.start()
    assert request.meta["article_key"] == "exampledaily-4821"
    assert request.meta["parser"] == registered.__name__
    answer = site_response(
        request, body=PAGE.read_bytes(), headers={"Content-Type": "text/html; charset=utf-8"}
    )
    [article] = list(request.callback(answer))
    run.write(article)
    run.close()
    [post] = run.posts
    assert post.name == "2026-11-30-exampledaily-4821.md"
    text = post.read_text(encoding="utf-8")
    meta = frontmatter.loads(text)
    assert meta["title"] == "港口吞吐量连续三月回升"
    assert meta["author"] == "林晓/周航"
    assert meta["tags"][0] == "示例日报"
    assert "> 十一月以来，沿海主要港口的集装箱吞吐量继续回升" in text
    assert "> ## 运力仍然紧张" in text
    assert "**舱位紧张**" in text and "[港口统计](https://data.example.org/ports)" in text
    assert "![集装箱码头](https://img.example.org/2026/11/port.jpg)" in text
    assert "广告" not in text and "分享到微信" not in text and "相关阅读" not in text
    assert text.rstrip().endswith(f'[原文地址]({URL}){{:target="_blank"}}')
