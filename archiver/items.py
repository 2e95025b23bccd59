"""The plain data a parser returns: one news article, independent of any page markup.

Parsers fill an :class:`Article`; pipelines and the post writer only read it.
Scrapy accepts dataclass instances as items, so no ``scrapy.Item`` is needed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime
from typing import cast


@dataclass(frozen=True)
class Image:
    """An image of the article: its absolute URL and the caption the page gives."""

    url: str
    caption: str = ""


@dataclass
class Article:
    source: str  # short ASCII key of the site, used in file names: "jiemian"
    id: str  # the site's article id: "1108857"
    url: str  # canonical URL of the article (www host)
    title: str
    published: datetime  # timezone-aware
    body_html: str  # the article body only, cut from the page chrome
    site_name: str = ""  # display name of the site, used as tag: "界面新闻"
    lead: str = ""  # the paragraph under the headline, or the page description
    authors: list[str] = field(default_factory=list)
    source_name: str = ""  # "来源：…" credit; reprints name another outlet (新华社)
    views: int | None = None
    category: str = ""
    tags: list[str] = field(default_factory=list)
    cover: Image | None = None
    images: list[str] = field(default_factory=list)  # absolute URLs, body order
    paywalled: bool = False
    video: bool = False
    #: What the parser removed or could not read, for the run's log and counters, as
    #: ``(counter, message)`` pairs: ``archiver/cleaned/<counter>`` (ads, a blank byline…).
    notes: list[tuple[str, str]] = field(default_factory=list)
    #: Filled by the images pipeline, not by parsers: image URL -> path in the blog.
    local_images: dict[str, str] = field(default_factory=dict)
    #: Set by the spider, not by parsers: fetched again to update an archived post.
    refresh: bool = False
    #: Not a field (not in the article's JSON or hash): where ``published`` came from when
    #: the page printed no publication time: ``url``, ``last_modified`` or ``fetched``.
    date_source = ""
    #: Not a field either: what a worker of a shared crawl read of the body ahead of the
    #: writer (:func:`archiver.render.post.render_body_ahead`): the body it read (the same
    #: object as ``body_html`` after unpickling, unless the body was replaced since), the
    #: image links (URL -> path) its Markdown was rendered for, the Markdown, and whether
    #: the body holds text or an image.
    body_ahead = cast("tuple[str, dict[str, str], str, bool] | None", None)  # not a field

    @property
    def key(self) -> str:
        """Stable identity of the article across runs: ``source-id``."""
        return f"{self.source}-{self.id}"

    def content_hash(self) -> str:
        """Hash of what the article says (not of how a post renders it): tells an upstream
        edit apart from a change of the blog's settings."""
        # to_json() less local_images, refresh and notes, without asdict()'s deep copy of
        # every field (the same JSON: tests/unit/test_content_hash.py compares the two)
        data = {f.name: getattr(self, f.name) for f in fields(self) if f.name not in _NOT_HASHED}
        data["published"] = self.published.isoformat()
        if self.cover is not None:
            data["cover"] = {"url": self.cover.url, "caption": self.cover.caption}
        raw = json.dumps(data, ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()

    def to_json(self) -> dict:
        """A JSON-ready dict (used by fixtures' expected files and by reports)."""
        data = asdict(self)
        data["published"] = self.published.isoformat()
        return data


#: Fields of an Article that are not what the article says (not in its content hash).
_NOT_HASHED = frozenset(["local_images", "refresh", "notes"])


class ParseError(ValueError):
    """The page is not an article this parser can read; names the missing field."""

    def __init__(self, field: str, detail: str = ""):
        self.field = field
        self.detail = detail
        message = f"missing {field}"
        if detail:
            message += f" ({detail})"
        super().__init__(message)
