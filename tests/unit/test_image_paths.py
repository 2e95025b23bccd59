"""Where an article's images are saved: names the archiver makes, never taken from the URL
(the hostile page crawled for real: tests/e2e/test_hostile.py)."""

from __future__ import annotations

from datetime import UTC, datetime

from archiver.images import planned_paths
from archiver.items import Article, Image


def test_image_file_names_never_come_from_the_url():
    article = Article(
        source="jiemian",
        id="1",
        url="https://www.jiemian.com/article/1.html",
        title="t",
        published=datetime.now(UTC),
        body_html="<p>x</p>",
        cover=Image("https://img.jiemian.com/../../../etc/cover.php"),
        images=[
            "https://img.jiemian.com/a/..%2F..%2Fetc%2Fpasswd",
            "https://x/%00.jpg",
            "https://x/abc/evil.sh",
        ],
    )
    paths = [path for _, path in planned_paths(article, "img")]
    assert paths == [
        "img/jiemian/1/cover.jpg",
        "img/jiemian/1/01.jpg",
        "img/jiemian/1/02.jpg",
        "img/jiemian/1/03.jpg",
    ]
