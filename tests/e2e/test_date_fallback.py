"""Item 3 of issue 14, end to end: a real article whose page prints no publication time is
archived, dated by its URL, else the HTTP ``Last-Modified``, else the fetch time; a WARNING
and a counter ``archiver/date/<source>`` say which. A page that is no article still gets
its true reason and no post."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import frontmatter
import pytest

from archiver.demo.server import Canned, FixtureServer
from tests.support.crawl import run_crawl
from tests.support.fixtures import ROOT, served_path

pytestmark = pytest.mark.e2e

BLOG_TZ = ZoneInfo("Asia/Shanghai")
PAGE = (ROOT / "tests" / "fixtures" / "undated" / "undated-article.html").read_bytes()
HTML = {"Content-Type": "text/html; charset=utf-8"}
URL_DATED = "https://www.westcoast-courier.example/2019/nov/18/harbour-ferry-returns"
LAST_MODIFIED = "https://www.westcoast-courier.example/news/harbour-ferry-returns-12345"
FETCHED = "https://www.westcoast-courier.example/news/harbour-ferry-returns-67890"


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    root = tmp_path_factory.mktemp("undated")
    canned = {
        served_path(URL_DATED): Canned(
            200, PAGE, dict(HTML, **{"Last-Modified": "Tue, 03 Mar 2020 10:00:00 GMT"})
        ),
        served_path(LAST_MODIFIED): Canned(
            200, PAGE, dict(HTML, **{"Last-Modified": "Tue, 03 Mar 2020 10:00:00 GMT"})
        ),
        served_path(FETCHED): Canned(200, PAGE, HTML),
    }
    links = root / "links.txt"
    links.write_text("\n".join([URL_DATED, LAST_MODIFIED, FETCHED]) + "\n", encoding="utf-8")
    with FixtureServer(root, canned=canned) as server:
        before = datetime.now(UTC)
        result = run_crawl(
            root / "blog",
            server.url,
            f"urls_file={links}",
            spider="article",
            settings={"ARTICLE_ORIGIN": server.url},
        )
    return result, before


def test_every_undated_article_is_archived(run):
    result, _ = run
    assert result.returncode == 0, result.log[-3000:]
    assert len(result.posts) == 3, result.log[-3000:]
    assert not result.stats.get("archiver/failed")


def test_the_date_comes_from_the_url_then_last_modified_then_the_fetch(run):
    result, before = run
    dates = {}
    for path in result.posts:
        post = frontmatter.load(path)
        assert post["title"] == "Harbour ferry returns after a winter of repairs"
        assert "century-old harbour ferry" in post.content
        # the post's date is printed in the blog's zone (Asia/Shanghai by default), to the minute
        value = datetime.strptime(str(post["date"]), "%Y/%m/%d %H:%M").replace(tzinfo=BLOG_TZ)
        dates[path.name.rsplit("-", 1)[1].removesuffix(".md")] = value
    assert dates["12345"] == datetime(2020, 3, 3, 10, 0, tzinfo=UTC)
    assert before.replace(second=0, microsecond=0) <= dates["67890"] <= datetime.now(UTC)
    (url_dated,) = [v for k, v in dates.items() if k not in ("12345", "67890")]
    assert url_dated == datetime(2019, 11, 18, tzinfo=UTC)  # midnight of the day the URL names


def test_a_warning_and_a_counter_name_the_source(run):
    result, _ = run
    for source in ("url", "last_modified", "fetched"):
        assert result.stats.get(f"archiver/date/{source}") == 1, result.stats
    assert f"No publication time on {URL_DATED}: dated 2019-11-18" in result.log
    assert "from the last-modified" in result.log and "from the fetched" in result.log
    assert "WARNING" in result.log
