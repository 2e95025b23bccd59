"""clean_body(as_parsed=True) copies the body instead of serialising and parsing it again:
the cleaned HTML, the image URLs and the ads removed are exactly those of the round trip,
on every element of whole pages that a parser could take as the body, and on the shapes
where the round trip changes the tree (those take the round trip)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from lxml import etree

from archiver.demo.server import SITE
from archiver.extract import dom
from archiver.sites import jiemian

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
REAL = FIXTURES / "realpages" / "fundus-dev"
#: whole pages: the demo site's (both jiemian markups), and real pages of other outlets,
#: among them RheinischePost's, whose empty <li> the serialiser writes without its end tag
PAGES = (
    sorted(SITE.glob("article/*.html"))
    + sorted((FIXTURES / "generic").glob("*.html"))[:8]
    + [REAL / "de_RheinischePost_2024_04_21.html.gz"]
    + sorted(REAL.glob("*.html.gz"))[:3]
)
#: elements tried per page at most (spread over the page)
PER_PAGE = 80
BASE = "https://www.jiemian.com/article/1.html"
#: every HTML element name libxml2 knows (and a few it does not)
TAGS = [
    "a",
    "abbr",
    "acronym",
    "address",
    "applet",
    "area",
    "article",
    "aside",
    "audio",
    "b",
    "base",
    "basefont",
    "bdi",
    "bdo",
    "big",
    "blockquote",
    "body",
    "br",
    "button",
    "canvas",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "data",
    "datalist",
    "dd",
    "del",
    "details",
    "dfn",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "em",
    "embed",
    "fieldset",
    "figcaption",
    "figure",
    "font",
    "footer",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hgroup",
    "hr",
    "html",
    "i",
    "iframe",
    "img",
    "input",
    "ins",
    "isindex",
    "kbd",
    "keygen",
    "label",
    "legend",
    "li",
    "link",
    "main",
    "map",
    "mark",
    "menu",
    "meta",
    "meter",
    "nav",
    "noframes",
    "noscript",
    "object",
    "ol",
    "optgroup",
    "option",
    "output",
    "p",
    "param",
    "picture",
    "pre",
    "progress",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "script",
    "search",
    "section",
    "select",
    "slot",
    "small",
    "source",
    "span",
    "strike",
    "strong",
    "style",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "template",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "time",
    "title",
    "tr",
    "track",
    "tt",
    "u",
    "ul",
    "var",
    "video",
    "wbr",
    "xmp",
    "listing",
    "plaintext",
    "noembed",
    "nobr",
    "marquee",
    "blink",
    "image",
    "math",
    "svg",
    "my-widget",
]


def _page(path: Path) -> str:
    raw = path.read_bytes()
    return (gzip.decompress(raw) if path.suffix == ".gz" else raw).decode("utf-8", "replace")


def _both(el):
    slow_ads: list = []
    fast_ads: list = []
    slow = dom.clean_body(el, BASE, jiemian.CHROME, slow_ads)
    fast = dom.clean_body(el, BASE, jiemian.CHROME, fast_ads, as_parsed=True)
    return (slow, slow_ads), (fast, fast_ads)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_copy_cleans_as_the_round_trip(page):
    tree = dom.parse_html(_page(page))
    candidates = list(tree.iter("div", "article", "section", "td", "main", "p", "form", "span"))
    copied = declined = 0
    for el in candidates[:: max(1, len(candidates) // PER_PAGE)]:
        slow, fast = _both(el)
        assert fast == slow, (el.tag, el.get("class"))
        if dom.copy_as_reparsed(el) is None:
            declined += 1
        else:
            copied += 1
    assert copied  # the copy was taken, not only the round trip
    if "RheinischePost" in page.name:
        assert declined  # its empty <li> would take in what follows it: the round trip


def _round_trip(el):
    import lxml.html

    return lxml.html.fromstring(lxml.html.tostring(el, encoding="unicode"), parser=etree.HTMLParser())


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_copy_is_the_round_trips_tree(page):
    """Not only the cleaned HTML: the copy is the tree itself, every attribute included
    (the generic extractor reads the copy before it cleans it)."""
    tree = dom.parse_html(_page(page))
    candidates = list(tree.iter("div", "article", "section", "main", "form"))
    for el in candidates[:: max(1, len(candidates) // PER_PAGE)]:
        copy = dom.copy_as_reparsed(el)
        if copy is not None:
            copy.tail = el.tail
            assert etree.tostring(copy) == etree.tostring(_round_trip(el)), (el.tag, el.get("class"))


def test_boolean_attributes_are_copied_as_the_parse_reads_them():
    html = (
        '<div id=b><form><button disabled="">Send</button><input type=radio checked="">'
        '<select multiple><option selected="yes">a</option></select>'
        '<span hidden="">kept as written</span></form></div>'
    )
    body = dom.parse_html(f"<html><body>{html}</body></html>").find(".//*[@id='b']")
    copy = dom.copy_as_reparsed(body)
    assert copy is not None
    assert etree.tostring(copy) == etree.tostring(_round_trip(body))
    assert copy.find(".//button").get("disabled") == "disabled"
    assert copy.find(".//option").get("selected") == "selected"
    assert copy.find(".//span").get("hidden") == ""


@pytest.mark.parametrize(
    "html",
    [
        "<div id=b><p>text</p></div> tail text",  # the parse wraps an element with a tail
        '<div id=b><a href="/a b/中文 ">link</a><img src=" 图.jpg "></div>',  # escaped URLs
        "<div id=b><ul><li class=x></li>\n<p>after an empty li</p></ul></div>",
        "<div id=b><title>t</title><p>text</p></div>",
    ],
)
def test_shapes_the_copy_leaves_to_the_round_trip(html):
    tree = dom.parse_html(f"<html><body>{html}</body></html>")
    body = tree.find(".//*[@id='b']")
    if "tail" in html:
        body.tail = " tail text"
    assert dom.copy_as_reparsed(body) is None
    slow, fast = _both(body)
    assert fast == slow


def test_a_child_the_parse_would_move_is_left_to_the_round_trip():
    body = etree.Element("div")
    outer = etree.SubElement(body, "li")
    etree.SubElement(outer, "li").text = "nested"  # no parse makes this; a reparse moves it
    assert dom.copy_as_reparsed(body) is None
    assert _both(body)[0] == _both(body)[1]


def test_tables_match_the_installed_libxml2():
    """REPARSE_CLOSES, REPARSE_VOID and REPARSE_OPEN_WHEN_EMPTY are what this libxml2 does."""
    parser = etree.HTMLParser()
    closes: dict[str, set[str]] = {}
    for parent in TAGS:
        for child in TAGS:
            doc = etree.HTML(f"<div><{parent} id=A><{child} id=B>x</{child}></{parent}></div>", parser)
            a, b = doc.find(".//*[@id='A']"), doc.find(".//*[@id='B']")
            if a is not None and b is not None and b.getparent() is not a:
                closes.setdefault(child, set()).add(parent)
    void = set.intersection(*closes.values())
    assert void == dom.REPARSE_VOID
    assert {k: v - void for k, v in closes.items() if v - void} == dom.REPARSE_CLOSES
    open_when_empty = set()
    for tag in TAGS:
        holder = etree.Element("div")
        etree.SubElement(holder, tag).tail = "x"
        if f"</{tag}>" not in etree.tostring(holder, method="html", encoding="unicode"):
            open_when_empty.add(tag)
    assert open_when_empty - void == dom.REPARSE_OPEN_WHEN_EMPTY
