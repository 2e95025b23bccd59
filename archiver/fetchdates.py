"""What the fetch knows about a page's date, for a parser that dates a page printing no
publication time by it: the HTTP ``Last-Modified`` and the time of the fetch. The spider
passes them as arguments, so that parsers stay pure functions of their input."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from types import ModuleType


def last_modified(response) -> datetime | None:
    """The response's ``Last-Modified`` as an aware datetime, None when absent or unreadable."""
    header = response.headers.get("Last-Modified")
    if not header:
        return None
    try:
        value = parsedate_to_datetime(header.decode("latin-1"))
    except (TypeError, ValueError):
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def date_fallbacks(parser: ModuleType, response) -> dict:
    """Keyword arguments for ``parser.parse``: ``last_modified`` and ``fetched`` when the
    parser takes them (``DATE_FALLBACKS``), else none."""
    if not getattr(parser, "DATE_FALLBACKS", False):
        return {}
    return {"last_modified": last_modified(response), "fetched": datetime.now(UTC).replace(microsecond=0)}
