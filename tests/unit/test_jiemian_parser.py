"""The jiemian parser on whole saved-style pages of both markups, field by field.

Each ``archiver/demo/site/<kind>/<id>.html`` has ``<id>.expected.json`` beside it.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import lxml.html
import pytest

from archiver.extract.dom import squash
from archiver.items import ParseError
from archiver.render.markdown import body_to_markdown
from archiver.sites import jiemian
from tests.support.fixtures import expected_files, page_of

FIELDS = [
    "source",
    "id",
    "url",
    "title",
    "lead",
    "authors",
    "source_name",
    "published",
    "views",
    "category",
    "tags",
    "site_name",
    "cover",
    "images",
    "paywalled",
    "video",
]
CASES = [(p, json.loads(p.read_text(encoding="utf-8"))) for p in expected_files()]
ARTICLES = [(p, e) for p, e in CASES if "error_field" not in e]
ERRORS = [(p, e) for p, e in CASES if "error_field" in e]


def _id(case):
    return case[0].name.split(".")[0]


_cache: dict[Path, object] = {}


def parsed(path: Path, expected: dict):
    if path not in _cache:
        html = page_of(path).read_text(encoding="utf-8")
        _cache[path] = jiemian.parse(html, expected["served_at"])
    return _cache[path]


def test_fixture_set_covers_both_markups_and_is_realistic():
    assert len(ARTICLES) >= 8
    years = {json.loads(p.read_text())["published"][:4] for p, _ in ARTICLES}
    assert "2017" in years and "2026" in years
    for path, _ in CASES:
        page = page_of(path).read_bytes()
        assert 30_000 <= len(page) <= 160_000, f"{page_of(path).name}: {len(page)} bytes"
        assert "\ufffd" not in page.decode("utf-8"), "mojibake in fixture"
        assert (b"<script" in page and b"<nav" in page) or b'class="nav' in page


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("case", ARTICLES, ids=_id)
def test_field(case, field):
    path, expected = case
    article = parsed(path, expected)
    value = getattr(article, field)
    if field == "published":
        assert value.utcoffset() == timedelta(hours=8), "timezone-aware, Asia/Shanghai"
        assert value == datetime.fromisoformat(expected[field])
    elif field == "cover":
        assert (None if value is None else {"url": value.url, "caption": value.caption}) == expected[field]
    else:
        assert value == expected[field]


@pytest.mark.parametrize("case", ARTICLES, ids=_id)
def test_body_paragraphs_in_order(case):
    path, expected = case
    body = lxml.html.fragment_fromstring(
        parsed(path, expected).body_html or "<div></div>", create_parent="div"
    )
    paragraphs = [squash(p.text_content()) for p in body.iter("p")]
    assert [p for p in paragraphs if p] == expected["body_paragraphs"]


@pytest.mark.parametrize("case", ARTICLES, ids=_id)
def test_body_keeps_structure_and_loses_chrome(case):
    path, expected = case
    article = parsed(path, expected)
    text = squash(
        lxml.html.fragment_fromstring(article.body_html or "<div></div>", create_parent="div").text_content()
    )
    for wanted in expected.get("body_contains", []):
        assert squash(wanted) in text
    for unwanted in expected.get("body_excludes", []):
        assert unwanted not in text
        assert unwanted not in body_to_markdown(article.body_html)
    for tag in ("<script", "<style", "<iframe", "onclick", "data-src", "data-original"):
        assert tag not in article.body_html


@pytest.mark.parametrize("case", ERRORS, ids=_id)
def test_page_without_article_markup_raises_a_parse_error_naming_the_field(case):
    path, expected = case
    html = page_of(path).read_text(encoding="utf-8")
    with pytest.raises(ParseError) as error:
        jiemian.parse(html, expected["served_at"])
    assert error.value.field == expected["error_field"]
    assert expected["error_field"] in str(error.value)


def test_mobile_urls_are_canonicalised_to_www():
    assert (
        jiemian.canonical_url("https://m.jiemian.com/article/14841105.html")
        == "https://www.jiemian.com/article/14841105.html"
    )
    assert jiemian.key_from_url("http://m.jiemian.com/article/14841105.html") == "jiemian-14841105"
    assert jiemian.key_from_url("https://www.jiemian.com/lists/65.html") is None
    assert jiemian.key_from_url("https://www.example.com/article/1.html") is None


def test_views_in_wan():
    assert jiemian.parse_views("23.2W") == 232_000
    assert jiemian.parse_views("1.5万") == 15_000
    assert jiemian.parse_views("8,563") == 8563
    assert jiemian.parse_views("") is None


def test_list_dates_relative_and_short():
    now = datetime(2026, 11, 27, 10, 0, tzinfo=jiemian.TZ)
    assert jiemian.parse_list_date("10分钟前", now) == now - timedelta(minutes=10)
    assert jiemian.parse_list_date("2小时前", now) == now - timedelta(hours=2)
    assert jiemian.parse_list_date("昨天 12:34", now) == datetime(2026, 11, 26, 12, 34, tzinfo=jiemian.TZ)
    assert jiemian.parse_list_date("今天 09:00", now) == datetime(2026, 11, 27, 9, 0, tzinfo=jiemian.TZ)
    assert jiemian.parse_list_date("11/19 15:30", now) == datetime(2026, 11, 19, 15, 30, tzinfo=jiemian.TZ)
    assert jiemian.parse_list_date("12/30 15:30", now) == datetime(2025, 12, 30, 15, 30, tzinfo=jiemian.TZ)
    assert jiemian.parse_list_date("2017/02/11 15:35", now) == datetime(
        2017, 2, 11, 15, 35, tzinfo=jiemian.TZ
    )
    assert jiemian.parse_list_date("不是日期", now) is None


@pytest.mark.parametrize(
    "html",
    [
        "",
        "   ",
        "<html><body><p>维护中</p></body></html>",
        "<?xml version='1.0' encoding='utf-8'?><html></html>",
    ],
)
def test_pages_that_are_not_articles_raise_parse_error(html):
    with pytest.raises(ParseError):
        jiemian.parse(html, "https://www.jiemian.com/article/1.html")
