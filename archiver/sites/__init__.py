"""The precise sites, and the registry that routes an article URL to its parser.

One module per site (``archiver/sites/<site>.py``: see docs/adding-a-site.md). Each
exposes ``SITE`` (its :class:`Site` record), ``key_from_url(url)`` (the ``source-id``
of one of its article URLs, else None), ``canonical_url(url)`` and ``parse(html, url)``.
Every module of this package with a ``SITE`` is registered when the package is first
imported; :func:`register` adds a site from elsewhere (a test's). Any other page goes
to the generic extractor (:mod:`archiver.extract.generic`).
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

from archiver.extract import outlets
from archiver.sites.record import Site

__all__ = ["Site", "article_key", "parser_for", "register", "site_modules", "unregister"]

_SITES: list[ModuleType] = []


def register(module: ModuleType) -> ModuleType:
    """Route the article URLs of ``module`` (a site module) to it, and name its hosts
    in the outlet table. Registering a module twice changes nothing."""
    site = getattr(module, "SITE", None)
    if not isinstance(site, Site) or not callable(getattr(module, "parse", None)):
        raise TypeError(f"{module.__name__} is not a site module: it needs SITE (a Site) and parse()")
    if module not in _SITES:
        _SITES.append(module)
        for host in site.hosts:
            outlets.add_outlet(host, site.key, site.name)
    return module


def unregister(module: ModuleType) -> None:
    """Undo :func:`register` (tests)."""
    if module in _SITES:
        _SITES.remove(module)
        for host in module.SITE.hosts:
            outlets.remove_outlet(host)


def site_modules() -> list[ModuleType]:
    """The registered site modules, in registration order."""
    return list(_SITES)


def parser_for(url: str) -> ModuleType | None:
    """The precise site parser whose ``key_from_url`` accepts ``url``, else the generic
    parser for any other http(s) URL that can be an article; None otherwise."""
    for module in _SITES:
        if module.key_from_url(url):
            return module
    from archiver.extract import generic

    return generic if generic.key_from_url(url) else None


def article_key(url: str) -> str | None:
    """``source-id`` of an article URL: by its site parser, else by the generic one."""
    module = parser_for(url)
    return module.key_from_url(url) if module is not None else None


def _discover() -> None:
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if info.name != "record":
            module = importlib.import_module(f"{__name__}.{info.name}")
            if isinstance(getattr(module, "SITE", None), Site):
                register(module)


_discover()
