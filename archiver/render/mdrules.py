"""The Markdown of each element, written once: both converters (the lxml-tree one,
:mod:`archiver.render.treemarkdown`, and the markdownify fallback,
:mod:`archiver.render.markdown`) call these with the element's converted text."""

from __future__ import annotations

import re

from archiver.render.safety import code_html, escape_text, escape_url, is_safe_url, link_text

_WS = re.compile(r"\s+")
#: Emphasis elements (two next to each other are written as HTML).
EMPHASIS = frozenset({"strong", "b", "em", "i"})


def one_line(text: str) -> str:
    """Whitespace (newlines included) collapsed to single spaces."""
    return _WS.sub(" ", text)


def chomp(text: str) -> tuple[str, str, str]:
    """markdownify's chomp: a leading/trailing space moves outside the markup."""
    return (" " if text[:1] == " " else "", " " if text[-1:] == " " else "", text.strip())


def link(text: str, href: str) -> str:
    """``[text](href)`` for a safe URL; the bare text for an unsafe one or no text."""
    if not text.strip() or not is_safe_url(href):
        return text
    before, after = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
    return f"{before}[{link_text(text.strip())}]({escape_url(href)}){after}"


def emphasis(text: str, marker: str, tag: str, touches: bool) -> str:
    """``*text*``/``**text**``; as HTML when another emphasis touches it (``*a**b*``
    would read as strong)."""
    before, after, inner = chomp(text)
    if not inner:
        return ""
    if touches:
        return f"{before}<{tag}>{inner}</{tag}>{after}"
    return f"{before}{marker}{inner}{marker}{after}"


def image(src: str, alt: str, local_images: dict[str, str]) -> str:
    """``![alt](src)``; an image archived in the blog links its copy under any baseurl;
    an unsafe URL gives nothing."""
    if not is_safe_url(src):
        return ""
    alt = escape_text(one_line(alt).strip())
    local = local_images.get(src)
    if local:
        return f"![{alt}]({{{{ site.baseurl }}}}/{escape_url(local)})"
    return f"![{alt}]({escape_url(src)})"


def code(raw: str) -> str:
    """Inline code from its whole text (a newline could start a Markdown block)."""
    raw = one_line(raw)
    return f"<code>{code_html(raw)}</code>" if raw.strip() else ""


def pre(raw: str) -> str:
    raw = raw.strip("\n")
    return f"\n\n<pre><code>{code_html(raw)}</code></pre>\n\n" if raw.strip() else ""


def figure(text: str) -> str:
    text = text.strip()
    return f"\n\n{text}\n\n" if text else ""


def quote(text: str) -> str:
    return f"“{text}”"


def strike(text: str) -> str:
    before, after, inner = chomp(text)
    return f"{before}~~{inner}~~{after}" if inner else ""


RULE = "\n\n* * *\n\n"
