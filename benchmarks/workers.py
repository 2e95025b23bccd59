"""Benchmark: one shared crawl on 1 worker against 2 workers (``archiver crawl --workers N``).

    python -m benchmarks.workers --articles 2000 [--rounds 2] [--keep DIR]

The images-off crawl of ``benchmarks.crawl``, the CPU-bound case: the same generated
jiemian-like site served by Debian's nginx on 127.0.0.1, the same concurrency, politeness
off (the only server is ours; the shared per-domain limit still holds across workers). A
real ``redis-server`` on 127.0.0.1 and a random port carries the queue, the seen-set and
the articles to the one writer. Interleaved in each round, each a separate process on a
fresh blog and an empty Redis:

* ``one process``  ``archiver crawl jiemian`` without Redis (the reference);
* ``1 worker``     ``archiver crawl jiemian --workers 1``: one worker and the writer;
* ``2 workers``    ``archiver crawl jiemian --workers 2``: two workers and the writer.

Measured: wall time, the archive rate (articles per second), CPU per article of every
process of the run (the command, its workers and its writer, from ``wait4``, plus the
redis-server's own CPU over the run, from /proc), the largest process's peak RSS. Printed:
medians with min–max, and the 2-worker / 1-worker ratios of the same rounds; then the CPU
per article of each kind of process (workers, writer, the command itself, redis-server;
from the run's ``--json``) and the cores each kept busy over the run, which say where the ceiling is: on a 2-core machine two workers can reach 2x only when
the writer, the command and Redis cost next to nothing beside them. The machine's load
average is printed: on a shared machine only the ratios of one run compare. Nothing here
asserts a time.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from benchmarks.crawl import CONCURRENCY, FAST
from benchmarks.harness import (
    ROOT,
    command_env,
    cpu_seconds,
    generated_site,
    load_average,
    machine,
    measure,
    run_rounds,
    spread,
    work_folder,
    write_json,
)
from benchmarks.nginx import Nginx

#: The target of issue 16: 2 workers archive at least this many times the 1-worker rate.
TARGET = 1.6
CASES = (("one", "one process"), ("w1", "1 worker"), ("w2", "2 workers"))
WORKERS = {"w1": 1, "w2": 2}
#: The processes of a run whose CPU is shown apart (from the run's JSON: each process's own
#: CPU as its stats were written; "command": the rest, the archiver command itself with its
#: one process's crawl, and what the others spent after their stats).
PARTS = (("workers", "workers"), ("writer", "writer"), ("command", "command"), ("redis", "redis-server"))


@dataclass
class Case:
    wall: float
    cpu: float  # the command and its children
    redis_cpu: float
    rss_mb: float
    processes: dict[str, float]  # workers, writer, command: CPU s

    @property
    def total_cpu(self) -> float:
        return self.cpu + self.redis_cpu

    def part(self, name: str) -> float:
        if name == "redis":
            return self.redis_cpu
        if name == "command":
            return max(0.0, self.cpu - self.processes.get("workers", 0.0) - self.processes.get("writer", 0.0))
        return self.processes.get(name, 0.0)


class WorkersBench:
    def __init__(self, work: Path, count: int, origin: str, urls_file: Path, redis):
        self.work, self.count, self.origin, self.urls_file, self.redis = work, count, origin, urls_file, redis
        self.env = command_env()

    def run(self, key: str, number: int) -> Case:
        import redis

        blog = self.work / f"blog-{key}-{number}"
        blog.mkdir()
        report = blog.parent / f"{blog.name}-run.json"
        command = [
            sys.executable,
            "-m",
            "archiver.cli",
            "crawl",
            "jiemian",
            "-a",
            f"urls_file={self.urls_file}",
        ]
        settings = {**FAST, "JIEMIAN_ORIGIN": self.origin, "ARCHIVER_OUTPUT": blog, "ARCHIVER_IMAGES": False}
        if key in WORKERS:
            command += ["--workers", str(WORKERS[key])]
            settings["ARCHIVER_REDIS_URL"] = self.redis.url
        for name, value in settings.items():
            command += ["-s", f"{name}={value}"]
        command += ["--json", str(report), "--log", str(blog.parent / f"{blog.name}.log")]
        client = redis.Redis.from_url(self.redis.url)
        client.flushall()
        before = cpu_seconds(self.redis.process.pid) or 0.0
        run = measure(command, ROOT, self.env, blog.parent / f"{blog.name}.out")
        redis_cpu = (cpu_seconds(self.redis.process.pid) or 0.0) - before
        data = json.loads(report.read_text(encoding="utf-8"))
        summary = data["summary"]
        processes: dict[str, float] = {}
        for entry in data.get("processes", []):  # --workers only: the writer's and each worker's CPU
            role = "workers" if entry["role"] == "worker" else entry["role"]
            processes[role] = processes.get(role, 0.0) + (entry["cpu_seconds"] or 0.0)
        posts = sum(1 for _ in (blog / "_posts").glob("*.md"))
        if summary["new"] != self.count or posts != self.count:
            raise SystemExit(
                f"benchmark: {key} wrote {posts} posts ({summary['new']} new) instead of {self.count}; see {report}"
            )
        shutil.rmtree(blog)
        return Case(run.wall, run.cpu, redis_cpu, run.rss_mb, processes)

    def round(self, number: int, cases: list[str]) -> dict[str, Case]:
        # alternate the order from round to round: neither case always runs on a warmer machine
        order = cases if number % 2 else list(reversed(cases))
        return {key: self.run(key, number) for key in order}


def report(rounds: list[dict[str, Case]], count: int, server: str) -> list[str]:
    import scrapy

    n = len(rounds)
    lines = [
        f"news-archiver workers benchmark: {count} articles, images off, nginx {server} on 127.0.0.1, "
        f"concurrency {CONCURRENCY} (per domain, shared by the workers)",
        f"machine: {machine()}; Python {sys.version.split()[0]}, Scrapy {scrapy.__version__}; "
        f"{load_average()} at the end",
        f"median of {n} round{'s' if n > 1 else ''} [min–max]; CPU = user+system of the command, its workers "
        "and writer, and redis-server",
        "",
        f"{'case':<14}{'wall s':<22}{'articles/s':<24}{'CPU ms/article':<22}{'of it redis':<14}"
        f"{'peak RSS MB':<12}",
    ]
    for key, title in CASES:
        if key not in rounds[0]:
            continue
        walls = [r[key].wall for r in rounds]
        rates = [count / w for w in walls]
        cpus = [r[key].total_cpu * 1000 / count for r in rounds]
        redis_cpu = [r[key].redis_cpu * 1000 / count for r in rounds]
        rss = [r[key].rss_mb for r in rounds]
        lines.append(
            f"{title:<14}{spread(walls, '.2f'):<22}{spread(rates, '.1f'):<24}{spread(cpus, '.2f'):<22}"
            f"{statistics.median(redis_cpu):<14.2f}{statistics.median(rss):<12.0f}"
        )
    lines += [
        "",
        "CPU ms per article by process (median), and in brackets the cores it kept busy (CPU s / wall s):",
        f"{'case':<14}" + "".join(f"{title:<20}" for _, title in PARTS),
    ]
    for key, title in CASES:
        if key not in rounds[0]:
            continue
        cells = []
        for part, _ in PARTS:
            ms = statistics.median(r[key].part(part) * 1000 / count for r in rounds)
            busy = statistics.median(r[key].part(part) / r[key].wall for r in rounds)
            cells.append(f"{ms:.2f} ({busy:.2f})")
        lines.append(f"{title:<14}" + "".join(f"{c:<20}" for c in cells))
    if "w1" in rounds[0] and "w2" in rounds[0]:
        rate = [r["w1"].wall / r["w2"].wall for r in rounds]
        cpu = [r["w2"].total_cpu / r["w1"].total_cpu for r in rounds]
        met = "met" if statistics.median(rate) >= TARGET else "NOT met"
        lines += [
            "",
            f"2 workers / 1 worker, same rounds: archive rate {spread(rate, '.2f')}  (>= {TARGET}: {met}); "
            f"CPU per article {spread(cpu, '.2f')}",
        ]
    if "one" in rounds[0] and "w1" in rounds[0]:
        rate = [r["one"].wall / r["w1"].wall for r in rounds]
        cpu = [r["w1"].total_cpu / r["one"].total_cpu for r in rounds]
        lines.append(
            f"1 worker / one process:         archive rate {spread(rate, '.2f')}; CPU per article {spread(cpu, '.2f')}"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    from tests.support.redisserver import RedisServer

    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.workers", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--articles", type=int, default=2000, help="articles in the generated site (2000)")
    parser.add_argument("--rounds", type=int, default=2, help="interleaved rounds; medians are printed (2)")
    parser.add_argument(
        "--keep", help="work in this folder and keep it (default: a temporary folder, removed)"
    )
    parser.add_argument("--json", help="also write every measurement as JSON here")
    parser.add_argument(
        "--cases", default=",".join(k for k, _ in CASES), help="cases to time (default: all): one,w1,w2"
    )
    args = parser.parse_args(argv)
    cases = [k for k, _ in CASES if k in args.cases.split(",")]
    with work_folder(args.keep, "archiver-bench-workers-") as work:
        site, urls, urls_file = generated_site(work, args.articles)
        with Nginx(site, work / "nginx") as server, RedisServer() as redis:
            bench = WorkersBench(work, len(urls), server.url, urls_file, redis)
            rounds = run_rounds(args.rounds, lambda number: bench.round(number, cases))
            lines = report(rounds, len(urls), server.version())
        print("\n".join(lines), flush=True)
        write_json(args.json, [{k: asdict(c) for k, c in rnd.items()} for rnd in rounds])
    return 0


if __name__ == "__main__":
    sys.exit(main())
