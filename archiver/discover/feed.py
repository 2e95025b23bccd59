"""Feeds: RSS 2.0 / 0.9x, Atom 1.0 and RSS 1.0 (RDF), read with feedparser.

feedparser is the well-kept parser every feed reader uses: it knows the formats and
their versions, namespaces (``content:encoded``, ``dc:date``), CDATA, ``xml:base``
and relative links, the dozen date formats feeds use, and it recovers from the usual
breakage. Hand-written XML walking would re-learn all of that. Pure: bytes + URL in.
"""

from __future__ import annotations

import calendar
import re
from datetime import UTC, datetime

import feedparser

from archiver.discover import FEED, Entry, Found, NotFollowable

#: feedparser's version codes, as the log names them.
VERSIONS = {
    "rss20": "an RSS 2.0 feed",
    "rss091u": "an RSS 0.91 feed",
    "rss091n": "an RSS 0.91 feed",
    "rss092": "an RSS 0.92 feed",
    "rss093": "an RSS 0.93 feed",
    "rss094": "an RSS 0.94 feed",
    "rss090": "an RSS 0.90 (RDF) feed",
    "rss10": "an RSS 1.0 (RDF) feed",
    "atom10": "an Atom 1.0 feed",
    "atom03": "an Atom 0.3 feed",
    "atom02": "an Atom 0.2 feed",
    "atom01": "an Atom 0.1 feed",
    "rss": "an RSS feed",
    "atom": "an Atom feed",
}


def _date(entry) -> datetime | None:
    for name in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(name)
        if value:
            try:
                return datetime.fromtimestamp(calendar.timegm(value), UTC)
            except (OverflowError, ValueError):
                continue
    return None


def _link(entry) -> str:
    """The article page of an entry: its ``link`` (rel=alternate), else a permalink guid."""
    for link in entry.get("links") or []:
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            if (link.get("type") or "text/html").startswith(("text/html", "application/xhtml")):
                return link["href"]
    if entry.get("link"):
        return entry["link"]
    guid = entry.get("id") or ""
    if entry.get("guidislink") or guid.startswith(("http://", "https://")):
        return guid
    return ""


_ITEM = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:item|entry)[\s>/]")
_ROOT_TAG = re.compile(rb"<((?:[A-Za-z_][\w.-]*:)?(?:rss|feed|RDF))[\s>]")
_CHANNEL_TAG = re.compile(rb"<((?:[A-Za-z_][\w.-]*:)?channel)[\s>]")


def cut(body: bytes, max_items: int) -> tuple[bytes, int]:
    """A feed of more than ``max_items`` items cut after the first ``max_items`` (and closed
    again), and how many were cut: feedparser takes about a millisecond per item, so a
    feed of 50,000 items is bounded before it is parsed, not after."""
    starts = [m.start() for m in _ITEM.finditer(body)]
    if len(starts) <= max_items:
        return body, 0
    root = _ROOT_TAG.search(body)
    if root is None:
        return body, 0
    name = root.group(1)
    closing = b""
    if name.rpartition(b":")[2] == b"rss":
        channel = _CHANNEL_TAG.search(body)
        closing = b"</" + (channel.group(1) if channel else b"channel") + b">"
    closing += b"</" + name + b">"
    return body[: starts[max_items]] + closing, len(starts) - max_items


def read_feed(body: bytes, url: str, max_entries: int = 1000) -> Found:
    """The articles of a feed document, newest first as the feed lists them (at most
    ``max_entries``; the number left out is ``truncated``)."""
    body, cut_off = cut(body, max_entries)
    parsed = feedparser.parse(
        body,
        response_headers={"content-location": url, "content-type": "application/xml"},
        resolve_relative_uris=True,
        sanitize_html=False,
    )
    version = parsed.get("version") or ""
    if not version and not parsed.entries:
        problem = parsed.get("bozo_exception")
        raise NotFollowable("malformed_xml", f"not a readable feed ({problem or 'no feed element'})")
    description = VERSIONS.get(version, "a feed")
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if isinstance(problem, (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)):
        problem = None  # a declared encoding corrected, a Content-Type not given: harmless
    found = Found(FEED, description, wellformed=problem is None, truncated=cut_off)
    for entry in parsed.entries:
        link = _link(entry).strip()
        if not link:
            continue
        if len(found.articles) >= max_entries:
            found.truncated += 1
            continue
        found.articles.append(
            Entry(url=link, published=_date(entry), title=(entry.get("title") or "").strip())
        )
    if problem is not None:
        if not found.articles:
            raise NotFollowable("malformed_xml", f"malformed XML: {problem}")
        found.description += f" (not well-formed: {problem}; read leniently)"
    return found
