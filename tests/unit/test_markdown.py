"""Article body HTML -> Markdown: structure kept, chrome and active content gone, text exact.

The last test builds the result with the real Jekyll and compares the visible text.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from archiver.extract.text import clean_text
from archiver.render.markdown import body_to_markdown
from archiver.render.safety import _escape_marks, escape_text
from tests.support.budget import examples


def test_structure_survives_as_markdown():
    md = body_to_markdown(
        "<h2>小标题</h2><p>正文<strong>加粗</strong>和<a href='https://example.com/a'>链接</a></p>"
        "<ul><li>一</li><li>二</li></ul><ol><li>甲</li><li>乙</li></ol>"
        "<table><tr><th>公司</th><th>营收</th></tr><tr><td>京东</td><td>100</td></tr></table>"
        "<blockquote><p>引用一</p><p>引用二</p></blockquote>"
        "<figure><img src='https://img.jiemian.com/a.jpg'><figcaption>图片来源：视觉中国</figcaption></figure>"
    )
    blocks = md.split("\n\n")
    assert blocks[0] == "## 小标题"
    assert blocks[1] == "正文**加粗**和[链接](https://example.com/a)"
    assert "- 一\n- 二" in md and "1. 甲\n2. 乙" in md
    assert "| 公司 | 营收 |\n| --- | --- |\n| 京东 | 100 |" in md
    assert "> 引用一\n>\n> 引用二" in md
    assert "![图片来源：视觉中国](https://img.jiemian.com/a.jpg)" in md


def test_active_content_never_survives():
    md = body_to_markdown(
        "<p onclick='x()'>文字<script>alert(1)</script><style>p{}</style></p>"
        "<iframe src='https://evil.example'></iframe><object data='x.swf'></object><embed src='y'>"
        "<p><a href='javascript:alert(1)'>坏链接</a><a href='data:text/html,x'>数据</a>"
        "<img src='data:image/png;base64,AAA'><img src='javascript:x' onerror='y()'></p>"
        "<svg><script>z()</script></svg>"
    )
    for bad in ("script", "alert", "iframe", "evil", "onclick", "onerror", "javascript", "data:", "swf", "<"):
        assert bad not in md
    assert "文字" in md and "坏链接" in md and "数据" in md


def test_text_is_one_line_per_paragraph():
    assert body_to_markdown("<p>第一行\n第二行\n\n# 第三行</p>") == "第一行 第二行 \\# 第三行"


@settings(max_examples=examples(100))
@given(st.text())
def test_escape_text_leaves_only_text_without_marks_alone(text):
    # escape_text skips its rules when no character they act on is there: that must
    # never change the result
    assert escape_text(text) == _escape_marks(clean_text(text))


def test_escape_text_is_plain_ascii_safe():
    assert escape_text("{{ x }}") == "&#123;&#123; x &#125;&#125;"
    assert escape_text("<b>&amp;") == "&lt;b&gt;&amp;amp;"
    assert escape_text("2017-02-11 23.2W") == "2017-02-11 23.2W"  # ordinary text stays readable
