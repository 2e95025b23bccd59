"""Parsers: pure functions from an article page (HTML + URL) to an :class:`~archiver.items.Article`.

One module per site. Each site module exposes ``SOURCE`` (the ASCII key used in file
names), ``SITE_NAME`` (display name), ``HOSTS`` (the domains it reads),
``key_from_url(url)``, ``canonical_url(url)`` and ``parse(html, url)``. Adding a site is
adding its module here (and its fixtures): :func:`site_modules` finds every module of
this package with ``HOSTS``; any other page goes to :mod:`.generic`.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
from types import ModuleType


@functools.cache
def site_modules() -> list[ModuleType]:
    """The site parsers: the modules of this package that name the hosts they read."""
    found = []
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        if getattr(module, "HOSTS", ()) and callable(getattr(module, "parse", None)):
            found.append(module)
    return found


def parser_for(url: str) -> ModuleType | None:
    """The precise site parser whose ``key_from_url`` accepts ``url``, else the generic
    parser for any other http(s) URL that can be an article; None otherwise."""
    for module in site_modules():
        if module.key_from_url(url):
            return module
    from archiver.extract import generic

    return generic if generic.key_from_url(url) else None


def key_for_url(url: str) -> str | None:
    """``source-id`` of an article URL: by its site parser, else by the generic one."""
    module = parser_for(url)
    return module.key_from_url(url) if module is not None else None
