"""The 304 rule, in run sequences (issue 13 item 4): a ``304 Not Modified`` may only let a
run skip what an earlier run covered. Each sequence ends with every post that a clean run
of its last command makes on an empty blog, and says in its log what it re-read."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from archiver.demo.server import SITE, FixtureServer
from tests.support.crawl import archiver_command, run_crawl
from tests.support.fixtures import ROOT

pytestmark = pytest.mark.e2e

DEEPER = ("lists=65", "pages=3")
#: Only on page 3 of list 65 (2018 and 2017): no default run reaches them.
PAGE_3 = {"1108857", "2081436"}


def ids(result_or_root) -> set[str]:
    root = getattr(result_or_root, "output", result_or_root)
    return {p.stem.rsplit("-", 1)[1] for p in (Path(root) / "_posts").glob("*.md")}


def hits(server) -> list[str]:
    paths = server.paths()
    server.hits.clear()
    return paths


@pytest.fixture(scope="module")
def server():
    with FixtureServer(SITE) as running:
        yield running


@pytest.fixture(scope="module")
def clean(server, tmp_path_factory):
    """What each last command archives on an empty blog."""
    root = tmp_path_factory.mktemp("clean")
    made = {}
    for name, args in {
        "deeper": DEEPER,
        "since_2017": (*DEEPER, "since=2017-01-01"),
        "feed": ("feed=site",),
    }.items():
        made[name] = ids(run_crawl(root / name, server.url, *args, settings={"ARCHIVER_IMAGES": "False"}))
    assert made["deeper"] >= PAGE_3
    return made


def test_default_run_then_a_deeper_one_reads_the_deeper_pages(server, clean, tmp_path):
    blog = tmp_path / "blog"
    first = run_crawl(blog, server.url, settings={"ARCHIVER_IMAGES": "False"})
    assert first.returncode in (0, 1), first.log[-2000:]
    archived = ids(first)
    assert not PAGE_3 & archived
    hits(server)
    second = run_crawl(blog, server.url, *DEEPER, settings={"ARCHIVER_IMAGES": "False"})
    fetched = hits(server)
    # page 1 answered 304 and its entries were read again; pages 2 and 3 were asked for
    assert (
        "Not modified since the last run: https://www.jiemian.com/lists/65.html (its entries re-read)"
        in second.log
    )
    assert any("page=2" in p for p in fetched) and any("page=3" in p for p in fetched)
    assert clean["deeper"] <= ids(second)
    # and nothing archived was fetched again
    assert not [p for p in fetched if p.startswith("/article/") and p.split("/")[-1][:-5] in archived]


def test_since_then_an_earlier_since_takes_the_older_articles(server, clean, tmp_path):
    blog = tmp_path / "blog"
    first = run_crawl(blog, server.url, *DEEPER, "since=2026-01-01", settings={"ARCHIVER_IMAGES": "False"})
    assert not PAGE_3 & ids(first)
    hits(server)
    second = run_crawl(blog, server.url, *DEEPER, "since=2017-01-01", settings={"ARCHIVER_IMAGES": "False"})
    fetched = hits(server)
    assert second.stats["archiver/pages/not_modified"] == 3  # all three pages answered 304 ...
    assert {f"/article/{i}.html" for i in PAGE_3} <= set(fetched)  # ... and their older articles came
    assert clean["since_2017"] <= ids(second)


def test_a_feed_whose_items_a_run_filtered_out_gives_them_to_the_next_run(server, clean, tmp_path):
    blog = tmp_path / "blog"
    first = run_crawl(
        blog, server.url, "feed=site", "since=2026-11-24", settings={"ARCHIVER_IMAGES": "False"}
    )
    assert "14819087" not in ids(first)  # 2026-11-20: older than since
    second = run_crawl(blog, server.url, "feed=site", settings={"ARCHIVER_IMAGES": "False"})
    assert second.stats["archiver/pages/not_modified"] == 1
    assert clean["feed"] <= ids(second)
    assert "14819087" in ids(second)


def test_feed_then_lists_then_the_same_again_fetches_nothing_archived(server, clean, tmp_path):
    blog = tmp_path / "blog"
    run_crawl(blog, server.url, "feed=site", settings={"ARCHIVER_IMAGES": "False"})
    lists = run_crawl(blog, server.url, *DEEPER, settings={"ARCHIVER_IMAGES": "False"})
    assert clean["deeper"] <= ids(lists)
    hits(server)
    again = run_crawl(blog, server.url, "feed=site", settings={"ARCHIVER_IMAGES": "False"})
    again_lists = run_crawl(blog, server.url, *DEEPER, settings={"ARCHIVER_IMAGES": "False"})
    fetched = hits(server)
    assert again.stats["archiver/pages/not_modified"] == 1
    assert again_lists.stats["archiver/pages/not_modified"] == 3
    assert not [p for p in fetched if p.startswith(("/article/", "/video/"))]


def test_an_interrupted_run_then_the_same_run_misses_nothing(clean, tmp_path):
    """Ctrl-C (a graceful shutdown, so every component's close runs) in the middle of a
    slow backfill: no validator of the pages is kept, and the same command finishes the work."""
    blog = tmp_path / "blog"
    with FixtureServer(SITE, delay=0.4) as slow:
        victim = subprocess.Popen(
            archiver_command(blog, slow.url, *DEEPER, settings={"ARCHIVER_IMAGES": "False"}),
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        end = time.monotonic() + 120
        while not any("page=2" in p for p in slow.paths()) and time.monotonic() < end:
            time.sleep(0.05)
        os.killpg(victim.pid, signal.SIGINT)
        out, _ = victim.communicate(timeout=120)
        assert victim.returncode != 0, out  # the run says it did not finish
        interrupted = ids(blog)
        assert not clean["deeper"] <= interrupted, "the run was not interrupted before its end"
        slow.hits.clear()
        again = run_crawl(blog, slow.url, *DEEPER, settings={"ARCHIVER_IMAGES": "False"})
        assert "archiver/pages/not_modified" not in again.stats  # nothing stored by the interrupted run
    assert clean["deeper"] <= ids(again)
