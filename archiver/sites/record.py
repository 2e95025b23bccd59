"""The record of a precise site: who it is, which hosts it reads, where its canonical URLs live."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Site:
    """What the rest of the archiver may know about a site, stated once in its module."""

    #: ASCII source key: the ``<source>`` of post file names and article keys (``jiemian``).
    key: str
    #: Display name: the post's tag (``界面新闻``).
    name: str
    #: Registrable domains whose pages the site module reads (``jiemian.com``).
    hosts: tuple[str, ...]
    #: Host of the site's canonical URLs (``www.jiemian.com``).
    canonical_host: str
    #: Setting that serves every host of the site from another origin (tests, the demo).
    origin_setting: str = ""

    def owns(self, host: str) -> bool:
        """Whether ``host`` (lower case) is one of the site's hosts or under one."""
        return any(host == h or host.endswith("." + h) for h in self.hosts)
