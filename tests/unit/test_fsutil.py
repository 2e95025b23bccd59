"""Atomic writes: a failure half-way leaves the old file intact and no temporary file behind."""

from __future__ import annotations

import os

import pytest

from archiver.store.atomic import write_atomic


def test_write_creates_folders_and_replaces(tmp_path):
    target = tmp_path / "_posts" / "a.md"
    write_atomic(target, "一")
    write_atomic(target, "二")
    assert target.read_text(encoding="utf-8") == "二"
    assert sorted(p.name for p in target.parent.iterdir()) == ["a.md"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "a.md"
    target.write_text("old", encoding="utf-8")

    def disk_full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError):
        write_atomic(target, "new" * 1000)
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"]


def test_a_temporary_left_by_a_killed_process_with_the_same_pid_neither_blocks_nor_stays(tmp_path):
    from archiver.store import atomic

    posts = tmp_path / "_posts"
    posts.mkdir()
    serial = next(atomic._serial) + 1  # the next name this process would take
    stale = posts / f".a.md.{os.getpid()}-{serial}.tmp"
    stale.write_text("half a post", encoding="utf-8")
    write_atomic(posts / "a.md", "whole")
    assert (posts / "a.md").read_text(encoding="utf-8") == "whole"
    assert stale.read_text(encoding="utf-8") == "half a post"  # not written over
    assert atomic.remove_stale_temporaries(tmp_path) == 1
    assert [p.name for p in posts.iterdir()] == ["a.md"]


def test_the_written_file_is_readable_by_the_web_server_whatever_the_umask(tmp_path):
    old = os.umask(0o077)
    try:
        write_atomic(tmp_path / "a.md", "x")
    finally:
        os.umask(old)
    assert (tmp_path / "a.md").stat().st_mode & 0o777 == 0o644
