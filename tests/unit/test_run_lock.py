"""The blog's run lock (archiver/store/lock.py) with real processes: a run holding it
refuses a second one at once; a run whose command was killed while the processes it
started still hold the lock (they were told to stop) is waited for, a little."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from archiver.store import lock
from archiver.store.lock import RunLock, RunLocked

#: Takes the lock, starts ``sleep SECONDS`` holding it too (as a run's parent starts its
#: processes), says so, then dies at once as if killed: only the sleep holds the lock.
ORPHAN = (
    "import os, subprocess, sys; from archiver.store.lock import RunLock, held; "
    "taken = RunLock(sys.argv[1]).acquire(); "
    "child = subprocess.Popen(['sleep', sys.argv[2]], pass_fds=held(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
    "print(child.pid, flush=True); os._exit(0)"
)
HOLD = "from archiver.store.lock import RunLock; import sys, time; taken = RunLock(sys.argv[1]).acquire(); print('held', flush=True); time.sleep(60)"


def _orphaned_lock(path, seconds: float) -> int:
    """The pid of the process left holding the lock at ``path`` for ``seconds``."""
    taker = subprocess.run(
        [sys.executable, "-c", ORPHAN, str(path), str(seconds)], capture_output=True, text=True, check=True
    )
    return int(taker.stdout.strip())


def test_a_live_run_refuses_a_second_one_at_once(tmp_path):
    path = tmp_path / "run.lock"
    run = subprocess.Popen([sys.executable, "-c", HOLD, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert run.stdout.readline().strip() == "held"
        started = time.monotonic()
        with pytest.raises(RunLocked, match=f"another archiver run holds .*pid {run.pid}, started"):
            RunLock(path).acquire()
        assert time.monotonic() - started < 1.0
    finally:
        run.kill()
        run.wait()
    assert RunLock(path).acquire().handle is not None  # free once the run is gone


def test_processes_left_by_a_killed_run_are_waited_for(tmp_path):
    path = tmp_path / "run.lock"
    _orphaned_lock(path, 0.8)
    started = time.monotonic()
    taken = RunLock(path).acquire()
    try:
        assert 0.3 < time.monotonic() - started < lock.STOPPING_WAIT
        assert path.read_text().startswith(f"pid {os.getpid()}, started ")
    finally:
        taken.release()


def test_processes_of_a_killed_run_that_do_not_stop_are_named(tmp_path, monkeypatch):
    path = tmp_path / "run.lock"
    monkeypatch.setattr(lock, "STOPPING_WAIT", 0.5)
    orphan = _orphaned_lock(path, 30)
    try:
        with pytest.raises(
            RunLocked, match="that process is gone, and the processes it started are stopping"
        ):
            RunLock(path).acquire()
    finally:
        subprocess.run(["kill", str(orphan)], check=False)


def test_a_run_whose_command_is_gone_is_waited_for(tmp_path):
    """The one-process crawl's Scrapy takes the lock itself, under the archiver command
    that started it: once that command is gone, it is stopping (SIGTERM from its parent's
    death) and is waited for."""
    path = tmp_path / "run.lock"
    gone = _dead_pid()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD.replace("time.sleep(60)", "time.sleep(0.8)"), str(path)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, lock.PARENT_ENV: str(os.getpid())},
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        assert path.read_text().rstrip().endswith(f"under pid {os.getpid()}")
        path.write_text(path.read_text().replace(f"under pid {os.getpid()}", f"under pid {gone}"))
        _waited_for(path)
    finally:
        holder.kill()
        holder.wait()


def _waited_for(path) -> None:
    """The lock at ``path`` is taken, once the processes holding it are gone (not at once)."""
    started = time.monotonic()
    taken = RunLock(path).acquire()
    assert 0.3 < time.monotonic() - started < lock.STOPPING_WAIT
    taken.release()


def _dead_pid() -> int:
    """The pid of a process that has exited (and been reaped)."""
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


def test_processes_of_a_killed_run_not_yet_reaped_are_waited_for(tmp_path):
    """The killed command is a zombie until whoever started it (a shell, a test, cron)
    reaps it: it is gone all the same, and the processes it started are waited for."""
    path = tmp_path / "run.lock"
    taker = subprocess.Popen(
        [sys.executable, "-c", ORPHAN, str(path), "0.8"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )
    try:
        assert taker.stdout is not None
        taker.stdout.readline()  # the sleep holds the lock; the taker exits, unreaped
        stat = Path(f"/proc/{taker.pid}/stat")
        end = time.monotonic() + 10
        while stat.read_text().rsplit(")", 1)[1].split()[0] != "Z" and time.monotonic() < end:
            time.sleep(0.01)
        _waited_for(path)
    finally:
        taker.wait()
