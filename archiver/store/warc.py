"""Keep the original pages as WARC/1.1 (gzip), and read them back.

* :class:`WarcRecorder` (downloader middleware) writes a request and a response record
  for every fetched article (with ``ARCHIVER_WARC_EVERYTHING``, also lists, feeds,
  images and robots.txt), as received: headers and body before decompression.
* Files are ``<warc dir>/archiver-<time>-<pid>-<n>.warc.gz``, rotated by size
  (``ARCHIVER_WARC_MAX_MB``) and by UTC day. A file being written is named
  ``….warc.gz.open`` and renamed when complete; one left by a killed run is cut back to
  its last whole record and closed by the next run.
* :class:`WarcArchive` indexes WARC files (the newest 200 answer per URL) and
  :class:`WarcSourceMiddleware` answers a crawl's requests from it instead of the
  network: ``scrapy crawl jiemian -a warc=PATH`` and ``archiver rebuild``.
"""

from __future__ import annotations

import json
import logging
import os
import zlib
from datetime import UTC, date, datetime
from io import BytesIO
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.warcwriter import WARCWriter

from archiver.store.atomic import write_atomic

logger = logging.getLogger(__name__)

OPEN_SUFFIX = ".open"
#: Hop-by-hop headers that describe the transfer, not the stored body.
TRANSFER_HEADERS = {"transfer-encoding", "connection", "keep-alive"}


def warc_files(path: Path) -> list[Path]:
    """The complete WARC files at ``path`` (a file or a folder), oldest first."""
    path = Path(path).expanduser()
    if path.is_file():
        return [path]
    return sorted(p for p in path.glob("*.warc.gz")) if path.is_dir() else []


def recover_open_files(folder: Path) -> int:
    """Close the ``.open`` files a killed run left: keep their whole records, drop the rest."""
    recovered = 0
    for path in sorted(Path(folder).glob(f"*.warc.gz{OPEN_SUFFIX}")):
        good_end = 0
        try:
            with path.open("rb") as handle:
                records = ArchiveIterator(handle)
                for record in records:
                    record.content_stream().read()
                    records.read_to_end()
                    good_end = records.get_record_offset() + records.get_record_length()
        except Exception:  # a truncated gzip member or record: stop at the last whole one
            pass
        if good_end:
            with path.open("r+b") as handle:
                handle.truncate(good_end)
            closed = path.with_name(path.name[: -len(OPEN_SUFFIX)])
            path.rename(closed)
            cdxj_path(closed).unlink(missing_ok=True)  # none was written: readers scan it
            logger.info("Recovered %s (%d bytes of whole records)", path.name, good_end)
        else:
            path.unlink()
        recovered += 1
    return recovered


class _GzipMember:
    """One gzip member per record, as warcio's GzippingWrapper, at a chosen level."""

    def __init__(self, out, level: int):
        self.compressor = zlib.compressobj(level, zlib.DEFLATED, zlib.MAX_WBITS + 16)
        self.out = out

    def write(self, data: bytes) -> None:
        self.out.write(self.compressor.compress(data))

    def flush(self) -> None:
        self.out.write(self.compressor.flush())
        self.out.flush()


class LeveledWARCWriter(WARCWriter):
    """warcio's WARCWriter compresses at level 9: 2.1 ms per 90 KB page, the largest
    single cost of an archived article. Level 4 takes 0.9 ms for 3 % more bytes."""

    gzip: bool  # set by warcio's BaseWARCWriter.__init__

    def __init__(self, filebuf, *args, level: int = 4, **kwargs):
        super().__init__(filebuf, *args, **kwargs)
        self.level = level

    def _write_warc_record(self, out, record):
        if not self.gzip:
            return super()._write_warc_record(out, record)
        self.gzip = False  # warcio would wrap ``out`` in its own level-9 compressor
        try:
            return super()._write_warc_record(_GzipMember(out, self.level), record)
        finally:
            self.gzip = True


def cdxj_path(warc: Path) -> Path:
    return warc.with_name(warc.name[: -len(".warc.gz")] + ".cdxj")


def surt(url: str) -> str:
    """The Sort-friendly URI Reordering Transform of a URL (``com,jiemian,www)/article/1.html``)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    key = ",".join(reversed(host.split("."))) + ")" + (parts.path or "/").lower()
    return key + (f"?{parts.query}" if parts.query else "")


def index_fields(record) -> dict[str, str]:
    """What a response record's CDXJ line says of it, but where it lies (file, offset, length)."""
    headers = record.rec_headers
    return {
        "stamp": "".join(ch for ch in headers.get_header("WARC-Date") if ch.isdigit())[:14],
        "url": headers.get_header("WARC-Target-URI"),
        "mime": (record.http_headers.get_header("Content-Type") or "").split(";")[0],
        "status": record.http_headers.get_statuscode(),
        "digest": headers.get_header("WARC-Payload-Digest"),
    }


def cdxj_line(record, filename: str, offset: int, length: int) -> str:
    return cdxj_entry(index_fields(record), filename, offset, length)


def cdxj_entry(entry: dict[str, str], filename: str, offset: int, length: int) -> str:
    fields = {key: value for key, value in entry.items() if key != "stamp"}
    fields.update(length=str(length), offset=str(offset), filename=filename)
    return f"{surt(fields['url'])} {entry['stamp']} {json.dumps(fields, ensure_ascii=False)}\n"


class WarcFile:
    """One WARC file being written, with rotation by size and day."""

    def __init__(self, folder: Path, max_bytes: int, level: int = 4, tag: str = ""):
        self.folder = Path(folder)
        self.tag = tag  # in the file names, beside the pid: two files of one process differ
        self.max_bytes = max_bytes
        self.level = level
        self.handle: BinaryIO | None = None
        self.path: Path | None = None
        self.day: date | None = None
        self.serial = 0
        self.written: list[Path] = []
        self.cdxj: list[str] = []  # index lines of the file being written

    def _open(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        now = datetime.now(UTC)
        self.serial += 1
        name = f"archiver-{now:%Y%m%d%H%M%S}-{os.getpid()}{self.tag}-{self.serial:05d}.warc.gz"
        self.path = self.folder / name
        self.open_path = self.path.with_name(name + OPEN_SUFFIX)
        self.handle = open(self.open_path, "wb")
        self.day = now.date()
        self.writer = LeveledWARCWriter(self.handle, gzip=True, warc_version="1.1", level=self.level)
        info = self.writer.create_warcinfo_record(
            name,
            {
                "software": "news-archiver (Scrapy)",
                "format": "WARC File Format 1.1",
                "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
            },
        )
        self.writer.write_record(info)

    def close(self) -> None:
        if self.handle is None:
            return
        assert self.path is not None  # set with the handle by _open()
        self.handle.flush()
        os.fsync(self.handle.fileno())
        self.handle.close()
        self.open_path.rename(self.path)
        # the CDXJ index of the file (sorted, as replay tools such as pywb expect), written
        # only once the WARC file is whole: a reader never trusts an index of a partial file
        write_atomic(cdxj_path(self.path), "".join(sorted(self.cdxj)))
        self.cdxj = []
        self.written.append(self.path)
        self.handle = None

    def write_pair(self, request_record, response_record) -> tuple[bytes, bytes, dict[str, str]]:
        """Write the two records; returns them as written (two gzip members) with the
        response's index fields, for :meth:`write_members` elsewhere (a remote worker's
        pages, imported by the blog's writer: archiver/workers/warcship.py)."""
        response, request = self._member(response_record), self._member(request_record)
        entry = index_fields(response_record)
        self.write_members(response, request, entry)
        return response, request, entry

    def _member(self, record) -> bytes:
        out = BytesIO()
        LeveledWARCWriter(out, gzip=True, warc_version="1.1", level=self.level).write_record(record)
        return out.getvalue()

    def write_members(self, response: bytes, request: bytes, entry: dict[str, str]) -> None:
        """Append a response and its request, already made (gzip members), and index them."""
        if self.handle is not None and (
            self.handle.tell() >= self.max_bytes or datetime.now(UTC).date() != self.day
        ):
            self.close()
        if self.handle is None:
            self._open()
            self.cdxj = []
        assert self.handle is not None and self.path is not None  # _open() set both
        offset = self.handle.tell()
        self.handle.write(response)
        self.handle.write(request)
        self.handle.flush()
        self.cdxj.append(cdxj_entry(entry, self.path.name, offset, len(response)))


# ---------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------


class WarcArchive:
    """The newest ``200`` answer per URL in a set of WARC files (read from each file's
    CDXJ index when it has one, else by scanning the file)."""

    def __init__(self, path: Path):
        self.files = warc_files(path)
        self.index: dict[str, tuple[Path, int]] = {}
        self.handles: dict[Path, BinaryIO] = {}
        for file in self.files:
            for url, offset in self._responses(file):
                self.index[url] = (file, offset)

    @staticmethod
    def _responses(file: Path):
        """(URL, offset) of the 200 responses of one WARC file, in file order."""
        index = cdxj_path(file)
        if index.exists():
            entries = []
            for line in index.read_text(encoding="utf-8").splitlines():
                fields = json.loads(line.split(" ", 2)[2])
                if fields.get("status") == "200":
                    entries.append((int(fields["offset"]), fields["url"]))
            for offset, url in sorted(entries):
                yield url, offset
            return
        with file.open("rb") as handle:
            records = ArchiveIterator(handle)
            for record in records:
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                if record.http_headers.get_statuscode() != "200":
                    continue
                yield record.rec_headers.get_header("WARC-Target-URI"), records.get_record_offset()

    def __len__(self) -> int:
        return len(self.index)

    def article_urls(self) -> list[str]:
        """Article URLs (of any registered site or the generic extractor) in the archive."""
        from archiver.sites import article_key  # not for warc_files (archiver status)

        return sorted(url for url in self.index if article_key(url))

    def get(self, url: str) -> tuple[int, list[tuple[str, str]], bytes] | None:
        """(status, headers, body as received) of the newest answer for ``url``."""
        found = self.index.get(url)
        if found is None:
            return None
        file, offset = found
        handle = self.handles.get(file)
        if handle is None:
            handle = self.handles[file] = file.open("rb")
        handle.seek(offset)
        record = next(iter(ArchiveIterator(handle)))
        body = record.raw_stream.read()
        return int(record.http_headers.get_statuscode()), record.http_headers.headers, body
