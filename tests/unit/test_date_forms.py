"""The date forms real pages print (issue 14): European and English visible lines, a space
before the offset, URL dates, and an update line passed over for the publication."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from archiver.extract.dates import date_in_url, page_zone, parse_time_text

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize(
    ("text", "want", "has_time"),
    [
        ("publiziert am 25. September 2018", datetime(2018, 9, 25, tzinfo=BERLIN), False),
        ("06.01.2026", datetime(2026, 1, 6, tzinfo=BERLIN), False),
        ("Do 25.04.24 | 14:07 Uhr", datetime(2024, 4, 25, 14, 7, tzinfo=BERLIN), True),
        ("erstellt: 01. April 2025, 15:25", datetime(2025, 4, 1, 15, 25, tzinfo=BERLIN), True),
        ("05/10/2018", datetime(2018, 10, 5, tzinfo=BERLIN), False),
        ("Monday, November 18th, 2019 at 11:08 a.m.", datetime(2019, 11, 18, 11, 8, tzinfo=BERLIN), True),
        ("5 de mayo de 2024 a las 10:30", datetime(2024, 5, 5, 10, 30, tzinfo=BERLIN), True),
    ],
)
def test_visible_forms(text, want, has_time):
    found = parse_time_text(text, BERLIN)
    assert found is not None and found.value == want and found.has_time is has_time


def test_an_offset_after_a_space_is_kept():
    found = parse_time_text("2024-04-30 16:38:37 +02:00", UTC)
    assert found.value.utcoffset() == timedelta(hours=2)
    assert found.value == datetime(2024, 4, 30, 16, 38, 37, tzinfo=timezone(timedelta(hours=2)))


def test_an_update_line_is_passed_over_for_the_publication():
    found = parse_time_text("Aktualisiert am 06.01.2026 um 12:00 Uhr · erstellt 05.01.2026 10:00", BERLIN)
    assert found.value == datetime(2026, 1, 5, 10, 0, tzinfo=BERLIN)


def test_american_pages_read_month_first():
    assert parse_time_text("05/10/2018", UTC, month_first=True).value == datetime(2018, 5, 10, tzinfo=UTC)


def test_numbers_that_are_not_dates_are_not_read():
    for text in ("growth of 2024 3.5 percent", "version 1.2.3", "score 3-1"):
        assert parse_time_text(text, UTC) is None, text


def test_dates_in_urls():
    assert date_in_url("https://x.example/2019/11/19/story", UTC) == datetime(2019, 11, 19, tzinfo=UTC)
    assert date_in_url("https://www.theguardian.com/world/2019/nov/18/story", UTC) == datetime(
        2019, 11, 18, tzinfo=UTC
    )
    assert date_in_url("https://x.example/news/story-12345", UTC) is None


def test_the_page_zone_by_country_domain_then_language():
    assert page_zone("www.spiegel.de", "de") == BERLIN
    assert page_zone("www.dw.com", "de") == BERLIN
    assert page_zone("news.sina.com.cn", "zh") == ZoneInfo("Asia/Shanghai")
    assert page_zone("www.reuters.com", "en") == UTC


def test_a_declared_time_the_page_prints_as_its_update_is_passed_over_for_the_printed_publication():
    """Baidu's JSON-LD ``pubDate`` holds the time of the "最后更新" line; the date line
    under the headline holds the publication."""
    from archiver.extract import generic
    from tests.support.fixtures import ROOT

    html = (ROOT / "tests" / "fixtures" / "dates" / "zh-update-in-jsonld.html").read_text(encoding="utf-8")
    article = generic.parse(html, "https://www.jiangnan-guancha.example/news/2019_09_07_516678.shtml")
    assert article.title == "江阴大桥北接线今起分段封闭施工 绕行路线公布"
    assert article.published == datetime(2019, 9, 7, 15, 10, 53, tzinfo=ZoneInfo("Asia/Shanghai"))
