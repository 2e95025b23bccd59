"""示例日报 (news.example.org): a precise site that exists only for the tests.

It is what docs/adding-a-site.md describes, kept outside archiver/sites/: the unit test
registers it with :func:`archiver.sites.register` (and unregisters it after), which
proves that a second site needs no edit anywhere else. Pure functions, like every
site module.
"""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from archiver.extract.dom import PageIndex, clean_body, parse_html, text_of
from archiver.items import Article, ParseError
from archiver.sites import Site

SITE = Site(
    key="exampledaily",
    name="示例日报",
    hosts=("example.org",),
    canonical_host="news.example.org",
    origin_setting="",  # a site with a spider of its own names its setting here
)
TZ = ZoneInfo("Asia/Shanghai")
ARTICLE_URL = "https://news.example.org/a/{day}/{id}.html"

_ARTICLE = re.compile(r"^https?://news\.example\.org/a/(\d{8})/(\d+)\.html$", re.I)
#: Class tokens of the site's chrome inside the article body.
CHROME = frozenset(["ad-slot", "related", "share-bar"])


def key_from_url(url: str) -> str | None:
    match = _ARTICLE.match(url.strip())
    return f"{SITE.key}-{match.group(2)}" if match else None


def canonical_url(url: str) -> str:
    match = _ARTICLE.match(url.strip())
    return ARTICLE_URL.format(day=match.group(1), id=match.group(2)) if match else url


def parse(html: str, url: str) -> Article:
    match = _ARTICLE.match(url.strip())
    if not match:
        raise ParseError("id", f"not an article URL: {url}")
    page = PageIndex(parse_html(html))
    title = text_of(page.first("article h1"))
    if not title:
        raise ParseError("title", "no article h1")
    stamp = page.first("article time[datetime]")
    if stamp is None:
        raise ParseError("published", "no <time datetime> in the article")
    published = datetime.fromisoformat(stamp.get("datetime")).astimezone(TZ)
    body = page.first("article div.story")
    if body is None:
        raise ParseError("body", "no div.story")
    url = canonical_url(url)
    body_html, images = clean_body(body, url, CHROME)
    return Article(
        source=SITE.key,
        id=match.group(2),
        url=url,
        title=title,
        published=published,
        body_html=body_html,
        site_name=SITE.name,
        lead=text_of(page.first("article p.standfirst")),
        authors=[text_of(a) for a in page.select("article .byline a")],
        images=images,
    )
