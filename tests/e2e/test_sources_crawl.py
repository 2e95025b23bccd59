"""End to end: one ``archiver crawl`` runs every source of the blog's ``_archiver.toml``;
``archiver schedule`` prints the one cron line of it; a bad file stops before any fetch."""

from __future__ import annotations

import json
import shlex
import socket
import sqlite3
import subprocess
import sys
import textwrap
from datetime import datetime
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import frontmatter
import pytest

from archiver.demo.server import SITE, Canned, FixtureServer
from archiver.extract.urls import key_from_url
from tests.support import jekyll as jc
from tests.support.fixtures import ROOT, page_bytes, served_path, truth

pytestmark = pytest.mark.e2e
SHANGHAI = ZoneInfo("Asia/Shanghai")


def archiver(*args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "archiver.cli", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


def test_a_bad_sources_file_is_refused_by_its_line_before_anything_is_fetched(tmp_path):
    blog = tmp_path / "blog"
    blog.mkdir()
    path = blog / "_archiver.toml"
    with FixtureServer(SITE) as server:
        for text, line, words in [
            (
                "[jiemian]\nlists = [65]\n\n[outlets.a]\nfollow = ['https://a.example/rss.xml']\nmaxitems = 3\n",
                6,
                "unknown key 'maxitems' in [outlets.a]",
            ),
            ("[jiemian]\nlists = [65\n", 2, "not valid TOML: Unclosed array"),
            ('[jiemian]\n[outlets.a]\nfollow_file = "lists/a.txt"\n', None, "source a: follow_file "),
        ]:
            path.write_text(text, encoding="utf-8")
            proc = archiver("crawl", "-s", f"ARCHIVER_OUTPUT={blog}", "-s", f"JIEMIAN_ORIGIN={server.url}")
            assert proc.returncode == 2, proc.stdout + proc.stderr
            assert (f"{path}:{line}: " if line else f"{path}: ") + words in proc.stderr
            if line:
                proc = archiver("schedule", "-s", f"ARCHIVER_OUTPUT={blog}")
                assert proc.returncode == 2 and f"{path}:{line}: " in proc.stderr
                assert "* * * *" not in proc.stdout  # no cron line for a file that fails every run
        assert server.hits == []
    assert not (blog / "_posts").exists() and not (blog / ".archiver").exists()


def test_archiver_crawl_with_neither_spider_nor_sources_file_says_what_to_do(tmp_path):
    proc = archiver("crawl", "-s", f"ARCHIVER_OUTPUT={tmp_path}")
    assert proc.returncode == 2
    assert f"{tmp_path / '_archiver.toml'}: no sources file" in proc.stderr
    assert "archiver crawl jiemian" in proc.stderr


def test_one_cron_line_runs_the_whole_sources_file(tmp_path):
    blog = tmp_path / "my blog"
    blog.mkdir()
    (blog / "_archiver.toml").write_text(
        textwrap.dedent(
            """\
            [jiemian]
            lists = [65]
            [outlets.thepaper]
            follow = ["https://www.thepaper.cn/rss.xml"]
            [outlets.caixin]
            follow = ["https://www.caixin.com/sitemap.xml"]
            enabled = false
            """
        ),
        encoding="utf-8",
    )
    proc = archiver("schedule", "--every", "20", "--systemd", "-s", f"ARCHIVER_OUTPUT={blog}")
    assert proc.returncode == 0, proc.stderr
    lines = [line for line in proc.stdout.splitlines() if line.startswith("*/20 * * * * ")]
    assert len(lines) == 1, proc.stdout
    assert f"every source of {blog / '_archiver.toml'}: jiemian, thepaper, caixin (disabled)" in proc.stdout
    words = shlex.split(lines[0][len("*/20 * * * * ") :])
    assert words[3:7] == [sys.executable, "-m", "archiver.cli", "crawl"]
    assert words[7:9] == ["-s", f"ARCHIVER_OUTPUT={blog}"]  # no spider: the whole file
    assert words[words.index("--json") + 1] == str(blog / ".archiver" / "last-run.json")
    assert "OnCalendar=*:0/20" in proc.stdout
    # without a sources file the line runs jiemian alone, and says so
    (blog / "_archiver.toml").unlink()
    proc = archiver("schedule", "-s", f"ARCHIVER_OUTPUT={blog}")
    assert "this line runs the jiemian spider alone" in proc.stdout
    cron = next(line for line in proc.stdout.splitlines() if line.startswith("*/30 "))
    assert shlex.split(cron)[11:13] == ["crawl", "jiemian"]


# -- three outlets and jiemian from one sources file -------------------------------------------

#: The outlets, each behind its own kind of document, with two whole article pages.
OUTLETS = {
    "thepaper": ("https://www.thepaper.cn/rss.xml", ["thepaper-1", "thepaper-2"]),
    "36kr": ("https://36kr.com/feed", ["36kr-1", "36kr-2"]),
    "caixin": ("https://www.caixin.com/sitemap_news.xml", ["caixin-1", "caixin-2"]),
}
DOWN = "https://www.unreachable-outlet.cn/rss.xml"
#: Sources that cannot be followed, each for its own reason: name -> follow URL.
BAD = {
    "errorpage": "https://www.errorpage-outlet.cn/rss.xml",  # an HTML error page where the feed was
    "gone": "https://www.gone-outlet.cn/sitemap.xml",  # 404
    "broken": "https://www.broken-outlet.cn/feed.xml",  # malformed XML
}
NAMES = ["jiemian", *OUTLETS, "down", *BAD]


def rfc822(iso: str) -> str:
    return format_datetime(datetime.fromisoformat(iso))


def rss(names: list[str]) -> str:
    items = "".join(
        f"""
    <item>
      <title><![CDATA[{truth(n)["title"]}]]></title>
      <link>{truth(n)["url"]}</link>
      <guid isPermaLink="true">{truth(n)["url"]}</guid>
      <pubDate>{rfc822(truth(n)["published"])}</pubDate>
      <content:encoded><![CDATA[<p>{truth(n)["title"]}</p>]]></content:encoded>
    </item>"""
        for n in names
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
  <channel>
    <title>澎湃新闻</title>
    <link>https://www.thepaper.cn/</link>
    <description>澎湃新闻 - 专注时政与思想</description>{items}
  </channel>
</rss>
"""


def atom(names: list[str]) -> str:
    entries = "".join(
        f"""
  <entry>
    <title>{truth(n)["title"]}</title>
    <link rel="alternate" type="text/html" href="{urlsplit(truth(n)["url"]).path}"/>
    <id>{truth(n)["url"]}</id>
    <updated>{truth(n)["published"]}</updated>
    <summary>{truth(n)["title"]}</summary>
  </entry>"""
        for n in names
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://36kr.com/">
  <title>36氪</title>
  <link rel="self" href="https://36kr.com/feed"/>
  <id>https://36kr.com/</id>
  <updated>2024-03-05T00:00:00+08:00</updated>{entries}
</feed>
"""


def news_sitemap(names: list[str]) -> str:
    urls = "".join(
        f"""
  <url>
    <loc>{truth(n)["url"]}</loc>
    <news:news>
      <news:publication><news:name>财新网</news:name><news:language>zh</news:language></news:publication>
      <news:publication_date>{truth(n)["published"]}</news:publication_date>
      <news:title>{truth(n)["title"]}</news:title>
    </news:news>
  </url>"""
        for n in names
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}
</urlset>
"""


SOURCES = """\
# What this blog follows (read by `archiver crawl`; Jekyll never builds it)
[post]
author = "Sinter"
tags = ["存档"]

[settings]
ARTICLE_ORIGIN = "{outlets}"
JIEMIAN_ORIGIN = "{jiemian}"
ARCHIVER_IMAGES = false

[jiemian]
lists = [65]
pages = 1
feeds = ["site"]

[outlets.thepaper]
follow = ["https://www.thepaper.cn/rss.xml"]
since = 2024-01-01
tags = ["澎湃", "存档"]

[outlets.36kr]
follow = ["https://36kr.com/feed"]
max_items = 5
header_img = "img/post-bg.jpg"

[outlets.caixin]
follow = ["https://www.caixin.com/sitemap_news.xml"]
allow = ['caixin\\.com/20\\d\\d-\\d\\d-\\d\\d/\\d+\\.html$']
author = "财新记者"

[outlets.down]
follow = ["{down}"]
settings = {{ ARTICLE_ORIGIN = "http://127.0.0.1:{closed}" }}

[outlets.errorpage]
follow = ["https://www.errorpage-outlet.cn/rss.xml"]

[outlets.gone]
follow = ["https://www.gone-outlet.cn/sitemap.xml"]

[outlets.broken]
follow = ["https://www.broken-outlet.cn/feed.xml"]
"""


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def outlet_site(root: Path) -> dict:
    """The three outlets' feed and sitemap as files (so that the server answers them
    conditionally, with ETag and 304) and their article pages as canned answers."""
    makers = {"thepaper": rss, "36kr": atom, "caixin": news_sitemap}
    canned = {}
    for name, (feed, pages) in OUTLETS.items():
        path = root / served_path(feed).lstrip("/")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(makers[name](pages), encoding="utf-8")
        for page in pages:
            canned[served_path(truth(page)["url"])] = Canned(
                200, page_bytes(page), {"Content-Type": truth(page)["content_type"]}
            )
    canned[served_path(BAD["errorpage"])] = Canned(
        200,
        "<!DOCTYPE html><html><head><title>系统繁忙</title></head><body><h1>系统繁忙，请稍后再试</h1>"
        "<p>Error 500</p></body></html>".encode(),
        {"Content-Type": "application/rss+xml; charset=utf-8"},  # what the feed would be
    )
    broken = root / served_path(BAD["broken"]).lstrip("/")
    broken.parent.mkdir(parents=True)
    broken.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>断了</title>\n'
        "<item><title>半截</title><link>https://www.broken-outlet.cn/news/2024/0305/123456.html</link>\n"
        "<pubDate>Tue, 05 Mar 2024 08:00:00 +0800</pubDate><description><![CDATA[<p>未完",
        encoding="utf-8",
    )
    return canned


def post_of(blog: Path, page: str) -> Path:
    day = datetime.fromisoformat(truth(page)["published"]).astimezone(SHANGHAI).strftime("%Y-%m-%d")
    return blog / "_posts" / f"{day}-{key_from_url(truth(page)['url'])}.md"


def crawl_all(blog: Path) -> tuple[int, str, dict, int]:
    """``archiver crawl`` with no spider, as cron runs it: (status, output, JSON, its pid)."""
    report = blog.parent / "run.json"
    report.unlink(missing_ok=True)
    command = [sys.executable, "-m", "archiver.cli", "crawl", "-s", f"ARCHIVER_OUTPUT={blog}"]
    command += ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0"]
    command += ["-s", "ARCHIVER_RETRY_BACKOFF_BASE=0.05", "--json", str(report)]
    proc = subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    out, _ = proc.communicate(timeout=600)
    return proc.returncode, out, json.loads(report.read_text(encoding="utf-8")), proc.pid


def line_of_source(printed: str, name: str) -> str:
    return next(line.strip() for line in printed.splitlines() if line.strip().startswith(name + " "))


@pytest.fixture(scope="module")
def followed(tmp_path_factory):
    root = tmp_path_factory.mktemp("sources")
    blog = root / "blog"
    blog.mkdir()
    site = root / "outlets"
    with FixtureServer(site, canned=outlet_site(site)) as outlets, FixtureServer(SITE) as jiemian:
        (blog / "_archiver.toml").write_text(
            SOURCES.format(outlets=outlets.url, jiemian=jiemian.url, down=DOWN, closed=closed_port()),
            encoding="utf-8",
        )
        first = crawl_all(blog)
        lock = (blog / ".archiver" / "run.lock").read_text()
        before = {p.name: p.read_bytes() for p in (blog / "_posts").glob("*.md")}
        outlets.hits.clear()
        jiemian.hits.clear()
        second = crawl_all(blog)
        hits = {"outlets": outlets.paths(), "jiemian": jiemian.paths()}
    status = subprocess.run(
        [sys.executable, "-m", "archiver.cli", "status", "-s", f"ARCHIVER_OUTPUT={blog}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return {
        "blog": blog,
        "first": first,
        "lock": lock,
        "before": before,
        "second": second,
        "hits": hits,
        "status": status,
    }


def test_one_crawl_archives_every_source_and_names_the_one_that_failed(followed):
    blog = followed["blog"]
    status, printed, report, pid = followed["first"]
    assert status == 1, printed  # one source failed ...
    assert [s["name"] for s in report["sources"]] == NAMES
    by_name = {s["name"]: s for s in report["sources"]}
    for name, (_feed, pages) in OUTLETS.items():  # ... and the others are archived all the same
        line = line_of_source(printed, name)
        assert line.split()[1] == "2" and line.endswith("  ok"), line
        assert by_name[name]["exit_status"] == 0 and by_name[name]["summary"]["new"] == 2
        for page in pages:
            post = frontmatter.load(post_of(blog, page))
            assert post["title"] == truth(page)["title"]
    jiemian_new = by_name["jiemian"]["summary"]["new"]
    assert jiemian_new > 0 and line_of_source(printed, "jiemian").endswith("  ok")
    down = line_of_source(printed, "down")
    assert f"failed {DOWN}: " in down and by_name["down"]["exit_status"] == 1, down
    assert "refused" in down.lower() or "connect" in down.lower(), down
    for name, url in BAD.items():  # each bad source: one reason, on its line
        line = line_of_source(printed, name)
        assert by_name[name]["exit_status"] == 1 and "  failed https://" + urlsplit(url).hostname in line, (
            line
        )
        assert by_name[name]["summary"]["new"] == 0
    assert report["exit_status"] == 1
    assert report["summary"]["new"] == 6 + jiemian_new
    assert f"total: new {6 + jiemian_new}," in printed
    assert f"sources: {len(NAMES)}, 4 with failures" in printed
    assert len(list((blog / "_posts").glob("*.md"))) == 6 + jiemian_new
    # the run lock was taken once, by the command itself, and lent to each source's crawl
    assert followed["lock"].startswith(f"pid {pid},")
    runs = sqlite3.connect(blog / ".archiver" / "state.sqlite").execute("SELECT spider, result FROM runs")
    assert sorted(runs) == sorted([(n, "finished") for n in NAMES] * 2)  # this run and the second
    for name in by_name:
        assert Path(by_name[name]["log"]).name.endswith(f"-{name}.log")


def test_each_source_gets_its_own_post_settings(followed):
    blog = followed["blog"]
    paper = frontmatter.load(post_of(blog, "thepaper-1"))
    assert paper["author"] == "Sinter" and paper["tags"] == [truth("thepaper-1")["site_name"], "澎湃", "存档"]
    kr = frontmatter.load(post_of(blog, "36kr-1"))
    assert kr["header-img"] == "img/post-bg.jpg" and kr["tags"][-1] == "存档"
    caixin = frontmatter.load(post_of(blog, "caixin-1"))
    assert caixin["author"] == "财新记者"
    for post in (blog / "_posts").glob("*-jiemian-*.md"):
        jiemian = frontmatter.load(post)
        assert (
            jiemian["author"] == "Sinter" and jiemian["tags"][0] == "界面新闻" and "存档" in jiemian["tags"]
        )


def test_a_second_run_asks_only_for_the_feeds_answered_304_and_writes_nothing(followed):
    blog = followed["blog"]
    status, printed, report, _pid = followed["second"]
    assert status == 1, printed  # the unreachable source is still unreachable
    by_name = {s["name"]: s for s in report["sources"]}
    for name in OUTLETS:
        assert by_name[name]["summary"]["new"] == 0
        assert by_name[name]["fetched"] == {"requests": 2, "not_modified": 1}, name  # robots.txt + feed
    assert by_name["jiemian"]["fetched"]["not_modified"] == 2  # its list and its feed
    assert by_name["jiemian"]["summary"]["new"] == 0
    feeds = {served_path(feed) for feed, _ in OUTLETS.values()}
    good = [p for p in followed["hits"]["outlets"] if p != "/robots.txt" and "-outlet.cn/" not in p]
    assert sorted(good) == sorted(feeds)
    assert sorted(p for p in followed["hits"]["jiemian"] if p != "/robots.txt") == sorted(
        ["/lists/65.html", "/index.php?m=article&a=rss"]
    )
    assert {p.name: p.read_bytes() for p in (blog / "_posts").glob("*.md")} == followed["before"]


def test_status_reports_per_source(followed):
    printed = followed["status"].stdout
    assert followed["status"].returncode == 0, followed["status"].stderr
    assert f"Sources of {followed['blog'] / '_archiver.toml'}:" in printed
    table = printed.split("Sources of", 1)[1].splitlines()[2:]
    rows = {line.split()[0]: line.split() for line in table[: len(NAMES)]}
    assert list(rows) == NAMES
    for name in OUTLETS:
        assert rows[name][1] == "2" and "finished" in rows[name], rows[name]
    assert rows["down"][1] == "0" and rows["down"][-1] != "0", rows["down"]  # its failure awaits retry
    jiemian_posts = len(list((followed["blog"] / "_posts").glob("*-jiemian-*.md")))
    assert rows["jiemian"][1] == str(jiemian_posts)


@pytest.mark.jekyll
def test_the_sources_file_is_never_published_by_jekyll(followed, tmp_path):
    build = jc.build_blog(followed["blog"], tmp_path / "site")
    assert build.ok, build.describe()
    assert (build.site_dir.parent / "site" / "_archiver.toml").exists()  # it was in the blog ...
    assert not list(build.site_dir.rglob("*archiver*")), "… and Jekyll did not publish it"
    view = jc.post_view(build.page(post_of(followed["blog"], "thepaper-1").name))
    assert view.tags == [truth("thepaper-1")["site_name"], "澎湃", "存档"]
