"""The archiver's own state: one SQLite file for what posts cannot hold.

The posts in ``_posts/`` stay the source of truth for *what is archived*; this file
keeps fetch validators of lists and feeds, the hash of every post as the archiver
wrote it (to tell a person's edit from an upstream change), earlier revisions of
updated posts, articles gone upstream, failures awaiting retry and the run history.
Deleting it loses nothing that matters: the next run rebuilds it from ``_posts/``
(see :meth:`State.reconcile`) without fetching any archived article again.

Default place: ``<blog root>/.archiver/state.sqlite`` (a dot-folder, which Jekyll never
builds); ``ARCHIVER_STATE_DIR`` moves it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
import time
from datetime import UTC, datetime
from pathlib import Path

from archiver import config
from archiver.store.transaction import transaction

logger = logging.getLogger(__name__)

SCHEMA = """
CREATE TABLE IF NOT EXISTS posts (
    key TEXT PRIMARY KEY,          -- source-id
    url TEXT NOT NULL DEFAULT '',  -- canonical article URL
    path TEXT NOT NULL,            -- post file, relative to the blog root
    written_hash TEXT NOT NULL,    -- sha256 of the post text as the archiver last wrote it
    ours INTEGER NOT NULL DEFAULT 1,  -- 0: a post of the blog the archiver did not write
    upstream_hash TEXT NOT NULL DEFAULT '',  -- sha256 of the article's content when fetched
    published TEXT NOT NULL DEFAULT '',
    first_archived TEXT NOT NULL,
    last_fetched TEXT NOT NULL DEFAULT '',
    gone_since TEXT,               -- set when the article disappeared upstream
    gone_reason TEXT
);
-- the few gone articles, without reading every post's row (archiver status)
CREATE INDEX IF NOT EXISTS posts_gone ON posts (key) WHERE gone_since IS NOT NULL;
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
-- archived articles per URL origin (see ORIGIN_SQL), kept by the triggers below: what
-- `archiver status` counts per source of the sources file, without reading every row
CREATE TABLE IF NOT EXISTS post_origins (origin TEXT PRIMARY KEY, articles INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS revisions (
    key TEXT NOT NULL,
    replaced_at TEXT NOT NULL,
    path TEXT NOT NULL,
    text TEXT NOT NULL,            -- the post text that was replaced
    PRIMARY KEY (key, replaced_at)
);
CREATE TABLE IF NOT EXISTS pages (    -- lists and feeds: conditional-request validators
    url TEXT PRIMARY KEY,
    etag TEXT,
    last_modified TEXT,
    fetched_at TEXT NOT NULL,
    entries TEXT                   -- JSON: what that answer held, re-read on a 304
);
CREATE TABLE IF NOT EXISTS failures (
    url TEXT PRIMARY KEY,
    key TEXT,
    reason TEXT NOT NULL,
    detail TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 1,
    first_failed TEXT NOT NULL,
    last_failed TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    spider TEXT NOT NULL,
    started TEXT NOT NULL,
    finished TEXT,
    result TEXT,                   -- finish reason; NULL while running (or killed)
    summary TEXT                   -- JSON counters
);
"""

#: SQL of a URL (``{u}``) cut at the first '/' after its '://' (the whole URL when it has
#: none): the prefix holds the URL's whole host part, so ``urlsplit`` reads the same host.
ORIGIN_SQL = (
    "CASE WHEN instr({u}, '://') = 0 THEN {u}"
    " ELSE substr({u}, 1, instr({u}, '://') + 1 + instr(substr({u}, instr({u}, '://') + 3) || '/', '/')) END"
)
_COUNT_ORIGIN = (
    "INSERT INTO post_origins (origin, articles) VALUES ({o}, {n})"
    " ON CONFLICT(origin) DO UPDATE SET articles = articles + {n};"
)
SCHEMA += "".join(
    f"CREATE TRIGGER IF NOT EXISTS {name} {body} END;\n"
    for name, body in {
        "origins_post_added": "AFTER INSERT ON posts WHEN NEW.url != '' BEGIN "
        + _COUNT_ORIGIN.format(o=ORIGIN_SQL.format(u="NEW.url"), n=1),
        "origins_post_removed": "AFTER DELETE ON posts WHEN OLD.url != '' BEGIN "
        + _COUNT_ORIGIN.format(o=ORIGIN_SQL.format(u="OLD.url"), n=-1),
        "origins_url_changed": "AFTER UPDATE OF url ON posts WHEN NEW.url IS NOT OLD.url BEGIN "
        + f"UPDATE post_origins SET articles = articles - 1 WHERE OLD.url != '' AND origin = {ORIGIN_SQL.format(u='OLD.url')};"
        + f"INSERT INTO post_origins (origin, articles) SELECT {ORIGIN_SQL.format(u='NEW.url')}, 1 WHERE NEW.url != ''"
        " ON CONFLICT(origin) DO UPDATE SET articles = articles + 1;",
    }.items()
)

#: Failure reasons worth trying again on the next run (the page may come back).
TRANSIENT = ("http_5", "http_429", "http_408", "timeout", "connection_refused", "network", "dns", "empty")


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class StateError(RuntimeError):
    """The state database cannot be used (locked by another program, corrupt, unwritable)."""


#: Seconds between two tries to put a new database in WAL mode while another process does.
WAL_RETRY = 0.02


def _wal(db: sqlite3.Connection, timeout: float) -> None:
    """``PRAGMA journal_mode=WAL``. Two processes opening a new database at once (a
    writer and a worker of one crawl) both convert it, and SQLite answers "locked" at once
    to the one that comes second, without waiting on its busy timeout: it tries again,
    within that timeout, until the other is done (then the mode is already WAL)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            db.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() >= deadline:
                raise
            time.sleep(WAL_RETRY)


class State:
    def __init__(self, path: Path, blog: Path, timeout: float = 30.0):
        self.path = Path(path)
        self.blog = Path(blog)
        self._dirs: dict[Path, Path] = {}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, timeout=timeout, isolation_level=None)
            _wal(self.db, timeout)
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(SCHEMA)
            self._migrate()
            if self._one("SELECT 1 FROM posts LIMIT 1") is None:  # a new database: the triggers count all
                self.db.execute("INSERT OR IGNORE INTO meta (name, value) VALUES ('post_origins', 'built')")
            if self.last_run_unfinished():  # a full check reads the whole file: only after a kill
                check = self.db.execute("PRAGMA quick_check").fetchone()[0]
                if check != "ok":
                    raise sqlite3.DatabaseError(f"integrity check: {check}")
            self.db.execute("BEGIN IMMEDIATE")  # can we write? (waits for another writer)
            self.db.execute("ROLLBACK")
        except (OSError, sqlite3.Error) as exc:
            if "locked" in str(exc):
                hint = "another program holds it; close that program"
            elif isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError):
                hint = "it is damaged; move it away and the next run rebuilds it from _posts/"
            else:
                hint = "check the folder's permissions and free space"
            raise StateError(f"state database {self.path} cannot be used: {exc} ({hint})") from exc

    def _migrate(self) -> None:
        """Columns added since a database was made. ``pages.entries``: rows from before it
        hold validators without the entries, and are no longer used to ask conditionally
        (a 304 could not be re-read): those pages are fetched in full once."""
        columns = {row[1] for row in self.db.execute("PRAGMA table_info(pages)")}
        if "entries" not in columns:
            try:
                self.db.execute("ALTER TABLE pages ADD COLUMN entries TEXT")
            except sqlite3.OperationalError as exc:  # another process of the run added it first
                if "duplicate column" not in str(exc):
                    raise

    @classmethod
    def for_crawler(cls, crawler) -> State:
        state = getattr(crawler, "_archiver_state", None)
        if state is None:
            settings = crawler.settings
            state = cls(
                config.state_dir(settings) / "state.sqlite",
                config.blog_root(settings),
                timeout=config.getfloat(settings, "ARCHIVER_STATE_TIMEOUT"),
            )
            crawler._archiver_state = state
        return state

    def close(self) -> None:
        self.db.close()

    def _one(self, sql: str, *args):
        return self.db.execute(sql, args).fetchone()

    # -- posts ---------------------------------------------------------------

    def rel(self, path: Path) -> str:
        """``path`` relative to the blog root (both resolved), or as given when outside it."""
        path = Path(path)
        try:
            return str(self._resolved(path).relative_to(self._resolved_dir(self.blog)))
        except ValueError:
            return str(path)

    def _resolved_dir(self, folder: Path) -> Path:
        """``folder.resolve()``, resolved once per folder (the blog root, ``_posts/``)."""
        if not folder.is_absolute():  # resolved against the working folder, which may change
            return folder.resolve()
        resolved = self._dirs.get(folder)
        if resolved is None:
            resolved = self._dirs[folder] = folder.resolve()
        return resolved

    def _resolved(self, path: Path) -> Path:
        """``path.resolve()``: its folder's resolved once, then its own name, unless that
        is a link (or ``.``/``..``), which takes the whole resolution."""
        if path.name in ("", ".", "..") or path.is_symlink():
            return path.resolve()
        return self._resolved_dir(path.parent) / path.name

    def post(self, key: str) -> dict | None:
        row = self.db.execute(
            "SELECT key, url, path, written_hash, upstream_hash, ours, gone_since FROM posts WHERE key=?",
            (key,),
        ).fetchone()
        if row is None:
            return None
        return dict(zip(("key", "url", "path", "written_hash", "upstream_hash", "ours", "gone_since"), row))

    def reconcile(self, index, names: list[str]) -> int:
        """Add the posts of ``names`` (files of ``_posts/`` the index just read) whose
        articles the database does not know (after its loss, or posts written by hand);
        the text on disk becomes the baseline. A post named the archiver's way counts as
        the archiver's; any other (made by hand) is never overwritten. Returns how many
        were added."""
        if not names:
            return 0
        folder = self.rel(index.posts_dir)
        stamp = now_iso()
        added = 0
        with transaction(self.db):
            for name in names:
                rows = self.db.execute(
                    "SELECT k.key, k.url, f.hash FROM post_keys k JOIN post_files f USING (name) "
                    "WHERE k.name=? AND k.key NOT IN (SELECT key FROM posts)",
                    (name,),
                ).fetchall()
                for key, url, digest in rows:
                    if index.path_for(key).name != name:  # the key's post is another file
                        continue
                    ours = int(name[11:].startswith(key + ".") or name[11:].startswith(key + "-"))
                    cursor = self.db.execute(
                        "INSERT OR IGNORE INTO posts (key, url, path, written_hash, ours, first_archived) "
                        "VALUES (?,?,?,?,?,?)",
                        (key, url or index.url_for(key), f"{folder}/{name}", digest, ours, stamp),
                    )
                    added += cursor.rowcount
        if added:
            logger.info("State: %d posts of _posts/ added to %s", added, self.path)
        return added

    def per_source(self) -> list[tuple[str, int, str, str]]:
        """(source, articles, first published, last published) of the posts in ``_posts/``;
        a date is the article's publication time when known, else the post's file date.
        Read from ``source_summary``, which triggers keep up to date (see
        :mod:`archiver.store.postindex`); a source they marked stale is counted again."""
        from archiver.store.postindex import SUMMARY_SQL

        stale = [row[0] for row in self.db.execute("SELECT source FROM source_summary WHERE stale=1")]
        built = self._one("SELECT value FROM meta WHERE name='source_summary'")
        if stale or built is None:
            with transaction(self.db):
                if built is None:
                    self.db.execute("DELETE FROM source_summary")
                    self.db.execute(
                        f"INSERT INTO source_summary (source, articles, first, last) {SUMMARY_SQL}", ("",)
                    )
                    self.db.execute(
                        "INSERT OR REPLACE INTO meta (name, value) VALUES ('source_summary', 'built')"
                    )
                for source in stale:
                    self.db.execute("DELETE FROM source_summary WHERE source=?", (source,))
                    self.db.execute(
                        f"INSERT INTO source_summary (source, articles, first, last) {SUMMARY_SQL}", (source,)
                    )
        return self.db.execute(
            "SELECT source, articles, first, last FROM source_summary WHERE articles > 0 ORDER BY source"
        ).fetchall()

    def per_origin(self) -> list[tuple[str, int]]:
        """(origin, archived articles) of the posts' URLs (origins: see :data:`ORIGIN_SQL`),
        from ``post_origins``, which triggers keep up to date; counted once when missing
        (a database from before them)."""
        if self._one("SELECT value FROM meta WHERE name='post_origins'") is None:
            with transaction(self.db):
                self.db.execute("DELETE FROM post_origins")
                self.db.execute(
                    f"INSERT INTO post_origins (origin, articles) SELECT {ORIGIN_SQL.format(u='url')} AS o, "
                    "count(*) FROM posts WHERE url != '' GROUP BY o"
                )
                self.db.execute("INSERT OR REPLACE INTO meta (name, value) VALUES ('post_origins', 'built')")
        return self.db.execute("SELECT origin, articles FROM post_origins WHERE articles > 0").fetchall()

    def post_written(
        self,
        key: str,
        url: str,
        path: Path,
        text: str,
        upstream: str,
        published: str,
        replaced: str | None = None,
        replaced_path: Path | None = None,
    ) -> None:
        """Record a post the archiver wrote (``text``); keep the text it replaced as a revision."""
        stamp = now_iso()
        with transaction(self.db):
            if replaced is not None:
                self.db.execute(
                    "INSERT OR REPLACE INTO revisions (key, replaced_at, path, text) VALUES (?,?,?,?)",
                    (key, stamp, self.rel(replaced_path or path), replaced),
                )
            self.db.execute(
                """INSERT INTO posts (key, url, path, written_hash, upstream_hash, published,
                                      first_archived, last_fetched)
                   VALUES (?,?,?,?,?,?,?,?)
                   ON CONFLICT(key) DO UPDATE SET url=excluded.url, path=excluded.path,
                       written_hash=excluded.written_hash, upstream_hash=excluded.upstream_hash,
                       published=excluded.published, last_fetched=excluded.last_fetched,
                       ours=1, gone_since=NULL, gone_reason=NULL""",
                (key, url, self.rel(path), text_hash(text), upstream, published, stamp, stamp),
            )
            self.db.execute("DELETE FROM failures WHERE key=?", (key,))

    def fetched(self, key: str, url: str, upstream: str, published: str) -> None:
        """Record a fetch of an archived article whose post was not rewritten."""
        with transaction(self.db):
            self.db.execute(
                """UPDATE posts SET url=?, upstream_hash=?, published=?, last_fetched=?,
                   gone_since=NULL, gone_reason=NULL WHERE key=?""",
                (url, upstream, published, now_iso(), key),
            )
            self.db.execute("DELETE FROM failures WHERE key=?", (key,))

    def refresh_keys(self, newer_than_days: int | None) -> list[tuple[str, str]]:
        """(key, url) of archived posts to fetch again: all, or published in the last N days."""
        rows = self.db.execute(
            "SELECT key, url, published FROM posts WHERE url != '' ORDER BY key"
        ).fetchall()
        if newer_than_days is None:
            return [(k, u) for k, u, _ in rows]
        limit = datetime.now(UTC).timestamp() - newer_than_days * 86400
        keep = []
        for key, url, published in rows:
            try:
                when = datetime.fromisoformat(published).timestamp()
            except ValueError:
                when = None
            if when is None or when >= limit:
                keep.append((key, url))
        return keep

    def mark_gone(self, key: str, reason: str) -> bool:
        """Record an archived article that disappeared upstream; True the first time."""
        with transaction(self.db):
            cursor = self.db.execute(
                "UPDATE posts SET gone_since=?, gone_reason=? WHERE key=? AND gone_since IS NULL",
                (now_iso(), reason, key),
            )
        return cursor.rowcount > 0

    def gone(self) -> list[tuple[str, str, str, str]]:
        """(key, url, since, reason) of archived articles gone upstream."""
        return self.db.execute(
            "SELECT key, url, gone_since, gone_reason FROM posts WHERE gone_since IS NOT NULL ORDER BY key"
        ).fetchall()

    # -- failures ------------------------------------------------------------

    def record_failure(self, url: str, key: str | None, reason: str, detail: str) -> None:
        stamp = now_iso()
        with transaction(self.db):
            self.db.execute(
                """INSERT INTO failures (url, key, reason, detail, first_failed, last_failed)
                   VALUES (?,?,?,?,?,?)
                   ON CONFLICT(url) DO UPDATE SET reason=excluded.reason, detail=excluded.detail,
                       attempts=attempts+1, last_failed=excluded.last_failed""",
                (url, key, reason, detail, stamp, stamp),
            )

    def clear_failure(self, url: str) -> None:
        with transaction(self.db):
            self.db.execute("DELETE FROM failures WHERE url=?", (url,))

    def failures(self, transient_only: bool = False, max_attempts: int | None = None) -> list[tuple]:
        """(url, key, reason, detail, attempts) of failures awaiting retry."""
        rows = self.db.execute(
            "SELECT url, key, reason, detail, attempts FROM failures ORDER BY url"
        ).fetchall()
        if transient_only:
            rows = [r for r in rows if r[2].startswith(TRANSIENT)]
        if max_attempts is not None:
            rows = [r for r in rows if r[4] < max_attempts]
        return rows

    def failures_per_origin(self) -> list[tuple[str, int]]:
        """(origin, failures awaiting retry) of the failed URLs (see :data:`ORIGIN_SQL`)."""
        return self.db.execute(
            f"SELECT {ORIGIN_SQL.format(u='url')} AS o, count(*) FROM failures GROUP BY o"
        ).fetchall()

    # -- lists and feeds -------------------------------------------------------

    def validators(self, url: str) -> tuple[str | None, str | None]:
        """ETag and Last-Modified of a page whose entries are kept (else none: ask in full)."""
        row = self._one("SELECT etag, last_modified FROM pages WHERE url=? AND entries IS NOT NULL", url)
        return (row[0], row[1]) if row else (None, None)

    def page_entries(self, url: str) -> str | None:
        """The entries (JSON) kept with the page's validators, re-read when it answers 304."""
        row = self._one("SELECT entries FROM pages WHERE url=?", url)
        return row[0] if row else None

    def save_validators(
        self, url: str, etag: str | None, last_modified: str | None, entries: str | None = None
    ) -> None:
        with transaction(self.db):
            self.db.execute(
                "INSERT OR REPLACE INTO pages (url, etag, last_modified, fetched_at, entries) "
                "VALUES (?,?,?,?,?)",
                (url, etag, last_modified, now_iso(), entries),
            )

    # -- runs -------------------------------------------------------------------

    def run_started(self, spider: str) -> int:
        with transaction(self.db):
            cursor = self.db.execute("INSERT INTO runs (spider, started) VALUES (?,?)", (spider, now_iso()))
        assert cursor.lastrowid is not None  # an INSERT into a rowid table sets it
        return cursor.lastrowid

    def run_finished(self, run_id: int, result: str, summary: dict) -> None:
        with transaction(self.db):
            self.db.execute(
                "UPDATE runs SET finished=?, result=?, summary=? WHERE id=?",
                (now_iso(), result, json.dumps(summary, ensure_ascii=False), run_id),
            )

    def last_run_unfinished(self) -> bool:
        """Whether the last run started here did not finish (killed), or none is recorded."""
        row = self._one("SELECT finished FROM runs ORDER BY id DESC LIMIT 1")
        return row is None or row[0] is None

    def runs(self, limit: int = 10) -> list[tuple]:
        return self.db.execute(
            "SELECT id, spider, started, finished, result, summary FROM runs ORDER BY id DESC LIMIT ?",
            (limit,),
        ).fetchall()
