"""A home page: the feeds it announces with ``<link rel="alternate">``. Comment feeds
(WordPress's "… Comments Feed", ``/comments/feed``) are skipped. Pure: bytes + URL in."""

from __future__ import annotations

import re

from lxml import etree

from archiver.discover import HTML, Found
from archiver.extract.dom import absolute, parse_html, squash
from archiver.extract.encoding import decode_html

FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json")
_COMMENTS = re.compile(r"comment|评论|留言|評論", re.I)


def page_title(body: bytes) -> str:
    try:
        tree = parse_html(decode_html(body, None))
    except (ValueError, etree.ParserError):
        return ""
    node = tree.find(".//title")
    return squash("".join(node.itertext())) if node is not None else ""


def read_homepage(body: bytes, url: str) -> Found:
    """The feeds a page links as alternates, in page order (JSON feeds are named, not read)."""
    tree = parse_html(decode_html(body, None))
    base = url
    for node in tree.iter("base"):
        if node.get("href"):
            base = absolute(node.get("href"), url) or url
            break
    found = Found(HTML, "an HTML page")
    for link in tree.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower().split(";")[0].strip()
        href = (link.get("href") or "").strip()
        if "alternate" not in rel or kind not in FEED_TYPES or not href:
            continue
        target = absolute(href, base)
        if not target:
            continue
        title = link.get("title") or ""
        if _COMMENTS.search(title) or _COMMENTS.search(href):
            found.ignored.append((target, f"a comments feed ({title or href})"))
        elif kind == "application/feed+json":
            found.ignored.append((target, "a JSON feed (not read)"))
        elif target not in found.feeds:
            found.feeds.append(target)
    return found
