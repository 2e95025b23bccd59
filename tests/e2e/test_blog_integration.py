"""The blog owner's side: settings that shape the posts, archived images, the blog's
_config.yml. Crawled for real against the bundled site on 127.0.0.1."""

from __future__ import annotations

import json

import frontmatter
import pytest

from archiver.demo.server import SITE, Canned, FixtureServer
from tests.support.crawl import run_crawl

pytestmark = pytest.mark.e2e

COVERED = "14835210"  # cover + three body images
EXPECTED = json.loads((SITE / "article" / f"{COVERED}.expected.json").read_text(encoding="utf-8"))
POST = f"2026-11-25-jiemian-{COVERED}.md"
POOL = ",".join(f"img/my-post/tech{n:02d}.jpg" for n in range(1, 11))


def image_path(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def test_a_failed_image_keeps_its_original_url_and_never_drops_the_post(tmp_path):
    broken = EXPECTED["images"][1]
    with FixtureServer(SITE, {image_path(broken): Canned(404, b"no")}) as server:
        result = run_crawl(tmp_path / "blog", server.url, f"ids={COVERED}")
    post = (tmp_path / "blog" / "_posts" / POST).read_text(encoding="utf-8")
    assert f"]({broken})" in post
    assert "]({{ site.baseurl }}/img/jiemian/14835210/01.jpg)" in post
    assert not (tmp_path / "blog" / "img" / "jiemian" / COVERED / "02.jpg").exists()
    assert result.stats["archiver/images/failed"] == 1
    assert result.stats["archiver/images/archived"] == 3  # cover + two body images
    assert f"Image not archived, the post keeps its original URL: {broken}" in result.log


def test_an_archived_image_is_not_downloaded_again(tmp_path):
    with FixtureServer(SITE) as server:
        run_crawl(tmp_path / "blog", server.url, f"ids={COVERED}")
        (tmp_path / "blog" / "_posts" / POST).unlink()  # the post goes, its images stay
        server.hits.clear()
        result = run_crawl(tmp_path / "blog", server.url, f"ids={COVERED}")
        image_hits = [p for p in server.paths() if p.startswith("/101/")]
    assert image_hits == []
    assert result.stats["archiver/images/archived"] == 4
    assert (tmp_path / "blog" / "_posts" / POST).exists()


def test_images_off_links_the_originals(tmp_path):
    with FixtureServer(SITE) as server:
        run_crawl(tmp_path / "blog", server.url, f"ids={COVERED}", settings={"ARCHIVER_IMAGES": "False"})
        assert not any(p.startswith("/101/") for p in server.paths())
    post = frontmatter.load(tmp_path / "blog" / "_posts" / POST)
    for url in EXPECTED["images"]:
        assert f"]({url})" in post.content
    assert "header-img" not in post.metadata  # no archived cover and no pool: no header picture
    assert not (tmp_path / "blog" / "img").exists()


def test_owner_settings_shape_the_front_matter(tmp_path):
    settings = {
        "ARCHIVER_AUTHOR": "Sinter",
        "ARCHIVER_HEADER_IMG": "pool",
        "ARCHIVER_HEADER_IMG_POOL": POOL,
        "ARCHIVER_HEADER_MASK": "0.5",
        "ARCHIVER_CATALOG": "False",
        "ARCHIVER_TAG_CATEGORY": "True",
        "ARCHIVER_EXTRA_FRONT_MATTER": "True",
        "ARCHIVER_FILENAME_STYLE": "id-pinyin",
    }
    with FixtureServer(SITE) as server:
        result = run_crawl(tmp_path / "blog", server.url, f"ids={COVERED}", settings=settings)
    [path] = result.posts
    assert (
        path.name
        == "2026-11-25-jiemian-14835210-da-mo-xing-jia-ge-zhan-jin-ru-di-san-nian-tui-li-suan-li-zu.md"
    )
    post = frontmatter.load(path)
    assert post["author"] == "Sinter"
    assert post["header-img"] in POOL.split(",")
    assert post["header-mask"] == 0.5 and post["catalog"] is False
    assert post["tags"] == ["界面新闻", "科技"]
    assert post["source_url"] == EXPECTED["url"] and post["source_id"] == COVERED
    assert post["byline"] == "刘晓宇/陈思源" and post["category"] == "科技"


def test_changing_the_file_name_style_never_duplicates(tmp_path):
    with FixtureServer(SITE) as server:
        run_crawl(
            tmp_path / "blog", server.url, f"ids={COVERED}", settings={"ARCHIVER_FILENAME_STYLE": "id-pinyin"}
        )
        result = run_crawl(tmp_path / "blog", server.url, f"ids={COVERED}")
    assert len(result.posts) == 1
    assert result.stats["archiver/skipped/already_archived"] == 1


@pytest.mark.parametrize(
    "config, warned",
    [
        ("title: Blog\ntimezone: Asia/Shanghai\n", False),
        ("title: Blog\ntimezone: UTC\n", True),
        ("title: Blog\n", True),
    ],
)
def test_a_blog_config_in_another_time_zone_is_warned_about_once(tmp_path, config, warned):
    root = tmp_path / "blog"
    root.mkdir()
    (root / "_config.yml").write_text(config, encoding="utf-8")
    with FixtureServer(SITE) as server:
        result = run_crawl(root, server.url, "ids=14840233,14837702")
    lines = [line for line in result.log.splitlines() if "_config.yml" in line and "WARNING" in line]
    assert len(lines) == (1 if warned else 0), lines
    if warned:
        assert "set 'timezone: Asia/Shanghai' in _config.yml" in lines[0]
    assert len(result.posts) == 2  # a warning, not a refusal
