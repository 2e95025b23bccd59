"""End to end: ``archiver crawl article -a follow…`` over real HTTP (127.0.0.1) on feeds,
sitemaps, robots.txt and home pages of six outlets plus jiemian, with the whole article
pages of tests/fixtures/generic behind them; a second run; the 304 rule in sequences;
bad sources, each with one reason while the others are archived."""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import frontmatter
import pytest

from archiver.demo.server import SITE, Canned, FixtureServer
from archiver.extract.urls import key_from_url
from tests.support.crawl import archiver_command, run_crawl
from tests.support.fixtures import FIXTURES, ROOT, page_bytes, served_path, truth

pytestmark = pytest.mark.e2e

FOLLOW = FIXTURES / "follow"
#: Follow URL -> the fixture articles it leads to.
SOURCES = {
    "https://www.thepaper.cn/rss.xml": ["thepaper-1", "thepaper-2", "thepaper-3"],  # RSS 2.0
    "https://news.sina.com.cn/atom.xml": ["sina-1", "sina-2", "sina-3"],  # Atom 1.0
    "https://www.163.com/rss/rdf.xml": ["163-1", "163-2", "163-3"],  # RSS 1.0 (RDF)
    "https://www.huxiu.com/": ["huxiu-1", "huxiu-2"],  # a home page with alternate feeds
    "https://www.yicai.com/robots.txt": ["yicai-1", "yicai-2"],  # Sitemap: lines, news + .xml.gz
    "https://www.people.com.cn/": ["people-1", "people-2"],  # no feed: robots.txt, sitemap index
}
JIEMIAN_FEED = "https://www.jiemian.com/rss/follow.xml"
JIEMIAN_ARTICLE = "https://www.jiemian.com/article/1108857.html"
#: Links the sources hold that must never be requested.
NEVER = [
    "/www.sohu.com/",  # an item of thepaper's feed on another site
    "/www.thepaper.cn/about",
    "/www.huxiu.com/comments/feed/",  # the comments feed of the home page
    "/feeds.partner-example.com/",  # an alternate feed on another site
    "/static.cdn-example.net/",  # a robots.txt Sitemap: on another site
    "/www.yicai.com/about/",
    "/www.yicai.com/tag/ai",
    "/www.yicai.com/news/page/2",
    "/www.yicai.com/author/",
    "/www.yicai.com/news/$",
    "/politics.people.com.cn/GB/1024/index.html",
]


@dataclass
class Run:
    status: int
    printed: str
    log: str
    stats: dict
    blog: Path
    paths: list[str]

    @property
    def posts(self) -> set[str]:
        return {p.name for p in (self.blog / "_posts").glob("*.md")}


def articles_canned() -> dict:
    canned = {}
    for names in SOURCES.values():
        for name in names + ["sohu-1"]:
            canned[served_path(truth(name)["url"])] = Canned(
                200, page_bytes(name), {"Content-Type": truth(name)["content_type"]}
            )
    canned[served_path(JIEMIAN_ARTICLE)] = Canned(
        200, (SITE / "article" / "1108857.html").read_bytes(), {"Content-Type": "text/html; charset=utf-8"}
    )
    return canned


def follow(server, blog: Path, *args: str, settings: dict | None = None) -> Run:
    """``scrapy crawl article`` as a user runs it; what it logged, counted and fetched."""
    server.hits.clear()
    merged = {"ARTICLE_ORIGIN": server.url, "ARCHIVER_IMAGES": "False", **(settings or {})}
    result = run_crawl(blog, server.url, *args, settings=merged, spider="article", timeout=240)
    return Run(result.returncode, result.log, result.log, result.stats, blog, server.paths())


def cron(server, blog: Path, *args: str, settings: dict | None = None) -> tuple[int, str, dict]:
    """``archiver crawl article`` as cron runs it: exit status, what it printed, its JSON report."""
    server.hits.clear()
    report = blog.parent / f"{blog.name}-run.json"
    report.unlink(missing_ok=True)
    merged = {"ARTICLE_ORIGIN": server.url, "ARCHIVER_IMAGES": "False", **(settings or {})}
    proc = subprocess.run(
        archiver_command(blog, server.url, *args, settings=merged, json_file=report, spider="article"),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
        stdin=subprocess.DEVNULL,
    )
    logs = sorted((blog / ".archiver" / "logs").glob("*.log"))
    log = logs[-1].read_text(encoding="utf-8") if logs else ""
    return (
        proc.returncode,
        proc.stdout + proc.stderr + log,
        json.loads(report.read_text())["summary"] if report.exists() else {},
    )


def post_name(name: str) -> str:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    day = datetime.fromisoformat(truth(name)["published"]).astimezone(ZoneInfo("Asia/Shanghai"))
    return f"{day:%Y-%m-%d}-{key_from_url(truth(name)['url'])}.md"


@pytest.fixture(scope="module")
def server():
    with FixtureServer(FOLLOW, canned=articles_canned()) as running:
        yield running


@pytest.fixture(scope="module")
def two_runs(server, tmp_path_factory):
    root = tmp_path_factory.mktemp("follow")
    sources = root / "outlets.txt"
    sources.write_text(
        "# what this blog follows\n" + "\n".join([*SOURCES, JIEMIAN_FEED]) + "\n", encoding="utf-8"
    )
    first = follow(server, root / "blog", f"follow_file={sources}")
    second = follow(server, root / "blog", f"follow_file={sources}")
    return first, second


def test_every_linked_article_is_archived_by_its_parser(two_runs):
    first = two_runs[0]
    assert first.status == 0, first.printed + first.log[-3000:]
    expected = {post_name(n) for names in SOURCES.values() for n in names}
    assert first.posts == expected | {"2017-02-11-jiemian-1108857.md"}
    jiemian = frontmatter.load(first.blog / "_posts" / "2017-02-11-jiemian-1108857.md")
    assert jiemian["tags"] == ["界面新闻"]  # the jiemian parser, not the generic one
    assert jiemian["title"].startswith("刘强东要将“技术至上论”推行到底")
    sina = frontmatter.load(first.blog / "_posts" / post_name("sina-2"))
    assert sina["title"] == truth("sina-2")["title"]


def test_what_each_source_is_is_told_from_its_content_and_logged(two_runs):
    log = two_runs[0].log
    for line in [
        "Follow https://www.thepaper.cn/rss.xml: an RSS 2.0 feed, 5 entries",
        "Follow https://news.sina.com.cn/atom.xml: an Atom 1.0 feed, 3 entries",
        "Follow https://www.163.com/rss/rdf.xml: an RSS 1.0 (RDF) feed, 3 entries",
        "Follow https://www.huxiu.com/: an HTML page, 3 feeds: https://www.huxiu.com/rss/0.xml, "
        "https://www.huxiu.com/atom.xml, https://feeds.partner-example.com/huxiu.xml (1 other links skipped)",
        "Follow https://www.yicai.com/robots.txt: a robots.txt, 3 sitemaps",
        "Follow https://www.yicai.com/sitemap_news.xml: a Google News sitemap, 2 entries",
        "Follow https://www.yicai.com/sitemap/2024-02.xml.gz: a sitemap, 5 entries",  # gzip file
        "No feed linked from https://www.people.com.cn/: reading the site's sitemaps in https://www.people.com.cn/robots.txt",
        "Follow http://www.people.com.cn/sitemap_index.xml: a sitemap index, 2 sitemaps",
        # served as text/html, with a BOM: a sitemap all the same
        "Follow http://www.people.com.cn/sitemap/politics.htm: a sitemap, 2 entries",
    ]:
        assert line in log, line


def test_links_out_of_scope_are_refused_with_a_reason_and_never_requested(two_runs):
    first = two_runs[0]
    for path in first.paths:
        assert not any(re.match(re.escape(never).replace(r"\$", "$"), path) for never in NEVER), path
    log = first.log
    assert (
        "Skipped https://www.sohu.com/a/761234567_121123456: on another site (sohu.com), not thepaper.cn: not requested"
        in log
    )
    assert "Skipped https://www.huxiu.com/comments/feed/: a comments feed (虎嗅网 » Comments Feed)" in log
    assert "Skipped https://feeds.partner-example.com/huxiu.xml: on another site" in log
    assert "Skipped https://static.cdn-example.net/yicai/sitemap.xml: on another site" in log
    for url, reason in [
        ("https://www.thepaper.cn/about", "an about page"),
        ("https://www.yicai.com/about/", "an about page"),
        ("https://www.yicai.com/tag/ai", "a tag page"),
        ("https://www.yicai.com/author/100001.html", "an author's page"),
        ("https://www.yicai.com/news/page/2", "a pager page"),
        ("https://www.yicai.com/news/", "a section page"),
        ("http://politics.people.com.cn/GB/1024/index.html", "a section's front page"),
    ]:
        assert re.search(rf"Skipped {re.escape(url)}: not an article: {re.escape(reason)}", log), url
    assert first.stats["archiver/skipped/not_article"] == 7
    assert not first.stats.get("archiver/failed")


def test_a_second_run_asks_conditionally_gets_304s_and_fetches_no_article(server, two_runs):
    first, second = two_runs
    assert second.status == 0, second.printed
    assert second.posts == first.posts
    documents = [p for p in second.paths if p != "/robots.txt"]  # the origin's own robots.txt aside
    # only the feeds, sitemaps, robots.txt and home pages of the sources, no article page:
    # thepaper, sina, 163, huxiu's home + 2 feeds, yicai's robots.txt + 2 sitemaps, people's
    # home, robots.txt, index + 2 sitemaps, jiemian's feed
    assert len(documents) == 15 and not set(documents) & set(articles_canned()), documents
    assert second.stats["archiver/pages/not_modified"] == 15
    assert "new: 0" in second.log


def test_since_then_an_earlier_since_and_max_items_then_more(server, tmp_path):
    feed = "follow=https://www.thepaper.cn/rss.xml"
    blog = tmp_path / "since"
    first = follow(server, blog, feed, "since=2024-03-04")
    assert first.posts == {post_name("thepaper-1")}
    assert first.stats["archiver/skipped/older_than_since"] == 2  # by the feed's own dates ...
    assert not [p for p in first.paths if "26498877" in p or "26477001" in p]  # ... so never fetched
    second = follow(server, blog, feed, "since=2024-03-01")
    assert second.stats["archiver/pages/not_modified"] == 1
    assert second.posts == {post_name("thepaper-1"), post_name("thepaper-2")}
    assert [p for p in second.paths if "newsDetail" in p] == ["/www.thepaper.cn/newsDetail_forward_26498877"]

    capped = tmp_path / "capped"
    one = follow(server, capped, feed, "max_items=1")
    assert one.posts == {post_name("thepaper-1")}  # the newest first
    assert one.stats["archiver/skipped/over_max_items"] == 2
    assert "over max_items=1, left for the next runs 2" in one.log
    two = follow(server, capped, feed, "max_items=1")
    assert two.stats["archiver/pages/not_modified"] == 1
    assert two.posts == {post_name("thepaper-1"), post_name("thepaper-2")}
    rest = follow(server, capped, feed)
    assert rest.posts == {post_name(n) for n in SOURCES["https://www.thepaper.cn/rss.xml"]}


def test_allow_and_deny_then_without_them(server, tmp_path):
    blog = tmp_path / "patterns"
    atom = "follow=https://news.sina.com.cn/atom.xml"
    first = follow(server, blog, atom, r"allow=sina\.com\.cn/(c|stock)/", "deny=marketresearch")
    assert first.posts == {post_name("sina-1")}
    assert first.stats["archiver/skipped/not_allowed"] == 1
    assert first.stats["archiver/skipped/denied"] == 1
    second = follow(server, blog, atom)
    assert second.stats["archiver/pages/not_modified"] == 1
    assert second.posts == {post_name(n) for n in ["sina-1", "sina-2", "sina-3"]}


def test_per_source_options_in_the_follow_file(server, tmp_path):
    sources = tmp_path / "outlets.txt"
    sources.write_text(
        "https://www.thepaper.cn/rss.xml max_items=1  # only the newest\n"
        "https://www.163.com/rss/rdf.xml since=2024-03-01\n",
        encoding="utf-8",
    )
    run = follow(server, tmp_path / "blog", f"follow_file={sources}")
    assert run.posts == {post_name("thepaper-1"), post_name("163-1")}


def hang_up(handler):
    """A source whose server takes the connection and closes it without an answer."""
    handler.close_connection = True
    handler.connection.close()


def endless_index(handler):
    """``/chain/N.xml``: a sitemap index naming ``/chain/N+1.xml``, for ever."""
    number = int(re.search(r"/chain/(\d+)\.xml", handler.path).group(1))
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>https://www.huxiu.com/chain/{number + 1}.xml</loc></sitemap></sitemapindex>"
    ).encode()
    return Canned(200, body, {"Content-Type": "application/xml"})


def index_of(child: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{child}</loc></sitemap></sitemapindex>"
    ).encode()


def huge_feed(count: int) -> bytes:
    """An RSS feed of ``count`` items: guancha's two real articles first, then older ones."""
    items = [
        f"<item><title>{truth(n)['title']}</title><link>{truth(n)['url']}</link>"
        f"<pubDate>Tue, 05 Mar 2024 12:33:00 +0800</pubDate></item>"
        for n in ["guancha-1", "guancha-2"]
    ]
    items += [
        f"<item><title>旧闻 {i}</title><link>https://www.guancha.cn/economy/2020_01_01_{500000 + i}.shtml</link>"
        f"<pubDate>Wed, 01 Jan 2020 00:00:00 +0800</pubDate></item>"
        for i in range(count - 2)
    ]
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>观察者网</title>'
        f"<link>https://www.guancha.cn/</link>{''.join(items)}</channel></rss>"
    ).encode()


BAD_SOURCES = {
    "https://www.bjnews.com.cn/rss.xml": "network",  # unreachable
    "https://www.guancha.cn/rss.xml": "html_not_feed",  # an HTML error page served as the feed
    "https://www.yicai.com/sitemap-missing.xml": "http_404",
    "https://news.sina.com.cn/broken.xml": "malformed_xml",
    "https://www.163.com/loop/a.xml": "sitemap_loop",  # a.xml -> b.xml -> a.xml
    "https://www.huxiu.com/chain/1.xml": "too_many_sitemaps",  # 1 -> 2 -> 3 -> … for ever
    "https://www.guancha.cn/all.xml": "too_many_entries",  # 50,000 items
}


@pytest.fixture(scope="module")
def bad_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("bad")
    canned = articles_canned()
    for name in ["guancha-1", "guancha-2"]:
        canned[served_path(truth(name)["url"])] = Canned(
            200, page_bytes(name), {"Content-Type": truth(name)["content_type"]}
        )
    error_page = (
        b"<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><center>"
        b"<h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>"
    )
    canned.update(
        {
            "/www.bjnews.com.cn/rss.xml": hang_up,
            "/www.guancha.cn/rss.xml": Canned(200, error_page, {"Content-Type": "application/rss+xml"}),
            "/news.sina.com.cn/broken.xml": Canned(
                200,
                (FOLLOW / "news.sina.com.cn" / "atom.xml").read_bytes()[:700],
                {"Content-Type": "application/atom+xml"},
            ),
            "/www.163.com/loop/a.xml": Canned(200, index_of("https://www.163.com/loop/b.xml"), {}),
            "/www.163.com/loop/b.xml": Canned(200, index_of("https://www.163.com/loop/a.xml"), {}),
            "/www.guancha.cn/all.xml": Canned(
                200, huge_feed(50_000), {"Content-Type": "application/rss+xml"}
            ),
        }
    )
    sources = root / "outlets.txt"
    lines = [url + (" max_items=2" if url.endswith("all.xml") else "") for url in BAD_SOURCES]
    sources.write_text("\n".join(["https://www.thepaper.cn/rss.xml", *lines]) + "\n", encoding="utf-8")
    with FixtureServer(FOLLOW, canned=canned) as running:
        running.canned["/www.huxiu.com/chain/"] = endless_index
        for n in range(1, 40):
            running.canned[f"/www.huxiu.com/chain/{n}.xml"] = endless_index
        status, printed, summary = cron(
            running, root / "blog", f"follow_file={sources}", settings={"ARCHIVER_SITEMAP_MAX_CHILDREN": "20"}
        )
        paths = running.paths()
    return status, printed, summary, root / "blog", paths


def test_each_bad_source_gets_one_reason_and_the_run_exits_1(bad_run):
    status, printed, summary, _, _ = bad_run
    assert status == 1, printed[-3000:]
    assert summary, printed[-5000:]
    by_url = {}
    for url, reason, _detail in summary["failed_urls"]:
        by_url.setdefault(url, []).append(reason)
    for url, reason in BAD_SOURCES.items():
        assert reason in {r for u, rs in by_url.items() for r in rs if u.startswith(url.rsplit("/", 1)[0])}, (
            url,
            by_url,
        )
    assert summary["failed"] == len(BAD_SOURCES), by_url
    assert "cannot follow: an HTML page ('502 Bad Gateway'), not the feed or sitemap" in printed
    assert (
        "sitemap loop: https://www.163.com/loop/b.xml leads back to https://www.163.com/loop/a.xml" in printed
    )
    assert "more than 20 child sitemaps (ARCHIVER_SITEMAP_MAX_CHILDREN)" in printed
    assert "50000 entries: only the first 1000 are read (ARCHIVER_FEED_MAX_ITEMS)" in printed


def test_the_other_sources_are_still_archived_and_the_caps_hold(bad_run):
    _, _, summary, blog, paths = bad_run
    posts = {p.name for p in (blog / "_posts").glob("*.md")}
    assert posts == {
        post_name(n) for n in ["thepaper-1", "thepaper-2", "thepaper-3", "guancha-1", "guancha-2"]
    }
    assert len([p for p in paths if p.startswith("/www.huxiu.com/chain/")]) == 21  # the source + 20 children
    assert not [p for p in paths if "2020_01_01" in p]  # max_items=2: none of the 49,998 others
    assert summary["skipped"]["over_max_items"] == 1000 - 2


def test_a_killed_run_then_the_same_run_misses_nothing(tmp_path):
    """SIGKILL in the middle of following (after the first post): the same command then
    archives every article, and the next one only gets 304s."""
    import os
    import signal
    import time

    sources = tmp_path / "outlets.txt"
    sources.write_text("\n".join(list(SOURCES)[:3]) + "\n", encoding="utf-8")
    expected = {post_name(n) for url in list(SOURCES)[:3] for n in SOURCES[url]}
    blog = tmp_path / "blog"
    with FixtureServer(FOLLOW, canned=articles_canned(), delay=0.3) as slow:
        merged = {"ARTICLE_ORIGIN": slow.url, "ARCHIVER_IMAGES": "False"}
        victim = subprocess.Popen(
            archiver_command(blog, slow.url, f"follow_file={sources}", settings=merged, spider="article"),
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        end = time.monotonic() + 120
        while not list((blog / "_posts").glob("*.md")) and time.monotonic() < end:
            time.sleep(0.05)
        os.killpg(victim.pid, signal.SIGKILL)
        victim.wait()
        killed = {p.name for p in (blog / "_posts").glob("*.md")}
        assert killed and killed < expected, killed
        again = follow(slow, blog, f"follow_file={sources}")
        assert again.posts == expected
        assert "archiver/pages/not_modified" not in again.stats  # nothing kept by the killed run
        last = follow(slow, blog, f"follow_file={sources}")
        assert last.stats["archiver/pages/not_modified"] == 3 and last.posts == expected


def test_an_item_that_failed_is_not_asked_for_again_on_a_304(tmp_path):
    """A feed item whose page is gone (404) is reported once; the next run, answered 304,
    re-reads the kept items, knows that one was requested, and asks only for the feed."""
    site = tmp_path / "site" / "www.thepaper.cn"
    site.mkdir(parents=True)
    feed = (FOLLOW / "www.thepaper.cn" / "rss.xml").read_bytes()
    gone = b"<link>https://www.thepaper.cn/newsDetail_forward_26999999</link>"
    (site / "rss.xml").write_bytes(feed.replace(b"<link>/about</link>", gone))
    with FixtureServer(tmp_path / "site", canned=articles_canned()) as server:
        blog = tmp_path / "blog"
        first = follow(server, blog, "follow=https://www.thepaper.cn/rss.xml")
        assert "Failed https://www.thepaper.cn/newsDetail_forward_26999999: HTTP 404 Not Found" in first.log
        assert len(first.posts) == 3
        second = follow(server, blog, "follow=https://www.thepaper.cn/rss.xml")
        assert second.stats["archiver/pages/not_modified"] == 1
        assert [p for p in second.paths if p != "/robots.txt"] == ["/www.thepaper.cn/rss.xml"]
        assert "covered by an earlier run 5" in second.log  # 3 archived, the 404, the offsite item
        assert not second.stats.get("archiver/failed")
