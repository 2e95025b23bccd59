"""Any news article page, from any outlet: the parser used when no site parser matches.

Metadata comes from what the page declares (JSON-LD, Open Graph and other meta) and
from its visible headline and date line; the body is the page's densest block of
paragraph text, cut from its chrome (:mod:`archiver.extract.body`). Pages that
are not articles — a script-only shell, a home or list page, a page without a
publication time — raise :class:`~archiver.sites.ParseError` naming why.

Same interface as the site parsers, except that the source is per page: ``source``
is made from the domain (``thepaper`` for www.thepaper.cn), ``id`` from the URL.
Pure functions: no I/O, no settings.
"""

from __future__ import annotations

import re
from datetime import UTC
from zoneinfo import ZoneInfo

import lxml.html
from lxml import etree

from archiver.extract.body import body_html, find_body
from archiver.extract.dates import find_published
from archiver.extract.dom import absolute, canonical_link, has_content, meta, parse_html, squash, text_content
from archiver.extract.outlets import display_name, outlet, registrable_domain
from archiver.extract.pagemeta import authors, description, headline, json_ld, language, ld_article, site_name
from archiver.extract.urls import article_id, canonical_url, is_front_page, key_from_url, site_host
from archiver.items import Article, Image, ParseError

SOURCE = ""  # per page: see module docstring
SITE_NAME = "news"
HOSTS = ()
#: Time zone of times printed without an offset on Chinese-language pages.
CHINA_TZ = ZoneInfo("Asia/Shanghai")
#: Least paragraph text (characters) of an article body; less is a list, a stub or chrome.
MIN_BODY_CHARS = 120
#: A page with less visible text than this outside its scripts is a JavaScript shell.
MIN_VISIBLE_CHARS = 200

__all__ = ["HOSTS", "SITE_NAME", "SOURCE", "canonical_url", "key_from_url", "parse"]


def _script_weight(tree) -> int:
    return sum(len(s.text or "") + (2000 if s.get("src") else 0) for s in tree.iter("script"))


def _article_url(tree, url: str) -> str:
    """The page's canonical URL when it names an article of the same site, else ``url`` cleaned."""
    declared = absolute(canonical_link(tree) or meta(tree, "og:url"), url)
    if (
        declared
        and not is_front_page(declared)
        and article_id(declared)
        and registrable_domain(site_host(declared)) == registrable_domain(site_host(url))
    ):
        return canonical_url(declared)
    return canonical_url(url)


def _cover(tree, ld: dict, base: str) -> Image | None:
    image = ld.get("image")
    if isinstance(image, list):
        image = image[0] if image else ""
    if isinstance(image, dict):
        image = image.get("url") or ""
    url = absolute(meta(tree, "og:image", "twitter:image") or (image if isinstance(image, str) else ""), base)
    return Image(url=url) if url else None


def _lead(text: str, body: str) -> str:
    """The page's description as the post's subtitle, unless it only repeats the start of
    the body (many sites fill it with the first paragraph)."""
    key = re.sub(r"[\s.…]+$", "", re.sub(r"\s+", " ", text)).replace(" ", "")
    if not key:
        return ""
    start = re.sub(r"\s+", "", lxml.html.fragment_fromstring(body, create_parent="div").text_content())
    return "" if start.startswith(key) or key in start[: len(key) + 40] else text


def parse(html: str, url: str) -> Article:
    """The article on the page ``html`` fetched from ``url`` (its real URL)."""
    try:
        tree = parse_html(html)
    except (ValueError, etree.ParserError) as exc:
        raise ParseError("page", str(exc)) from exc
    if is_front_page(url):
        raise ParseError("article", f"{url} is a site's front page, not an article")
    found = find_body(tree)
    visible = found.page_text if found else 0
    if visible < MIN_VISIBLE_CHARS and _script_weight(tree) > visible * 10:
        raise ParseError(
            "body",
            f"no article text without JavaScript: the page shows {visible} characters "
            "and builds the rest with scripts",
        )
    if found is None or found.good < MIN_BODY_CHARS:
        good = found.good if found else 0
        if found is not None and found.page_links > max(good, 1) * 2:
            raise ParseError(
                "body",
                f"no article text, {found.page_links} characters of links: "
                "a list or home page, not an article",
            )
        raise ParseError("body", f"no article text ({good} characters of paragraphs)")

    objects = json_ld(tree)
    ld = ld_article(objects)
    host = site_host(url)
    known = outlet(host)
    page_site = site_name(tree, ld)
    names = [n for n in ((known[1] if known else ""), page_site, registrable_domain(host)) if n]
    title, title_el = headline(tree, ld, names)
    if not title:
        raise ParseError("title", "no <h1>, og:title, JSON-LD headline or <title>")
    sample = squash(text_content(found.element))[:2000]
    tz = CHINA_TZ if language(tree, sample) == "zh" else UTC
    published = find_published(tree, title_el, objects, tz)
    if published is None:
        raise ParseError(
            "published", "no publication time (JSON-LD, meta, <time> or a date line): not a news article"
        )

    article_url = _article_url(tree, url)
    key = key_from_url(article_url) or key_from_url(url)
    source, article_id_ = key.split("-", 1)
    body, images = body_html(found, article_url, title)
    if not has_content(body):
        raise ParseError("body", "the article body is empty once chrome is removed")
    lead = _lead(description(tree, ld), body)
    return Article(
        source=source,
        id=article_id_,
        url=article_url,
        title=title,
        published=published.value,
        body_html=body,
        site_name=display_name(host, page_site),
        lead=lead,
        authors=authors(tree, ld),
        cover=_cover(tree, ld, article_url),
        images=images,
    )
