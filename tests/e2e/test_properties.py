"""Property-based tests of the Markdown converter and the post writer, rendered as Jekyll
renders (the mutation fuzz of the jiemian parser: tests/unit/test_parser_fuzz.py).

For any article: the post's front matter reads back the same values, the rendered post
holds no active HTML, and the visible text of the article survives exactly. Rendering
uses the same Liquid and kramdown (GFM input, Jekyll's options) that Jekyll runs, in one
Ruby process for the whole test; a sample of generated posts is built by the real Jekyll.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
from datetime import datetime
from zoneinfo import ZoneInfo

import frontmatter
import lxml.html
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from archiver.extract.text import clean_text
from archiver.items import Article
from archiver.render.post import PostSettings, post_filename, render_post
from tests.support import jekyll as jc

RUBY = r"""
require 'json'; require 'liquid'; require 'kramdown'; require 'kramdown-parser-gfm'
STDOUT.sync = true
OPTIONS = { input: 'GFM', hard_wrap: false, auto_ids: true, entity_output: :as_char,
            smart_quotes: %w[lsquo rsquo ldquo rdquo], toc_levels: (1..6).to_a, guess_lang: true }
STDIN.each_line do |line|
  begin
    text = Liquid::Template.parse(JSON.parse(line), error_mode: :strict).render({})
    puts JSON.generate({ 'html' => Kramdown::Document.new(text, OPTIONS).to_html })
  rescue Exception => e
    puts JSON.generate({ 'error' => "#{e.class}: #{e.message}" })
  end
end
"""

HOSTILE = [
    "{{",
    "}}",
    "{%",
    "%}",
    "{:",
    "{::",
    "*",
    "_",
    "`",
    "[",
    "]",
    "(",
    ")",
    "#",
    "# ",
    "1. ",
    "- ",
    "+ ",
    "> ",
    "|",
    "~~",
    "$$",
    "\\",
    "<b>",
    "</p>",
    "&amp;",
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
    "  ",
    "\t",
    "\x01",
    "\u202e",
    "\u200b",
    "{% raw %}",
    "{% endraw %}",
    "<script>",
    "javascript:",
    "http://x.y/a_b",
    "—",
    "“",
    "”",
    "【",
    "】",
    "中文",
    "Text",
    "2017年",
    "\n",
]
text = st.lists(
    st.one_of(
        st.sampled_from(HOSTILE), st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=4)
    ),
    min_size=1,
    max_size=10,
).map("".join)
visible = text.filter(lambda t: jc.norm_ws(clean_text(t)).strip() != "")


@st.composite
def inline(draw):
    kind = draw(st.sampled_from(["text", "text", "strong", "em", "link", "code"]))
    value = draw(visible)
    escaped = html.escape(value)
    if kind == "strong":
        return f"<strong>{escaped}</strong>", value
    if kind == "em":
        return f"<em>{escaped}</em>", value
    if kind == "link":
        href = draw(
            st.sampled_from(
                [
                    "https://example.com/a?b=1&c=2",
                    "javascript:alert(1)",
                    "/rel/x.html",
                    "data:text/html,x",
                    "https://example.com/(x)",
                ]
            )
        )
        return f'<a href="{html.escape(href)}">{escaped}</a>', value
    if kind == "code":
        return f"<code>{escaped}</code>", value
    return escaped, value


@st.composite
def block(draw):
    kind = draw(st.sampled_from(["p", "p", "p", "h2", "ul", "blockquote", "table", "img"]))
    if kind in ("p", "h2"):
        parts = draw(st.lists(inline(), min_size=1, max_size=4))
        return f"<{kind}>{''.join(h for h, _ in parts)}</{kind}>", "".join(v for _, v in parts)
    if kind == "ul":
        items = draw(st.lists(visible, min_size=1, max_size=3))
        return "<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in items) + "</ul>", "".join(items)
    if kind == "blockquote":
        inner = draw(visible)
        return f"<blockquote><p>{html.escape(inner)}</p></blockquote>", inner
    if kind == "table":
        cells = draw(st.lists(visible, min_size=4, max_size=4))
        rows = (
            f"<tr><th>{html.escape(cells[0])}</th><th>{html.escape(cells[1])}</th></tr>"
            f"<tr><td>{html.escape(cells[2])}</td><td>{html.escape(cells[3])}</td></tr>"
        )
        return f"<table>{rows}</table>", "".join(cells)
    alt = draw(text)
    return f'<p><img src="https://img.jiemian.com/a.jpg" alt="{html.escape(alt)}" onerror="x()"></p>', ""


articles = st.builds(
    lambda title, lead, blocks: (
        Article(
            source="jiemian",
            id="1",
            url="https://www.jiemian.com/article/1.html",
            title=title,
            lead=lead,
            published=datetime(2026, 11, 20, 8, 5, tzinfo=ZoneInfo("Asia/Shanghai")),
            body_html="".join(b for b, _ in blocks),
            site_name="界面新闻",
            authors=["作者"],
        ),
        "".join(v for _, v in blocks),
    ),
    text,
    text,
    st.lists(block(), min_size=1, max_size=8),
)


def squeeze(value: str) -> str:
    """Visible text compared without any whitespace (block breaks become spaces or nothing)."""
    return re.sub(r"\s+", "", clean_text(value).replace("\xa0", " ").replace("\u3000", " "))


@pytest.fixture(scope="module")
def render():
    ruby = subprocess.Popen(["ruby", "-e", RUBY], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def to_html(markdown: str) -> str:
        ruby.stdin.write(json.dumps(markdown) + "\n")
        ruby.stdin.flush()
        answer = json.loads(ruby.stdout.readline())
        assert "error" not in answer, answer.get("error")
        return answer["html"]

    yield to_html
    ruby.stdin.close()
    ruby.wait(timeout=10)


def _case(*blocks: tuple[str, str]):
    article = Article(
        source="jiemian",
        id="1",
        url="https://www.jiemian.com/article/1.html",
        title="t",
        lead="",
        published=datetime(2026, 11, 20, 8, 5, tzinfo=ZoneInfo("Asia/Shanghai")),
        body_html="".join(b for b, _ in blocks),
        site_name="界面新闻",
        authors=["作者"],
    )
    return article, "".join(v for _, v in blocks)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(case=articles)
# found by the wide search: a paragraph starting with a link whose text starts "]:" read as a
# kramdown link definition, and vanished
@example(case=_case(("<p>{{</p>", "{{"), ('<p><a href="https://example.com/a">]: </a></p>', "]: ")))
@example(case=_case(('<p><a href="https://example.com/a">a]:b</a> [x]: y</p>', "a]:b [x]: y")))
def test_any_article_renders_safely_with_its_text_intact(render, case):
    article, expected_text = case
    post = render_post(article, PostSettings(author="Sinter", header_img="img/x.jpg"))
    meta = frontmatter.loads(post)
    assert meta["title"] == article.title and meta.get("subtitle", "") == article.lead
    body = post.split("\n---\n", 1)[1]
    rendered = render(body)
    assert jc.active_content(rendered) == []
    quote = lxml.html.fragment_fromstring(rendered, create_parent="div").find("blockquote")
    assert squeeze(quote.text_content()) == squeeze(expected_text)


@settings(
    max_examples=1,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(cases=st.lists(articles, min_size=20, max_size=20))
@pytest.mark.jekyll
def test_a_sample_of_generated_posts_builds_in_jekyll(tmp_path_factory, cases):
    root = tmp_path_factory.mktemp("sample") / "blog"
    (root / "_posts").mkdir(parents=True)
    expected = {}
    for n, (article, text_value) in enumerate(cases):
        article.id = str(n + 1)
        article.published = article.published.replace(day=1 + n)
        name = post_filename(article, PostSettings())
        (root / "_posts" / name).write_text(
            render_post(article, PostSettings(header_img="img/my-post/tech01.jpg")), encoding="utf-8"
        )
        expected[name] = text_value
    build = jc.build_blog(root, tmp_path_factory.mktemp("sample-site"))
    assert build.ok, build.describe()
    assert jc.check_posts(build, sorted((root / "_posts").glob("*.md"))) == []
    for name, text_value in expected.items():
        view = build.view(name)
        assert jc.active_content(view.content_html) == []
        quote = lxml.html.fromstring(view.quote_html)
        assert squeeze(quote.text_content()) == squeeze(text_value)
