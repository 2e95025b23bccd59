"""The workers benchmark runs and prints its figures (a smoke run: no timed assertion).

Needs Debian's nginx and redis-server (``.ci/run`` installs both); no skip when one is
missing: a machine without it must fail, not pass silently.
"""

from __future__ import annotations

import os
import subprocess
import sys

from tests.support.fixtures import ROOT


def test_workers_benchmark_smoke_run_prints_both_cases_and_the_ratio(tmp_path):
    env = dict(
        os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    )
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks.workers", "--articles", "20", "--rounds", "1", "--cases", "w1,w2"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    by_process = lines.index(next(line for line in lines if line.startswith("CPU ms per article by process")))
    for case in ("1 worker", "2 workers"):
        line = next((line for line in lines if line.startswith(case + " ")), None)
        assert line is not None, proc.stdout
        wall, rate, cpu = (float(value) for value in line[len(case) :].split()[:3])
        assert abs(20 / wall - rate) < 0.1  # the rate is the articles over the wall time
        assert cpu > 0
        # by process: workers, writer, the command, redis-server, each "ms (cores)"; they add up
        line = next(line for line in lines[by_process:] if line.startswith(case + " "))
        parts = [float(value) for value in line[len(case) :].split()[::2]]
        assert len(parts) == 4 and parts[0] > 0 and parts[1] > 0, proc.stdout
        assert abs(sum(parts) - cpu) < 0.05, proc.stdout
    ratio = next((line for line in lines if line.startswith("2 workers / 1 worker")), "")
    assert "archive rate" in ratio and "CPU per article" in ratio and ">= 1.6" in ratio, proc.stdout
