"""The run summary a user reads at the end of every run (and ``archiver crawl --json``
writes; its exit status says whether the run needs attention), built from the stats of real
in-process runs over the bundled site, and from the stats file a run writes."""

from __future__ import annotations

import errno
import json
import logging
import sqlite3

import pytest

from archiver import report
from archiver.cli import merge_stats
from tests.support.inprocess import saved_stats

GOLDEN, NEWSFLASH = "1108857", "14840233"


def run_of(new_run, answers=None, **args):
    """A finished run of the given arguments; (run, its summary)."""
    run = new_run(args=args)
    run.crawl(answers=answers)
    return run, run.close()


# -- from the stats of real runs ------------------------------------------------------------


def test_a_clean_run_needs_no_attention(new_run):
    _, summary = run_of(new_run, ids=f"{GOLDEN},{NEWSFLASH}")
    assert summary["new"] == 2 and summary["failed"] == 0 and summary["finish_reason"] == "finished"
    assert not report.had_errors(summary)
    lines = report.summary_lines(summary)
    assert lines[0] == "new: 2   updated: 0   unchanged: 0   gone: 0   failed: 0"
    assert lines[1:4] == ["dropped: none", "skipped: none", "images: 0 archived, 0 failed"]
    assert lines[-1].startswith("finished: finished in ") and lines[-1].endswith(" s")


def test_a_run_with_a_failure_names_it_and_needs_attention(new_run):
    url = f"https://www.jiemian.com/article/{NEWSFLASH}.html"
    _, summary = run_of(new_run, answers={url: {"status": 503, "body": b"busy"}}, ids=f"{GOLDEN},{NEWSFLASH}")
    assert summary["new"] == 1 and summary["failed"] == 1
    assert summary["failed_by_reason"] == {"http_503": 1}
    assert summary["failed_urls"] == [[url, "http_503", "HTTP 503 Service Unavailable"]]
    assert report.had_errors(summary)
    assert f"  failed {url}: HTTP 503 Service Unavailable" in report.summary_lines(summary)


def test_dropped_and_skipped_are_counted_by_reason_and_need_no_attention(new_run):
    first = new_run(args={"ids": GOLDEN})
    first.crawl()
    first.close()
    _, summary = run_of(new_run, lists="65", pages="9", since="2017-01-01")
    assert summary["dropped"] == {"video": 1}
    assert summary["skipped"] == {"already_archived": 1}
    assert not report.had_errors(summary)
    lines = report.summary_lines(summary)
    assert "dropped: video 1" in lines and "skipped: already_archived 1" in lines


def test_an_edited_post_and_a_gone_article_are_shown(new_run, tmp_path):
    run_of(new_run, ids=f"{GOLDEN},{NEWSFLASH}")
    post = next((tmp_path / "blog" / "_posts").glob(f"*-{GOLDEN}.md"))
    post.write_text(post.read_text(encoding="utf-8") + "\n笔记\n", encoding="utf-8")
    gone = f"https://www.jiemian.com/article/{NEWSFLASH}.html"
    _, summary = run_of(new_run, answers={gone: {"status": 410, "body": b"gone"}}, refresh="all")
    lines = report.summary_lines(summary)
    assert summary["gone"] == 1 and summary["unchanged"] == 1
    assert f"  gone   {gone}: HTTP 410 Gone" in lines
    assert not report.had_errors(summary)  # gone upstream is news, not a fault


def test_a_run_that_did_not_finish_needs_attention(new_run):
    run = new_run(args={"ids": GOLDEN})
    summary = run.close("shutdown")
    assert summary["finish_reason"] == "shutdown"
    assert report.had_errors(summary)
    assert report.summary_lines(summary)[-1].startswith("finished: shutdown in ")


def test_the_summary_is_logged_and_the_stats_file_written(new_run, tmp_path, caplog):
    stats_file = tmp_path / "stats.json"
    run = new_run(args={"ids": GOLDEN}, ARCHIVER_STATS_FILE=str(stats_file))
    run.crawl()
    with caplog.at_level(logging.INFO):
        summary = run.close()
    assert "Run summary (jiemian):" in caplog.text
    assert "new: 1   updated: 0" in caplog.text
    stats = saved_stats(stats_file)
    assert stats["archiver/posts/new"] == 1 and stats["finish_reason"] == "finished"
    assert isinstance(stats["start_time"], str)  # datetimes as ISO text
    assert report.summarize(stats)["new"] == summary["new"] == 1


def test_the_summary_is_what_the_run_history_keeps(new_run):
    run, summary = run_of(new_run, ids=GOLDEN)
    with sqlite3.connect(run.blog / ".archiver" / "state.sqlite") as db:
        [(kept,)] = db.execute("SELECT summary FROM runs").fetchall()
    kept = json.loads(kept)
    assert {k: kept[k] for k in ("new", "failed", "finish_reason")} == {
        "new": 1,
        "failed": 0,
        "finish_reason": "finished",
    }
    assert kept["new"] == summary["new"]


def test_the_workers_of_a_run_add_up(new_run, tmp_path):
    one, _ = run_of(new_run, ids=GOLDEN)
    other = new_run(tmp_path / "other", args={"ids": NEWSFLASH})
    other.crawl(answers={f"https://www.jiemian.com/article/{NEWSFLASH}.html": {"status": 500, "body": b"x"}})
    other.close()
    parts = [dict(one.stats, finish_reason="finished"), dict(other.stats, finish_reason="finished")]
    summary = report.summarize(merge_stats(parts))
    assert summary["new"] == 1 and summary["failed"] == 1
    assert summary["failed_by_reason"] == {"http_500": 1}
    parts[1]["finish_reason"] = "shutdown"
    assert report.summarize(merge_stats(parts))["finish_reason"] == "shutdown"


# -- the summary's edges, from stats dicts as Scrapy leaves them --------------------------------


def stats_with_failures(n: int) -> dict:
    stats = {"finish_reason": "finished", "elapsed_time_seconds": 12.345}
    for i in range(n):
        stats["archiver/failed"] = stats.get("archiver/failed", 0) + 1
        stats["archiver/failed/timeout"] = stats.get("archiver/failed/timeout", 0) + 1
        if i < report.LISTED:
            stats.setdefault("archiver/failed_urls", []).append([f"https://x/{i}", "timeout", "timed out"])
    return stats


@pytest.mark.parametrize("n", [1, 10, 11, 60])
def test_at_most_ten_failures_are_listed_and_the_rest_counted(n):
    lines = report.summary_lines(report.summarize(stats_with_failures(n)))
    listed = [line for line in lines if line.startswith("  failed ")]
    assert len(listed) == min(n, 10)
    more = [line for line in lines if "more failures" in line]
    assert more == ([f"  … and {n - 10} more failures (see the log)"] if n > 10 else [])
    assert lines[-1] == "finished: finished in 12.3 s"


def test_errors_logged_need_attention_even_without_a_failure():
    summary = report.summarize({"finish_reason": "finished", "log_count/ERROR": 2})
    assert summary["errors_logged"] == 2 and report.had_errors(summary)


def test_an_empty_stats_dict_is_an_unknown_run():
    summary = report.summarize({})
    assert summary["finish_reason"] == "unknown" and summary["duration_seconds"] == 0.0
    assert report.had_errors(summary)


def test_the_listed_failures_stop_at_the_limit_but_the_counters_do_not(new_run):
    run = new_run(args={"ids": GOLDEN})
    for i in range(report.LISTED + 5):
        report.failed(run.spider, f"https://www.jiemian.com/article/{i}.html", "timeout", "timed out")
    summary = run.close()
    assert summary["failed"] == report.LISTED + 5
    assert len(summary["failed_urls"]) == report.LISTED


@pytest.mark.parametrize(
    ("exc", "fatal"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), True),
        (OSError(errno.EROFS, "Read-only file system"), True),
        (OSError(errno.EACCES, "Permission denied"), True),
        (sqlite3.OperationalError("database or disk is full"), True),
        (sqlite3.OperationalError("attempt to write a readonly database"), True),
        (OSError(errno.ENOENT, "No such file or directory"), False),
        (ValueError("bad"), False),
    ],
)
def test_faults_no_retry_fixes_stop_the_run(exc, fatal):
    assert report.is_fatal(exc) is fatal
