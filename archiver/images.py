"""Archive the article's images into the blog: ``img/<source>/<id>/NN.<ext>`` (cover: ``cover.<ext>``).

Built on Scrapy's FilesPipeline (requests go through the same middlewares, robots.txt,
throttling and retries as pages), with:

* paths that a person can read and that stay stable across runs;
* a Referer of the article page, which image hosts that block hot-linking accept;
* atomic writes: a killed run leaves no half image;
* no second download of an image the blog already holds;
* every article its own copy: an image two articles share is fetched once and written
  for each (Scrapy's media cache hands the second article the first one's file);
* failures that never drop the post: the post keeps the original URL, the failure is
  logged and counted (``archiver/images/failed``).
"""

from __future__ import annotations

import logging
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.exceptions import NotConfigured
from scrapy.http.request import NO_CALLBACK
from scrapy.pipelines.files import FilesPipeline, FSFilesStore

from archiver import config, report
from archiver.items import Article
from archiver.store.atomic import write_atomic

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
    # set by from_crawler
    folder: str
    root: Path
    dry_run: bool
    #: image URL -> the blog path of a copy written or found in this run
    archived: dict[str, str]

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not config.getbool(settings, "ARCHIVER_IMAGES"):
            raise NotConfigured("image archiving is off (ARCHIVER_IMAGES)")
        root = config.blog_root(settings).resolve()
        root.mkdir(parents=True, exist_ok=True)
        pipeline = cls(str(root), crawler=crawler)
        pipeline.expires = NEVER_EXPIRES
        pipeline.folder = config.get_or_default(settings, "ARCHIVER_IMAGES_DIR")
        pipeline.root = root
        pipeline.dry_run = config.getbool(settings, "ARCHIVER_DRY_RUN")
        #: image URL -> the blog path of a copy written or found in this run
        pipeline.archived = {}
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
            held = result.get("path") if ok else None
            if ok and held != path:
                # Scrapy downloads a URL once per run and hands every later article the
                # first one's file: each article gets its own copy, so every post links a
                # file that exists, whatever other articles share the image
                ok = self._copy(url, held, path, item)
            elif not ok and (self.root / path).is_file():
                # this article's copy is in the blog (an earlier run wrote it): a failed
                # fetch for another article sharing the URL does not take it away
                stats.inc_value("archiver/images/shared_failure")
                logger.warning(
                    "Image %s failed for another article of this run, but %s holds it: the post links it",
                    url,
                    path,
                )
                ok = True
            elif not ok and url in self.archived:
                stats.inc_value("archiver/images/shared_failure")
                logger.warning(
                    "Image %s failed for %s but was archived for another article as %s: copied",
                    url,
                    item.url,
                    self.archived[url],
                )
                ok = self._copy(url, self.archived[url], path, item)
            if ok:
                local[url] = path
                self.archived.setdefault(url, path)
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

    def _copy(self, url: str, held: str | None, path: str, item: Article) -> bool:
        """Write the image at blog path ``held`` as ``path`` too (atomically); False if it
        cannot be read."""
        target = self.root / path
        try:
            data = (self.root / held).read_bytes() if held else None
        except OSError as exc:
            data = None
            logger.warning("Image %s of %s: cannot read the copy %s: %s", url, item.url, held, exc)
        if data is None:
            return False
        if not target.is_file() or target.read_bytes() != data:
            write_atomic(target, data)
        self.crawler.stats.inc_value("archiver/images/shared")
        return True
