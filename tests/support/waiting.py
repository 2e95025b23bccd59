"""Wait for what a subprocess does (a file, a Redis key, a log line), polling."""

from __future__ import annotations

import time
from collections.abc import Callable


def wait_for(predicate: Callable[[], object], timeout: float = 60.0) -> bool:
    """True as soon as ``predicate()`` is true, False after ``timeout`` seconds."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.05)
    return False
