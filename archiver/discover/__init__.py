"""Discovery: what a followed URL is, and the article links it holds. Pure functions,
bytes + URL in, entries out (no I/O, no settings); the spider fetches.

A followed URL may answer with a feed (RSS 2.0/0.9x, Atom 1.0, RSS 1.0/RDF:
:mod:`.feed`), a sitemap, a sitemap index, a Google News sitemap, gzip or not
(:mod:`.sitemap`), a robots.txt (its ``Sitemap:`` lines) or a home page (its
``<link rel="alternate">`` feeds: :mod:`.homepage`). :func:`read` tells which from
the content itself (:func:`sniff`); the Content-Type is only a hint, used to name
an HTML error page served in place of a feed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

#: What :func:`sniff` tells apart.
FEED, SITEMAP, SITEMAP_INDEX, ROBOTS, HTML, TEXT_SITEMAP = (
    "feed",
    "sitemap",
    "sitemapindex",
    "robots",
    "html",
    "textsitemap",
)
GZIP_MAGIC = b"\x1f\x8b"
_XML_PREAMBLE = re.compile(rb"^(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>[]*(?:\[.*?\])?\s*>)", re.S | re.I)
_ROOT = re.compile(rb"^<([A-Za-z_][\w.:-]*)")
_ROBOTS_LINE = re.compile(rb"^\s*(user-agent|disallow|allow|sitemap|crawl-delay|host)\s*:", re.I | re.M)
_URL_LINE = re.compile(rb"^\s*https?://\S+\s*$", re.I)
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


class NotFollowable(ValueError):
    """A followed document that cannot be read: ``reason`` (a stats key) and the text."""

    def __init__(self, reason: str, detail: str):
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class Entry:
    """One link of a feed or sitemap: an article (or, in an index, a child sitemap)."""

    url: str
    published: datetime | None = None  # the document's own date for it, when it gives one
    title: str = ""


@dataclass
class Found:
    """What a followed document holds."""

    kind: str  # FEED, SITEMAP, SITEMAP_INDEX, ROBOTS, HTML, TEXT_SITEMAP
    description: str  # for the log: "an Atom 1.0 feed", "a Google News sitemap"…
    articles: list[Entry] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)  # child sitemaps, robots.txt Sitemap: lines
    feeds: list[str] = field(default_factory=list)  # a home page's alternate feeds
    ignored: list[tuple[str, str]] = field(default_factory=list)  # (URL, why) a home page's skipped links
    truncated: int = 0  # entries beyond the bound given to read(), not returned
    wellformed: bool = True  # False: read leniently from broken XML (do not trust it as complete)


def strip_bom(body: bytes) -> bytes:
    for bom in _BOMS:
        if body.startswith(bom):
            return body[len(bom) :] if bom == _BOMS[0] else body
    return body


def root_name(body: bytes) -> str | None:
    """The local name of an XML/HTML document's first element (``rss``, ``RDF``, ``feed``,
    ``urlset``, ``sitemapindex``, ``html``), lower-cased; None when it starts with none."""
    head = strip_bom(body[:65536]).lstrip()
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16: decode the head
        try:
            head = head.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            return None
    while True:
        match = _XML_PREAMBLE.match(head)
        if not match or not match.group(0):
            break
        head = head[match.end() :]
    match = _ROOT.match(head)
    if not match:
        return None
    return match.group(1).decode("ascii").rpartition(":")[2].lower()


def sniff(body: bytes) -> str | None:
    """What the (uncompressed) document is, from its content alone; None: none of them."""
    name = root_name(body)
    if name in ("rss", "rdf", "feed", "channel"):
        return FEED
    if name == "urlset":
        return SITEMAP
    if name == "sitemapindex":
        return SITEMAP_INDEX
    if name in ("html", "head", "body", "!doctype") or (name is None and b"<html" in body[:4096].lower()):
        return HTML
    if name is not None:
        return None
    text = strip_bom(body[:65536])
    if _ROBOTS_LINE.search(text):
        return ROBOTS
    lines = [line for line in text.splitlines() if line.strip()]
    if lines and all(_URL_LINE.match(line) for line in lines[:50]):
        return TEXT_SITEMAP
    return None


def read(
    body: bytes, url: str, content_type: str = "", max_feed_items: int = 1000, max_sitemap_urls: int = 50000
) -> Found:
    """The document at ``url`` (its bytes as received, gzip or not): what it is and its links.

    Raises :class:`NotFollowable` with one reason for anything else: an HTML page where a
    feed or sitemap was announced, malformed XML, an empty or unknown document.
    """
    from archiver.discover import feed, homepage, sitemap

    body = sitemap.gunzip_if_needed(body)
    if not body.strip():
        raise NotFollowable("empty", "an empty document")
    kind = sniff(body)
    ctype = (content_type or "").split(";")[0].strip().lower()
    if kind in (FEED,):
        return feed.read_feed(body, url, max_feed_items)
    if kind in (SITEMAP, SITEMAP_INDEX):
        return sitemap.read_sitemap(body, url, max_sitemap_urls)
    if kind == ROBOTS:
        return sitemap.read_robots(body, url)
    if kind == TEXT_SITEMAP:
        return sitemap.read_text_sitemap(body, url, max_sitemap_urls)
    if kind == HTML:
        if "xml" in ctype or "rss" in ctype or "atom" in ctype:
            title = homepage.page_title(body)
            raise NotFollowable(
                "html_not_feed",
                f"an HTML page ({title!r}), not the feed or sitemap its Content-Type {ctype} announces",
            )
        return homepage.read_homepage(body, url)
    if body.lstrip().startswith(b"<") or "xml" in ctype:
        raise NotFollowable(
            "unknown_xml", "XML that is neither a feed nor a sitemap (malformed or another format)"
        )
    raise NotFollowable(
        "unknown_document",
        f"neither a feed, a sitemap, robots.txt nor an HTML page ({ctype or 'no Content-Type'})",
    )


def to_json(found: Found, covered: dict[str, str | None] | None = None) -> str:
    """``found`` as JSON, kept with the document's validators and re-read on a 304, with
    what runs covered of each article (see :func:`archiver.spiderbase.is_covered`)."""
    import json

    covered = covered or {}
    return json.dumps(
        {
            "kind": found.kind,
            "description": found.description,
            "articles": [
                [e.url, e.title, e.published.isoformat() if e.published else None, covered.get(e.url)]
                for e in found.articles
            ],
            "sitemaps": found.sitemaps,
            "feeds": found.feeds,
            "ignored": found.ignored,
            "truncated": found.truncated,
        },
        ensure_ascii=False,
    )


def from_json(text: str) -> tuple[Found, dict[str, str | None]]:
    """The :class:`Found` of :func:`to_json`, and what runs covered of its articles."""
    import json

    data = json.loads(text)
    covered = {row[0]: row[3] for row in data["articles"] if len(row) > 3}
    found = Found(
        kind=data["kind"],
        description=data["description"],
        articles=[
            Entry(url=row[0], title=row[1], published=datetime.fromisoformat(row[2]) if row[2] else None)
            for row in data["articles"]
        ],
        sitemaps=list(data["sitemaps"]),
        feeds=list(data["feeds"]),
        ignored=[tuple(pair) for pair in data["ignored"]],
        truncated=data["truncated"],
    )
    return found, covered
