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
from datetime import datetime
from zoneinfo import ZoneInfo

from lxml import etree

from archiver.extract.ads import ad_notes
from archiver.extract.body import DECLARED_MIN, body_html, declared_body, find_body
from archiver.extract.dates import date_in_url, find_published, page_zone
from archiver.extract.dom import (
    HUGE_DEPTH,
    absolute,
    body_fragment,
    canonical_link,
    has_content,
    meta,
    nested_too_deep,
    parse_html,
    squash,
    text_content,
)
from archiver.extract.outlets import display_name, outlet, registrable_domain
from archiver.extract.pagemeta import (
    authors,
    description,
    headline,
    json_ld,
    language,
    ld_article,
    site_name,
    title_candidates,
)
from archiver.extract.paywall import with_pictures
from archiver.extract.urls import article_id, canonical_url, is_front_page, key_from_url, site_host
from archiver.items import Article, Image, ParseError

SOURCE = ""  # per page: see module docstring
SITE_NAME = "news"
HOSTS = ()
#: ``parse`` takes ``last_modified`` and ``fetched`` (the spider passes them).
DATE_FALLBACKS = True
#: Time zone of times printed without an offset on Chinese-language pages.
CHINA_TZ = ZoneInfo("Asia/Shanghai")
#: Least paragraph text (characters) of an article body; less is a list, a stub or chrome.
MIN_BODY_CHARS = 120
#: Least paragraph text of a page that prints no date and does not declare itself an
#: article (og:type, JSON-LD, <article>) to be read as one anyway.
UNDATED_MIN_CHARS = 500
#: Most undecodable characters (U+FFFD) in the article text of a readable page.
UNREADABLE_SHARE = 0.05
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


_COOKIE = re.compile(r"cookie|consent|gdpr|datenschutz|zustimm|einwillig|privacy|隐私", re.I)


def _wall(tree) -> str:
    """Why a page without article text shows none: a login or a cookie wall, else ""."""
    if tree.xpath("//input[@type='password']"):
        return "a login wall (the page asks for a password)"
    body = tree.find("body")
    text = squash(text_content(body)) if body is not None else ""
    if len(_COOKIE.findall(text)) >= 2 or tree.xpath(
        "//*[contains(@class, 'consent') or contains(@id, 'consent')]"
    ):
        return "a cookie wall (the page asks for consent first)"
    return ""


#: Class words of a picture gallery's container (``galleryBox``, ``image-list``, ``slideshow``).
_GALLERY = re.compile(r"galler|slide|image-?list|img-?list|album|carousel|swiper|图集", re.I)
#: Pictures in a gallery container that make a page without text a gallery.
GALLERY_PICTURES = 3
#: Most characters of links on a gallery page; more is a home or list page with a slider.
GALLERY_MAX_LINKS = 2000


def _gallery_pictures(tree) -> int:
    """Pictures inside containers named as a gallery (0 when there are too few)."""
    seen = set()
    for el in tree.iter("img"):
        for node in el.iterancestors():
            if _GALLERY.search(node.get("class") or "") or _GALLERY.search(node.get("id") or ""):
                seen.add(el)
                break
    return len(seen) if len(seen) >= GALLERY_PICTURES else 0


def _unreadable(text: str) -> float:
    """Share of undecodable characters (U+FFFD) in the page's text."""
    return text.count("\ufffd") / max(len(text), 1)


def _declares_article(tree, ld: dict) -> bool:
    """The page says it is an article: og:type, a JSON-LD article, ``<article>``, microdata."""
    return bool(
        ld
        or "article" in meta(tree, "og:type").lower()
        or tree.find(".//article") is not None
        or tree.xpath("//*[contains(@itemtype, 'Article')]")
    )


def _lead(text: str, fragment) -> str:
    """The page's description as the post's subtitle, unless it only repeats the start of
    the body (``fragment``, parsed by :func:`~archiver.extract.dom.body_fragment`; many
    sites fill the description with the first paragraph)."""
    key = re.sub(r"[\s.…]+$", "", re.sub(r"\s+", " ", text)).replace(" ", "")
    if not key:
        return ""
    start = re.sub(r"\s+", "", text_content(fragment)[: 4 * len(text) + 400])
    return "" if start.startswith(key) or key in start[: len(key) + 40] else text


def parse(
    html: str, url: str, last_modified: datetime | None = None, fetched: datetime | None = None
) -> Article:
    """The article on the page ``html`` fetched from ``url`` (its real URL).

    When the page prints no publication time, the URL's date stands in, else the HTTP
    ``Last-Modified`` (``last_modified``), else the time of the fetch (``fetched``); the
    article's ``date_source`` then names which (``url``, ``last_modified``, ``fetched``)
    so that the caller can warn and count. Without any of them the page is refused."""
    try:
        tree = parse_html(html)
    except (ValueError, etree.ParserError) as exc:
        raise ParseError("page", str(exc)) from exc
    if nested_too_deep(tree):
        raise ParseError(
            "page", f"the page is nested deeper than {HUGE_DEPTH} levels: its content cannot be read whole"
        )
    if is_front_page(url):
        raise ParseError("article", f"{url} is a site's front page, not an article")
    found = find_body(tree)
    sample = squash(text_content(found.element)[:8000])[:4000] if found else ""
    if _unreadable(sample) > UNREADABLE_SHARE:
        raise ParseError(
            "page",
            f"unreadable text: {_unreadable(sample):.0%} of its characters could not be decoded "
            "(a charset the page does not declare)",
        )
    visible = found.page_text if found else 0
    if visible < MIN_VISIBLE_CHARS and _script_weight(tree) > visible * 10:
        raise ParseError(
            "body",
            f"no article text without JavaScript: the page shows {visible} characters "
            "and builds the rest with scripts",
        )
    if found is None or found.good < MIN_BODY_CHARS:
        good = found.good if found else 0
        if wall := _wall(tree):
            raise ParseError("body", f"no article text ({good} characters of paragraphs): {wall}")
        if (
            found is not None
            and found.page_links <= GALLERY_MAX_LINKS
            and (pictures := _gallery_pictures(tree))
        ):
            raise ParseError(
                "body",
                f"no article text ({good} characters of paragraphs): a picture gallery "
                f"({pictures} pictures), not an article with text",
            )
        if found is not None and found.page_links > max(good, 1) * 2:
            raise ParseError(
                "body",
                f"no article text, {found.page_links} characters of links (navigation, lists): "
                "a list or home page, not an article",
            )
        raise ParseError("body", f"no article text ({good} characters of paragraphs)")

    objects = json_ld(tree)
    ld = ld_article(objects)
    host = site_host(url)
    known = outlet(host)
    page_site = site_name(tree, ld)
    names = [n for n in ((known[1] if known else ""), page_site, registrable_domain(host)) if n]
    titles = tuple(title_candidates(tree, ld))  # read once: the headline's and the body's
    title, title_el = headline(tree, ld, names, found.element, list(titles))
    if not title:
        raise ParseError("title", "no <h1>, og:title, JSON-LD headline or <title>")
    sample = sample[:2000]
    lang = language(tree, sample)
    tz = page_zone(host, lang)
    month_first = (tree.get("lang") or "").lower() == "en-us" or host.endswith(".us")
    found_time = find_published(tree, title_el, objects, tz, month_first)
    date_source = ""
    published: datetime | None
    if found_time is not None:
        published = found_time.value
    elif (published := date_in_url(url, tz)) is not None:
        date_source = "url"
    elif found.good < UNDATED_MIN_CHARS and not _declares_article(tree, ld):
        raise ParseError(
            "published",
            "no publication time, and nothing marks the page as an article "
            "(og:type, JSON-LD, <article>, schema.org Article): not a news article",
        )
    elif last_modified is not None or fetched is not None:
        published = last_modified or fetched
        date_source = "last_modified" if last_modified is not None else "fetched"
    else:
        raise ParseError("published", "no publication time (JSON-LD, meta, <time>, a date line or the URL)")

    assert published is not None  # every branch above set it or raised
    article_url = _article_url(tree, url)
    key = key_from_url(article_url) or key_from_url(url)
    if key is None:
        raise ParseError("id", f"not an article URL: {url}")
    source, article_id_ = key.split("-", 1)
    ads: list = []
    guide = ld.get("articleBody") if ld else ""
    guide = guide if isinstance(guide, str) else ""
    summary = description(tree, ld)
    body, images = body_html(found, article_url, title, ads, guide, summary, titles)
    fragment = body_fragment(body)  # parsed once for the checks below
    if len(guide) >= DECLARED_MIN and (
        declared := declared_body(guide, text_content(fragment) if fragment is not None else "")
    ):
        # the page printed only the start of what it declares (a paywall): keep its pictures
        body, images = with_pictures(declared, body, images)
        fragment = body_fragment(body)
    if not has_content(body, fragment):
        raise ParseError("body", "the article body is empty once chrome is removed")
    lead = _lead(summary, fragment)
    article = Article(
        source=source,
        id=article_id_,
        url=article_url,
        title=title,
        published=published,
        body_html=body,
        site_name=display_name(host, page_site),
        lead=lead,
        authors=authors(tree, ld),
        cover=_cover(tree, ld, article_url),
        images=images,
        notes=ad_notes(ads),
    )
    article.date_source = date_source
    return article
