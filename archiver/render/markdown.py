"""Article body HTML -> Markdown that Jekyll (Liquid, then kramdown with GFM input)
renders as exactly the article's visible text.

:func:`body_to_markdown` converts the usual article markup on lxml's tree
(:mod:`archiver.render.treemarkdown`, five times faster) and anything else with
markdownify (:class:`_Converter` here). Both write each element with the rules of
:mod:`archiver.render.mdrules` and escape text by :mod:`archiver.render.safety`; only
``http``/``https`` links and images survive, active content never does.
"""

from __future__ import annotations

import re

from markdownify import ATX, MarkdownConverter

from archiver.extract import dom
from archiver.extract.dom import text_content
from archiver.extract.text import squash
from archiver.render import mdrules, treemarkdown
from archiver.render.safety import DROPPED, VOID_TAGS, clean_text, escape_text

_BLANKS = re.compile(r"\n{3,}")


def _touches_emphasis(el) -> bool:
    """Whether another emphasis element stands right before or after ``el`` (or around it)."""
    for sibling in (el.previous_sibling, el.next_sibling):
        if getattr(sibling, "name", None) in mdrules.EMPHASIS:
            return True
    parent = el.parent
    return getattr(parent, "name", None) in mdrules.EMPHASIS or any(
        getattr(child, "name", None) in mdrules.EMPHASIS for child in getattr(el, "children", [])
    )


class _Converter(MarkdownConverter):
    class Options:
        heading_style = ATX
        bullets = "-"
        strong_em_symbol = "*"
        escape_asterisks = False
        escape_underscores = False
        escape_misc = False
        wrap = True  # whitespace inside text collapses to single spaces
        wrap_width = None  # ... and lines are never re-wrapped
        table_infer_header = True
        bs4_options = "lxml"
        autolinks = False
        local_images: dict[str, str] = {}  # image URL -> path in the blog, for archived images

    def escape(self, text, parent_tags):
        return escape_text(text) if text else ""

    def convert_a(self, el, text, parent_tags):
        if "_noformat" in parent_tags:
            return text
        return mdrules.link(text, el.get("href") or "")

    def _emphasis(self, el, text, parent_tags, marker: str, tag: str) -> str:
        if "_noformat" in parent_tags:
            return text
        return mdrules.emphasis(text, marker, tag, _touches_emphasis(el))

    def convert_strong(self, el, text, parent_tags):
        return self._emphasis(el, text, parent_tags, "**", "strong")

    convert_b = convert_strong

    def convert_em(self, el, text, parent_tags):
        return self._emphasis(el, text, parent_tags, "*", "em")

    convert_i = convert_em

    def convert_img(self, el, text, parent_tags):
        alt = el.get("alt") or el.get("title") or ""
        # markdownify sets ``options`` in __init__ without declaring it on the class
        return mdrules.image(el.get("src") or "", alt, self.options["local_images"])  # type: ignore[attr-defined]

    def convert_figure(self, el, text, parent_tags):
        return mdrules.figure(text)

    def convert_code(self, el, text, parent_tags):
        if "_noformat" in parent_tags:
            return text
        return mdrules.code(el.get_text())

    convert_kbd = convert_code
    convert_samp = convert_code

    def convert_pre(self, el, text, parent_tags):
        return mdrules.pre(el.get_text())

    def convert_q(self, el, text, parent_tags):
        return mdrules.quote(text)

    def convert_sub(self, el, text, parent_tags):
        return text

    convert_sup = convert_sub

    def convert_hr(self, el, text, parent_tags):
        return mdrules.RULE


_DROPPED_SET = frozenset(DROPPED)
#: A tag name of DROPPED at the start of an element (a cheap test before a tree walk).
_DROPPED_TAG = re.compile(r"<\s*(?:%s)\b" % "|".join(DROPPED), re.I)


def _drop(self, el, text, parent_tags):
    return ""


for _tag in DROPPED:
    setattr(_Converter, f"convert_{_tag}", _drop)


def _prepare(soup) -> None:
    """Give each figure's image the figure's caption as alt text."""
    for figure in soup.find_all("figure"):
        caption = figure.find("figcaption")
        if caption is None:
            continue
        text = mdrules.one_line(caption.get_text()).strip()
        for img in figure.find_all("img"):
            if not img.get("alt"):
                img["alt"] = text


def body_to_markdown(body_html: str, local_images: dict[str, str] | None = None) -> str:
    """The article body as Markdown blocks separated by one blank line.

    Images whose URL is in ``local_images`` link to that path of the blog instead.
    Bodies made of the usual article markup are converted on lxml's tree
    (:mod:`archiver.render.treemarkdown`, the same text five times faster); the others by
    markdownify.
    """
    root = treemarkdown.supported(_parsed(body_html), _DROPPED_SET)
    text = None
    if root is not None:
        try:
            text = treemarkdown.TreeConverter(local_images or {}).convert(root)
        except treemarkdown.TooDeep:
            pass
    if text is None:  # markup the tree converter does not cover
        text = markdownify_body(body_html, local_images)
    return _tidy(text)


#: The last body parsed (the string itself, its tree): the content check of the validate
#: pipeline and the Markdown conversion of the same article share one parse.
_last_parsed: tuple[str, object] | None = None
#: Markup libxml2 may place outside ``<body>`` when it is not wrapped in one, as
#: :func:`archiver.extract.dom.has_content` wraps it: those bodies take that check.
_DOCUMENT_MARKUP = re.compile(
    r"<\s*/?\s*(?:html|head|body|title|meta|link|base|style|script|noscript)\b", re.I
)


def _parsed(body_html: str):
    """The tree of ``body_html`` as :func:`archiver.render.treemarkdown.build` makes it,
    parsed once for the content check and the conversion (None: libxml2 built none)."""
    global _last_parsed  # a one-entry cache
    last = _last_parsed
    if last is not None and last[0] is body_html:
        return last[1]
    root = treemarkdown.build(clean_text(body_html))
    _last_parsed = (body_html, root)
    return root


def has_content(body_html: str) -> bool:
    """:func:`archiver.extract.dom.has_content` (visible text or an image), read from the
    tree the Markdown conversion uses. Bodies on which the two parses could differ
    (control characters, document-level markup) take that function's own parse."""
    if not body_html or not body_html.strip():
        return False
    if _DOCUMENT_MARKUP.search(body_html) is None and clean_text(body_html) == body_html:
        root = _parsed(body_html)
        if root is not None and len(root) == 1 and root[0].tag == "body":
            if squash(text_content(root)):
                return True
            return any(img.get("src") is not None for img in root.iter("img"))
    return dom.has_content(body_html)


def markdownify_body(body_html: str, local_images: dict[str, str] | None = None) -> str:
    """The body converted by markdownify (any markup), before :func:`_tidy`."""
    from bs4 import BeautifulSoup

    # markdownify's typed options do not know ours (Options.local_images above)
    converter = _Converter(local_images=local_images or {})  # type: ignore[call-arg]
    # controls go before parsing: the HTML parser would turn NUL into U+FFFD
    soup = BeautifulSoup(clean_text(body_html), "lxml")
    if _DROPPED_TAG.search(body_html):  # parsers' bodies are clean: skip the tree walk
        for tag in soup.find_all(DROPPED):
            if tag.name in VOID_TAGS:  # libxml2 may have nested the following content in it
                tag.unwrap()
            else:
                tag.decompose()
    if "<figure" in body_html.lower():
        _prepare(soup)
    return converter.convert_soup(soup)


def _tidy(text: str) -> str:
    """Trailing spaces cut (but a hard break's two), one blank line between blocks."""
    lines = [line.rstrip() if not line.endswith("  ") else line for line in text.split("\n")]
    text = "\n".join(lines).strip("\n")
    return _BLANKS.sub("\n\n", text)
