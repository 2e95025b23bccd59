"""Settings are read with archiver/settings.py's defaults, also where Scrapy's own
Settings() lacks them (get_crawler in a test); -s overrides win; one place computes
the blog root, the state folder and the WARC folder."""

from __future__ import annotations

from pathlib import Path

from scrapy.settings import Settings

from archiver import config
from archiver import settings as defaults
from archiver.render.post import PostSettings


def test_a_bare_scrapy_settings_object_reads_the_archivers_defaults():
    bare = Settings()
    assert config.getbool(bare, "ARCHIVER_WARC") is True
    assert config.getint(bare, "ARCHIVER_MAX_ATTEMPTS") == defaults.ARCHIVER_MAX_ATTEMPTS == 5
    assert config.getfloat(bare, "ARCHIVER_RETRY_BACKOFF_MAX") == 120.0
    assert config.get(bare, "JIEMIAN_DEFAULT_LISTS") == "2,800,801,65"


def test_an_override_wins_over_the_default():
    given = Settings({"ARCHIVER_MAX_ATTEMPTS": "2", "ARCHIVER_WARC": "False"})
    assert config.getint(given, "ARCHIVER_MAX_ATTEMPTS") == 2
    assert config.getbool(given, "ARCHIVER_WARC") is False


def test_the_three_folders_follow_the_blog_root_unless_set():
    blog = Settings({"ARCHIVER_OUTPUT": "/srv/blog"})
    assert config.blog_root(blog) == Path("/srv/blog")
    assert config.state_dir(blog) == Path("/srv/blog/.archiver")
    assert config.warc_dir(blog) == Path("/srv/blog/.archiver/warc")
    moved = Settings({"ARCHIVER_OUTPUT": "/srv/blog", "ARCHIVER_STATE_DIR": "/var/lib/archiver"})
    assert config.warc_dir(moved) == Path("/var/lib/archiver/warc")
    assert config.blog_root(Settings()) == Path("output")
    assert config.blog_root(Settings({"ARCHIVER_OUTPUT": ""})) == Path("output")  # empty: the default


def test_post_settings_take_their_defaults_from_the_settings_module():
    assert PostSettings() == PostSettings.from_settings(Settings())
    assert PostSettings().header_mask == "0.3" and PostSettings().timezone == "Asia/Shanghai"
