"""Article.content_hash() is the hash of the article's JSON (to_json()) less what the
article does not say: the state database holds these hashes, so they must never change."""

from __future__ import annotations

import hashlib
import json

from archiver.demo.server import SITE
from archiver.items import ParseError
from archiver.sites import jiemian


def _reference(article) -> str:
    data = article.to_json()
    for name in ("local_images", "refresh", "notes"):
        data.pop(name)
    raw = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def test_hash_is_that_of_the_articles_json():
    pages = sorted(SITE.glob("article/*.html"))
    assert pages
    covers = parsed = 0
    for page in pages:
        try:
            article = jiemian.parse(
                page.read_text(encoding="utf-8"), f"https://www.jiemian.com/article/{page.stem}.html"
            )
        except ParseError:  # the demo's broken pages
            continue
        parsed += 1
        covers += article.cover is not None
        assert article.content_hash() == _reference(article)
        before = article.content_hash()
        article.local_images = {"https://x/1.jpg": "img/jiemian/1/1.jpg"}
        article.refresh = True
        article.notes = [("ad", "Ad removed")]
        assert article.content_hash() == before  # what the run did is not what it says
        if article.cover is not None:
            article.cover = None
            assert article.content_hash() == _reference(article) != before
    assert parsed > 10 and covers  # pages with and without a cover
