"""Every rule that keeps a post safe, in one place.

A post goes through Liquid, kramdown (GFM input), the blog's HTML layout and YAML
readers. What each rule guards against:

* **Body markup** (the site parsers cut bodies with these, the converters drop them
  again): :data:`DROP_TAGS` never reach a post (active or embedded content), only
  :data:`KEEP_ATTRS` stay on an element, and a link or image must use one of
  :data:`SAFE_SCHEMES` (:func:`is_safe_url`).
* **Invisible characters** that hide or disguise text are removed (:func:`clean_text`).
* **Body text** (:func:`escape_text`):

  - Liquid: every ``{`` and ``}`` becomes ``&#123;``/``&#125;``, so no ``{{``/``{%``
    reaches Liquid (this works on Jekyll 3 and 4, inside ``{% raw %}`` trouble or not);
    kramdown's ``{:`` attribute lists are disarmed by the same rule.
  - HTML: ``&``, ``<`` and ``>`` become entities, so text that looks like markup stays text.
  - kramdown/Markdown: inline markers (``\\ * _ [ ] | ~ $ # = " ' !``) are
    backslash-escaped (backticks and ``^`` become entities), and so are block markers
    where a line could start with them (``-``, ``+``, ``:``, ``1.``). Straight quotes,
    ``--`` and ``...`` are escaped too, so kramdown's typographic replacements never
    change the text.
  - link text: ``]`` is an entity (:func:`link_text`); URLs are percent-encoded for
    ``(...)`` and Liquid (:func:`escape_url`); code is HTML with braces as entities
    (:func:`code_html`).
* **Front matter**: a YAML scalar is plain only when it reads back unchanged, else
  double-quoted with every character YAML 1.1 readers mishandle escaped
  (:func:`yaml_scalar`, :func:`double_quoted`).
* **Layout**: the Hux layout prints title, subtitle and author raw, also inside
  double-quoted attributes: ``<``, ``>`` and ``"`` become their full-width forms
  (:func:`layout_safe`).
"""

from __future__ import annotations

import html as htmlmod
import json
import re
from urllib.parse import quote, urlsplit

import yaml

from archiver.extract.text import clean_text, squash

__all__ = [
    "DROPPED",
    "DROP_TAGS",
    "KEEP_ATTRS",
    "SAFE_SCHEMES",
    "VOID_TAGS",
    "clean_text",
    "code_html",
    "double_quoted",
    "escape_text",
    "escape_url",
    "is_safe_url",
    "layout_safe",
    "link_text",
    "yaml_scalar",
]

# ---------------------------------------------------------------------------
# Body markup
# ---------------------------------------------------------------------------

#: Tags that never belong to an archived article body (cut by the site parsers).
DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "iframe",
    "frame",
    "frameset",
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
    "link",
    "meta",
    "base",
    "video",
    "audio",
    "source",
)
#: Elements whose content never reaches a post (dropped by the Markdown converters,
#: whatever body they are given).
DROPPED = (
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
#: Void elements: libxml2 may wrap the content that follows them, so only the tag goes.
VOID_TAGS = frozenset({"embed", "input", "link", "meta", "base", "source", "param", "track", "area"})
#: Attributes kept on body elements; everything else (event handlers, styles,
#: lazy-loading attributes once resolved) is removed.
KEEP_ATTRS = {"href", "src", "alt", "title", "colspan", "rowspan"}
#: Schemes a link or image of an archived post may use.
SAFE_SCHEMES = {"http", "https"}


def is_safe_url(url: str) -> bool:
    return urlsplit(url).scheme.lower() in SAFE_SCHEMES


# ---------------------------------------------------------------------------
# Body text
# ---------------------------------------------------------------------------

_BACKSLASH = re.compile(r"([\\*_\[\]|~$#=\"'!])")
_LINE_START = re.compile(r"(^|\s)([-+:])")
_DASH_RUN = re.compile(r"(?<=-)-")
_ELLIPSIS = re.compile(r"\.(?=\.\.)|(?<=\.\.)\.|(?<=\.)\.(?=\.)")
_ORDERED = re.compile(r"(^|\s)(\d+)([.)])(?=\s|$)")
#: A character one of the rules of escape_text acts on (most text of a Chinese article has none).
_SPECIAL = re.compile(r"[\\*_\[\]|~$#=\"'!+:.)&<>{}^`-]")


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


def code_html(text: str) -> str:
    """Code text as HTML (Markdown code spans cannot hold every text), braces as entities."""
    return htmlmod.escape(text, quote=False).replace("{", "&#123;").replace("}", "&#125;")


# ---------------------------------------------------------------------------
# Front matter
# ---------------------------------------------------------------------------

#: Characters a YAML plain scalar must not start with.
_PLAIN_BAD_START = set("-?:,[]{}#&*!|>'\"%@`")
#: Characters that YAML (1.1 readers such as Ruby's Psych included) must see escaped.
_YAML_UNPRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]|[\u2028\u2029\ufeff]"
)


#: The same safe loader in C when PyYAML has libyaml (it reads every plain scalar the
#: checks below let through as the Python one does); else the Python one.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _plain_is_safe(value: str) -> bool:
    if not value or value != value.strip() or value[0] in _PLAIN_BAD_START:
        return False
    if ": " in value or " #" in value or value.endswith(":") or "\t" in value:
        return False
    if _YAML_UNPRINTABLE.search(value) or "\n" in value or "\r" in value or "\x85" in value:
        return False
    try:  # libyaml's loader (PyYAML's C binding) when built with it: far less CPU per title
        return yaml.load(value, Loader=_SAFE_LOADER) == value
    except yaml.YAMLError:
        return False


def double_quoted(value: str) -> str:
    """A YAML double-quoted scalar that every YAML reader reads back as ``value``."""
    text = json.dumps(value, ensure_ascii=False)

    def esc(match: re.Match) -> str:
        code = ord(match.group(0))
        return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"

    return _YAML_UNPRINTABLE.sub(esc, text)


def yaml_scalar(value: str) -> str:
    """Plain when that is safe (reads back unchanged as a string), otherwise double-quoted."""
    return value if _plain_is_safe(value) else double_quoted(value)


# ---------------------------------------------------------------------------
# Layout
# ---------------------------------------------------------------------------

#: Characters the Hux layout would print as markup: it outputs title, subtitle and author
#: unescaped, also inside double-quoted attributes. Their full-width forms read the same.
_LAYOUT_UNSAFE = str.maketrans({"<": "＜", ">": "＞", '"': "＂"})


def layout_safe(text: str) -> str:
    """Plain text that the blog's layout cannot turn into markup or attributes."""
    return squash(text).translate(_LAYOUT_UNSAFE)
