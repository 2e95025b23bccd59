"""A paywalled article: the declared text (JSON-LD ``articleBody``) with the printed part's pictures.

A paywalled page prints the start of its story, pictures included, and declares the
whole text. When the declared text becomes the body
(:func:`archiver.extract.body.declared_body`), the pictures of the printed part are
set back into it, each after the declared paragraph that holds the printed text just
before it (at the top when no text came before it). Pure functions.
"""

from __future__ import annotations

import re

import lxml.html

from archiver.extract.dom import text_content

#: Characters of the printed text before a picture looked up in the declared paragraphs.
ANCHOR_CHARS = 60
#: Most characters of text in a picture's block (its caption); more is a paragraph with an image.
PICTURE_TEXT_MAX = 300
_NON_WORD = re.compile(r"\W+")


def _key(text: str) -> str:
    return _NON_WORD.sub("", text).lower()


def _pictures(printed: str) -> list[tuple[str, str]]:
    """(key of the printed text before it, its HTML) for each top-level block of
    ``printed`` that is a picture: it holds an ``<img>`` and at most a caption."""
    root = lxml.html.fragment_fromstring(printed, create_parent="div")
    found = []
    before = ""
    for child in root:
        if not isinstance(child.tag, str):
            continue
        text = _key(text_content(child))
        if (child.tag == "img" or child.find(".//img") is not None) and len(text) <= PICTURE_TEXT_MAX:
            found.append((before[-ANCHOR_CHARS:], lxml.html.tostring(child, encoding="unicode")))
        elif text:
            before += text
    return found


def with_pictures(declared: str, printed: str, images: list[str]) -> tuple[str, list[str]]:
    """The declared body (``<p>`` paragraphs) with the pictures of the ``printed`` body
    set in place, and the URLs of ``images`` they show, in order."""
    pictures = _pictures(printed) if printed.strip() else []
    if not pictures:
        return declared, []
    root = lxml.html.fragment_fromstring(declared, create_parent="div")
    paragraphs = list(root)
    keys = [_key(text_content(p)) for p in paragraphs]
    running = ""
    ends = []  # the declared text up to the end of each paragraph, as one key
    for key in keys:
        running += key
        ends.append(len(running))
    kept = []
    for anchor, html in reversed(pictures):
        picture = lxml.html.fragment_fromstring(html)
        at = running.find(anchor) if anchor else -1
        if not anchor or at < 0:
            root.insert(0, picture)
        else:
            index = next(i for i, end in enumerate(ends) if end >= at + len(anchor))
            paragraphs[index].addnext(picture)
        kept.append(html)
    shown = [url for url in images if any(url in html for html in kept)]
    body = "".join(lxml.html.tostring(el, encoding="unicode") for el in root)
    return body, shown
