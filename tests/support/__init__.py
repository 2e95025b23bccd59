"""Helpers shared by both test tiers (plain modules, no pytest fixtures in here).

* ``tests.support.fixtures``: where the saved pages are and how to load them: the bundled
  jiemian-like site (``archiver/demo/site``), the generic-parser set (``tests/fixtures/generic``)
  and the hand-made reference post; Scrapy responses built from those files.
* ``tests.support.crawl``: ``scrapy crawl`` / ``archiver crawl`` in a subprocess, as a user
  runs them (end-to-end tier only).
* ``tests.support.waiting``: ``wait_for``, polling for what a subprocess does.
* ``tests.support.jekyll``: build a blog with the real Jekyll and read its pages.

Fixtures (``tmp_path`` style) and the hypothesis profiles stay in ``tests/conftest.py``.
"""
