"""Parsers: pure functions from an article page (HTML + URL) to an :class:`~archiver.items.Article`.

One module per site. Each site module exposes ``SOURCE`` (the ASCII key used in file
names), ``SITE_NAME`` (display name), ``HOSTS``, ``key_from_url(url)``,
``canonical_url(url)`` and ``parse(html, url)``. Adding a site is adding its module to
:func:`site_modules` (and its fixtures); any other page goes to :mod:`.generic`.
"""
from __future__ import annotations

from types import ModuleType


class ParseError(ValueError):
    """The page is not an article this parser can read; names the missing field."""

    def __init__(self, field: str, detail: str = ""):
        self.field = field
        self.detail = detail
        message = f"missing {field}"
        if detail:
            message += f" ({detail})"
        super().__init__(message)


def site_modules() -> list[ModuleType]:
    """The registered site parsers (imported lazily so that parsers stay cheap to import)."""
    from archiver.parsers import jiemian

    return [jiemian]


def parser_for(url: str) -> ModuleType | None:
    """The precise site parser whose ``key_from_url`` accepts ``url``, else the generic
    parser for any other http(s) URL that can be an article; None otherwise."""
    for module in site_modules():
        if module.key_from_url(url):
            return module
    from archiver.parsers import generic

    return generic if generic.key_from_url(url) else None


def key_for_url(url: str) -> str | None:
    """``source-id`` of an article URL: by its site parser, else by the generic one."""
    module = parser_for(url)
    return module.key_from_url(url) if module is not None else None
