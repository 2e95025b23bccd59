"""Sitemaps: ``<urlset>``, ``<sitemapindex>``, Google News sitemaps, gzip or not, plain-text
sitemaps, and the ``Sitemap:`` lines of robots.txt.

Read with Scrapy's own sitemap support (what SitemapSpider uses): ``Sitemap`` parses
the XML incrementally with entity resolution off and clears what it has read (a large
sitemap never sits in memory as a tree), ``sitemap_urls_from_robots`` reads robots.txt,
``gunzip`` decompresses ``.xml.gz`` with a size bound (no zip bomb). Only the Google
News fields, nested one level deeper than Scrapy flattens, are added here.
Pure: bytes + URL in.
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urljoin

import lxml.etree
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots

from archiver.discover import (
    GZIP_MAGIC,
    ROBOTS,
    SITEMAP,
    SITEMAP_INDEX,
    TEXT_SITEMAP,
    Entry,
    Found,
    NotFollowable,
    strip_bom,
)

#: Largest uncompressed sitemap read (the protocol allows 50 MB).
MAX_UNCOMPRESSED = 64 * 1024 * 1024


class NewsSitemap(Sitemap):
    """Scrapy's Sitemap, also keeping ``<news:news>``'s publication date and title."""

    __slots__ = ()

    def _process_sitemap_element(self, elem):
        news = {}
        for child in elem:
            if self._get_tag_name(child) == "news":
                for node in child.iter():
                    name = self._get_tag_name(node)
                    if name in ("publication_date", "title") and node.text and node.text.strip():
                        news[f"news_{name}"] = node.text.strip()
        found = super()._process_sitemap_element(elem)
        if found is not None:
            found.update(news)
        return found


def gunzip_if_needed(body: bytes, max_size: int = MAX_UNCOMPRESSED) -> bytes:
    """A gzip file (``.xml.gz`` served as is) decompressed; anything else as it is."""
    if not body.startswith(GZIP_MAGIC):
        return body
    try:
        return gunzip(body, max_size=max_size)
    except Exception as exc:  # scrapy's _DecompressionMaxSizeExceeded, OSError, EOFError, zlib.error
        if "max" in type(exc).__name__.lower() or "size" in str(exc).lower():
            raise NotFollowable("too_large", f"larger than {max_size} bytes once decompressed") from exc
        raise NotFollowable("bad_gzip", f"a gzip file that does not decompress ({exc})") from exc


def w3c_date(text: str | None) -> datetime | None:
    """A sitemap date (W3C datetime: ``2026-11-27``, ``2026-11-27T08:00:00+08:00``), in UTC when
    it names no zone."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def _xml_error(body: bytes) -> str:
    """Why ``body`` is not well-formed XML ("" when it is)."""
    parser = lxml.etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)
    try:
        lxml.etree.fromstring(body, parser=parser)
    except lxml.etree.XMLSyntaxError as exc:
        return str(exc)
    return ""


def read_sitemap(body: bytes, url: str, max_entries: int = 10000) -> Found:
    """A ``<urlset>`` (articles) or ``<sitemapindex>`` (child sitemaps)."""
    body = strip_bom(gunzip_if_needed(body)).lstrip()
    try:
        parsed = NewsSitemap(body)
        items: list[dict[str, str]] = []
        truncated = 0
        for item in parsed:
            if len(items) >= max_entries:
                truncated += 1
                continue
            items.append(item)
    except lxml.etree.XMLSyntaxError as exc:
        raise NotFollowable("malformed_xml", f"malformed XML: {exc}") from exc
    problem = _xml_error(body)
    if problem:  # a sitemap is made by a program: broken XML is a cut or damaged file
        raise NotFollowable("malformed_xml", f"malformed XML: {problem}")
    items = [item for item in items if item.get("loc")]
    if parsed.type == "sitemapindex":
        found = Found(SITEMAP_INDEX, "a sitemap index", truncated=truncated)
        for item in items:
            child = urljoin(url, item["loc"])
            if child not in found.sitemaps:
                found.sitemaps.append(child)
        return found
    if parsed.type != "urlset":
        raise NotFollowable("unknown_xml", f"<{parsed.type}> is not a sitemap")
    news = any("news_publication_date" in item or "news_title" in item for item in items)
    found = Found(SITEMAP, "a Google News sitemap" if news else "a sitemap", truncated=truncated)
    for item in items:
        found.articles.append(
            Entry(
                url=urljoin(url, item["loc"]),
                published=w3c_date(item.get("news_publication_date")) or w3c_date(item.get("lastmod")),
                title=item.get("news_title", ""),
            )
        )
    return found


def read_robots(body: bytes, url: str) -> Found:
    """The sitemaps a robots.txt names (``Sitemap:`` lines, any number, any case)."""
    found = Found(ROBOTS, "a robots.txt")
    for child in sitemap_urls_from_robots(strip_bom(body), base_url=url):
        if child not in found.sitemaps:
            found.sitemaps.append(child)
    return found


def read_text_sitemap(body: bytes, url: str, max_entries: int = 10000) -> Found:
    """A plain-text sitemap: one URL per line (UTF-8)."""
    found = Found(TEXT_SITEMAP, "a text sitemap")
    for line in strip_bom(body).decode("utf-8", "replace").splitlines():
        line = line.strip()
        if not line:
            continue
        if len(found.articles) >= max_entries:
            found.truncated += 1
            continue
        found.articles.append(Entry(url=urljoin(url, line)))
    return found
