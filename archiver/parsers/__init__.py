"""Parsers: pure functions from an article page (HTML + URL) to an :class:`~archiver.items.Article`.

One module per site. Each site module exposes ``SOURCE`` (the ASCII key used in file
names), ``SITE_NAME`` (display name), ``key_from_url(url)`` and ``parse(html, url)``.
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


def key_for_url(url: str) -> str | None:
    """``source-id`` of an article URL of a registered site, else None."""
    for module in site_modules():
        key = module.key_from_url(url)
        if key:
            return key
    return None
