"""One run at a time per blog: an advisory lock on ``<state dir>/run.lock``.

``flock`` locks belong to the process: the kernel releases them when the process
dies, also by SIGKILL, so a lock left by a killed run is recovered by construction.
The file keeps the holder's pid and start time for the message a second run prints.

A run of several processes (workers, a writer, sources) takes the lock in its parent,
which passes the lock's file to them (:func:`held`): the lock is held until the last of
them is gone, so a parent killed alone does not free the blog while its processes still
write (they are stopped too: ``archiver.cli.Outlive``). The next run waits a little
(:data:`STOPPING_WAIT`) for such processes rather than refusing at once.
"""

from __future__ import annotations

import fcntl
import os
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

#: Exit status of a run that found another one running (sysexits EX_TEMPFAIL).
EXIT_LOCKED = 75

#: Seconds a run waits for the lock when the process named in it is gone: its run's parent
#: was killed, and the processes it started, which hold the lock with it, are stopping.
STOPPING_WAIT = 30.0

#: The environment variable naming the archiver command that started a process
#: (``archiver.cli.Outlive``): a lock it takes says so ("…, under pid N").
PARENT_ENV = "ARCHIVER_PARENT"

#: Descriptors of the locks this process holds, passed to the processes it starts.
_HELD: set[int] = set()


class RunLocked(RuntimeError):
    pass


class RunLock:
    def __init__(self, path: Path):
        self.path = Path(path)
        self.handle: TextIO | None = None

    def acquire(self) -> RunLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+", encoding="utf-8")
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            stopping = _stopping(holder)
            if not stopping or not _wait_free(handle, STOPPING_WAIT):
                handle.close()
                raise RunLocked(
                    f"another archiver run holds {self.path} ({holder}{stopping}); "
                    "this run exits without doing anything"
                ) from None
        parent = os.environ.get(PARENT_ENV, "")
        under = f", under pid {parent}" if parent == str(os.getppid()) else ""
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}, started {datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC{under}\n")
        handle.flush()
        self.handle = handle
        _HELD.add(handle.fileno())
        return self

    def release(self) -> None:
        if self.handle is not None:
            _HELD.discard(self.handle.fileno())
            fcntl.flock(self.handle.fileno(), fcntl.LOCK_UN)
            self.handle.close()
            self.handle = None


def held() -> tuple[int, ...]:
    """The descriptors of the run locks this process holds: a run's parent passes them to
    the processes it starts (``pass_fds``), which then hold the lock with it."""
    return tuple(sorted(_HELD))


def _pid(text: str) -> int:
    """The pid a lock file names ("pid 123, started …"), or 0."""
    try:
        return int(text[4:].split(",")[0]) if text.startswith("pid ") else 0
    except ValueError:
        return 0


def pid_alive(pid: int) -> bool:
    """Whether the process ``pid`` runs: not gone, and not a zombie (a killed process its
    parent has not reaped yet, or whose parent died too, stays one a while)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # alive, another user's
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True  # no /proc: os.kill said it is there


def _stopping(holder: str) -> str:
    """Why the run holding the lock is stopping ("" when it is not): the process that took
    it is gone, so only processes it started hold it; or the archiver command it ran under
    is gone. Either way they were told to stop (``archiver.cli.Outlive``)."""
    pid = _pid(holder)  # 0: unreadable (being written this instant): a run, not stopping
    if pid and not pid_alive(pid):
        return "; that process is gone, and the processes it started are stopping"
    under = holder.rpartition(", under pid ")[2] if ", under pid " in holder else ""
    if under.isdigit() and not pid_alive(int(under)):
        return "; the command it ran under is gone, and it is stopping"
    return ""


def _wait_free(handle: TextIO, seconds: float) -> bool:
    """Take the lock once it is free, waiting at most ``seconds``."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        time.sleep(0.1)
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            continue
    return False


def _taken(path: Path) -> bool:
    """Whether somebody holds the lock at ``path`` (it is let go at once when free)."""
    try:
        handle = open(path, "a+", encoding="utf-8")
    except OSError:
        return False
    with handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
        return False


def held_by(path: Path, pid: int) -> bool:
    """Whether the lock at ``path`` is held, by the living process ``pid`` (the parent of a
    parallel rebuild lends its lock to its workers this way)."""
    try:
        holder = Path(path).read_text(encoding="utf-8")
    except OSError:
        return False
    return _pid(holder) == pid and pid_alive(pid) and _taken(path)  # held: by the living pid named


def holder(path: Path) -> str | None:
    """Who holds the lock at ``path`` now ("pid 123, started …"), or None when nobody
    does: the process the file names is alive and is an archiver run (its command line,
    where ``/proc`` shows it, names the archiver or Scrapy: not another process that got
    the pid of a run long finished); that is read without taking the lock (a look must
    never make a starting run find it taken). When that process is gone, the lock may
    still be held by the processes it started, stopping since it was killed: the lock is
    tried (a run starting in that instant finds it taken by a gone process, and waits)."""
    try:
        text = Path(path).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    pid = _pid(text)
    if not pid_alive(pid):
        return text + _stopping(text) if pid and _taken(path) else None
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return text  # no /proc: the pid is alive
    return text if b"archiver" in command or b"scrapy" in command else None
