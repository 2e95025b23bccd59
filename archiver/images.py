"""Archive the article's images into the blog: ``img/<source>/<id>/NN.<ext>`` (cover: ``cover.<ext>``).

Built on Scrapy's FilesPipeline (requests go through the same middlewares, robots.txt,
throttling and retries as pages), with:

* paths that a person can read and that stay stable across runs;
* a Referer of the article page, which image hosts that block hot-linking accept;
* atomic writes: a killed run leaves no half image;
* no second download of an image the blog already holds;
* failures that never drop the post: the post keeps the original URL, the failure is
  logged and counted (``archiver/images/failed``).
"""

from __future__ import annotations

import logging
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.exceptions import NotConfigured
from scrapy.http.request import NO_CALLBACK
from scrapy.pipelines.files import FilesPipeline, FSFilesStore

from archiver import report
from archiver.items import Article
from archiver.store.atomic import write_atomic
from archiver.store.postindex import blog_root

logger = logging.getLogger(__name__)

IMAGE_EXTS = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".bmp", ".svg", ".avif"}
#: Files older than this many days would be fetched again: never, for an archive.
NEVER_EXPIRES = 365 * 1000


class AtomicFSFilesStore(FSFilesStore):
    def persist_file(self, path, buf, info, meta=None, headers=None):
        target = self._get_filesystem_path(path)
        try:
            write_atomic(target, buf.getvalue())
        except OSError as exc:
            if report.is_fatal(exc):
                report.stop_run(
                    info.spider.crawler,
                    "write_error",
                    "Cannot write %s: %s. The run stops here; nothing partial is left, "
                    "and the next run goes on once this is fixed.",
                    target,
                    exc,
                )
            raise


def image_ext(url: str) -> str:
    suffix = PurePosixPath(urlsplit(url).path).suffix.lower()
    return ".jpg" if suffix == ".jpeg" else suffix if suffix in IMAGE_EXTS else ".jpg"


def planned_paths(article: Article, folder: str) -> list[tuple[str, str]]:
    """(image URL, blog-relative path) for the cover and each body image, in order."""
    base = f"{folder.strip('/')}/{article.source}/{article.id}"
    plan = []
    if article.cover:
        plan.append((article.cover.url, f"{base}/cover{image_ext(article.cover.url)}"))
    for number, url in enumerate(article.images, start=1):
        plan.append((url, f"{base}/{number:02d}{image_ext(url)}"))
    return plan


class ImagesPipeline(FilesPipeline):
    STORE_SCHEMES = {**FilesPipeline.STORE_SCHEMES, "": AtomicFSFilesStore, "file": AtomicFSFilesStore}

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not settings.getbool("ARCHIVER_IMAGES", True):
            raise NotConfigured("image archiving is off (ARCHIVER_IMAGES)")
        root = blog_root(settings).resolve()
        root.mkdir(parents=True, exist_ok=True)
        pipeline = cls(str(root), crawler=crawler)
        pipeline.expires = NEVER_EXPIRES
        pipeline.folder = settings.get("ARCHIVER_IMAGES_DIR") or "img"
        pipeline.root = root
        pipeline.dry_run = settings.getbool("ARCHIVER_DRY_RUN", False)
        return pipeline

    def get_media_requests(self, item, info):
        if not isinstance(item, Article) or self.dry_run:
            return []
        fetch = info.spider.fetch_url  # through the spider's origin, when one is set
        requests = []
        for url, path in planned_paths(item, self.folder):
            requests.append(
                Request(
                    fetch(url),
                    callback=NO_CALLBACK,
                    headers={"Referer": item.url},
                    meta={"real_url": url, "image_path": path, "allow_offsite": True},
                )
            )
        return requests

    def file_path(self, request, response=None, info=None, *, item=None):
        return request.meta["image_path"]

    def item_completed(self, results, item, info):
        if not isinstance(item, Article):
            return item
        if self.dry_run:  # what is on disk already, nothing downloaded
            item.local_images = {
                url: path for url, path in planned_paths(item, self.folder) if (self.root / path).is_file()
            }
            return item
        stats = self.crawler.stats
        local = {}
        for (url, path), (ok, result) in zip(planned_paths(item, self.folder), results):
            if ok:
                local[url] = path
                stats.inc_value("archiver/images/archived")
            else:
                stats.inc_value("archiver/images/failed")
                logger.warning(
                    "Image not archived, the post keeps its original URL: %s (%s): %s",
                    url,
                    item.url,
                    getattr(result, "value", result) or "download failed",
                )
        item.local_images = local
        return item
