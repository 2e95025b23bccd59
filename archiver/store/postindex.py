"""What the blog already holds: the posts of ``_posts/`` are the source of truth.

A post is known by its file name (``YYYY-MM-DD-<source>-<id>.md``) or, for posts
made by hand or by other tools, by its ``[原文地址](URL)`` link.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from archiver import config
from archiver.sites import article_key

logger = logging.getLogger(__name__)

#: ``YYYY-MM-DD-<source>-<id>[-<slug>].md``
_NAME = re.compile(r"^\d{4}-\d{2}-\d{2}-(?P<key>[A-Za-z0-9]+-[A-Za-z0-9_]+)(?:-[a-z0-9-]*)?\.md$")
_SOURCE_LINK = re.compile(r"\[原文地址\]\((?P<url>[^)\s]+)\)")
_TAIL_BYTES = 8192


class PostIndex:
    """Keys (``source-id``) of the archived articles and the post file of each."""

    def __init__(self, posts_dir: Path):
        self.posts_dir = Path(posts_dir)
        self._paths: dict[str, Path] = {}
        self._urls: dict[str, str] = {}
        self.scan()

    @classmethod
    def for_crawler(cls, crawler) -> PostIndex:
        """One index per crawl, shared by the middleware and the pipelines."""
        index = getattr(crawler, "_archiver_post_index", None)
        if index is None:
            index = cls(config.blog_root(crawler.settings) / "_posts")
            crawler._archiver_post_index = index
        return index

    def scan(self) -> None:
        self._paths.clear()
        self._urls.clear()
        if not self.posts_dir.is_dir():
            return
        for path in sorted(self.posts_dir.glob("*.md")):
            if path.name.startswith("."):  # temporary files, upstream versions beside edited posts
                continue
            for key in self._keys_of(path):
                self._paths.setdefault(key, path)
        logger.info("Post index: %d archived articles in %s", len(self._paths), self.posts_dir)

    def _keys_of(self, path: Path) -> list[str]:
        keys = []
        match = _NAME.match(path.name)
        if match:
            keys.append(match["key"])
        try:
            with path.open("rb") as handle:
                size = handle.seek(0, 2)
                handle.seek(max(0, size - _TAIL_BYTES))
                tail = handle.read().decode("utf-8", "replace")
        except OSError as exc:
            logger.warning("Post index: cannot read %s: %s", path, exc)
            return keys
        for link in _SOURCE_LINK.finditer(tail):
            key = article_key(link["url"])
            if key:
                keys.append(key)
                self._urls.setdefault(key, link["url"])
        return keys

    def __contains__(self, key: str) -> bool:
        return key in self._paths

    def __len__(self) -> int:
        return len(self._paths)

    def path_for(self, key: str) -> Path | None:
        return self._paths.get(key)

    def url_for(self, key: str) -> str:
        """The article URL of the post's 原文地址 link ("" when it has none)."""
        return self._urls.get(key, "")

    def items(self):
        return self._paths.items()

    def add(self, key: str, path: Path, url: str = "") -> None:
        self._paths[key] = Path(path)
        if url:
            self._urls[key] = url
