"""``archiver``: commands around the Scrapy project.

    archiver demo                       crawl the bundled offline copy of jiemian into output/
    archiver crawl jiemian [ARGS…]      a run for cron: summary, JSON, exit status
    archiver schedule [--every 30] …    print a crontab line (and systemd units) for this install
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
from archiver.demo.server import SITE, FixtureServer
from archiver.fsutil import write_atomic
from archiver.lock import EXIT_LOCKED

KEEP_LOGS = 30


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
    """The project settings with the ``-s`` overrides of ``extra`` applied."""
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "archiver.settings")
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    for name, value in _overrides(extra).items():
        settings.set(name, value, priority="cmdline")
    return settings


def _state_dir(extra: list[str]) -> Path:
    from archiver.state import state_dir

    return state_dir(run_settings(extra)).resolve()


# -- archiver crawl ---------------------------------------------------------------------


def _log_file(folder: Path, spider: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    old = sorted(folder.glob("*.log"))
    for stale in old[: max(0, len(old) - KEEP_LOGS + 1)]:
        stale.unlink(missing_ok=True)
    return folder / f"{datetime.now():%Y%m%d-%H%M%S}-{spider}.log"


def _run_child(command: list[str]) -> int:
    """Run the crawl and wait for it. Ctrl-C and SIGTERM reach the crawl through the process
    group (Scrapy then stops gracefully, keeping a JOBDIR queue); this wrapper ignores them
    so that it still prints the summary of the interrupted run."""
    child = subprocess.Popen(command, env=scrapy_env(), stdin=subprocess.DEVNULL)
    previous = {sig: signal.signal(sig, signal.SIG_IGN) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        return child.wait()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def crawl(args: argparse.Namespace, extra: list[str]) -> int:
    """Run ``scrapy crawl`` and turn its stats into a summary and an exit status:
    0 all well, 1 the run had errors (failed pages, errors logged, not finished),
    75 another run was in progress."""
    log = Path(args.log).expanduser() if args.log else _log_file(_state_dir(extra) / "logs", args.spider)
    handle, stats_path = tempfile.mkstemp(prefix="archiver-stats-", suffix=".json")
    os.close(handle)
    os.unlink(stats_path)
    command = [sys.executable, "-m", "scrapy", "crawl", args.spider, *extra,
               "-s", f"ARCHIVER_STATS_FILE={stats_path}", "-s", f"LOG_FILE={log}"]
    started = datetime.now()
    code = _run_child(command)
    stats_file = Path(stats_path)
    stats = json.loads(stats_file.read_text(encoding="utf-8")) if stats_file.exists() else None
    stats_file.unlink(missing_ok=True)
    if code == EXIT_LOCKED:
        print(f"archiver: another run of this blog is in progress; nothing done (log: {log})")
        summary = None
    elif stats is None:
        print(f"archiver: the crawl stopped before finishing (exit status {code}); log: {log}")
        tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-15:] if log.exists() else []
        for line in tail:
            print("  " + line)
        summary = None
    else:
        summary = report.summarize(stats)
        print(f"archiver crawl {args.spider} {' '.join(extra)}".rstrip() + f"  ({started:%Y-%m-%d %H:%M})")
        for line in report.summary_lines(summary):
            print("  " + line)
        print(f"  log: {log}")
    status = code if code in (EXIT_LOCKED,) else (1 if code or summary is None or report.had_errors(summary) else 0)
    if args.json:
        data = {"spider": args.spider, "arguments": extra, "started": started.isoformat(timespec="seconds"),
                "exit_status": status, "log": str(log), "summary": summary}
        write_atomic(Path(args.json).expanduser(), json.dumps(data, ensure_ascii=False, indent=2))
    return status


# -- archiver schedule ------------------------------------------------------------------


def schedule(args: argparse.Namespace, extra: list[str]) -> int:
    """Print a crontab line (and systemd units) that run ``archiver crawl`` for this install."""
    workdir = Path.cwd()
    state = _state_dir(extra)
    program = f"{shlex.quote(sys.executable)} -m archiver.cli"
    crawl_args = " ".join(shlex.quote(a) for a in [args.spider, *extra])
    json_file = shlex.quote(str(state / "last-run.json"))
    cron_log = shlex.quote(str(state / "cron.log"))
    command = f"{program} crawl {crawl_args} --json {json_file}"
    print("# crontab -e, then add (runs every", args.every, "minutes; a run still busy makes the next one exit at once):")
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="archiver", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)

    p_demo = sub.add_parser("demo", help="crawl the bundled offline copy of jiemian into output/")
    p_demo.add_argument("--output", default="output", help="blog root (default: output)")
    p_demo.set_defaults(func=demo)

    p_crawl = sub.add_parser("crawl", help="a run for cron: summary, JSON report, exit status",
                             description="Other arguments (-a NAME=VALUE, -s NAME=VALUE) go to scrapy crawl.")
    p_crawl.add_argument("spider")
    p_crawl.add_argument("--json", help="also write the summary as JSON to this file")
    p_crawl.add_argument("--log", help="Scrapy's log file (default: <state dir>/logs/<time>-<spider>.log)")
    p_crawl.set_defaults(func=crawl)

    p_sched = sub.add_parser("schedule", help="print a crontab line for this install",
                             description="Other arguments (-a, -s) are passed to every run.")
    p_sched.add_argument("spider", nargs="?", default="jiemian")
    p_sched.add_argument("--every", type=int, default=30, help="minutes between runs (default 30)")
    p_sched.add_argument("--systemd", action="store_true", help="also print systemd service and timer units")
    p_sched.set_defaults(func=schedule)

    args, extra = parser.parse_known_args(argv)
    return args.func(args, extra)


if __name__ == "__main__":
    sys.exit(main())
