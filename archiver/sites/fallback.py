"""A site's article page its parser cannot read (a redesign): read by the generic extractor.

The site module's knowledge of the markup is second-hand and a redesign will come. When
its ``parse`` raises :class:`ParseError` for a field the markup carries (title, body,
publication time), :func:`read_redesigned` reads the page with the generic extractor
(:mod:`archiver.extract.generic`) and keeps what the site still knows: its source key,
the article's id and canonical URL, the site's name, the page's visible date line
(``date_line(html)`` of the site module) when the extractor finds no publication time,
its cover (``cover_of(html, url)``: a site's og:image may be its logo), and whether it
is a video page or paywalled (``is_video(url)``, ``paywalled(html)``).

The caller (the spider) warns that the layout was not recognised and counts it
(``archiver/fallback/<source>``): the post is written, and the run says the parser needs
work. Pure: no I/O.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from types import ModuleType

from lxml import etree

from archiver.extract import generic
from archiver.extract.body import find_body
from archiver.extract.dom import parse_html
from archiver.items import Article, ParseError

#: Fields of a site parser's ParseError that a redesign explains (a truncated page, a URL
#: that is no article, an unreadable document are not: they fail as before).
LAYOUT_FIELDS = frozenset(["title", "body", "published"])


class FallbackFailed(ParseError):
    """Neither the site parser nor the generic extractor could read the page."""

    def __init__(self, site_error: ParseError, generic_error: ParseError):
        self.site_error = site_error
        self.generic_error = generic_error
        ValueError.__init__(
            self,
            f"the site's layout was not recognised ({site_error}), "
            f"and the generic extractor cannot read it either ({generic_error})",
        )
        self.field = generic_error.field
        self.detail = str(self)


#: Page furniture whose text is never a site's article, even on a page holding no other
#: text (the generic extractor then takes the footer's licence lines for the body).
FURNITURE = frozenset(["footer", "nav", "header", "aside"])


def _not_in_chrome(html: str) -> None:
    try:
        found = find_body(parse_html(html))
    except (ValueError, etree.ParserError) as exc:
        raise ParseError("page", str(exc)) from exc
    if found is None:
        return
    for el in (found.element, *found.element.iterancestors()):
        if el.tag in FURNITURE:
            raise ParseError("body", f"the only text of the page is in its <{el.tag}>: not an article")


def can_fall_back(error: ParseError) -> bool:
    return error.field in LAYOUT_FIELDS


def read_redesigned(
    site: ModuleType,
    html: str,
    url: str,
    error: ParseError,
    last_modified: datetime | None = None,
    fetched: datetime | None = None,
) -> Article:
    """The article on ``html`` (fetched from the site's article URL ``url``) read by the
    generic extractor, as the site's article; :class:`FallbackFailed` when it cannot."""
    try:
        _not_in_chrome(html)
        article = generic.parse(html, url, last_modified=last_modified, fetched=fetched)
    except ParseError as exc:
        raise FallbackFailed(error, exc) from exc
    key = site.key_from_url(url)
    source, article_id = key.split("-", 1)
    canonical = site.canonical_url(article.url) if site.key_from_url(article.url) == key else ""
    date_source = getattr(article, "date_source", "")
    published = article.published
    if date_source:  # the extractor found no publication time on the page
        line = site.date_line(html) if hasattr(site, "date_line") else None
        if line is not None:
            published, date_source = line, ""
    kept = replace(
        article,
        source=source,
        id=article_id,
        url=canonical or site.canonical_url(url),
        site_name=site.SITE.name,
        published=published,
        cover=site.cover_of(html, url) if hasattr(site, "cover_of") else article.cover,
        video=bool(getattr(site, "is_video", lambda u: False)(url)),
        paywalled=bool(getattr(site, "paywalled", lambda h: False)(html)),
    )
    kept.date_source = date_source
    return kept
