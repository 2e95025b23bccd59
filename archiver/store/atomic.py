"""Atomic file writes: a reader (or a killed run) never sees a half-written file."""

from __future__ import annotations

import itertools
import logging
import os
from pathlib import Path

logger = logging.getLogger(__name__)


#: Numbers the temporary files of this process (with its pid: no other writer's name).
_serial = itertools.count()
_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)


def _create(path: Path) -> tuple[int, str]:
    """A new temporary file beside ``path``, named ``.<name>.<pid>-<n>.tmp`` (what
    :func:`remove_stale_temporaries` removes): no random name to draw, no folder to look
    up when it exists already (tempfile.mkstemp did both, at each post)."""
    for _attempt in range(100):
        tmp = f"{path.parent}{os.sep}.{path.name}.{os.getpid()}-{next(_serial)}.tmp"
        try:
            return os.open(tmp, _FLAGS, 0o644), tmp
        except FileExistsError:  # left by a killed process that had this pid
            continue
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
    raise FileExistsError(f"no free temporary name beside {path}")


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write ``data`` to a temporary file beside ``path``, fsync it, then rename it over ``path``."""
    path = Path(path)
    if isinstance(data, str):
        data = data.encode("utf-8")
    fd, tmp = _create(path)
    try:
        try:
            os.fchmod(fd, 0o644)  # whatever the umask: the web server reads the blog
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def remove_stale_temporaries(root: Path) -> int:
    """Temporary files of writes a killed run never finished (``.<name>.<random>.tmp``)."""
    removed = 0
    for folder in (root / "_posts", root / "img"):
        if folder.is_dir():
            for path in folder.rglob(".*.tmp"):
                path.unlink(missing_ok=True)
                removed += 1
    if removed:
        logger.info("Removed %d temporary files left by an interrupted run", removed)
    return removed
