"""The tree converter (archiver/render/treemarkdown.py) writes exactly what markdownify writes.

Posts are written by the tree converter whenever a body is made of the markup it covers;
markdownify remains for the rest. A reader must never be able to tell which one wrote a
post: for every article body of the bundled site, of the generic-parser fixtures, and for
generated bodies of nested inline and block markup with hostile text and whitespace, the
two give the same Markdown.
"""

from __future__ import annotations

import html

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from archiver.extract import generic
from archiver.extract.text import clean_text
from archiver.render import treemarkdown
from archiver.render.markdown import _DROPPED_SET, _tidy, body_to_markdown, markdownify_body
from archiver.sites import jiemian
from tests.support.budget import examples
from tests.support.fixtures import expected_files, names, page_of, page_text, truth


def both(body_html: str, local_images: dict | None = None) -> tuple[str | None, str]:
    root = treemarkdown.parse(body_html, _DROPPED_SET)
    tree = None if root is None else treemarkdown.TreeConverter(local_images or {}).convert(root)
    return tree, markdownify_body(body_html, local_images)


def jiemian_bodies():
    for expected in expected_files():
        page = page_of(expected)
        try:
            article = jiemian.parse(
                page.read_text(encoding="utf-8"), f"https://www.jiemian.com/article/{page.stem}.html"
            )
        except Exception:  # pages the parser refuses (tested in test_bad_input) have no body
            continue
        if article.body_html:
            yield pytest.param(article, id=page.stem)


@pytest.mark.parametrize("article", list(jiemian_bodies()))
def test_jiemian_bodies_take_the_tree_path_and_match_markdownify(article):
    local = {url: f"img/jiemian/{article.id}/{n:02d}.jpg" for n, url in enumerate(article.images, 1)}
    tree, reference = both(article.body_html, local)
    if "<table" in article.body_html:  # tables are left to markdownify
        assert tree is None
    else:
        assert tree is not None, "a jiemian body without a table should not need markdownify"
        assert tree == reference
    assert body_to_markdown(article.body_html, local).count("\n\n") >= 1


@pytest.mark.parametrize("name", names())
def test_generic_bodies_match_markdownify(name):
    article = generic.parse(page_text(name), truth(name)["url"])
    tree, reference = both(article.body_html)
    if tree is not None:
        assert tree == reference


def test_most_generic_bodies_take_the_tree_path():
    taken = [
        treemarkdown.parse(generic.parse(page_text(n), truth(n)["url"]).body_html, _DROPPED_SET) is not None
        for n in names()
    ]
    assert sum(taken) >= len(taken) * 0.6, f"{sum(taken)} of {len(taken)}"


def test_tables_pre_and_odd_markup_go_to_markdownify():
    for body in (
        "<table><tr><td>a</td></tr></table>",
        "<pre>a\n b</pre>",
        "<p>a<!-- c --></p>",
        "<p>a<script>x()</script></p>",
        "<dl><dt>a</dt></dl>",
    ):
        assert treemarkdown.parse(body, _DROPPED_SET) is None, body
        assert body_to_markdown(body) == _tidy(markdownify_body(body))


def test_a_body_nested_too_deep_for_libxml2s_tree_goes_to_markdownify():
    # libxml2 builds no tree below ~256 levels; BeautifulSoup, fed the same events, keeps
    # the text: the tree converter must not lose it
    for depth in (240, 300):
        body = "<div>" * depth + "<p>深处的文字 <b>x</b></p>" + "</div>" * depth
        assert body_to_markdown(body) == _tidy(markdownify_body(body))
        assert "深处的文字" in body_to_markdown(body)
    code = "<p>" + "<span>" * 20 + "<code>a</code>" * 300 + "</span>" * 20 + "</p>"
    tree, reference = both(code)  # many code elements side by side are not depth
    assert tree == reference and tree.count("<code>") == 300


# --- generated bodies --------------------------------------------------------------------

HOSTILE = [
    "{{",
    "}}",
    "{%",
    "*",
    "_",
    "`",
    "[",
    "]",
    "#",
    "# ",
    "1. ",
    "- ",
    "+ ",
    "> ",
    "|",
    "~~",
    "\\",
    "&",
    "<",
    ">",
    '"',
    "'",
    "--",
    "...",
    ": ",
    "!",
    "^",
    "=",
    "\x01",
    "\u200b",
    "中文",
    "Text",
    "2017年",
    "\xa0",
    "\u3000",
]
SPACE = st.sampled_from(["", "", " ", "  ", "\n", "\t", " \n ", "\xa0"])
WORDS = st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=3)), max_size=4).map("".join)
INLINE = [
    "strong",
    "b",
    "em",
    "i",
    "a",
    "span",
    "code",
    "q",
    "sub",
    "sup",
    "del",
    "s",
    "u",
    "font",
    "br",
    "img",
]
BLOCK = [
    "p",
    "div",
    "section",
    "article",
    "h1",
    "h2",
    "h3",
    "h4",
    "h7",
    "blockquote",
    "figure",
    "figcaption",
    "hr",
    "ul",
    "ol",
    "ol",
    "li",
    "li",
]
HREFS = ["https://example.com/a_(b)?c=1&d=2", "javascript:alert(1)", "/rel", "", "http://x.y/{{a}}"]
SRCS = ["https://img.jiemian.com/a.jpg", "https://img.jiemian.com/b b.png", "data:image/png,x", ""]


@st.composite
def node(draw, depth=0):
    kinds = ["text", "text"] + (["inline", "block"] if depth < 4 else [])
    kind = draw(st.sampled_from(kinds))
    if kind == "text":
        return draw(SPACE) + html.escape(draw(WORDS)) + draw(SPACE)
    tag = draw(st.sampled_from(INLINE if kind == "inline" else BLOCK))
    attrs = ""
    if tag == "a":
        attrs = f' href="{html.escape(draw(st.sampled_from(HREFS)))}"'
    if tag == "ol" and draw(st.booleans()):
        attrs = f' start="{draw(st.sampled_from(["3", "0", "", "12"]))}"'
    if tag == "img":
        attrs = f' src="{html.escape(draw(st.sampled_from(SRCS)))}"'
        if draw(st.booleans()):
            attrs += f' alt="{html.escape(draw(WORDS))}"'
        if draw(st.booleans()):
            attrs += f' title="{html.escape(draw(WORDS))}"'
    if tag in ("br", "hr", "img"):
        return f"<{tag}{attrs}>" + draw(SPACE)
    children = draw(st.lists(node(depth + 1), max_size=4))
    return f"{draw(SPACE)}<{tag}{attrs}>{''.join(children)}</{tag}>{draw(SPACE)}"


bodies = st.lists(node(), min_size=1, max_size=6).map("".join)


@settings(max_examples=examples(50), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=bodies, archive=st.booleans())
@example(
    body="<figure><img src='https://img.jiemian.com/a.jpg'><figcaption> 说明 <b>x</b></figcaption></figure>",
    archive=True,
)
@example(
    body="<figure><figure><img src='https://a.b/c.jpg'><figcaption>in</figcaption></figure>"
    "<figcaption>out</figcaption></figure>",
    archive=False,
)
@example(
    body="<ul> <li>a<ol start='3'><li>b\n c</li> <li></li><li>d</li></ol> x</li>\n</ul>t<ol><li>e</li></ol>",
    archive=False,
)
@example(body="<p><b>a</b><b>b</b> <i>c</i><em><strong>d</strong></em></p>", archive=False)
@example(body="text <br> <h2> a <br> b </h2>\n<blockquote> <p>q</p>\n<p></p> </blockquote>", archive=False)
def test_generated_bodies_match_markdownify(body, archive):
    local = {src: "img/x/1/01.jpg" for src in SRCS} if archive else {}
    tree, reference = both(body, local)
    if tree is None:  # only an empty body goes to markdownify (which gives "")
        assert not clean_text(body).strip() and reference == ""
        return
    assert tree == reference


@settings(max_examples=examples(200), deadline=None)
@given(text=st.text(alphabet=st.sampled_from(["\n", "a", " ", "\r", "中"]), min_size=1, max_size=12))
def test_newlines_split_as_markdownifys_pattern(text):
    assert treemarkdown._newlines(text) == treemarkdown._NEWLINES.match(text).groups()
