"""The commands over the blog's sources file (``<blog>/_archiver.toml``, :mod:`archiver.sources`).

* ``archiver crawl`` with no spider: every enabled source, one after the other, in one run
  (the run lock taken once, lent to each source's ``scrapy crawl``); one summary with a
  line per source, one JSON report, one exit status (1 when any source failed; the other
  sources are archived all the same).
* ``archiver schedule`` with no spider: the cron line of that command.
* ``archiver status``: per source, its articles, its last run and its failures.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from archiver import report
from archiver.sources import Source, SourcesError, SourcesFile, load, sources_path
from archiver.store.atomic import write_atomic
from archiver.store.lock import EXIT_LOCKED

#: Exit status of a command that was given something it cannot use (a bad sources file).
EXIT_USAGE = 2


def _cli():
    from archiver import cli  # the helpers shared with ``archiver crawl SPIDER``

    return cli


def find_sources(args, extra: list[str]) -> SourcesFile:
    """The sources file named by ``--sources``, else ``<blog root>/_archiver.toml``."""
    from archiver.config import blog_root

    given = getattr(args, "sources", None)
    path = Path(given).expanduser() if given else sources_path(blog_root(_cli().run_settings(extra)))
    if not path.exists():
        raise SourcesError(
            path,
            None,
            "no sources file: write one (README, 'Following outlets') or name a spider, "
            "e.g. archiver crawl jiemian",
        )
    return load(path)


def _chosen(sources: SourcesFile, only: str | None) -> list[Source]:
    if not only:
        return sources.enabled()
    names = [n.strip() for n in only.split(",") if n.strip()]
    chosen = {n: sources.get(n) for n in names}
    unknown = [n for n, source in chosen.items() if source is None]
    if unknown:
        known = ", ".join(s.name for s in sources.sources)
        raise SourcesError(sources.path, None, f"no source named {', '.join(unknown)} (sources: {known})")
    return [source for source in (chosen[n] for n in names) if source is not None]


def check_follow_files(chosen: list[Source]) -> str | None:
    """What is wrong with a source's ``follow_file`` (missing, a bad line), before anything
    is fetched; None when all can be read."""
    from archiver.follow import read_follow_file

    for source in chosen:
        listed = source.args.get("follow_file")
        if listed:
            try:
                read_follow_file(listed)
            except ValueError as exc:
                return f"source {source.name}: {exc}"
    return None


def _fetched(stats: dict) -> dict[str, int]:
    return {
        "requests": stats.get("downloader/request_count", 0),
        "not_modified": stats.get("downloader/response_status_count/304", 0),
    }


def last_words(log: Path) -> str:
    """The last error line of a crawl's log (what stopped a crawl that did not finish)."""
    try:
        lines = [line.strip() for line in log.read_text(encoding="utf-8", errors="replace").splitlines()]
    except OSError:
        return "no log"
    errors = [line for line in lines if line and ("ERROR" in line or "Error:" in line or "Exception" in line)]
    return (errors or [line for line in lines if line] or ["empty log"])[-1][:300]


def source_outcome(summary: dict | None, code: int, log: Path) -> tuple[int, str]:
    """(exit status, what the summary line says) of one source's crawl."""
    if summary is None:
        return 1, f"did not finish (exit status {code}): {last_words(log)}"
    if summary["failed_urls"]:
        url, _reason, detail = summary["failed_urls"][0]
        more = f" (and {summary['failed'] - 1} more)" if summary["failed"] > 1 else ""
        return 1, f"failed {url}: {detail}{more}"
    if summary["failed"]:
        return 1, f"{summary['failed']} failed (see its log)"
    if summary["finish_reason"] != "finished":
        return 1, f"stopped: {summary['finish_reason']}"
    if summary["errors_logged"]:
        return 1, f"{summary['errors_logged']} errors logged (see its log)"
    return (1 if code else 0), ("ok" if not code else f"exit status {code}")


class _Interrupt:
    """Ctrl-C and SIGTERM reach the running crawl through the process group (Scrapy stops it
    gracefully); this process only notes them, starts no further source and still prints
    the summary of what ran."""

    def __init__(self):
        self.received = None

    def __enter__(self):
        self.previous = {sig: signal.signal(sig, self.note) for sig in (signal.SIGINT, signal.SIGTERM)}
        return self

    def note(self, signum, _frame):
        self.received = signal.Signals(signum).name

    def __exit__(self, *exc):
        for sig, handler in self.previous.items():
            signal.signal(sig, handler)


def _run_source(source: Source, extra: list[str], logs: Path) -> dict:
    cli = _cli()
    log = cli._log_file(logs, source.name)
    stats_path = cli._stats_path()
    command = cli.crawl_command(source.spider, source.args, source.settings) + list(extra)
    command += [
        "-s",
        f"ARCHIVER_SOURCE={source.name}",
        "-s",
        f"ARCHIVER_LOCK_HELD_BY={os.getpid()}",
        "-s",
        f"ARCHIVER_STATS_FILE={stats_path}",
        "-s",
        f"LOG_FILE={log}",
    ]
    started = datetime.now()
    code = subprocess.Popen(command, env=cli.scrapy_env(), stdin=subprocess.DEVNULL).wait()
    stats = cli._read_stats(stats_path)
    summary = report.summarize(stats) if stats is not None else None
    status, outcome = source_outcome(summary, code, log)
    return {
        "name": source.name,
        "spider": source.spider,
        "arguments": source.args,
        "started": started.isoformat(timespec="seconds"),
        "exit_status": status,
        "outcome": outcome,
        "fetched": _fetched(stats or {}),
        "log": str(log),
        "summary": summary,
        "_stats": stats,
    }


def summary_lines(results: list[dict], total: dict | None, skipped: list[str]) -> list[str]:
    head = f"{'source':<14}{'new':>5}{'updated':>9}{'unchanged':>11}{'failed':>8}{'fetched':>9}{'304':>6}  result"
    lines = [head]
    for result in results:
        s = result["summary"] or {"new": "-", "updated": "-", "unchanged": "-", "failed": "-"}
        fetched = result["fetched"]
        lines.append(
            f"{result['name']:<14}{s['new']:>5}{s['updated']:>9}{s['unchanged']:>11}{s['failed']:>8}"
            f"{fetched['requests']:>9}{fetched['not_modified']:>6}  {result['outcome']}"
        )
    for name in skipped:
        lines.append(f"{name:<14}{'':>48}  not run: the run was interrupted")
    if total is not None:
        failed = sum(1 for r in results if r["exit_status"]) + len(skipped)
        lines.append(
            f"total: new {total['new']}, updated {total['updated']}, unchanged {total['unchanged']}, "
            f"gone {total['gone']}, failed {total['failed']}; images {total['images']['archived']} "
            f"archived, {total['images']['failed']} failed"
        )
        lines.append(
            f"sources: {len(results) + len(skipped)}, {failed} with failures; "
            f"finished in {total['duration_seconds']:.1f} s"
        )
    return lines


def crawl_sources(args, extra: list[str]) -> int:
    """``archiver crawl`` with no spider: every source of the blog's sources file."""
    from archiver.config import blog_root, state_dir
    from archiver.store.atomic import remove_stale_temporaries
    from archiver.store.lock import RunLock, RunLocked

    if any(flag in ("-a", "--argument") for flag in extra):
        print(
            "archiver: -a arguments go with a spider (archiver crawl jiemian -a …); "
            "the sources file gives each source its own",
            file=sys.stderr,
        )
        return EXIT_USAGE
    try:
        sources = find_sources(args, extra)
        chosen = _chosen(sources, getattr(args, "only", None))
    except SourcesError as exc:
        print(f"archiver: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if not chosen:
        print(f"archiver: {sources.path} names no enabled source; nothing to do", file=sys.stderr)
        return EXIT_USAGE
    problem = check_follow_files(chosen)
    if problem:
        print(f"archiver: {sources.path}: {problem}", file=sys.stderr)
        return EXIT_USAGE
    settings = _cli().run_settings(extra)
    state = state_dir(settings).resolve()
    title = f"archiver crawl {' '.join(extra)}".rstrip()
    try:
        lock = RunLock(state / "run.lock").acquire()
    except RunLocked as exc:
        print(f"archiver: {exc}")
        return EXIT_LOCKED
    started = datetime.now()
    results: list[dict] = []
    skipped: list[str] = []
    try:
        remove_stale_temporaries(blog_root(settings))
        with _Interrupt() as interrupt:
            for source in chosen:
                if interrupt.received:
                    skipped.append(source.name)
                    continue
                results.append(_run_source(source, extra, state / "logs"))
    finally:
        lock.release()
    parts = [r.pop("_stats") for r in results]
    total = report.summarize(_cli().merge_stats([p for p in parts if p is not None])) if results else None
    if total is not None:
        total["duration_seconds"] = round((datetime.now() - started).total_seconds(), 2)
    status = 1 if skipped or any(r["exit_status"] for r in results) else 0
    print(
        f"{title}  ({started:%Y-%m-%d %H:%M})  {len(chosen)} of {len(sources.sources)} sources of {sources.path}"
    )
    for line in summary_lines(results, total, skipped):
        print("  " + line)
    print(f"  logs: {state / 'logs'}")
    json_arg = getattr(args, "json", None)
    if json_arg:
        data = {
            "sources_file": str(sources.path),
            "arguments": extra,
            "started": started.isoformat(timespec="seconds"),
            "exit_status": status,
            "sources": results,
            "not_run": skipped,
            "summary": total,
        }
        write_atomic(Path(json_arg).expanduser(), json.dumps(data, ensure_ascii=False, indent=2))
    return status


# -- archiver schedule ------------------------------------------------------------------


def schedule_lines(args, extra: list[str]) -> tuple[list[str] | None, list[str]]:
    """(the words after ``crawl`` in the cron line, comments above it) of ``archiver
    schedule``: the given spider; with none, the blog's sources file (checked now: a file
    that would fail at every run is refused, None), else jiemian alone."""
    if args.spider:
        return [args.spider], []
    try:
        sources = find_sources(args, extra)
    except SourcesError as exc:
        if exc.message.startswith("no sources file") and not getattr(args, "sources", None):
            return ["jiemian"], [f"# no sources file at {exc.path}: this line runs the jiemian spider alone"]
        print(f"archiver: {exc}", file=sys.stderr)
        return None, []
    names = ", ".join(s.name + ("" if s.enabled else " (disabled)") for s in sources.sources)
    words = ["--sources", str(sources.path.resolve())] if getattr(args, "sources", None) else []
    return words, [f"# every source of {sources.path}: {names or 'none yet'}"]


# -- archiver status --------------------------------------------------------------------


def _matches(host: str, hosts: tuple[str, ...]) -> bool:
    return any(host == h or host.endswith("." + h) for h in hosts)


def _per_host(origins) -> dict[str, int]:
    """How many URLs name each host, of (origin, count) rows (origins: see
    :data:`archiver.store.state.ORIGIN_SQL`): a few rows per site, whatever the archive's size."""
    counts: dict[str, int] = {}
    for origin, count in origins:
        host = (urlsplit(origin).hostname or "").lower()
        counts[host] = counts.get(host, 0) + count
    return counts


def source_hosts(source: Source) -> tuple[str, ...]:
    """The sites a source reads: its follow URLs' hosts, and its follow file's."""
    hosts = list(source.hosts)
    listed = source.args.get("follow_file")
    if listed:
        try:
            lines = Path(listed).read_text(encoding="utf-8").splitlines()
        except OSError:
            lines = []
        for line in lines:
            host = (urlsplit(line.split("#", 1)[0].strip()).hostname or "").lower()
            if host:
                hosts.append(host[4:] if host.startswith("www.") else host)
    return tuple(dict.fromkeys(hosts))


def status_sources(root: Path, state) -> list[str]:
    """``archiver status``'s lines about the blog's sources file (none when it has none)."""
    path = sources_path(root)
    if not path.exists():
        return []
    try:
        return status_lines(load(path), state)
    except SourcesError as exc:
        return [f"Sources file: {exc}"]


def status_lines(sources: SourcesFile, state) -> list[str]:
    """Per source of the file: articles archived from its sites, its last run, its
    failures awaiting retry (``state``: the :class:`~archiver.store.state.State`, or None)."""
    urls = _per_host(state.per_origin()) if state else {}
    failures = _per_host(state.failures_per_origin()) if state else {}
    lines = [
        f"Sources of {sources.path}:",
        f"  {'source':<14}{'articles':>9}   {'last run (UTC)':<20}{'result':<11}{'new':>5}{'failed':>8}"
        f"{'to retry':>10}",
    ]
    for source in sources.sources:
        hosts = source_hosts(source)
        articles = sum(count for host, count in urls.items() if _matches(host, hosts))
        retry = sum(count for host, count in failures.items() if _matches(host, hosts))
        row = None
        if state:
            row = state.db.execute(
                "SELECT started, result, summary FROM runs WHERE spider=? ORDER BY id DESC LIMIT 1",
                (source.name,),
            ).fetchone()
        if row is None:
            run, result, new, failed = "never", "", "", ""
        else:
            started, result, summary = row
            counts = json.loads(summary) if summary else {}
            run = started[:16].replace("T", " ")
            result = result or "unfinished"
            new, failed = counts.get("new", ""), counts.get("failed", "")
        name = source.name + ("" if source.enabled else " (off)")
        lines.append(f"  {name:<14}{articles:>9}   {run:<20}{result:<11}{new!s:>5}{failed!s:>8}{retry:>10}")
    return lines
