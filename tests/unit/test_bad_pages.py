"""Bad input for the generic parser (issue 14), whole pages: each page that is no article
gets its true reason and no article; a huge page, or an article nested a thousand levels
deep, is read without a RecursionError; a real article in an ASP.NET page-wide <form>, inside <aside> or after a
stray </html> is read."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from archiver.evaluate import html_text
from archiver.extract import generic
from archiver.extract.encoding import decode_html
from archiver.items import ParseError
from tests.support.fixtures import ROOT

PAGES = ROOT / "tests" / "fixtures"
ARTICLE = (PAGES / "undated" / "undated-article.html").read_text(encoding="utf-8")
URL = "https://www.westcoast-courier.example/news/harbour-ferry-returns-12345"
FETCHED = datetime(2026, 1, 1, tzinfo=UTC)


def refusal(html: str) -> str:
    with pytest.raises(ParseError) as caught:
        generic.parse(html, URL, fetched=FETCHED)
    return str(caught.value)


@pytest.mark.parametrize(
    ("page", "reason"),
    [
        ("nav-only.html", "characters of links (navigation, lists): a list or home page"),
        ("login-wall.html", "a login wall"),
        ("cookie-wall.html", "a cookie wall"),
        ("picture-gallery.html", "a picture gallery (16 pictures), not an article with text"),
    ],
)
def test_pages_that_are_no_article_get_their_true_reason(page, reason):
    assert reason in refusal((PAGES / "badpages" / page).read_text(encoding="utf-8"))


@pytest.mark.parametrize("codec", ["cp037", "utf-16-le"])
def test_a_page_in_an_undeclared_charset_is_refused_as_unreadable(codec):
    raw = ARTICLE.encode(codec)
    assert "unreadable text" in refusal(decode_html(raw, "text/html; charset=utf-8"))


@pytest.mark.parametrize("wrapper", ["<div>", '<div class="wrap">', "<span>"])
def test_an_article_nested_a_thousand_levels_deep_is_read(wrapper):
    """Deeper than libxml2's default limit (256 levels: the rest would be lost), as
    wrappers a template never closes make a page: read whole, with no RecursionError."""
    start = ARTICLE.index('<div class="entry-content">')
    deep = generic.parse(ARTICLE[:start] + wrapper * 1000 + ARTICLE[start:], URL, fetched=FETCHED)
    whole = generic.parse(ARTICLE, URL, fetched=FETCHED)
    assert deep.title == whole.title
    assert html_text(deep.body_html) == html_text(whole.body_html)
    if wrapper == "<div>":  # anonymous wrappers go, the article's own markup stays
        assert deep.body_html == whole.body_html


def test_a_page_nested_deeper_than_libxml2_reads_is_refused_without_recursion_error():
    start = ARTICLE.index('<div class="entry-content">')
    deep = ARTICLE[:start] + "<div>" * 3000 + ARTICLE[start:]
    assert "nested deeper than 2048 levels" in refusal(deep)


def test_a_five_megabyte_page_is_read():
    filler = "<p>" + "A line of the council's minutes, read into the record at length. " * 20 + "</p>"
    big = ARTICLE.replace("</main>", '<section class="archive">' + filler * 4000 + "</section></main>")
    assert len(big.encode()) > 5_000_000
    article = generic.parse(big, URL, fetched=FETCHED)
    assert article.title == "Harbour ferry returns after a winter of repairs"


def test_an_article_wrapped_whole_in_a_form_is_read():
    body = ARTICLE.index("<body")
    page = ARTICLE.replace("<main", '<form method="post" action="./story.aspx" id="aspnetForm"><main', 1)
    page = page.replace("</footer>", "</footer></form>", 1)
    assert page.index("<form") > body
    article = generic.parse(page, URL, fetched=FETCHED)
    assert "century-old harbour ferry" in article.body_html
    assert "well-wishers across the narrows" in article.body_html


@pytest.mark.parametrize(
    "stray",
    [
        "</body></html>",  # libxml2 opens a second <html> for what follows
        "</html>\n<!--end header-->\n",
        "</body>",  # libxml2 puts what follows beside <body>
    ],
)
def test_an_article_after_a_stray_end_of_page_is_read(stray):
    """Pages assembled from includes: the header's include ends the page before the
    article. An HTML5 parser (a browser) puts what follows in the body; so does this one."""
    at = ARTICLE.index('<main id="content">')
    article = generic.parse(ARTICLE[:at] + stray + ARTICLE[at:], URL, fetched=FETCHED)
    whole = generic.parse(ARTICLE, URL, fetched=FETCHED)
    assert article.title == whole.title
    assert article.body_html == whole.body_html


def test_an_article_inside_aside_is_read():
    page = ARTICLE.replace('<main id="content">', '<main id="content"><aside class="story-wrap">', 1)
    page = page.replace("</article>", "</article></aside>", 1)
    article = generic.parse(page, URL, fetched=FETCHED)
    assert "shipwrights replaced a third of her planking" in article.body_html


def test_an_undated_article_is_dated_by_the_fetch_and_says_so():
    article = generic.parse(ARTICLE, URL, fetched=FETCHED)
    assert article.published == FETCHED and article.date_source == "fetched"
    article = generic.parse(ARTICLE, URL, last_modified=datetime(2020, 3, 3, tzinfo=UTC), fetched=FETCHED)
    assert article.date_source == "last_modified"
