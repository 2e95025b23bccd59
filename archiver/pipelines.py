"""Item pipelines, in settings order: validate -> duplicates -> write the post.

Each drops what it cannot pass on with a :class:`~scrapy.exceptions.DropItem`
whose message is the reason (logged once by Scrapy, counted in stats).
"""
from __future__ import annotations

import logging

from scrapy.exceptions import DropItem

from archiver import report
from archiver.fsutil import write_atomic
from archiver.items import Article
from archiver.parsers.html import has_content
from archiver.postindex import PostIndex, blog_root
from archiver.postwriter import PostError, PostSettings, post_filename, render_post

logger = logging.getLogger(__name__)


class _Pipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def drop(self, reason: str, message: str, kind: str = report.DROPPED, level=None):
        report.count(self.stats, kind, reason)
        raise DropItem(message, log_level=level)


class ValidatePipeline(_Pipeline):
    """Drop articles that cannot become a good post."""

    def process_item(self, item):
        if not isinstance(item, Article):
            return item
        if item.video:
            self.drop("video", "video page: no article text to archive")
        if item.paywalled:
            self.drop("paywalled", "paywalled: only the free part of the article is public")
        if not item.title.strip():
            self.drop("no_title", "no title")
        if not has_content(item.body_html):
            self.drop("empty_body", "empty body: the article has no text or images")
        return item


class DuplicatePipeline(_Pipeline):
    """Drop an article the blog already holds, or one already seen in this run."""

    def __init__(self, crawler):
        super().__init__(crawler)
        self.index = PostIndex.for_crawler(crawler)
        self.seen: set[str] = set()

    def process_item(self, item):
        if not isinstance(item, Article):
            return item
        if item.key in self.index:
            self.drop("already_archived", f"already archived as {self.index.path_for(item.key).name}",
                      kind=report.SKIPPED, level="INFO")
        if item.key in self.seen:
            self.drop("duplicate", "seen twice in this run", kind=report.SKIPPED, level="INFO")
        self.seen.add(item.key)
        return item


class WritePostPipeline(_Pipeline):
    """Render the post and write it atomically to ``<blog root>/_posts/``.

    An existing file with the same text is left untouched; an existing file with
    other text (edited by a person) is never overwritten.
    """

    def __init__(self, crawler):
        super().__init__(crawler)
        self.settings = PostSettings.from_settings(crawler.settings)
        self.posts_dir = blog_root(crawler.settings) / "_posts"
        self.index = PostIndex.for_crawler(crawler)

    def process_item(self, item):
        if not isinstance(item, Article):
            return item
        try:
            name = post_filename(item, self.settings)
        except PostError as exc:
            self.drop("bad_id", str(exc))
        text = render_post(item, self.settings)
        path = self.posts_dir / name
        if path.exists():
            if path.read_text(encoding="utf-8", errors="replace") == text:
                self.stats.inc_value("archiver/posts/unchanged")
                self.index.add(item.key, path)
                return item
            self.drop("exists_differs",
                      f"{path} exists with other content (edited by hand?); not overwritten",
                      kind=report.SKIPPED)
        try:
            write_atomic(path, text)
        except OSError as exc:
            self.drop("write_error", f"cannot write {path}: {exc}", kind=report.FAILED, level="ERROR")
        self.index.add(item.key, path)
        self.stats.inc_value("archiver/posts/new")
        logger.info("New post %s (%s)", path, item.url)
        return item
