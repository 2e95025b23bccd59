"""The one writer of the post format (README "Post format"): Article + settings -> file name and text.

Pure: no I/O. The pipelines decide where and whether to write.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from archiver import config
from archiver.items import Article
from archiver.render.markdown import body_to_markdown, has_content
from archiver.render.safety import double_quoted, escape_url, yaml_scalar

KEY_WIDTH = 14  # values start at column 15
_SAFE_PART = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_]{0,63}$")  # no "-": it separates the parts
FILENAME_STYLES = ("id", "id-pinyin")
SLUG_MAX = 60


class PostError(ValueError):
    """The article cannot become a post (e.g. an id that is not a safe file name part)."""


def _split_list(value) -> tuple[str, ...]:
    if isinstance(value, str):
        value = value.split(",")
    return tuple(str(v).strip() for v in value or () if str(v).strip())


@dataclass(frozen=True)
class PostSettings:
    """The blog owner's choices (defaults and meaning: archiver/settings.py, read from there)."""

    author: str = config.default("ARCHIVER_AUTHOR")
    tag_source: bool = config.default("ARCHIVER_TAG_SOURCE")
    header_img: str = config.default("ARCHIVER_HEADER_IMG")
    header_img_pool: tuple[str, ...] = _split_list(config.default("ARCHIVER_HEADER_IMG_POOL"))
    header_mask: str = str(config.default("ARCHIVER_HEADER_MASK"))
    catalog: bool = config.default("ARCHIVER_CATALOG")
    tag_category: bool = config.default("ARCHIVER_TAG_CATEGORY")
    extra_tags: tuple[str, ...] = _split_list(config.default("ARCHIVER_EXTRA_TAGS"))
    extra_front_matter: bool = config.default("ARCHIVER_EXTRA_FRONT_MATTER")
    timezone: str = config.default("ARCHIVER_TIMEZONE")
    filename_style: str = config.default("ARCHIVER_FILENAME_STYLE")

    def __post_init__(self):
        if self.filename_style not in FILENAME_STYLES:
            raise ValueError(
                f"ARCHIVER_FILENAME_STYLE must be one of {FILENAME_STYLES}, not {self.filename_style!r}"
            )
        ZoneInfo(self.timezone)  # an unknown zone fails here, at start, not per post

    @classmethod
    def from_settings(cls, settings) -> PostSettings:
        return cls(
            author=config.get(settings, "ARCHIVER_AUTHOR"),
            tag_source=config.getbool(settings, "ARCHIVER_TAG_SOURCE"),
            header_img=config.get_or_default(settings, "ARCHIVER_HEADER_IMG"),
            header_img_pool=_split_list(config.get(settings, "ARCHIVER_HEADER_IMG_POOL")),
            header_mask=str(config.get(settings, "ARCHIVER_HEADER_MASK")),
            catalog=config.getbool(settings, "ARCHIVER_CATALOG"),
            tag_category=config.getbool(settings, "ARCHIVER_TAG_CATEGORY"),
            extra_tags=_split_list(config.get(settings, "ARCHIVER_EXTRA_TAGS")),
            extra_front_matter=config.getbool(settings, "ARCHIVER_EXTRA_FRONT_MATTER"),
            timezone=config.get_or_default(settings, "ARCHIVER_TIMEZONE"),
            filename_style=config.get_or_default(settings, "ARCHIVER_FILENAME_STYLE"),
        )

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


# ---------------------------------------------------------------------------
# Fields
# ---------------------------------------------------------------------------


def format_views(views: int) -> str:
    """As the site shows it: ``23.2W`` from 10,000 on (W = 万), else the plain number."""
    if views >= 10_000:
        return f"{views / 10_000:.1f}W"
    return str(views)


def local_time(article: Article, settings: PostSettings) -> datetime:
    return article.published.astimezone(settings.tz)


def _safe_part(value: str, what: str) -> str:
    if not _SAFE_PART.match(value or ""):
        raise PostError(f"{what} {value!r} is not a safe file-name part")
    return value


def pinyin_slug(title: str) -> str:
    """An ASCII slug of the title: pinyin for Chinese, words for Latin text."""
    from pypinyin import lazy_pinyin

    words = re.findall(r"[a-z0-9]+", " ".join(lazy_pinyin(title)).lower())
    slug = ""
    for word in words:
        if len(slug) + len(word) + 1 > SLUG_MAX:
            break
        slug = f"{slug}-{word}" if slug else word
    return slug


def post_filename(article: Article, settings: PostSettings) -> str:
    """``YYYY-MM-DD-<source>-<id>.md`` (the date in the blog's time zone); with the
    ``id-pinyin`` style, ``-<slug>`` follows the id, which stays the key."""
    day = local_time(article, settings).strftime("%Y-%m-%d")
    name = f"{day}-{_safe_part(article.source, 'source')}-{_safe_part(article.id, 'id')}"
    if settings.filename_style == "id-pinyin":
        slug = pinyin_slug(article.title)
        name = f"{name}-{slug}" if slug else name
    return f"{name}.md"


def pick_from_pool(key: str, pool: tuple[str, ...]) -> str:
    """A picture of the pool chosen stably for ``key`` (same article, same picture)."""
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    return pool[int.from_bytes(digest[:8], "big") % len(pool)]


def header_img(article: Article, settings: PostSettings) -> str | None:
    """The ``header-img`` path for the policy; None drops the line."""
    policy = settings.header_img
    if policy == "cover":
        cover = article.local_images.get(article.cover.url) if article.cover else None
        if cover:
            return cover
        policy = "pool"
    if policy == "pool":
        return pick_from_pool(article.key, settings.header_img_pool) if settings.header_img_pool else None
    return policy


#: A byline's role label, alone or before the name: "界面新闻记者 |", "记者：", "实习编辑 丨".
_ROLE = r"(?:界面新闻|界面)?\s*(?:实习|特约|首席|见习)?(?:记者|编辑|作者|撰稿人?|撰文)"
_ROLE_PREFIX = re.compile(rf"^\s*{_ROLE}\s*(?:[|｜丨/:：]\s*|(?=\S))")
_ROLE_ONLY = re.compile(rf"^\s*(?:{_ROLE})?\s*[|｜丨/:：]*\s*$")
_SEPARATORS = " \t\u3000|｜丨/:："


def real_author(name: str) -> str:
    """The person's name in a byline entry, or "" when the entry holds no name (only
    whitespace, a role label such as "界面新闻记者 |", or separators)."""
    name = " ".join((name or "").split())
    if _ROLE_ONLY.match(name):
        return ""
    return _ROLE_PREFIX.sub("", name, count=1).strip(_SEPARATORS)


def real_authors(names) -> list[str]:
    """The names of a byline, in order, once each; entries holding no name are dropped."""
    return list(dict.fromkeys(n for n in map(real_author, names) if n))


def byline(article: Article) -> str:
    return "/".join(real_authors(article.authors))


def reprint_source(article: Article) -> str:
    """The outlet a reprint credits (``来源：新华社``), or "" for the site's own article."""
    credit = (article.source_name or "").strip()
    return credit if credit and credit not in (article.site_name, article.source) else ""


def post_author(article: Article, settings: PostSettings) -> str:
    """``author:``, never empty (the Hux theme prints any non-empty string and takes "" for
    a name): the blog owner's name, else the byline, else the credited source (新华社 for a
    reprint), else the site's name, else the source key."""
    for candidate in (
        settings.author,
        byline(article),
        article.source_name,
        article.site_name,
        article.source,
    ):
        if candidate and candidate.strip():
            return candidate
    raise PostError("the article has no author, source or site name")


def post_tags(article: Article, settings: PostSettings) -> list[str]:
    """The site's name; then a reprint's source (ARCHIVER_TAG_SOURCE); then the category
    (ARCHIVER_TAG_CATEGORY); then the blog's own (ARCHIVER_EXTRA_TAGS), each tag once."""
    tags = [article.site_name or article.source]
    credit = reprint_source(article)
    if settings.tag_source and credit and credit not in tags:
        tags.append(credit)
    if settings.tag_category and article.category and article.category not in tags:
        tags.append(article.category)
    tags += [tag for tag in dict.fromkeys(settings.extra_tags) if tag not in tags]
    return tags


# ---------------------------------------------------------------------------
# The post
# ---------------------------------------------------------------------------


def _line(key: str, value: str) -> str:
    return f"{(key + ':').ljust(KEY_WIDTH)}{value}\n"


def front_matter(article: Article, settings: PostSettings) -> str:
    stamp = local_time(article, settings).strftime("%Y/%m/%d %H:%M")
    out = ["---\n", _line("layout", "post"), _line("title", yaml_scalar(article.title))]
    if article.lead:
        out.append(_line("subtitle", yaml_scalar(article.lead)))
    out.append(_line("date", stamp))
    out.append(_line("author", double_quoted(post_author(article, settings))))
    picture = header_img(article, settings)
    if picture:
        out.append(_line("header-img", double_quoted(picture)))
    out.append(_line("header-mask", settings.header_mask))
    out.append(_line("catalog", "true" if settings.catalog else "false"))
    out.append("tags:\n")
    out.extend(f"    - {yaml_scalar(tag)}\n" for tag in post_tags(article, settings))
    if settings.extra_front_matter:
        out.append(_line("source_url", double_quoted(article.url)))
        out.append(_line("source_id", double_quoted(article.id)))
        out.append(_line("byline", double_quoted(byline(article))))
        out.append(_line("category", double_quoted(article.category)))
    out.append("---\n")
    return "".join(out)


def blockquote(markdown: str) -> str:
    """Every line quoted; a line holding only ``>`` separates paragraphs."""
    return "\n".join(f"> {line}" if line else ">" for line in markdown.split("\n"))


def render_body_ahead(article: Article) -> None:
    """Read the body now: its Markdown, for the images the article links as they are, and
    whether it has content (in a worker of a shared crawl: the one writer then has less to
    do per article). Pickled with the article, the body is stored once: the writer knows
    it is the same body by identity."""
    images = dict(article.local_images)
    body = article.body_html
    markdown = body_to_markdown(body, images)
    article.body_ahead = (body, images, markdown, has_content(body))  # one parse for both


def _ahead(article: Article):
    ahead = article.body_ahead
    if ahead is not None and ahead[0] is article.body_html:
        return ahead
    return None


def body_has_content(article: Article) -> bool:
    """:func:`archiver.render.markdown.has_content` of the body, as read ahead when it was."""
    ahead = _ahead(article)
    return ahead[3] if ahead is not None else has_content(article.body_html)


def body_markdown(article: Article) -> str:
    """The body's Markdown: the one rendered ahead when it was rendered from this body for
    the same images (the writer's images pipeline archived none of them), else rendered
    now. The same text either way: it depends on the body and the images only."""
    ahead = _ahead(article)
    if ahead is not None and ahead[1] == article.local_images:
        return ahead[2]
    return body_to_markdown(article.body_html, article.local_images)


def render_post(article: Article, settings: PostSettings) -> str:
    """The whole post text (front matter, date and views line, quoted body, source link)."""
    stamp = local_time(article, settings).strftime("%Y/%m/%d %H:%M")
    first_line = f"**{stamp}**"
    if article.views is not None:
        first_line += f"  **浏览 {format_views(article.views)}**"
    body = body_markdown(article)
    link = f'[原文地址]({escape_url(article.url)}){{:target="_blank"}}'
    return f"{front_matter(article, settings)}\n{first_line}\n\n{blockquote(body)}\n\n\n{link}\n\n\n"
