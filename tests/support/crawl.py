"""Run the real crawl in a subprocess, as a user runs it (the end-to-end tier)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from tests.support.fixtures import ROOT


@dataclass
class CrawlResult:
    returncode: int
    log: str
    stats: dict
    output: Path

    @property
    def posts(self) -> list[Path]:
        return sorted((self.output / "_posts").glob("*.md"))


def run_crawl(
    output: Path,
    origin: str,
    *args: str,
    settings: dict | None = None,
    spider: str = "jiemian",
    timeout: int = 180,
) -> CrawlResult:
    """``scrapy crawl`` in a subprocess, as a user runs it, against ``origin``."""
    stats_file = output.parent / f"{output.name}-stats.json"
    if stats_file.exists():
        stats_file.unlink()
    command = [sys.executable, "-m", "scrapy", "crawl", spider]
    for arg in args:
        command += ["-a", arg]
    merged = {
        "JIEMIAN_ORIGIN": origin,
        "ARCHIVER_OUTPUT": str(output),
        "ARCHIVER_STATS_FILE": str(stats_file),
        "AUTOTHROTTLE_ENABLED": "False",
        "DOWNLOAD_DELAY": "0",
        "ARCHIVER_RETRY_BACKOFF_BASE": "0.05",
        **(settings or {}),
    }
    for name, value in merged.items():
        command += ["-s", f"{name}={value}"]
    env = dict(os.environ, SCRAPY_SETTINGS_MODULE="archiver.settings")
    proc = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL
    )
    stats = json.loads(stats_file.read_text()) if stats_file.exists() else {}
    return CrawlResult(proc.returncode, proc.stdout + proc.stderr, stats, output)


def archiver_command(
    output: Path,
    origin: str,
    *args: str,
    settings: dict | None = None,
    json_file: Path | None = None,
    spider: str = "jiemian",
) -> list[str]:
    """``archiver crawl`` (the cron command) as a user runs it, against ``origin``."""
    command = [sys.executable, "-m", "archiver.cli", "crawl", spider]
    for arg in args:
        command += ["-a", arg]
    merged = {
        "JIEMIAN_ORIGIN": origin,
        "ARCHIVER_OUTPUT": str(output),
        "AUTOTHROTTLE_ENABLED": "False",
        "DOWNLOAD_DELAY": "0",
        "ARCHIVER_RETRY_BACKOFF_BASE": "0.05",
        **(settings or {}),
    }
    for name, value in merged.items():
        command += ["-s", f"{name}={value}"]
    if json_file:
        command += ["--json", str(json_file)]
    return command


def run_archiver(
    output: Path, origin: str, *args: str, settings: dict | None = None, timeout: int = 180
) -> tuple[int, str, dict]:
    """Run ``archiver crawl``; (exit status, what it printed, its JSON report)."""
    json_file = output.parent / f"{output.name}-run.json"
    json_file.unlink(missing_ok=True)
    proc = subprocess.run(
        archiver_command(output, origin, *args, settings=settings, json_file=json_file),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )
    report = json.loads(json_file.read_text()) if json_file.exists() else {}
    return proc.returncode, proc.stdout + proc.stderr, report
