"""``archiver``: commands around the Scrapy project.

archiver demo                       crawl the bundled offline copy of jiemian into output/
archiver crawl jiemian [ARGS…]      a run for cron: summary, JSON, exit status
archiver crawl                      every source of the blog's sources file (_archiver.toml)
archiver rebuild [--dry-run] …      re-render every post from the WARC archive, offline
archiver status …                   per source: articles, dates, last run, failures
archiver schedule [--every 30] …    print a crontab line (and systemd units) for this install
archiver preview [--port N] …       the blog's posts built in the Hux theme, served on 127.0.0.1
archiver crawl SPIDER --workers N   N processes share the crawl through Redis; one writes
archiver workers clear SPIDER       drop a stopped shared crawl's Redis queue
archiver worker SPIDER --blog PATH  on another machine: join a running shared crawl
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import signal
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path

from archiver import report
from archiver.store.atomic import write_atomic
from archiver.store.lock import EXIT_LOCKED

KEEP_LOGS = 30
#: Most processes ``--workers`` or ``--jobs`` starts, per CPU of the machine: more would
#: only share the same cores and memory (about 90 MB each); workers on other machines join
#: a shared crawl with ``archiver worker``.
PROCESSES_PER_CPU = 4


def processes(text: str, more: str = "") -> int:
    """The value of ``--workers`` / ``--jobs``: 0 (the default) or a number of processes
    this machine can run (at most :data:`PROCESSES_PER_CPU` per CPU); ``more``: where more
    can run, said when there are too many."""
    try:
        count = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    cpus = os.cpu_count() or 1
    if count < 0:
        raise argparse.ArgumentTypeError(f"{count}: a number of processes cannot be negative")
    if count > PROCESSES_PER_CPU * cpus:
        raise argparse.ArgumentTypeError(
            f"{count} processes on this machine's {cpus} CPUs: at most {PROCESSES_PER_CPU * cpus}{more}"
        )
    return count


def scrapy_env() -> dict[str, str]:
    """Environment in which ``scrapy`` finds this project from any folder."""
    env = dict(os.environ)
    env.setdefault("SCRAPY_SETTINGS_MODULE", "archiver.settings")
    return env


def crawl_command(spider: str, args: dict[str, str], settings: dict[str, str]) -> list[str]:
    command = [sys.executable, "-m", "scrapy", "crawl", spider]
    for name, value in args.items():
        command += ["-a", f"{name}={value}"]
    for name, value in settings.items():
        command += ["-s", f"{name}={value}"]
    return command


def demo_settings(origin: str, output: str) -> dict[str, str]:
    """The crawl settings of the demo: the local copy instead of jiemian.com; no
    politeness delays, since the only server is our own."""
    return {
        "JIEMIAN_ORIGIN": origin,
        "JIEMIAN_DEFAULT_LISTS": "65,800",
        "JIEMIAN_DEFAULT_PAGES": "3",
        "ARCHIVER_OUTPUT": output,
        "AUTOTHROTTLE_ENABLED": "False",
        "DOWNLOAD_DELAY": "0",
    }


def demo(args: argparse.Namespace, extra: list[str]) -> int:
    from archiver.demo.server import SITE, FixtureServer

    output = Path(args.output).expanduser()
    with FixtureServer(SITE) as server:
        print(f"Serving the bundled jiemian-like site at {server.url} (offline demo)")
        command = crawl_command("jiemian", {}, demo_settings(server.url, str(output))) + extra
        print("Running:", " ".join(command[1:]))
        code = subprocess.call(command, env=scrapy_env())
    posts = sorted((output / "_posts").glob("*.md"))
    print(f"\n{len(posts)} posts in {output / '_posts'}:")
    for post in posts:
        print(f"  {post.name}")
    return code


# -- settings as the crawl will see them ---------------------------------------------


def _overrides(extra: list[str]) -> dict[str, str]:
    found = {}
    for flag, value in zip(extra, extra[1:]):
        if flag in ("-s", "--set") and "=" in value:
            name, _, val = value.partition("=")
            found[name] = val
    return found


def run_settings(extra: list[str]):
    """The project settings with the ``-s`` overrides of ``extra`` applied, read without
    importing Scrapy (archiver/projectsettings.py: that alone costs half a second)."""
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "archiver.settings")
    from archiver.projectsettings import ProjectSettings

    return ProjectSettings(_overrides(extra))


def _state_dir(extra: list[str]) -> Path:
    from archiver.config import state_dir

    return state_dir(run_settings(extra)).resolve()


# -- archiver crawl ---------------------------------------------------------------------


def _log_file(folder: Path, spider: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    old = sorted(folder.glob("*.log"))
    for stale in old[: max(0, len(old) - KEEP_LOGS + 1)]:
        stale.unlink(missing_ok=True)
    return folder / f"{datetime.now():%Y%m%d-%H%M%S}-{spider}.log"


#: The signals that stop a run (Ctrl-C, a service manager's stop).
STOPS = (signal.SIGINT, signal.SIGTERM)
#: The signal a run's command passes on to its processes when it is told to stop: a
#: graceful stop in them (archiver.extensions.stop_when_asked) which, unlike a second
#: SIGTERM, never makes Scrapy force an unclean stop when the stop reached them too.
PASS_ON = signal.SIGUSR1


class Outlive:
    """Ctrl-C and SIGTERM reach a run's processes through the process group (Scrapy then
    stops them gracefully); the parent only outlives them to report. It catches the
    signals rather than ignoring them: an ignored signal stays ignored in a child, which
    would then miss one sent while it starts (before Scrapy's handlers). One that came
    before the processes were all started is passed on to them.

    A stop sent to the parent alone (``kill PID``, not the process group) is passed on to
    its processes (:data:`PASS_ON`): they used to run on to the end.

    A parent killed alone (``kill -9`` of the pid ``archiver status`` shows) takes its
    processes with it: on Linux each gets SIGTERM when the parent dies (``prctl``'s
    parent-death signal) and stops as on Ctrl-C, instead of running on unseen (a writer
    waiting for ever for workers no one watches). They hold the blog's run lock with the
    parent (:func:`archiver.store.lock.held`) until the last of them is gone."""

    def __init__(self):
        self.received: list[int] = []
        self.children: list[subprocess.Popen] = []
        self.previous = {sig: signal.signal(sig, self._note) for sig in STOPS}

    def _note(self, signum, _frame) -> None:
        self.received.append(signum)
        for child in self.children:  # a stop sent to this process alone (``kill PID``)
            if child.poll() is None:
                child.send_signal(PASS_ON)

    def start(self, commands: list[list[str]], env: dict[str, str]) -> list[subprocess.Popen]:
        from archiver.store.lock import PARENT_ENV, held

        env = {**env, PARENT_ENV: str(os.getpid())}
        children = [
            subprocess.Popen(
                command, env=env, stdin=subprocess.DEVNULL, pass_fds=held(), preexec_fn=_die_with(os.getpid())
            )
            for command in commands
        ]
        for signum in self.received[:1]:
            for child in children:
                child.send_signal(signum)
        self.children = children
        return children

    def close(self) -> None:
        for sig, handler in self.previous.items():
            signal.signal(sig, handler)


#: prctl(2)'s option for the signal a process gets when its parent dies.
PR_SET_PDEATHSIG = 1


def _die_with(parent: int):
    """For ``preexec_fn``: the child gets SIGTERM when ``parent`` dies (Linux; elsewhere
    None, and a child outlives a killed parent). A parent already gone by then: it exits."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    prctl = ctypes.CDLL(None, use_errno=True).prctl  # loaded here: nothing imports after the fork

    def die_with_parent() -> None:
        prctl(PR_SET_PDEATHSIG, int(signal.SIGTERM))
        if os.getppid() != parent:
            os._exit(1)

    return die_with_parent


def _run_children(commands: list[list[str]], watch=None) -> list[int]:
    """Run the crawls (in parallel) and wait for them (``watch``: a progress bar on a
    terminal, archiver/progress.py). Ctrl-C and SIGTERM reach the crawls through the
    process group (Scrapy then stops gracefully, keeping a JOBDIR queue); this wrapper
    outlives them (:class:`Outlive`) so that it still prints the summary of the
    interrupted run."""
    from archiver import progress

    outlive = Outlive()
    try:
        return progress.wait(outlive.start(commands, scrapy_env()), watch)
    finally:
        outlive.close()


def _stats_path() -> Path:
    handle, path = tempfile.mkstemp(prefix="archiver-stats-", suffix=".json")
    os.close(handle)
    os.unlink(path)
    return Path(path)


def _read_stats(path: Path) -> dict | None:
    stats = json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
    path.unlink(missing_ok=True)
    return stats


def merge_stats(parts: list[dict]) -> dict:
    """One run's stats from its workers' stats: counters add up, lists join, times take
    the longest; the run finished only if every worker did."""
    merged: dict = {}
    for stats in parts:
        for key, value in stats.items():
            if key == "finish_reason" or isinstance(value, bool) or value is None:
                continue
            if key in ("elapsed_time_seconds", "memusage/max"):
                merged[key] = max(merged.get(key) or 0, value)
            elif isinstance(value, (int, float)):
                merged[key] = (merged.get(key) or 0) + value
            elif isinstance(value, list):
                merged[key] = merged.get(key, []) + value
            else:
                merged.setdefault(key, value)
    reasons = [stats.get("finish_reason", "unknown") for stats in parts]
    merged["finish_reason"] = next((r for r in reasons if r != "finished"), "finished")
    return merged


def run(
    spider: str,
    extra: list[str],
    log_arg: str | None,
    json_arg: str | None,
    title: str,
    workers: list[list[str]] | None = None,
) -> tuple[int, dict | None]:
    """Run ``scrapy crawl`` (or one per entry of ``workers``: extra arguments each, run in
    parallel) and turn the stats into a summary and an exit status: 0 all well, 1 the run
    had errors (failed pages, errors logged, not finished), 75 another run was in progress."""
    log = Path(log_arg).expanduser() if log_arg else _log_file(_state_dir(extra) / "logs", spider)
    workers = workers or [[]]
    logs = (
        [log]
        if len(workers) == 1
        else [log.with_name(f"{log.stem}-{n}{log.suffix}") for n in range(1, len(workers) + 1)]
    )
    stats_paths = [_stats_path() for _ in workers]
    from archiver.progress import Watch

    watch = Watch.for_terminal(len(workers), title.split("  ")[0].split(" -")[0])
    commands = [
        [
            sys.executable,
            "-m",
            "scrapy",
            "crawl",
            spider,
            *extra,
            *own,
            "-s",
            f"ARCHIVER_STATS_FILE={stats}",
            "-s",
            f"LOG_FILE={worker_log}",
            *(watch.settings(n) if watch else []),
        ]
        for n, (own, stats, worker_log) in enumerate(zip(workers, stats_paths, logs))
    ]
    started = datetime.now()
    codes = _run_children(commands, watch)
    parts = [_read_stats(path) for path in stats_paths]
    code = EXIT_LOCKED if EXIT_LOCKED in codes else max(codes)
    shown = ", ".join(map(str, logs))
    summary = None
    if code == EXIT_LOCKED:
        print(f"archiver: another run of this blog is in progress; nothing done (log: {shown})")
    elif any(part is None for part in parts):
        print(f"archiver: the crawl stopped before finishing (exit status {code}); log: {shown}")
        for worker_log in logs:
            tail = (
                worker_log.read_text(encoding="utf-8", errors="replace").splitlines()[-15:]
                if worker_log.exists()
                else []
            )
            for line in tail:
                print("  " + line)
    else:
        summary = report.summarize(merge_stats([part for part in parts if part is not None]))
        print(f"{title}  ({started:%Y-%m-%d %H:%M})")
        for line in report.summary_lines(summary):
            print("  " + line)
        print(f"  log: {shown}")
    if code == EXIT_LOCKED:
        status = EXIT_LOCKED
    else:
        status = 1 if code or summary is None or report.had_errors(summary) else 0
    if json_arg:
        data = {
            "spider": spider,
            "arguments": extra,
            "started": started.isoformat(timespec="seconds"),
            "exit_status": status,
            "log": str(logs[0]) if len(logs) == 1 else [str(p) for p in logs],
            "summary": summary,
        }
        write_atomic(Path(json_arg).expanduser(), json.dumps(data, ensure_ascii=False, indent=2))
    return status, summary


def _workers_clear(args: argparse.Namespace, extra: list[str]) -> int:
    from archiver.workers.run import clear  # imported only for this command: start-up of the others

    return clear(args, extra)


def _worker(args: argparse.Namespace, extra: list[str]) -> int:
    from archiver.workers.remote import join  # archiver/workers/remote.py: the command

    return join(args, extra)


def crawl(args: argparse.Namespace, extra: list[str]) -> int:
    if args.workers:  # also without a spider: it says that a shared crawl needs one
        from archiver.workers import run as shared

        return shared.crawl(args, extra)
    if args.spider is None:
        from archiver.sourcescli import crawl_sources

        return crawl_sources(args, extra)
    title = f"archiver crawl {args.spider} {' '.join(extra)}".rstrip()
    return run(args.spider, extra, args.log, args.json, title)[0]


# -- archiver rebuild -------------------------------------------------------------------

#: A rebuild reads only the WARC archive: no robots.txt, no politeness delays, no
#: recording of what it reads, no retries of earlier failures over the network.
REBUILD_SETTINGS = {
    "ROBOTSTXT_OBEY": "False",
    "AUTOTHROTTLE_ENABLED": "False",
    "DOWNLOAD_DELAY": "0",
    "CONCURRENT_REQUESTS": "32",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "32",
    "ARCHIVER_WARC": "False",
    "ARCHIVER_RETRY_FAILURES": "False",
}


def rebuild(args: argparse.Namespace, extra: list[str]) -> int:
    """Re-render every post from the WARC archive with the current parser and settings."""
    from archiver.config import warc_dir
    from archiver.store.warc import warc_files

    settings_now = run_settings(extra)
    folder = Path(args.warc).expanduser() if args.warc else warc_dir(settings_now)
    if not warc_files(folder):
        print(f"archiver: no WARC files in {folder}; nothing to rebuild from")
        return 1
    settings = dict(REBUILD_SETTINGS, ARCHIVER_DRY_RUN=str(bool(args.dry_run)))
    spider_args = ["-a", f"warc={folder}"]
    for name, value in settings.items():
        spider_args += ["-s", f"{name}={value}"]
    title = f"archiver rebuild{' --dry-run' if args.dry_run else ''} {' '.join(extra)}".rstrip()
    jobs = max(1, args.jobs or os.cpu_count() or 1)
    if jobs == 1:
        status, summary = run(args.spider, spider_args + extra, args.log, args.json, title)
    else:  # N workers, each a disjoint shard of the archive; this process holds the lock
        from archiver.config import blog_root, state_dir
        from archiver.store.atomic import remove_stale_temporaries
        from archiver.store.lock import RunLock, RunLocked

        try:
            lock = RunLock(state_dir(settings_now).resolve() / "run.lock").acquire()
        except RunLocked as exc:
            print(f"archiver: {exc}")
            return EXIT_LOCKED
        try:
            remove_stale_temporaries(blog_root(settings_now))
            workers = [
                ["-a", f"shard={n}/{jobs}", "-s", f"ARCHIVER_LOCK_HELD_BY={os.getpid()}"] for n in range(jobs)
            ]
            status, summary = run(
                args.spider, spider_args + extra, args.log, args.json, f"{title}  [{jobs} workers]", workers
            )
        finally:
            lock.release()
    if summary is not None and args.dry_run:
        counts = summary["dry_run"]
        print(
            "  dry run, nothing written: " + (", ".join(f"{k} {v}" for k, v in counts.items()) or "no posts")
        )
        for outcome, path in sorted(summary["dry_run_posts"], key=lambda e: (e[0] == "unchanged", e[1])):
            print(f"    {outcome:<11} {path}")
    return status


# -- archiver status --------------------------------------------------------------------


def status(args: argparse.Namespace, extra: list[str]) -> int:
    from archiver.statuscli import status as show

    return show(run_settings(extra))


# -- archiver schedule ------------------------------------------------------------------


def schedule(args: argparse.Namespace, extra: list[str]) -> int:
    """Print a crontab line (and systemd units) that run ``archiver crawl`` for this install."""
    workdir = Path.cwd()
    state = _state_dir(extra)
    program = f"{shlex.quote(sys.executable)} -m archiver.cli"
    from archiver.sourcescli import schedule_lines

    spider_words, comments = schedule_lines(args, extra)
    if spider_words is None:
        return 2
    crawl_args = " ".join(shlex.quote(a) for a in [*spider_words, *extra])
    json_file = shlex.quote(str(state / "last-run.json"))
    cron_log = shlex.quote(str(state / "cron.log"))
    command = f"{program} crawl {crawl_args} --json {json_file}"
    print(
        "# crontab -e, then add (runs every",
        args.every,
        "minutes; a run still busy makes the next one exit at once):",
    )
    print(*comments, sep="\n")
    print(f"*/{args.every} * * * * cd {shlex.quote(str(workdir))} && {command} >> {cron_log} 2>&1")
    if args.systemd:
        print(f"""
# ~/.config/systemd/user/news-archiver.service
[Unit]
Description=news-archiver: archive news into the blog

[Service]
Type=oneshot
WorkingDirectory={workdir}
ExecStart={command}

# ~/.config/systemd/user/news-archiver.timer
[Unit]
Description=Run news-archiver every {args.every} minutes

[Timer]
OnCalendar=*:0/{args.every}
Persistent=true

[Install]
WantedBy=timers.target

# then: systemctl --user daemon-reload && systemctl --user enable --now news-archiver.timer""")
    return 0


#: Options passed through to ``scrapy crawl``: their values must not be taken for a spider.
PASSED_OPTIONS = ("-s", "--set", "-a")


def _protect(argv: list[str]) -> tuple[list[str], dict[str, list[str]]]:
    """``-s NAME=VALUE`` as one token that argparse leaves to ``extra`` (else, with the
    spider optional, it would take ``NAME=VALUE`` for the spider); see :func:`_restore`."""
    out: list[str] = []
    held: dict[str, list[str]] = {}
    n = 0
    while n < len(argv):
        token = argv[n]
        if token in PASSED_OPTIONS and n + 1 < len(argv):
            joined = f"{token}=@{len(held)}"  # no space in it, or argparse takes it for the spider
            held[joined] = [token, argv[n + 1]]
            out.append(joined)
            n += 2
        else:
            out.append(token)
            n += 1
    return out, held


def _restore(extra: list[str], held: dict[str, list[str]]) -> list[str]:
    return [word for token in extra for word in held.get(token, [token])]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="archiver", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)

    p_demo = sub.add_parser("demo", help="crawl the bundled offline copy of jiemian into output/")
    p_demo.add_argument("--output", default="output", help="blog root (default: output)")
    p_demo.set_defaults(func=demo)

    p_crawl = sub.add_parser(
        "crawl",
        help="a run for cron: summary, JSON report, exit status",
        description="Other arguments (-a NAME=VALUE, -s NAME=VALUE) go to scrapy crawl.",
    )
    p_crawl.add_argument("spider", nargs="?", help="default: every source of the blog's _archiver.toml")
    p_crawl.add_argument("--sources", help="the sources file (default: <blog root>/_archiver.toml)")
    p_crawl.add_argument("--only", help="with no spider: only these sources (NAME[,NAME…])")
    p_crawl.add_argument("--json", help="also write the summary as JSON to this file")
    p_crawl.add_argument("--log", help="Scrapy's log file (default: <state dir>/logs/<time>-<spider>.log)")
    p_crawl.add_argument(
        "--workers",
        type=lambda text: processes(text, " (workers on other machines join with `archiver worker`)"),
        default=0,
        help="N processes sharing the crawl through Redis (ARCHIVER_REDIS_URL)",
    )
    p_crawl.set_defaults(func=crawl)

    p_workers = sub.add_parser("workers", help="a shared crawl's Redis queue: clear a stopped run's")
    p_workers.add_argument("action", choices=["clear"])
    p_workers.add_argument("spider")
    p_workers.add_argument(
        "--force", action="store_true", help="even another blog's, or with workers running"
    )
    p_workers.set_defaults(func=_workers_clear)

    p_worker = sub.add_parser(
        "worker",
        help="on another machine: join a running shared crawl (the same ARCHIVER_REDIS_URL and -a)",
        description="Other arguments (-a NAME=VALUE, -s NAME=VALUE) go to the worker's scrapy crawl.",
    )
    p_worker.add_argument("spider")
    p_worker.add_argument("--blog", required=True, help="the blog to help: its folder on its host, or its id")
    p_worker.add_argument(
        "--folder", default="archiver-worker", help="this worker's log, state and WARC copy"
    )
    p_worker.add_argument("--wait", type=float, default=60.0, help="seconds to wait for a run to join")
    p_worker.set_defaults(func=_worker)

    p_rebuild = sub.add_parser(
        "rebuild",
        help="re-render every post from the WARC archive, offline",
        description="Other arguments (-s NAME=VALUE) go to the crawl.",
    )
    p_rebuild.add_argument("--dry-run", action="store_true", help="list what would change; write nothing")
    p_rebuild.add_argument(
        "--spider",
        default="article",
        help="spider that reads the pages (default: article, which routes every "
        "URL to its site's parser or the generic one)",
    )
    p_rebuild.add_argument("--warc", help="WARC file or folder (default: the blog's archive)")
    p_rebuild.add_argument(
        "--jobs",
        type=processes,
        default=0,
        help="worker processes, each rebuilding a share of the posts (default: the number of CPUs)",
    )
    p_rebuild.add_argument("--json", help="also write the summary as JSON to this file")
    p_rebuild.add_argument("--log", help="Scrapy's log file")
    p_rebuild.set_defaults(func=rebuild)

    p_status = sub.add_parser(
        "status",
        help="what is archived, the last run, failures awaiting retry",
        description="Other arguments (-s NAME=VALUE) select the blog.",
    )
    p_status.set_defaults(func=status)

    p_sched = sub.add_parser(
        "schedule",
        help="print a crontab line for this install",
        description="Other arguments (-a, -s) are passed to every run.",
    )
    p_sched.add_argument("spider", nargs="?", help="default: the blog's _archiver.toml, else jiemian")
    p_sched.add_argument("--sources", help="the sources file (default: <blog root>/_archiver.toml)")
    p_sched.add_argument("--every", type=int, default=30, help="minutes between runs (default 30)")
    p_sched.add_argument("--systemd", action="store_true", help="also print systemd service and timer units")
    p_sched.set_defaults(func=schedule)

    from archiver import preview

    p_preview = sub.add_parser(
        "preview",
        help="build the blog's posts in the Hux theme with Jekyll and serve them on 127.0.0.1",
        description="Other arguments (-s NAME=VALUE) select the blog.",
    )
    preview.add_arguments(p_preview)
    p_preview.set_defaults(func=preview.preview)

    protected, held = _protect(sys.argv[1:] if argv is None else list(argv))
    args, extra = parser.parse_known_args(protected)
    return args.func(args, _restore(extra, held))


if __name__ == "__main__":
    sys.exit(main())
