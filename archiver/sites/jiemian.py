"""界面新闻 (jiemian.com): article pages, list pages, the AJAX pager and RSS feeds.

Two page generations are read: the current markup (publication time as epoch
seconds in ``data-article-publish-time``, category and tags in ``.meta-container``)
and the 2017 markup (date text in ``.article-info``, views in ``span.hit``,
``.main-mate`` links). Page metadata (Open Graph, ``<title>``, description) is
the last fallback. Pure functions: no I/O, no settings.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from lxml import etree

from archiver.extract.ads import RemovedAd, ad_notes
from archiver.extract.dom import (
    PageIndex,
    absolute,
    clean_body,
    first,
    image_url,
    parse_html,
    select,
    squash,
    text_content,
    text_of,
)
from archiver.items import Article, Image, ParseError
from archiver.sites.record import Site

SITE = Site(
    key="jiemian",
    name="界面新闻",
    hosts=("jiemian.com",),
    canonical_host="www.jiemian.com",
    origin_setting="JIEMIAN_ORIGIN",
)
TZ = ZoneInfo("Asia/Shanghai")

#: Article pages (``article_url``), and the pages that list articles: a category's list
#: page (page 1), its AJAX pager (pages 2+), the site-wide RSS feed and a list's feed.
ARTICLE_URL = "https://www.jiemian.com/article/{id}.html"
LIST_URL = "https://www.jiemian.com/lists/{cid}.html"
PAGER_URL = "https://www.jiemian.com/index.php?m=lists&a=ajax_news&cid={cid}&page={page}"
SITE_FEED_URL = "https://a.jiemian.com/index.php?m=article&a=rss"
LIST_FEED_URL = "https://www.jiemian.com/lists/{cid}.rss"
#: The feeds read when no argument is given (beside the default lists).
DEFAULT_FEEDS = ("site",)

_ARTICLE_URL = re.compile(r"^https?://(?:(?:www|m|a)\.)?jiemian\.com/(article|video)/(\d+)\.html", re.I)
_PATH = re.compile(r"^/(article|video)/(\d+)\.html$")
_DATE_TEXT = re.compile(r"(\d{4})[/\-.年](\d{1,2})[/\-.月](\d{1,2})日?\s*(\d{1,2}):(\d{2})")
_VIEWS = re.compile(r"([\d.,]+)\s*([wW万kK千]?)")
_SOURCE_TEXT = re.compile(r"来源\s*[:：]\s*(\S+)")
_TITLE_SUFFIX = re.compile(r"\s*[|_\-–—]\s*界面(?:新闻|·).*$")

#: Class or id tokens of elements inside the article body that are site chrome (ads are
#: found by the general rule of archiver/extract/ads.py, and reported).
CHROME = frozenset(
    [
        "banner",
        "share",
        "share-box",
        "article-share",
        "article-relevant",
        "relevant",
        "related",
        "related-news",
        "recommend",
        "article-recommend",
        "hot-list",
        "qrcode",
        "app-download",
        "download-app",
        "comment",
        "comments",
        "article-comment",
        "editor-note",
        "copyright",
        "article-copyright",
        "vip-mask",
        "article-vip",
        "jm-mask-vip",
        "article-tags",
        "meta-container",
        "main-mate",
    ]
)
PAYWALL = ("vip-mask", "article-vip", "jm-mask-vip")


def canonical_url(url: str) -> str:
    """A jiemian article URL with the mobile/feed host replaced by ``www``."""
    match = _ARTICLE_URL.match(url.strip())
    if not match:
        return url
    scheme = urlsplit(url.strip()).scheme.lower()
    return f"{scheme}://www.jiemian.com/{match.group(1).lower()}/{match.group(2)}.html"


def key_from_url(url: str) -> str | None:
    match = _ARTICLE_URL.match(url.strip())
    return f"{SITE.key}-{match.group(2)}" if match else None


def article_url(article_id: str | int) -> str:
    return ARTICLE_URL.format(id=int(article_id))


def list_id(value: str) -> str:
    """A list id (``cid``) given as an argument: letters and digits."""
    if not value.isalnum():
        raise ValueError(f"list id {value!r} must be letters and digits, such as 65 or 1324kb")
    return value


def feed_url(feed: str) -> str:
    """``site`` -> the site-wide feed; a list id -> that list's feed."""
    return SITE_FEED_URL if feed == "site" else LIST_FEED_URL.format(cid=list_id(feed))


def list_page_url(cid: str, page: int) -> str:
    """Page 1 of a list is its HTML list page; pages 2+ come from the AJAX pager (JSON)."""
    return LIST_URL.format(cid=cid) if page == 1 else PAGER_URL.format(cid=cid, page=page)


def list_page_is_html(page: int) -> bool:
    return page == 1


def parse_list_page(text: str, url: str, page: int, now: datetime) -> list[Entry]:
    """The entries of page ``page`` of a list, fetched from ``list_page_url``."""
    return parse_list(text, url, now) if page == 1 else parse_pager(text, url, now)


def _id_and_kind(url: str) -> tuple[str, str]:
    match = _ARTICLE_URL.match(url) or _PATH.match(urlsplit(url).path)
    if not match:
        raise ParseError("id", f"not an article URL: {url}")
    return match.group(2), match.group(1).lower()


def parse_views(text: str) -> int | None:
    """``23.2W`` -> 232000, ``1.5万`` -> 15000, ``8,563`` -> 8563."""
    match = _VIEWS.search(text or "")
    if not match:
        return None
    try:
        number = float(match.group(1).replace(",", ""))
    except ValueError:
        return None
    unit = {"w": 10_000, "万": 10_000, "k": 1_000, "千": 1_000}.get(match.group(2).lower(), 1)
    return round(number * unit)


def _date_from_text(text: str) -> datetime | None:
    match = _DATE_TEXT.search(text or "")
    if not match:
        return None
    y, mo, d, h, mi = (int(g) for g in match.groups())
    try:
        return datetime(y, mo, d, h, mi, tzinfo=TZ)
    except ValueError:
        return None


def _date_from_iso(text: str) -> datetime | None:
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return _date_from_text(text)
    return value.replace(tzinfo=TZ) if value.tzinfo is None else value.astimezone(TZ)


_AFTER_HEADLINE = etree.XPath(
    "(//h1)[1]/following::text()[not(ancestor::script) and not(ancestor::style)][position() <= 40]"
)


def date_line(html: str) -> datetime | None:
    """The visible date line under the headline (``2026/07/29 09:37``), whatever the markup
    around it: what the site still tells after a redesign (:mod:`archiver.sites.fallback`)."""
    try:
        tree = parse_html(html)
    except (ValueError, etree.ParserError):
        return None
    for text in _AFTER_HEADLINE(tree):
        found = _date_from_text(text)
        if found:
            return found
    return None


def is_video(url: str) -> bool:
    """A ``/video/`` page: no article text to archive, whatever its markup."""
    return _id_and_kind(url)[1] == "video"


def paywalled(html: str) -> bool:
    """The page shows the VIP mask (what the site still tells after a redesign)."""
    try:
        return PageIndex(parse_html(html)).has_class(*PAYWALL)
    except (ValueError, etree.ParserError):
        return False


def cover_of(html: str, url: str) -> Image | None:
    """The cover in ``div.article-img`` (the page's og:image is the site's share logo, never
    the cover): what the site still tells after a redesign of the rest."""
    try:
        return _cover(PageIndex(parse_html(html)), url)
    except (ValueError, etree.ParserError):
        return None


def _published(page: PageIndex) -> datetime | None:
    for el in page.publish_time:
        raw = (el.get("data-article-publish-time") or "").strip()
        if raw.isdigit():
            seconds = int(raw)
            if seconds > 10**11:  # milliseconds
                seconds //= 1000
            return datetime.fromtimestamp(seconds, TZ)
    info = page.first("div.article-info")
    if info is not None:
        for span in info.iter("span"):
            found = _date_from_text(text_content(span))
            if found:
                return found
        found = _date_from_text(text_content(info))
        if found:
            return found
    for name in ("article:published_time", "og:release_date", "pubdate", "publishdate"):
        found = _date_from_iso(page.meta(name))
        if found:
            return found
    return None


def _title(page: PageIndex) -> str:
    title = text_of(page.first("div.article-header h1"))
    if not title:
        title = page.meta("og:title")
    if not title:
        title = squash(page.tree.findtext(".//title"))
    return _TITLE_SUFFIX.sub("", title).strip()


def _lead(page: PageIndex) -> str:
    header = page.first("div.article-header")
    if header is not None:
        for p in header.xpath("./p"):
            text = text_of(p)
            if text:
                return text
    return page.meta("description", "og:description")


def _authors(page: PageIndex) -> list[str]:
    """The byline's entries as the page writes them ("" for a blank one: the post layer
    tells names from role labels such as "界面新闻记者 |" and says when none is left)."""
    names = [text_of(a) for a in page.select("div.article-info span.author a")]
    if not any(names):
        names = [text_of(s) for s in page.select("div.article-info span.author")] or names
    meta = page.meta("author")
    if not any(names) and meta and meta != SITE.name:  # the publisher's name is no byline
        names = [meta]
    return list(dict.fromkeys(names))


def _source_name(page: PageIndex) -> str:
    info = page.first("div.article-info")
    match = _SOURCE_TEXT.search(text_of(info)) if info is not None else None
    return match.group(1) if match else ""


def _category_and_tags(page: PageIndex) -> tuple[str, list[str]]:
    # "div.main-mate span a" is within "div.main-mate a": the union is the latter
    links = page.select(".meta-container a") or page.select("div.main-mate a")
    category, tags = "", []
    for a in links:
        text = text_of(a)
        if not text:
            continue
        if "/lists/" in (a.get("href") or "") and not category:
            category = text
        elif text not in tags and text != category:
            tags.append(text)
    return category, tags


def _views(page: PageIndex) -> int | None:
    hit = page.first("span.hit")
    return parse_views(text_of(hit)) if hit is not None else None


def _cover(page: PageIndex, base: str) -> Image | None:
    box = page.first("div.article-img")
    if box is None:
        return None
    img = first(box, "img")
    if img is None:
        return None
    url = image_url(img, base)
    if not url:
        return None
    caption = ""
    for p in box.xpath(".//img/following::p[1]"):
        if box in p.iterancestors():
            caption = text_of(p)
    return Image(url=url, caption=caption)


def parse(html: str, url: str) -> Article:
    """The article on a jiemian page fetched from ``url`` (its real jiemian URL)."""
    try:
        tree = parse_html(html)
    except (ValueError, etree.ParserError) as exc:
        raise ParseError("page", str(exc)) from exc
    if "</html>" not in html[-4096:].lower():
        # every jiemian page ends with its footer and </html>: a page without it was cut
        # short in transit, and half an article must not become a post
        raise ParseError("end of page", "the page is truncated: it has no closing </html>")
    article_id, kind = _id_and_kind(url)
    page = PageIndex(tree)
    canonical = page.canonical_link() or page.meta("og:url")
    url = canonical_url(canonical) if key_from_url(canonical) == f"{SITE.key}-{article_id}" else ""
    url = url or canonical_url(
        article_url(article_id) if kind == "article" else f"https://www.jiemian.com/video/{article_id}.html"
    )

    title = _title(page)
    if not title:
        raise ParseError("title", "no div.article-header h1, og:title or <title>")
    published = _published(page)

    video = kind == "video" or bool(page.select("div.video-player") or page.select("div.article-video"))
    body = page.first("div.article-content")
    if body is None and not video:
        raise ParseError("body", "no div.article-content")
    if published is None:
        raise ParseError("published", "no data-article-publish-time, date text or meta")
    ads: list[RemovedAd] = []
    body_html, images = clean_body(body, url, CHROME, ads, as_parsed=True) if body is not None else ("", [])

    category, tags = _category_and_tags(page)
    return Article(
        source=SITE.key,
        id=article_id,
        url=url,
        title=title,
        published=published,
        body_html=body_html,
        site_name=SITE.name,
        lead=_lead(page),
        authors=_authors(page),
        source_name=_source_name(page),
        views=_views(page),
        category=category,
        tags=tags,
        cover=_cover(page, url),
        images=images,
        paywalled=page.has_class(*PAYWALL),
        video=video,
        notes=ad_notes(ads),
    )


# ---------------------------------------------------------------------------
# Lists, the AJAX pager, feeds
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """An article link found on a list page or in a feed."""

    url: str  # real jiemian URL, canonical www
    title: str = ""
    published: datetime | None = None


_RELATIVE = [
    (re.compile(r"^刚刚$"), lambda m, now: now),
    (re.compile(r"^(\d+)\s*秒前$"), lambda m, now: now - timedelta(seconds=int(m[1]))),
    (re.compile(r"^(\d+)\s*分钟前$"), lambda m, now: now - timedelta(minutes=int(m[1]))),
    (re.compile(r"^(\d+)\s*小时前$"), lambda m, now: now - timedelta(hours=int(m[1]))),
    (re.compile(r"^(\d+)\s*天前$"), lambda m, now: now - timedelta(days=int(m[1]))),
    (
        re.compile(r"^今天\s*(\d{1,2}):(\d{2})$"),
        lambda m, now: now.replace(hour=int(m[1]), minute=int(m[2]), second=0, microsecond=0),
    ),
    (
        re.compile(r"^昨天\s*(\d{1,2}):(\d{2})$"),
        lambda m, now: (now - timedelta(days=1)).replace(
            hour=int(m[1]), minute=int(m[2]), second=0, microsecond=0
        ),
    ),
    (
        re.compile(r"^(\d{1,2})[/\-月](\d{1,2})日?\s+(\d{1,2}):(\d{2})$"),
        lambda m, now: now.replace(
            month=int(m[1]), day=int(m[2]), hour=int(m[3]), minute=int(m[4]), second=0, microsecond=0
        ),
    ),
]


def parse_list_date(text: str, now: datetime) -> datetime | None:
    """A list item's date (``10分钟前``, ``昨天 12:34``, ``03/19 15:30``, full dates)."""
    text = squash(text)
    full = _date_from_text(text)
    if full:
        return full
    now = now.astimezone(TZ)
    for pattern, build in _RELATIVE:
        match = pattern.match(text)
        if match:
            try:
                value = build(match, now)
            except ValueError:
                return None
            if value > now + timedelta(days=1):  # "12/30" read in January: last year
                value = value.replace(year=value.year - 1)
            return value
    return None


def parse_list(html: str, base: str, now: datetime) -> list[Entry]:
    """Article links of a list page or of an AJAX pager fragment, in page order."""
    if not html.strip():
        return []
    tree = parse_html(f"<html><body>{html}</body></html>" if "<html" not in html[:500].lower() else html)
    entries: list[Entry] = []
    seen = set()
    for view in select(tree, ".news-view"):
        link = first(view, "h3 a[href]")
        if link is None:
            link = first(view, "a[href]")
        if link is None:
            continue
        href = absolute(link.get("href"), base)
        key = key_from_url(href)
        if not key or key in seen:
            continue
        seen.add(key)
        date = first(view, ".date")
        entries.append(
            Entry(
                url=canonical_url(href),
                title=text_of(link),
                published=parse_list_date(text_of(date), now) if date is not None else None,
            )
        )
    return entries


def parse_pager(body: str, base: str, now: datetime) -> list[Entry]:
    """The AJAX pager's JSON answer ``{"rs": "<html fragment>"}``."""
    try:
        data = json.loads(body)
    except ValueError as exc:
        raise ParseError("rs", f"pager answer is not JSON: {exc}") from exc
    fragment = data.get("rs") if isinstance(data, dict) else None
    if not isinstance(fragment, str):
        raise ParseError("rs", "pager answer has no 'rs' string")
    return parse_list(fragment, base, now)


def parse_feed(body: bytes) -> list[Entry]:
    """Items of an RSS 2.0 feed (site-wide or per list)."""
    try:
        root = etree.fromstring(
            body, parser=etree.XMLParser(recover=True, resolve_entities=False, no_network=True)
        )
    except etree.XMLSyntaxError as exc:
        raise ParseError("rss", str(exc)) from exc
    if root is None:
        raise ParseError("rss", "empty feed")
    entries = []
    for item in root.iter("item"):
        link = squash(item.findtext("link") or item.findtext("guid"))
        if not key_from_url(link):
            continue
        published = None
        raw = squash(item.findtext("pubDate"))
        if raw:
            try:
                published = parsedate_to_datetime(raw)
                if published.tzinfo is None:
                    published = published.replace(tzinfo=TZ)
            except (TypeError, ValueError):
                published = _date_from_text(raw)
        entries.append(
            Entry(url=canonical_url(link), title=squash(item.findtext("title")), published=published)
        )
    return entries
