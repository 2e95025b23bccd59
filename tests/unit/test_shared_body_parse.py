"""The validate pipeline's content check reads the tree the Markdown conversion uses
(archiver/render/markdown.py: one parse of the body per article), and must keep the
verdicts of :func:`archiver.extract.dom.has_content`, which parses a fragment of its own:
on every body of the bundled site and of the generic-parser fixtures, on generated bodies
(the tree converter's test strategy, with text or images or neither) and on odd markup."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archiver.extract import dom, generic
from archiver.render import markdown
from archiver.render.markdown import body_to_markdown, has_content
from tests.support.budget import examples
from tests.support.fixtures import names, page_text, truth
from tests.unit.test_treemarkdown import bodies, jiemian_bodies

ODD = [
    "",
    "   ",
    "<p></p>",
    "<p> \xa0\u3000 </p>",
    "<img>",
    "<img src=''>",
    "<p><img src='https://a.b/c.jpg'></p>",
    "<title>只有标题</title>",
    "<meta name='x' content='y'><p></p>",
    "<style>p{}</style>",
    "<script>x()</script>",
    "<p>a<!-- c --></p>",
    "<!-- only a comment -->",
    "<html><body><p></p></body></html>",
    "</body></html>text after",
    "<body><p>x</p></body>",
    "<head></head><p>x</p>",
    "\x00<p></p>",
    "<p>\x01\u200b</p>",
    "<p>\x01</p><img src='x'>",
    "<table><tr><td>表格</td></tr></table>",
    "<pre> </pre>",
    "<noscript><img src='https://a.b/c.jpg'></noscript>",
    "<div>" * 300 + "深处" + "</div>" * 300,
    "text only",
    "&nbsp;&#12288;",
    "<a title='a>b'></a>",
]


def verdict(check, body: str):
    """What the check says of ``body``: its answer, or the error it raises (lxml refuses
    some control characters; a parser's body never holds them)."""
    try:
        return check(body)
    except ValueError as exc:
        return f"ValueError: {exc}"


@pytest.mark.parametrize("body", ODD)
def test_odd_markup_keeps_the_verdict(body):
    assert verdict(has_content, body) == verdict(dom.has_content, body)


@pytest.mark.parametrize("article", list(jiemian_bodies()))
def test_jiemian_bodies_keep_the_verdict_and_the_markdown(article):
    assert has_content(article.body_html) is dom.has_content(article.body_html) is True
    shared = body_to_markdown(article.body_html)  # after the check: its tree is reused
    markdown._last_parsed = None
    assert shared == body_to_markdown(article.body_html)  # parsed afresh


@pytest.mark.parametrize("name", names())
def test_generic_bodies_keep_the_verdict(name):
    body = generic.parse(page_text(name), truth(name)["url"]).body_html
    assert has_content(body) == dom.has_content(body)


@settings(max_examples=examples(80), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=st.one_of(bodies, st.text(max_size=20)))
def test_generated_bodies_keep_the_verdict(body):
    assert verdict(has_content, body) == verdict(dom.has_content, body)
