"""End to end: ``scrapy crawl article`` over real HTTP (127.0.0.1) on whole pages in the
styles of ten outlets plus a jiemian page and pages that are not articles; the posts it
writes; a second run; the posts built by the real Jekyll and read as a reader sees them."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import frontmatter
import pytest

from archiver.demo.server import SITE, Canned, FixtureServer
from archiver.extract.urls import key_from_url
from tests.support import jekyll as jc
from tests.support.crawl import run_crawl
from tests.support.fixtures import image_urls, page_bytes, served_path, truth

pytestmark = pytest.mark.e2e

PAGES = [
    "thepaper-2",
    "36kr-1",
    "huxiu-1",
    "caixin-1",
    "sina-2",
    "163-3",
    "people-1",
    "xinhuanet-1",
    "guancha-1",
    "ifeng-1",
    "reuters-2",
    "bbc-1",
]
NOT_ARTICLES = {
    "neg-js-36kr": "no article text without JavaScript",
    "neg-list-sina": "a list or home page",
    "neg-about-people": "no publication time",
}
JIEMIAN_URL = "https://www.jiemian.com/article/1108857.html"
HOME_URL = "https://www.thepaper.cn/"
SHANGHAI = ZoneInfo("Asia/Shanghai")


def canned_site() -> dict:
    picture = next(SITE.glob("101/original/*/*.jpg")).read_bytes()
    canned = {}
    for name in PAGES + list(NOT_ARTICLES):
        canned[served_path(truth(name)["url"])] = Canned(
            200, page_bytes(name), {"Content-Type": truth(name)["content_type"]}
        )
        for url in image_urls(name):
            canned[served_path(url)] = Canned(200, picture, {"Content-Type": "image/jpeg"})
    canned[served_path(JIEMIAN_URL)] = Canned(
        200, (SITE / "article" / "1108857.html").read_bytes(), {"Content-Type": "text/html; charset=utf-8"}
    )
    return canned


def post_name(name: str) -> str:
    day = datetime.fromisoformat(truth(name)["published"]).astimezone(SHANGHAI).strftime("%Y-%m-%d")
    return f"{day}-{key_from_url(truth(name)['url'])}.md"


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    root = tmp_path_factory.mktemp("article")
    links = root / "links.txt"
    urls = [truth(n)["url"] for n in PAGES + list(NOT_ARTICLES)] + [JIEMIAN_URL, HOME_URL]
    links.write_text("# articles from many outlets\n" + "\n".join(urls) + "\n", encoding="utf-8")
    with FixtureServer(root, canned=canned_site()) as server:
        settings = {"ARTICLE_ORIGIN": server.url}
        first = run_crawl(
            root / "blog", server.url, f"urls_file={links}", spider="article", settings=settings
        )
        server.hits.clear()
        second = run_crawl(
            root / "blog", server.url, f"urls_file={links}", spider="article", settings=settings
        )
        second_paths = server.paths()
    return first, second, second_paths


def test_one_post_per_article_named_by_source_and_id(runs):
    first = runs[0]
    assert first.returncode == 0, first.log[-3000:]
    names = {p.name for p in first.posts}
    assert names == {post_name(n) for n in PAGES} | {"2017-02-11-jiemian-1108857.md"}
    assert first.stats["archiver/posts/new"] == len(PAGES) + 1


def test_pages_that_are_not_articles_get_a_reason_and_no_post(runs):
    first = runs[0]
    for name, reason in NOT_ARTICLES.items():
        assert re.search(rf"Failed {re.escape(truth(name)['url'])}: .*{re.escape(reason)}", first.log), name
    assert f"Failed {HOME_URL}: a site's front page, not an article" in first.log
    assert first.stats["archiver/failed"] == len(NOT_ARTICLES) + 1


def test_posts_carry_title_time_tag_and_link(runs):
    posts = runs[0].output / "_posts"
    for name in PAGES:
        post = frontmatter.load(posts / post_name(name))
        expected = truth(name)
        assert post["title"] == expected["title"]
        assert post["tags"] == [expected["site_name"]]
        published = datetime.fromisoformat(expected["published"]).astimezone(SHANGHAI)
        assert post["date"] == published.strftime("%Y/%m/%d %H:%M")
        assert post.content.startswith(f"**{published:%Y/%m/%d %H:%M}**")
        assert re.search(r"\[原文地址\]\(https?://[^)]+\)\{:target=\"_blank\"\}\s*$", post.content)
    jiemian = frontmatter.load(posts / "2017-02-11-jiemian-1108857.md")
    assert jiemian["tags"] == ["界面新闻"]


def test_body_images_are_archived_in_the_blog(runs):
    root = runs[0].output
    post = (root / "_posts" / post_name("thepaper-2")).read_text(encoding="utf-8")
    assert truth("thepaper-2")["images"]
    local = re.findall(r"\{\{ site.baseurl \}\}/(img/thepaper/26498877/\d+\.jpg)", post)
    assert local and all((root / path).is_file() for path in local)


def test_second_run_fetches_no_archived_article(runs):
    _, second, paths = runs
    assert second.returncode == 0
    assert second.stats.get("archiver/posts/new") is None
    fetched = {p for p in paths if p != "/robots.txt"}
    archived = {served_path(truth(n)["url"]) for n in PAGES} | {served_path(JIEMIAN_URL)}
    assert not fetched & archived, fetched & archived


@pytest.mark.jekyll
def test_posts_build_in_jekyll_and_show_the_articles(runs, tmp_path):
    root = runs[0].output
    build = jc.build_blog(root, tmp_path / "site")
    assert build.ok, build.describe()
    assert jc.check_posts(build, runs[0].posts) == []
    for name in PAGES:
        expected = truth(name)
        view = build.view(post_name(name))
        assert view.title == expected["title"]
        assert view.tags == [expected["site_name"]]
        assert jc.active_content(view.content_html) == [], name
        assert view.source_link_target == "_blank"
        assert key_from_url(view.source_link_href) == key_from_url(expected["url"])
        shown = "".join(view.content_text.split())
        for paragraph in expected["text"].split("\n"):
            assert "".join(paragraph.split()) in shown, (name, paragraph[:30])
        for src in view.images:
            assert jc.resolve_site_url(build.site_dir, src, "") is not None, src
