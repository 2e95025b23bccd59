"""The saved pages the tests read, and how to load them.

* The bundled jiemian-like site (``archiver/demo/site``, also served by the demo): one
  ``article/<id>.html`` per article with its ground truth beside it (``<id>.expected.json``),
  list pages (``lists/``), the AJAX pager (``ajax/``) and feeds (``rss/``, ``lists/*.rss``).
* The generic-parser set: whole pages in the styles of many outlets, with the ground truth
  beside each (``tests/fixtures/generic/<name>.html`` + ``<name>.json``; made by
  ``python tools/fixturegen``).
* The hand-made reference post (``tests/fixtures/reference``).
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from archiver.demo.server import SITE

TESTS = Path(__file__).resolve().parent.parent
ROOT = TESTS.parent
FIXTURES = TESTS / "fixtures"
GENERIC = FIXTURES / "generic"
REFERENCE_POST = FIXTURES / "reference" / "seed-post-jiemian-1108857.md"

__all__ = ["FIXTURES", "GENERIC", "REFERENCE_POST", "ROOT", "SITE", "TESTS"]


# -- the bundled site -------------------------------------------------------------------------


def expected_files() -> list[Path]:
    """Every ``*.expected.json`` of the bundled site (one per article fixture page)."""
    return sorted(SITE.glob("*/*.expected.json"))


def page_of(expected: Path) -> Path:
    return expected.with_name(expected.name.replace(".expected.json", ".html"))


# -- the generic-parser set -------------------------------------------------------------------


@cache
def truth(name: str) -> dict:
    return json.loads((GENERIC / f"{name}.json").read_text(encoding="utf-8"))


def page_bytes(name: str) -> bytes:
    return (GENERIC / f"{name}.html").read_bytes()


def page_text(name: str) -> str:
    """The page decoded with the encoding it was written in (not with the code under test)."""
    return page_bytes(name).decode(truth(name)["encoding"])


def names(kind: str = "article") -> list[str]:
    found = sorted(p.stem for p in GENERIC.glob("*.json"))
    if kind == "article":
        return [n for n in found if "not_article" not in truth(n)]
    return [n for n in found if "not_article" in truth(n)]


def served_path(url: str) -> str:
    """Where ``scrapy crawl article -s ARTICLE_ORIGIN=…`` asks the fixture server for ``url``."""
    parts = urlsplit(url)
    return f"/{parts.hostname}{parts.path}" + (f"?{parts.query}" if parts.query else "")


def image_urls(name: str) -> list[str]:
    """Every absolute image URL written in the page (body images, covers)."""
    text = page_text(name)
    return sorted(set(re.findall(r'(?:src|data-src|content)="(https?://[^"]+\.(?:jpe?g|png|gif))"', text)))
