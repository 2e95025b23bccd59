"""Every image a post links exists, whatever other articles share it (issue 13, item 3).

A copy of the bundled site where 14837702 uses 14835210's cover as its own cover and
14835210's first body image in its body: one crawl of both over HTTP on 127.0.0.1, then
``archiver rebuild`` from the WARC archive, which must give the same bytes.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import frontmatter
import pytest

from archiver.demo.server import SITE, FixtureServer
from tests.support.crawl import run_archiver
from tests.support.fixtures import ROOT

pytestmark = pytest.mark.e2e

COVER = "https://img.jiemian.com/101/original/20261125/1795565810225406_a580xH.jpg"
BODY_IMAGE = "https://img.jiemian.com/101/original/20261125/1795566518771902_a580xH.jpg"
OWN_COVER = "https://img.jiemian.com/101/original/20261126/1795659878640518_a580xH.jpg"
IDS = "ids=14835210,14837702"
LINK = re.compile(r"\{\{ site\.baseurl \}\}/(img/[^)\s]+)")


def shared_site(tmp: Path) -> Path:
    site = tmp / "site"
    shutil.copytree(SITE, site)
    page = site / "article" / "14837702.html"
    html = page.read_text(encoding="utf-8")
    assert OWN_COVER in html and "<p>资金端同样出现分化" in html
    html = html.replace(OWN_COVER, COVER)
    html = html.replace(
        "<p>资金端同样出现分化", f'<p><img src="{BODY_IMAGE}" alt=""></p>\n<p>资金端同样出现分化', 1
    )
    page.write_text(html, encoding="utf-8")
    return site


def linked_images(blog: Path) -> dict[str, list[str]]:
    links = {}
    for post_path in sorted((blog / "_posts").glob("*.md")):
        post = frontmatter.load(post_path)
        links[post_path.name] = [post["header-img"], *LINK.findall(post.content)]
    return links


def posts(blog: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((blog / "_posts").glob("*.md"))}


def rebuild(blog: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "archiver.cli", "rebuild", "-s", f"ARCHIVER_OUTPUT={blog}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        stdin=subprocess.DEVNULL,
    )


def test_two_articles_sharing_images_each_link_a_file_that_exists_and_rebuild_gives_the_same_bytes(tmp_path):
    blog = tmp_path / "blog"
    with FixtureServer(shared_site(tmp_path)) as server:
        status, printed, report = run_archiver(blog, server.url, IDS)
        image_hits = [path for path, _ in server.hits if path.startswith("/101/")]
    assert status == 0, printed
    assert report["summary"]["new"] == 2
    assert image_hits.count(COVER.split("jiemian.com", 1)[1]) == 1, "a shared image is fetched once"

    links = linked_images(blog)
    assert links["2026-11-26-jiemian-14837702.md"][:2] == [
        "img/jiemian/14837702/cover.jpg",
        "img/jiemian/14837702/01.jpg",
    ]
    for name, paths in links.items():
        for path in paths:
            assert (blog / path).is_file(), f"{name} links {path}, which is not in the blog"
    assert (blog / "img/jiemian/14837702/cover.jpg").read_bytes() == (
        blog / "img/jiemian/14835210/cover.jpg"
    ).read_bytes()
    assert (blog / "img/jiemian/14837702/01.jpg").read_bytes() == (
        blog / "img/jiemian/14835210/01.jpg"
    ).read_bytes()

    crawled = posts(blog)
    again = rebuild(blog)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "unchanged: 2" in again.stdout
    assert posts(blog) == crawled

    for post in (blog / "_posts").glob("*.md"):
        post.unlink()
    fresh = rebuild(blog)
    assert fresh.returncode == 0, fresh.stdout + fresh.stderr
    assert posts(blog) == crawled, "rebuilt from the WARC archive, byte for byte"


def test_an_articles_ads_are_never_fetched_and_never_reach_the_post(tmp_path):
    """Issue 13, item 1, over HTTP: the page with an ad of each shape (tests/fixtures/jiemian/
    ads-in-body.html) served as 14837702; the server sees no request for an ad's image."""
    site = tmp_path / "site"
    shutil.copytree(SITE, site)
    fixture = ROOT / "tests" / "fixtures" / "jiemian" / "ads-in-body.html"
    shutil.copy(fixture, site / "article" / "14837702.html")
    blog = tmp_path / "blog"
    with FixtureServer(site) as server:
        status, printed, report = run_archiver(blog, server.url, "ids=14837702")
        fetched = [path for path, _ in server.hits]
    assert status == 0, printed
    assert report["summary"]["new"] == 1
    assert not [p for p in fetched if "promo_90018" in p or "miaozhen_2001456" in p or "/creative/" in p]
    assert any(p.endswith("1795659878640518_a580xH.jpg") for p in fetched), "the cover is fetched"
    [post] = (blog / "_posts").glob("*.md")
    text = post.read_text(encoding="utf-8")
    for ad in ("【推广】", "赞助", "年末钜惠", "AD：", "adx.jiemian.com", "miaozhen"):
        assert ad not in text, ad
    assert "广告投放预算" in text
    log = Path(report["log"]).read_text(encoding="utf-8")
    assert log.count("Ad removed: ") == 5 and log.count("Ad with no text removed: ") == 2
