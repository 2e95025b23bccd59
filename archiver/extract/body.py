"""Find the article body of any news page and cut it from the page's chrome.

The body is the element that holds the most paragraph text and the least other
text: every block of text counts for the elements above it, as *good* (a paragraph:
long enough, few links) or *bad* (link lists, navigation, and anything inside an
element whose class or id names chrome: comments, related lists, share bars, ads,
editor lines). The element with the largest good − bad wins; ties go to the
innermost. Inside it, chrome elements, link lists and boilerplate lines (editor
credits, reprint notices, sign-offs) are removed. Pure functions of an lxml tree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import lxml.html

from archiver.extract.dom import clean_body, squash, text_content

INLINE = frozenset(
    [
        "a",
        "abbr",
        "b",
        "big",
        "cite",
        "code",
        "em",
        "font",
        "i",
        "img",
        "kbd",
        "mark",
        "q",
        "s",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "time",
        "tt",
        "u",
        "wbr",
        "br",
        "label",
    ]
)
SKIP = frozenset(
    [
        "script",
        "style",
        "noscript",
        "template",
        "head",
        "title",
        "iframe",
        "svg",
        "select",
        "option",
        "textarea",
        "button",
        "form",
        "nav",
        "footer",
        "header",
        "aside",
    ]
)
HEADINGS = frozenset(["h1", "h2", "h3", "h4", "h5", "h6"])
#: Class/id words that always mean chrome: exact tokens, and stems a token starts or ends
#: with (``meldungsfooter``, ``post_recommends``).
CHROME_TOKENS = frozenset(
    [
        "ad",
        "ads",
        "adv",
        "advert",
        "adbox",
        "adslot",
        "sinaads",
        "adsbygoogle",
        "nav",
        "navbar",
        "crumb",
        "breadcrumb",
        "breadcrumbs",
        "footer",
        "foot",
        "sidebar",
        "aside",
        "keyword",
        "keywords",
        "qr",
        "ewm",
        "qrcode",
        "share",
        "sharing",
        "social",
        "signin",
        "signup",
        "subscribe",
        "newsletter",
        "epic",
        "statement",
        "copyright",
        "disclaimer",
        "comment",
        "comments",
        "reply",
        "related",
        "relate",
        "relevant",
        "recommend",
        "recommends",
        "recommended",
        "praise",
        "zan",
        "promo",
        "sponsor",
        "sponsored",
        "trust",
        "submeta",
        "outbrain",
        "taboola",
        "teaser",
    ]
)
CHROME_STEMS = (
    "advertis",
    "comment",
    "recommend",
    "related",
    "relevant",
    "breadcrumb",
    "copyright",
    "statement",
    "newsletter",
    "subscribe",
    "sidebar",
    "footer",
    "toolbar",
    "sharing",
    "keyword",
)
#: Words that mean chrome only on an element that names no content (``content_maincontent_more``
#: holds an article; ``more-news`` does not).
WEAK_CHROME = frozenset(
    [
        "more",
        "side",
        "hot",
        "key",
        "tag",
        "tags",
        "edit",
        "tool",
        "tools",
        "print",
        "actions",
        "opts",
        "follow",
        "author",
        "authors",
        "rank",
        "ranking",
        "popular",
        "trending",
        "pager",
        "pagination",
        "login",
        "widget",
        "byline",
        "dateline",
        "menu",
        "banner",
        "next",
        "prev",
        "toolbar",
    ]
)
CONTENT_WORDS = (
    "content",
    "article",
    "body",
    "text",
    "main",
    "detail",
    "story",
    "post",
    "entry",
    "zw",
    "txt",
    "rich",
)
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_SPLIT = re.compile(r"[\s_\-]+")
_PUNCT = re.compile(r"[，。、；：！？,.;:!?…”」]")
#: Lines that are printed inside article bodies but are not the article.
BOILERPLATE = re.compile(
    r"^\s*[（(【\[]?\s*(?:"
    r"(?:责任编辑|責任編輯|责编|編輯|编辑|校对|审核|审校|监制|主编|来源|來源|本文来源|文章来源|特别声明|免责声明|版权声明|声明|记者|图片来源|题图来自)\s*[:：]"
    r"|原标题|本文来自|本文系|本文为|本文經|更多精彩|更多猛料|点击进入|点击查看|扫码|扫描二维码|关注我们|下载.{0,6}(?:APP|客户端)|返回搜狐|举报|纠错|【纠错】"
    r"|Reporting by|Editing by|Writing by|Additional reporting|Our Standards|Follow .{0,40}coverage|Read more\s*:|Related Topics"
    r"|Sign up|Advertisement\s*$|Copyright|All rights reserved|_{3,}\s*$|\(完\)|（完）"
    r"|《\s*[^》]{2,12}\s*》\s*[（(]\s*\d{4}\s*年)",
    re.I,
)
BOILERPLATE_ANYWHERE = re.compile(
    r"未经授权.{0,12}(?:不得|禁止).{0,4}转载|仅代表作者本人观点|仅提供信息存储|授权事宜请联系|经授权发布"
)
BOILERPLATE_MAX = 200


def class_tokens(el) -> list[str]:
    raw = f"{el.get('class') or ''} {el.get('id') or ''} {el.get('data-component') or ''}"
    return [t.lower() for t in _SPLIT.split(_CAMEL.sub(" ", raw)) if t]


def is_chrome(el) -> bool:
    tokens = class_tokens(el)
    if any(t in CHROME_TOKENS or t.startswith(CHROME_STEMS) or t.endswith(CHROME_STEMS) for t in tokens):
        return True
    return any(t in WEAK_CHROME for t in tokens) and not any(w in t for t in tokens for w in CONTENT_WORDS)


def is_hidden(el) -> bool:
    style = (el.get("style") or "").replace(" ", "").lower()
    return "display:none" in style or el.get("hidden") is not None or el.get("aria-hidden") == "true"


@dataclass
class Score:
    good: int = 0
    bad: int = 0
    links: int = 0
    text: int = 0

    @property
    def value(self) -> int:
        return self.good - self.bad


@dataclass
class Found:
    element: object  # the body element of the cleaned page copy
    good: int  # characters of paragraph text in it
    page_links: int  # characters of link text on the whole page
    page_text: int  # characters of visible text on the whole page


def _block_of(el):
    while el.tag in INLINE and el.getparent() is not None:
        el = el.getparent()
    return el


def _blocks(root) -> dict:
    """Text length and link-text length of each block element (inline children merged)."""
    blocks: dict = {}

    def add(owner, text):
        length = len(squash(text))
        if not length:
            return
        block = _block_of(owner)
        entry = blocks.setdefault(block, [0, 0])
        entry[0] += length
        node = owner
        while node is not None and node is not block.getparent():
            if node.tag == "a":
                entry[1] += length
                break
            node = node.getparent()

    def walk(el):
        if not isinstance(el.tag, str) or el.tag in SKIP or is_hidden(el):
            return
        if el.text:
            add(el, el.text)
        for child in el:
            walk(child)
            if child.tail:
                add(el, child.tail)

    walk(root)
    return blocks


def _chrome_near(el, depth: int = 4) -> bool:
    for _ in range(depth):
        if el is None:
            return False
        if isinstance(el.tag, str) and is_chrome(el):
            return True
        el = el.getparent()
    return False


def find_body(tree) -> Found | None:
    """The element holding the article text, with the figures the caller needs to tell
    an article from a list page; None when the page has no text at all."""
    body = tree.find("body")
    if body is None:
        return None
    scores: dict = {}
    page_links = page_text = 0
    for block, (length, links) in _blocks(body).items():
        page_links += links
        page_text += length
        text = squash(text_content(block)) if length < 40 else ""
        if _chrome_near(block) or links > length * 0.5:
            good, bad = 0, length
        elif block.tag in HEADINGS:
            good, bad = 0, links
        elif length >= 25 or (length >= 10 and _PUNCT.search(text)):
            good, bad = length - links, 0
        else:
            good, bad = 0, links
        node = block
        while node is not None:
            score = scores.setdefault(node, Score())
            score.good += good
            score.bad += bad
            node = node.getparent()
    if not scores:
        return None
    depth = {}
    for el in scores:
        depth[el] = sum(1 for _ in el.iterancestors())
    best = max(scores, key=lambda el: (scores[el].value, depth[el]))
    return Found(best, scores[best].good, page_links, page_text)


def _drop(el) -> None:
    parent = el.getparent()
    if parent is None:
        return
    prev = el.getprevious()
    if el.tail:
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def is_boilerplate(text: str) -> bool:
    text = squash(text)
    return (
        bool(text)
        and len(text) <= BOILERPLATE_MAX
        and bool(BOILERPLATE.match(text) or BOILERPLATE_ANYWHERE.search(text))
    )


def prune(element, title: str = "") -> None:
    """Remove chrome, link lists, the headline and boilerplate lines from ``element`` (in place)."""
    for el in list(element.iter()):
        if el is element or not isinstance(el.tag, str) or el.getparent() is None:
            continue
        if el.tag in SKIP or is_hidden(el) or is_chrome(el):
            _drop(el)
    title_key = re.sub(r"\s+", "", title)
    for block, (length, links) in list(_blocks(element).items()):
        if block is element or block.getparent() is None:
            continue
        text = squash(text_content(block))
        key = re.sub(r"\s+", "", text)
        if block.tag in ("ul", "ol", "dl") or (length and links > length * 0.6 and not block.xpath(".//img")):
            if links > length * 0.6:
                _drop(block)
                continue
        if (key and key == title_key) or (is_boilerplate(text) and not block.xpath(".//img")):
            _drop(block)
    _trim_ends(element)
    for el in list(element.iter("ul", "ol")):  # link lists: related stories inside the body
        text = squash(text_content(el))
        links = sum(len(squash(text_content(a))) for a in el.iter("a"))
        if text and links > len(text) * 0.6 and el.getparent() is not None:
            _drop(el)


_CLOCK = re.compile(r"\d{1,2}[:：.]\d{2}")


def _is_paragraph(block, text: str) -> bool:
    return len(text) >= 25 or (block.tag == "p" and len(text) >= 4) or bool(_PUNCT.search(text))


META_WORDS = WEAK_CHROME | {"meta", "metadata", "info", "time", "date", "timestamp", "source", "contributor"}


def _in_meta(block, top) -> bool:
    """True when ``block`` sits in a byline, date or meta box below ``top``."""
    node = block
    while node is not None and node is not top:
        if any(t in META_WORDS for t in class_tokens(node)):
            return True
        node = node.getparent()
    return False


def _trim_ends(element) -> None:
    """Drop the header bits left above the first paragraph (topline, date line, byline in
    ``div``/``span``) and headings left at the end with nothing under them."""
    blocks = [b for b in _blocks(element) if b is not element and b.getparent() is not None]
    for block in blocks:
        text = squash(text_content(block))
        if len(text) < 80 and _in_meta(block, element) and not block.xpath(".//img"):
            _drop(block)
            continue
        if block.tag in HEADINGS or (block.tag == "p" and not _CLOCK.search(text)) or len(text) >= 60:
            break
        if _is_paragraph(block, text) and not _CLOCK.search(text):
            break
        if not block.xpath(".//img"):
            _drop(block)
    for block in reversed(blocks):
        if block.getparent() is None:
            continue
        text = squash(text_content(block))
        if block.tag in HEADINGS or (len(text) <= 20 and not _PUNCT.search(text) and block.tag != "p"):
            if not block.xpath(".//img"):
                _drop(block)
            continue
        break


def body_html(found: Found, base: str, title: str = "") -> tuple[str, list[str]]:
    """The article body's inner HTML (safe, absolute links) and its image URLs."""
    element = lxml.html.fromstring(lxml.html.tostring(found.element, encoding="unicode"))
    prune(element, title)
    return clean_body(element, base, frozenset())


def visible_text_length(tree) -> int:
    body = tree.find("body")
    return sum(length for length, _ in _blocks(body).values()) if body is not None else 0
