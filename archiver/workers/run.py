"""``archiver crawl SPIDER --workers N``: N worker processes share one crawl through Redis
(scrapy-redis), one writer process writes the blog; and ``archiver workers clear``.

This process holds the blog's run lock for all of them, checks Redis before anything is
fetched, claims the crawl's keys for this blog, starts the writer and the workers, puts
the requests of a worker that dies back on the queue, stops everything when Redis goes
away, and prints one summary of the run (the workers' and the writer's stats merged).

A clean finish clears the seen-set, so that the next run discovers again (the articles
already in the blog are not fetched again: the skip-archived middleware). A run that did
not finish leaves its queue: the next run resumes it, or ``archiver workers clear``
drops it.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

from archiver import report
from archiver.report import CPU_STAT
from archiver.workers import throttle
from archiver.workers.shared import (
    Keys,
    RedisProblem,
    blog_id,
    claim,
    connect,
    is_dead,
    pending,
    requeue,
    requeue_dead,
    spider_arguments,
)

#: Seconds between two looks at the children and at Redis.
POLL = 0.1
#: Seconds the processes get to stop after a SIGTERM, before a SIGKILL.
STOP_GRACE = 10.0


def role_settings(role: str, worker: str = "") -> dict[str, str]:
    # every process that downloads (workers: pages; the writer: images) takes a shared lease
    polite = {"DOWNLOAD_HANDLERS": json.dumps(throttle.HANDLERS)}
    if role == "worker":
        return {
            "ARCHIVER_WORKER_ROLE": "worker",
            "ARCHIVER_WORKER_ID": worker,
            "SCHEDULER": "archiver.workers.scheduler.SharedScheduler",
            "ITEM_PIPELINES": "{}",
            "SPIDER_MIDDLEWARES": json.dumps(
                {"archiver.workers.shipping.ShipItems": 10, "archiver.workers.seeding.SeedOnce": 20}
            ),
            **polite,
        }
    return {
        "ARCHIVER_WORKER_ROLE": "writer",
        "SPIDER_MIDDLEWARES": json.dumps({"archiver.workers.shipping.WriterStart": 10}),
        **polite,
    }


def _command(spider: str, extra: list[str], settings: dict[str, str]) -> list[str]:
    command = [sys.executable, "-m", "scrapy", "crawl", spider, *extra]
    for name, value in settings.items():
        command += ["-s", f"{name}={value}"]
    return command


def _stop(children: list[subprocess.Popen]) -> None:
    for child in children:
        if child.poll() is None:
            child.terminate()
    deadline = time.monotonic() + STOP_GRACE
    for child in children:
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def stopped_how(codes: list[int], parts: list | None = None) -> str:
    """Which processes of the run (the writer first) stopped short, and how; ``parts``:
    their stats (None for one that wrote none: stopped before its crawl began when it
    exited 0, as on a Ctrl-C while it started)."""
    said = []
    for n, code in enumerate(codes):
        who = "the writer" if n == 0 else f"worker {n}"
        if code < 0:
            try:
                how = signal.Signals(-code).name
            except ValueError:
                how = f"signal {-code}"
            said.append(f"{who} was killed ({how})")
        elif code:
            said.append(f"{who} exited with status {code}")
        elif parts is not None and parts[n] is None:
            said.append(f"{who} stopped before its crawl began")
    return ", ".join(said) or f"exit statuses {codes}"


def _redis_ok(client) -> str | None:
    try:
        client.ping()
        return None
    except Exception as exc:  # redis.ConnectionError, TimeoutError, OSError
        return str(exc) or type(exc).__name__


#: What :func:`_look` says when the crawl's keys went from Redis while it ran.
CLEARED = "cleared"


def _look(client, watch, keys: Keys) -> str | None:
    """The bar updated (on a terminal); what is wrong with Redis, :data:`CLEARED` when the
    crawl's keys are gone (``archiver workers clear --force`` while it ran: its workers
    would find the queue empty and stop as if the crawl were done), or None."""
    if watch is not None:
        watch.update()
    try:
        return None if client.exists(keys.blog) else CLEARED
    except Exception as exc:  # redis.ConnectionError, TimeoutError, OSError
        return _redis_ok(client) or str(exc) or type(exc).__name__


def _requeue(client, keys: Keys, worker: str) -> str | None:
    """Give a stopped worker's requests back; what is wrong with Redis, or None (a worker
    stopped by Redis going away may be seen stopping before the ping fails)."""
    try:
        requeue(client, keys, worker)
        return None
    except Exception as exc:  # redis.ConnectionError, TimeoutError, OSError
        return _redis_ok(client) or str(exc) or type(exc).__name__


def _tidy(extra: list[str]) -> None:
    """Once every process of the run has stopped (this one holds the lock): close the WARC
    files of killed workers at their last whole record, remove temporaries of writes a
    killed writer never finished."""
    from archiver import cli, config
    from archiver.store.atomic import remove_stale_temporaries
    from archiver.store.warc import recover_open_files

    settings = cli.run_settings(extra)
    remove_stale_temporaries(config.blog_root(settings))
    if config.warc_dir(settings).is_dir():
        recover_open_files(config.warc_dir(settings))


def crawl(args: argparse.Namespace, extra: list[str]) -> int:
    from archiver import cli, config
    from archiver.store.lock import EXIT_LOCKED, RunLock, RunLocked

    spider, count = args.spider, args.workers
    if spider is None:
        print(
            "archiver: --workers shares the crawl of one spider (archiver crawl SPIDER --workers N); "
            "the sources of the blog's sources file run without it, one after another"
        )
        return 2
    settings = cli.run_settings(extra)
    url = config.get(settings, "ARCHIVER_REDIS_URL")
    try:
        client = connect(url)
    except RedisProblem as exc:
        print(f"archiver: {exc}")
        return 1
    root = config.blog_root(settings).resolve()
    folder = config.state_dir(settings).resolve()
    try:
        lock = RunLock(folder / "run.lock").acquire()
    except RunLocked as exc:
        print(f"archiver: {exc}")
        return EXIT_LOCKED
    import redis

    try:
        keys = Keys.for_settings(settings, spider)
        try:
            claim(client, keys, blog_id(folder), root)
        except RedisProblem as exc:
            print(f"archiver: {exc}")
            return 1
        _tidy(extra)
        requeue_dead(client, keys)
        queued, held, waiting = pending(client, keys)
        if queued or held or waiting:
            print(
                f"archiver: resuming the crawl a stopped run left in Redis ({keys.base}:*): "
                f"{queued} requests queued, {waiting} articles to write "
                f"(`archiver workers clear {spider}` would drop them)"
            )
        else:
            client.delete(keys.dupefilter)  # a new run: discover again
        client.delete(*keys.run_marks)
        client.set(keys.arguments, json.dumps(spider_arguments(extra)))  # for `archiver worker`
        return _run(args, extra, spider, count, client, keys, url)
    except redis.RedisError as exc:  # refused a command (full: maxmemory, read-only replica…)
        print(
            f"archiver: Redis at {url} failed ({type(exc).__name__}: {exc}); the run stopped. "
            "Posts written so far are whole; run again once Redis is fixed"
        )
        return 1
    finally:
        lock.release()


def _run(args, extra, spider, count, client, keys: Keys, url: str) -> int:
    from archiver import cli

    title = f"archiver crawl {spider} {' '.join(extra)}".rstrip() + f"  [{count} workers]"
    log = Path(args.log).expanduser() if args.log else cli._log_file(cli._state_dir(extra) / "logs", spider)
    names = [f"{socket.gethostname()}-{os.getpid()}-{n}" for n in range(1, count + 1)]
    logs = [log.with_name(f"{log.stem}-writer{log.suffix}")] + [
        log.with_name(f"{log.stem}-{n}{log.suffix}") for n in range(1, count + 1)
    ]
    stats_paths = [cli._stats_path() for _ in logs]
    lender = {"ARCHIVER_LOCK_HELD_BY": str(os.getpid())}
    roles = [role_settings("writer")] + [role_settings("worker", name) for name in names]
    from archiver.progress import Watch

    # on a terminal, one bar of the whole crawl: the writer's posts and the workers' drops
    watch = Watch.for_terminal(len(roles), f"archiver crawl {spider}")
    commands = [
        _command(spider, extra, {**lender, **own, "ARCHIVER_STATS_FILE": str(stats), "LOG_FILE": str(path)})
        + (watch.settings(n) if watch else [])
        for n, (own, stats, path) in enumerate(zip(roles, stats_paths, logs))
    ]
    started = datetime.now()
    env = cli.scrapy_env()
    outlive = cli.Outlive()
    children = outlive.start(commands, env)
    writer, workers = children[0], children[1:]
    lost = None
    try:
        handled: set[int] = set()
        while lost is None:
            for n, child in enumerate(workers):
                if n not in handled and child.poll() is not None:
                    handled.add(n)
                    if child.returncode:  # killed or failed: what it held goes back
                        lost = _requeue(client, keys, names[n]) if lost is None else lost
            if lost is not None or len(handled) == len(workers):
                break
            if writer.poll() is not None:
                break  # the writer stopped early: stop the workers, report
            lost = _look(client, watch, keys)
            time.sleep(POLL)
        if lost is None and writer.poll() is None:  # every worker stopped: the writer drains
            try:
                client.set(keys.done, b"1")
            except Exception as exc:  # redis.RedisError, OSError: stop the writer, report
                lost = _redis_ok(client) or f"{type(exc).__name__}: {exc}"
            while writer.poll() is None and lost is None:
                lost = _look(client, watch, keys)
                time.sleep(POLL)
        if lost is not None or any(child.poll() is None for child in children):
            _stop(children)  # Redis went away, or the writer stopped before the workers
    finally:
        outlive.close()
        if watch is not None:
            watch.close()
    codes = [child.wait() for child in children]
    _tidy(extra)  # what killed processes left: an open WARC file, a temporary
    parts = [cli._read_stats(path) for path in stats_paths]
    shown = ", ".join(map(str, logs))
    if lost is None:  # the processes may all have stopped on Redis going away before a ping saw it
        lost = _look(client, None, keys)
    if lost == CLEARED:
        print(
            f"archiver: the crawl's keys in Redis ({keys.base}:*) were cleared while it ran "
            f"(`archiver workers clear --force`, or a Redis that lost its data: restarted without "
            f"saving it, or flushed); the run stopped. Posts written so far are whole; "
            f"the next run fetches the rest (log: {shown})"
        )
        return 1
    if lost is not None:
        print(
            f"archiver: Redis at {url} went away mid-run ({lost}); the run stopped. Posts written "
            f"so far are whole; run again once Redis is back (log: {shown})"
        )
        return 1
    # counted in Redis: a live worker may have given them back before this process saw the death
    returned = int(client.get(keys.returned) or 0)
    if returned:
        print(f"archiver: {returned} requests of workers that stopped went back on the queue")
    summary = None
    code = max(abs(c) for c in codes)
    missing = [n for n, part in enumerate(parts) if part is None]
    if missing and (len(missing) == len(parts) or any(codes[n] for n in missing)):
        print(f"archiver: the crawl stopped before finishing ({stopped_how(codes, parts)}); log: {shown}")
    else:
        if missing:  # stopped (Ctrl-C) while it started: it did nothing, the others tell the run
            print(f"archiver: {stopped_how(codes, parts)}")
        summary = report.summarize(cli.merge_stats([p for p in parts if p is not None]))
        print(f"{title}  ({started:%Y-%m-%d %H:%M})")
        for line in report.summary_lines(summary):
            print("  " + line)
        print(f"  log: {shown}")
    finished = not code and summary is not None and summary["finish_reason"] == "finished"
    left = pending(client, keys)
    if finished and not any(left):
        # a clean end: the next run discovers again, and no blog owns the keys any more
        client.delete(keys.dupefilter, keys.blog, keys.workers, keys.arguments, *keys.run_marks)
    elif any(left):
        print(
            f"archiver: {left[0] + left[1]} requests and {left[2]} articles are left in Redis "
            f"({keys.base}:*): the next run resumes them (`archiver workers clear {spider}` drops them)"
        )
    status = 1 if code or summary is None or report.had_errors(summary) else 0
    if args.json:
        from archiver.store.atomic import write_atomic

        data = {
            "spider": spider,
            "arguments": extra,
            "workers": count,
            "started": started.isoformat(timespec="seconds"),
            "exit_status": status,
            "log": [str(p) for p in logs],
            "summary": summary,
            # what each process cost (CPU seconds, user + system), the writer first
            "processes": [
                {"role": "writer" if n == 0 else "worker", "cpu_seconds": (part or {}).get(CPU_STAT)}
                for n, part in enumerate(parts)
            ],
        }
        write_atomic(Path(args.json).expanduser(), json.dumps(data, ensure_ascii=False, indent=2))
    return status


def clear(args: argparse.Namespace, extra: list[str]) -> int:
    """``archiver workers clear SPIDER``: drop a stopped run's queue, seen-set and articles."""
    from archiver import cli, config

    settings = cli.run_settings(extra)
    try:
        client = connect(config.get(settings, "ARCHIVER_REDIS_URL"))
    except RedisProblem as exc:
        print(f"archiver: {exc}")
        return 1
    keys = Keys.for_settings(settings, args.spider)
    folder = config.state_dir(settings).resolve()
    if not args.force:
        try:
            claim(client, keys, blog_id(folder), config.blog_root(settings).resolve())
        except RedisProblem as exc:
            print(f"archiver: {exc} (or --force)")
            return 1
        live = [
            name.decode()
            for name, info in client.hgetall(keys.workers).items()
            if not is_dead(client, keys, name.decode(), info)
        ]
        if live:
            print(f"archiver: workers are running on {keys.base} ({', '.join(live)}); stop them first")
            return 1
    queued, held, waiting = pending(client, keys)
    for name in client.hkeys(keys.workers):  # the stopped workers' slots on the sites
        throttle.give_back(client, keys.prefix, name.decode())
    found = keys.all(client)
    if found:
        client.delete(*found)
    print(
        f"Cleared {len(found)} Redis keys of {keys.base}: {queued + held} requests, "
        f"{waiting} articles not yet written (their pages are fetched again by the next run)"
    )
    return 0
