"""Benchmark: what a run costs as the archive grows.

    python -m benchmarks.scale [--sizes 2000,20000,100000] [--rounds 3] [--keep DIR]

Makes one blog as a new user's would grow: the bundled demo is crawled once, then
copies of its posts are added under new ids (each with its own 原文地址 link), to
2,000, then 20,000, then 100,000 posts. At each size, after one untimed run that
takes in the posts added by hand, it times, each case as its own process with the
bundled demo site served on 127.0.0.1:

* ``cron``     ``archiver crawl jiemian`` (the cron command): nothing new;
* ``one new``  the same command when the site's feed links one new article;
* ``status``   ``archiver status``.

Printed per case and size: the median wall time of the rounds and the peak RSS, side by
side, with the ratio to the smallest size; then the median CPU time (user + sys), which a
shared machine's load changes least; and how it ran (the load average, and whether Python
kept the compiled project, as a user's machine does). Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import sys
import time
from pathlib import Path

from archiver.cli import demo_settings
from archiver.demo.server import SITE, FixtureServer
from benchmarks.harness import ROOT, Run, command_env, measure, work_folder

#: The demo article copied (under a new id) to make each round's new article.
MODEL_ARTICLE = "14840233"
#: Ids of the posts added by hand and of the new articles: far from the demo's own.
FIRST_COPY_ID, FIRST_NEW_ID = 30_000_000, 90_000_000
CASES = (
    ("cron", "cron run, nothing new"),
    ("one_new", "run with one new article"),
    ("status", "archiver status"),
)
_LINK = re.compile(r"(\[原文地址\]\(https?://[^/]+/article/)(\d+)(\.html\))")
_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2}-jiemian-)(\d+)(.*\.md)$")


class Blog:
    def __init__(self, work: Path, server_url: str, site: Path):
        self.work, self.site = work, site
        self.root = work / "blog"
        self.posts = self.root / "_posts"
        self.settings = demo_settings(server_url, str(self.root))
        self.env = command_env()
        self.models: list[tuple[str, str]] = []  # (file name, text) of the demo's posts
        self.next_copy = FIRST_COPY_ID
        self.next_new = FIRST_NEW_ID
        self.log = work / "runs.log"

    def _args(self) -> list[str]:
        args = []
        for name, value in self.settings.items():
            args += ["-s", f"{name}={value}"]
        return args

    def crawl(self) -> Run:
        command = [sys.executable, "-m", "archiver.cli", "crawl", "jiemian", *self._args()]
        return measure(command, ROOT, self.env, self.log)

    def status(self) -> Run:
        command = [sys.executable, "-m", "archiver.cli", "status", "-s", f"ARCHIVER_OUTPUT={self.root}"]
        return measure(command, ROOT, self.env, self.log)

    def start(self) -> None:
        """The demo crawled once: the posts that the copies are made of."""
        self.crawl()
        self.models = [(p.name, p.read_text(encoding="utf-8")) for p in sorted(self.posts.glob("*.md"))]
        self.models = [(n, t) for n, t in self.models if _NAME.match(n) and _LINK.search(t)]
        if not self.models:
            raise SystemExit("benchmark: the demo crawl wrote no post to copy")

    def count(self) -> int:
        return sum(1 for e in os.scandir(self.posts) if e.name.endswith(".md") and not e.name.startswith("."))

    def grow(self, size: int) -> None:
        """Add copies of the demo's posts under new ids until the blog holds ``size`` posts."""
        missing = size - self.count()
        for n in range(missing):
            name, text = self.models[n % len(self.models)]
            new_id = str(self.next_copy)
            self.next_copy += 1
            head = _NAME.match(name)
            assert head is not None  # the models are the posts whose names match (start())
            target = self.posts / f"{head[1]}{new_id}{head[3]}"
            target.write_text(_LINK.sub(rf"\g<1>{new_id}\g<3>", text), encoding="utf-8")

    def add_new_article(self) -> None:
        """The site publishes one more article: a copy of a demo page under a new id, first in
        the site feed."""
        new_id = str(self.next_new)
        self.next_new += 1
        page = (self.site / "article" / f"{MODEL_ARTICLE}.html").read_text(encoding="utf-8")
        (self.site / "article" / f"{new_id}.html").write_text(page.replace(MODEL_ARTICLE, new_id), "utf-8")
        feed = self.site / "rss" / "site.xml"
        text = feed.read_text(encoding="utf-8")
        item = (
            f"<item><title>新文章 {new_id}</title>"
            f"<link>https://www.jiemian.com/article/{new_id}.html</link>"
            f'<guid isPermaLink="true">https://www.jiemian.com/article/{new_id}.html</guid>'
            "<pubDate>Thu, 26 Nov 2026 15:00:00 +0800</pubDate></item>\n    "
        )
        feed.write_text(text.replace("<item>", item + "<item>", 1), encoding="utf-8")


def how_it_ran() -> str:
    """The conditions a reader needs to compare figures: load, and whether Python could
    keep the compiled project (a user's machine does; PYTHONDONTWRITEBYTECODE=1 makes
    every process compile it again, about 0.15-0.2 s each)."""
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        cache = "PYTHONDONTWRITEBYTECODE set: each process compiles the project (a user's machine would not)"
    else:
        cache = "bytecode cached in __pycache__, as on a user's machine"
    return f"load average {load}; {cache}"


def report(results: dict[int, dict[str, list[Run]]], rounds: int, conditions: str = "") -> list[str]:
    sizes = sorted(results)
    first = sizes[0]
    lines = [
        f"news-archiver scale benchmark: median of {rounds} round{'s' if rounds > 1 else ''}, "
        "each case its own process; the bundled demo site on 127.0.0.1",
        "(the machine may be shared: compare the ratios, measured in the same run)",
        *([conditions] if conditions else []),
        "",
        f"{'posts':>9}  "
        + "".join(f"{title + ' s':<30}" for _, title in CASES)
        + f"{'peak RSS MB (cron)':<22}",
    ]
    med = {s: {k: statistics.median(r.wall for r in results[s][k]) for k, _ in CASES} for s in sizes}
    rss = {s: max(r.rss_mb for r in results[s]["cron"] + results[s]["one_new"]) for s in sizes}
    for size in sizes:
        cells = []
        for key, _ in CASES:
            ratio = med[size][key] / med[first][key]
            cells.append(f"{med[size][key]:.2f}" + (f" ({ratio:.2f}x)" if size != first else ""))
        ratio = rss[size] / rss[first]
        lines.append(
            f"{size:>9,}  "
            + "".join(f"{c:<30}" for c in cells)
            + f"{rss[size]:.0f}"
            + (f" ({ratio:.2f}x)" if size != first else "")
        )
    cpu = {s: {k: statistics.median(r.cpu for r in results[s][k]) for k, _ in CASES} for s in sizes}
    lines += ["", "CPU time, user + sys (median; what load changes least):"]
    for size in sizes:
        cells = []
        for key, _ in CASES:
            ratio = cpu[size][key] / cpu[first][key]
            cells.append(f"{cpu[size][key]:.2f}" + (f" ({ratio:.2f}x)" if size != first else ""))
        lines.append((f"{size:>9,}  " + "".join(f"{c:<30}" for c in cells)).rstrip())
    last = sizes[-1]
    if last != first:
        ok = lambda flag: "met" if flag else "NOT met"  # noqa: E731
        lines += [
            "",
            f"targets at {last:,} posts against {first:,}:",
            f"  cron run <= 1.3x: {med[last]['cron'] / med[first]['cron']:.2f}x "
            f"({ok(med[last]['cron'] <= 1.3 * med[first]['cron'])})",
            f"  one-new-article run <= 1.3x: {med[last]['one_new'] / med[first]['one_new']:.2f}x "
            f"({ok(med[last]['one_new'] <= 1.3 * med[first]['one_new'])})",
            f"  archiver status <= 0.6 s: {med[last]['status']:.2f} s ({ok(med[last]['status'] <= 0.6)}; "
            f"its CPU time {cpu[last]['status']:.2f} s)",
            f"  peak RSS <= 1.2x: {rss[last] / rss[first]:.2f}x ({ok(rss[last] <= 1.2 * rss[first])})",
        ]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.scale", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="2000,20000,100000", help="blog sizes, ascending")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each case per size; medians (3)")
    parser.add_argument("--keep", help="work in this folder and keep it (default: a temporary folder)")
    args = parser.parse_args(argv)
    sizes = sorted(int(s) for s in args.sizes.split(","))
    results: dict[int, dict[str, list[Run]]] = {}
    conditions = f"at the start: {how_it_ran()}"
    with work_folder(args.keep, "archiver-scale-") as work:
        site = work / "site"
        shutil.copytree(SITE, site)
        with FixtureServer(site) as server:
            blog = Blog(work, server.url, site)
            blog.start()
            for size in sizes:
                started = time.perf_counter()
                blog.grow(size)
                blog.crawl()  # takes in the posts added by hand (not timed)
                runs: dict[str, list[Run]] = {k: [] for k, _ in CASES}
                for _ in range(args.rounds):
                    runs["cron"].append(blog.crawl())
                    before = blog.count()
                    blog.add_new_article()
                    runs["one_new"].append(blog.crawl())
                    if blog.count() != before + 1:
                        raise SystemExit(f"benchmark: the new article made no post; see {blog.log}")
                    runs["status"].append(blog.status())
                results[size] = runs
                print(f"{size:,} posts done in {time.perf_counter() - started:.1f} s", flush=True)
        conditions += f"\nat the end: {how_it_ran().split(';')[0]}"
        print("\n".join(report(results, args.rounds, conditions)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
