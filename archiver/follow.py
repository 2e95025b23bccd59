"""Following outlets: the part of ``scrapy crawl article`` that reads feeds, sitemaps,
robots.txt and home pages (``-a follow``) and requests the articles they link to.

What a document is and what it holds is decided by :mod:`archiver.discover` (pure);
what may be taken by :class:`archiver.discover.scope.Scope`. This mixin only turns
documents into requests, keeps count per source, and reports each refusal.
"""

from __future__ import annotations

import shlex
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

from archiver import config, discover, report
from archiver.backlog import ALL, cover_mark, is_covered, merge_marks
from archiver.discover.scope import Scope, newest_first, patterns
from archiver.failures import unusable
from archiver.sites import article_key
from archiver.store.postindex import PostIndex

#: Options a follow URL may carry (on its line of ``follow_file``, or for the whole run).
OPTIONS = ("since", "max_items", "allow", "deny")


def parse_since(value: str | None, tz) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"since={value!r} is not a date such as 2026-11-01") from None
    return parsed.replace(tzinfo=tz) if parsed.tzinfo is None else parsed


def parse_max_items(value: str | int | None) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValueError(f"max_items={value!r} is not a whole number") from None
    if number < 1:
        raise ValueError("max_items must be at least 1")
    return number


def split_list(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def read_follow_file(path: str) -> list[tuple[str, dict[str, str]]]:
    """``follow_file`` lines: ``URL [since=…] [max_items=…] [allow=…] [deny=…]``; blank
    lines and ``#`` comments ignored. Raises ValueError naming the line of a bad one."""
    file = Path(path).expanduser()
    try:
        lines = file.read_text(encoding="utf-8-sig").splitlines()
    except OSError as exc:
        raise ValueError(f"follow_file {file} cannot be read: {exc}") from None
    sources = []
    for number, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        try:
            words = shlex.split(line, comments=True)
        except ValueError as exc:
            raise ValueError(f"{file}:{number}: {exc}") from None
        if not words:
            continue
        url, options = words[0], {}
        for word in words[1:]:
            name, sep, value = word.partition("=")
            if not sep or name not in OPTIONS:
                raise ValueError(
                    f"{file}:{number}: {word!r} is not one of {', '.join(o + '=…' for o in OPTIONS)}"
                )
            options[name] = value
        if not url.lower().startswith(("http://", "https://")):
            raise ValueError(f"{file}:{number}: {url!r} is not an http(s) URL")
        sources.append((url, options))
    return sources


if TYPE_CHECKING:  # the mixin's methods use the spider's (a mixin of BaseSpider only)
    from archiver.spiderbase import BaseSpider as _SpiderBase
else:
    _SpiderBase = object


class FollowMixin(_SpiderBase):
    """For an :class:`~archiver.spiderbase.BaseSpider`: ``-a follow=URL[,URL…]``,
    ``-a follow_file=PATH`` and their options (see ``spiders/article.py``)."""

    def init_follow(self, follow=None, follow_file=None, since=None, max_items=None, allow=None, deny=None):
        self.follow_options = {"since": since, "max_items": max_items, "allow": allow, "deny": deny}
        self.follow_sources: list[tuple[str, dict[str, str]]] = [(url, {}) for url in split_list(follow)]
        if follow_file:
            self.follow_sources += read_follow_file(follow_file)
        for url, _ in self.follow_sources:
            if not url.lower().startswith(("http://", "https://")):
                raise ValueError(f"follow: {url!r} is not an http(s) URL")
        for _, options in [(None, self.follow_options)] + self.follow_sources:
            self._scope_of("https://example.invalid/", options, ZoneInfo("UTC"))  # every option checked now
        self.scopes: dict[str, Scope] = {}
        self.taken: dict[str, int] = {}
        self.children: dict[str, int] = {}
        self.sitemaps_read: set[str] = set()
        self.source_problems: set[tuple[str, str]] = set()

    def _scope_of(self, url: str, options: dict, tz) -> Scope:
        merged = {k: v for k, v in self.follow_options.items() if v not in (None, "")}
        merged.update({k: v for k, v in options.items() if v not in (None, "")})
        default_cap = (
            config.getint(self.settings, "ARCHIVER_FOLLOW_MAX_ITEMS") if hasattr(self, "settings") else 0
        )
        return Scope(
            source=url,
            since=parse_since(merged.get("since"), tz),
            max_items=parse_max_items(merged.get("max_items")) or (default_cap or None),
            allow=patterns(split_list(merged.get("allow")), "allow"),
            deny=patterns(split_list(merged.get("deny")), "deny"),
        )

    # -- requests ------------------------------------------------------------------

    def follow_requests(self):
        tz = ZoneInfo(config.get(self.settings, "ARCHIVER_TIMEZONE"))
        for url, options in self.follow_sources:
            if url in self.scopes:
                continue
            scope = self._scope_of(url, options, tz)
            self.scopes[url] = scope
            self.taken[url] = 0
            self.children[url] = 0
            self.logger.info(
                "Following %s (site %s%s%s%s%s)",
                url,
                scope.site,
                f", since {scope.since:%Y-%m-%d}" if scope.since else "",
                f", at most {scope.max_items} new articles" if scope.max_items else "",
                f", allow {'|'.join(p.pattern for p in scope.allow)}" if scope.allow else "",
                f", deny {'|'.join(p.pattern for p in scope.deny)}" if scope.deny else "",
            )
            yield self._document_request(url, url, ())

    def _document_request(self, url: str, source: str, chain: tuple[str, ...]):
        return self.page_request(url, self.parse_document, source=source, chain=chain)

    def _source_problem(self, source: str, url: str, reason: str, detail: str) -> None:
        """A problem of a followed source, reported once per source and reason."""
        if (source, reason) in self.source_problems:
            return
        self.source_problems.add((source, reason))
        report.failed(self, url, reason, detail)

    # -- documents -----------------------------------------------------------------

    def parse_document(self, response):
        real = response.meta["real_url"]
        source = response.meta["source"]
        scope = self.scopes[source]
        if self.not_modified(response):
            kept = self.kept_entries(response)
            if kept is None:
                again = self.ask_in_full(response)
                if again is not None:
                    yield again
                return
            found, covered = discover.from_json(kept)
        else:
            covered = {}
            landed = self.real_url(response.url)
            if landed != real and scope.offsite(landed):
                report.failed(
                    self, real, "offsite_redirect", f"redirected to {landed}, {scope.offsite(landed)}"
                )
                return
            problem = unusable(response, expect_html=False)
            if problem:
                report.failed(self, real, *problem)
                return
            ctype = response.headers.get("Content-Type", b"").decode("latin-1")
            try:
                found = discover.read(
                    response.body,
                    real,
                    ctype,
                    config.getint(self.settings, "ARCHIVER_FEED_MAX_ITEMS"),
                    config.getint(self.settings, "ARCHIVER_SITEMAP_MAX_URLS"),
                )
            except discover.NotFollowable as exc:
                report.failed(self, real, exc.reason, f"cannot follow: {exc.detail}")
                return
        self._log_found(real, found)
        if found.truncated:
            setting = (
                "ARCHIVER_FEED_MAX_ITEMS" if found.kind == discover.FEED else "ARCHIVER_SITEMAP_MAX_URLS"
            )
            report.failed(
                self,
                real,
                "too_many_entries",
                f"{len(found.articles) + len(found.sitemaps) + found.truncated} entries: only the first "
                f"{config.getint(self.settings, setting)} are read ({setting})",
            )
        if found.kind in (discover.FEED, discover.SITEMAP, discover.TEXT_SITEMAP):
            yield from self._take(found.articles, scope, real, covered)
        elif found.kind in (discover.SITEMAP_INDEX, discover.ROBOTS):
            if not found.sitemaps:
                report.failed(
                    self, real, "nothing_to_follow", f"cannot follow: {found.description} names no sitemap"
                )
            yield from self._children(found.sitemaps, scope, real, response.meta["chain"])
        elif found.kind == discover.HTML:
            for url, why in found.ignored:
                self.logger.info("Skipped %s: %s", url, why)
            feeds = [url for url in found.feeds if not self._offsite(scope, url)]
            if feeds:
                for url in feeds:
                    yield self._document_request(url, source, response.meta["chain"] + (real,))
            else:
                robots = urljoin(real, "/robots.txt")
                self.logger.info("No feed linked from %s: reading the site's sitemaps in %s", real, robots)
                yield self._document_request(robots, source, response.meta["chain"] + (real,))
        if found.wellformed:  # a leniently read document is read again in full next time
            self.keep_entries(response, discover.to_json(found, covered))

    def _log_found(self, url: str, found) -> None:
        if found.kind == discover.HTML:
            what = f"{len(found.feeds)} feeds" + (f": {', '.join(found.feeds)}" if found.feeds else "")
            if found.ignored:
                what += f" ({len(found.ignored)} other links skipped)"
        elif found.kind in (discover.SITEMAP_INDEX, discover.ROBOTS):
            what = f"{len(found.sitemaps)} sitemaps"
        else:
            what = f"{len(found.articles)} entries"
        self.logger.info("Follow %s: %s, %s", url, found.description, what)

    def _offsite(self, scope: Scope, url: str) -> bool:
        problem = scope.offsite(url)
        if problem:
            report.skipped(self, url, "offsite", f"{problem}: not requested")
            return True
        return False

    def _children(self, sitemaps: list[str], scope: Scope, parent: str, chain: tuple[str, ...]):
        """Child sitemaps (of an index, or named by robots.txt): each once per run, loops
        detected, at most ARCHIVER_SITEMAP_MAX_CHILDREN per source."""
        bound = config.getint(self.settings, "ARCHIVER_SITEMAP_MAX_CHILDREN")
        path = chain + (parent,)
        left = 0
        for url in sitemaps:
            if self._offsite(scope, url):
                continue
            if url in path:
                self._source_problem(
                    scope.source,
                    url,
                    "sitemap_loop",
                    f"sitemap loop: {parent} leads back to {url}; not followed again",
                )
                continue
            if url in self.sitemaps_read:
                self.logger.debug("Sitemap %s already read in this run", url)
                continue
            if self.children[scope.source] >= bound:
                left += 1
                continue
            self.children[scope.source] += 1
            self.sitemaps_read.add(url)
            yield self._document_request(url, scope.source, path)
        if left:
            self._source_problem(
                scope.source,
                parent,
                "too_many_sitemaps",
                f"more than {bound} child sitemaps (ARCHIVER_SITEMAP_MAX_CHILDREN): {left} not followed",
            )

    def _take(self, entries, scope: Scope, document: str, covered: dict[str, str | None]):
        """Article requests for the entries in scope, newest first, at most ``max_items`` new ones
        per source; one line per refused link (another site, not an article), one line per
        document for the rest. Entries an earlier run covered (``covered``, kept with the
        document) are not requested again; what this run covers is added to ``covered``."""
        index = PostIndex.for_crawler(self.crawler)
        stats = self.crawler.stats
        counts: dict[str, int] = {}
        over = taken = 0
        mark = cover_mark(scope.since)
        for entry in newest_first(entries):
            if is_covered(covered.get(entry.url), scope.since):
                counts["covered by an earlier run"] = counts.get("covered by an earlier run", 0) + 1
                continue
            refused = scope.refuse(entry)
            if refused:
                reason, text = refused
                if reason in ("offsite", "not_article"):
                    report.skipped(self, entry.url, reason, f"{text}: not requested")
                    covered[entry.url] = ALL  # whatever the options: never requested
                else:
                    report.count(stats, report.SKIPPED, reason)
                    label = reason.replace("_", " ")
                    counts[label] = counts.get(label, 0) + 1
                continue
            key = article_key(entry.url)
            if key and key in index:
                report.count(stats, report.SKIPPED, "already_archived")
                counts["already archived"] = counts.get("already archived", 0) + 1
                covered[entry.url] = ALL
                continue
            if scope.max_items and self.taken[scope.source] >= scope.max_items:
                over += 1
                continue
            request = self.article_request(entry.url, since=scope.since, source=scope.source)
            covered[entry.url] = merge_marks(covered.get(entry.url), mark)
            if request is not None:
                self.taken[scope.source] += 1
                taken += 1
                yield request
        if over:
            stats.inc_value("archiver/skipped", over)
            stats.inc_value("archiver/skipped/over_max_items", over)
            counts[f"over max_items={scope.max_items}, left for the next runs"] = over
        rest = ", ".join(f"{k} {v}" for k, v in counts.items())
        self.logger.info("Follow %s: %d articles requested%s", document, taken, f"; {rest}" if rest else "")
