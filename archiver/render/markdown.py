"""Article body HTML -> Markdown that Jekyll (Liquid, then kramdown with GFM input)
renders as exactly the article's visible text.

Text is escaped for every layer that reads it:

* Liquid: every ``{`` and ``}`` becomes ``&#123;``/``&#125;``, so no ``{{``/``{%``
  reaches Liquid (this works on Jekyll 3 and 4, inside ``{% raw %}`` trouble or not);
  kramdown's ``{:`` attribute lists are disarmed by the same rule.
* HTML: ``&``, ``<`` and ``>`` become entities, so text that looks like markup stays text.
* kramdown/Markdown: inline markers (``\\ * _ [ ] | ~ $ # = " ' !``) are
  backslash-escaped (backticks and ``^`` become entities), and so are block markers where a line could start with them
  (``-``, ``+``, ``:``, ``1.``). Straight quotes, ``--`` and ``...`` are escaped
  too, so kramdown's typographic replacements never change the text.

Only ``http``/``https`` links and images survive; active content never does.
"""

from __future__ import annotations

import html as htmlmod
import re
from urllib.parse import quote

from markdownify import ATX, MarkdownConverter, chomp

from archiver.extract.dom import VOID_TAGS, clean_text, is_safe_url

_BACKSLASH = re.compile(r"([\\*_\[\]|~$#=\"'!])")
_LINE_START = re.compile(r"(^|\s)([-+:])")
_DASH_RUN = re.compile(r"(?<=-)-")
_ELLIPSIS = re.compile(r"\.(?=\.\.)|(?<=\.\.)\.|(?<=\.)\.(?=\.)")
_ORDERED = re.compile(r"(^|\s)(\d+)([.)])(?=\s|$)")
_WS = re.compile(r"\s+")
#: A character one of the rules of escape_text acts on (most text of a Chinese article has none).
_SPECIAL = re.compile(r"[\\*_\[\]|~$#=\"'!+:.)&<>{}^`-]")
_BLANKS = re.compile(r"\n{3,}")

#: Elements whose content never reaches a post.
_DROPPED = (
    "script",
    "style",
    "noscript",
    "iframe",
    "frame",
    "object",
    "embed",
    "applet",
    "form",
    "input",
    "button",
    "select",
    "textarea",
    "svg",
    "math",
    "canvas",
    "template",
    "video",
    "audio",
    "head",
    "title",
    "meta",
    "link",
    "base",
    "source",
    "param",
    "track",
    "area",
)


def escape_text(text: str) -> str:
    """Plain text -> Markdown source that renders as exactly ``text`` (one line);
    invisible control characters are dropped."""
    text = clean_text(text)
    return _escape_marks(text) if _SPECIAL.search(text) else text


def _escape_marks(text: str) -> str:
    """escape_text's rules (a text without any _SPECIAL character is left as it is)."""
    text = _BACKSLASH.sub(r"\\\1", text)
    text = _LINE_START.sub(r"\1\\\2", text)
    text = _DASH_RUN.sub(r"\\-", text)
    text = _ELLIPSIS.sub(r"\\.", text)
    text = _ORDERED.sub(r"\1\2\\\3", text)
    # entities last: the backslash rules above must not touch them
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("{", "&#123;")
        .replace("}", "&#125;")
        .replace("^", "&#94;")  # a lone ^ ends a block
        .replace("`", "&#96;")  # kramdown finds code spans (in table rows) before escapes
    )


def escape_url(url: str) -> str:
    """A URL safe inside ``(...)`` of a Markdown link and for Liquid."""
    return quote(url, safe=":/?#&=;,@!$'*+%~-._")


def link_text(markdown: str) -> str:
    """A link's (escaped) text with ``]`` as an entity: kramdown reads a line starting
    ``[\\]:`` as a link definition (whose label may not hold ``]``, escaped or not), and
    the line would vanish."""
    return markdown.replace("\\]", "&#93;")


_EMPHASIS = {"strong", "b", "em", "i"}


def _touches_emphasis(el) -> bool:
    """Whether another emphasis element stands right before or after ``el`` (or around it)."""
    for sibling in (el.previous_sibling, el.next_sibling):
        if getattr(sibling, "name", None) in _EMPHASIS:
            return True
    parent = el.parent
    return getattr(parent, "name", None) in _EMPHASIS or any(
        getattr(child, "name", None) in _EMPHASIS for child in getattr(el, "children", [])
    )


def _code_html(text: str) -> str:
    return htmlmod.escape(text, quote=False).replace("{", "&#123;").replace("}", "&#125;")


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
        local_images = {}  # image URL -> path in the blog, for archived images

    def escape(self, text, parent_tags):
        return escape_text(text) if text else ""

    def convert_a(self, el, text, parent_tags):
        href = el.get("href") or ""
        if "_noformat" in parent_tags or not text.strip():
            return text
        if not is_safe_url(href):
            return text
        prefix, suffix = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
        return f"{prefix}[{link_text(text.strip())}]({escape_url(href)}){suffix}"

    def _emphasis(self, el, text, parent_tags, marker: str, tag: str) -> str:
        if "_noformat" in parent_tags:
            return text
        prefix, suffix, inner = chomp(text)
        if not inner:
            return ""
        if _touches_emphasis(el):  # "*a**b*" would read as strong: spell it as HTML
            return f"{prefix}<{tag}>{inner}</{tag}>{suffix}"
        return f"{prefix}{marker}{inner}{marker}{suffix}"

    def convert_strong(self, el, text, parent_tags):
        return self._emphasis(el, text, parent_tags, "**", "strong")

    convert_b = convert_strong

    def convert_em(self, el, text, parent_tags):
        return self._emphasis(el, text, parent_tags, "*", "em")

    convert_i = convert_em

    def convert_img(self, el, text, parent_tags):
        src = el.get("src") or ""
        if not is_safe_url(src):
            return ""
        alt = escape_text(_WS.sub(" ", el.get("alt") or el.get("title") or "").strip())
        local = self.options["local_images"].get(src)
        if local:  # archived in the blog: a URL that works under any baseurl
            return f"![{alt}]({{{{ site.baseurl }}}}/{escape_url(local)})"
        return f"![{alt}]({escape_url(src)})"

    def convert_figure(self, el, text, parent_tags):
        text = text.strip()
        return f"\n\n{text}\n\n" if text else ""

    def convert_code(self, el, text, parent_tags):
        if "_noformat" in parent_tags:
            return text
        raw = _WS.sub(" ", el.get_text())  # inline: a newline could start a Markdown block
        if not raw.strip():
            return ""
        return f"<code>{_code_html(raw)}</code>"

    convert_kbd = convert_code
    convert_samp = convert_code

    def convert_pre(self, el, text, parent_tags):
        raw = el.get_text().strip("\n")
        if not raw.strip():
            return ""
        return f"\n\n<pre><code>{_code_html(raw)}</code></pre>\n\n"

    def convert_q(self, el, text, parent_tags):
        return f"“{text}”"

    def convert_sub(self, el, text, parent_tags):
        return text

    convert_sup = convert_sub

    def convert_hr(self, el, text, parent_tags):
        return "\n\n* * *\n\n"


_DROPPED_SET = frozenset(_DROPPED)
#: A tag name of _DROPPED at the start of an element (a cheap test before a tree walk).
_DROPPED_TAG = re.compile(r"<\s*(?:%s)\b" % "|".join(_DROPPED), re.I)


def _drop(self, el, text, parent_tags):
    return ""


for _tag in _DROPPED:
    setattr(_Converter, f"convert_{_tag}", _drop)


def _prepare(soup) -> None:
    """Give each figure's image the figure's caption as alt text."""
    for figure in soup.find_all("figure"):
        caption = figure.find("figcaption")
        if caption is None:
            continue
        text = _WS.sub(" ", caption.get_text()).strip()
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
    from archiver.render import treemarkdown

    root = treemarkdown.parse(body_html, _DROPPED_SET)
    text = None
    if root is not None:
        try:
            text = treemarkdown.TreeConverter(local_images or {}).convert(root)
        except treemarkdown.TooDeep:
            pass
    if text is None:  # markup the tree converter does not cover
        text = markdownify_body(body_html, local_images)
    return _tidy(text)


def markdownify_body(body_html: str, local_images: dict[str, str] | None = None) -> str:
    """The body converted by markdownify (any markup), before :func:`_tidy`."""
    from bs4 import BeautifulSoup

    converter = _Converter(local_images=local_images or {})
    # controls go before parsing: the HTML parser would turn NUL into U+FFFD
    soup = BeautifulSoup(clean_text(body_html), "lxml")
    if _DROPPED_TAG.search(body_html):  # parsers' bodies are clean: skip the tree walk
        for tag in soup.find_all(_DROPPED):
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
