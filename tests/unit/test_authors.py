"""Never an empty author; a reprint keeps its source (issue 13, item 2).

Whole jiemian pages (tests/fixtures/jiemian/, copies of the demo's 14837702 with the byline
changed) go through the parser, the validate pipeline and the post writer, as in a crawl.
"""

from __future__ import annotations

import json
import logging
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import frontmatter
import pytest
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler

from archiver import settings as archiver_settings
from archiver.items import Article
from archiver.pipelines import ValidatePipeline
from archiver.render.post import PostSettings, front_matter, real_author, render_post
from archiver.sites import jiemian

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "jiemian"
CASES = {p.name.split(".")[0]: p for p in sorted(FIXTURES.glob("*.expected.json"))}
BYLINE_CASES = [n for n in CASES if n.startswith(("byline-", "reprint-"))]


def project_settings(**overrides) -> Settings:
    settings = Settings()
    settings.setmodule(archiver_settings, priority="project")
    settings.setdict(overrides, priority="cmdline")
    return settings


def validate(article: Article, **overrides) -> tuple[Article, dict]:
    crawler = get_crawler(
        settings_dict={
            **dict(project_settings(**overrides)),
            "TWISTED_REACTOR_ENABLED": False,
            "EXTENSIONS": {},
        }
    )
    crawler.stats.open_spider()
    item = ValidatePipeline(crawler).process_item(article)
    return item, crawler.stats.get_stats()


@pytest.mark.parametrize("name", BYLINE_CASES)
def test_post_author_and_tags_of_whole_pages(name, caplog):
    expected = json.loads(CASES[name].read_text(encoding="utf-8"))
    html = (FIXTURES / f"{name}.html").read_text(encoding="utf-8")
    article = jiemian.parse(html, expected["served_at"])
    assert article.authors == expected["authors"]
    assert article.source_name == expected["source_name"]

    with caplog.at_level(logging.WARNING):
        item, stats = validate(article)
    text = render_post(item, PostSettings.from_settings(project_settings()))
    post = frontmatter.loads(text)
    assert post["author"] == expected["post_author"]
    assert post["tags"] == expected["post_tags"]
    assert 'author:       ""' not in text

    logged = [r.getMessage() for r in caplog.records if "Byline of" in r.getMessage()]
    if expected["byline_empty"]:
        assert stats["archiver/cleaned/byline_empty"] == 1
        assert logged == [
            f"Byline of {article.url} holds no name ({' '.join(map(repr, expected['authors']))}): "
            f"the author is {expected['post_author']}"
        ]
    else:
        assert "archiver/cleaned/byline_empty" not in stats
        assert logged == []


def test_the_owner_name_wins_and_the_source_tag_can_be_turned_off():
    html = (FIXTURES / "reprint-no-byline.html").read_text(encoding="utf-8")
    article, _ = validate(jiemian.parse(html, "https://www.jiemian.com/article/14837702.html"))
    owner = frontmatter.loads(render_post(article, PostSettings(author="Sinter")))
    assert owner["author"] == "Sinter"
    assert owner["tags"] == ["界面新闻", "新华社"]
    quiet = PostSettings.from_settings(project_settings(ARCHIVER_TAG_SOURCE=False))
    assert frontmatter.loads(render_post(article, quiet))["tags"] == ["界面新闻"]
    both = frontmatter.loads(render_post(article, PostSettings(tag_category=True)))
    assert both["tags"] == ["界面新闻", "新华社", "财经"]


def test_a_byline_with_a_role_label_keeps_the_name():
    assert real_author("界面新闻记者 | 郑琳") == "郑琳"
    assert real_author("记者：郑琳") == "郑琳"
    assert real_author("实习记者 丨 王五") == "王五"
    assert real_author("文轩") == "文轩"  # a name that starts like a role word stays whole
    for blank in ("", " \u3000 ", "\xa0", "界面新闻记者 |", "记者：", "编辑", "|"):
        assert real_author(blank) == "", blank


def test_no_post_ever_has_an_empty_author():
    """Whatever the article lacks, the post layer falls back: byline, source, site, key."""
    base = Article(
        source="jiemian",
        id="1",
        url="https://www.jiemian.com/article/1.html",
        title="标题",
        published=datetime(2026, 11, 20, 8, 5, tzinfo=ZoneInfo("Asia/Shanghai")),
        body_html="<p>正文</p>",
    )
    settings = PostSettings(author="   ")
    for article, author in [
        (replace(base, authors=["  "], source_name="新华社", site_name="界面新闻"), "新华社"),
        (replace(base, authors=["界面新闻记者 |"], site_name="界面新闻"), "界面新闻"),
        (base, "jiemian"),
    ]:
        assert frontmatter.loads(front_matter(article, settings) + "\n")["author"] == author
