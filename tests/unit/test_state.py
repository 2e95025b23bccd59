"""The archiver's SQLite state, in a real file of a temporary blog: what runs record in it
(posts, failures and their attempts, list validators, the run history), and how a run
rebuilds it from ``_posts/`` when it is lost, without fetching anything again."""

from __future__ import annotations

import json
import logging
import sqlite3

import pytest

from archiver.store.state import State, StateError, text_hash
from tests.support.fixtures import REFERENCE_POST

GOLDEN, NEWSFLASH = "1108857", "14840233"
GOLDEN_URL = f"https://www.jiemian.com/article/{GOLDEN}.html"
NEWSFLASH_URL = f"https://www.jiemian.com/article/{NEWSFLASH}.html"


def rows(blog, sql: str) -> list[tuple]:
    with sqlite3.connect(blog / ".archiver" / "state.sqlite") as db:
        return db.execute(sql).fetchall()


def forget_state(blog) -> None:
    """What a user does who deletes the database (its WAL files go with it)."""
    for path in (blog / ".archiver").glob("state.sqlite*"):
        path.unlink()


@pytest.fixture
def state(tmp_path):
    opened = State(tmp_path / "blog" / ".archiver" / "state.sqlite", tmp_path / "blog")
    yield opened
    opened.close()


# -- where it lives -----------------------------------------------------------------------


def test_the_state_is_a_dot_folder_of_the_blog_that_jekyll_never_builds(new_run, tmp_path):
    run = new_run(args={"ids": GOLDEN})
    run.crawl()
    run.close()
    assert (tmp_path / "blog" / ".archiver" / "state.sqlite").is_file()
    assert rows(tmp_path / "blog", "SELECT key FROM posts") == [(f"jiemian-{GOLDEN}",)]


def test_the_state_folder_can_live_elsewhere(new_run, tmp_path):
    run = new_run(args={"ids": GOLDEN}, ARCHIVER_STATE_DIR=str(tmp_path / "state"))
    run.crawl()
    run.close()
    assert not (tmp_path / "blog" / ".archiver").exists()
    with sqlite3.connect(tmp_path / "state" / "state.sqlite") as db:
        assert db.execute("SELECT count(*) FROM posts").fetchone() == (1,)


# -- rebuilt from _posts/ -----------------------------------------------------------------


def test_a_deleted_database_is_rebuilt_from_the_posts_and_nothing_is_fetched_again(new_run, tmp_path):
    blog = tmp_path / "blog"
    first = new_run(args={"ids": f"{GOLDEN},{NEWSFLASH}"})
    first.crawl()
    first.close()
    texts = {p.name: p.read_text(encoding="utf-8") for p in first.posts}
    forget_state(blog)
    second = new_run(args={"ids": f"{GOLDEN},{NEWSFLASH}"})
    rebuilt = rows(blog, "SELECT key, path, written_hash, ours FROM posts ORDER BY key")
    assert rebuilt == sorted(
        (f"jiemian-{name.split('-')[-1][:-3]}", f"_posts/{name}", text_hash(text), 1)
        for name, text in texts.items()
    )
    assert [second.download(r) for r in second.start()] == [None, None]  # both already archived
    assert second.stats["archiver/skipped/already_archived"] == 2
    assert {p.name: p.read_text(encoding="utf-8") for p in second.posts} == texts


def test_after_a_rebuild_a_refresh_still_updates_the_archivers_posts(new_run, tmp_path):
    blog = tmp_path / "blog"
    first = new_run(args={"ids": GOLDEN})
    first.crawl()
    first.close()
    forget_state(blog)
    second = new_run(args={"refresh": "all"}, ARCHIVER_AUTHOR="Sinter")
    second.crawl()
    summary = second.close()
    # the post on disk is the baseline and named the archiver's way: its own, so updated
    assert summary["updated"] == 1
    assert 'author:       "Sinter"' in second.posts[0].read_text(encoding="utf-8")


def test_a_hand_made_post_is_rebuilt_as_not_the_archivers(new_run, tmp_path):
    posts = tmp_path / "blog" / "_posts"
    posts.mkdir(parents=True)
    (posts / "2017-02-11-jd-finance.md").write_bytes(REFERENCE_POST.read_bytes())
    run = new_run(args={"ids": GOLDEN})
    known = rows(tmp_path / "blog", f"SELECT url, path, ours FROM posts WHERE key='jiemian-{GOLDEN}'")
    assert known == [(f"http://www.jiemian.com/article/{GOLDEN}.html", "_posts/2017-02-11-jd-finance.md", 0)]
    run.close()


def test_reconcile_adds_each_post_once(tmp_path, state):
    from archiver.store.postindex import PostIndex

    posts = tmp_path / "blog" / "_posts"
    posts.mkdir(parents=True)
    (posts / "2017-02-11-jiemian-1108857.md").write_bytes(REFERENCE_POST.read_bytes())
    index = PostIndex(state.db, posts)
    read = index.sync()
    assert state.reconcile(index, read) == 1
    assert state.reconcile(index, read) == 0
    assert index.sync() == []  # nothing new: nothing read, nothing to reconcile
    assert state.post(f"jiemian-{GOLDEN}")["written_hash"] == text_hash(REFERENCE_POST.read_text("utf-8"))


# -- failures and attempts ----------------------------------------------------------------


def test_a_failed_article_is_recorded_with_its_reason_and_attempts(new_run, tmp_path):
    blog = tmp_path / "blog"
    for attempt in (1, 2):
        run = new_run(args={"ids": NEWSFLASH})
        run.crawl(status=503, body=b"busy")
        summary = run.close()
        assert summary["failed_by_reason"] == {"http_503": 1}
        assert rows(blog, "SELECT url, key, reason, detail, attempts FROM failures") == [
            (NEWSFLASH_URL, f"jiemian-{NEWSFLASH}", "http_503", "HTTP 503 Service Unavailable", attempt)
        ]
    assert run.posts == []


def test_a_passing_failure_is_retried_by_the_next_run_without_urls(new_run):
    first = new_run(args={"ids": NEWSFLASH})
    first.crawl(status=503, body=b"busy")
    first.close()
    second = new_run(args={"feed": "site"})
    urls = [r.meta["real_url"] for r in second.start()]
    assert urls[0] == NEWSFLASH_URL
    assert second.crawl([second.start()[0]])[0].id == NEWSFLASH
    summary = second.close()
    assert summary["new"] == 1
    assert rows(second.blog, "SELECT count(*) FROM failures") == [(0,)]  # cleared once archived


@pytest.mark.parametrize(
    ("settings", "retried"),
    [({}, True), ({"ARCHIVER_MAX_ATTEMPTS": 1}, False), ({"ARCHIVER_RETRY_FAILURES": False}, False)],
)
def test_retries_stop_after_the_attempts_allowed_or_when_turned_off(new_run, settings, retried):
    first = new_run(args={"ids": NEWSFLASH})
    first.crawl(status=503, body=b"busy")
    first.close()
    second = new_run(args={"feed": "site"}, **settings)
    urls = [r.meta["real_url"] for r in second.start()]
    assert (NEWSFLASH_URL in urls) is retried


def test_a_page_that_will_not_change_is_not_retried(new_run):
    first = new_run(args={"ids": "14799999"})  # no article markup: a parse error
    first.crawl()
    first.close()
    second = new_run(args={"feed": "site"})
    assert "https://www.jiemian.com/article/14799999.html" not in [r.meta["real_url"] for r in second.start()]


def test_explicit_urls_do_not_bring_the_backlog_along(new_run):
    first = new_run(args={"ids": NEWSFLASH})
    first.crawl(status=503, body=b"busy")
    first.close()
    second = new_run(args={"ids": GOLDEN})
    assert [r.meta["real_url"] for r in second.start()] == [GOLDEN_URL]


def test_failures_filter_passing_reasons_and_attempts(state):
    state.record_failure("https://x/1", "jiemian-1", "http_503", "HTTP 503")
    state.record_failure("https://x/1", "jiemian-1", "timeout", "timed out")
    state.record_failure("https://x/2", "jiemian-2", "parse_error", "missing body")
    assert state.failures() == [
        ("https://x/1", "jiemian-1", "timeout", "timed out", 2),
        ("https://x/2", "jiemian-2", "parse_error", "missing body", 1),
    ]
    assert [f[0] for f in state.failures(transient_only=True)] == ["https://x/1"]
    assert state.failures(transient_only=True, max_attempts=2) == []
    state.clear_failure("https://x/1")
    assert [f[0] for f in state.failures()] == ["https://x/2"]


# -- gone upstream ------------------------------------------------------------------------


def test_an_archived_article_gone_upstream_keeps_its_post_and_is_recorded(new_run, caplog):
    first = new_run(args={"ids": NEWSFLASH})
    first.crawl()
    first.close()
    text = first.posts[0].read_text(encoding="utf-8")
    second = new_run(args={"refresh": "all"})
    with caplog.at_level(logging.WARNING):
        second.crawl(status=404, body=b"gone")
    summary = second.close()
    assert summary["gone"] == 1 and summary["failed"] == 0
    assert summary["gone_urls"] == [[NEWSFLASH_URL, "HTTP 404 Not Found"]]
    assert "Gone upstream" in caplog.text and "the post stays" in caplog.text
    assert second.posts[0].read_text(encoding="utf-8") == text
    [(since, reason)] = rows(second.blog, "SELECT gone_since, gone_reason FROM posts")
    assert since and reason == "HTTP 404 Not Found"


def test_an_article_back_upstream_is_no_longer_gone(new_run):
    first = new_run(args={"ids": NEWSFLASH})
    first.crawl()
    first.close()
    second = new_run(args={"refresh": "all"})
    second.crawl(status=404, body=b"gone")
    second.close()
    third = new_run(args={"refresh": "all"})
    third.crawl()
    assert third.close()["unchanged"] == 1
    assert rows(third.blog, "SELECT gone_since FROM posts") == [(None,)]


def test_mark_gone_counts_once(state):
    state.post_written("jiemian-1", "https://x/1", state.blog / "_posts" / "a.md", "text", "h", "2026")
    assert state.mark_gone("jiemian-1", "HTTP 410 Gone") is True
    assert state.mark_gone("jiemian-1", "HTTP 410 Gone") is False
    assert [g[0] for g in state.gone()] == ["jiemian-1"]


# -- validators ---------------------------------------------------------------------------


def test_validators_are_kept_per_url_with_the_entries_they_cover(state):
    assert state.validators("https://x/list") == (None, None)
    state.save_validators("https://x/list", '"v1"', "Mon, 23 Nov 2026 08:00:00 GMT", "[]")
    state.save_validators("https://x/list", '"v2"', None, '[["https://x/1", "", null]]')
    assert state.validators("https://x/list") == ('"v2"', None)
    assert state.page_entries("https://x/list") == '[["https://x/1", "", null]]'
    assert state.validators("https://x/other") == (None, None)


def test_validators_without_kept_entries_are_never_sent(state):
    """A 304 may only skip what an earlier run covered: no entries kept, ask in full."""
    state.save_validators("https://x/list", '"v1"', None)
    assert state.validators("https://x/list") == (None, None)


# -- runs ---------------------------------------------------------------------------------


def test_every_run_is_recorded_with_its_result_and_counters(new_run):
    for ids in (GOLDEN, f"{GOLDEN},{NEWSFLASH}"):
        run = new_run(args={"ids": ids})
        run.crawl()
        run.close()
    history = rows(run.blog, "SELECT id, spider, started, finished, result, summary FROM runs ORDER BY id")
    assert [(r[1], r[4]) for r in history] == [("jiemian", "finished"), ("jiemian", "finished")]
    assert all(r[2] <= r[3] for r in history)
    assert [json.loads(r[5])["new"] for r in history] == [1, 1]
    assert json.loads(history[1][5])["skipped"] == {"already_archived": 1}


def test_a_run_closed_for_another_reason_records_it(new_run):
    run = new_run(args={"ids": GOLDEN})
    run.close("shutdown")
    assert rows(run.blog, "SELECT result FROM runs") == [("shutdown",)]


def test_a_source_names_its_run(new_run):
    run = new_run(args={"ids": GOLDEN}, ARCHIVER_SOURCE="jiemian-tech")
    run.close()
    assert rows(run.blog, "SELECT spider FROM runs") == [("jiemian-tech",)]


def test_the_run_history_is_newest_first(state):
    first = state.run_started("jiemian")
    second = state.run_started("article")
    state.run_finished(first, "finished", {"new": 3})
    assert [(r[0], r[1], r[4]) for r in state.runs()] == [
        (second, "article", None),
        (first, "jiemian", "finished"),
    ]
    assert json.loads(state.runs()[1][5]) == {"new": 3}


# -- a database that cannot be used ---------------------------------------------------------


def test_a_damaged_database_is_refused_with_what_to_do(tmp_path):
    path = tmp_path / "blog" / ".archiver" / "state.sqlite"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"SQLite format 3\x00" + b"\x13" * 4096)
    with pytest.raises(StateError, match="damaged; move it away and the next run rebuilds it"):
        State(path, tmp_path / "blog")


def test_a_run_on_a_damaged_database_stops_with_a_clear_error(new_run, tmp_path, caplog):
    path = tmp_path / "blog" / ".archiver" / "state.sqlite"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not a database at all" * 200)
    with caplog.at_level(logging.ERROR), pytest.raises(SystemExit) as stopped:
        new_run(args={"ids": GOLDEN})
    assert stopped.value.code == 1
    assert "cannot be used" in caplog.text and str(path) in caplog.text


def _new_database_held_by_another_writer(tmp_path):
    """A new state database another connection is writing (a writer and a worker of one
    crawl open the same new blog at once): SQLite answers "locked" at once to a second
    connection's switch to WAL mode, without waiting on its busy timeout."""
    path = tmp_path / "blog" / ".archiver" / "state.sqlite"
    path.parent.mkdir(parents=True)
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("CREATE TABLE theirs (a)")
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO theirs VALUES (1)")
    return path, other


def test_a_new_database_another_process_is_setting_up_is_waited_for(tmp_path):
    import threading

    path, other = _new_database_held_by_another_writer(tmp_path)
    done = threading.Timer(0.3, lambda: other.execute("COMMIT"))
    done.start()
    try:
        state = State(path, tmp_path / "blog", timeout=10)
    finally:
        done.join()
        other.close()
    assert state.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    state.close()


def test_a_database_held_longer_than_the_timeout_is_refused_with_what_to_do(tmp_path):
    path, other = _new_database_held_by_another_writer(tmp_path)
    try:
        with pytest.raises(StateError, match=r"locked \(another program holds it"):
            State(path, tmp_path / "blog", timeout=0.2)
    finally:
        other.close()


def test_a_column_another_process_added_first_is_taken_as_added(state):
    """Two processes of one crawl upgrading an old database at once: the second's
    ``ALTER TABLE`` finds the column there (it read the table before the first added it)."""

    class Stale:  # the table as it was when this process read it, before the other's ALTER
        def __init__(self, db):
            self.db = db

        def execute(self, sql, *args):
            if sql.startswith("PRAGMA table_info"):
                return [row for row in self.db.execute(sql) if row[1] != "entries"]
            return self.db.execute(sql, *args)

    real, state.db = state.db, Stale(state.db)
    try:
        state._migrate()  # does not raise "duplicate column name: entries"
    finally:
        state.db = real
    assert "entries" in {row[1] for row in state.db.execute("PRAGMA table_info(pages)")}


def test_a_second_run_on_the_same_blog_exits_with_75(new_run, caplog):
    first = new_run(args={"ids": GOLDEN})
    with caplog.at_level(logging.ERROR), pytest.raises(SystemExit) as stopped:
        new_run(args={"ids": GOLDEN})
    assert stopped.value.code == 75
    assert "another archiver run holds" in caplog.text
    first.close()
    new_run(args={"ids": GOLDEN}).close()  # the lock is free again


# -- one transaction per written post -------------------------------------------------------


def test_a_posts_records_are_written_together_or_not_at_all(state):
    """The post's row and its index entries share one transaction: when the second step
    fails (here the post file is missing), the first is not left behind."""
    from archiver.store.postindex import PostIndex
    from archiver.store.transaction import transaction

    index = PostIndex(state.db, state.blog / "_posts")
    missing = state.blog / "_posts" / "2026-01-01-jiemian-1.md"
    with pytest.raises(FileNotFoundError), transaction(state.db):
        state.post_written("jiemian-1", "https://x/1", missing, "text", "h", "2026")
        index.add("jiemian-1", missing, "text")
    assert not state.db.in_transaction
    assert state.post("jiemian-1") is None and index.path_for("jiemian-1") is None
    missing.parent.mkdir(parents=True)
    missing.write_text("text", encoding="utf-8")
    with transaction(state.db):
        state.post_written("jiemian-1", "https://x/1", missing, "text", "h", "2026")
        index.add("jiemian-1", missing, "text")
    assert state.post("jiemian-1")["path"] == "_posts/2026-01-01-jiemian-1.md"
    assert index.path_for("jiemian-1") == missing


def test_paths_are_made_relative_as_resolving_them_does(state, tmp_path):
    posts = state.blog / "_posts"
    posts.mkdir(parents=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "target.md").write_text("x", encoding="utf-8")
    (posts / "link.md").symlink_to(elsewhere / "target.md")
    (tmp_path / "blog-link").symlink_to(state.blog)
    for path in (
        posts / "a.md",
        posts / "link.md",  # a link out of the blog: not relative
        tmp_path / "blog-link" / "_posts" / "b.md",
        posts / ".." / "_posts" / "c.md",
        posts / "..",
        elsewhere / "d.md",
    ):
        try:
            expected = str(path.resolve().relative_to(state.blog.resolve()))
        except ValueError:
            expected = str(path)
        assert state.rel(path) == state.rel(path) == expected, path
