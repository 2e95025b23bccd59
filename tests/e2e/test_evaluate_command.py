"""``python -m archiver.evaluate --check``, run as a user (and CI) runs it: it prints the
figures of every evaluation set and exits 0 only when none falls below its floor. The
figures themselves are gated in tests/unit/test_generic_eval.py (generated pages) and
tests/e2e/test_eval_gate.py (real pages)."""

from __future__ import annotations

import subprocess
import sys

from tests.support.fixtures import ROOT


def test_the_command_prints_the_figures_and_checks_the_floors():
    proc = subprocess.run(
        [sys.executable, "-m", "archiver.evaluate", "--check", "--only", "archiver"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = proc.stdout
    assert "body F1" in out and "exact title" in out and "time to minute" in out
    assert "CPU per page" in out and "fundus-dev" in out
