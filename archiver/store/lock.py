"""One run at a time per blog: an advisory lock on ``<state dir>/run.lock``.

``flock`` locks belong to the process: the kernel releases them when the process
dies, also by SIGKILL, so a lock left by a killed run is recovered by construction.
The file keeps the holder's pid and start time for the message a second run prints.
"""

from __future__ import annotations

import fcntl
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

#: Exit status of a run that found another one running (sysexits EX_TEMPFAIL).
EXIT_LOCKED = 75


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
            handle.close()
            raise RunLocked(
                f"another archiver run holds {self.path} ({holder}); this run exits without doing anything"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}, started {datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC\n")
        handle.flush()
        self.handle = handle
        return self

    def release(self) -> None:
        if self.handle is not None:
            fcntl.flock(self.handle.fileno(), fcntl.LOCK_UN)
            self.handle.close()
            self.handle = None


def held_by(path: Path, pid: int) -> bool:
    """Whether the lock at ``path`` is held, by the living process ``pid`` (the parent of a
    parallel rebuild lends its lock to its workers this way)."""
    try:
        holder = Path(path).read_text(encoding="utf-8")
    except OSError:
        return False
    if not holder.startswith(f"pid {pid},"):
        return False
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    with open(path, "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True  # somebody holds it: the living pid the file names
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
        return False


def holder(path: Path) -> str | None:
    """Who holds the lock at ``path`` now ("pid 123, started …"), or None when nobody
    does. Read without taking the lock (a look must never make a starting run find it
    taken): the process the file names is alive and is an archiver run (its command line,
    where ``/proc`` shows it, names the archiver or Scrapy: not another process that got
    the pid of a run long finished)."""
    try:
        text = Path(path).read_text(encoding="utf-8").strip()
        pid = int(text[4:].split(",")[0]) if text.startswith("pid ") else 0
    except (OSError, ValueError):
        return None
    if pid <= 0:
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        pass  # alive, another user's
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return text  # no /proc: the pid is alive
    return text if b"archiver" in command or b"scrapy" in command else None
