"""The spiders' ``-a name=value`` arguments, read and checked: a wrong one stops the run
at its start with a message naming it (Scrapy prints the ValueError)."""

from __future__ import annotations

import re
from datetime import datetime, tzinfo
from pathlib import Path

_COMMENT = re.compile(r"(^|\s)#.*$")


def split_arg(value: str | None) -> list[str]:
    """``-a name=a,b,c`` -> ["a", "b", "c"]."""
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def read_urls_file(path: str) -> list[str]:
    """The entries of ``-a urls_file=PATH``: one per line, blank lines and ``#`` comments
    ignored (a ``#`` inside a URL stays). OSError when the file cannot be read."""
    lines = Path(path).expanduser().read_text(encoding="utf-8-sig").splitlines()
    return [line for line in (_COMMENT.sub("", raw).strip() for raw in lines) if line]


def refresh_from_arg(value: str | None) -> tuple[bool, int | None]:
    """``refresh=all`` or ``refresh=N`` (days) -> (refresh?, days)."""
    if value is None:
        return False, None
    if value.strip().lower() == "all":
        return True, None
    try:
        days = int(value)
    except ValueError:
        raise ValueError(f"refresh={value!r}: use 'all' or a number of days") from None
    if days < 1:
        raise ValueError("refresh=N needs N >= 1 days")
    return True, days


def since_from_arg(value: str | None, tz: tzinfo) -> datetime | None:
    """``since=2026-11-01`` (a date, or a date and time) in ``tz`` unless it names a zone."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"since={value!r} is not a date such as 2026-11-01") from None
    return parsed.replace(tzinfo=tz) if parsed.tzinfo is None else parsed


def shard_from_arg(value: str | None) -> tuple[int, int]:
    """``shard=I/N`` -> (I, N): the I-th of N disjoint parts; none given: (0, 1), everything."""
    if not value:
        return 0, 1
    try:
        index, count = (int(n) for n in value.split("/"))
    except ValueError:
        index, count = -1, 0
    if not 0 <= index < count:
        raise ValueError(f"shard={value!r}: use I/N with 0 <= I < N")
    return index, count


def pages_from_arg(value: str | None) -> int | None:
    """``pages=N``: list pages per category, at least 1."""
    if value is None:
        return None
    try:
        pages = int(value)
    except ValueError:
        raise ValueError(f"pages={value!r} is not a whole number") from None
    if pages < 1:
        raise ValueError("pages must be at least 1")
    return pages
