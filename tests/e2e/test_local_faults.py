"""Local faults: a read-only posts folder, a full disk, a locked or damaged state database.
Each gives a clear error naming the path, no partial file and a non-zero exit; the next
run after the fault is fixed completes the work.

The read-only and full disks are real: tmpfs and bind mounts (the tests run as root,
as CI does, where permission bits alone would not stop a write)."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

import frontmatter
import pytest

from archiver.demo.server import SITE, FixtureServer
from tests.support.crawl import run_archiver

pytestmark = pytest.mark.e2e

ARGS = ("lists=65,800", "pages=3")
ALL = 11


def mount(*args: str) -> None:
    subprocess.run(["mount", *args], check=True, capture_output=True)


@pytest.fixture
def mounts():
    done: list[Path] = []
    yield done
    for point in reversed(done):
        subprocess.run(["umount", "-l", str(point)], capture_output=True)


def whole_posts(root: Path) -> list[Path]:
    posts = sorted((root / "_posts").glob("*.md"))
    for post in posts:
        text = post.read_text(encoding="utf-8")
        assert frontmatter.loads(text)["layout"] == "post" and text.endswith('{:target="_blank"}\n\n\n')
    return posts


def no_partial_files(root: Path) -> None:
    assert [p for p in root.rglob(".*.tmp")] == []
    for image in (root / "img").rglob("*.*") if (root / "img").exists() else []:
        assert image.stat().st_size > 1000, image


def test_read_only_posts_folder(tmp_path, mounts):
    out = tmp_path / "blog"
    posts = out / "_posts"
    posts.mkdir(parents=True)
    mount("--bind", str(posts), str(posts))
    mounts.append(posts)
    mount("-o", "remount,ro,bind", str(posts))
    with FixtureServer(SITE) as server:
        status, printed, report = run_archiver(out, server.url, *ARGS)
        assert status == 1, printed
        log = Path(report["log"]).read_text(encoding="utf-8")
        assert f"Cannot write {posts}/" in log and "Read-only file system" in log
        assert report["summary"]["finish_reason"] == "write_error"
        assert whole_posts(out) == []
        mount("-o", "remount,rw,bind", str(posts))  # the owner fixes it
        status, printed, report = run_archiver(out, server.url, *ARGS)
    assert status == 0, printed
    assert len(whole_posts(out)) == ALL
    no_partial_files(out)


def test_disk_full(tmp_path, mounts):
    out = tmp_path / "blog"
    out.mkdir()
    mount("-t", "tmpfs", "-o", "size=600k", "tmpfs", str(out))
    mounts.append(out)
    with FixtureServer(SITE) as server:
        status, printed, report = run_archiver(
            out, server.url, *ARGS, settings={"ARCHIVER_STATE_TIMEOUT": "2"}
        )
        assert status == 1, printed
        text = printed + (
            Path(report["log"]).read_text(encoding="utf-8")
            if report.get("log") and Path(report["log"]).exists()
            else ""
        )
        assert "No space left on device" in text or "database or disk is full" in text, text[-3000:]
        assert str(out) in text
        first = whole_posts(out)
        assert len(first) < ALL
        no_partial_files(out)
        mount("-o", "remount,size=50m", str(out))  # the owner makes room
        status, printed, report = run_archiver(out, server.url, *ARGS)
    assert status == 0, printed
    assert len(whole_posts(out)) == ALL
    no_partial_files(out)
    db = sqlite3.connect(out / ".archiver" / "state.sqlite")
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_state_database_locked_by_another_program(tmp_path):
    out = tmp_path / "blog"
    with FixtureServer(SITE) as server:
        run_archiver(out, server.url, "ids=14840233")
        holder = sqlite3.connect(out / ".archiver" / "state.sqlite", isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")
        status, printed, _ = run_archiver(out, server.url, *ARGS, settings={"ARCHIVER_STATE_TIMEOUT": "1"})
        assert status == 1
        assert (
            f"state database {out / '.archiver' / 'state.sqlite'} cannot be used: database is locked"
            in printed
        )
        assert len(whole_posts(out)) == 1
        holder.execute("ROLLBACK")
        holder.close()
        status, printed, _ = run_archiver(out, server.url, *ARGS)
    assert status == 0, printed
    assert len(whole_posts(out)) == ALL


def test_state_database_damaged(tmp_path):
    out = tmp_path / "blog"
    db = out / ".archiver" / "state.sqlite"
    with FixtureServer(SITE) as server:
        run_archiver(out, server.url, "ids=14840233")
        for extra in ("-wal", "-shm"):
            Path(f"{db}{extra}").unlink(missing_ok=True)
        db.write_bytes(b"this is not a database" * 100)
        status, printed, _ = run_archiver(out, server.url, *ARGS)
        assert status == 1
        assert f"state database {db} cannot be used: file is not a database" in printed
        assert "move it away and the next run rebuilds it" in printed
        db.rename(db.with_suffix(".damaged"))  # the owner does what the message says
        status, printed, report = run_archiver(out, server.url, *ARGS)
    assert status == 0, printed
    assert len(whole_posts(out)) == ALL and report["summary"]["new"] == ALL - 1
