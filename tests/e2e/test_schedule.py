"""``archiver schedule`` prints a crontab line a user can paste as it is."""

from __future__ import annotations

import shlex
import subprocess
import sys

from tests.support.fixtures import ROOT


def test_crontab_line_for_this_install(tmp_path):
    blog = tmp_path / "my blog"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "archiver.cli",
            "schedule",
            "jiemian",
            "--every",
            "30",
            "--systemd",
            "-a",
            "lists=65,800",
            "-s",
            f"ARCHIVER_OUTPUT={blog}",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    lines = [line for line in proc.stdout.splitlines() if line.startswith("*/30 * * * * ")]
    assert len(lines) == 1, proc.stdout
    words = shlex.split(lines[0][len("*/30 * * * * ") :])
    assert words[:3] == ["cd", str(ROOT), "&&"]
    assert words[3] == sys.executable  # the interpreter of this virtual environment
    assert words[4:9] == ["-m", "archiver.cli", "crawl", "jiemian", "-a"]
    assert f"ARCHIVER_OUTPUT={blog}" in words
    state = blog / ".archiver"
    assert words[words.index("--json") + 1] == str(state / "last-run.json")
    assert words[-3:] == [">>", str(state / "cron.log"), "2>&1"]
    assert "OnCalendar=*:0/30" in proc.stdout and f"WorkingDirectory={ROOT}" in proc.stdout
