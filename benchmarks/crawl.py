"""Benchmark: archive at the speed of the fetch.

    python -m benchmarks.crawl --articles 2000 [--rounds 3] [--keep DIR]

Generates a jiemian-like site of N articles (benchmarks/site.py), serves it with
Debian's nginx on 127.0.0.1 (its own config in a temporary folder, started and stopped
here; install it with ``apt-get install nginx``), and times, interleaved in each round:

* ``bare``      a bare Scrapy spider fetching every article (the ceiling);
* ``crawl``     ``scrapy crawl jiemian`` writing posts, images off;
* ``cron``      the same command again on that blog: nothing new;
* ``rebuild``   ``archiver rebuild`` of that blog from its WARC archive (``_posts/``
                deleted first, so that every post is written again);
* ``crawl+img`` ``scrapy crawl jiemian`` writing posts, images on (a fresh blog).

Each is a separate process; its wall time, CPU time (user + system, of the process
and its children, from ``wait4``) and peak RSS are measured. Printed per case: the
median of the rounds with min–max, and ratios to the bare spider. The memory growth
of the images-off crawl after warm-up (RSS against posts written, least squares over
the samples past the first 20 %) is printed too.

Last, the floor: what the least an archiver must do for each article costs on this
machine, each step alone on the same pages (reading the page once with lxml, the
fastest HTML parser among the project's packages; gzip of the page as the WARC archive
stores it; writing one post file durably), against the CPU budget the target gives.
Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

from benchmarks.harness import (
    ROOT,
    Run,
    command_env,
    generated_site,
    machine,
    measure,
    run_rounds,
    spread,
    work_folder,
    write_json,
)
from benchmarks.nginx import Nginx

CONCURRENCY = 16
#: Politeness off (the only server is ours), same concurrency as the bare spider.
FAST = {
    "AUTOTHROTTLE_ENABLED": "False",
    "DOWNLOAD_DELAY": "0",
    "CONCURRENT_REQUESTS": str(CONCURRENCY),
    "CONCURRENT_REQUESTS_PER_DOMAIN": str(CONCURRENCY),
    "LOG_LEVEL": "INFO",
}
CASES = (
    ("bare", "bare fetch (ceiling)"),
    ("crawl", "crawl, images off"),
    ("cron", "cron run, nothing new"),
    ("rebuild", "rebuild from WARC"),
    ("crawl+img", "crawl, images on"),
)


def growth_per_1000(samples: list[tuple[int, float]], total: int) -> float | None:
    """MB of RSS per 1,000 posts past the warm-up (the first 20 % of the posts)."""
    points = [(n, rss) for n, rss in samples if n >= total * 0.2]
    if len(points) < 4 or points[-1][0] - points[0][0] < total * 0.3:
        return None
    mean_n = statistics.fmean(n for n, _ in points)
    mean_r = statistics.fmean(r for _, r in points)
    var = sum((n - mean_n) ** 2 for n, _ in points)
    slope = sum((n - mean_n) * (r - mean_r) for n, r in points) / var
    return slope * 1000


class Bench:
    def __init__(self, work: Path, count: int, origin: str, urls_file: Path):
        self.work, self.count, self.origin, self.urls_file = work, count, origin, urls_file
        self.env = command_env()
        self.bare_env = {k: v for k, v in os.environ.items() if k != "SCRAPY_SETTINGS_MODULE"}

    def _settings(self, **extra) -> list[str]:
        args = []
        for name, value in {**FAST, **extra}.items():
            args += ["-s", f"{name}={value}"]
        return args

    def _stats(self, path: Path) -> dict:
        return json.loads(path.read_text(encoding="utf-8"))

    def bare(self, tag: str) -> Run:
        folder = self.work / f"bare-{tag}"
        folder.mkdir()
        stats = folder / "stats.json"
        command = [
            sys.executable,
            "-m",
            "scrapy",
            "runspider",
            str(ROOT / "benchmarks" / "bare_spider.py"),
            "-a",
            f"urls_file={self.urls_file}",
            "-a",
            f"origin={self.origin}",
            "-a",
            f"stats_file={stats}",
            *self._settings(LOG_FILE=folder / "scrapy.log"),
        ]
        run = measure(command, folder, self.bare_env, folder / "out.log")
        got = self._stats(stats).get("downloader/response_status_count/200", 0)
        if got != self.count:
            raise SystemExit(f"benchmark: the bare spider fetched {got} of {self.count} pages")
        return run

    def crawl(self, blog: Path, images: bool, expect_new: int) -> Run:
        blog.mkdir(exist_ok=True)
        stats = blog.parent / f"{blog.name}-stats-{time.monotonic_ns()}.json"
        log = blog.parent / f"{blog.name}-{time.monotonic_ns()}.log"
        command = [
            sys.executable,
            "-m",
            "scrapy",
            "crawl",
            "jiemian",
            "-a",
            f"urls_file={self.urls_file}",
            *self._settings(
                JIEMIAN_ORIGIN=self.origin,
                ARCHIVER_OUTPUT=blog,
                ARCHIVER_IMAGES=images,
                ARCHIVER_STATS_FILE=stats,
                LOG_FILE=log,
            ),
        ]
        run = measure(
            command, ROOT, self.env, log.with_suffix(".out"), posts=blog / "_posts" if expect_new else None
        )
        data = self._stats(stats)
        new = data.get("archiver/posts/new", 0)
        if new != expect_new:
            raise SystemExit(f"benchmark: {new} new posts instead of {expect_new}; see {log}")
        if (
            images
            and expect_new
            and (data.get("archiver/images/failed", 0) or not data.get("archiver/images/archived", 0))
        ):
            raise SystemExit(f"benchmark: images not archived; see {log}")
        return run

    def rebuild(self, blog: Path) -> Run:
        shutil.rmtree(blog / "_posts")
        report = blog.parent / f"{blog.name}-rebuild.json"
        command = [
            sys.executable,
            "-m",
            "archiver.cli",
            "rebuild",
            "--json",
            str(report),
            "--log",
            str(blog.parent / f"{blog.name}-rebuild.log"),
            # the settings the blog was made with: images off (else each of its ~4.5 images
            # per article is asked of the archive, which holds none, and fails)
            *self._settings(ARCHIVER_OUTPUT=blog, JIEMIAN_ORIGIN=self.origin, ARCHIVER_IMAGES=False),
        ]
        run = measure(command, ROOT, self.env, blog.parent / f"{blog.name}-rebuild.out")
        summary = self._stats(report)["summary"]
        if summary["new"] != self.count:
            raise SystemExit(f"benchmark: rebuild wrote {summary['new']} posts instead of {self.count}")
        if summary["images"]["failed"] or summary["failed"]:
            raise SystemExit(f"benchmark: the rebuild reported failures; see {report}")
        return run

    def round(self, number: int, cases: set[str]) -> dict[str, Run]:
        """One run of each case; cron and rebuild run on the blog the images-off crawl made."""
        results = {"bare": self.bare(str(number))}
        blog = self.work / f"blog-{number}"
        if cases & {"crawl", "cron", "rebuild"}:
            results["crawl"] = self.crawl(blog, images=False, expect_new=self.count)
        if "cron" in cases:
            results["cron"] = self.crawl(blog, images=False, expect_new=0)
        if "rebuild" in cases:
            results["rebuild"] = self.rebuild(blog)
        shutil.rmtree(blog, ignore_errors=True)
        if "crawl+img" in cases:
            blog_img = self.work / f"blog-img-{number}"
            results["crawl+img"] = self.crawl(blog_img, images=True, expect_new=self.count)
            shutil.rmtree(blog_img)
        return results


@dataclass
class Floor:
    parse: float  # ms per page, medians over the sample
    gzip: float
    gzip_level: int
    write: float
    pages: int

    @property
    def total(self) -> float:
        return self.parse + self.gzip + self.write


def measure_floor(site: Path, work: Path, sample: int = 200, level: int | None = None) -> Floor:
    """The unavoidable steps per article, timed alone (CPU time of this process) on up to
    ``sample`` pages of the generated site: the median per page of each."""
    from lxml import etree

    from archiver import settings as defaults
    from archiver.store.atomic import write_atomic

    level = defaults.ARCHIVER_WARC_GZIP_LEVEL if level is None else level
    pages = sorted((site / "article").iterdir())[:sample]
    out = work / "floor"
    out.mkdir(exist_ok=True)
    parse, gzip, write = [], [], []
    for number, page in enumerate(pages):
        raw = page.read_bytes()
        text = raw.decode("utf-8")
        started = time.process_time()
        etree.HTML(text)
        parse.append(time.process_time() - started)
        started = time.process_time()
        compressor = zlib.compressobj(level, zlib.DEFLATED, zlib.MAX_WBITS + 16)
        compressor.compress(raw)
        compressor.flush()
        gzip.append(time.process_time() - started)
        post = text[: len(text) // 6]  # a post is about a sixth of its page
        started = time.process_time()
        write_atomic(out / f"{number}.md", post)
        write.append(time.process_time() - started)
    shutil.rmtree(out, ignore_errors=True)
    med = lambda values: statistics.median(values) * 1000  # noqa: E731
    return Floor(med(parse), med(gzip), level, med(write), len(pages))


def report(
    rounds: list[dict[str, Run]], count: int, page_kb: float, server: str, floor: Floor | None = None
) -> list[str]:
    import scrapy

    n = len(rounds)
    lines = [
        f"news-archiver benchmark: {count} articles (mean page {page_kb:.1f} KB), "
        f"nginx {server} on 127.0.0.1, concurrency {CONCURRENCY}",
        f"machine: {machine()}; Python {platform.python_version()}, Scrapy {scrapy.__version__}",
        f"median of {n} round{'s' if n > 1 else ''} [min–max]; CPU = user+system of the process and its children",
        "",
        f"{'case':<24}{'wall s':<22}{'pages/s':<26}{'CPU ms/page':<22}{'peak RSS MB':<22}"
        f"{'rate/ceiling':<15}{'CPU/ceiling':<12}",
    ]
    bare_rate = [count / r["bare"].wall for r in rounds]
    bare_cpu = [r["bare"].cpu * 1000 / count for r in rounds]
    for key, title in CASES:
        if key not in rounds[0]:
            continue
        walls = [r[key].wall for r in rounds]
        rates = [count / w for w in walls]
        cpus = [r[key].cpu * 1000 / count for r in rounds]
        rss = [r[key].rss_mb for r in rounds]
        rate_ratio = [a / b for a, b in zip(rates, bare_rate)]
        cpu_ratio = [a / b for a, b in zip(cpus, bare_cpu)]
        lines.append(
            f"{title:<24}{spread(walls, '.2f'):<22}{spread(rates, '.1f'):<26}"
            f"{spread(cpus, '.2f'):<22}{spread(rss, '.0f'):<22}"
            f"{statistics.median(rate_ratio):<15.2f}{statistics.median(cpu_ratio):<12.2f}"
        )
    scale = count / 2000

    def verdict(ok: bool) -> str:
        return "met" if ok else "NOT met"

    lines += ["", "targets (issue 8; stated for 2,000 articles, memory for 10,000):"]
    if "crawl" not in rounds[0]:
        return lines
    growth = [g for g in (growth_per_1000(r["crawl"].samples, count) for r in rounds) if g is not None]
    rate = statistics.median(count / r["crawl"].wall / b for r, b in zip(rounds, bare_rate))
    added = statistics.median((r["crawl"].cpu * 1000 / count - b) / b for r, b in zip(rounds, bare_cpu))
    lines += [
        f"  archive rate (images off) / bare fetch rate: {rate:.2f}  (>= 0.75: {verdict(rate >= 0.75)})",
        f"  CPU added per article / bare CPU per page:   {added:.0%}  (<= 60%: {verdict(added <= 0.60)})",
    ]
    if "cron" in rounds[0]:
        cron = statistics.median(r["cron"].wall for r in rounds)
        lines.append(
            f"  cron run with nothing new:                   {cron:.2f} s  (< 3 s: {verdict(cron < 3)})"
        )
    if "rebuild" in rounds[0]:
        rebuild = statistics.median(r["rebuild"].wall for r in rounds)
        lines.append(
            f"  rebuild of {count} posts from WARC:{' ' * max(1, 10 - len(str(count)))}{rebuild:.2f} s  "
            f"(< 15 s at 2,000{f', {15 * scale:.1f} s pro rata' if count != 2000 else ''}: "
            f"{verdict(rebuild < 15 * scale)})"
        )
    if growth:
        lines.append(
            f"  RSS growth after warm-up (crawl, images off): {spread(growth, '.2f')} MB per 1,000 "
            f"articles  (< 2: {verdict(statistics.median(growth) < 2)})"
        )
    else:
        lines.append("  RSS growth after warm-up: too few samples (run with more articles)")
    if floor is not None:
        budget = 0.60 * statistics.median(bare_cpu)
        crawl_added = statistics.median(r["crawl"].cpu * 1000 / count - b for r, b in zip(rounds, bare_cpu))
        lines += [
            "",
            f"floor: the least an archiver does per article, each step alone on {floor.pages} of these pages "
            "(median CPU ms):",
            f"  read the page once with lxml {floor.parse:.2f} + gzip it for the WARC (level {floor.gzip_level}) "
            f"{floor.gzip:.2f} + write one post durably {floor.write:.2f} = {floor.total:.2f} ms",
            f"  without any WARC archive: read {floor.parse:.2f} + write {floor.write:.2f} = "
            f"{floor.parse + floor.write:.2f} ms",
            f"  CPU budget per article (60% of the bare spider's {statistics.median(bare_cpu):.2f} ms): "
            f"{budget:.2f} ms; the crawl adds {crawl_added:.2f} ms "
            f"({'the floor alone is over the budget' if floor.total > budget else 'the floor is within the budget'})",
        ]
        ratio = statistics.median(
            r["crawl"].cpu * 1000 / count / (b + floor.total) for r, b in zip(rounds, bare_cpu)
        )
        lines += [
            "",
            "target (issue 16): CPU per article (crawl, images off) / (bare fetch CPU + floor), same run:",
            f"  {statistics.median(r['crawl'].cpu * 1000 / count for r in rounds):.2f} / "
            f"({statistics.median(bare_cpu):.2f} + {floor.total:.2f}) = {ratio:.2f}x  "
            f"(<= 1.4x: {verdict(ratio <= 1.4)})",
        ]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.crawl", description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000, help="articles in the generated site (2000)")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds; medians are printed (3)")
    parser.add_argument(
        "--keep", help="work in this folder and keep it (default: a temporary folder, removed)"
    )
    parser.add_argument("--json", help="also write every measurement as JSON here")
    parser.add_argument(
        "--cases",
        default=",".join(k for k, _ in CASES if k != "bare"),
        help="cases to time besides the bare spider (default: all): crawl,cron,rebuild,crawl+img",
    )
    args = parser.parse_args(argv)
    with work_folder(args.keep, "archiver-bench-") as work:
        site, urls, urls_file = generated_site(work, args.articles)
        page_kb = sum(p.stat().st_size for p in (site / "article").iterdir()) / len(urls) / 1024
        with Nginx(site, work / "nginx") as server:
            bench = Bench(work, len(urls), server.url, urls_file)
            rounds = run_rounds(args.rounds, lambda number: bench.round(number, set(args.cases.split(","))))
            floor = measure_floor(site, work) if "crawl" in rounds[0] else None
            lines = report(rounds, len(urls), page_kb, server.version(), floor)
        print("\n".join(lines), flush=True)
        write_json(
            args.json,
            [
                {k: {"wall": r.wall, "cpu": r.cpu, "rss_mb": r.rss_mb} for k, r in rnd.items()}
                for rnd in rounds
            ],
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
