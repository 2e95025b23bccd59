"""Item pipelines, in settings order: validate -> duplicates -> (images, archiver/images.py)
-> write the post.

Each drops what it cannot pass on with a :class:`~scrapy.exceptions.DropItem`
whose message is the reason (logged once by Scrapy, counted in stats).
"""

from __future__ import annotations

import logging
import sqlite3
from datetime import UTC, datetime

from scrapy.exceptions import DropItem

from archiver import config, report
from archiver.items import Article
from archiver.render.post import (
    PostError,
    PostSettings,
    body_has_content,
    post_author,
    post_filename,
    real_authors,
    render_post,
)
from archiver.render.safety import layout_safe
from archiver.store.atomic import write_atomic
from archiver.store.postindex import PostIndex
from archiver.store.state import State, text_hash
from archiver.store.transaction import transaction

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
    """Drop articles that cannot become a good post; make the strings the blog's layout
    prints raw (title, lead, authors, category) plain text; keep only the byline's names
    (a byline holding none is logged and counted: the author falls back to the source)."""

    def __init__(self, crawler):
        super().__init__(crawler)
        self.post_settings = PostSettings.from_settings(crawler.settings)

    def process_item(self, item):
        if not isinstance(item, Article):
            return item
        item.title = layout_safe(item.title)
        item.lead = layout_safe(item.lead)
        for counter, message in item.notes:
            self.stats.inc_value(f"archiver/cleaned/{counter}")
            logger.info("%s: %s", message, item.url)
        given = item.authors
        item.authors = real_authors(layout_safe(a) for a in given)
        item.category = layout_safe(item.category)
        item.site_name = layout_safe(item.site_name)
        item.source_name = layout_safe(item.source_name)
        if given and not item.authors:
            self.stats.inc_value("archiver/cleaned/byline_empty")
            logger.warning(
                "Byline of %s holds no name (%s): the author is %s",
                item.url,
                " ".join(repr(a) for a in given),
                post_author(item, self.post_settings),
            )
        if item.video:
            self.drop("video", "video page: no article text to archive")
        if item.paywalled:
            self.drop("paywalled", "paywalled: only the free part of the article is public")
        if not item.title.strip():
            self.drop("no_title", "no title")
        if not body_has_content(item):
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
        held = self.index.path_for(item.key)
        if held is not None and not item.refresh:
            self.drop(
                "already_archived",
                f"already archived as {held.name}",
                kind=report.SKIPPED,
                level="INFO",
            )
        if item.key in self.seen:
            self.drop("duplicate", "seen twice in this run", kind=report.SKIPPED, level="INFO")
        self.seen.add(item.key)
        return item


def _written_by_archiver(record: dict | None, current: str) -> bool:
    """Whether the post on disk is exactly what the archiver last wrote (not a person's edit,
    not a post made by hand)."""
    return record is not None and bool(record["ours"]) and record["written_hash"] == text_hash(current)


class WritePostPipeline(_Pipeline):
    """Render the post and write it atomically to ``<blog root>/_posts/``.

    * a new article: a new post;
    * the same text as on disk: nothing is written;
    * other text, and the post on disk is what the archiver last wrote: the post is
      replaced (an upstream edit, or new settings) and the old text is kept as a revision
      in the state database;
    * other text, and a person edited the post (or made it): the post is never
      touched; when the article changed upstream, the new version is written beside it
      as ``_posts/.<name>.upstream-<time>.md`` (a dot-file, which Jekyll does not build)
      and a warning names both files.
    """

    def __init__(self, crawler):
        super().__init__(crawler)
        self.settings = PostSettings.from_settings(crawler.settings)
        self.posts_dir = config.blog_root(crawler.settings) / "_posts"
        self.index = PostIndex.for_crawler(crawler)
        self.state = State.for_crawler(crawler)
        self.dry_run = config.getbool(crawler.settings, "ARCHIVER_DRY_RUN")

    def process_item(self, item):
        if not isinstance(item, Article):
            return item
        try:
            name = post_filename(item, self.settings)
        except PostError as exc:
            self.drop("bad_id", str(exc))
        text = render_post(item, self.settings)
        upstream = item.content_hash()
        path = self.index.path_for(item.key) or self.posts_dir / name
        if self.dry_run:
            return self._dry_run(item, path, text, upstream)
        try:
            if not path.exists():
                self._write(item, path, text, upstream, "new")
                logger.info("New post %s (%s)", path, item.url)
                return item
            current = path.read_text(encoding="utf-8", errors="replace")
            if current == text:
                self._record_fetch(item, upstream)
                self.stats.inc_value("archiver/posts/unchanged")
                return item
            self._differs(item, path, current, text, upstream)
        except (OSError, sqlite3.Error) as exc:
            if report.is_fatal(exc):
                report.stop_run(
                    self.crawler,
                    "write_error",
                    "Cannot write %s: %s. The run stops here; nothing partial is left, "
                    "and the next run goes on once this is fixed.",
                    path,
                    exc,
                )
            self.drop("write_error", f"cannot write {path}: {exc}", kind=report.FAILED, level="ERROR")
        return item

    def _differs(self, item, path, current, text, upstream):
        record = self.state.post(item.key)
        ours = _written_by_archiver(record, current)
        upstream_changed = record is None or record["upstream_hash"] != upstream
        if ours:
            assert record is not None  # the archiver's own post has its record
            self._write(item, path, text, upstream, "updated", replaced=current)
            why = "changed upstream" if upstream_changed and record["upstream_hash"] else "new settings"
            logger.info(
                "Updated post %s (%s: %s); the earlier text is kept as a revision", path, item.url, why
            )
        elif upstream_changed and (record is None or record["upstream_hash"]):
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            beside = path.with_name(f".{path.stem}.upstream-{stamp}.md")
            write_atomic(beside, text)
            self._record_fetch(item, upstream)
            self.stats.inc_value("archiver/posts/edited_kept")
            logger.warning(
                "%s was edited by hand and %s changed upstream: the post is kept as it "
                "is, the new version is in %s",
                path,
                item.url,
                beside,
            )
        else:  # edited by hand (or made by hand), nothing new upstream: leave it alone
            self._record_fetch(item, upstream)
            self.stats.inc_value("archiver/posts/unchanged")

    def _dry_run(self, item, path, text, upstream):
        """What the run would do to this post; nothing is written."""
        if not path.exists():
            outcome = "new"
        else:
            current = path.read_text(encoding="utf-8", errors="replace")
            record = self.state.post(item.key)
            ours = _written_by_archiver(record, current)
            outcome = "unchanged" if current == text else "changed" if ours else "edited_kept"
        self.stats.inc_value(f"archiver/dry_run/{outcome}")
        report.listed(self.stats, "archiver/dry_run_posts", [outcome, self.state.rel(path)], limit=None)
        logger.info("Dry run: %s %s", outcome, path)
        return item

    def _write(self, item, path, text, upstream, counter, replaced=None):
        write_atomic(path, text)
        self.stats.inc_value(f"archiver/posts/{counter}")
        with transaction(self.state.db):  # the post's records together, or none (a kill between)
            self.state.post_written(
                item.key, item.url, path, text, upstream, item.published.isoformat(), replaced=replaced
            )
            self.index.add(item.key, path, text)  # after the state: its date is known when it is counted

    def _record_fetch(self, item, upstream):
        self.state.fetched(item.key, item.url, upstream, item.published.isoformat())
