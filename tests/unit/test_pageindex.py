"""PageIndex answers exactly as lxml's cssselect and the XPath helpers it replaces."""

from __future__ import annotations

import pytest

from archiver.demo.server import SITE
from archiver.extract.dom import PageIndex, canonical_link, has_class, meta, parse_html, select

SELECTORS = [
    "div.article-header h1",
    "div.article-header",
    "div.article-info",
    "div.article-info span.author a",
    "div.article-info span.author",
    ".meta-container a",
    "div.main-mate a",
    "div.article-img",
    "div.article-content",
    "span.hit",
    "div.video-player",
    "div.article-video",
    ".news-view",
    "a",
    "div p",
    ".article-content p a",
    "ul li",
    "div.main-mate a, div.main-mate span a",  # not a chain: handed to cssselect
]
PAGES = sorted(SITE.glob("*/*.html")) + [SITE / "index.html"]

NESTED = """<html><head><meta name="author" content=" "><meta property="author" content="B">
<link rel="canonical"><link rel="canonical" href=" https://x/1 "></head><body>
<div class="x"><p>1<a>a</a></p><div class="x\ty"><p>2<a>b</a></p></div><p>3</p></div>
<div class="xx"><p>no</p></div><span class="x"><p>4</p></span><div class=" x "><p>5</p></div>
</body></html>"""


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_select_is_cssselect(page):
    tree = parse_html(page.read_text(encoding="utf-8"))
    index = PageIndex(tree)
    for css in SELECTORS:
        assert index.select(css) == select(tree, css), css
    for names in (
        ("og:title",),
        ("description", "og:description"),
        ("author",),
        ("og:url",),
        ("article:published_time",),
        ("nothing",),
    ):
        assert index.meta(*names) == meta(tree, *names)
    assert index.canonical_link() == canonical_link(tree)
    assert index.publish_time == tree.xpath("//*[@data-article-publish-time]")
    for cls in ("vip-mask", "article-vip", "ad", "nothing"):
        assert index.has_class(cls) == has_class(tree, cls)


def test_nested_and_odd_classes():
    tree = parse_html(NESTED)
    index = PageIndex(tree)
    for css in ("div.x p", "div.x p a", ".x p", "div.y p", ".x", "div.xx p", "p a"):
        assert index.select(css) == select(tree, css), css
    assert index.meta("author") == meta(tree, "author") == "B"
    assert index.canonical_link() == canonical_link(tree) == "https://x/1"
