"""Progress of long work on a terminal: ``archiver rebuild`` and ``archiver crawl``.

The work runs in ``scrapy crawl`` children (one per worker of a parallel rebuild). When
the parent's stderr is a terminal, each child is given ``ARCHIVER_PROGRESS_FILE``, and
:class:`ProgressFile` (an extension) rewrites that small file twice a second with the
articles done so far and, when the spider knows it (a rebuild: its share of the WARC
archive), how many there are. The parent reads the files while it waits and shows one
tqdm bar on stderr: done / total, the rate and the time left (done and the rate only
when the total is unknown, as for a crawl that is still discovering articles).

Under cron, with no terminal, no child is given the setting and nothing extra is printed.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, TextIO

#: Seconds between two updates of the files and of the bar.
INTERVAL = 0.5
#: The per-article outcomes (counters of archiver/report.py) whose sum is "done".
DONE_COUNTERS = (
    "archiver/posts/new",
    "archiver/posts/updated",
    "archiver/posts/unchanged",
    "archiver/posts/edited_kept",
    "archiver/dry_run",
    "archiver/dropped",
    "archiver/failed",
    "archiver/gone",
)


def articles_done(stats: dict) -> int:
    return sum(int(stats.get(name) or 0) for name in DONE_COUNTERS)


# -- in the crawl: the extension ----------------------------------------------------------


class ProgressFile:
    """Writes ``{"done": N, "total": M or null}`` to ``ARCHIVER_PROGRESS_FILE`` while the
    crawl runs (``spider.progress_total``: the articles it will handle, when known)."""

    def __init__(self, crawler, path: Path):
        self.crawler = crawler
        self.path = path
        self.spider: Any = None
        self.loop: Any = None

    @classmethod
    def from_crawler(cls, crawler):
        from scrapy import signals
        from scrapy.exceptions import NotConfigured

        from archiver import config

        target = config.get(crawler.settings, "ARCHIVER_PROGRESS_FILE")
        if not target:
            raise NotConfigured
        extension = cls(crawler, Path(target))
        crawler.signals.connect(extension.opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.closed, signal=signals.spider_closed)
        return extension

    def opened(self, spider) -> None:
        from twisted.internet import task

        self.spider = spider
        self.loop = task.LoopingCall(self.write)
        self.loop.start(INTERVAL, now=True)

    def closed(self, spider) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        self.write()

    def write(self) -> None:
        from archiver.store.atomic import write_atomic

        total = getattr(self.spider, "progress_total", None)
        done = articles_done(self.crawler.stats.get_stats())
        try:
            write_atomic(self.path, json.dumps({"done": done, "total": total}))
        except OSError:  # the parent went away with its folder: nothing to show anyway
            pass


# -- in the parent: the bar ----------------------------------------------------------------


class Watch:
    """The children's progress files, summed into one bar on ``stream``."""

    def __init__(self, workers: int, label: str, stream: TextIO):
        self.folder = Path(tempfile.mkdtemp(prefix="archiver-progress-"))
        self.files = [self.folder / f"{n}.json" for n in range(workers)]
        self.label = label
        self.stream = stream
        self.bar: Any = None

    @classmethod
    def for_terminal(cls, workers: int, label: str, stream: TextIO | None = None) -> Watch | None:
        """A watch when ``stream`` (stderr) is a terminal, else None: nothing is shown."""
        stream = sys.stderr if stream is None else stream
        return cls(workers, label, stream) if stream.isatty() else None

    def settings(self, worker: int) -> list[str]:
        return ["-s", f"ARCHIVER_PROGRESS_FILE={self.files[worker]}"]

    def _read(self) -> tuple[int, int | None]:
        done, total, known = 0, 0, True
        for path in self.files:
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                known = False
                continue
            done += int(data.get("done") or 0)
            if data.get("total") is None:
                known = False
            else:
                total += int(data["total"])
        return done, (total if known else None)

    def _shape(self) -> tuple[int, int]:
        """The terminal's columns and lines (one that tells none, such as a bare
        pseudo-terminal: 100 x 24; tqdm prints nothing on a terminal of 0 lines)."""
        try:
            size = os.get_terminal_size(self.stream.fileno())
            return size.columns or 100, size.lines or 24
        except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
            return 100, 24

    def update(self) -> None:
        from tqdm import tqdm

        done, total = self._read()
        if self.bar is None:
            columns, lines = self._shape()
            self.bar = tqdm(
                total=total,
                desc=self.label,
                unit=" articles",
                file=self.stream,
                ncols=columns,
                nrows=lines,
                leave=True,
            )
        if total is not None and self.bar.total != total:
            self.bar.total = total
        if total is not None:
            done = min(done, total)
        self.bar.n = done
        self.bar.refresh()

    def close(self) -> None:
        if self.bar is not None:
            self.update()
            self.bar.close()
        shutil.rmtree(self.folder, ignore_errors=True)


def wait(children: list[subprocess.Popen], watch: Watch | None) -> list[int]:
    """The children's exit statuses, the bar updated meanwhile (when there is one)."""
    if watch is None:
        return [child.wait() for child in children]
    try:
        while any(child.poll() is None for child in children):
            watch.update()
            time.sleep(INTERVAL)
        return [child.wait() for child in children]
    finally:
        watch.close()
