"""``archiver status`` on a blog whose last run recorded no result: while that run holds
the blog's run lock it is "running now" (with its pid), once it is gone it "did not finish".
A lock file naming a live process that is not a run (its pid reused) is not a run. A run
whose command was killed while the processes it started still hold the lock is stopping."""

from __future__ import annotations

import subprocess
import sys
import time

from archiver.cli import main
from archiver.store.state import State

#: Takes the lock, starts ``sleep SECONDS`` holding it too (as a run's command starts its
#: processes), prints the sleep's pid, then dies at once as if killed.
ORPHAN = (
    "import os, subprocess, sys; from archiver.store.lock import RunLock, held; "
    "taken = RunLock(sys.argv[1]).acquire(); "
    "child = subprocess.Popen(['sleep', sys.argv[2]], pass_fds=held(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
    "print(os.getpid(), child.pid, flush=True); os._exit(0)"
)
HOLD = "from archiver.store.lock import RunLock; import sys, time; RunLock(sys.argv[1]).acquire(); print('held', flush=True); time.sleep(60)"


def _blog_with_an_unfinished_run(tmp_path):
    blog = tmp_path / "blog"
    (blog / "_posts").mkdir(parents=True)
    state = State(blog / ".archiver" / "state.sqlite", blog)
    state.run_started("jiemian")
    state.db.close()
    return blog


def _last_run(capsys, blog) -> str:
    assert main(["status", "-s", f"ARCHIVER_OUTPUT={blog}"]) == 0
    return next(line for line in capsys.readouterr().out.splitlines() if line.startswith("Last run:"))


def test_a_run_holding_the_lock_is_running_now_and_a_gone_one_did_not_finish(tmp_path, capsys):
    blog = _blog_with_an_unfinished_run(tmp_path)
    lock = blog / ".archiver" / "run.lock"
    run = subprocess.Popen([sys.executable, "-c", HOLD, str(lock)], stdout=subprocess.PIPE, text=True)
    try:
        assert run.stdout.readline().strip() == "held"
        line = _last_run(capsys, blog)
        assert f"running now (pid {run.pid}, started " in line, line
    finally:
        run.kill()
        run.wait()
    line = _last_run(capsys, blog)
    assert "did not finish (killed or stopped before its end)" in line, line


def test_a_lock_file_naming_a_process_that_is_not_a_run_is_not_running(tmp_path, capsys):
    blog = _blog_with_an_unfinished_run(tmp_path)
    other = subprocess.Popen(["sleep", "30"])  # alive, but not an archiver run (a reused pid)
    try:
        (blog / ".archiver" / "run.lock").write_text(f"pid {other.pid}, started 2026-01-01 00:00:00 UTC\n")
        line = _last_run(capsys, blog)
    finally:
        other.kill()
        other.wait()
    assert "did not finish" in line, line


def test_a_run_whose_command_was_killed_is_stopping_until_its_processes_are_gone(tmp_path, capsys):
    blog = _blog_with_an_unfinished_run(tmp_path)
    lock = blog / ".archiver" / "run.lock"
    taker = subprocess.run(
        [sys.executable, "-c", ORPHAN, str(lock), "1.5"], capture_output=True, text=True, check=True
    )
    command, orphan = map(int, taker.stdout.split())
    line = _last_run(capsys, blog)
    assert f"running now (pid {command}, started " in line, line
    assert "that process is gone, and the processes it started are stopping" in line, line
    deadline = time.monotonic() + 10
    while subprocess.run(["kill", "-0", str(orphan)], capture_output=True).returncode == 0:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    time.sleep(0.1)  # the sleep is gone (or a zombie of no one's): its descriptor is closed
    line = _last_run(capsys, blog)
    assert "did not finish (killed or stopped before its end)" in line, line
