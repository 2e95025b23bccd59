"""The Jekyll harness (tests/support/jekyll.py) proven on the hand-made reference post.

Builds it in the real Hux theme (archiver/preview/hux, plus tests/blog-extras) with
real Jekyll (Debian's jekyll 4.3.1 + ruby-jekyll-paginate). Marker: ``jekyll``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.support import jekyll as jc
from tests.support.fixtures import REFERENCE_POST

# No skip when jekyll is missing: a machine without it must fail, not pass silently
# (.ci/run installs Debian's jekyll).
pytestmark = pytest.mark.jekyll

REFERENCE = REFERENCE_POST
POST_NAME = "2017-02-11-jiemian-1108857.md"
REF_TITLE = "刘强东要将“技术至上论”推行到底 京东金融会是一个怎样的“技术咖” ？"
REF_SUBTITLE = "京东金融要做好两件重要事情，一是对外的技术投资，二是对内的技术如何驱动。"
REF_SOURCE_URL = "http://www.jiemian.com/article/1108857.html"

FRONT_MATTER = """---
layout:       post
title:        Liquid 测试
subtitle:     测试用的文章
date:         {date}
author:       "Sinter"
header-img:   "img/my-post/tech01.jpg"
header-mask:  0.3
catalog:      true
tags:
    - 界面新闻
---

"""


def _blog_root(tmp: Path, posts: dict) -> Path:
    """An archiver-like output folder: _posts/ with the given files."""
    root = tmp / "blog"
    (root / "_posts").mkdir(parents=True)
    for name, text in posts.items():
        (root / "_posts" / name).write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module", params=["", "/blog"], ids=["baseurl-empty", "baseurl-blog"])
def ref_build(request, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("ref")
    root = tmp / "blog"
    (root / "_posts").mkdir(parents=True)
    shutil.copyfile(REFERENCE, root / "_posts" / POST_NAME)
    return jc.build_blog(root, tmp / "work", baseurl=request.param)


@pytest.fixture(scope="module")
def ref_view(ref_build):
    return ref_build.view(POST_NAME)


def test_reference_builds_without_warnings(ref_build):
    assert ref_build.returncode == 0, ref_build.describe()
    assert ref_build.warnings == [], ref_build.describe()
    assert ref_build.ok
    assert ref_build.unrendered == []
    assert set(ref_build.pages) == {POST_NAME}
    assert ref_build.urls[POST_NAME] == "/2017/02/11/jiemian-1108857/"
    page = ref_build.pages[POST_NAME]
    assert page == ref_build.site_dir / "2017" / "02" / "11" / "jiemian-1108857" / "index.html"
    assert page.is_file()


def test_reference_header(ref_view):
    assert ref_view.title == REF_TITLE
    assert ref_view.title_html == REF_TITLE  # plain text, no markup
    assert ref_view.subtitle == REF_SUBTITLE
    assert ref_view.author == "Sinter"
    assert ref_view.tags == ["界面新闻"]
    assert ref_view.date == "February 11, 2017"
    assert ref_view.date_iso == "2017-02-11T15:35:00+08:00"  # Asia/Shanghai
    assert ref_view.header_mask == "0.3"
    assert ref_view.catalog is True
    assert ref_view.head_title.startswith(REF_TITLE)


def test_reference_header_image_resolves(ref_build, ref_view):
    base = ref_build.baseurl
    assert ref_view.header_img == f"{base}/img/my-post/tech06.jpg"
    img = jc.resolve_site_url(ref_build.site_dir, ref_view.header_img, base)
    assert img == ref_build.site_dir / "img" / "my-post" / "tech06.jpg"
    assert img.read_bytes()[:2] == b"\xff\xd8"


def test_reference_body(ref_view):
    assert ref_view.lead == "2017/02/11 15:35 浏览 23.2W"
    assert ref_view.blockquote_count == 1
    # the reference puts "> " on the first line only: one paragraph for the whole article
    assert len(ref_view.quote_paragraphs) == 1
    text = ref_view.quote_paragraphs[0]
    assert text.startswith("2月10日，京东集团CEO刘强东在公司年会上")
    assert text.endswith("希望用大数据、人工智能等全新技术为客户服务。")
    assert ref_view.images == []


def test_reference_source_link(ref_view):
    assert ref_view.source_link_href == REF_SOURCE_URL
    assert ref_view.source_link_target == "_blank"


def test_index_lists_post_with_baseurl(ref_build, ref_view):
    from lxml import html as lhtml

    index = ref_build.site_dir / "index.html"
    doc = lhtml.fromstring(index.read_bytes(), parser=lhtml.HTMLParser(encoding="utf-8"))
    hrefs = doc.xpath('//div[@class="post-preview"]/a/@href')
    assert hrefs == [ref_build.page_url(POST_NAME)]
    assert jc.resolve_site_url(ref_build.site_dir, hrefs[0], ref_build.baseurl) == ref_build.pages[POST_NAME]


def test_resolve_site_url(ref_build):
    site, base = ref_build.site_dir, ref_build.baseurl
    img = site / "img" / "my-post" / "tech06.jpg"
    page = ref_build.pages[POST_NAME]
    assert jc.resolve_site_url(site, f"{base}/img/my-post/tech06.jpg?v=1#x", base) == img
    assert jc.resolve_site_url(site, "img/my-post/tech06.jpg", base) == img  # relative to the site root
    page_url = ref_build.page_url(POST_NAME)
    assert jc.resolve_site_url(site, "../../../../img/my-post/tech06.jpg", base, page_url=page_url) == img
    assert jc.resolve_site_url(site, "img/my-post/tech06.jpg", base, page_url=page_url) is None
    assert jc.resolve_site_url(site, page_url, base) == page
    assert jc.resolve_site_url(site, page_url.rstrip("/"), base) == page
    assert jc.resolve_site_url(site, "http://www.jiemian.com/x.jpg", base) is None
    assert jc.resolve_site_url(site, "//cdn.example.com/x.jpg", base) is None
    assert jc.resolve_site_url(site, f"{base}/img/my-post/missing.jpg", base) is None
    assert jc.resolve_site_url(site, f"{base}/../../etc/passwd", base) is None
    if base:
        # an absolute path without the baseurl is broken on a blog served under it
        assert jc.resolve_site_url(site, "/img/my-post/tech06.jpg", base) is None
    else:
        assert jc.resolve_site_url(site, "/img/my-post/tech06.jpg", "/blog") is None


def test_lone_liquid_tag_fails_the_build(tmp_path):
    post = FRONT_MATTER.format(date="2017/02/11 15:35") + "> 价格 {% 上涨\n"
    res = jc.build_blog(_blog_root(tmp_path, {POST_NAME: post}), tmp_path / "work")
    assert not res.ok
    assert res.returncode != 0 or res.warnings
    assert any("Liquid" in w for w in res.warnings), res.describe()
    assert POST_NAME not in res.pages


def test_liquid_execution_is_visible_in_rendered_text(tmp_path):
    name_liquid = "2017-02-12-jiemian-1.md"
    name_paras = "2017-02-13-jiemian-2.md"
    posts = {
        name_liquid: FRONT_MATTER.format(date="2017/02/12 09:00")
        + "> 本站名为 {{ site.title }} 。\n>\n> 第二段{{ undefined_variable }}结束\n",
        name_paras: FRONT_MATTER.format(date="2017/02/13 09:00") + "> 第一段\n>\n> 第二段\n>\n> 第三段\n",
    }
    res = jc.build_blog(_blog_root(tmp_path, posts), tmp_path / "work")
    assert res.ok, res.describe()
    view = res.view(name_liquid)
    # Liquid ran: the site title replaced the tag, the unknown variable vanished.
    assert jc.SITE_TITLE and jc.SITE_TITLE in view.quote_paragraphs[0]
    assert "{{" not in view.content_text
    assert view.quote_paragraphs == [f"本站名为 {jc.SITE_TITLE} 。", "第二段结束"]
    # a line holding only ">" separates paragraphs inside the blockquote
    assert res.view(name_paras).quote_paragraphs == ["第一段", "第二段", "第三段"]


def test_check_post_passes_on_the_reference(ref_build):
    post = ref_build.source_dir / "_posts" / POST_NAME
    assert jc.check_post(ref_build, post) == []


def test_check_post_sees_what_a_reader_would_see_wrong(tmp_path):
    """An empty author ("Posted by  on …" in Hux), a missing image, a missing header picture,
    a heading the page lost and a post without its 原文地址 link are each reported."""
    name = "2017-02-14-jiemian-3.md"
    post = (
        FRONT_MATTER.format(date="2017/02/14 09:00")
        .replace('author:       "Sinter"', 'author:       ""')
        .replace("img/my-post/tech01.jpg", "img/my-post/none.jpg")
        + "> ## 第一节\n>\n> 正文 ![图](/img/jiemian/3/01.jpg)\n>\n> \\## 不是标题\n"
    )
    res = jc.build_blog(_blog_root(tmp_path, {name: post}), tmp_path / "work")
    assert res.ok, res.describe()
    problems = jc.check_post(res, res.source_dir / "_posts" / name)
    text = "\n".join(problems)
    assert "empty author" in text
    assert "image '/img/jiemian/3/01.jpg' is no file" in text
    assert "header image '/img/my-post/none.jpg'" in text
    assert "no 原文地址 link" in text
    assert "headings" not in text  # "\\##" is text, "## 第一节" the one heading: both read right
    assert len(problems) == 5, problems  # the four above and the link's missing target

    # a heading of the post that the page does not show as one is reported too
    broken = post.replace("> ## 第一节", "> 第一节")
    (tmp_path / "blog" / "_posts" / name).write_text(broken, encoding="utf-8")
    res = jc.build_blog(tmp_path / "blog", tmp_path / "work")
    source = res.source_dir / "_posts" / name
    source.write_text(post, encoding="utf-8")  # the file claims a heading the page lacks
    assert any("headings shows [], the post says [(2, '第一节')]" in p for p in jc.check_post(res, source))
