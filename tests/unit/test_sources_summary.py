"""The whole-file run's summary lines (``archiver crawl`` with no spider): what each source's
line says for each outcome, from the summaries of real run stats."""

from __future__ import annotations

from archiver import report
from archiver.sourcescli import last_words, source_outcome, summary_lines


def summary(**stats) -> dict:
    base = {"finish_reason": "finished", "elapsed_time_seconds": 3.0}
    base.update(stats)
    return report.summarize(base)


def test_each_outcome_has_its_words_and_exit_status(tmp_path):
    log = tmp_path / "crawl.log"
    log.write_text(
        "2026-12-01 10:00:00 [scrapy.core.engine] INFO: Spider opened\n"
        "2026-12-01 10:00:01 [twisted] CRITICAL: Unhandled error\n"
        "ValueError: follow_file /blog/a.txt cannot be read: [Errno 2] No such file or directory\n",
        encoding="utf-8",
    )
    assert source_outcome(summary(), 0, log) == (0, "ok")
    failed = summary(
        **{
            "archiver/failed": 2,
            "archiver/failed/network": 2,
            "archiver/failed_urls": [
                ["https://a.example/rss.xml", "network", "connection refused"],
                ["https://a.example/b/12345.html", "network", "connection refused"],
            ],
        }
    )
    assert source_outcome(failed, 0, log) == (
        1,
        "failed https://a.example/rss.xml: connection refused (and 1 more)",
    )
    assert source_outcome(summary(finish_reason="shutdown"), 0, log) == (1, "stopped: shutdown")
    assert source_outcome(summary(**{"log_count/ERROR": 3}), 0, log) == (1, "3 errors logged (see its log)")
    code, words = source_outcome(None, 1, log)
    assert code == 1 and words == (
        "did not finish (exit status 1): ValueError: follow_file /blog/a.txt cannot be read: "
        "[Errno 2] No such file or directory"
    )
    assert last_words(tmp_path / "missing.log") == "no log"


def test_the_summary_has_a_line_per_source_and_the_ones_an_interrupt_left_out():
    ok = summary(**{"archiver/posts/new": 2, "downloader/request_count": 4})
    results = [
        {
            "name": "thepaper",
            "summary": ok,
            "fetched": {"requests": 4, "not_modified": 0},
            "exit_status": 0,
            "outcome": "ok",
        },
        {
            "name": "down",
            "summary": None,
            "fetched": {"requests": 0, "not_modified": 0},
            "exit_status": 1,
            "outcome": "did not finish (exit status 1): boom",
        },
    ]
    lines = summary_lines(results, summary(**{"archiver/posts/new": 2}), ["caixin"])
    assert lines[1].split() == ["thepaper", "2", "0", "0", "0", "4", "0", "ok"]
    assert lines[2].split()[:5] == ["down", "-", "-", "-", "-"] and lines[2].endswith("boom")
    assert lines[3].split()[0] == "caixin" and lines[3].endswith("not run: the run was interrupted")
    assert lines[-1].startswith("sources: 3, 2 with failures")
