"""Markup helpers shared by the site parsers: text, metadata, lazy images, body cleaning.

Everything here is a pure function of an lxml tree.
"""

from __future__ import annotations

import re
from copy import deepcopy
from functools import lru_cache
from urllib.parse import urljoin

import lxml.html
from lxml import etree
from lxml.cssselect import CSSSelector

from archiver.extract.ads import RemovedAd, remove_ads
from archiver.extract.text import remove_keeping_tail, squash
from archiver.render.safety import DROP_TAGS, KEEP_ATTRS, VOID_TAGS, is_safe_url

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*>", re.I)
#: Lazy-loading attributes, most specific first; ``src`` is the last resort.
LAZY_ATTRS = ("data-src", "data-original", "data-lazy-src", "data-actualsrc", "data-url")


#: libxml2's default limit: a page nested deeper loses everything below it, unless it is
#: parsed again with libxml2's huge-tree option, whose limit is :data:`HUGE_DEPTH`.
MAX_DEPTH = 256
HUGE_DEPTH = 2048
#: A page nested deeper than :data:`MAX_DEPTH` is parsed again whole, and the wrappers below
#: this depth are unwrapped (their text and children stay): what reads the tree recurses.
FLAT_DEPTH = 200

_PARSER = etree.HTMLParser()
_HUGE_PARSER = etree.HTMLParser(huge_tree=True)
_lost_depth = False  # the last parse_html lost what lies below HUGE_DEPTH


def nested_too_deep(tree) -> bool:
    """True when the page :func:`parse_html` last read (``tree``) is nested deeper than
    :data:`HUGE_DEPTH`: libxml2 stopped building it there, and the rest is lost."""
    return _lost_depth


def _excessive(parser) -> bool:
    """libxml2 stopped at its depth limit (a fatal error: the few fatal ones are read, not
    every warning of a sloppy page)."""
    return any("Excessive depth" in e.message for e in parser.error_log.filter_from_fatals())


def parse_html(html: str) -> etree._Element:
    """The page as an lxml tree (an XML declaration in a str is dropped: lxml refuses it).

    Plain ``lxml.etree`` elements, not ``lxml.html``'s: the same tree from the same
    parser, without a Python class lookup for every element the parsers touch (about a
    third of the cost of walking a page). Use :func:`text_content` and :func:`first`
    for what ``HtmlElement`` has as methods.

    A page nested deeper than :data:`MAX_DEPTH` (wrappers a template never closes, or
    worse) is read whole up to :data:`HUGE_DEPTH` and flattened to :data:`FLAT_DEPTH`
    (:func:`flatten`); :func:`nested_too_deep` tells when even that lost some of it.
    """
    global _lost_depth
    html = _XML_DECL.sub("", html, count=1)
    if not html.strip():
        raise ValueError("empty document")
    tree = etree.HTML(html, _PARSER)
    if tree is None:
        raise etree.ParserError("Document is empty")
    _lost_depth = False
    if _excessive(_PARSER):  # rare: only such pages pay the second parse
        tree = etree.HTML(html, _HUGE_PARSER)
        if tree is None:
            raise etree.ParserError("Document is empty")
        _lost_depth = _excessive(_HUGE_PARSER)
        flatten(tree, FLAT_DEPTH)
    _after_body_into_body(tree)
    return tree


def flatten(tree, limit: int) -> None:
    """Unwrap elements below ``limit`` levels (their text and children take their
    place, in order), least telling first, until the page is shallow enough: those that
    only wrap one element (a chain of wrappers a template never closes), then those
    without attributes that hold elements, then, below :data:`MAX_DEPTH` less a margin,
    any that holds elements. The page's own classes stay for the choice of the body
    wherever they can. Iterative: no recursion at any depth."""
    for floor, kind in ((limit, "chain"), (limit, "anonymous"), (MAX_DEPTH - 6, "any")):
        depth: dict = {}
        wrappers = []
        for el in tree.iter():
            parent = el.getparent()
            level = depth[parent] + 1 if parent is not None else 0
            depth[el] = level
            if level > floor and len(el) and _unwraps(el, kind):
                wrappers.append(el)
        for el in wrappers:
            drop_tag(el)


def _unwraps(el, kind: str) -> bool:
    if kind == "chain":
        return len(el) == 1 and not (el.text and el.text.strip()) and not (el[0].tail and el[0].tail.strip())
    return kind == "any" or not el.attrib


def _after_body_into_body(tree) -> None:
    """Put what follows a stray ``</body>`` or ``</html>`` into the body, as an HTML5
    parser does ("after body": the content goes on in the body). libxml2 leaves it
    where nothing that reads the body sees it: beside ``<body>``, or in a second
    ``<html>`` after the first. Pages assembled from includes often close the header's
    ``</html>`` before the article."""
    body = tree.find("body")
    if body is None:
        return
    moved = list(body.itersiblings())
    for extra in list(tree.itersiblings()):  # a second <html> (or more) beside the root
        if isinstance(extra.tag, str):
            inner = extra.find("body")
            holder = inner if inner is not None else extra
            if holder.text and holder.text.strip():
                _append_text(body, moved, holder.text)
            moved += [el for el in holder if el.tag != "head"]
    tail = body.tail
    if not moved and not (tail and tail.strip()):
        return  # the usual page: nothing after the body
    body.tail = None
    if tail and tail.strip():
        _append_text(body, [], tail)
    for el in moved:
        body.append(el)  # with its tail; a second <html> is left empty


def _append_text(body, pending: list, text: str) -> None:
    """``text`` after the body's content so far (and after ``pending``, to be appended)."""
    last = pending[-1] if pending else (body[-1] if len(body) else None)
    if last is None:
        body.text = (body.text or "") + text
    else:
        last.tail = (last.tail or "") + text


def text_content(el) -> str:
    """``HtmlElement.text_content()`` for any element: the text of it and its descendants.

    The same string as XPath's ``string()`` (both are libxml2's node content), about four
    times cheaper on a small element: no XPath context is set up for each call."""
    return etree.tostring(el, method="text", encoding="unicode", with_tail=False)


def text_of(el) -> str:
    if el is None:
        return ""
    return squash(text_content(el))


def select(tree, css: str) -> list:
    """``tree.cssselect(css)`` for any lxml element."""
    return _compiled(css)(tree)


def first(tree, css: str):
    found = select(tree, css)
    return found[0] if found else None


_CLASS_WS = re.compile(r"[ \t\r\n]+")  # what XPath's normalize-space() collapses
_COMPOUND = re.compile(r"^([a-z][a-z0-9]*)?(?:\.([A-Za-z_][\w-]*))?$")


@lru_cache(maxsize=256)
def _compiled(css: str) -> CSSSelector:
    return CSSSelector(css, translator="html")


def _steps(css: str) -> list[tuple[str | None, str | None]] | None:
    """``div.a span.b a`` -> [("div", "a"), ("span", "b"), ("a", None)]; None for any
    other selector (those go to cssselect)."""
    steps = []
    for part in css.split():
        match = _COMPOUND.match(part)
        if not match or not (match[1] or match[2]):
            return None
        steps.append((match[1], match[2]))
    return steps or None


class PageIndex:
    """One pass over a page, then the selectors a parser asks for without one XPath scan
    of the whole page each (a scan of a 90 KB page costs about 0.2 ms, and a parser asks
    ten or more). Results are exactly those of ``tree.cssselect(css)``, in document
    order; selectors other than descendant chains of ``tag``, ``.class`` and
    ``tag.class`` are handed to cssselect."""

    def __init__(self, tree):
        self.tree = tree
        by_class: dict[str, list] = {}
        publish_time: list = []
        for el in tree.iter(etree.Element):
            cls = el.get("class")
            if cls:
                if " " in cls or "\t" in cls or "\n" in cls or "\r" in cls:
                    for token in dict.fromkeys(_CLASS_WS.split(cls)):
                        if token:
                            by_class.setdefault(token, []).append(el)
                else:  # one class name (most elements): no split
                    by_class.setdefault(cls, []).append(el)
            if el.get("data-article-publish-time") is not None:
                publish_time.append(el)
        self.by_class = by_class
        self.publish_time = publish_time
        # libxml2 finds the few <meta> and <link> itself: no tag read per element in Python
        self.metas: list = []
        self.links: list = []
        for el in tree.iter("meta", "link"):
            (self.metas if el.tag == "meta" else self.links).append(el)

    @staticmethod
    def _matches(el, tag: str | None, cls: str | None) -> bool:
        if tag is not None and el.tag != tag:
            return False
        return cls is None or cls in _CLASS_WS.split(el.get("class") or "")

    @staticmethod
    def _outermost(roots: list) -> list:
        """Roots (in document order) not inside an earlier root: their subtrees do not
        overlap, so their descendants, concatenated, are in document order."""
        if len(roots) < 2:
            return roots
        kept, seen = [], set()
        for root in roots:
            if not any(a in seen for a in root.iterancestors()):
                kept.append(root)
                seen.add(root)
        return kept

    def select(self, css: str) -> list:
        steps = _steps(css)
        if steps is None:
            return _compiled(css)(self.tree)
        tag, cls = steps[0]
        if cls is not None:
            found = [el for el in self.by_class.get(cls, ()) if tag is None or el.tag == tag]
        else:
            found = list(self.tree.iter(tag))
        for tag, cls in steps[1:]:
            found = [
                el
                for root in self._outermost(found)
                for el in (root.iterdescendants(tag) if tag else root.iterdescendants(etree.Element))
                if cls is None or self._matches(el, None, cls)
            ]
        return found

    def first(self, css: str):
        found = self.select(css)
        return found[0] if found else None

    def has_class(self, *classes: str) -> bool:
        return any(self.by_class.get(name) for name in classes)

    def meta(self, *names: str) -> str:
        """As :func:`meta`."""
        for name in names:
            for el in self.metas:
                if name in (el.get("name"), el.get("property"), el.get("itemprop")):
                    value = squash(el.get("content"))
                    if value:
                        return value
        return ""

    def canonical_link(self) -> str:
        """As :func:`canonical_link`."""
        for el in self.links:
            if el.get("rel") == "canonical" and el.get("href") is not None:
                return el.get("href").strip()
        return ""


def meta(tree, *names: str) -> str:
    """The first non-empty ``<meta name|property=…>`` content among ``names``."""
    metas = [
        (el.get("name"), el.get("property"), el.get("itemprop"), el)
        for el in tree.getroottree().getroot().iter("meta")  # the whole page, as ``//meta``
    ]
    for name in names:
        for attrs in metas:
            if name in attrs[:3]:
                value = squash(attrs[3].get("content"))
                if value:
                    return value
    return ""


def canonical_link(tree) -> str:
    for el in tree.getroottree().getroot().iter("link"):  # //link[@rel='canonical'][@href], in C
        if el.get("rel") == "canonical" and el.get("href") is not None:
            return el.get("href").strip()
    return ""


def absolute(url: str | None, base: str) -> str:
    """``url`` resolved against ``base`` (protocol-relative included); "" when unsafe."""
    url = (url or "").strip()
    if not url or url.startswith("#"):
        return ""
    full = urljoin(base, url)
    return full if is_safe_url(full) else ""


def _largest_from_srcset(srcset: str) -> str:
    best, best_size = "", -1.0
    for part in srcset.split(","):
        bits = part.split()
        if not bits:
            continue
        size = 0.0
        if len(bits) > 1:
            try:
                size = float(bits[1].rstrip("wxWX"))
            except ValueError:
                size = 0.0
        if size > best_size:
            best, best_size = bits[0], size
    return best


def image_url(img, base: str) -> str:
    """The real URL of an ``<img>``: lazy attributes, then ``srcset``, then ``src``."""
    for attr in LAZY_ATTRS:
        url = absolute(img.get(attr), base)
        if url:
            return url
    for attr in ("data-srcset", "srcset"):
        if img.get(attr):
            url = absolute(_largest_from_srcset(img.get(attr)), base)
            if url:
                return url
    return absolute(img.get("src"), base)


def has_class(tree, *classes: str) -> bool:
    return any(select(tree, "." + name) for name in classes)


def _class_tokens(el) -> set[str]:
    return set((el.get("class") or "").lower().split()) | {(el.get("id") or "").lower()}


#: A URL attribute value that libxml2's HTML serialiser writes unchanged (it escapes
#: blanks and non-ASCII in href and src, and older versions more): only such values
#: survive a serialise-and-parse as they are.
_PLAIN_URL = re.compile(r"[A-Za-z0-9\-_.!~*'()@/:=?;#%&,+]*")
#: Elements whose text or place a serialise-and-parse may change (raw text, the
#: document's own structure): a body holding one is copied the slow way.
_REPARSE_CHANGES = frozenset(
    ["html", "head", "body", "title", "textarea", "xmp", "plaintext", "noembed", "noframes", "listing"]
)

#: libxml2's auto-closing: a start tag (key) closes an open element of these tags, so a
#: child of one of them is moved out of it when the serialised tree is parsed again.
#: (Checked against the installed libxml2 by tests/unit/test_clean_body_copy.py.)
REPARSE_CLOSES: dict[str, frozenset[str]] = {
    "a": frozenset(["a"]),
    "address": frozenset(["p", "ul"]),
    "blockquote": frozenset(["p"]),
    "caption": frozenset(["p"]),
    "center": frozenset(["b", "font", "i", "p"]),
    "col": frozenset(["caption", "p"]),
    "colgroup": frozenset(["caption", "colgroup", "p"]),
    "dd": frozenset(["address", "dir", "dt", "listing", "menu", "p", "pre"]),
    "dir": frozenset(["p"]),
    "div": frozenset(["p"]),
    "dl": frozenset(["address", "dir", "dt", "listing", "menu", "p", "pre"]),
    "dt": frozenset(["address", "dd", "dir", "listing", "menu", "p", "pre"]),
    "fieldset": frozenset(["a", "h1", "h2", "h3", "h4", "h5", "h6", "legend", "listing", "p", "pre"]),
    "form": frozenset(
        [
            "address",
            "dir",
            "dl",
            "form",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "listing",
            "menu",
            "ol",
            "p",
            "pre",
            "ul",
        ]
    ),
    "frameset": frozenset(["p"]),
    "h1": frozenset(["p"]),
    "h2": frozenset(["p"]),
    "h3": frozenset(["p"]),
    "h4": frozenset(["p"]),
    "h5": frozenset(["p"]),
    "h6": frozenset(["p"]),
    "hr": frozenset(["p"]),
    "li": frozenset(["address", "dl", "h1", "h2", "h3", "h4", "h5", "h6", "li", "listing", "p", "pre"]),
    "listing": frozenset(["p"]),
    "menu": frozenset(["p", "ul"]),
    "ol": frozenset(["p"]),
    "optgroup": frozenset(["option"]),
    "option": frozenset(["option"]),
    "p": frozenset(
        ["b", "big", "h1", "h2", "h3", "h4", "h5", "h6", "i", "p", "s", "small", "strike", "tt", "u"]
    ),
    "pre": frozenset(["p", "ul"]),
    "table": frozenset(["a", "h1", "h2", "h3", "h4", "h5", "h6", "listing", "p", "pre"]),
    "tbody": frozenset(["caption", "colgroup", "p", "tbody", "td", "tfoot", "th", "thead", "tr"]),
    "td": frozenset(["a", "b", "font", "i", "p", "span", "td", "th", "u"]),
    "tfoot": frozenset(["caption", "colgroup", "p", "tbody", "td", "th", "thead", "tr"]),
    "th": frozenset(["a", "b", "font", "i", "p", "span", "td", "th", "u"]),
    "thead": frozenset(["caption", "colgroup"]),
    "title": frozenset(["p"]),
    "tr": frozenset(["caption", "colgroup", "p", "td", "th", "tr"]),
    "ul": frozenset(["address", "dir", "listing", "menu", "p", "pre"]),
    "xmp": frozenset(["p"]),
}
#: Elements the serialiser writes without an end tag when they are empty.
REPARSE_OPEN_WHEN_EMPTY = frozenset(["li"])
#: libxml2's void elements: written without content or end tag.
REPARSE_VOID = frozenset(
    [
        "area",
        "base",
        "basefont",
        "br",
        "col",
        "frame",
        "hr",
        "img",
        "input",
        "isindex",
        "link",
        "meta",
        "param",
    ]
)


#: libxml2's boolean attributes: the serialiser writes each as a bare name, whatever its
#: value, and the parser reads the bare name back as ``name="name"``.
BOOLEAN_ATTRS = (
    "checked",
    "compact",
    "declare",
    "defer",
    "disabled",
    "ismap",
    "multiple",
    "nohref",
    "noresize",
    "noshade",
    "nowrap",
    "readonly",
    "selected",
)
_BOOLEAN = frozenset(BOOLEAN_ATTRS)
_HAS_BOOLEAN = etree.XPath(".//*[%s]" % " or ".join("@" + name for name in BOOLEAN_ATTRS))


def copy_as_reparsed(body):
    """A copy of ``body`` (its tail left out): the same tree as serialising it and
    parsing it again, which is what :func:`clean_body` did, by a C-level deep copy (the
    serialise-and-parse cost about as much as the whole cleaning after it). None when
    the two could differ: a non-blank tail (the parse wraps the element), a URL that
    the serialiser escapes, an element parsed specially, a body of a dropped kind."""
    if not isinstance(body.tag, str) or body.tag in DROP_TAGS or (body.tail and body.tail.strip()):
        return None
    plain = _PLAIN_URL.fullmatch
    booleans = False
    for el in body.iter(etree.Element):
        tag = el.tag
        if tag in _REPARSE_CHANGES or (tag in REPARSE_VOID and (el.text or len(el))):
            return None
        closes = REPARSE_CLOSES.get(tag)
        if closes is not None and el is not body and el.getparent().tag in closes:
            return None
        if tag in REPARSE_OPEN_WHEN_EMPTY and not el.text and not len(el):
            if el.tail or el.getnext() is not None:  # what follows would be parsed into it
                return None
        names = el.keys()  # one call: most elements have no attribute that matters here
        if names:
            if "href" in names and not plain(el.get("href")):
                return None
            if "src" in names and not plain(el.get("src")):
                return None
            booleans = booleans or not _BOOLEAN.isdisjoint(names)
    copy = deepcopy(body)
    copy.tail = None
    if booleans:  # as the parser reads the bare name the serialiser writes
        for el in [copy, *_HAS_BOOLEAN(copy)]:
            for name in BOOLEAN_ATTRS:
                if el.get(name) is not None:
                    el.set(name, name)
    return copy


def drop_tag(el) -> None:
    """``HtmlElement.drop_tag()`` for any element: the tag goes, its text and children stay."""
    parent = el.getparent()
    previous = el.getprevious()
    if el.text:
        if previous is None:
            parent.text = (parent.text or "") + el.text
        else:
            previous.tail = (previous.tail or "") + el.text
    if el.tail:
        if len(el):
            last = el[-1]
            last.tail = (last.tail or "") + el.tail
        elif previous is None:
            parent.text = (parent.text or "") + el.tail
        else:
            previous.tail = (previous.tail or "") + el.tail
    index = parent.index(el)
    parent[index : index + 1] = el[:]


#: The parser of :func:`clean_body`'s copy: plain lxml elements, as :func:`parse_html`'s
#: (``lxml.html``'s parser runs a Python class lookup for every element the cleaning touches).
_COPY_PARSER = etree.HTMLParser()


def clean_body(
    body,
    base: str,
    chrome_classes: frozenset[str],
    ads: list[RemovedAd] | None = None,
    *,
    as_parsed: bool = False,
) -> tuple[str, list[str]]:
    """The body element's inner HTML cut to the article, and its image URLs in order.

    Removes active and embedded content, elements whose class or id is one of
    ``chrome_classes`` (related lists, share bars of the site), advertising in all its
    usual shapes (:func:`archiver.extract.ads.remove_ads`; what was removed is appended
    to ``ads``, and its images are not among the URLs returned), makes links and images
    absolute (lazy-loading attributes resolved) and drops all other attributes.

    ``body`` is left as it is: the cleaning works on a copy, the tree that serialising
    ``body`` and parsing it again gives. With ``as_parsed`` (``body`` is as the HTML
    parser built it, or changed since only by taking elements away or unwrapping them)
    that copy is made without the round trip whenever it gives the same tree
    (:func:`copy_as_reparsed`, whose checks read the tree as it is; after drops, a blank
    text the parse would have left out may be kept, which changes no visible text).
    """
    copy = copy_as_reparsed(body) if as_parsed else None
    if copy is None:
        copy = lxml.html.fromstring(lxml.html.tostring(body, encoding="unicode"), parser=_COPY_PARSER)
    body = copy
    for el in list(body.iter(etree.Comment, etree.ProcessingInstruction)):
        remove_keeping_tail(el)
    for el in list(body.iter(*DROP_TAGS)):
        if el.tag in VOID_TAGS:
            drop_tag(el)
        else:
            remove_keeping_tail(el)
    for el in list(body.iter()):
        if el is not body and isinstance(el.tag, str) and _class_tokens(el) & chrome_classes:
            remove_keeping_tail(el)
    removed = remove_ads(body)
    if ads is not None:
        ads.extend(removed)
    images: list[str] = []
    broken: list = []
    for el in body.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag == "img":
            src = image_url(el, base)
            if src:
                el.set("src", src)
                images.append(src)
        elif el.tag == "a":
            href = absolute(el.get("href"), base)
            if href:
                el.set("href", href)
            elif "href" in el.attrib:
                del el.attrib["href"]
        kept = {
            name: value
            for name, value in el.attrib.items()
            if name in KEEP_ATTRS and (name != "src" or el.tag == "img")
        }
        if len(kept) != len(el.attrib):  # clear() also copes with names lxml cannot address
            el.attrib.clear()
            el.attrib.update(kept)
        if el.tag == "img" and not el.get("src"):
            broken.append(el)
    for el in broken:
        remove_keeping_tail(el)
    inner = (body.text or "") + "".join(
        etree.tostring(child, method="html", encoding="unicode") for child in body
    )
    return inner.strip(), list(dict.fromkeys(images))


def body_fragment(body_html: str):
    """The body's HTML parsed in one ``<div>``; None when it is blank."""
    if not body_html or not body_html.strip():
        return None
    return lxml.html.fragment_fromstring(body_html, create_parent="div")


def has_content(body_html: str, fragment=None) -> bool:
    """True when the body holds visible text or an image (``fragment``: the body already
    parsed by :func:`body_fragment`, when the caller has it)."""
    if not body_html or not body_html.strip():
        return False
    if fragment is None:
        fragment = body_fragment(body_html)
    text = text_content(fragment)
    return bool(squash(text[:4000]) or squash(text)) or bool(fragment.xpath(".//img[@src]"))
