"""Shared test helpers: the bundled fixture site, a local HTTP server, running the real crawl."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from archiver.demo.server import SITE, FixtureServer

# CI runs the property tests on a fixed sequence of examples (no flaky red builds);
# HYPOTHESIS_PROFILE=explore searches 20 times wider, as done before each release.
hypothesis_settings.register_profile("dev", max_examples=250)
hypothesis_settings.register_profile("ci", max_examples=250, derandomize=True, print_blob=True)
hypothesis_settings.register_profile("explore", max_examples=5000, print_blob=True)
hypothesis_settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev")
)

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
REFERENCE_POST = FIXTURES / "reference" / "seed-post-jiemian-1108857.md"


def expected_files() -> list[Path]:
    """Every ``*.expected.json`` of the bundled site (one per article fixture page)."""
    return sorted(SITE.glob("*/*.expected.json"))


def page_of(expected: Path) -> Path:
    return expected.with_name(expected.name.replace(".expected.json", ".html"))


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


@pytest.fixture
def site_server():
    with FixtureServer(SITE) as server:
        yield server
