"""body_html keeps the copy's blocks across drops (_KeptBlocks) instead of walking the copy
again: after any drops, what it answers is what a fresh walk (_blocks) lists, in its order,
on real pages (every prune of their body) and on the drops that change a block's own text
(an inline element dropped: the walk is redone)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from lxml import etree

from archiver.extract import body, dom

REAL = Path(__file__).resolve().parent.parent / "fixtures" / "realpages" / "fundus-dev"
PAGES = sorted(REAL.glob("*.html.gz"))[:12]


def _fresh(element) -> list:
    return list(body._blocks(element))


def _same(got: list, want: list) -> bool:
    return len(got) == len(want) and all(a is b for a, b in zip(got, want))


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_kept_blocks_are_a_fresh_walks_after_prune(path):
    """Every answer while a real page's body is cut is a fresh walk's."""
    tree = dom.parse_html(gzip.decompress(path.read_bytes()).decode("utf-8"))
    found = body.find_body(tree)
    assert found is not None
    answers = []
    real = body._KeptBlocks.blocks

    def checked(self):
        got = real(self)
        answers.append(_same(got, _fresh(self.element)))
        return got

    body._KeptBlocks.blocks = checked
    try:
        body.body_html(found, "https://example.com/a", guide="x" * 300, description="y" * 50)
    finally:
        body._KeptBlocks.blocks = real
    assert answers and all(answers)


def _cut(html: str, drop: str) -> tuple[list, list]:
    element = etree.fromstring(html, etree.HTMLParser()).find(".//div")
    kept = body._KeptBlocks()
    kept.start(element, body._blocks(element))
    body._KEEPING.blocks = kept
    try:
        for el in element.xpath(drop):
            body._drop(el)
    finally:
        body._KEEPING.blocks = None
    return kept.blocks(), _fresh(element)


@pytest.mark.parametrize(
    "html, drop",
    [
        # a block dropped whole, with the blocks inside it; its tail stays in its parent's block
        ("<div><p>one</p><section><p>two</p><p>three</p></section>tail<p>four</p></div>", "//section"),
        # the parent's only text was the dropped element's tail: it moves to the text before
        ("<div><section><p>two</p></section>tail<p>four</p></div>", "//section"),
        # an inline label dropped: its block had no other text before the paragraph
        ("<div><article><b>label</b><p>para</p>after</article><p>x</p></div>", "//b"),
        # an inline element holding a block
        ("<div><span><p>inner</p>t</span><p>x</p></div>", "//span"),
        # nothing dropped
        ("<div><p>a</p><p>b</p></div>", "//nothing"),
    ],
)
def test_kept_blocks_follow_drops(html, drop):
    got, want = _cut(html, drop)
    assert _same(got, want), ([e.tag for e in got], [e.tag for e in want])
