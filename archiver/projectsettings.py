"""The project settings and ``-s`` overrides, read without importing Scrapy.

``archiver status`` and the ``archiver`` wrapper around ``scrapy crawl`` only need a
few folders (the blog root, the state and WARC folders) before anything is crawled.
Importing Scrapy to read them costs about half a second of start-up (Twisted, TLS,
``scrapy.http``…), which is most of what ``archiver status`` takes. So they are read the
way Scrapy's ``get_project_settings`` reads them: the module named by
``SCRAPY_SETTINGS_MODULE``, else by the ``[settings]`` section of the nearest
``scrapy.cfg``, else ``archiver.settings``; then the command line's ``-s NAME=VALUE``
(strings, as Scrapy keeps them). The getters convert the way Scrapy's do, so
:mod:`archiver.config` reads either object alike. The crawl itself still runs under
Scrapy's own settings.
"""

from __future__ import annotations

import configparser
import importlib
import os
from pathlib import Path
from typing import Any

DEFAULT_MODULE = "archiver.settings"


def settings_module_name() -> str:
    """The project's settings module, found as ``scrapy.utils.conf.init_env`` finds it."""
    named = os.environ.get("SCRAPY_SETTINGS_MODULE")
    if named:
        return named
    folder = Path.cwd()
    for candidate in (folder, *folder.parents):
        cfg = candidate / "scrapy.cfg"
        if cfg.exists():
            parser = configparser.ConfigParser()
            parser.read(cfg, encoding="utf-8")
            project = os.environ.get("SCRAPY_PROJECT", "default")
            if parser.has_option("settings", project):
                return parser.get("settings", project)
            break
    return DEFAULT_MODULE


class ProjectSettings:
    """Scrapy-like read-only settings: the project module's upper-case names, then the overrides."""

    def __init__(self, overrides: dict[str, str] | None = None, module: str | None = None):
        loaded = importlib.import_module(module or settings_module_name())
        self._values: dict[str, Any] = {k: getattr(loaded, k) for k in dir(loaded) if k.isupper()}
        self._values.update(overrides or {})

    def __contains__(self, name: str) -> bool:
        return name in self._values

    def __getitem__(self, name: str) -> Any:
        return self._values.get(name)

    def get(self, name: str, default: Any = None) -> Any:
        return self._values.get(name, default)

    def getbool(self, name: str, default: bool = False) -> bool:
        got = self.get(name, default)
        try:
            return bool(int(got))
        except ValueError:
            if got in {"True", "true"}:
                return True
            if got in {"False", "false"}:
                return False
            raise ValueError(
                f"{name}: supported values for boolean settings are 0/1, True/False, "
                f"'0'/'1', 'True'/'False' and 'true'/'false', not {got!r}"
            ) from None

    def getint(self, name: str, default: int = 0) -> int:
        return int(self.get(name, default))

    def getfloat(self, name: str, default: float = 0.0) -> float:
        return float(self.get(name, default))

    def getlist(self, name: str, default: list | None = None) -> list:
        value = self.get(name, default or [])
        if not value:
            return []
        if isinstance(value, str):
            return value.split(",")
        return list(value)
