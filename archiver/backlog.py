"""What earlier runs left for this one: archived articles to fetch again (``-a refresh``),
pages that failed for a passing reason (ARCHIVER_RETRY_FAILURES), the validators of
lists and feeds, and what earlier runs covered of a list's entries."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime

from archiver import config
from archiver.store.state import State


def refresh_urls(crawler, newer_than_days: int | None) -> Iterator[str]:
    """URLs of the archived articles (all, or published in the last N days)."""
    for _key, url in State.for_crawler(crawler).refresh_keys(newer_than_days):
        yield url


def retry_urls(crawler) -> Iterator[tuple[str, str, int]]:
    """(URL, last reason, attempts) of the articles worth trying again; none when
    ARCHIVER_RETRY_FAILURES is off."""
    settings = crawler.settings
    if not config.getbool(settings, "ARCHIVER_RETRY_FAILURES"):
        return
    state = State.for_crawler(crawler)
    for url, key, reason, _, attempts in state.failures(
        transient_only=True, max_attempts=config.getint(settings, "ARCHIVER_MAX_ATTEMPTS")
    ):
        if key:
            yield url, reason, attempts


def page_validators(crawler, url: str):
    """The ETag and Last-Modified kept for a list or feed page."""
    return State.for_crawler(crawler).validators(url)


#: What an earlier run did with a kept entry: nothing (None), requested it (ALL), or
#: requested it only if not older than a ``since`` (that date, ISO).
ALL = "*"


def entries_json(entries, covered: dict[str, str | None] | None = None) -> str:
    """List entries (``url``, ``title``, ``published``) as JSON with what this and earlier
    runs covered of each, to keep with a page's validators."""
    covered = covered or {}
    return json.dumps(
        [
            [e.url, e.title, e.published.isoformat() if e.published else None, covered.get(e.url)]
            for e in entries
        ],
        ensure_ascii=False,
    )


def entries_from_json(text: str, make) -> tuple[list, dict[str, str | None]]:
    """The entries of :func:`entries_json`, each built by ``make(url=, title=, published=)``,
    and what earlier runs covered of them."""
    entries, covered = [], {}
    for row in json.loads(text):
        url, title, when = row[:3]
        entries.append(make(url=url, title=title, published=datetime.fromisoformat(when) if when else None))
        covered[url] = row[3] if len(row) > 3 else None
    return entries, covered


def is_covered(mark: str | None, since: datetime | None) -> bool:
    """Whether an entry an earlier run marked ``mark`` needs no request with this ``since``."""
    if mark is None:
        return False
    if mark == ALL:
        return True
    return since is not None and since >= datetime.fromisoformat(mark)


def cover_mark(since: datetime | None) -> str:
    return since.isoformat() if since else ALL


def merge_marks(old: str | None, new: str | None) -> str | None:
    """The wider of two marks (ALL covers every since; an earlier since covers more)."""
    if old is None or new == ALL:
        return new
    if new is None or old == ALL:
        return old
    return min(old, new, key=datetime.fromisoformat)
