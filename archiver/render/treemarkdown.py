"""The Markdown converter of :mod:`archiver.render.markdown`, walking an lxml tree.

markdownify works on a BeautifulSoup tree: building it costs about as much as parsing
the whole page with lxml, and its walk as much again (about 1.9 ms per article body of
the benchmark, more than the archiver's whole budget per article). This module runs the
same algorithm (markdownify 1.2's ``process_tag``/``process_text``: which whitespace is
ignored, how newlines collapse at block boundaries) with the same conversion rules
(markdownify's for ``p``, ``br``, ``div``, headings, ``blockquote``, lists; ours of
:mod:`archiver.render.mdrules` for links, emphasis, images, code, figures) on
lxml's own tree, in about a fifth of the time.

It covers what article bodies are made of. A body holding anything else (tables,
``pre``, definition lists, comments, elements that are dropped) gets ``None``
from :func:`parse`, and one nested deeper than :data:`MAX_DEPTH` raises
:class:`TooDeep`: both go to markdownify (:func:`archiver.render.markdown.body_to_markdown`). The two
give the same text for every body this module accepts (``tests/test_treemarkdown.py``
compares them on every fixture and on generated bodies).
"""

from __future__ import annotations

import re

from lxml import etree

from archiver.extract.dom import text_content
from archiver.render import mdrules
from archiver.render.safety import clean_text, escape_text

#: markdownify's should_remove_whitespace_inside, less the headings (a pattern).
_BLOCKS = frozenset(
    [
        "p",
        "blockquote",
        "article",
        "div",
        "section",
        "ol",
        "ul",
        "li",
        "dl",
        "dt",
        "dd",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "td",
        "th",
    ]
)
_HEADING = re.compile(r"h(\d+)")
_ALL_WS = re.compile(r"[\t \r\n]+")  # markdownify's re_all_whitespace
_NEWLINES = re.compile(r"^(\n*)((?:.*[^\n])?)(\n*)$", re.DOTALL)  # its re_extract_newlines
_LINE = re.compile(r"^(.*)", re.MULTILINE)
#: Elements this module does not convert (their markdownify rules need the whole
#: BeautifulSoup API, or they are dropped before conversion): the body goes to markdownify.
UNSUPPORTED = frozenset(
    ["dl", "dt", "dd", "table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption", "pre", "video"]
)
#: Code elements: written from their whole text as HTML ``<code>`` (our convert_code).
_CODE = frozenset({"code", "kbd", "samp"})


#: tag name -> (_inside, a heading), worked out once per name (a few dozen in practice)
_NAMES: dict[str, tuple[bool, bool]] = {}


def _name_kind(name: str) -> tuple[bool, bool]:
    """(markdownify's should_remove_whitespace_inside, a heading name) of a tag name."""
    kind = _NAMES.get(name)
    if kind is None:
        heading = _HEADING.match(name) is not None
        kind = (name in _BLOCKS or heading, heading)
        if len(_NAMES) < 4096:  # any markup's names: the memo stays small
            _NAMES[name] = kind
    return kind


def _inside(name) -> bool:
    """markdownify's should_remove_whitespace_inside for a tag name (None: a text)."""
    return name is not None and _name_kind(name)[0]


def _newlines(text: str) -> tuple[str, str, str]:
    """``_NEWLINES.match(text).groups()``: the leading newlines, the rest, the trailing ones."""
    if text[0] != "\n" and text[-1] != "\n":
        return "", text, ""
    rest = text.lstrip("\n")
    content = rest.rstrip("\n")
    return text[: len(text) - len(rest)], content, rest[len(content) :]


def _outside(node) -> bool:
    """markdownify's should_remove_whitespace_outside for a sibling (text or element)."""
    if node is None or isinstance(node, str):
        return False
    name = node.tag
    return name == "pre" or _inside(name)


def parse(body_html: str, dropped: frozenset[str]):
    """The body as libxml2 builds it for BeautifulSoup (``html``, ``body``, then the
    content), or None when it holds markup this module leaves to markdownify."""
    return supported(build(clean_text(body_html)), dropped)


def build(cleaned: str):
    """The tree of :func:`parse` of a body already cleaned of control characters (None
    when libxml2 builds none), whatever markup it holds."""
    parser = etree.HTMLParser()
    parser.feed(cleaned)
    try:
        return parser.close()
    except etree.XMLSyntaxError:
        return None


def supported(root, dropped: frozenset[str]):
    """``root`` (from :func:`build`) when this module converts all of it, else None."""
    if root is None:
        return None
    for el in root.iter():
        tag = el.tag
        if not isinstance(tag, str) or tag in UNSUPPORTED or tag in dropped or ":" in tag:
            return None
        if tag == "ol" and el.get("start") and not (el.get("start").isascii() and el.get("start").isdigit()):
            return None  # markdownify reads start with str.isnumeric() and int(): leave it to it
    return root


def _children(el) -> list:
    """``el``'s children as BeautifulSoup sees them: texts (str) and elements."""
    items = [el.text] if el.text else []
    for child in el:
        items.append(child)
        if child.tail:
            items.append(child.tail)
    return items


def _figure_captions(root) -> dict:
    """Each image inside a figure with a caption and no alt text -> the caption's text."""
    alts: dict = {}
    for figure in root.iter("figure"):
        caption = next(figure.iter("figcaption"), None)
        if caption is None:
            continue
        text = mdrules.one_line(text_content(caption)).strip()
        for img in figure.iter("img"):
            if not img.get("alt") and not alts.get(img):  # as markdownify sees them, in turn
                alts[img] = text
    return alts


#: libxml2 builds no tree below about 256 levels (the text there is lost, silently), where
#: BeautifulSoup, fed by the same parser's events, keeps it: a body this deep goes to
#: markdownify. (No page a parser read can give one: the page had the same limit.)
MAX_DEPTH = 250


class TooDeep(Exception):
    """The body is nested too deeply for the tree converter."""


class TreeConverter:
    def __init__(self, local_images: dict[str, str]):
        self.local_images = local_images
        self.depth = 0
        self.alts: dict = {}

    def convert(self, root) -> str:
        self.alts = _figure_captions(root)
        return self._tag(root, False, False, None, None, None).strip("\n")  # the document strips

    # -- markdownify's walk -------------------------------------------------------------

    def _tag(self, el, inline: bool, in_li: bool, parent, prev, nxt) -> str:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise TooDeep(self.depth)
        name = el.tag
        if name in _CODE:  # its text only (children's results are not used)
            self.depth -= 1
            return mdrules.code(text_content(el))
        inside, heading = _name_kind(name)
        items = _children(el)
        child_inline = inline or heading
        child_in_li = in_li or name == "li"
        last = len(items) - 1
        out = [""]
        for i, item in enumerate(items):
            before = items[i - 1] if i else None
            after = items[i + 1] if i < last else None
            if isinstance(item, str):
                out_before, out_after = _outside(before), _outside(after)
                if not item.strip():
                    if inside and (before is None or after is None):
                        continue
                    if out_before or out_after:
                        continue
                text = _ALL_WS.sub(" ", item)
                text = escape_text(text) if text else ""
                if out_before or (inside and before is None):
                    text = text.lstrip(" \t\r\n")
                if out_after or (inside and after is None):
                    text = text.rstrip()
            else:
                text = self._tag(item, child_inline, child_in_li, el, before, after)
            if not text:
                continue
            leading, content, trailing = _newlines(text)
            if out[-1] and leading:
                previous = out.pop()
                leading = "\n" * min(2, max(len(previous), len(leading)))
            out += (leading, content, trailing)
        self.depth -= 1
        return self._rule(el, name, "".join(out), inline, in_li, parent, prev, nxt)

    # -- the conversion rules -------------------------------------------------------------

    def _rule(self, el, name, text, inline, in_li, parent, prev, nxt) -> str:
        if name == "p":
            text = text.strip(" \t\r\n")
            if inline:
                return f" {text} "
            return f"\n\n{text}\n\n" if text else ""
        if name in ("strong", "b"):
            return self._emphasis(el, text, parent, prev, nxt, "**", "strong")
        if name in ("em", "i"):
            return self._emphasis(el, text, parent, prev, nxt, "*", "em")
        if name == "a":
            return mdrules.link(text, el.get("href") or "")
        if name == "img":
            alt = el.get("alt") or self.alts.get(el) or el.get("title") or ""
            return mdrules.image(el.get("src") or "", alt, self.local_images)
        if name == "br":
            if inline:
                return text + " " if text else " "
            return "  \n" + text
        if name in ("div", "article", "section"):
            if inline:
                return f" {text.strip()} "
            text = text.strip()
            return f"\n\n{text}\n\n" if text else ""
        heading = _HEADING.match(name)
        if heading:
            if inline:
                return text
            hashes = "#" * max(1, min(6, int(heading.group(1))))
            return f"\n\n{hashes} {_ALL_WS.sub(' ', text.strip())}\n\n"
        if name == "blockquote":
            text = (text or "").strip(" \t\r\n")
            if inline:
                return f" {text} "
            if not text:
                return "\n"
            return "\n" + _LINE.sub(lambda m: "> " + m.group(1) if m.group(1) else ">", text) + "\n\n"
        if name == "figure":
            return mdrules.figure(text)
        if name == "figcaption":
            return f"\n\n{text.strip()}\n\n"
        if name in ("ul", "ol"):
            if in_li:  # a nested list
                return "\n" + text.rstrip()
            following = _next_content(el)
            before_paragraph = following is not None and (
                isinstance(following, str) or following.tag not in ("ul", "ol")
            )
            return "\n\n" + text + ("\n" if before_paragraph else "")
        if name == "li":
            return _list_item(el, text, parent)
        if name == "hr":
            return mdrules.RULE
        if name == "q":
            return mdrules.quote(text)
        if name in ("del", "s"):
            return mdrules.strike(text)
        return text  # sub, sup, span and every other element: their text

    def _emphasis(self, el, text, parent, prev, nxt, marker: str, tag: str) -> str:
        touches = (
            _is_emphasis(prev)
            or _is_emphasis(nxt)
            or (parent is not None and parent.tag in mdrules.EMPHASIS)
            or any(child.tag in mdrules.EMPHASIS for child in el)
        )
        return mdrules.emphasis(text, marker, tag, touches)


def _next_content(el):
    """markdownify's _next_block_content_sibling: the next element or non-blank text."""
    if el.tail and el.tail.strip():
        return el.tail
    for sibling in el.itersiblings():
        return sibling  # no comments here (parse() refuses them): an element
    return None


def _list_item(el, text: str, parent) -> str:
    text = (text or "").strip()
    if not text:
        return "\n"
    if parent is not None and parent.tag == "ol":
        start = int(parent.get("start")) if parent.get("start") else 1
        bullet = f"{start + sum(1 for _ in el.itersiblings('li', preceding=True))}. "
    else:
        bullet = "- "
    indent = " " * len(bullet)
    text = _LINE.sub(lambda m: indent + m.group(1) if m.group(1) else "", text)
    return f"{bullet}{text[len(bullet) :]}\n"


def _is_emphasis(node) -> bool:
    return node is not None and not isinstance(node, str) and node.tag in mdrules.EMPHASIS
