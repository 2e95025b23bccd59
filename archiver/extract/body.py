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
import threading
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from typing import Any

import lxml.html
from lxml import etree

from archiver.extract.dom import clean_body, copy_as_reparsed, drop_tag, squash, text_content
from archiver.extract.standfirst import standfirst
from archiver.extract.widgets import widget_boxes

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
#: Never text of the page: skipped whole.
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
    ]
)
#: Page furniture by tag, read like a chrome class: chrome unless it holds the page's text
#: (an ASP.NET page wrapped whole in a ``<form>``, a body inside ``<aside>``).
STRUCTURAL = frozenset(["form", "nav", "footer", "header", "aside", "figcaption", "menu", "dialog"])
#: A chrome-looking element holding at least this share of the page's (or the chosen
#: container's) paragraph text is the article, whatever its class says.
DENSE_SHARE = 0.5
HEADINGS = frozenset(["h1", "h2", "h3", "h4", "h5", "h6"])
#: Class/id words that mean chrome: a whole class name, or its first (or, for the longer
#: words, last) hyphen/underscore/camelCase part (``ad-slot``, ``post-comments``), never a
#: part in the middle or a substring (``gate-ad``, ``non-ad-column``, ``commentary``).
CHROME_TOKENS = frozenset(
    [
        "ad",
        "ads",
        "adv",
        "advert",
        "adverts",
        "advertisement",
        "advertising",
        "adbox",
        "adslot",
        "adunit",
        "sinaads",
        "adsbygoogle",
        "nav",
        "navbar",
        "navigation",
        "crumb",
        "crumbs",
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
        "shares",
        "sharebar",
        "social",
        "signin",
        "signup",
        "subscribe",
        "subscription",
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
        "recommendation",
        "recommendations",
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
        "teasers",
        "caption",
        "credit",
        "credits",
        "rights",
        "cookie",
        "consent",
        "gdpr",
        "popup",
        "modal",
        "lightbox",
        "tooltip",
        "cta",
        "infobox",
        "factbox",
        "faktenbox",
        "infokasten",
        "authorbio",
        "authorbox",
        "authorprofile",
        "authorinfo",
    ]
)

#: Chrome words too short or too common to mean chrome as the last part of a name
#: (``gate-ad``, ``main--nav``).
_HEAD_ONLY = frozenset(["ad", "ads", "adv", "nav", "foot", "qr", "ewm", "zan", "trust", "aside", "reply"])
#: First parts that negate or qualify what follows (``no-sidebar``, ``has-comments``).
_NEGATIONS = frozenset(
    ["no", "non", "not", "without", "with", "has", "is", "show", "hide", "hidden", "enable"]
)
#: Layer prefixes of BEM/ITCSS class names (``l-sidebar-fixed``, ``c-article``, ``js-share``).
_PREFIXES = frozenset(["l", "c", "u", "o", "m", "t", "g", "js", "wp", "qa"])
#: Ends of compound words that name chrome (``meldungsfooter``, ``postcomments``).
CHROME_ENDS = ("footer", "sidebar", "comments", "sharing", "newsletter", "breadcrumb", "breadcrumbs")
CHROME_STEMS = (
    "advertis",
    "recommend",
    "breadcrumb",
    "newsletter",
    "subscri",
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
        "byline",
        "dateline",
        "menu",
        "banner",
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
    r"|Your (?:web )?browser (?:is no longer supported|is not supported|does not support)"
    r"|We apologi[sz]e, but this video|Try refreshing your browser"
    r"|Sign up|Advertisement\s*$|Copyright|All rights reserved|_{3,}\s*$|\(完\)|（完）"
    r"|《\s*[^》]{2,12}\s*》\s*[（(]\s*\d{4}\s*年)",
    re.I,
)
BOILERPLATE_ANYWHERE = re.compile(
    r"未经授权.{0,12}(?:不得|禁止).{0,4}转载|仅代表作者本人观点|仅提供信息存储|授权事宜请联系|经授权发布"
)
BOILERPLATE_MAX = 200


def class_names(el) -> list[str]:
    raw = f"{el.get('class') or ''} {el.get('id') or ''} {el.get('data-component') or ''}"
    return raw.split()


@lru_cache(maxsize=16384)
def _parts(name: str) -> tuple[str, ...]:
    return tuple(t.lower() for t in _SPLIT.split(_CAMEL.sub(" ", name)) if t)


def class_tokens(el) -> list[str]:
    """Every hyphen/underscore/camelCase part of the element's class names and id."""
    return [t for name in class_names(el) for t in _parts(name)]


#: The hash a CSS-modules build appends to a class name (``image-caption__lZ5kc``).
_MODULE_HASH = re.compile(r"(?:__|_|-)(?=[A-Za-z0-9]*[0-9A-Z])[A-Za-z0-9]{5,8}$")


@lru_cache(maxsize=16384)
def _name_is_chrome(name: str) -> bool:
    if "__" in name:
        name = _MODULE_HASH.sub("", name)
    parts = _parts(name)
    while parts and parts[0] in _PREFIXES and len(parts) > 1:
        parts = parts[1:]
    if not parts or any(p in _NEGATIONS for p in parts):
        return False
    head, tail = parts[0], parts[-1]
    if len(parts) > 1 and head + parts[1] in CHROME_TOKENS:  # a compound written apart: ``info-box``
        return True
    if head in CHROME_TOKENS or head.startswith(CHROME_STEMS) or head.endswith(CHROME_ENDS):
        return True
    return (
        len(parts) > 1
        and tail not in _HEAD_ONLY
        and (tail in CHROME_TOKENS or tail.startswith(CHROME_STEMS) or tail.endswith(CHROME_ENDS))
    )


@lru_cache(maxsize=16384)
def _name_is_weak(name: str) -> bool:
    parts = _parts(name)
    while parts and parts[0] in _PREFIXES and len(parts) > 1:
        parts = parts[1:]
    return bool(parts) and parts[0] in WEAK_CHROME and not any(p in _NEGATIONS for p in parts)


def is_chrome(el) -> bool:
    """True when the element's class or id names chrome (whole names and their first or
    last part; see :data:`CHROME_TOKENS`). Callers weigh this against the element's text."""
    if el.tag in ("body", "html"):
        return False
    cls, id_, comp = el.get("class"), el.get("id"), el.get("data-component")
    if not (cls or id_ or comp):
        return False
    return _names_are_chrome(f"{cls or ''} {id_ or ''} {comp or ''}")


@lru_cache(maxsize=8192)
def _names_are_chrome(raw: str) -> bool:
    names = raw.split()
    if any(_name_is_chrome(n) for n in names):
        return True
    return any(_name_is_weak(n) for n in names) and not any(_names_content(n) for n in names)


@lru_cache(maxsize=16384)
def _names_content(name: str) -> bool:
    """A part of ``name`` holds a content word (``content_maincontent_more``)."""
    return any(w in t for t in _parts(name) for w in CONTENT_WORDS)


def is_furniture(el) -> bool:
    """Chrome by class or by tag (:data:`STRUCTURAL`): discarded unless dense."""
    return el.tag in STRUCTURAL or is_chrome(el)


#: The id of a segment React streams hidden at the end of the page and moves into place
#: (``<div hidden id="S:1">``, swapped for ``<template id="B:1">``): shown, not hidden.
_REACT_SEGMENT = re.compile(r"S:[0-9a-z]+$")


def is_hidden(el) -> bool:
    names = el.keys()  # one call for the attribute names: most elements have none of the three
    if not names or ("hidden" not in names and "aria-hidden" not in names and "style" not in names):
        return False
    if el.get("hidden") is not None:
        return not _REACT_SEGMENT.match(el.get("id") or "")
    if el.get("aria-hidden") == "true":
        return True
    style = el.get("style")
    return bool(style) and "none" in style and "display:none" in style.replace(" ", "").lower()


def _length(text: str) -> int:
    """``len(squash(text))`` without the regular expressions (the walk's hot spot)."""
    return len(" ".join(text.split()))  # the words and one space between each


@dataclass
class BodyBlock:
    element: Any  # the body element (lxml) of the cleaned page copy
    good: int  # characters of paragraph text in it
    page_links: int  # characters of link text on the whole page
    page_text: int  # characters of visible text on the whole page


def _holds(el, tag: str) -> bool:
    """``el`` has a descendant ``tag`` (``el.find(".//tag") is not None``, whose
    ElementPath walks the same descendants, without parsing the path)."""
    return next(el.iterdescendants(tag), None) is not None


def _block_of(el):
    while el.tag in INLINE and el.getparent() is not None:
        el = el.getparent()
    return el


def _blocks(root) -> dict:
    """Text length and link-text length of each block element (inline children merged).

    The walk carries each element's block and whether it sits in a link (up to its
    block) down to its children, instead of climbing the ancestors for every text."""
    blocks: dict = {}

    def count(text: str, block, in_link: bool) -> None:  # _length(text), inline
        length = len(" ".join(text.split()))
        entry = blocks.get(block)
        if entry is None:
            entry = blocks[block] = [0, 0]
        entry[0] += length
        if in_link:
            entry[1] += length

    def walk(el, block, in_link: bool) -> None:  # el is shown: its tag, text and children count
        # _length(text) of the text and of each tail, inline: the walk's hot spot
        text = el.text
        if text and not text.isspace():  # most texts between tags are indentation: no split
            count(text, block, in_link)
        for child in el:
            tag = child.tag
            if (
                isinstance(tag, str)
                and tag not in SKIP
                and not (  # is_hidden(child), its first test inline: most elements have none of the three
                    (names := child.keys())
                    and ("hidden" in names or "aria-hidden" in names or "style" in names)
                    and is_hidden(child)
                )
            ):
                if tag in INLINE:  # a child always has a parent: its block is el's
                    walk(child, block, in_link or tag == "a")
                else:
                    walk(child, child, False)
            tail = child.tail
            if tail and not tail.isspace():
                count(tail, block, in_link)

    block = _block_of(root)
    node, in_link = root, False
    while node is not None and node is not block.getparent():
        if node.tag == "a":
            in_link = True
            break
        node = node.getparent()
    if isinstance(root.tag, str) and root.tag not in SKIP and not is_hidden(root):
        walk(root, block, in_link)
    return blocks


#: Least siblings of one kind that make a list of teaser cards.
CARD_REPEAT = 3
CARD_TAGS = frozenset(["div", "li", "article", "section"])


def _stands_alone(anchor, link: int) -> bool:
    """True when the link is a headline: most of the text of its block, not a few words
    linked inside a sentence (an article's paragraphs, each with a link, are no cards)."""
    return _length(text_content(_block_of(anchor))) * 4 <= link * 5


#: The links of 15 characters or more before whitespace is collapsed (in C: most links are
#: shorter, and their squashed length is not longer).
_LONG_LINKS = etree.XPath(".//a[string-length(string()) >= 15]")


def _cards(root) -> list:
    """Teaser cards: three or more siblings of one tag and class, each of less than 500
    characters with a headline link (15+ characters, a fifth of its text or more, and
    most of the text of its own block: not a link inside a sentence). A list
    of other stories, however long their excerpts (a feed under the article).

    Read from the headline links up: only their ancestors can be cards, and above one of
    500 characters or more none can (an ancestor's text holds its descendant's)."""
    found = []
    links: dict = {}  # anchor -> the length of its text

    def link_of(anchor) -> int:
        length = links.get(anchor)
        if length is None:
            length = links[anchor] = _length(text_content(anchor))
        return length

    kinds_of: dict = {}  # parent -> how many of its children have each (tag, class)
    seen: set = set()  # nodes climbed through: what is above them was climbed too
    for a in _LONG_LINKS(root):
        if link_of(a) < 15:
            continue
        node = a
        while node is not root and node not in seen:
            seen.add(node)
            parent = node.getparent()
            if parent is None:
                break
            if node.tag in CARD_TAGS and len(parent) >= CARD_REPEAT:
                kinds = kinds_of.get(parent)
                if kinds is None:
                    kinds = kinds_of[parent] = {}
                    for c in parent.iterchildren(*CARD_TAGS):  # libxml2 skips the other tags
                        key = (c.tag, c.get("class"))
                        kinds[key] = kinds.get(key, 0) + 1
                if kinds.get((node.tag, node.get("class")), 0) >= CARD_REPEAT:
                    text = _length(text_content(node))
                    if text >= 500:
                        break
                    if text > 0:
                        link, anchor = -1, None  # the first of the longest links
                        for x in node.iter("a"):
                            length = link_of(x)
                            if length > link:
                                link, anchor = length, x
                        if link >= 15 and link * 5 >= text and _stands_alone(anchor, link):
                            found.append(node)
            node = parent
    return found


#: Attribute set on the chrome found inside the chosen container (removed by :func:`prune`).
MARK = "data-archiver-chrome"


def _kind(block, length: int, links: int) -> tuple[int, int]:
    """(good, bad) characters of one block, its classes aside."""
    if links > length * 0.5:
        return 0, length
    if block.tag in HEADINGS:
        return 0, links
    if length >= 25 or (length >= 10 and _PUNCT.search(text_content(block))):
        return length - links, 0
    return 0, links


def _sum_up(bottom_up: list, parent_of: dict, own: dict) -> dict:
    """Each element's figure summed with its descendants' (``bottom_up``: deepest first)."""
    total = dict(own)
    for el in bottom_up:
        value = total.get(el)
        parent = parent_of[el]
        if value and parent is not None:
            total[parent] = total.get(parent, 0) + value
    return total


def find_body(tree) -> BodyBlock | None:
    """The element holding the article text, with the figures the caller needs to tell
    an article from a list page; None when the page has no text at all.

    Two passes: the paragraph text under each element, classes aside; then the same
    with the text under furniture (a chrome class or tag) counted as bad, unless that
    element holds at least :data:`DENSE_SHARE` of the page's paragraph text (the
    article's own container, whatever its CSS calls it)."""
    body = tree.find("body")
    if body is None:
        return None
    kinds = []
    page_links = page_text = 0
    depth: dict = {}  # every block and ancestor, in the order first met (block, then up)
    parent_of: dict = {}
    own_good: dict = {}
    for block, (length, links) in _blocks(body).items():
        page_links += links
        page_text += length
        good, bad = _kind(block, length, links)
        kinds.append((block, good, bad, length))
        if good:
            own_good[block] = own_good.get(block, 0) + good
        if block in depth:
            continue
        node = block.getparent()
        if node is not None and (top := depth.get(node)) is not None:  # most blocks: the parent is known
            depth[block] = top + 1
            parent_of[block] = node
            continue
        new = [block]
        while node is not None and node not in depth:
            new.append(node)
            node = node.getparent()
        top = depth[node] if node is not None else 0
        for i, el in enumerate(new):
            depth[el] = top + len(new) - i
            parent_of[el] = new[i + 1] if i + 1 < len(new) else node
    if not kinds:
        return None
    bottom_up = sorted(depth, key=depth.__getitem__, reverse=True)
    raw = _sum_up(bottom_up, parent_of, own_good)
    dense = DENSE_SHARE * raw.get(body, 0)
    furniture: dict = dict.fromkeys(_cards(body), True)
    furnished: dict = {}  # node -> is_furniture(node), read once

    def is_furnished(node) -> bool:
        known = furnished.get(node)
        if known is None:
            known = furnished[node] = is_furniture(node)
        return known

    under: dict = {}  # the node or an ancestor is furniture: top down, parents first
    for node in reversed(bottom_up):
        parent = parent_of[node]
        if parent is not None and under[parent]:
            under[node] = True
            continue
        known = furniture.get(node)  # the node is furniture (a card, or chrome and not dense)
        if known is None:
            known = furniture[node] = is_furnished(node) and raw.get(node, 0) < dense
        under[node] = known

    goods: dict = {}
    bads: dict = {}
    for block, good, bad, length in kinds:
        if under[block]:
            good, bad = 0, length
        goods[block] = goods.get(block, 0) + good
        bads[block] = bads.get(block, 0) + bad
    for el in bottom_up:  # _sum_up of both in one pass
        parent = parent_of[el]
        if parent is not None:
            value = goods.get(el)
            if value:
                goods[parent] = goods.get(parent, 0) + value
            value = bads.get(el)
            if value:
                bads[parent] = bads.get(parent, 0) + value
    scores = {el: goods.get(el, 0) - bads.get(el, 0) for el in depth}  # good − bad
    best = _with_siblings(max(scores, key=lambda el: (scores[el], depth[el])), scores)
    inner = DENSE_SHARE * raw.get(best, 0)
    for el in best.iterdescendants(etree.Element):  # elements only: no comments or PIs
        if (furniture.get(el) or is_furnished(el)) and raw.get(el, 0) < inner:
            el.set(MARK, "1")
    return BodyBlock(best, goods.get(best, 0), page_links, page_text)


#: Like siblings must add at least this share of the chosen element's score to be joined.
SIBLING_SHARE = 0.25


def _with_siblings(best, scores: dict):  # scores: element -> good − bad
    """The chosen element, or the parent that joins it with its like siblings: an article
    cut into several sections of one tag and class (around a sign-in box, a video, an ad),
    each read alone. The parent's other children that score nothing become chrome. Never
    across ``<article>`` elements or a sibling with its own ``<h1>`` (the next story)."""
    node = best
    while True:
        parent = node.getparent()
        if parent is None or parent.tag in ("body", "html") or node.tag == "article":
            return best
        kind = (node.tag, node.get("class"))
        like = [
            c
            for c in parent
            if c is not node
            and (c.tag, c.get("class")) == kind
            and c in scores
            and scores[c] > 0
            and not _holds(c, "h1")
        ]
        if not like:
            if scores.get(parent) is None or scores[parent] < scores[node]:
                return best
            node = parent  # a wrapper of the chosen element: look one level up
            continue
        if sum(scores[c] for c in like) < SIBLING_SHARE * scores[best]:
            return best
        for child in parent:
            if child is node or child in like or not isinstance(child.tag, str):
                continue
            if child not in scores or scores[child] <= 0:
                child.set(MARK, "1")
        return parent


class _KeptBlocks:
    """The blocks of the body's copy as :func:`_blocks` lists them (in its order), kept
    across drops instead of walked again: prune, :func:`_trim_ends`, the standfirst and
    :func:`follow_guide` each read them after a few drops.

    A drop (:func:`_drop`, which notes each one while :data:`_KEEPING` holds this) takes
    away the blocks inside the dropped element and moves its tail to the text just before
    it, in the same block and in the same place among the blocks left: so the blocks after
    drops of non-inline elements are the ones before, less those no longer inside the copy.
    A dropped inline element takes text from its block (which may be left with none, or
    first met later): then the copy is walked again."""

    def __init__(self) -> None:
        self.element: Any = None
        self.keys: list = []
        self.drops: list = []

    def start(self, element, blocks: dict) -> None:
        self.element, self.keys, self.drops = element, list(blocks), []

    def dropped(self, el) -> None:
        if self.element is not None:
            self.drops.append(el)

    def blocks(self) -> list:
        """The blocks of the copy now, as ``list(_blocks(element))`` would read them."""
        element = self.element
        if not self.drops:
            return self.keys
        if element.tag in INLINE or any(el.tag in INLINE for el in self.drops):
            self.keys = list(_blocks(element))
        else:
            inside: dict = {element: True}  # node -> still inside the copy
            keys = []
            for block in self.keys:
                path = []
                node = block
                while node is not None and (known := inside.get(node)) is None:
                    path.append(node)
                    node = node.getparent()
                if node is None:
                    known = False
                for el in path:
                    inside[el] = known
                if known:
                    keys.append(block)
            self.keys = keys
        self.drops = []
        return self.keys


#: The blocks kept while the body's copy is cut (see :class:`_KeptBlocks`): one per thread.
_KEEPING = threading.local()


def _drop(el) -> None:
    parent = el.getparent()
    if parent is None:
        return
    kept = getattr(_KEEPING, "blocks", None)
    if kept is not None:
        kept.dropped(el)
    prev = el.getprevious()
    if el.tail:
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


#: A picture's credit line printed alone ("Photo: AFP", "(Image: Getty)", "Foto: dpa",
#: "Bildrechte: MDR", "© Rolf Zoellner/imago").
CREDIT = re.compile(
    r"^[(（\[]?\s*(?:(?:photo|image|picture|foto|bild|bildquelle|bildrechte|quelle|credit|fuente|crédito|crédit)s?"
    r"(?:\s+credit)?\s*[:：]|©)",
    re.I,
)
CREDIT_MAX = 80
#: Interface lines printed alone: relative times, reading times, button and label words.
INTERFACE = re.compile(
    r"^(?:\d+\s*(?:secs?|seconds?|mins?|minutes?|hrs?|hours?|days?)\s+ago(?:\b|(?-i:(?=[A-Z0-9]))).{0,40}"
    r"|(?:vor\s+)?\d+\s*(?:Min\.?|Minuten|Stunden?)(?:\s+Lesezeit)?|Lesedauer\s*:?\s*\d+\s*Min\.?"
    r"|\d+\s*min(?:ute)?s?\s+read|Lesezeit\s*:?\s*\d+\s*Min(?:uten|\.)?"
    r"|Share|Teilen|Close|Schließen|Advertisement|Anzeige|Publicité|Publicidad|Werbung|Video|Audio"
    r"|About the author|Über den Autor|Mehr Infos|Fehler gefunden\?.{0,20})\s*$",
    re.I,
)
INTERFACE_MAX = 60


def is_boilerplate(text: str) -> bool:
    text = squash(text)
    return bool(text) and (
        (len(text) <= BOILERPLATE_MAX and bool(BOILERPLATE.match(text) or BOILERPLATE_ANYWHERE.search(text)))
        or (len(text) <= CREDIT_MAX and bool(CREDIT.match(text)))
        or (len(text) <= INTERFACE_MAX and bool(INTERFACE.match(text)))
    )


def _small(value) -> bool:
    return bool(value) and value.isdigit() and int(value) <= ICON_MAX


def _has_picture(block) -> bool:
    """True when ``block`` holds an image that is not an icon (both sides declared ≤ 40 px)."""
    return any(not (_small(img.get("width")) and _small(img.get("height"))) for img in block.iter("img"))


#: Largest declared side of an image that is an icon, not a picture of the article.
ICON_MAX = 40


#: Whole class names that hide text from the eye and leave it to screen readers or to
#: scripts ("Article content", "Advertisement 1", "Box aufklappen"): interface lines.
OFFSCREEN = frozenset(
    [
        "sr-only",
        "visually-hidden",
        "visuallyhidden",
        "screen-reader-text",
        "screen-reader-only",
        "screenreader-only",
        "show-for-sr",
        "element-invisible",
        "offscreen",
        "h-offscreen",
        "u-visually-hidden",
        "a11y-hidden",
        "hidden",
        "is-hidden",
    ]
)
#: Longest text of an off-screen element that is dropped (a longer one may be the article
#: held back for a script to reveal).
OFFSCREEN_MAX = 80


def _is_offscreen(el) -> bool:
    cls = el.get("class")
    if not cls or not _names_offscreen(cls):
        return False
    return _length(text_content(el)) <= OFFSCREEN_MAX


@lru_cache(maxsize=8192)
def _names_offscreen(cls: str) -> bool:
    return bool(OFFSCREEN.intersection(cls.lower().split()))


#: Longest heading or label left over a removed list of links ("Mehr zum Thema", "Most Popular").
LABEL_MAX = 40
_LABEL_PUNCT = re.compile(r"[，。；！？,.;!?…]")


def _is_blank(el) -> bool:
    """A comment, or an element with neither text nor a picture (a separator line)."""
    return not isinstance(el.tag, str) or (not _length(text_content(el)) and not _holds(el, "img"))


def _before(el, text: int):
    """The element just before ``el``, past blank separators; when ``el`` is all there is
    of its parent (a list in its own wrapper), the one before the parent."""
    node = el
    while True:
        prev = node.getprevious()
        while prev is not None and _is_blank(prev):
            prev = prev.getprevious()
        parent = node.getparent()
        if prev is not None or parent is None or _length(text_content(parent)) != text:
            return prev
        node = parent


def _drop_list(el) -> None:
    """Drop ``el``; when it was a list of links (related stories, most read), drop the
    heading or label just before it too: it announced the list, not the article."""
    text = _length(text_content(el))
    links = sum(_length(text_content(a)) for a in el.iter("a")) if text >= 30 else 0
    prev = _before(el, text) if links * 2 >= text >= 30 else None
    _drop(el)
    if prev is None:
        return
    if prev.tag == "p" or _holds(prev, "img"):
        return
    label = squash(text_content(prev))
    if label and len(label) <= LABEL_MAX and not _LABEL_PUNCT.search(label):
        _drop(prev)


#: First parts of class names of a picture gallery (a carousel of photos, each with its caption).
GALLERY = frozenset(["carousel", "slideshow", "swiper", "flickity"])


@lru_cache(maxsize=8192)
def _names_gallery(cls: str) -> bool:
    """A class value whose names include a gallery's (:data:`GALLERY`, as their first part)."""
    return any(_parts(n)[:1] and _parts(n)[0] in GALLERY for n in cls.split())


def _gallery_text(element) -> None:
    """Keep a gallery's pictures, drop its text (repeated captions, "2 of 12" counters,
    buttons): unless the gallery holds half the body's text (then it is the article)."""
    whole = None  # the body's text before any drop: read at the first gallery, before its drops
    for el in list(element.iter(etree.Element)):
        cls = el.get("class")  # most elements have none: read before the parent
        if not cls or el is element or el.getparent() is None or not _names_gallery(cls):
            continue
        if not _holds(el, "img"):
            continue
        if whole is None:
            whole = _length(text_content(element))
        if _length(text_content(el)) * 2 >= whole:
            continue
        for block in list(_blocks(el)):
            if block.getparent() is not None and not _has_picture(block):
                _drop(block)


def prune(element, title: str = "", titles: tuple = (), kept: _KeptBlocks | None = None) -> None:
    """Remove chrome, link lists, the headline and boilerplate lines from ``element`` (in place);
    ``titles`` are the page's other wordings of its headline (see :func:`_is_headline`).
    ``kept``, when given, keeps the blocks from its walk for the steps after (see :class:`_KeptBlocks`)."""
    for el in list(element.iter(etree.Element)):  # elements only: no comments or PIs
        if el is element or el.getparent() is None:
            continue
        if el.get(MARK):
            _drop_list(el)
        elif el.tag in SKIP or is_hidden(el) or _is_offscreen(el):
            _drop(el)
    for el in list(element.iter("form")):  # a dense form (ASP.NET's page-wide one): its content stays
        if el is not element:
            drop_tag(el)
    title_key = re.sub(r"\s+", "", title)
    found = _blocks(element)
    if kept is not None:
        kept.start(element, found)
    for block, (length, links) in list(found.items()):
        if block is element or block.getparent() is None:
            continue
        if block.tag in ("ul", "ol", "dl") or (length and links > length * 0.6 and not _holds(block, "img")):
            if links > length * 0.6:
                _drop_list(block)
                continue
        if length > max(BOILERPLATE_MAX, len(title) + 10):  # neither the headline nor a credit line
            continue
        text = squash(text_content(block))
        key = re.sub(r"\s+", "", text)
        if (key and key == title_key) or (is_boilerplate(text) and not _has_picture(block)):
            _drop(block)
    _gallery_text(element)
    _trim_ends(element, titles, kept)
    for el in list(element.iter("ul", "ol")):  # link lists: related stories inside the body
        text = squash(text_content(el))
        links = sum(len(squash(text_content(a))) for a in el.iter("a"))
        if text and links > len(text) * 0.6 and el.getparent() is not None:
            _drop_list(el)


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


_TOKEN = re.compile(r"\w+")
#: Least share of the shorter wording's words that a heading above the article's first
#: paragraph shares with one of the page's titles to be its headline (a kicker added, a
#: word changed), and the least words of either.
HEADLINE_SHARE = 0.8
HEADLINE_WORDS = 3


#: A byline printed alone ("Von t-online, jse", "By Jane Doe and John Roe").
_BYLINE_LINE = re.compile(r"^(?:von|by|par|por|di|av|af|door)\s+\S", re.I)


def _is_headline(block, text: str, titles: tuple) -> bool:
    """An ``<h1>``, or a heading worded like one of ``titles``: the page's headline (with
    its kicker), already the post's title."""
    if block.tag == "h1":
        return True
    if block.tag not in HEADINGS:
        return False
    got = set(_TOKEN.findall(text.replace("\xad", "").lower()))
    for title in titles:
        want = set(_TOKEN.findall(title.replace("\xad", "").lower()))
        least = min(len(got), len(want))
        if least >= HEADLINE_WORDS and len(got & want) >= HEADLINE_SHARE * least:
            return True
    return False


def _trim_ends(element, titles: tuple = (), kept: _KeptBlocks | None = None) -> None:
    """Drop the header bits left above the first paragraph (the headline, topline, date
    line, byline in ``div``/``span``) and headings left at the end with nothing under them."""
    keys = kept.blocks() if kept is not None else _blocks(element)
    blocks = [b for b in keys if b is not element and b.getparent() is not None]
    gone: set = set()
    for block in blocks:
        if gone and any(a in gone for a in block.iterancestors()):
            continue  # inside a headline dropped whole
        text = squash(text_content(block))
        if len(text) < 80 and _in_meta(block, element) and not _holds(block, "img"):
            _drop(block)
            continue
        if (
            _is_headline(block, text, titles) or (len(text) < 60 and _BYLINE_LINE.match(text))
        ) and not _holds(block, "img"):
            gone.add(block)
            _drop(block)
            continue
        if block.tag in HEADINGS or (block.tag == "p" and not _CLOCK.search(text)) or len(text) >= 60:
            break
        if _is_paragraph(block, text) and not _CLOCK.search(text):
            break
        if not _holds(block, "img"):
            _drop(block)
    for block in reversed(blocks):
        if block.getparent() is None:
            continue
        text = squash(text_content(block))
        if block.tag in HEADINGS or (len(text) <= 20 and not _PUNCT.search(text) and block.tag != "p"):
            if not _holds(block, "img"):
                _drop(block)
            continue
        break


_NON_WORD = re.compile(r"\W+")
#: Characters of a block's start (and end) looked up in the page's declared article text.
GUIDE_KEY = 60
#: Least share of the body's text, and of the declared text, that must match before the
#: declared text is trusted to tell the article's blocks from the rest.
GUIDE_AGREES = 0.6


def _key(text: str) -> str:
    return _NON_WORD.sub("", text).lower()


def follow_guide(element, guide: str, kept: _KeptBlocks | None = None) -> None:
    """Drop the text blocks of ``element`` that the page's own declared article text
    (JSON-LD ``articleBody``) does not hold: captions, credits, interface lines, teasers.
    Only when the two mostly agree; headings and blocks with pictures stay."""
    want = _key(guide)
    if len(want) < 200:
        return
    verdicts = []
    found = total = 0
    for block in kept.blocks() if kept is not None else _blocks(element):
        if block is element:
            continue
        key = _key(text_content(block))
        if not key:
            continue
        ok = key[:GUIDE_KEY] in want or key[-GUIDE_KEY:] in want
        verdicts.append((block, ok))
        total += len(key)
        found += len(key) if ok else 0
    if not total or found < GUIDE_AGREES * total or found < GUIDE_AGREES * len(want):
        return
    for block, ok in verdicts:
        if ok or block.getparent() is None or block.tag in HEADINGS or _has_picture(block):
            continue
        if any(child.tag in HEADINGS for child in block.iter()):
            continue
        _drop(block)


#: The declared article text replaces a body read from the page that is this many times
#: shorter (a paywalled page that prints its start and declares the whole).
DECLARED_OVER = 3
DECLARED_MIN = 1000


def declared_body(guide: str, body_text: str) -> str:
    """The declared article text as paragraphs when the body read from the page holds only
    a small part of it; else ""."""
    text = guide.strip()
    if len(text) < DECLARED_MIN or len(text) < DECLARED_OVER * len(squash(body_text)):
        return ""
    if "<" in text:  # markup in the declared text: not safe to trust as plain text
        return ""
    paragraphs = [squash(p) for p in re.split(r"\n\s*", text) if squash(p)]
    return "".join(f"<p>{escape(p)}</p>" for p in paragraphs)


#: The parser of the body's copy: plain lxml elements, as :func:`~archiver.extract.dom.parse_html`'s
#: (``lxml.html``'s parser calls a Python class lookup for every element the walks touch).
_COPY_PARSER = etree.HTMLParser()


def _copy(element):
    """A copy of ``element`` parsed again from its HTML (as ``lxml.html.fromstring`` does),
    in plain lxml elements: by a C-level deep copy where that gives the same tree (the
    page is as parsed but for :data:`MARK`; see
    :func:`~archiver.extract.dom.copy_as_reparsed`), which costs half the round trip."""
    copy = copy_as_reparsed(element)
    if copy is None:
        return lxml.html.fromstring(lxml.html.tostring(element, encoding="unicode"), parser=_COPY_PARSER)
    copy.tail = element.tail  # the round trip keeps a blank tail (a non-blank one takes it)
    return copy


def body_html(
    found: BodyBlock,
    base: str,
    title: str = "",
    ads: list | None = None,
    guide: str = "",
    description: str = "",
    titles: tuple = (),
) -> tuple[str, list[str]]:
    """The article body's inner HTML (safe, absolute links) and its image URLs; the ads
    removed from it are appended to ``ads`` (see :func:`~archiver.extract.dom.clean_body`).
    ``guide`` is the page's declared article text, if any (see :func:`follow_guide`);
    ``description`` its meta description (its standfirst is left out: the post's lead);
    ``titles`` its other wordings of the headline (left out above the first paragraph)."""
    element = _copy(found.element)
    for box in widget_boxes(element):  # before prune: a checkbox may be visually hidden
        if not _has_picture(box):
            _drop(box)
    kept = _KeptBlocks()
    _KEEPING.blocks = kept
    try:
        prune(element, title, titles, kept)
        if description and (lead := standfirst(element, description, kept.blocks())) is not None:
            _drop(lead)
        if guide:
            follow_guide(element, guide, kept)
    finally:
        _KEEPING.blocks = None
    # the copy is as parsed but for the drops above, which only take elements away or
    # unwrap them: clean_body's checks read the tree as it is now (see as_parsed)
    return clean_body(element, base, frozenset(), ads, as_parsed=True)
