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
medians with min–max, and the 2-worker / 1-worker ratios of the same rounds. Nothing here
asserts a time.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.crawl import CONCURRENCY, FAST, ROOT, machine, measure
from benchmarks.nginx import Nginx
from benchmarks.site import generate

#: The target of issue 16: 2 workers archive at least this many times the 1-worker rate.
TARGET = 1.6
CASES = (("one", "one process"), ("w1", "1 worker"), ("w2", "2 workers"))
WORKERS = {"w1": 1, "w2": 2}


def _ticks(pid: int) -> float:
    """CPU seconds (user + system) of a live process, from /proc/<pid>/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Case:
    wall: float
    cpu: float  # the command and its children
    redis_cpu: float
    rss_mb: float

    @property
    def total_cpu(self) -> float:
        return self.cpu + self.redis_cpu


class WorkersBench:
    def __init__(self, work: Path, count: int, origin: str, urls_file: Path, redis):
        self.work, self.count, self.origin, self.urls_file, self.redis = work, count, origin, urls_file, redis
        self.env = dict(
            os.environ,
            SCRAPY_SETTINGS_MODULE="archiver.settings",
            PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        )

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
        before = _ticks(self.redis.process.pid)
        run = measure(command, ROOT, self.env, blog.parent / f"{blog.name}.out")
        redis_cpu = _ticks(self.redis.process.pid) - before
        summary = json.loads(report.read_text(encoding="utf-8"))["summary"]
        posts = sum(1 for _ in (blog / "_posts").glob("*.md"))
        if summary["new"] != self.count or posts != self.count:
            raise SystemExit(
                f"benchmark: {key} wrote {posts} posts ({summary['new']} new) instead of {self.count}; see {report}"
            )
        shutil.rmtree(blog)
        return Case(run.wall, run.cpu, redis_cpu, run.rss_mb)

    def round(self, number: int, cases: list[str]) -> dict[str, Case]:
        # alternate the order from round to round: neither case always runs on a warmer machine
        order = cases if number % 2 else list(reversed(cases))
        return {key: self.run(key, number) for key in order}


def _spread(values: list[float], fmt: str) -> str:
    med = statistics.median(values)
    if len(values) == 1:
        return format(med, fmt)
    return f"{format(med, fmt)} [{format(min(values), fmt)}–{format(max(values), fmt)}]"


def report(rounds: list[dict[str, Case]], count: int, server: str) -> list[str]:
    import scrapy

    n = len(rounds)
    lines = [
        f"news-archiver workers benchmark: {count} articles, images off, nginx {server} on 127.0.0.1, "
        f"concurrency {CONCURRENCY} (per domain, shared by the workers)",
        f"machine: {machine()}; Python {sys.version.split()[0]}, Scrapy {scrapy.__version__}",
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
            f"{title:<14}{_spread(walls, '.2f'):<22}{_spread(rates, '.1f'):<24}{_spread(cpus, '.2f'):<22}"
            f"{statistics.median(redis_cpu):<14.2f}{statistics.median(rss):<12.0f}"
        )
    if "w1" in rounds[0] and "w2" in rounds[0]:
        rate = [r["w1"].wall / r["w2"].wall for r in rounds]
        cpu = [r["w2"].total_cpu / r["w1"].total_cpu for r in rounds]
        met = "met" if statistics.median(rate) >= TARGET else "NOT met"
        lines += [
            "",
            f"2 workers / 1 worker, same rounds: archive rate {_spread(rate, '.2f')}  (>= {TARGET}: {met}); "
            f"CPU per article {_spread(cpu, '.2f')}",
        ]
    if "one" in rounds[0] and "w1" in rounds[0]:
        rate = [r["one"].wall / r["w1"].wall for r in rounds]
        cpu = [r["w1"].total_cpu / r["one"].total_cpu for r in rounds]
        lines.append(
            f"1 worker / one process:         archive rate {_spread(rate, '.2f')}; CPU per article {_spread(cpu, '.2f')}"
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
    work = (
        Path(args.keep).resolve() if args.keep else Path(tempfile.mkdtemp(prefix="archiver-bench-workers-"))
    )
    work.mkdir(parents=True, exist_ok=True)
    os.chmod(work, 0o755)
    try:
        site = work / "site"
        started = time.perf_counter()
        urls = generate(site, args.articles)
        urls_file = work / "urls.txt"
        urls_file.write_text("\n".join(urls) + "\n", encoding="utf-8")
        print(f"Generated {len(urls)} articles in {time.perf_counter() - started:.1f} s", flush=True)
        with Nginx(site, work / "nginx") as server, RedisServer() as redis:
            bench = WorkersBench(work, len(urls), server.url, urls_file, redis)
            rounds = []
            for number in range(1, args.rounds + 1):
                started = time.perf_counter()
                rounds.append(bench.round(number, cases))
                print(
                    f"round {number}/{args.rounds} done in {time.perf_counter() - started:.1f} s", flush=True
                )
            lines = report(rounds, len(urls), server.version())
        print("\n".join(lines), flush=True)
        if args.json:
            Path(args.json).write_text(
                json.dumps([{k: vars(c) for k, c in rnd.items()} for rnd in rounds], indent=2),
                encoding="utf-8",
            )
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
