"""Text normalisation shared by the extractors and the post layer."""

from __future__ import annotations

import re

#: Invisible characters that only hide or disguise text: C0/C1 controls (but tab and
#: newlines), bidirectional overrides and isolates, zero-width space, word joiner, BOM.
#: Zero-width joiners (U+200C/U+200D) stay: emoji and some scripts need them.
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b\u2060\ufeff]")


def clean_text(text: str) -> str:
    """``text`` without invisible control characters (see ``_INVISIBLE``)."""
    return _INVISIBLE.sub("", text)


def squash(text: str | None) -> str:
    """Whitespace collapsed to single spaces, stripped (NBSP and ideographic space included),
    invisible control characters removed."""
    if not text:
        return ""
    # str.split() splits on exactly what ``\s`` matches (str.isspace) and drops both ends:
    # the same as re.sub(r"\s+", " ", …).strip(), several times faster on a page's text.
    return " ".join(clean_text(text).replace("\u3000", " ").replace("\xa0", " ").split())


def remove_keeping_tail(el) -> None:
    """Remove ``el`` and its content, keeping the text that follows it."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    prev = el.getprevious()
    if tail:
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)
