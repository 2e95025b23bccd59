"""What the blog already holds: the posts of ``_posts/`` are the source of truth.

A post is known by its file name (``YYYY-MM-DD-<source>-<id>.md``) or, for posts
made by hand or by other tools, by its ``[原文地址](URL)`` link.

Reading every post at every run would make each run's cost grow with the archive. So
what the posts hold is kept in the state database (tables ``post_files``: name, size,
mtime, hash; ``post_keys``: key, file, URL), and each run notices changes cheaply:

* the folder's own stat (device, inode, mtime) is compared with the one recorded when
  its names were last listed. A post added, deleted or renamed (by hand, by ``git
  checkout``/``restore``, which recreate files, by an editor that saves by renaming, by
  this archiver) changes it; then the names are listed (no file is opened) and only the
  files new to the database are read;
* a post whose keys do not come from its name alone (made by hand or by another tool,
  or whose 原文地址 link names another article) is also stat'ed at every run, and read
  again when its size or mtime changed, so that a link added to it in place is noticed;
* a post named the archiver's way that is edited in place keeps its key (its name);
  whether the text is still the archiver's is checked against its hash when the article
  is next fetched, as before.

A listing is trusted next time only if the folder's mtime was older than the time the
listing began, by a whole timestamp tick: a change within the same tick would not show.
That time is read on the filesystem's own clock, as Git tells racy entries of its index:
a marker file next to the state database (``posts-listed``) is touched before the folder
is stat'ed and listed, and its mtime must be later than the folder's. So a run that
wrote posts, listing the folder once as it ends, leaves a listing that ``archiver status``
and the next run trust. When the marker is on another filesystem (or cannot be
written) this machine's clock is used, and the folder must be :data:`RACY_NS` older.
After the state database is deleted, the first run reads every post once.

When the folder's stat did change, most often it is this archiver's own writes (a run
that wrote posts, then ``archiver status`` or the next run). So the database also keeps
a digest of its post names (their count and the sums of two checksums of each name,
kept up to date as posts are recorded and forgotten): the folder's names are listed and
hashed, and only when the digests differ are they compared one by one in SQLite (seconds
at 100,000 posts, against a few hundredths for the listing and its digest). Nothing is
trusted without a listing, so a change made in the same tick as a run's own write is
seen like any other.
"""

from __future__ import annotations

import logging
import os
import re
import sqlite3
import time
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from archiver import config
from archiver.store.transaction import transaction

logger = logging.getLogger(__name__)

#: ``YYYY-MM-DD-<source>-<id>[-<slug>].md``
_NAME = re.compile(r"^\d{4}-\d{2}-\d{2}-(?P<key>[A-Za-z0-9]+-[A-Za-z0-9_]+)(?:-[a-z0-9-]*)?\.md$")
_SOURCE_LINK = re.compile(r"\[原文地址\]\((?P<url>[^)\s]+)\)")
_TAIL_BYTES = 8192
#: A folder listing is trusted at the next run only when the folder's mtime was at least
#: this much older than the listing by this machine's clock (2 s: the coarsest timestamps
#: of common filesystems), when the filesystem's own clock cannot be read (see ``_clock``).
RACY_NS = 2_000_000_000
#: The file next to the state database whose mtime, set when ``_posts/`` is listed, tells
#: the time on the filesystem's clock.
LISTING_MARKER = "posts-listed"
#: When the folder changed within the current tick of that clock (fine timestamps tick every
#: few milliseconds), the listing waits for the next tick, at most this many times this long.
_TICK_WAITS, _TICK_WAIT_S = 5, 0.01

#: SQL of a key's source (``jiemian`` of ``jiemian-1108857``) and of its date as status shows it.
_SOURCE = "substr({k}, 1, instr({k}, '-') - 1)"
_SHOWN = (
    "coalesce((SELECT replace(substr(published, 1, 16), 'T', ' ') FROM posts WHERE key={k} AND published != ''),"
    " (SELECT substr(min(name), 1, 10) FROM post_keys WHERE key={k}))"
)

SCHEMA = """
CREATE TABLE IF NOT EXISTS post_files (   -- the posts of _posts/ as last seen
    name TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    hash TEXT NOT NULL,                   -- sha256 of the text when it was read or written
    watched INTEGER NOT NULL DEFAULT 0    -- 1: its keys do not all come from its name: stat'ed every run
);
CREATE TABLE IF NOT EXISTS post_keys (    -- the articles each post holds
    key TEXT NOT NULL,
    name TEXT NOT NULL,
    url TEXT NOT NULL DEFAULT '',         -- of its 原文地址 link ('' when the key is from the name only)
    PRIMARY KEY (key, name)
);
CREATE INDEX IF NOT EXISTS post_keys_name ON post_keys (name);
CREATE INDEX IF NOT EXISTS post_files_watched ON post_files (watched) WHERE watched = 1;
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS source_summary (  -- what `archiver status` shows, kept by the triggers below
    source TEXT PRIMARY KEY,
    articles INTEGER NOT NULL DEFAULT 0,
    first TEXT NOT NULL DEFAULT '',
    last TEXT NOT NULL DEFAULT '',
    stale INTEGER NOT NULL DEFAULT 0       -- 1: an article left or changed its date: count again
);
""" + "".join(
    f"CREATE TRIGGER IF NOT EXISTS {name} {body};\n"
    for name, body in {
        # an article arrives: counted, its date widens the range
        "summary_key_added": f"""AFTER INSERT ON post_keys
            WHEN NOT EXISTS (SELECT 1 FROM post_keys WHERE key=NEW.key AND name != NEW.name)
            BEGIN
              INSERT INTO source_summary (source) VALUES ({_SOURCE.format(k="NEW.key")}) ON CONFLICT DO NOTHING;
              UPDATE source_summary SET articles = articles + 1,
                first = CASE WHEN first = '' OR {_SHOWN.format(k="NEW.key")} < first
                        THEN {_SHOWN.format(k="NEW.key")} ELSE first END,
                last = CASE WHEN {_SHOWN.format(k="NEW.key")} > last THEN {_SHOWN.format(k="NEW.key")} ELSE last END
              WHERE source = {_SOURCE.format(k="NEW.key")};
            END""",
        # an article leaves: counted again when status is next asked (rare: posts deleted)
        "summary_key_removed": f"""AFTER DELETE ON post_keys
            WHEN NOT EXISTS (SELECT 1 FROM post_keys WHERE key=OLD.key)
            BEGIN
              UPDATE source_summary SET stale = 1 WHERE source = {_SOURCE.format(k="OLD.key")};
            END""",
        # an article's publication time is learnt or changes
        "summary_published": f"""AFTER UPDATE OF published ON posts
            WHEN NEW.published != OLD.published AND EXISTS (SELECT 1 FROM post_keys WHERE key=NEW.key)
            BEGIN
              UPDATE source_summary SET stale = 1 WHERE source = {_SOURCE.format(k="NEW.key")};
            END""",
        "summary_post_added": f"""AFTER INSERT ON posts
            WHEN NEW.published != '' AND EXISTS (SELECT 1 FROM post_keys WHERE key=NEW.key)
            BEGIN
              UPDATE source_summary SET stale = 1 WHERE source = {_SOURCE.format(k="NEW.key")};
            END""",
    }.items()
)
#: (source, articles, first, last) counted afresh, of every source ('') or of one (``?``).
SUMMARY_SQL = f"""SELECT source, count(*), min(shown), max(shown) FROM (
        SELECT {_SOURCE.format(k="pk.key")} AS source,
               coalesce(replace(substr(nullif(p.published, ''), 1, 16), 'T', ' '), substr(min(pk.name), 1, 10)) AS shown
        FROM post_keys pk LEFT JOIN posts p ON p.key = pk.key
        WHERE ?1 = '' OR substr(pk.key, 1, length(?1) + 1) = ?1 || '-'
        GROUP BY pk.key)
    GROUP BY source"""


def is_post_name(name: str) -> bool:
    """A post file of ``_posts/`` (temporary files and kept upstream versions are dot-files)."""
    return name.endswith(".md") and not name.startswith(".")


def keys_of(name: str, text: str) -> tuple[list[tuple[str, str]], bool]:
    """(key, url) of every article a post holds, from its name and the 原文地址 links of
    its last 8 KB; and whether it must be watched (its keys are not just its name's)."""
    from archiver.sites import article_key  # the parsers' registry: only when a post is read

    keys: list[tuple[str, str]] = []
    match = _NAME.match(name)
    own = match["key"] if match else None
    if own:
        keys.append((own, ""))
    tail = text.encode("utf-8")[-_TAIL_BYTES:].decode("utf-8", "replace")
    for link in _SOURCE_LINK.finditer(tail):
        key = article_key(link["url"])
        if key:
            keys.append((key, link["url"]))
    watched = own is None or any(key != own for key, _ in keys)
    return keys, watched


_MASK = (1 << 64) - 1


def names_digest(names: Iterable[str]) -> tuple[int, int, int]:
    """(count, sum of CRC-32s, sum of Adler-32s) of post names: the same for the same set
    of names in any order, and updated by adding or subtracting one name's checksums."""
    return _digest_of([os.fsencode(name) for name in names])


def _digest_of(raw: list[bytes]) -> tuple[int, int, int]:
    """:func:`names_digest` of names as the folder lists them (bytes: checksummed in C)."""
    return len(raw), sum(map(zlib.crc32, raw)) & _MASK, sum(map(zlib.adler32, raw)) & _MASK


def _is_post_name(raw: bytes) -> bool:
    return raw.endswith(b".md") and not raw.startswith(b".")


def _stamp(st: os.stat_result) -> str:
    return f"{st.st_dev}:{st.st_ino}:{st.st_mtime_ns}"


class PostIndex:
    """Keys (``source-id``) of the archived articles and the post file of each, kept in
    the state database and brought up to date with ``_posts/`` by :meth:`sync`."""

    def __init__(self, db: sqlite3.Connection, posts_dir: Path):
        self.db = db
        self.posts_dir = Path(posts_dir)
        self._racy_ns = RACY_NS
        self.db.executescript(SCHEMA)

    @classmethod
    def for_crawler(cls, crawler) -> PostIndex:
        """One index per crawl, shared by the middleware and the pipelines: synced with
        ``_posts/`` once, the state database told of the posts it did not know."""
        index = getattr(crawler, "_archiver_post_index", None)
        if index is None:
            from archiver.store.state import State

            state = State.for_crawler(crawler)
            index = cls(state.db, config.blog_root(crawler.settings) / "_posts")
            state.reconcile(index, index.sync())
            crawler._archiver_post_index = index
        return index

    # -- noticing what changed --------------------------------------------------

    def sync(self) -> list[str]:
        """Bring the database up to date with ``_posts/``; the names of the posts read
        (new to it, or changed) are returned."""
        started = time.perf_counter()
        with transaction(self.db):  # one worker at a time; the others then find it done
            read, removed, how = self._sync()
        logger.info(
            "Post index: %s (%s; %d posts read, %d gone, %.2f s)",
            self.posts_dir,
            how,
            len(read),
            removed,
            time.perf_counter() - started,
        )
        return read

    def _sync(self) -> tuple[list[str], int, str]:
        try:
            folder = os.stat(self.posts_dir)
        except FileNotFoundError:
            removed = self.db.execute("SELECT count(*) FROM post_files").fetchone()[0]
            self.db.execute("DELETE FROM post_files")
            self.db.execute("DELETE FROM post_keys")
            self.db.execute(
                "DELETE FROM meta WHERE name IN ('posts_listing', 'posts_listed', 'names_digest')"
            )
            return [], removed, "no folder"
        recorded = self.db.execute("SELECT value FROM meta WHERE name='posts_listed'").fetchone()
        read: list[str] = []
        removed = 0
        how = "folder unchanged"
        if not recorded or recorded[0] != f"{_stamp(folder)}:trusted":
            how = "folder listed, the same names"
            now, folder = self._clock(), os.stat(self.posts_dir)  # any later change moves the folder's mtime
            for _ in range(_TICK_WAITS):  # changed in this very tick (a run's own write): the next is near
                if self._racy_ns != 1 or now - folder.st_mtime_ns >= 1:
                    break
                time.sleep(_TICK_WAIT_S)
                now, folder = self._clock(), os.stat(self.posts_dir)
            raw = [name for name in os.listdir(os.fsencode(self.posts_dir)) if _is_post_name(name)]
            if _digest_of(raw) != self._digest():
                how = "folder listed, names compared"
                new, removed = self._compare_listing([os.fsdecode(name) for name in raw])
                read += [name for name in new if self._read(name)]
                self._set_digest(names_digest(r[0] for r in self.db.execute("SELECT name FROM post_files")))
            if now - folder.st_mtime_ns >= self._racy_ns:
                self.db.execute(
                    "INSERT OR REPLACE INTO meta (name, value) VALUES ('posts_listed', ?)",
                    (f"{_stamp(folder)}:trusted",),
                )
            else:  # the folder changed within the timestamp tick of the listing: list again next time
                self.db.execute("DELETE FROM meta WHERE name='posts_listed'")
            # the record of earlier versions (trusted by this machine's clock): an older archiver
            # run on this database finds none, and lists the folder
            self.db.execute("DELETE FROM meta WHERE name='posts_listing'")
        watched = self.db.execute("SELECT name, size, mtime_ns FROM post_files WHERE watched=1").fetchall()
        for name, size, mtime_ns in watched:
            try:
                st = os.stat(self.posts_dir / name)
            except FileNotFoundError:
                self._forget(name)
                removed += 1
                continue
            if (st.st_size, st.st_mtime_ns) != (size, mtime_ns) and self._read(name):
                read.append(name)
        return read, removed, how

    def _clock(self) -> int:
        """Now, on the clock that stamps the folder's changes: the mtime of the marker file
        next to the state database, touched now, when it is on the folder's filesystem
        (then :attr:`_racy_ns` is 1: any later tick is safe, whatever the timestamps'
        granularity or the gap between this machine's clock and a file server's); else this
        machine's clock (and :data:`RACY_NS`)."""
        self._racy_ns = RACY_NS
        now = time.time_ns()
        row = self.db.execute("PRAGMA database_list").fetchone()
        if not row or not row[2]:
            return now
        marker = Path(row[2]).parent / LISTING_MARKER
        try:
            try:
                os.utime(marker)
            except FileNotFoundError:
                marker.touch()
            st = os.stat(marker)
        except OSError:
            return now
        if st.st_dev != os.stat(self.posts_dir).st_dev:
            return now
        self._racy_ns = 1
        return st.st_mtime_ns

    def _digest(self) -> tuple[int, int, int] | None:
        row = self.db.execute("SELECT value FROM meta WHERE name='names_digest'").fetchone()
        if not row:
            return None
        count, crc, adler = map(int, row[0].split(":"))
        return count, crc, adler

    def _set_digest(self, digest: tuple[int, int, int]) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO meta (name, value) VALUES ('names_digest', ?)",
            (":".join(map(str, digest)),),
        )

    def _change_digest(self, name: str, sign: int) -> None:
        """One name recorded (+1) or forgotten (-1): the stored digest follows, if there is one."""
        digest = self._digest()
        if digest is not None:
            count, crc, adler = names_digest([name])
            self._set_digest(
                (
                    digest[0] + sign * count,
                    (digest[1] + sign * crc) & _MASK,
                    (digest[2] + sign * adler) & _MASK,
                )
            )

    def _compare_listing(self, names: list[str]) -> tuple[list[str], int]:
        """The folder's names against the database's (in SQLite, not in memory): the
        names new to it; names gone are forgotten."""
        self.db.execute("CREATE TEMP TABLE IF NOT EXISTS listing (name TEXT PRIMARY KEY)")
        self.db.execute("DELETE FROM temp.listing")
        self.db.executemany("INSERT OR IGNORE INTO temp.listing (name) VALUES (?)", ((n,) for n in names))
        new = [
            row[0]
            for row in self.db.execute(
                "SELECT name FROM temp.listing WHERE name NOT IN (SELECT name FROM post_files) ORDER BY name"
            )
        ]
        gone = [
            row[0]
            for row in self.db.execute(
                "SELECT name FROM post_files WHERE name NOT IN (SELECT name FROM temp.listing)"
            )
        ]
        for name in gone:
            self._forget(name)
        self.db.execute("DELETE FROM temp.listing")
        return new, len(gone)

    def _read(self, name: str) -> bool:
        """Read one post and record its keys; False when it cannot be read (it stays
        unknown, and is tried again at the next listing)."""
        from archiver.store.state import text_hash

        path = self.posts_dir / name
        try:
            with path.open("rb") as handle:
                st = os.fstat(handle.fileno())
                text = handle.read().decode("utf-8", "replace")
        except OSError as exc:
            logger.warning("Post index: cannot read %s: %s", path, exc)
            self._forget(name)
            return False
        self._record(name, st, text_hash(text), text)
        return True

    def _record(self, name: str, st: os.stat_result, digest: str, text: str) -> None:
        keys, watched = keys_of(name, text)
        kept = [key for key, _ in keys]
        if self.db.execute("SELECT 1 FROM post_files WHERE name=?", (name,)).fetchone() is None:
            self._change_digest(name, +1)
        self.db.execute(  # only the keys the post no longer holds (the summary's triggers count)
            f"DELETE FROM post_keys WHERE name=? AND key NOT IN ({','.join('?' * len(kept))})", (name, *kept)
        )
        self.db.execute(
            "INSERT OR REPLACE INTO post_files (name, size, mtime_ns, hash, watched) VALUES (?,?,?,?,?)",
            (name, st.st_size, st.st_mtime_ns, digest, int(watched)),
        )
        self.db.executemany(
            "INSERT INTO post_keys (key, name, url) VALUES (?,?,?) "
            "ON CONFLICT(key, name) DO UPDATE SET url=CASE WHEN url='' THEN excluded.url ELSE url END",
            [(key, name, url) for key, url in keys],
        )

    def _forget(self, name: str) -> None:
        if self.db.execute("DELETE FROM post_files WHERE name=?", (name,)).rowcount:
            self._change_digest(name, -1)
        self.db.execute("DELETE FROM post_keys WHERE name=?", (name,))

    # -- questions -----------------------------------------------------------------

    def __contains__(self, key: str) -> bool:
        return self.db.execute("SELECT 1 FROM post_keys WHERE key=? LIMIT 1", (key,)).fetchone() is not None

    def __len__(self) -> int:
        return self.db.execute("SELECT count(DISTINCT key) FROM post_keys").fetchone()[0]

    def path_for(self, key: str) -> Path | None:
        row = self.db.execute("SELECT min(name) FROM post_keys WHERE key=?", (key,)).fetchone()
        return self.posts_dir / row[0] if row and row[0] else None

    def url_for(self, key: str) -> str:
        """The article URL of the post's 原文地址 link ("" when it has none)."""
        row = self.db.execute(
            "SELECT url FROM post_keys WHERE key=? AND url != '' ORDER BY name LIMIT 1", (key,)
        ).fetchone()
        return row[0] if row else ""

    def items(self) -> Iterator[tuple[str, Path]]:
        """(key, post file) of every archived article, by key."""
        rows = self.db.execute("SELECT key, min(name) FROM post_keys GROUP BY key ORDER BY key")
        for key, name in rows:
            yield key, self.posts_dir / name

    def file_hash(self, name: str) -> str | None:
        row = self.db.execute("SELECT hash FROM post_files WHERE name=?", (name,)).fetchone()
        return row[0] if row else None

    # -- the archiver's own writes ---------------------------------------------------

    def add(self, key: str, path: Path, text: str | None = None) -> None:
        """Record a post the archiver just wrote (``text``: what it wrote)."""
        from archiver.store.state import text_hash

        path = Path(path)
        if text is None:
            text = path.read_text(encoding="utf-8", errors="replace")
        with transaction(self.db):  # or the one the caller opened for the article
            self._record(path.name, os.stat(path), text_hash(text), text)
            self.db.execute(
                "INSERT OR IGNORE INTO post_keys (key, name, url) VALUES (?,?,'')", (key, path.name)
            )
