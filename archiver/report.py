"""One clear log line and one stats counter for everything that does not become a post,
and the run summary built from those counters.

Counters (Scrapy stats, shown at the end of every run and by the run summary):

* ``archiver/posts/new``, ``…/updated``, ``…/unchanged``, ``…/edited_kept``: posts;
* ``archiver/failed/<reason>``: a page that should have been an article and was not
  (HTTP error, network error, redirect away, empty or non-HTML answer, parse error);
* ``archiver/gone``: an archived article that disappeared upstream (its post stays);
* ``archiver/dropped/<reason>``: an article that cannot become a good post (video,
  paywalled, empty body);
* ``archiver/skipped/<reason>``: nothing wrong (already archived, older than ``since``).

Failures, recoveries and gone articles are also recorded in the state database, when
there is one (the spiders report outcomes here and never write the state themselves).
"""

from __future__ import annotations

import errno
import logging

FAILED, DROPPED, SKIPPED = "failed", "dropped", "skipped"
#: How many failed/gone URLs the stats (and the summary) list by name.
LISTED = 50
#: The stats file's entry (not a stat of the run): the CPU seconds of the process so far.
CPU_STAT = "process/cpu_seconds"


def count(stats, kind: str, reason: str) -> None:
    stats.inc_value(f"archiver/{kind}")
    stats.inc_value(f"archiver/{kind}/{reason}")


def listed(stats, name: str, entry: list, limit: int | None = LISTED) -> None:
    entries = stats.get_value(name) or []
    if limit is None or len(entries) < limit:
        entries.append(entry)
        stats.set_value(name, entries)


def _state(spider):
    return getattr(spider.crawler, "_archiver_state", None)


def failed(spider, url: str, reason: str, detail: str, key: str | None = None) -> None:
    """A page that should have been an article and is not: WARNING + ``archiver/failed/<reason>``."""
    spider.logger.warning("Failed %s: %s", url, detail, extra={"spider": spider})
    count(spider.crawler.stats, FAILED, reason)
    listed(spider.crawler.stats, "archiver/failed_urls", [url, reason, detail])
    state = _state(spider)
    if state is not None:
        state.record_failure(url, key, reason, detail)


def gone(spider, url: str, key: str, detail: str) -> None:
    """An archived article that is no longer there: its post stays, the date is recorded."""
    spider.logger.warning("Gone upstream %s: %s (the post stays)", url, detail, extra={"spider": spider})
    spider.crawler.stats.inc_value("archiver/gone")
    listed(spider.crawler.stats, "archiver/gone_urls", [url, detail])
    state = _state(spider)
    if state is not None:
        state.mark_gone(key, detail)


def recovered(spider, url: str) -> None:
    """A page read as an article: a failure of an earlier run is no longer pending."""
    state = _state(spider)
    if state is not None:
        state.clear_failure(url)


def date_fallback(spider, url: str, source: str, published) -> None:
    """An article whose page printed no publication time, dated from ``source`` (``url``,
    ``last_modified``, ``fetched``): WARNING + ``archiver/date/<source>``; the post is written."""
    spider.logger.warning(
        "No publication time on %s: dated %s from the %s",
        url,
        published.isoformat(),
        source.replace("_", "-"),
        extra={"spider": spider},
    )
    spider.crawler.stats.inc_value(f"archiver/date/{source}")


def fell_back(spider, url: str, source: str, error) -> None:
    """An article page its site parser could not read, read by the generic extractor:
    WARNING + ``archiver/fallback/<source>``; the post is written, the run has errors
    (the parser needs work)."""
    spider.logger.warning(
        "Layout not recognised on %s (%s parser: %s): read by the generic extractor; "
        "the post is written, the %s parser needs work",
        url,
        source,
        error,
        source,
        extra={"spider": spider},
    )
    spider.crawler.stats.inc_value("archiver/fallback")
    spider.crawler.stats.inc_value(f"archiver/fallback/{source}")


def skipped(spider, url: str, reason: str, detail: str, level: int = logging.INFO) -> None:
    spider.logger.log(level, "Skipped %s: %s", url, detail, extra={"spider": spider})
    count(spider.crawler.stats, SKIPPED, reason)


def counters(stats: dict, kind: str) -> dict[str, int]:
    prefix = f"archiver/{kind}/"
    return {k[len(prefix) :]: v for k, v in sorted(stats.items()) if k.startswith(prefix)}


def summarize(stats: dict) -> dict:
    """The run in numbers, from Scrapy's final stats (also what ``--json`` writes)."""
    started, finished = stats.get("start_time"), stats.get("finish_time")
    duration = stats.get("elapsed_time_seconds")
    if duration is None and started and finished and hasattr(started, "timestamp"):
        duration = (finished - started).total_seconds()
    return {
        "finish_reason": stats.get("finish_reason", "unknown"),
        "new": stats.get("archiver/posts/new", 0),
        "updated": stats.get("archiver/posts/updated", 0),
        "unchanged": stats.get("archiver/posts/unchanged", 0),
        "edited_kept": stats.get("archiver/posts/edited_kept", 0),
        "gone": stats.get("archiver/gone", 0),
        "failed": stats.get("archiver/failed", 0),
        "failed_by_reason": counters(stats, FAILED),
        "failed_urls": stats.get("archiver/failed_urls", []),
        "gone_urls": stats.get("archiver/gone_urls", []),
        "dropped": counters(stats, DROPPED),
        "skipped": counters(stats, SKIPPED),
        "fallback": counters(stats, "fallback"),
        "images": {
            "archived": stats.get("archiver/images/archived", 0),
            "failed": stats.get("archiver/images/failed", 0),
        },
        "errors_logged": stats.get("log_count/ERROR", 0),
        "dry_run": counters(stats, "dry_run"),
        "dry_run_posts": stats.get("archiver/dry_run_posts", []),
        "duration_seconds": round(duration or 0.0, 2),
    }


def had_errors(summary: dict) -> bool:
    """Whether a run needs a person's attention (what the cron command's exit status says)."""
    return bool(
        summary["failed"]
        or summary["errors_logged"]
        or summary.get("fallback")
        or summary["finish_reason"] != "finished"
    )


def summary_lines(summary: dict) -> list[str]:
    def fmt(counts: dict[str, int]) -> str:
        return ", ".join(f"{k} {v}" for k, v in counts.items()) or "none"

    lines = [
        f"new: {summary['new']}   updated: {summary['updated']}   unchanged: {summary['unchanged']}"
        f"   gone: {summary['gone']}   failed: {summary['failed']}",
        f"dropped: {fmt(summary['dropped'])}",
        f"skipped: {fmt(summary['skipped'])}",
        f"images: {summary['images']['archived']} archived, {summary['images']['failed']} failed",
    ]
    if summary.get("fallback"):
        lines.append(
            f"layout not recognised, read by the generic extractor: {fmt(summary['fallback'])}"
            " (posts written; the site parser needs work)"
        )
    if summary["edited_kept"]:
        lines.append(f"edited by hand, upstream version written beside: {summary['edited_kept']}")
    for url, _reason, detail in summary["failed_urls"][:10]:
        lines.append(f"  failed {url}: {detail}")
    if len(summary["failed_urls"]) > 10:
        lines.append(f"  … and {summary['failed'] - 10} more failures (see the log)")
    for url, detail in summary["gone_urls"][:10]:
        lines.append(f"  gone   {url}: {detail}")
    lines.append(f"finished: {summary['finish_reason']} in {summary['duration_seconds']:.1f} s")
    return lines


#: errno values that no retry fixes: the run stops instead of failing item after item.
FATAL_ERRNOS = {errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EPERM, errno.EDQUOT, errno.EIO}


def is_fatal(exc: BaseException) -> bool:
    return (
        getattr(exc, "errno", None) in FATAL_ERRNOS
        or "disk is full" in str(exc)
        or "readonly database" in str(exc)
        or "database is locked" in str(exc)
    )


def stop_run(crawler, reason: str, message: str, *args) -> None:
    """Log ``message`` as an error once and close the spider (finish reason ``reason``):
    the files written so far are whole; the next run, once the cause is fixed, goes on."""
    logging.getLogger("archiver").error(message, *args)
    if getattr(crawler, "_archiver_stopping", False) or crawler.engine is None:
        return
    crawler._archiver_stopping = True
    from scrapy.utils.defer import deferred_from_coro

    deferred_from_coro(crawler.engine.close_spider_async(reason=reason))
