"""Pytest setup for both tiers: the hypothesis profiles, the tier markers, shared fixtures.

Helpers (fixture paths and loaders, the subprocess crawl, the Jekyll harness) live in
``tests/support``; import them from there (``from tests.support.crawl import run_crawl``).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from archiver.demo.server import SITE, FixtureServer

# CI runs the property tests on a fixed sequence of examples (no flaky red builds);
# HYPOTHESIS_PROFILE=explore searches 20 times wider, as done before each release.
# Property tests of the unit tier name a smaller count (tests/support/budget.py), which
# the explore profile overrides.
hypothesis_settings.register_profile("dev", max_examples=250)
hypothesis_settings.register_profile("ci", max_examples=250, derandomize=True, print_blob=True)
hypothesis_settings.register_profile("explore", max_examples=5000, print_blob=True)
hypothesis_settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev")
)

TIERS = {"unit", "e2e"}


def pytest_collection_modifyitems(config, items):
    """Every test under ``tests/unit`` is marked ``unit``, under ``tests/e2e`` ``e2e``."""
    here = Path(__file__).resolve().parent
    for item in items:
        parts = Path(str(item.fspath)).resolve().relative_to(here).parts
        if parts and parts[0] in TIERS:
            item.add_marker(getattr(pytest.mark, parts[0]))


@pytest.fixture
def site_server():
    with FixtureServer(SITE) as server:
        yield server


@pytest.fixture
def new_run(tmp_path):
    """Make in-process runs (tests.support.inprocess.Run) over ``tmp_path / "blog"`` (or
    the folder given); any run a test left open is closed, its lock released."""
    from tests.support.inprocess import Run

    runs = []

    def make(blog: Path | None = None, **kwargs) -> Run:
        run = Run(blog or tmp_path / "blog", **kwargs)
        runs.append(run)
        return run

    yield make
    for run in runs:
        if not run.closed:
            run.close()
