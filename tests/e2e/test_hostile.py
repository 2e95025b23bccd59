"""Hostile content in a whole page: a safe post or a clear refusal, never active content,
never a file outside the blog root (which holds the archive folder too)."""

from __future__ import annotations

import re
import shutil

import frontmatter
import lxml.html
import pytest

from archiver.demo.server import SITE, FixtureServer
from tests.support import jekyll as jc
from tests.support.crawl import run_crawl

pytestmark = pytest.mark.e2e

ACTIVE = re.compile(
    r"<(script|style|iframe|object|embed|svg|form|input|base)\b|\son[a-z]+\s*=|"
    r"javascript:|vbscript:|data:",
    re.I,
)
HOSTILE_BODY = """
<p>正常段落一。</p>
<script>alert('xss')</script><style>p{color:red}</style>
<iframe src="https://evil.example/frame"></iframe>
<object data="evil.swf"><param name="x" value="y"><embed src="evil.swf"></object>
<svg onload="alert(1)"><script>alert(2)</script><circle r="5"/></svg>
<p onclick="steal()" onmouseover="x()" style="background:url(javascript:alert(1))">带事件的段落</p>
<p><a href="javascript:alert(1)">脚本链接</a> <a href="data:text/html;base64,PHNjcmlwdD4=">数据链接</a>
<a href="//cdn.example.com/x.html">协议相对链接</a> <a href="/article/1.html">相对链接</a> <a href="vbscript:x">vb链接</a></p>
<p><img src="javascript:alert(1)"><img data-src="data:image/svg+xml,&lt;svg onload=alert(1)&gt;">
<img src="../../../../etc/passwd.jpg" alt="穿越"></p>
<p>Liquid {{ site.title }} {% include evil.html %} 与 kramdown {::options parse_block_html="true" /} {: .cls onclick="x"}</p>
<p>控制字符\x01\x02、零宽\u200b字符、方向覆盖\u202e文字\u202c结束</p>
<form action="https://evil.example/post"><input name="x"><button>提交</button></form>
<p>正常段落二。</p>
"""
TITLE = "“标题”: <script>alert(1)</script> #1 [快讯] {{ x }} \u202eevil\u202c" + "长" * 10_000


def hostile_page() -> bytes:
    tree = lxml.html.fromstring((SITE / "article" / "14835210.html").read_bytes())
    head = tree.find("head")
    head.insert(0, lxml.html.fragment_fromstring('<base href="https://evil.example/">'))
    tree.cssselect("div.article-header h1")[0].text = TITLE
    content = tree.cssselect("div.article-content")[0]
    for child in list(content):
        content.remove(child)
    content.text = None
    for element in lxml.html.fragments_fromstring(
        HOSTILE_BODY.replace("\x01", "&#1;").replace("\x02", "&#2;")
    ):
        if isinstance(element, str):
            continue
        content.append(element)
    return lxml.html.tostring(tree, encoding="utf-8", doctype="<!DOCTYPE html>")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    site = tmp / "site"
    shutil.copytree(SITE, site)
    (site / "article" / "9200001.html").write_bytes(hostile_page())
    before = {p for p in tmp.rglob("*")}
    with FixtureServer(site) as server:
        result = run_crawl(tmp / "blog", server.url, "ids=9200001")
    created = {p for p in tmp.rglob("*")} - before
    return result, created, tmp


def test_a_safe_post_is_written(hostile):
    result = hostile[0]
    [post] = result.posts
    text = post.read_text(encoding="utf-8")
    assert not ACTIVE.search(text), ACTIVE.search(text)
    meta = frontmatter.loads(text)
    assert meta["title"].startswith("“标题”: ＜script＞alert(1)＜/script＞ #1 [快讯] {{ x }} evil")
    assert "\u202e" not in meta["title"] and len(meta["title"]) > 10_000
    assert "https://www.jiemian.com/article/1.html" in text  # relative link: the page's URL, not <base>
    assert "https://cdn.example.com/x.html" in text
    assert "evil.example" not in text


@pytest.mark.jekyll
def test_the_blog_shows_the_text_and_runs_nothing(hostile, tmp_path):
    result = hostile[0]
    build = jc.build_blog(result.output, tmp_path / "site")
    assert build.ok, build.describe()
    # the one image the page points outside the site keeps its URL, as the run said
    not_archived = jc.not_archived_images(result.log)
    assert not_archived == {"https://www.jiemian.com/etc/passwd.jpg"}
    assert jc.check_posts(build, result.posts, not_archived) == []
    [name] = [p.name for p in result.posts]
    view = build.view(name)
    assert jc.active_content(view.content_html) == []
    assert jc.active_content(view.title_html) == [] and view.title.startswith(
        "“标题”: ＜script＞alert(1)＜/script＞"
    )
    paragraphs = view.quote_paragraphs
    assert paragraphs[0] == "正常段落一。" and paragraphs[-1] == "正常段落二。"
    assert (
        "Liquid {{ site.title }} {% include evil.html %} 与 kramdown "
        '{::options parse_block_html="true" /} {: .cls onclick="x"}'
    ) in paragraphs
    assert "控制字符、零宽字符、方向覆盖文字结束" in paragraphs
    assert "带事件的段落" in paragraphs
    assert "脚本链接 数据链接 协议相对链接 相对链接 vb链接" in paragraphs


def test_no_file_is_written_outside_the_blog_root(hostile):
    result, created, tmp = hostile
    blog = tmp / "blog"
    outside = [p for p in created if blog not in p.parents and p != blog and p.name != "blog-stats.json"]
    assert outside == []
    images = sorted(p.relative_to(blog).as_posix() for p in (blog / "img").rglob("*") if p.is_file())
    assert all(re.fullmatch(r"img/jiemian/9200001/(cover|\d\d)\.(jpg|png|gif|webp)", i) for i in images), (
        images
    )
    assert result.stats.get("archiver/images/failed", 0) >= 1  # the traversal image is simply not there
