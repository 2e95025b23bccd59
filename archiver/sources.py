"""The blog's sources file, ``<blog>/_archiver.toml``: everything the blog follows.

Jekyll builds no file whose name starts with ``_`` (unless ``include:`` names it), so the
file lives in the blog, may be committed with it, and is never published. ``archiver
crawl`` with no spider runs every source of it; ``archiver schedule`` prints one cron line
for it; ``archiver status`` reports per source. Plain ``scrapy crawl …`` never reads it.

Pure: text in, :class:`SourcesFile` out, or one :class:`SourcesError` naming the line.
Everything is checked before anything is fetched: a syntax error, an unknown key, a value
of the wrong type or out of range.

A full example (every key is optional except ``follow`` or ``follow_file`` of an outlet)::

    [post]                        # post settings of every source; a source's own replace them
    author = "Sinter"             # ARCHIVER_AUTHOR
    header_img = "pool"           # ARCHIVER_HEADER_IMG: cover, pool or a fixed path
    header_img_pool = ["img/my-post/tech01.jpg", "img/my-post/tech02.jpg"]
    tags = ["存档"]                # ARCHIVER_EXTRA_TAGS: tags after the outlet's name

    [settings]                    # Scrapy and archiver settings of every run (as -s NAME=VALUE)
    ARCHIVER_CONTACT_URL = "https://blog.example/about"

    [jiemian]                     # the jiemian spider
    lists = [65, 800]             # category lists (-a lists=)
    pages = 3                     # list pages per category (-a pages=)
    feeds = ["site", "65"]        # RSS feeds (-a feed=)
    since = 2026-11-01            # nothing older (-a since=)

    [outlets.thepaper]            # any outlet: the article spider following feeds, sitemaps…
    follow = ["https://www.thepaper.cn/rss.xml"]
    since = 2026-11-01
    max_items = 50                # at most this many articles per run
    allow = ['/newsDetail_forward_\\d+']   # URL patterns (Python regular expressions)
    deny = ['/video/']
    tags = ["澎湃"]
    enabled = true                # false: kept in the file, not run
    settings = { DOWNLOAD_DELAY = 2 }
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import NoReturn
from urllib.parse import urlsplit

#: The sources file's name in the blog root.
FILENAME = "_archiver.toml"

#: Post settings a source (or the ``[post]`` table) may set, and the setting each one sets.
POST_KEYS = {
    "author": "ARCHIVER_AUTHOR",
    "header_img": "ARCHIVER_HEADER_IMG",
    "header_img_pool": "ARCHIVER_HEADER_IMG_POOL",
    "tags": "ARCHIVER_EXTRA_TAGS",
}
COMMON_KEYS = {"enabled", "settings", *POST_KEYS}
JIEMIAN_KEYS = {"lists", "pages", "feeds", "since", *COMMON_KEYS}
OUTLET_KEYS = {"follow", "follow_file", "since", "max_items", "allow", "deny", *COMMON_KEYS}
TOP_KEYS = {"post", "settings", "jiemian", "outlets"}
#: Settings the sources file cannot set: they say which blog it is, or belong to the runner.
RESERVED_SETTINGS = {
    "ARCHIVER_OUTPUT",
    "ARCHIVER_STATE_DIR",
    "ARCHIVER_STATS_FILE",
    "ARCHIVER_LOCK_HELD_BY",
    "ARCHIVER_SOURCE",
    "LOG_FILE",
}
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")
_CID = re.compile(r"^[A-Za-z0-9]+$")


class SourcesError(ValueError):
    """The sources file cannot be used; ``str()`` is ``<file>:<line>: <what is wrong>``."""

    def __init__(self, path: Path | str, line: int | None, message: str):
        self.path, self.line, self.message = Path(path), line, message
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class Source:
    """One source: a run of ``spider`` with these ``-a`` arguments and ``-s`` settings."""

    name: str
    spider: str  # "jiemian" or "article"
    args: dict[str, str]
    settings: dict[str, str]  # the blog-wide ones, then the post settings, then its own
    hosts: tuple[str, ...]  # the sites it reads (for status), without www.
    enabled: bool = True


@dataclass(frozen=True)
class SourcesFile:
    path: Path
    sources: list[Source] = field(default_factory=list)

    def enabled(self) -> list[Source]:
        return [s for s in self.sources if s.enabled]

    def get(self, name: str) -> Source | None:
        return next((s for s in self.sources if s.name == name), None)


# -- where a key is written ----------------------------------------------------------

_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]*?)\s*\]\]?\s*(?:#.*)?$")


def _parts(dotted: str) -> tuple[str, ...]:
    return tuple(
        p.strip().strip("\"'") for p in re.split(r"\.(?=(?:[^\"']*[\"'][^\"']*[\"'])*[^\"']*$)", dotted)
    )


def _key_at(line: str, key: str) -> bool:
    quoted = re.escape(key)
    return bool(re.match(rf"""^\s*(?:{quoted}|"{quoted}"|'{quoted}')\s*[.=]""", line))


def line_of(text: str, path: tuple[str, ...]) -> int | None:
    """The line (1-based) where the key at ``path`` (tables…, key) is written: a table
    header, a ``key =`` line of its table, a dotted key, or inside an inline table."""
    lines = text.splitlines()
    table: tuple[str, ...] = ()
    parent_line = None
    for number, line in enumerate(lines, 1):
        header = _HEADER.match(line)
        if header and not line.lstrip().startswith("#"):
            table = _parts(header.group(1))
            if table[: len(path)] == path:
                return number
            continue
        if line.lstrip().startswith("#"):
            continue
        rest = path[len(table) :] if path[: len(table)] == table else None
        if rest and _key_at(line, rest[0]):
            if len(rest) == 1:
                return number
            dotted = ".".join(rest)
            if re.match(rf"^\s*{re.escape(dotted)}\s*=", line):
                return number
            after = line.split("=", 1)[1] if "=" in line else ""
            if re.search(rf"[{{,]\s*{re.escape(rest[-1])}\s*=", after):
                return number
            parent_line = parent_line or number
    if parent_line:
        return parent_line
    for number, line in enumerate(lines, 1):  # last resort: the key written anywhere
        if re.search(rf"(^|[{{,\s]){re.escape(path[-1])}\s*=", line):
            return number
    return None


# -- values ---------------------------------------------------------------------------


class _Checker:
    def __init__(self, path: Path, text: str, known_settings):
        self.path, self.text, self.known_settings = path, text, known_settings

    def fail(self, where: tuple[str, ...], message: str) -> NoReturn:
        raise SourcesError(self.path, line_of(self.text, where), message)

    def keys(self, table: dict, allowed: set[str], where: tuple[str, ...], what: str) -> None:
        for key in table:
            if key not in allowed:
                self.fail(
                    (*where, key),
                    f"unknown key {key!r} in {what} (known: {', '.join(sorted(allowed))})",
                )

    def table(self, value, where: tuple[str, ...]) -> dict:
        if not isinstance(value, dict):
            self.fail(where, f"{'.'.join(where)} must be a table, not {_kind(value)}")
        return value

    def string(self, value, where: tuple[str, ...]) -> str:
        if not isinstance(value, str) or not value.strip():
            self.fail(where, f"{'.'.join(where)} must be a non-empty string, not {_kind(value)}")
        return value.strip()

    def strings(self, value, where: tuple[str, ...], comma_ok: bool = True) -> list[str]:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not value:
            self.fail(where, f"{'.'.join(where)} must be a list of strings, not {_kind(value)}")
        out = [self.string(v, where) for v in value]
        if not comma_ok:
            for v in out:
                if "," in v:
                    self.fail(where, f"{'.'.join(where)}: {v!r} holds a comma, which separates the values")
        return out

    def whole(self, value, where: tuple[str, ...], least: int = 1) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < least:
            self.fail(where, f"{'.'.join(where)} must be a whole number >= {least}, not {value!r}")
        return value

    def boolean(self, value, where: tuple[str, ...]) -> bool:
        if not isinstance(value, bool):
            self.fail(where, f"{'.'.join(where)} must be true or false, not {value!r}")
        return value

    def day(self, value, where: tuple[str, ...]) -> str:
        if isinstance(value, datetime) or not isinstance(value, (date, str)):
            self.fail(where, f"{'.'.join(where)} must be a date such as 2026-11-01, not {value!r}")
        if isinstance(value, str):
            try:
                value = date.fromisoformat(value.strip())
            except ValueError:
                self.fail(where, f"{'.'.join(where)} must be a date such as 2026-11-01, not {value!r}")
        return value.isoformat()

    def url(self, value, where: tuple[str, ...]) -> str:
        value = self.string(value, where)
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            self.fail(where, f"{'.'.join(where)}: {value!r} is not an http(s) URL")
        return value.replace(",", "%2C")  # the spider's follow= separates URLs with commas

    def patterns(self, value, where: tuple[str, ...]) -> list[str]:
        out = self.strings(value, where, comma_ok=False)
        for pattern in out:
            try:
                re.compile(pattern)
            except re.error as exc:
                self.fail(where, f"{'.'.join(where)}: {pattern!r} is not a regular expression ({exc})")
        return out

    def settings(self, value, where: tuple[str, ...]) -> dict[str, str]:
        out: dict[str, str] = {}
        for name, setting in self.table(value, where).items():
            if name in RESERVED_SETTINGS:
                self.fail((*where, name), f"{name} cannot be set in the sources file")
            if self.known_settings is not None and name not in self.known_settings:
                self.fail((*where, name), f"unknown setting {name!r} (see archiver/settings.py)")
            text = _setting_text(setting)
            if text is None:
                self.fail(
                    (*where, name), f"{name} must be a string, number, boolean or list, not {setting!r}"
                )
            out[name] = text
        return out

    def post(self, table: dict, where: tuple[str, ...], inherited: dict[str, str]) -> dict[str, str]:
        out = dict(inherited)
        if "author" in table:
            out["ARCHIVER_AUTHOR"] = self.string(table["author"], (*where, "author"))
        if "header_img" in table:
            out["ARCHIVER_HEADER_IMG"] = self.string(table["header_img"], (*where, "header_img"))
        if "header_img_pool" in table:
            pool = self.strings(table["header_img_pool"], (*where, "header_img_pool"), comma_ok=False)
            out["ARCHIVER_HEADER_IMG_POOL"] = ",".join(pool)
        if "tags" in table:
            out["ARCHIVER_EXTRA_TAGS"] = ",".join(
                self.strings(table["tags"], (*where, "tags"), comma_ok=False)
            )
        if out.get("ARCHIVER_HEADER_IMG") == "pool" and not out.get("ARCHIVER_HEADER_IMG_POOL"):
            self.fail((*where, "header_img"), 'header_img = "pool" needs header_img_pool = [pictures…]')
        return out


def _kind(value) -> str:
    return {dict: "a table", list: "a list", str: "a string", bool: "a boolean"}.get(type(value), repr(value))


def _setting_text(value) -> str | None:
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, (int, float, str)):
        return str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, list) and all(isinstance(v, (int, float, str)) and "," not in str(v) for v in value):
        return ",".join(map(str, value))
    return None


def _host(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


# -- the file -----------------------------------------------------------------------------


def parse(text: str, path: Path | str = FILENAME, known_settings=None) -> SourcesFile:
    """The sources of ``text`` (the content of the file at ``path``: relative
    ``follow_file`` paths are read from its folder). ``known_settings``: the setting names a
    ``settings`` table may use (None: any)."""
    path = Path(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        found = re.search(r"\(at line (\d+), column (\d+)\)", message)
        line = int(found.group(1)) if found else None
        if "at end of document" in message:
            line = max(1, len(text.splitlines()))
        reason = re.sub(r" \(at (line .*|end of document)\)", "", message)
        raise SourcesError(path, line, f"not valid TOML: {reason}") from None
    check = _Checker(path, text, known_settings)
    check.keys(data, TOP_KEYS, (), "the sources file")
    blog_settings = check.settings(data["settings"], ("settings",)) if "settings" in data else {}
    post_table = check.table(data.get("post", {}), ("post",))
    check.keys(post_table, set(POST_KEYS), ("post",), "[post]")
    post = check.post(post_table, ("post",), {})
    sources: list[Source] = []

    def own(table: dict, where: tuple[str, ...]) -> tuple[dict[str, str], bool]:
        settings = {**blog_settings, **check.post(table, where, post)}
        if "settings" in table:
            settings.update(check.settings(table["settings"], (*where, "settings")))
        enabled = check.boolean(table["enabled"], (*where, "enabled")) if "enabled" in table else True
        return settings, enabled

    if "jiemian" in data:
        table = check.table(data["jiemian"], ("jiemian",))
        check.keys(table, JIEMIAN_KEYS, ("jiemian",), "[jiemian]")
        args = {}
        if "lists" in table:
            lists = table["lists"] if isinstance(table["lists"], list) else [table["lists"]]
            cids = [str(c) for c in lists if not isinstance(c, bool) and isinstance(c, (int, str))]
            if not lists or len(cids) != len(lists) or not all(_CID.match(c) for c in cids):
                check.fail(
                    ("jiemian", "lists"), f"jiemian.lists must be list ids such as [65, 800], not {lists!r}"
                )
            args["lists"] = ",".join(cids)
        if "pages" in table:
            args["pages"] = str(check.whole(table["pages"], ("jiemian", "pages")))
        if "feeds" in table:
            feeds = table["feeds"] if isinstance(table["feeds"], list) else [table["feeds"]]
            feeds = [str(f) for f in feeds if not isinstance(f, bool) and isinstance(f, (int, str))]
            if not feeds or not all(f == "site" or _CID.match(f) for f in feeds):
                check.fail(
                    ("jiemian", "feeds"),
                    f'jiemian.feeds must be "site" and/or list ids, not {table["feeds"]!r}',
                )
            args["feed"] = ",".join(feeds)
        if "since" in table:
            args["since"] = check.day(table["since"], ("jiemian", "since"))
        settings, enabled = own(table, ("jiemian",))
        from archiver.sites import jiemian  # the parsers: only for a file with a [jiemian] table

        sources.append(Source("jiemian", "jiemian", args, settings, jiemian.SITE.hosts, enabled))

    outlets = check.table(data.get("outlets", {}), ("outlets",))
    for name, table in outlets.items():
        where = ("outlets", name)
        if not _NAME.match(name) or name == "jiemian":
            check.fail(
                where,
                f"outlet name {name!r}: letters, digits, '-' and '_' (up to 40), and not 'jiemian'",
            )
        table = check.table(table, where)
        check.keys(table, OUTLET_KEYS, where, f"[outlets.{name}]")
        if "follow" not in table and "follow_file" not in table:
            check.fail(where, f"[outlets.{name}] needs follow = [URL…] or follow_file = PATH")
        args = {}
        hosts: list[str] = []
        if "follow" in table:
            urls = [
                check.url(u, (*where, "follow")) for u in check.strings(table["follow"], (*where, "follow"))
            ]
            args["follow"] = ",".join(urls)
            hosts += [_host(u) for u in urls]
        if "follow_file" in table:
            listed = Path(check.string(table["follow_file"], (*where, "follow_file"))).expanduser()
            args["follow_file"] = str(listed if listed.is_absolute() else path.parent / listed)
        if "since" in table:
            args["since"] = check.day(table["since"], (*where, "since"))
        if "max_items" in table:
            args["max_items"] = str(check.whole(table["max_items"], (*where, "max_items")))
        for key in ("allow", "deny"):
            if key in table:
                args[key] = ",".join(check.patterns(table[key], (*where, key)))
        settings, enabled = own(table, where)
        sources.append(Source(name, "article", args, settings, tuple(dict.fromkeys(hosts)), enabled))
    return SourcesFile(path, sources)


class KnownSettings:
    """Every setting a ``settings`` table may name: the archiver's and Scrapy's own. Scrapy's
    defaults are imported only for a name that is not the archiver's: importing Scrapy costs
    half a second, which ``archiver status`` (reading the sources file) would pay every time."""

    def __contains__(self, name: object) -> bool:
        from archiver import settings

        if not isinstance(name, str) or not name.isupper():
            return False
        if name in vars(settings):
            return True
        from scrapy.settings import default_settings

        return name in vars(default_settings)


def known_setting_names() -> KnownSettings:
    return KnownSettings()


def load(path: Path | str) -> SourcesFile:
    """Read and check the sources file at ``path``."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SourcesError(path, None, f"cannot be read: {exc}") from None
    return parse(text, path, known_setting_names())


def sources_path(blog_root: Path) -> Path:
    return Path(blog_root) / FILENAME
