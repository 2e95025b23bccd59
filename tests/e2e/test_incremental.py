"""Cron-safe incremental archiving against a local site that changes between runs:
new articles, an upstream edit, a deletion, a 503 that recovers; refresh, revisions,
hand-edited posts, a lost database. Runs use ``archiver crawl`` as cron would."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from archiver.demo.server import SITE, Canned, FixtureServer
from tests.support.crawl import run_archiver

pytestmark = pytest.mark.e2e

ARGS = ("lists=800", "pages=2")
EDITED = "14837702"  # edited upstream before the third run
DELETED = "14828876"  # deleted upstream before the third run
FLAKY = "14826640"  # 503 in the first run, 200 afterwards
NEW = "14841999"  # appears in the list before the second run
OLD_SENTENCE = "消费金融公司"
NEW_SENTENCE = "【更新】消费金融公司"


def post_path(root: Path, article_id: str) -> Path:
    [path] = (root / "_posts").glob(f"*-jiemian-{article_id}.md")
    return path


def blog_files(root: Path) -> dict[str, tuple[int, bytes]]:
    return {
        str(p.relative_to(root)): (p.stat().st_mtime_ns, p.read_bytes())
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".archiver" not in p.parts
    }


def add_article(site: Path) -> None:
    """A new article at the top of list 800 (a copy of another one, retitled)."""
    page = (site / "article" / "14819087.html").read_text(encoding="utf-8")
    page = page.replace("14819087", NEW).replace("<title>", "<title>【新】", 1)
    page = page.replace('content="', 'content="【新】', 1)
    (site / "article" / f"{NEW}.html").write_text(page, encoding="utf-8")
    listing = (site / "lists" / "800.html").read_text(encoding="utf-8")
    first = listing.index('<div class="news-view')
    item = (
        f'<div class="news-view"><h3><a href="https://www.jiemian.com/article/{NEW}.html">新文章</a></h3>'
        f'<p class="news-excerpt">新</p><span class="date">1分钟前</span></div>\n'
    )
    (site / "lists" / "800.html").write_text(listing[:first] + item + listing[first:], encoding="utf-8")


@pytest.fixture(scope="module")
def three_runs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("incremental")
    site, out = tmp / "site", tmp / "blog"
    shutil.copytree(SITE, site)
    assert OLD_SENTENCE in (site / "article" / f"{EDITED}.html").read_text(encoding="utf-8")
    runs = {}
    with FixtureServer(site, {f"/article/{FLAKY}.html": Canned(503, b"busy")}) as server:
        runs[1] = run_archiver(out, server.url, *ARGS)
        after_first = blog_files(out)

        del server.canned[f"/article/{FLAKY}.html"]
        add_article(site)
        server.hits.clear()
        runs[2] = run_archiver(out, server.url, *ARGS)
        second_hits = server.paths()
        after_second = blog_files(out)

        page = site / "article" / f"{EDITED}.html"
        page.write_text(
            page.read_text(encoding="utf-8").replace(OLD_SENTENCE, NEW_SENTENCE), encoding="utf-8"
        )
        (site / "article" / f"{DELETED}.html").unlink()
        runs[3] = run_archiver(out, server.url, "refresh=all")
        after_third = blog_files(out)
    return out, runs, after_first, second_hits, after_second, after_third


def test_first_run_reports_the_failure_and_exits_non_zero(three_runs):
    _out, runs = three_runs[:2]
    status, printed, report = runs[1]
    assert status == 1, printed
    summary = report["summary"]
    assert summary["new"] == 5 and summary["failed"] == 1
    assert summary["failed_by_reason"] == {"http_503": 1}
    assert summary["dropped"] == {"paywalled": 1}
    assert f"failed https://www.jiemian.com/article/{FLAKY}.html: HTTP 503 Service Unavailable" in printed
    assert "new: 5   updated: 0   unchanged: 0   gone: 0   failed: 1" in printed


def test_second_run_takes_new_and_recovered_articles_only(three_runs):
    out, runs, after_first, second_hits, after_second, _ = three_runs
    status, printed, report = runs[2]
    assert status == 0, printed
    assert report["summary"]["new"] == 2
    assert post_path(out, NEW).exists() and post_path(out, FLAKY).exists()
    fetched = {p for p in second_hits if p.startswith("/article/")}
    # list page 1 changed; pager page 2 answered 304, so its paywalled article is not asked again
    assert fetched == {f"/article/{NEW}.html", f"/article/{FLAKY}.html"}
    assert report["summary"]["dropped"] == {}
    for name, value in after_first.items():  # nothing archived earlier was touched
        assert after_second[name] == value, name


def test_refresh_updates_the_edited_article_and_keeps_its_earlier_revision(three_runs):
    out, runs, _, _, after_second, after_third = three_runs
    status, printed, report = runs[3]
    assert status == 0, printed
    summary = report["summary"]
    assert summary["updated"] == 1 and summary["gone"] == 1
    edited = post_path(out, EDITED)
    assert NEW_SENTENCE in edited.read_text(encoding="utf-8")
    db = sqlite3.connect(out / ".archiver" / "state.sqlite")
    [(old_text,)] = db.execute("SELECT text FROM revisions WHERE key=?", (f"jiemian-{EDITED}",)).fetchall()
    assert NEW_SENTENCE not in old_text and OLD_SENTENCE in old_text
    assert old_text == after_second[str(edited.relative_to(out))][1].decode("utf-8")
    unchanged = [n for n in after_second if n.startswith("_posts/") and EDITED not in n]
    for name in unchanged:  # byte for byte and not even rewritten (same mtime)
        assert after_third[name] == after_second[name], name
    assert summary["unchanged"] == len(unchanged) - 1  # all but the gone one


def test_an_article_gone_upstream_keeps_its_post_and_is_recorded(three_runs):
    out, runs = three_runs[:2]
    printed, report = runs[3][1], runs[3][2]
    assert post_path(out, DELETED).exists()
    url = f"https://www.jiemian.com/article/{DELETED}.html"
    assert report["summary"]["gone_urls"] == [[url, "HTTP 404 Not Found"]]
    assert f"gone   {url}: HTTP 404 Not Found" in printed
    db = sqlite3.connect(out / ".archiver" / "state.sqlite")
    [(since, reason)] = db.execute(
        "SELECT gone_since, gone_reason FROM posts WHERE key=?", (f"jiemian-{DELETED}",)
    ).fetchall()
    assert since[:4] >= "2026" and reason == "HTTP 404 Not Found"


def test_run_history_is_kept(three_runs):
    out = three_runs[0]
    db = sqlite3.connect(out / ".archiver" / "state.sqlite")
    rows = db.execute("SELECT spider, result FROM runs ORDER BY id").fetchall()
    assert rows == [("jiemian", "finished")] * 3


def test_a_hand_edited_post_is_never_overwritten(tmp_path):
    site, out = tmp_path / "site", tmp_path / "blog"
    shutil.copytree(SITE, site)
    with FixtureServer(site) as server:
        run_archiver(out, server.url, f"ids={EDITED}")
        post = post_path(out, EDITED)
        mine = (
            post.read_text(encoding="utf-8").replace("catalog:      true", "catalog:      false")
            + "\n我的批注\n"
        )
        post.write_text(mine, encoding="utf-8")

        # nothing new upstream: the edit is simply left alone
        status, _printed, report = run_archiver(out, server.url, "refresh=all")
        assert status == 0 and report["summary"]["unchanged"] == 1
        assert post.read_text(encoding="utf-8") == mine
        assert list((out / "_posts").glob(".*")) == []

        page = site / "article" / f"{EDITED}.html"
        page.write_text(
            page.read_text(encoding="utf-8").replace(OLD_SENTENCE, NEW_SENTENCE), encoding="utf-8"
        )
        status, _printed, report = run_archiver(out, server.url, "refresh=all")
    assert post.read_text(encoding="utf-8") == mine
    [beside] = (out / "_posts").glob(f".{post.stem}.upstream-*.md")
    assert NEW_SENTENCE in beside.read_text(encoding="utf-8")
    assert report["summary"]["edited_kept"] == 1
    log = Path(report["log"]).read_text(encoding="utf-8")
    assert f"{post} was edited by hand" in log and str(beside) in log


def test_refresh_of_recent_articles_only(tmp_path):
    with FixtureServer(SITE) as server:
        run_archiver(tmp_path / "blog", server.url, "ids=1108857,14840233")
        server.hits.clear()
        status, _, report = run_archiver(tmp_path / "blog", server.url, "refresh=30")
        fetched = [p for p in server.paths() if p.startswith("/article/")]
    # 14840233 was published in November 2026, 1108857 in 2017
    assert status == 0 and fetched == ["/article/14840233.html"]
    assert report["summary"]["unchanged"] == 1


def test_deleting_the_database_loses_nothing_and_fetches_nothing_again(tmp_path):
    out = tmp_path / "blog"
    with FixtureServer(SITE) as server:
        run_archiver(out, server.url, "lists=65")
        posts = sorted(p.name for p in (out / "_posts").glob("*.md"))
        (out / ".archiver" / "state.sqlite").unlink()
        for extra in ("-wal", "-shm"):
            (out / ".archiver" / f"state.sqlite{extra}").unlink(missing_ok=True)
        server.hits.clear()
        status, _, report = run_archiver(out, server.url, "lists=65")
        assert not any(p.startswith("/article/") for p in server.paths())
        # and a refresh after the loss still knows every article's URL
        server.hits.clear()
        run_archiver(out, server.url, "refresh=all")
        refetched = sorted(p for p in server.paths() if p.startswith("/article/"))
    assert status == 0 and report["summary"]["new"] == 0
    assert sorted(p.name for p in (out / "_posts").glob("*.md")) == posts
    db = sqlite3.connect(out / ".archiver" / "state.sqlite")
    assert db.execute("SELECT count(*) FROM posts").fetchone()[0] == len(posts)
    assert len(refetched) == len(posts)


def test_a_failure_is_retried_by_the_next_run_even_when_the_lists_did_not_change(tmp_path):
    out = tmp_path / "blog"
    with FixtureServer(SITE, {f"/article/{FLAKY}.html": Canned(503, b"busy")}) as server:
        assert run_archiver(out, server.url, "lists=800")[0] == 1
        del server.canned[f"/article/{FLAKY}.html"]
        server.hits.clear()
        status, printed, report = run_archiver(out, server.url, "lists=800")
        assert "/lists/800.html" in server.paths()
    assert report["summary"]["new"] == 1 and status == 0, printed
    assert post_path(out, FLAKY).exists()
    db = sqlite3.connect(out / ".archiver" / "state.sqlite")
    assert db.execute("SELECT count(*) FROM failures").fetchone()[0] == 0
