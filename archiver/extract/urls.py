"""Identity of any article URL: the canonical URL to fetch and link, and the ``source-id`` key.

The key must be the same for the URL a user passes (mobile host, tracking parameters,
fragment, http) and for the canonical URL a post links to, so that an archived
article is recognised whichever of them is seen. Pure string functions.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from archiver.extract.outlets import source_key

#: Query parameters that track a visit and never select an article.
TRACKING = re.compile(
    r"^(utm_\w*|spm\w*|from|fromid|from_\w+|fromsource|share\w*|wx\w*|wechat\w*|isappinstalled|"
    r"scene|clicktime|enterid|ivk_sa|tt_from|ref|referer|referrer|fr|fbclid|gclid|yclid|ocid|"
    r"cmpid|mc_cid|mc_eid|igshid|_t|timestamp|seid|sessionid|hmsr|smid|st|sharer\w*|mkt_tok)$",
    re.I,
)
#: Host prefixes that serve the same article as the bare domain.
MIRROR_PREFIX = re.compile(r"^(?:www\d*|m|wap|3g|mobile|amp)\.", re.I)
_TOKENS = re.compile(r"[A-Za-z0-9]+")
_PAGE_EXT = re.compile(r"\.(?:s?html?|php|aspx?|jsp)$", re.I)
MAX_ID = 64


def _is_date(token: str) -> bool:
    if len(token) not in (6, 8) or not token.startswith(("19", "20")):
        return False
    try:
        date(int(token[:4]), int(token[4:6]), int(token[6:8]) if len(token) == 8 else 1)
    except ValueError:
        return False
    return True


def _id_in(text: str) -> str | None:
    """The last numeric id (5+ digits, not a date) in ``text``, else its last mixed
    letters-and-digits token that looks like an id (``IT3ABCDE0519DDQ2``)."""
    tokens = _TOKENS.findall(text)
    numeric = [t for t in tokens if t.isdigit() and len(t) >= 5 and not _is_date(t)]
    if numeric and len(numeric[-1]) <= MAX_ID:
        return numeric[-1]
    mixed = [
        t
        for t in tokens
        if 8 <= len(t) <= MAX_ID
        and not t.isdigit()
        and sum(c.isdigit() for c in t) >= 2
        and any(c.isalpha() for c in t)
    ]
    return mixed[-1] if mixed else None


def _clean_query(query: str) -> list[tuple[str, str]]:
    return [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if not TRACKING.match(k)]


def canonical_url(url: str) -> str:
    """``url`` without fragment and tracking parameters, scheme and host lowercased.

    The host is kept (a mobile host may serve other paths); only the key ignores it.
    """
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return url.strip()
    host = parts.hostname.lower()
    netloc = host if parts.port in (None, 80, 443) else f"{host}:{parts.port}"
    query = urlencode(_clean_query(parts.query))
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", query, ""))


def site_host(url: str) -> str:
    """The host without ``www.``/``m.``/``wap.``: the same site whichever mirror is seen."""
    host = (urlsplit(url.strip()).hostname or "").lower()
    return MIRROR_PREFIX.sub("", host)


def is_front_page(url: str) -> bool:
    parts = urlsplit(url.strip())
    path = re.sub(r"/(?:index|default|home)\.\w+$", "/", parts.path or "/")
    return path in ("", "/") and not _clean_query(parts.query)


def article_id(url: str) -> str | None:
    """The id of the article in ``url``: a number (or id token) of its path or query, else a
    12-hex-digit hash of its normalised form. None for a URL that cannot be an article."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or is_front_page(url):
        return None
    path = _PAGE_EXT.sub("", parts.path)
    query = _clean_query(parts.query)
    found = _id_in(path) or _id_in(" ".join(v for _, v in query))
    if found:
        return found
    normal = f"{site_host(url)}{parts.path.rstrip('/')}?{urlencode(sorted(query))}"
    return hashlib.sha1(normal.encode("utf-8")).hexdigest()[:12]


def key_from_url(url: str) -> str | None:
    """``<source>-<id>`` for any http(s) article URL (``thepaper-26512345``), else None."""
    found = article_id(url)
    if not found:
        return None
    return f"{source_key(site_host(url))}-{found}"


#: Path segments of pages that list or describe, never report: a tag, a category, an
#: author's page, the about/contact/legal pages, search, the feed.
NOT_ARTICLE_SEGMENTS = {
    "tag": "a tag page",
    "tags": "a tag page",
    "topic": "a topic page",
    "topics": "a topic page",
    "category": "a category page",
    "categories": "a category page",
    "section": "a section page",
    "author": "an author's page",
    "authors": "an author's page",
    "people": "an author's page",
    "profile": "an author's page",
    "user": "a user's page",
    "about": "an about page",
    "about-us": "an about page",
    "aboutus": "an about page",
    "contact": "a contact page",
    "contact-us": "a contact page",
    "privacy": "a legal page",
    "privacy-policy": "a legal page",
    "terms": "a legal page",
    "legal": "a legal page",
    "search": "a search page",
    "login": "a login page",
    "register": "a login page",
    "subscribe": "a subscription page",
    "feed": "a feed",
    "rss": "a feed",
    "archive": "an archive page",
    "archives": "an archive page",
}
#: ... of which these list even with a number in the URL (``/tag/12345``).
ALWAYS_LISTING = frozenset(
    ["tag", "tags", "category", "categories", "author", "authors", "about", "about-us", "aboutus"]
    + ["contact", "contact-us", "privacy", "privacy-policy", "terms", "legal", "search", "login", "register"]
)
_PAGER = re.compile(r"^(?:page|p)[-_]?\d+$|^\d{1,3}$", re.I)
_PAGER_QUERY = ("page", "p", "pg", "paged", "pn", "start", "offset")
_SLUG = re.compile(r"[A-Za-z0-9]+(?:[-_][A-Za-z0-9]+){2,}")


def not_article_reason(url: str) -> str | None:
    """Why ``url`` cannot be an article page (a front page, a section, tag, category, author,
    about or pager page), or None when it may be one: the judgement applied to sitemap and
    feed entries before anything is fetched. An article URL carries an id (a number, an id
    token) or a slug of three words or more, and no listing segment."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return "not an http(s) URL"
    if is_front_page(url):
        return "a site's front page"
    segments = [s for s in _PAGE_EXT.sub("", parts.path).lower().split("/") if s]
    query = dict(_clean_query(parts.query))
    has_id = bool(_id_in(parts.path) or _id_in(" ".join(query.values())))
    for segment in segments:
        if segment in NOT_ARTICLE_SEGMENTS and (segment in ALWAYS_LISTING or not has_id):
            return NOT_ARTICLE_SEGMENTS[segment]
    last = segments[-1] if segments else ""
    if not _id_in(parts.path) and (_PAGER.match(last) or any(k in query for k in _PAGER_QUERY)):
        return "a pager page"
    if re.search(r"/(?:index|default|home)\.\w+$", parts.path, re.I):
        return "a section's front page"
    if has_id or _SLUG.search(parts.path):
        return None
    if len(segments) <= 1:
        return "a section page (one path segment, no id)"
    return "no article id or title slug in the URL"
