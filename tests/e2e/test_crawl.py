"""End to end: ``scrapy crawl jiemian`` in a subprocess against the bundled site served on
127.0.0.1, as a user runs it; the posts it writes; a second run; the posts in real Jekyll."""

from __future__ import annotations

import json
from pathlib import Path

import frontmatter
import pytest

from archiver.demo.server import SITE, FixtureServer
from tests.support import jekyll as jc
from tests.support.crawl import run_crawl
from tests.support.fixtures import REFERENCE_POST, expected_files

pytestmark = pytest.mark.e2e

EXPECTED = {p.name.split(".")[0]: json.loads(p.read_text(encoding="utf-8")) for p in expected_files()}
#: What the site-wide feed and the first pages of lists 65 and 800 link to.
DEFAULT_RUN = {
    "14840233",
    "14837702",
    "14835210",
    "14831415",
    "14828876",
    "14826640",
    "14819087",
    "14712056",
}  # + 14790001 (paywalled) and 14800123 (video): dropped


def ids_of(posts: list[Path]) -> set[str]:
    return {p.stem.rsplit("-", 1)[1] for p in posts}


def snapshot(root: Path) -> dict[str, tuple[int, bytes]]:
    """Every file of the blog (posts and images; not the archiver's own state folder)."""
    return {
        str(p.relative_to(root)): (p.stat().st_mtime_ns, p.read_bytes())
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".archiver" not in p.parts
    }


@pytest.fixture(scope="module")
def default_run(tmp_path_factory):
    """No arguments: the site feed plus the first page of each default list, run twice."""
    out = tmp_path_factory.mktemp("default") / "blog"
    settings = {"JIEMIAN_DEFAULT_LISTS": "65,800"}
    with FixtureServer(SITE) as server:
        first = run_crawl(out, server.url, settings=settings)
        before = snapshot(out)
        first_hits = list(server.hits)
        server.hits.clear()
        second = run_crawl(out, server.url, settings=settings)
        second_hits = list(server.hits)
    return first, before, first_hits, second, second_hits, snapshot(out)


def test_first_run_archives_the_newest_articles(default_run):
    first = default_run[0]
    assert first.returncode == 0, first.log[-3000:]
    assert ids_of(first.posts) == DEFAULT_RUN
    assert first.stats["archiver/posts/new"] == len(DEFAULT_RUN)
    assert first.stats["archiver/dropped/paywalled"] == 1
    assert first.stats["archiver/dropped/video"] == 1
    assert "archiver/failed" not in first.stats
    assert "Dropped https://www.jiemian.com/article/14790001.html: paywalled" in first.log
    assert "Dropped https://www.jiemian.com/video/14800123.html: video page" in first.log


def test_posts_carry_the_article(default_run):
    for post_path in default_run[0].posts:
        expected = EXPECTED[post_path.stem.rsplit("-", 1)[1]]
        post = frontmatter.load(post_path)
        assert post_path.name.startswith(expected["published"][:10])
        assert post["title"] == expected["title"]
        assert post["subtitle"] == expected["lead"]
        assert post["author"] == expected["post_author"] != ""
        assert post["tags"] == expected["post_tags"]
        assert post.content.rstrip().endswith(f'[原文地址]({expected["url"]}){{:target="_blank"}}')
        for paragraph in expected["body_paragraphs"][:3]:
            assert paragraph[:12] in post.content.replace("\\", "")


def test_images_are_archived_beside_the_posts(default_run):
    first = default_run[0]
    root = first.output
    post = frontmatter.load(root / "_posts" / "2026-11-25-jiemian-14835210.md")
    assert post["header-img"] == "img/jiemian/14835210/cover.jpg"
    assert (root / post["header-img"]).stat().st_size > 1000
    for n, url in enumerate(EXPECTED["14835210"]["images"], start=1):
        ext = Path(url).suffix
        local = f"img/jiemian/14835210/{n:02d}{ext}"
        assert (root / local).is_file()
        assert f"]({{{{ site.baseurl }}}}/{local})" in post.content
        assert url not in post.content
    assert first.stats.get("archiver/images/failed") is None


def test_image_requests_send_the_article_as_referer(default_run):
    hits = default_run[2]
    image_hits = [(path, headers) for path, headers in hits if path.startswith("/101/")]
    assert image_hits
    for _path, headers in image_hits:
        assert headers.get("Referer", "").startswith("https://www.jiemian.com/article/")


def test_requests_name_the_project_and_only_hit_the_site(default_run):
    hits = default_run[2]
    assert hits[0][0] == "/robots.txt"
    for _, headers in hits:
        assert headers["User-Agent"].startswith("news-archiver/")


def test_second_run_fetches_no_archived_article_and_changes_no_file(default_run):
    _, before, _, second, second_hits, after = default_run
    assert second.returncode == 0
    assert after == before, "a file was added, removed or rewritten"
    fetched = {path for path, _ in second_hits if path.startswith(("/article/", "/video/", "/101/"))}
    assert fetched == set()
    # lists and feeds are asked for with the validators of the first run: nothing new
    assert second.stats["archiver/pages/not_modified"] == 3
    assert all(
        "If-None-Match" in headers
        for path, headers in second_hits
        if path.startswith(("/lists/", "/index.php"))
    )
    assert second.stats.get("archiver/posts/new") is None


@pytest.mark.jekyll
def test_crawled_posts_build_in_jekyll_and_show_the_article(default_run, tmp_path):
    root = default_run[0].output
    for baseurl in ("", "/blog"):
        build = jc.build_blog(root, tmp_path / f"site{baseurl.strip('/')}", baseurl=baseurl)
        assert build.ok, build.describe()
        assert jc.check_posts(build, default_run[0].posts) == []
        for post_path in default_run[0].posts:
            expected = EXPECTED[post_path.stem.rsplit("-", 1)[1]]
            view = build.view(post_path.name)
            assert view.title == expected["title"]
            assert view.subtitle == expected["lead"]
            assert view.author == expected["post_author"] != ""
            assert view.tags == expected["post_tags"]
            assert view.date_iso == expected["published"]
            assert jc.active_content(view.content_html) == []
            assert view.source_link_href == expected["url"] and view.source_link_target == "_blank"
            for paragraph in expected["body_paragraphs"]:
                assert jc.norm_ws(paragraph) in view.quote_paragraphs
            for src in view.images:
                assert jc.resolve_site_url(build.site_dir, src, baseurl) is not None, src
            if view.header_img:
                assert jc.resolve_site_url(build.site_dir, view.header_img, baseurl) is not None


def test_lists_are_paged_until_since(tmp_path):
    with FixtureServer(SITE) as server:
        result = run_crawl(tmp_path / "blog", server.url, "lists=65", "pages=5", "since=2026-01-01")
        paths = server.paths()
    assert ids_of(result.posts) == {"14835210", "14831415", "14712056"}
    pager = [p for p in paths if "ajax_news" in p]
    # page 3 holds 2018 and 2017 articles: they are skipped and paging stops there
    assert pager == [
        "/index.php?m=lists&a=ajax_news&cid=65&page=2",
        "/index.php?m=lists&a=ajax_news&cid=65&page=3",
    ]
    assert not any(p.startswith(("/article/2081436", "/article/1108857")) for p in paths)
    assert result.stats["archiver/skipped/older_than_since"] == 2


def test_list_pages_end_when_the_pager_is_empty(tmp_path):
    with FixtureServer(SITE) as server:
        result = run_crawl(tmp_path / "blog", server.url, "lists=800", "pages=9")
        pager = [p for p in server.paths() if "ajax_news" in p]
    assert pager[-1].endswith("page=3") and len(pager) == 2
    assert "1124578" in ids_of(result.posts)


def test_urls_file_with_comments_mobile_urls_and_ids(tmp_path):
    links = tmp_path / "links.txt"
    links.write_text(
        "# articles to keep\n"
        "https://m.jiemian.com/article/14712056.html   # mobile URL\n"
        "\n"
        "1124578\n"
        "https://www.jiemian.com/article/2081436.html#comments\n",
        encoding="utf-8",
    )
    with FixtureServer(SITE) as server:
        result = run_crawl(tmp_path / "blog", server.url, f"urls_file={links}")
    assert ids_of(result.posts) == {"14712056", "1124578", "2081436"}
    text = (tmp_path / "blog" / "_posts" / "2026-07-29-jiemian-14712056.md").read_text()
    assert "[原文地址](https://www.jiemian.com/article/14712056.html)" in text


def test_feed_of_a_list(tmp_path):
    with FixtureServer(SITE) as server:
        result = run_crawl(tmp_path / "blog", server.url, "feed=65")
        assert "/lists/65.rss" in server.paths()
    assert ids_of(result.posts) == {"14835210", "14831415", "14712056"}


def test_a_hand_made_post_of_the_blog_counts_as_archived(tmp_path):
    root = tmp_path / "blog"
    (root / "_posts").mkdir(parents=True)
    # the blog's own post, named its own way, known only by its 原文地址 link
    (root / "_posts" / "2017-02-11-jd-finance.md").write_bytes(REFERENCE_POST.read_bytes())
    with FixtureServer(SITE) as server:
        result = run_crawl(root, server.url, "ids=1108857")
        assert not any(p.startswith("/article/") for p in server.paths())
    assert [p.name for p in result.posts] == ["2017-02-11-jd-finance.md"]
    assert result.stats["archiver/skipped/already_archived"] == 1


def test_reference_blog_settings_reproduce_the_reference_post(tmp_path):
    with FixtureServer(SITE) as server:
        result = run_crawl(
            tmp_path / "blog",
            server.url,
            "url=http://www.jiemian.com/article/1108857.html",
            settings={"ARCHIVER_AUTHOR": "Sinter", "ARCHIVER_HEADER_IMG": "img/my-post/tech06.jpg"},
        )
    post = result.posts[0].read_text(encoding="utf-8")
    reference = REFERENCE_POST.read_text(encoding="utf-8")
    assert post.split("---\n")[1] == reference.split("---\n")[1]  # the front matter, byte for byte
