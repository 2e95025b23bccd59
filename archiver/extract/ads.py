"""Advertising inside an article body, in its usual shapes, and its removal.

An element of the body is an ad when

* its class or id names one: a whole name, or one of its hyphen/underscore/camelCase
  parts, is an ad word (``ad``, ``ads``, ``advert``, ``sponsored``, ``promo``…; never a
  substring: ``header``, ``download``, ``shadow`` and ``no-ad`` are not ads);
* it is a label or marker: its whole text is ``广告``, ``推广``, ``赞助``, ``AD``… or starts
  with one in brackets or before a separator (``【推广】…``, ``广告｜…``, ``AD: …``). A
  paragraph that merely mentions 广告 in its text stays;
* it is an image whose alt or title text is such a marker (the promotion's own words);
* it is a link to an ad server or a click-tracking address (:data:`AD_HOSTS`,
  :data:`CLICK_PATHS`), with what holds nothing but that link.

Pure functions of an lxml tree: :func:`remove_ads` says what it removed, and the caller
(the parser) hands that on for the run's log and counters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from lxml import etree

from archiver.extract.text import remove_keeping_tail

#: Class/id words of ad containers (whole names or name parts).
AD_WORDS = frozenset(
    [
        "ad",
        "ads",
        "adv",
        "advert",
        "adverts",
        "advertise",
        "advertisement",
        "advertising",
        "adbox",
        "adslot",
        "adunit",
        "adsbygoogle",
        "sinaads",
        "sponsor",
        "sponsored",
        "promo",
        "promotion",
        "guanggao",
        "tuiguang",
    ]
)
#: Parts that say the element is *not* an ad (``no-ad``, ``non-ad-column``).
_NEGATIONS = frozenset(["no", "non", "not", "without", "free", "block", "blocker"])
#: The words of an ad label or marker.
MARKERS = (
    r"(?:广告|推广|赞助|商业推广|赞助内容|推广内容|AD|Ad|ADVERTISEMENT|Advertisement|Sponsored|SPONSORED)"
)
_LABEL = re.compile(rf"^\s*[\[【（(〔「<＜]?\s*{MARKERS}\s*[\]】）)〕」>＞]?\s*$")
_MARKED = re.compile(rf"^\s*(?:[\[【（(〔「]\s*{MARKERS}\s*[\]】）)〕」]|{MARKERS}\s*[|｜丨:：·•])")
#: Hosts (or their first label) of ad servers and click trackers.
AD_HOSTS = (
    "doubleclick.net",
    "googlesyndication.com",
    "googleadservices.com",
    "adservice.google.com",
    "adnxs.com",
    "criteo.com",
    "taboola.com",
    "outbrain.com",
    "pos.baidu.com",
    "cpro.baidu.com",
    "e.cn.miaozhen.com",
    "g.cn.miaozhen.com",
    "admaster.com.cn",
    "tanx.com",
)
AD_HOST_LABELS = frozenset(["ad", "ads", "adx", "adserver", "adservice", "adclick", "click", "clk", "track"])
#: Paths and queries of click-tracking addresses.
CLICK_PATHS = re.compile(
    r"(?:^|/)(?:click|clk|adclick|aclk|ad_click|clickthrough)(?:$|[/?.])|[?&](?:adid|ad_id|clickid|creative_id)=",
    re.I,
)
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_SPLIT = re.compile(r"[-_\s]+")
#: Elements that may be an ad's whole holder (climbed while they hold nothing else).
BLOCKS = ("p", "div", "section", "figure", "li", "ul", "ol", "table", "aside", "span", "a", "center")
#: Elements a marked text makes an ad: block-level, so that a paragraph goes whole.
TEXT_BLOCKS = (
    "p",
    "div",
    "section",
    "figure",
    "figcaption",
    "li",
    "aside",
    "center",
    "table",
    "h2",
    "h3",
    "h4",
)
#: Inline elements that may be a lone label (``<span class="tag">广告</span>``).
INLINE_LABELS = ("span", "a", "em", "strong", "b", "i", "small", "label", "font")


@dataclass(frozen=True)
class RemovedAd:
    """One ad removed from a body: what it was, and whether it held any text."""

    shape: str  # "container div.ad-box", "label", "marked paragraph", "image alt", "ad link"
    text: str  # its visible text, squashed ("" for an ad of images or frames only)
    images: int  # images it held (none of them is fetched)


def _raw(el) -> str:
    """The text of ``el`` and its descendants: ``"".join(el.itertext())`` (both skip comments
    and processing instructions), as libxml2's node content, several times cheaper."""
    return etree.tostring(el, method="text", encoding="unicode", with_tail=False)


#: The first character of any text :func:`is_marked` (a bracket, or a marker's first letter).
_MARK_STARTS = frozenset("[【（(〔「<＜广推赞商AS")


def _may_be_marked(raw: str) -> bool:
    """False when ``raw`` (not squashed) cannot be marked: it starts with no :data:`_MARK_STARTS`.
    Cheaper than squashing every block's text first."""
    start = raw.lstrip()[:1]
    return bool(start) and start in _MARK_STARTS


def _text(el) -> str:
    return " ".join(_raw(el).split())


def _parts(name: str) -> list[str]:
    return [p.lower() for p in _SPLIT.split(_CAMEL.sub("-", name)) if p]


@lru_cache(maxsize=8192)
def is_ad_name(names: str) -> bool:
    """True when a class or id value names an ad (whole words or parts; see module doc)."""
    for name in (names or "").split():
        parts = _parts(name)
        if name.lower() in AD_WORDS or (
            any(p in AD_WORDS for p in parts) and not any(p in _NEGATIONS for p in parts)
        ):
            return True
    return False


def is_ad_url(url: str) -> bool:
    """True for an address of an ad server or a click tracker."""
    try:
        parts = urlsplit(url or "")
    except ValueError:
        return False
    host = (parts.hostname or "").lower()
    if not host:
        return False
    if any(host == h or host.endswith("." + h) for h in AD_HOSTS):
        return True
    if host.split(".")[0] in AD_HOST_LABELS:
        return True
    return bool(CLICK_PATHS.search(parts.path + ("?" + parts.query if parts.query else "")))


def is_label(text: str) -> bool:
    """``广告``, ``【推广】``, ``AD``: a marker and nothing else."""
    return bool(_LABEL.match(text or ""))


def is_marked(text: str) -> bool:
    """Text that announces itself as an ad: a marker alone, or one in brackets or before
    a separator at its start (``【推广】限时…``, ``广告｜年末…``). Not a sentence that
    mentions 广告 (``广告主预算收缩…``)."""
    return bool(text) and (is_label(text) or bool(_MARKED.match(text)))


def _outermost_holding_only(el, body, text: str):
    """``el``, or its furthest ancestor below ``body`` whose text is only ``text``."""
    while True:
        parent = el.getparent()
        if parent is None or parent is body or parent.tag not in BLOCKS or _text(parent) != text:
            return el
        el = parent


def remove_ads(body) -> list[RemovedAd]:
    """Remove every ad (see module doc) from the element ``body``; what was removed, in order."""
    removed: list[RemovedAd] = []
    snapshot = 0  # len(removed) when the current loop listed its elements

    def attached(el) -> bool:
        """Still in ``body``: only a removal since this loop's listing can have cut it off."""
        return len(removed) == snapshot or _attached(el, body)

    def drop(el, shape: str, text: str | None = None) -> None:
        removed.append(RemovedAd(shape, _text(el) if text is None else text, sum(1 for _ in el.iter("img"))))
        remove_keeping_tail(el)

    snapshot = len(removed)
    for el in list(body.iter(etree.Element)):
        if el is body or el.getparent() is None or not attached(el):
            continue
        names = f"{el.get('class') or ''} {el.get('id') or ''}"
        if names.strip() and is_ad_name(names):
            drop(el, f"container {el.tag}.{'.'.join((el.get('class') or el.get('id') or '').split())}")
    snapshot = len(removed)
    for el in list(body.iter("img")):
        if not attached(el):
            continue
        alt = " ".join(f"{el.get('alt') or ''} {el.get('title') or ''}".split())
        if is_marked(alt):
            drop(_outermost_holding_only(el, body, ""), "image with a promotion's alt", alt)
    snapshot = len(removed)
    for el in list(body.iter("a")):
        if attached(el) and is_ad_url(el.get("href") or ""):
            drop(_outermost_holding_only(el, body, _text(el)), "ad link")
    snapshot = len(removed)
    for el in list(body.iter(*TEXT_BLOCKS)):
        if el is body or not attached(el):
            continue
        if not _may_be_marked(_raw(el)):
            continue
        text = _text(el)
        if is_marked(text) and not any(is_marked(_text(c)) for c in el.iterdescendants(*TEXT_BLOCKS)):
            drop(_outermost_holding_only(el, body, text), "label" if is_label(text) else "marked paragraph")
    snapshot = len(removed)
    for el in list(body.iter(*INLINE_LABELS)):
        if attached(el) and _may_be_marked(_raw(el)) and is_label(_text(el)):
            drop(_outermost_holding_only(el, body, _text(el)), "label")
    return removed


def ad_notes(removed: list[RemovedAd]) -> list[tuple[str, str]]:
    """The removed ads as an Article's notes: ``ad`` for each, ``ad_no_text`` for one that
    held no text (an image or frame slot: nothing a reader would see is lost)."""
    notes = []
    for ad in removed:
        images = f", {ad.images} image{'s' if ad.images != 1 else ''} not fetched" if ad.images else ""
        if ad.text:
            notes.append(("ad", f"Ad removed: {ad.shape} ({ad.text[:60]}){images}"))
        else:
            notes.append(("ad_no_text", f"Ad with no text removed: {ad.shape}{images}"))
    return notes


def _attached(el, body) -> bool:
    return el is body or any(a is body for a in el.iterancestors())
