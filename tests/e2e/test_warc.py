"""The original pages kept as WARC/1.1, posts rebuilt from them offline, and the status report."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from archiver.demo.server import SITE, Canned, FixtureServer
from tests.support.crawl import run_archiver, run_crawl
from tests.support.fixtures import ROOT

pytestmark = pytest.mark.e2e

ARGS = ("lists=65,800", "pages=3")
ARTICLES = 11


def archiver(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "archiver.cli", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        stdin=subprocess.DEVNULL,
    )


def warcs(root: Path) -> list[Path]:
    return sorted((root / ".archiver" / "warc").glob("*.warc.gz"))


def texts(root: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted((root / "_posts").glob("*.md"))}


def mtimes(root: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in (root / "_posts").glob("*.md")}


@pytest.fixture(scope="module")
def archived(tmp_path_factory):
    """A crawl of the bundled site; then the server is gone for good."""
    out = tmp_path_factory.mktemp("warc") / "blog"
    with FixtureServer(SITE) as server:
        status, printed, _ = run_archiver(out, server.url, *ARGS, settings={"ARCHIVER_WARC_MAX_MB": "0.1"})
    assert status == 0, printed
    return out


def test_every_article_response_is_kept_as_valid_warc_1_1(archived):
    files = warcs(archived)
    assert len(files) >= 2, "rotated by size"
    check = subprocess.run(
        [sys.executable, "-m", "warcio.cli", "check", "-v", *map(str, files)], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout + check.stderr
    responses, requests = {}, set()
    for file in files:
        with file.open("rb") as handle:
            for record in ArchiveIterator(handle):
                assert record.rec_headers.protocol == "WARC/1.1"
                url = record.rec_headers.get_header("WARC-Target-URI")
                if record.rec_type == "response":
                    responses[url] = record.content_stream().read()
                elif record.rec_type == "request":
                    requests.add(url)
    article_urls = {u for u in responses if "/article/" in u or "/video/" in u}
    assert len(article_urls) == ARTICLES + 2  # the paywalled page and the video page too
    assert requests >= article_urls
    url = "https://www.jiemian.com/article/14835210.html"
    assert responses[url] == (SITE / "article" / "14835210.html").read_bytes()
    assert not any("/lists/" in u or "/101/" in u for u in responses), "lists and images only on request"


def test_each_warc_file_has_a_sorted_cdxj_index_that_finds_its_records(archived, tmp_path):
    from archiver.store.warc import WarcArchive

    for file in warcs(archived):
        index = file.with_name(file.name.replace(".warc.gz", ".cdxj"))
        lines = index.read_text(encoding="utf-8").splitlines()
        assert lines == sorted(lines) and lines
        for line in lines:
            key, stamp, fields = line.split(" ", 2)
            fields = json.loads(fields)
            assert key.startswith("com,jiemian)/") and len(stamp) == 14
            with file.open("rb") as handle:
                handle.seek(int(fields["offset"]))
                record = next(iter(ArchiveIterator(handle)))
                assert record.rec_headers.get_header("WARC-Target-URI") == fields["url"]
                assert record.rec_type == "response"
    # the index gives the same answers as a scan of the files
    copy = tmp_path / "warc"
    shutil.copytree(archived / ".archiver" / "warc", copy)
    indexed = WarcArchive(copy).index
    for index in copy.glob("*.cdxj"):
        index.unlink()
    scanned = WarcArchive(copy).index
    assert {u: (f.name, o) for u, (f, o) in indexed.items()} == {
        u: (f.name, o) for u, (f, o) in scanned.items()
    }


def test_rebuild_with_a_new_setting_equals_a_fresh_crawl_with_it(archived, tmp_path):
    blog = tmp_path / "blog"
    shutil.copytree(archived, blog)
    owner = {"ARCHIVER_AUTHOR": "Sinter", "ARCHIVER_TAG_CATEGORY": "True"}
    before = texts(blog)

    dry = archiver(
        "rebuild", "--dry-run", "-s", f"ARCHIVER_OUTPUT={blog}", *[f"-s{k}={v}" for k, v in owner.items()]
    )
    assert dry.returncode == 0, dry.stdout + dry.stderr
    assert f"dry run, nothing written: changed {ARTICLES}" in dry.stdout
    assert "changed     _posts/2026-11-25-jiemian-14835210.md" in dry.stdout
    assert texts(blog) == before

    result = archiver("rebuild", "-s", f"ARCHIVER_OUTPUT={blog}", *[f"-s{k}={v}" for k, v in owner.items()])
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"updated: {ARTICLES}" in result.stdout
    rebuilt = texts(blog)

    fresh = tmp_path / "fresh"
    with FixtureServer(SITE) as server:
        run_archiver(fresh, server.url, *ARGS, settings=owner)
    assert rebuilt == texts(fresh)
    assert all('author:       "Sinter"' in text for text in rebuilt.values())

    again = archiver("rebuild", "-s", f"ARCHIVER_OUTPUT={blog}", *[f"-s{k}={v}" for k, v in owner.items()])
    assert f"unchanged: {ARTICLES}" in again.stdout and "updated: 0" in again.stdout
    assert texts(blog) == rebuilt


def test_rebuild_never_touches_a_hand_edited_post(archived, tmp_path):
    blog = tmp_path / "blog"
    shutil.copytree(archived, blog)
    post = blog / "_posts" / "2026-11-25-jiemian-14835210.md"
    mine = post.read_text(encoding="utf-8") + "\n我的批注\n"
    post.write_text(mine, encoding="utf-8")
    dry = archiver("rebuild", "--dry-run", "-s", f"ARCHIVER_OUTPUT={blog}", "-s", "ARCHIVER_AUTHOR=Sinter")
    assert "edited_kept _posts/2026-11-25-jiemian-14835210.md" in dry.stdout
    archiver("rebuild", "-s", f"ARCHIVER_OUTPUT={blog}", "-s", "ARCHIVER_AUTHOR=Sinter")
    assert post.read_text(encoding="utf-8") == mine


def test_the_spider_reads_a_warc_file_instead_of_the_network(tmp_path):
    first = tmp_path / "first"
    with FixtureServer(SITE) as server:  # lists, feeds and images kept too
        run_archiver(first, server.url, *ARGS, settings={"ARCHIVER_WARC_EVERYTHING": "True"})
    [warc] = warcs(first)
    # no server at all now: the origin points at a closed port
    result = run_crawl(tmp_path / "again", "http://127.0.0.1:9", f"warc={warc}")
    assert result.returncode == 0, result.log[-2000:]
    assert texts(result.output) == texts(first)  # images included: they came from the WARC
    assert sorted(p.name for p in (result.output / "img").rglob("*.*")) == sorted(
        p.name for p in (first / "img").rglob("*.*")
    )
    assert "archiver/failed" not in result.stats


def test_status_reports_per_source_the_last_run_and_failures(tmp_path):
    out = tmp_path / "blog"
    with FixtureServer(SITE, {"/article/14826640.html": Canned(503, b"busy")}) as server:
        run_archiver(out, server.url, "lists=800", "pages=2")
    shown = archiver("status", "-s", f"ARCHIVER_OUTPUT={out}")
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    archived = ["14840233", "14837702", "14828876", "14819087", "1124578"]  # list 800, pages 1-2
    dates = sorted(
        json.loads((SITE / "article" / f"{i}.expected.json").read_text())["published"] for i in archived
    )
    first, last = (d[:16].replace("T", " ") for d in (dates[0], dates[-1]))
    assert lines[0] == f"Blog {out}: 5 archived articles"
    assert lines[2].split() == ["jiemian", "5", *first.split(), *last.split()]
    assert (
        "Last run: jiemian" in shown.stdout
        and "finished: new 5" in shown.stdout
        and "failed 1" in shown.stdout
    )
    assert "Failures awaiting retry: 1" in shown.stdout
    assert (
        "https://www.jiemian.com/article/14826640.html: HTTP 503 Service Unavailable (1 attempts)"
        in shown.stdout
    )
    assert "WARC archive: 1 files" in shown.stdout


def test_a_warc_file_cut_short_by_a_kill_is_recovered_to_its_whole_records(tmp_path):
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    from archiver.store.warc import WarcArchive, recover_open_files

    path = tmp_path / "archiver-1.warc.gz.open"
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True, warc_version="1.1")
        for n in range(3):
            body = f"<html><body>第{n}页</body></html>".encode() * 50
            writer.write_record(
                writer.create_warc_record(
                    f"https://www.jiemian.com/article/{n + 1}.html",
                    "response",
                    payload=BytesIO(body),
                    http_headers=StatusAndHeaders(
                        "200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1"
                    ),
                )
            )
    whole = path.stat().st_size
    with path.open("r+b") as handle:  # the kill came in the middle of the third record
        handle.truncate(whole - 100)
    assert recover_open_files(tmp_path) == 1
    [closed] = tmp_path.glob("*.warc.gz")
    assert closed.name == "archiver-1.warc.gz" and not path.exists()
    check = subprocess.run(
        [sys.executable, "-m", "warcio.cli", "check", str(closed)], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert WarcArchive(closed).article_urls() == [
        "https://www.jiemian.com/article/1.html",
        "https://www.jiemian.com/article/2.html",
    ]


def test_a_parallel_rebuild_equals_a_single_one(archived, tmp_path):
    results = {}
    for jobs in ("1", "3"):
        blog = tmp_path / f"blog{jobs}"
        shutil.copytree(archived, blog)
        done = archiver(
            "rebuild", "--jobs", jobs, "-s", f"ARCHIVER_OUTPUT={blog}", "-s", "ARCHIVER_AUTHOR=Sinter"
        )
        assert done.returncode == 0, done.stdout + done.stderr
        assert f"updated: {ARTICLES}" in done.stdout
        results[jobs] = texts(blog)
        db = sqlite3.connect(blog / ".archiver" / "state.sqlite")
        assert db.execute("SELECT count(*) FROM revisions").fetchone()[0] == ARTICLES
    assert "[3 workers]" in done.stdout
    assert results["1"] == results["3"]


def test_workers_cannot_borrow_a_lock_nobody_lends(archived, tmp_path):
    blog = tmp_path / "blog"
    shutil.copytree(archived, blog)
    result = run_crawl(
        blog,
        "http://127.0.0.1:9",
        f"warc={warcs(archived)[0]}",
        settings={"ARCHIVER_LOCK_HELD_BY": str(os.getpid())},
    )
    assert result.returncode == 75
    assert "does not hold" in result.log
