"""The standfirst: the lead paragraph printed above an article, which is not its body.

Many outlets print the article's summary (the page's meta description) in bold above
the first paragraph, marked as a lead (``<p class="lead">``, ``article__teaser-text``,
``preface``, ``vorspann``). The post shows it as
its subtitle (:func:`archiver.extract.generic._lead`); left in the body, it would be
read twice. A first paragraph that merely repeats the description, in plain body
markup, is the article's own opening and stays. Pure functions of an lxml tree.
"""

from __future__ import annotations

import re

from archiver.extract.dom import text_content

#: Class words (a whole hyphen/underscore/camelCase part) that mark a standfirst.
LEAD_WORDS = frozenset(
    [
        "lead",
        "leadtext",
        "lede",
        "intro",
        "introduction",
        "preface",
        "standfirst",
        "summary",
        "synopsis",
        "abstract",
        "dek",
        "deck",
        "subtitle",
        "subheadline",
        "excerpt",
        "teaser",
        "vorspann",
        "einleitung",
        "chapo",
        "chapeau",
        "sapo",
        "entradilla",
        "entradeta",
        "sumario",
    ]
)
#: Blocks at the top of the body looked at: a standfirst comes before the article's text.
LOOK_AHEAD = 6
#: Characters compared between the block and the description (either may be cut short).
KEY_CHARS = 40
_PARTS = re.compile(r"[^a-z0-9]+")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_NON_WORD = re.compile(r"\W+")


def _key(text: str) -> str:
    return _NON_WORD.sub("", text).lower()


def _marked(block, top) -> bool:
    """``block`` or an element between it and ``top`` is named a lead."""
    node = block
    while node is not None and node is not top:
        names = f"{node.get('class') or ''} {node.get('id') or ''}"
        if names.strip() and LEAD_WORDS.intersection(_PARTS.split(_CAMEL.sub(" ", names).lower())):
            return True
        node = node.getparent()
    return False


def standfirst(element, description: str, blocks) -> object | None:
    """The block of ``element`` (among its first ``blocks``, in page order) that is the
    standfirst: its text and the page's ``description`` agree, and its markup names it a
    lead (see :data:`LEAD_WORDS`). None when there is none."""
    want = _key(description)
    if len(want) < KEY_CHARS:
        return None
    for i, block in enumerate(blocks):
        if i >= LOOK_AHEAD:
            break
        if block is element or block.getparent() is None:
            continue
        got = _key(text_content(block))
        if len(got) < KEY_CHARS:
            continue
        if (got[:KEY_CHARS] in want or want[:KEY_CHARS] in got) and _marked(block, element):
            return block
        if block.tag == "p" and len(got) >= 2 * KEY_CHARS:
            break  # the article's first paragraph: no standfirst after it
    return None
