"""The benchmark command runs and prints its figures (a smoke run: no timed assertion).

Needs Debian's nginx (``apt-get install nginx``; ``.ci/run`` installs it). No skip when
it is missing: a machine without it must fail, not pass silently.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

from tests.support.fixtures import ROOT


def test_benchmark_smoke_run_prints_every_case(tmp_path):
    env = dict(
        os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    )
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.crawl",
            "--articles",
            "30",
            "--rounds",
            "1",
            "--keep",
            str(tmp_path / "work"),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = proc.stdout
    for case in (
        "bare fetch (ceiling)",
        "crawl, images off",
        "cron run, nothing new",
        "rebuild from WARC",
        "crawl, images on",
    ):
        line = next((line for line in out.splitlines() if line.startswith(case)), None)
        assert line is not None, out
        assert len(line.split()) >= 8, line  # wall, pages/s, CPU, RSS, two ratios
    assert "pages/s" in out and "CPU ms/page" in out and "peak RSS MB" in out
    assert "archive rate (images off) / bare fetch rate" in out
    floor = next(
        (line for line in out.splitlines() if line.strip().startswith("read the page once with lxml")), ""
    )
    assert floor.endswith(" ms") and "gzip it for the WARC" in floor, out
    assert "CPU budget per article" in out
    # issue 16's target: the crawl's CPU per article over (bare fetch + floor), with its verdict
    target = out.split("CPU per article (crawl, images off) / (bare fetch CPU + floor)", 1)[1].splitlines()[1]
    figures = re.match(
        r"\s+([\d.]+) / \(([\d.]+) \+ ([\d.]+)\) = ([\d.]+)x  \(<= 1.4x: (met|NOT met)\)$", target
    )
    assert figures, target
    crawl, bare, floor_ms, ratio = (float(x) for x in figures.groups()[:4])
    assert abs(crawl / (bare + floor_ms) - ratio) < 0.05, target
    assert (figures.group(5) == "met") == (ratio <= 1.4), target
    # nginx was stopped by the command
    pid_file = tmp_path / "work" / "nginx" / "nginx.pid"
    assert not pid_file.exists()
