"""The post pipelines' outcomes, in process: a new post, an unchanged one, one updated
because the article changed upstream (or the blog's settings did), one a person edited
(never overwritten), and a dry run (nothing written). Each run is the real spider, the real
pipelines and a real SQLite state over a temporary blog, fed with the bundled site's pages."""

from __future__ import annotations

import json
import logging
import shutil
import sqlite3
from datetime import UTC, datetime

import frontmatter
import pytest
from scrapy.exceptions import DropItem

from archiver.items import Article
from archiver.store.state import text_hash
from tests.support.fixtures import REFERENCE_POST, SITE, expected_files

GOLDEN = "1108857"  # the 2017 golden fixture: 2017-02-11-jiemian-1108857.md
NEWSFLASH = "14840233"
CASES = {p.name.split(".")[0]: json.loads(p.read_text(encoding="utf-8")) for p in expected_files()}
ARTICLES = sorted(
    i for i, e in CASES.items() if "error_field" not in e and not e["paywalled"] and not e["video"]
)


def post_name(article_id: str) -> str:
    return f"{CASES[article_id]['published'][:10]}-jiemian-{article_id}.md"


def archive(new_run, article_id: str, **settings):
    """One run of ``scrapy crawl jiemian -a ids=<id>``; (run, what the pipelines returned)."""
    run = new_run(args={"ids": article_id}, **settings)
    results = run.crawl()
    return run, results


def changed_site(tmp_path, article_id: str, old: str, new: str):
    """The bundled site's articles, one of them changed upstream to say ``new`` for ``old``."""
    site = tmp_path / "site"
    if not site.exists():
        shutil.copytree(SITE / "article", site / "article")
    page = site / "article" / f"{article_id}.html"
    text = page.read_text(encoding="utf-8")
    assert old in text
    page.write_text(text.replace(old, new), encoding="utf-8")
    return site


def db(run) -> sqlite3.Connection:
    return sqlite3.connect(run.blog / ".archiver" / "state.sqlite")


# -- new ------------------------------------------------------------------------------------


@pytest.mark.parametrize("article_id", ARTICLES)
def test_a_new_article_becomes_one_post_with_its_front_matter(new_run, article_id):
    run, results = archive(new_run, article_id)
    expected = CASES[article_id]
    assert [p.name for p in run.posts] == [post_name(article_id)]
    post = frontmatter.load(run.posts[0])
    assert post["layout"] == "post"
    assert post["title"] == expected["title"].replace('"', "＂")
    assert post["date"] == expected["published"][:16].replace("-", "/").replace("T", " ")
    assert post["author"] == expected["post_author"] != ""
    assert post["tags"] == expected["post_tags"]
    assert f"[原文地址]({expected['url']})" in post.content
    assert run.stats["archiver/posts/new"] == 1
    assert isinstance(results[0], Article) and results[0].key == f"jiemian-{article_id}"


def test_the_golden_article_reproduces_the_reference_front_matter(new_run):
    run, _ = archive(new_run, GOLDEN, ARCHIVER_AUTHOR="Sinter", ARCHIVER_HEADER_IMG="img/my-post/tech06.jpg")
    post = run.posts[0].read_text(encoding="utf-8")
    reference = REFERENCE_POST.read_text(encoding="utf-8")
    assert post.split("---\n")[1] == reference.split("---\n")[1]


def test_a_new_post_is_recorded_in_the_state_as_the_archivers_own(new_run):
    run, _ = archive(new_run, NEWSFLASH)
    summary = run.close()
    [post] = run.posts
    row = db(run).execute("SELECT key, path, written_hash, ours, url FROM posts").fetchall()
    assert row == [
        (
            f"jiemian-{NEWSFLASH}",
            f"_posts/{post.name}",
            text_hash(post.read_text(encoding="utf-8")),
            1,
            f"https://www.jiemian.com/article/{NEWSFLASH}.html",
        )
    ]
    assert summary["new"] == 1 and summary["failed"] == 0
    assert not list(post.parent.glob(".*")), "no temporary file is left"


def test_two_articles_of_one_run_make_two_posts(new_run):
    run = new_run(args={"ids": f"{GOLDEN},{NEWSFLASH}"})
    run.crawl()
    assert [p.name for p in run.posts] == sorted([post_name(GOLDEN), post_name(NEWSFLASH)])
    assert run.stats["archiver/posts/new"] == 2


# -- unchanged --------------------------------------------------------------------------------


def test_an_archived_article_is_not_fetched_again(new_run):
    first, _ = archive(new_run, GOLDEN)
    first.close()
    before = first.posts[0].stat().st_mtime_ns
    second = new_run(args={"ids": GOLDEN})
    [request] = second.start()
    assert second.download(request) is None  # refused before any byte is asked for
    assert second.stats["archiver/skipped/already_archived"] == 1
    assert second.posts[0].stat().st_mtime_ns == before


def test_an_article_seen_again_in_the_same_run_is_skipped(new_run):
    run, [article] = archive(new_run, GOLDEN)
    again = run.write(article)
    assert isinstance(again, DropItem) and "already archived" in str(again)
    assert run.stats["archiver/skipped/already_archived"] == 1
    assert len(run.posts) == 1


def test_a_refresh_of_an_unchanged_article_writes_nothing(new_run):
    first, _ = archive(new_run, GOLDEN)
    first.close()
    text = first.posts[0].read_text(encoding="utf-8")
    before = first.posts[0].stat().st_mtime_ns
    second = new_run(args={"refresh": "all"})
    second.crawl()
    summary = second.close()
    assert summary["unchanged"] == 1 and summary["new"] == summary["updated"] == 0
    assert first.posts[0].read_text(encoding="utf-8") == text
    assert first.posts[0].stat().st_mtime_ns == before
    assert db(second).execute("SELECT count(*) FROM revisions").fetchone()[0] == 0


def test_a_hand_made_post_with_the_source_link_counts_as_archived(new_run, tmp_path):
    posts = tmp_path / "blog" / "_posts"
    posts.mkdir(parents=True)
    (posts / "2017-02-11-jd-finance.md").write_bytes(REFERENCE_POST.read_bytes())
    run, results = archive(new_run, GOLDEN)
    assert results == []
    assert [p.name for p in run.posts] == ["2017-02-11-jd-finance.md"]
    assert run.stats["archiver/skipped/already_archived"] == 1


# -- updated ----------------------------------------------------------------------------------


def test_an_article_changed_upstream_updates_its_post_and_keeps_the_old_text(new_run, tmp_path, caplog):
    first, _ = archive(new_run, NEWSFLASH)
    first.close()
    old = first.posts[0].read_text(encoding="utf-8")
    site = changed_site(tmp_path, NEWSFLASH, "同比增长8.9%", "同比增长9.1%")
    second = new_run(args={"refresh": "all"})
    with caplog.at_level(logging.INFO):
        second.crawl(site=site)
    summary = second.close()
    [post] = second.posts
    assert summary["updated"] == 1 and summary["new"] == 0
    assert "9.1%" in frontmatter.load(post)["title"]
    assert "changed upstream" in caplog.text
    revisions = db(second).execute("SELECT key, path, text FROM revisions").fetchall()
    assert revisions == [(f"jiemian-{NEWSFLASH}", f"_posts/{post.name}", old)]
    written = db(second).execute("SELECT written_hash FROM posts").fetchone()[0]
    assert written == text_hash(post.read_text(encoding="utf-8"))


def test_new_settings_rewrite_the_archivers_own_posts_on_refresh(new_run, caplog):
    first, _ = archive(new_run, GOLDEN)
    first.close()
    second = new_run(args={"refresh": "all"}, ARCHIVER_AUTHOR="Sinter")
    with caplog.at_level(logging.INFO):
        second.crawl()
    assert second.close()["updated"] == 1
    assert frontmatter.load(second.posts[0])["author"] == "Sinter"
    assert "new settings" in caplog.text


def test_refresh_of_recent_articles_only_leaves_the_old_ones_alone(new_run):
    first = new_run(args={"ids": f"{GOLDEN},{NEWSFLASH}"})
    first.crawl()
    first.close()
    published = datetime.fromisoformat(CASES[NEWSFLASH]["published"])
    days = (datetime.now(UTC) - published).days + 2  # the newsflash is recent, the 2017 article is not
    second = new_run(args={"refresh": str(days)})
    urls = [r.meta["real_url"] for r in second.start()]
    assert urls == [f"https://www.jiemian.com/article/{NEWSFLASH}.html"]
    second.crawl()
    assert second.close()["unchanged"] == 1


# -- edited by hand ---------------------------------------------------------------------------


def test_a_post_edited_by_hand_is_never_overwritten(new_run):
    first, _ = archive(new_run, GOLDEN)
    first.close()
    [post] = first.posts
    edited = post.read_text(encoding="utf-8").replace("> ", "> 【编者按】", 1)
    post.write_text(edited, encoding="utf-8")
    second = new_run(args={"refresh": "all"}, ARCHIVER_AUTHOR="Sinter")  # other settings, too
    second.crawl()
    summary = second.close()
    assert post.read_text(encoding="utf-8") == edited
    assert summary["updated"] == 0 and summary["unchanged"] == 1 and summary["edited_kept"] == 0
    assert list(post.parent.glob(".*")) == []


def test_an_edited_post_whose_article_changed_gets_the_new_version_beside_it(new_run, tmp_path, caplog):
    first, _ = archive(new_run, NEWSFLASH)
    first.close()
    [post] = first.posts
    edited = post.read_text(encoding="utf-8") + "\n我的笔记\n"
    post.write_text(edited, encoding="utf-8")
    site = changed_site(tmp_path, NEWSFLASH, "同比增长8.9%", "同比增长9.1%")
    second = new_run(args={"refresh": "all"})
    with caplog.at_level(logging.WARNING):
        second.crawl(site=site)
    summary = second.close()
    assert post.read_text(encoding="utf-8") == edited
    [beside] = post.parent.glob(f".{post.stem}.upstream-*.md")
    assert "9.1%" in frontmatter.load(beside)["title"]
    assert [p.name for p in second.posts] == [post.name]  # Jekyll never builds the dot-file
    assert summary["edited_kept"] == 1 and summary["updated"] == 0
    assert "edited by hand" in caplog.text and beside.name in caplog.text


def test_a_hand_made_post_is_never_overwritten_by_a_refresh(new_run, tmp_path):
    posts = tmp_path / "blog" / "_posts"
    posts.mkdir(parents=True)
    hand = posts / "2017-02-11-jd-finance.md"
    hand.write_bytes(REFERENCE_POST.read_bytes())
    run = new_run(args={"refresh": "all"})
    run.crawl()
    run.close()
    assert hand.read_bytes() == REFERENCE_POST.read_bytes()
    assert [p.name for p in run.posts] == [hand.name]


# -- dry run ----------------------------------------------------------------------------------


def test_a_dry_run_writes_nothing_and_says_what_it_would_do(new_run, tmp_path):
    run = new_run(args={"ids": f"{GOLDEN},{NEWSFLASH}"}, ARCHIVER_DRY_RUN=True)
    run.crawl()
    summary = run.close()
    assert not (tmp_path / "blog" / "_posts").exists()
    assert summary["new"] == 0
    assert summary["dry_run"] == {"new": 2}
    assert sorted(summary["dry_run_posts"]) == sorted(
        [["new", f"_posts/{post_name(GOLDEN)}"], ["new", f"_posts/{post_name(NEWSFLASH)}"]]
    )


def test_a_dry_run_tells_changed_from_edited_and_touches_neither(new_run, tmp_path):
    first = new_run(args={"ids": f"{GOLDEN},{NEWSFLASH}"})
    first.crawl()
    first.close()
    golden = tmp_path / "blog" / "_posts" / post_name(GOLDEN)
    flash = tmp_path / "blog" / "_posts" / post_name(NEWSFLASH)
    golden.write_text(golden.read_text(encoding="utf-8") + "\n笔记\n", encoding="utf-8")
    before = {p: p.read_bytes() for p in (golden, flash)}
    site = changed_site(tmp_path, NEWSFLASH, "同比增长8.9%", "同比增长9.1%")
    second = new_run(args={"refresh": "all"}, ARCHIVER_DRY_RUN=True)
    second.crawl(site=site)
    summary = second.close()
    assert summary["dry_run"] == {"changed": 1, "edited_kept": 1}
    assert {p: p.read_bytes() for p in (golden, flash)} == before
    assert list(golden.parent.glob(".*")) == []
    assert db(second).execute("SELECT count(*) FROM revisions").fetchone()[0] == 0


# -- what cannot become a post ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "counter"),
    [("article/14790001", "archiver/dropped/paywalled"), ("video/14800123", "archiver/dropped/video")],
)
def test_paywalled_and_video_pages_are_dropped_with_a_reason(new_run, path, counter):
    run = new_run(args={"url": f"https://www.jiemian.com/{path}.html"})
    [dropped] = run.crawl()
    assert isinstance(dropped, DropItem)
    assert run.posts == []
    assert run.stats[counter] == 1


def test_a_page_without_article_markup_is_a_recorded_failure(new_run):
    run, results = archive(new_run, "14799999")
    summary = run.close()
    assert results == [] and run.posts == []
    assert summary["failed_by_reason"] == {"parse_error": 1}
    [(url, detail)] = [(u, d) for u, _, d in summary["failed_urls"]]
    assert url.endswith("/article/14799999.html") and "missing body" in detail
    rows = db(run).execute("SELECT url, reason, attempts FROM failures").fetchall()
    assert rows == [("https://www.jiemian.com/article/14799999.html", "parse_error", 1)]


def parsed(new_run, article_id: str):
    """The run and the spider's article for the saved page, not yet through the pipelines."""
    run = new_run(args={"ids": article_id})
    [request] = run.start()
    [article] = run.answer(request)
    return run, article


def test_an_article_with_an_unsafe_id_is_refused(new_run):
    run, article = parsed(new_run, GOLDEN)
    article.id = "../../etc/passwd"
    dropped = run.write(article)
    assert isinstance(dropped, DropItem)
    assert run.stats["archiver/dropped/bad_id"] == 1
    assert not (run.blog / "_posts").exists()


def test_a_title_the_layout_would_print_as_markup_is_made_plain(new_run):
    run, article = parsed(new_run, GOLDEN)
    article.title = '<script>alert("x")</script>  标题'
    assert run.write(article) is article
    [post] = run.posts
    assert frontmatter.load(post)["title"] == "＜script＞alert(＂x＂)＜/script＞ 标题"


def test_an_article_without_text_is_dropped(new_run):
    run, article = parsed(new_run, GOLDEN)
    article.body_html = "<p> </p><div><span></span></div>"
    dropped = run.write(article)
    assert isinstance(dropped, DropItem) and "empty body" in str(dropped)
    assert run.stats["archiver/dropped/empty_body"] == 1 and run.posts == []
