"""What a followed source may bring in: the same site only, article URLs only, not older
than ``since``, the allow/deny patterns, at most ``max_items`` new articles per run.
Pure: URLs and dates in, a verdict out."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from archiver.discover import Entry
from archiver.extract.outlets import registrable_domain
from archiver.extract.urls import not_article_reason, site_host


def site_of(url: str) -> str:
    """The registrable domain of a URL (``news.sina.com.cn`` -> ``sina.com.cn``)."""
    return registrable_domain(site_host(url))


def patterns(values: list[str], name: str) -> list[re.Pattern]:
    compiled = []
    for value in values:
        try:
            compiled.append(re.compile(value))
        except re.error as exc:
            raise ValueError(f"{name}={value!r} is not a regular expression: {exc}") from None
    return compiled


@dataclass
class Scope:
    """The rules of one followed source (a URL given with ``-a follow``)."""

    source: str  # the URL as given
    since: datetime | None = None
    max_items: int | None = None
    allow: list[re.Pattern] = field(default_factory=list)
    deny: list[re.Pattern] = field(default_factory=list)

    @property
    def site(self) -> str:
        return site_of(self.source)

    def offsite(self, url: str) -> str | None:
        """Why ``url`` may not be fetched for this source (another site), or None."""
        other = site_of(url)
        if other != self.site:
            return f"on another site ({other or url}), not {self.site}"
        return None

    def refuse(self, entry: Entry) -> tuple[str, str] | None:
        """(reason, text) when an article entry is not taken, else None."""
        problem = self.offsite(entry.url)
        if problem:
            return "offsite", problem
        problem = not_article_reason(entry.url)
        if problem:
            return "not_article", f"not an article: {problem}"
        if self.allow and not any(p.search(entry.url) for p in self.allow):
            return "not_allowed", "matches no allow pattern"
        for pattern in self.deny:
            if pattern.search(entry.url):
                return "denied", f"matches the deny pattern {pattern.pattern!r}"
        if self.since and entry.published and entry.published < self.since:
            return (
                "older_than_since",
                f"dated {entry.published:%Y-%m-%d %H:%M}, before since={self.since:%Y-%m-%d}",
            )
        return None


def newest_first(entries: list[Entry]) -> list[Entry]:
    """Dated entries newest first, then the undated ones in document order."""
    floor = datetime.min.replace(tzinfo=UTC)
    return sorted(entries, key=lambda e: (e.published is None, -(e.published or floor).timestamp()))
