"""A redesigned copy of the bundled jiemian site, made at test time (issue 13, item 5).

The article pages' markup is renamed as a redesign would: new class (and id) names for
the header, the byline box, the body and the tag box, and no epoch attribute on the date.
Lists, the pager, feeds and images are copied unchanged.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from archiver.demo.server import SITE

#: Old class or id name -> the redesign's. Whole names only, in class and id attributes.
RENAMES = {
    "article-header": "story-head",
    "article-info": "story-byline",
    "article-info__left": "story-byline__main",
    "article-info__right": "story-byline__tools",
    "article-content": "story-body",
    "meta-container": "story-topics",
    "main-mate": "story-topics",
}
#: Attributes the redesign drops (the epoch seconds of the publication time).
DROPPED_ATTRIBUTES = ("data-article-publish-time",)

_NAMES = re.compile(r'\b(class|id)="([^"]*)"')
_DROPPED = re.compile(r'\s(?:%s)="[^"]*"' % "|".join(map(re.escape, DROPPED_ATTRIBUTES)))


def redesign_page(html: str) -> str:
    def rename(match: re.Match) -> str:
        names = " ".join(RENAMES.get(name, name) for name in match.group(2).split())
        return f'{match.group(1)}="{names}"'

    return _DROPPED.sub("", _NAMES.sub(rename, html))


def redesigned_site(into: Path) -> Path:
    """The bundled site copied to ``into/site`` with every article and video page redesigned."""
    site = into / "site"
    shutil.copytree(SITE, site)
    for page in [*site.glob("article/*.html"), *site.glob("video/*.html")]:
        page.write_text(redesign_page(page.read_text(encoding="utf-8")), encoding="utf-8")
    return site
