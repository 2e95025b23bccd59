"""The post format (README "Post format"), proven field by field and with hostile text."""

from __future__ import annotations

from datetime import UTC, datetime

import frontmatter
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from archiver.items import Image
from archiver.render.post import (
    PostError,
    PostSettings,
    format_views,
    front_matter,
    header_img,
    post_filename,
    render_post,
    yaml_scalar,
)
from tests.support.articles import article, hostile_text, long_text
from tests.support.budget import examples


def test_file_name_uses_the_publication_date_in_the_site_time_zone():
    # 2026-11-19 23:30 UTC is already 2026-11-20 07:30 in Shanghai
    late = article(published=datetime(2026, 11, 19, 23, 30, tzinfo=UTC))
    assert post_filename(late, PostSettings()) == "2026-11-20-jiemian-14790123.md"
    assert "date:         2026/11/20 07:30\n" in render_post(late, PostSettings())


@pytest.mark.parametrize("bad_id", ["../../etc/passwd", "1/2", "", "a\x00b", "-x"])
def test_ids_that_are_not_safe_file_name_parts_are_refused(bad_id):
    with pytest.raises(PostError):
        post_filename(article(id=bad_id), PostSettings())


def test_front_matter_keys_order_and_value_column():
    text = front_matter(article(), PostSettings(header_img="img/x.jpg"))
    lines = text.splitlines()
    assert lines[0] == lines[-1] == "---"
    keys = [line.split(":", 1)[0] for line in lines[1:-1] if not line.startswith(" ")]
    assert keys == [
        "layout",
        "title",
        "subtitle",
        "date",
        "author",
        "header-img",
        "header-mask",
        "catalog",
        "tags",
    ]
    for line in lines[1:-2]:
        if not line.startswith(" ") and line != "tags:":
            assert line[14] != " " and line[:14].rstrip().endswith(":"), line
    assert lines[-2] == "    - 界面新闻"


def test_author_is_the_byline_unless_the_blog_owner_is_configured():
    assert 'author:       "张三/李四"' in render_post(article(), PostSettings())
    assert 'author:       "Sinter"' in render_post(article(), PostSettings(author="Sinter"))


def test_missing_lead_drops_the_subtitle_line():
    assert "subtitle:" not in render_post(article(lead=""), PostSettings())


def test_views_line():
    assert format_views(232_000) == "23.2W"
    assert format_views(10_000) == "1.0W"
    assert format_views(8563) == "8563"
    with_views = render_post(article(views=232_000), PostSettings())
    assert "\n**2026/11/20 08:05**  **浏览 23.2W**\n" in with_views
    assert "\n**2026/11/20 08:05**\n" in render_post(article(), PostSettings())


def test_every_paragraph_is_quoted_and_separated():
    text = render_post(article(), PostSettings())
    assert (
        "\n> 第一段\n>\n> 第二段\n\n\n[原文地址](https://www.jiemian.com/article/14790123.html)"
        '{:target="_blank"}\n' in text
    )


def test_category_tag_and_extra_keys_are_options():
    plain = render_post(article(), PostSettings())
    assert "    - 科技" not in plain and "source_url" not in plain
    rich = frontmatter.loads(render_post(article(), PostSettings(tag_category=True, extra_front_matter=True)))
    assert rich["tags"] == ["界面新闻", "科技"]
    assert rich["source_url"] == "https://www.jiemian.com/article/14790123.html"
    assert rich["source_id"] == "14790123" and rich["byline"] == "张三/李四"


def test_header_img_policies():
    a = article()
    pool = tuple(f"img/my-post/tech{n:02d}.jpg" for n in range(1, 11))
    assert header_img(a, PostSettings(header_img="img/fixed.jpg")) == "img/fixed.jpg"
    chosen = header_img(a, PostSettings(header_img="pool", header_img_pool=pool))
    assert chosen in pool
    assert chosen == header_img(a, PostSettings(header_img="pool", header_img_pool=pool))
    picks = {
        header_img(article(id=str(i)), PostSettings(header_img="pool", header_img_pool=pool))
        for i in range(200)
    }
    assert len(picks) == 10, "the pool is used evenly, not always the same picture"
    covered = article(
        cover=Image("https://img.jiemian.com/c.jpg"),
        local_images={"https://img.jiemian.com/c.jpg": "img/jiemian/1/cover.jpg"},
    )
    assert header_img(covered, PostSettings()) == "img/jiemian/1/cover.jpg"
    # cover policy without an archived cover: the pool, else no header-img line at all
    assert header_img(a, PostSettings(header_img_pool=pool)) in pool
    assert "header-img" not in render_post(a, PostSettings())


def test_plain_scalars_where_safe_quoted_otherwise():
    assert (
        yaml_scalar("刘强东要将“技术至上论”推行到底 京东金融会是一个怎样的“技术咖” ？")
        == "刘强东要将“技术至上论”推行到底 京东金融会是一个怎样的“技术咖” ？"
    )
    for risky in ["标题 #x", "Yes", "12:30", "[快讯] 标题", "{{ x }}", "a: b", "null", "*星", "@人", "%d"]:
        assert yaml_scalar(risky).startswith('"'), risky


# -- hostile titles and leads: the front matter reads back the same strings ------------


@settings(max_examples=examples(60), suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(title=st.one_of(hostile_text, long_text), lead=hostile_text, author=hostile_text.filter(str.strip))
@example(title="【快讯】标题: 副标题 #1", lead="[导语] “引号” & 100%", author='Sinter "S"')
@example(title="`code` *star* !bang @at %pct", lead="\n", author="x")
def test_front_matter_reads_back_exactly(title, lead, author):
    text = render_post(article(title=title, lead=lead), PostSettings(author=author))
    post = frontmatter.loads(text)
    assert post["title"] == title
    assert post["subtitle"] == lead
    assert post["author"] == author
    assert post["layout"] == "post" and post["tags"] == ["界面新闻"]
    assert post["date"] == "2026/11/20 08:05"


def test_a_body_rendered_ahead_by_a_worker_gives_the_same_post_and_is_not_used_for_other_images():
    import pickle

    from archiver.render.post import render_body_ahead

    picture = "https://img.jiemian.com/101/original/a.jpg"
    body = f'<p>第一段</p><p><img src="{picture}" alt="图"></p><p>第二段</p>'
    plain = render_post(article(body_html=body), PostSettings())
    shipped = article(body_html=body)
    render_body_ahead(shipped)  # in the worker; the article then travels pickled to the writer
    received = pickle.loads(pickle.dumps(shipped))
    assert received.body_ahead is not None and picture in received.body_ahead[2]
    assert received.body_ahead[0] is received.body_html  # the body travelled once
    assert render_post(received, PostSettings()) == plain
    assert "body_ahead" not in received.to_json()  # not part of the article (nor of its hash)
    # the writer's images pipeline archived the picture: the post links the copy, not the original
    received.local_images = {picture: "img/jiemian/14790123/01.jpg"}
    linked = render_post(received, PostSettings())
    assert "img/jiemian/14790123/01.jpg" in linked and picture not in linked
    assert linked == render_post(article(body_html=body, local_images=received.local_images), PostSettings())


def test_what_a_worker_read_of_a_body_is_not_used_for_another_body():
    import pickle

    from archiver.render.post import body_has_content, render_body_ahead

    shipped = article(body_html="<p>第一段</p>")
    render_body_ahead(shipped)
    received = pickle.loads(pickle.dumps(shipped))
    assert body_has_content(received)
    received.body_html = "<p> </p>"  # replaced after the worker read it: read again
    assert not body_has_content(received)
    assert render_post(received, PostSettings()) == render_post(article(body_html="<p> </p>"), PostSettings())
