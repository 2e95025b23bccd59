"""The blog's sources file (``_archiver.toml``): every option, and every bad input named by
its line before anything is fetched."""

from __future__ import annotations

import textwrap
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import frontmatter
import pytest
from scrapy.settings import Settings

from archiver.items import Article
from archiver.render.post import PostSettings, render_post
from archiver.sources import SourcesError, known_setting_names, load, parse

BLOG = Path("/blog")
FULL = textwrap.dedent(
    """\
    # What this blog follows
    [post]
    author = "Sinter"
    header_img = "pool"
    header_img_pool = ["img/my-post/tech01.jpg", "img/my-post/tech02.jpg"]
    tags = ["存档"]

    [settings]
    ARCHIVER_CONTACT_URL = "https://blog.example/about"
    ARCHIVER_IMAGES = false

    [jiemian]
    lists = [65, 800]
    pages = 3
    feeds = ["site", 65]
    since = 2026-11-01

    [outlets.thepaper]
    follow = ["https://www.thepaper.cn/rss.xml", "https://www.thepaper.cn/sitemap_news.xml"]
    since = "2026-11-15"
    max_items = 50
    allow = ['/newsDetail_forward_\\d+']
    deny = ['/video/', '/live/']
    tags = ["澎湃", "时政"]
    header_img = "cover"

    [outlets.caixin]
    follow_file = "outlets/caixin.txt"
    author = "Caixin desk"
    enabled = false
    settings = { DOWNLOAD_DELAY = 2, ROBOTSTXT_OBEY = true }
    """
)


def parsed(text: str):
    return parse(text, BLOG / "_archiver.toml", known_setting_names())


def error_of(text: str) -> SourcesError:
    with pytest.raises(SourcesError) as caught:
        parsed(text)
    return caught.value


def test_a_full_file_gives_each_source_its_spider_arguments_and_settings():
    sources = parsed(FULL)
    assert [s.name for s in sources.sources] == ["jiemian", "thepaper", "caixin"]
    jiemian, thepaper, caixin = sources.sources
    assert (jiemian.spider, jiemian.args) == (
        "jiemian",
        {"lists": "65,800", "pages": "3", "feed": "site,65", "since": "2026-11-01"},
    )
    assert jiemian.settings == {
        "ARCHIVER_CONTACT_URL": "https://blog.example/about",
        "ARCHIVER_IMAGES": "False",
        "ARCHIVER_AUTHOR": "Sinter",
        "ARCHIVER_HEADER_IMG": "pool",
        "ARCHIVER_HEADER_IMG_POOL": "img/my-post/tech01.jpg,img/my-post/tech02.jpg",
        "ARCHIVER_EXTRA_TAGS": "存档",
    }
    assert thepaper.spider == "article"
    assert thepaper.args == {
        "follow": "https://www.thepaper.cn/rss.xml,https://www.thepaper.cn/sitemap_news.xml",
        "since": "2026-11-15",
        "max_items": "50",
        "allow": r"/newsDetail_forward_\d+",
        "deny": "/video/,/live/",
    }
    # a source's own post settings replace the blog's; the others are inherited
    assert thepaper.settings["ARCHIVER_EXTRA_TAGS"] == "澎湃,时政"
    assert thepaper.settings["ARCHIVER_HEADER_IMG"] == "cover"
    assert thepaper.settings["ARCHIVER_AUTHOR"] == "Sinter"
    assert thepaper.hosts == ("thepaper.cn",)
    assert caixin.args == {"follow_file": str(BLOG / "outlets" / "caixin.txt")}
    assert caixin.settings["DOWNLOAD_DELAY"] == "2" and caixin.settings["ROBOTSTXT_OBEY"] == "True"
    assert caixin.settings["ARCHIVER_AUTHOR"] == "Caixin desk"
    assert [s.name for s in sources.enabled()] == ["jiemian", "thepaper"]


def test_an_empty_file_has_no_sources_and_jiemian_alone_needs_no_option():
    assert parsed("").sources == []
    only = parsed("[jiemian]\n").sources
    assert [(s.name, s.args, s.settings) for s in only] == [("jiemian", {}, {})]


def test_a_comma_in_a_follow_url_is_escaped_for_the_spiders_list():
    source = parsed('[outlets.a]\nfollow = ["https://a.example/feed?tags=x,y"]\n').sources[0]
    assert source.args["follow"] == "https://a.example/feed?tags=x%2Cy"


def test_a_relative_follow_file_is_read_from_the_blog_and_an_absolute_one_kept():
    source = parsed('[outlets.a]\nfollow_file = "/srv/lists/a.txt"\n').sources[0]
    assert source.args["follow_file"] == "/srv/lists/a.txt"


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("[jiemian]\nlists = [65\npages = 3\n", 3, "not valid TOML"),
        ('[outlets.a]\nfollow = "https://a.example/rss\n', 2, "not valid TOML"),
        ("[jiemian]\nlists = [65\n", 2, "not valid TOML: Unclosed array"),  # at the end of the file
        ("[jiemian]\nlists = [65]\n[jiemian]\n", 3, "not valid TOML"),
        ("\n\n[jiemian]\nlists = [65]\npage = 3\n", 5, "unknown key 'page' in [jiemian]"),
        ('[outlet.thepaper]\nfollow = ["https://x.example/"]\n', 1, "unknown key 'outlet'"),
        (
            '[outlets.a]\nfollow = ["https://a.example/"]\n\n[outlets.b]\nfollow = ["https://b.example/"]\n'
            "maxitems = 5\n",
            6,
            "unknown key 'maxitems' in [outlets.b]",
        ),
        ('[post]\nauthor = "x"\nheader = "y"\n', 3, "unknown key 'header' in [post]"),
        (
            '[outlets.a]\nfollow = ["https://a.example/"]\nsettings = { DOWNLOAD_DELAI = 2 }\n',
            3,
            "unknown setting 'DOWNLOAD_DELAI'",
        ),
        ('[settings]\nARCHIVER_OUTPUT = "/elsewhere"\n', 2, "ARCHIVER_OUTPUT cannot be set"),
        ('[outlets.a]\nfollow = ["https://a.example/"]\n\n[outlets.a.settings]\nNOPE = 1\n', 5, "NOPE"),
    ],
)
def test_a_syntax_error_or_an_unknown_key_is_named_by_its_line(text, line, words):
    error = error_of(text)
    assert error.line == line, str(error)
    assert words in str(error)
    assert str(error).startswith(f"{BLOG / '_archiver.toml'}:{line}: ")


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ('[jiemian]\npages = "3"\n', 2, "jiemian.pages must be a whole number >= 1"),
        ("[jiemian]\npages = 0\n", 2, "jiemian.pages must be a whole number >= 1"),
        ("[jiemian]\nlists = [true]\n", 2, "jiemian.lists must be list ids"),
        ('[jiemian]\nlists = ["6-5"]\n', 2, "jiemian.lists must be list ids"),
        ('[jiemian]\nfeeds = ["site-wide"]\n', 2, "jiemian.feeds must be"),
        ('[jiemian]\nsince = "last week"\n', 2, "must be a date such as 2026-11-01"),
        ("[jiemian]\nsince = 2026-11-01T10:00:00\n", 2, "must be a date such as 2026-11-01"),
        ("jiemian = 3\n", 1, "jiemian must be a table"),
        ("[outlets.a]\nsince = 2026-11-01\n", 1, "needs follow = [URL…] or follow_file = PATH"),
        ('[outlets.a]\nfollow = ["ftp://a.example/feed"]\n', 2, "is not an http(s) URL"),
        ("[outlets.a]\nfollow = [1]\n", 2, "outlets.a.follow must be a non-empty string"),
        ("[outlets.a]\nfollow = []\n", 2, "must be a list of strings"),
        ('[outlets.a]\nfollow = ["https://a.example/"]\nmax_items = -1\n', 3, "max_items must be a whole"),
        ('[outlets.a]\nfollow = ["https://a.example/"]\nmax_items = 2.5\n', 3, "max_items must be a whole"),
        (
            '[outlets.a]\nfollow = ["https://a.example/"]\nallow = ["(unclosed"]\n',
            3,
            "not a regular expression",
        ),
        ('[outlets.a]\nfollow = ["https://a.example/"]\ndeny = ["a{1,3}"]\n', 3, "holds a comma"),
        ('[outlets.a]\nfollow = ["https://a.example/"]\nenabled = "no"\n', 3, "must be true or false"),
        ('[outlets.a]\nfollow = ["https://a.example/"]\ntags = ["a,b"]\n', 3, "holds a comma"),
        ('[outlets."bad name"]\nfollow = ["https://a.example/"]\n', 1, "outlet name 'bad name'"),
        ('[outlets.jiemian]\nfollow = ["https://a.example/"]\n', 1, "not 'jiemian'"),
        ('[post]\nheader_img = "pool"\n', 2, 'header_img = "pool" needs header_img_pool'),
        ("[post]\nauthor = 7\n", 2, "post.author must be a non-empty string"),
    ],
)
def test_a_value_of_the_wrong_type_or_range_is_named_by_its_line(text, line, words):
    error = error_of(text)
    assert words in str(error)
    assert error.line == line, str(error)


def test_load_reads_the_file_and_reports_an_unreadable_one(tmp_path):
    path = tmp_path / "_archiver.toml"
    path.write_text('[outlets.a]\nfollow = ["https://a.example/rss"]\n', encoding="utf-8")
    assert load(path).sources[0].args == {"follow": "https://a.example/rss"}
    path.write_bytes(b"\xff\xfe[jiemian]")
    with pytest.raises(SourcesError, match="cannot be read"):
        load(path)


def test_extra_tags_follow_the_outlets_name_in_the_post():
    article = Article(
        source="thepaper",
        id="26512345",
        url="https://www.thepaper.cn/newsDetail_forward_26512345",
        title="标题",
        lead="",
        published=datetime(2026, 11, 20, 8, 5, tzinfo=ZoneInfo("Asia/Shanghai")),
        body_html="<p>第一段</p>",
        site_name="澎湃新闻",
        authors=[],
        category="",
        views=None,
    )
    source = parsed(
        '[outlets.thepaper]\nfollow = ["https://www.thepaper.cn/rss.xml"]\ntags = ["存档", "澎湃新闻"]\n'
    )
    settings = Settings({"ARCHIVER_EXTRA_TAGS": [], **source.sources[0].settings})
    post = frontmatter.loads(render_post(article, PostSettings.from_settings(settings)))
    assert post["tags"] == ["澎湃新闻", "存档"]  # once each, the outlet first
    assert frontmatter.loads(render_post(article, PostSettings()))["tags"] == ["澎湃新闻"]


def test_the_cli_never_takes_a_settings_value_for_the_spider():
    from archiver.cli import _protect, _restore

    argv = ["crawl", "-s", "ARCHIVER_OUTPUT=/my blog", "-a", "lists=65", "--json", "x.json", "-s", "A=1"]
    protected, held = _protect(argv)
    assert [t for t in protected if not t.startswith("-")] == ["crawl", "x.json"]
    assert not any(" " in t for t in protected if t.startswith("-"))
    assert _restore(protected, held) == argv


def test_the_readmes_full_example_is_a_valid_sources_file():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    example = readme.split("```toml\n", 1)[1].split("```", 1)[0]
    sources = parsed(example)
    assert [s.name for s in sources.sources] == ["jiemian", "thepaper", "36kr", "caixin"]
    assert [s.name for s in sources.enabled()] == ["jiemian", "thepaper", "36kr"]
    assert sources.get("thepaper").args["allow"] == r"/newsDetail_forward_\d+"
