"""Golden test: article 1108857 (2017 markup) becomes the blog's hand-made reference post,
differing only by the documented paragraph improvement. The whole file is compared."""

from __future__ import annotations

from archiver.demo.server import SITE
from archiver.render.post import PostSettings, post_filename, render_post
from archiver.sites import jiemian
from tests.support.fixtures import REFERENCE_POST

#: The reference blog's own settings: its owner's name, and the header picture the
#: person picked by hand for this post (a fixed path: a hand pick cannot be derived).
REFERENCE_BLOG = PostSettings(author="Sinter", header_img="img/my-post/tech06.jpg")


def with_paragraph_improvement(reference: str) -> str:
    """The reference post with ``> `` on every line of its blockquote and a line holding
    only ``>`` between paragraphs (POST_FORMAT.md, "Deliberate improvement")."""
    lines = reference.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("> "))
    end = next(i for i in range(start, len(lines)) if not lines[i].strip())
    paragraphs = [lines[start][2:]] + lines[start + 1 : end]
    quoted = "\n>\n".join(f"> {p}" for p in paragraphs).split("\n")
    return "\n".join(lines[:start] + quoted + lines[end:])


def test_reference_post_is_reproduced():
    html = (SITE / "article" / "1108857.html").read_text(encoding="utf-8")
    article = jiemian.parse(html, "https://www.jiemian.com/article/1108857.html")
    reference = REFERENCE_POST.read_text(encoding="utf-8")
    assert post_filename(article, REFERENCE_BLOG) == "2017-02-11-jiemian-1108857.md"
    assert render_post(article, REFERENCE_BLOG) == with_paragraph_improvement(reference)


def test_the_improvement_only_touches_the_blockquote():
    reference = REFERENCE_POST.read_text(encoding="utf-8")
    improved = with_paragraph_improvement(reference)
    assert improved.replace("\n>\n> ", "\n") == reference
    assert improved.count("\n>\n") == reference.split("\n\n")[2].count("\n")
