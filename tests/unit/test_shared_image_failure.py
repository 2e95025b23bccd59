"""An image that fails for one article and is archived for another (issue 13, item 3's bad
input): the images pipeline's verdict per article, on real files in a blog folder."""

from __future__ import annotations

import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from scrapy.utils.test import get_crawler
from test_authors import project_settings
from twisted.python.failure import Failure

from archiver.images import ImagesPipeline
from archiver.items import Article, Image

SHARED = "https://img.jiemian.com/101/original/20261125/1795565810225406_a580xH.jpg"


def article(article_id: str) -> Article:
    return Article(
        source="jiemian",
        id=article_id,
        url=f"https://www.jiemian.com/article/{article_id}.html",
        title="标题",
        published=datetime(2026, 11, 25, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")),
        body_html=f'<p>正文</p><p><img src="{SHARED}"></p>',
        cover=Image(SHARED),
        images=[SHARED],
    )


def pipeline(blog):
    settings = {
        **dict(project_settings(ARCHIVER_OUTPUT=str(blog))),
        "TWISTED_REACTOR_ENABLED": False,
        "EXTENSIONS": {},
    }
    crawler = get_crawler(settings_dict=settings)
    crawler.stats.open_spider()
    return ImagesPipeline.from_crawler(crawler), crawler.stats


def failed() -> Failure:
    return Failure(OSError("HTTP 503 from the image host"))


def test_a_failure_for_one_article_is_mended_from_the_copy_of_another(tmp_path, caplog):
    images, stats = pipeline(tmp_path)
    first = article("1")
    (tmp_path / "img/jiemian/1").mkdir(parents=True)
    (tmp_path / "img/jiemian/1/cover.jpg").write_bytes(b"\xff\xd8shared")
    ok = {"url": SHARED, "path": "img/jiemian/1/cover.jpg", "checksum": "x", "status": "downloaded"}
    done = images.item_completed([(True, ok), (True, ok)], first, None)
    assert done.local_images == {SHARED: "img/jiemian/1/01.jpg"}
    assert (tmp_path / "img/jiemian/1/01.jpg").read_bytes() == b"\xff\xd8shared"

    with caplog.at_level(logging.WARNING):
        second = images.item_completed([(False, failed()), (False, failed())], article("2"), None)
    assert second.local_images == {SHARED: "img/jiemian/2/01.jpg"}
    assert (tmp_path / "img/jiemian/2/cover.jpg").read_bytes() == b"\xff\xd8shared"
    assert (tmp_path / "img/jiemian/2/01.jpg").read_bytes() == b"\xff\xd8shared"
    assert stats.get_value("archiver/images/shared_failure") == 2
    assert stats.get_value("archiver/images/failed") is None
    assert any(
        f"Image {SHARED} failed for https://www.jiemian.com/article/2.html but was archived for another article"
        in r.getMessage()
        for r in caplog.records
    )


def test_a_failure_shared_from_another_article_keeps_this_articles_own_copy(tmp_path, caplog):
    images, stats = pipeline(tmp_path)
    (tmp_path / "img/jiemian/3").mkdir(parents=True)
    for name in ("cover.jpg", "01.jpg"):
        (tmp_path / "img/jiemian/3" / name).write_bytes(b"\xff\xd8mine")
    with caplog.at_level(logging.WARNING):
        done = images.item_completed([(False, failed()), (False, failed())], article("3"), None)
    assert done.local_images == {SHARED: "img/jiemian/3/01.jpg"}
    assert stats.get_value("archiver/images/shared_failure") == 2
    assert "holds it: the post links it" in caplog.text


def test_a_failure_nobody_archived_leaves_the_original_url(tmp_path, caplog):
    images, stats = pipeline(tmp_path)
    with caplog.at_level(logging.WARNING):
        done = images.item_completed([(False, failed()), (False, failed())], article("4"), None)
    assert done.local_images == {}
    assert stats.get_value("archiver/images/failed") == 2
    assert "Image not archived, the post keeps its original URL" in caplog.text
    assert not (tmp_path / "img/jiemian/4").exists()
