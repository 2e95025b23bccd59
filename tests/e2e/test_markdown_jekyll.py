"""Hostile paragraph text, converted and written as a post, renders exactly in the real Jekyll
(the converter alone: tests/unit/test_markdown.py)."""

from __future__ import annotations

import html
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from archiver.items import Article
from archiver.render.post import PostSettings, post_filename, render_post
from tests.support import jekyll as jc

HOSTILE_PARAGRAPHS = [
    "Liquid {{ x }} and {{ site.title }} and {% if a %}中间{% endif %}",
    "{% raw %} inside {% endraw %} and a lone {% and {{",
    "kramdown {: .x} {::comment} 这不是注释 {:/comment} {#id}",
    "HTML <b>bold</b> &amp; &lt; <script>alert(1)</script>",
    "# not a heading",
    "1. not a list",
    "- not a list * neither",
    "> not a quote",
    "a | b | c",
    "*star* _under_ `tick` ~~strike~~ $$math$$ [link](http://x) ![img](http://y)",
    "Straight \"quotes\" and 'single' -- dash --- em ... ellipsis << >>",
    "Backslash \\ and \\* and [^1] and http://example.com/a_b_c",
    ": definition",
    "+ plus",
    "=== setext",
    "‹抖音> text after",
    "中文标点：“引号”『』【标题】——破折号……省略号",
    "<http://auto.link> trailing backslash \\",
]


@pytest.mark.jekyll
def test_hostile_text_renders_exactly_in_jekyll(tmp_path):
    body = "".join(f"<p>{html.escape(p)}</p>" for p in HOSTILE_PARAGRAPHS)
    a = Article(
        source="jiemian",
        id="1",
        url="https://www.jiemian.com/article/1.html",
        title="T",
        published=datetime(2020, 1, 1, 8, 0, tzinfo=ZoneInfo("Asia/Shanghai")),
        body_html=body,
        site_name="界面新闻",
        lead="L",
    )
    settings = PostSettings(author="Sinter", header_img="img/my-post/tech01.jpg")
    root = tmp_path / "blog"
    (root / "_posts").mkdir(parents=True)
    name = post_filename(a, settings)
    (root / "_posts" / name).write_text(render_post(a, settings), encoding="utf-8")
    build = jc.build_blog(root, tmp_path / "work")
    assert build.ok, build.describe()
    assert jc.check_post(build, root / "_posts" / name) == []
    view = build.view(name)
    assert view.quote_paragraphs == [jc.norm_ws(p) for p in HOSTILE_PARAGRAPHS]
    assert "<script" not in view.content_html and "<b>" not in view.content_html
