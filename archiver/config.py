"""Reading the archiver's settings, with the defaults of :mod:`archiver.settings`.

Every default is stated once, in archiver/settings.py. Scrapy's own ``Settings()`` (and
``get_crawler`` in a test) lacks the project settings; reading through these functions
falls back to the value of archiver/settings.py, so a component gets the same default
however it was built, and ``-s NAME=VALUE`` still wins. The three folders every run
uses are computed here, and only here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from archiver import settings as defaults


def default(name: str) -> Any:
    """The default of a setting (AttributeError for a name archiver/settings.py lacks)."""
    return getattr(defaults, name)


def get(settings, name: str) -> Any:
    return settings.get(name, default(name))


def getbool(settings, name: str) -> bool:
    return settings.getbool(name, default(name))


def getint(settings, name: str) -> int:
    return settings.getint(name, default(name))


def getfloat(settings, name: str) -> float:
    return settings.getfloat(name, default(name))


def blog_root(settings) -> Path:
    """The blog's root folder (ARCHIVER_OUTPUT; empty means the default)."""
    return Path(get_or_default(settings, "ARCHIVER_OUTPUT")).expanduser()


def state_dir(settings) -> Path:
    """The archiver's folder: ARCHIVER_STATE_DIR, else ``<blog root>/.archiver``."""
    configured = get(settings, "ARCHIVER_STATE_DIR")
    return Path(configured).expanduser() if configured else blog_root(settings) / ".archiver"


def warc_dir(settings) -> Path:
    """The WARC files' folder: ARCHIVER_WARC_DIR, else ``<state dir>/warc``."""
    configured = get(settings, "ARCHIVER_WARC_DIR")
    return Path(configured).expanduser() if configured else state_dir(settings) / "warc"


def get_or_default(settings, name: str) -> Any:
    """A setting where an empty value (``-s NAME=``) means its default."""
    return get(settings, name) or default(name)
