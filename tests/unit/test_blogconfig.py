"""The blog's _config.yml read by the archiver: the reasons it warns about a time zone
(the warning in a real crawl: tests/e2e/test_blog_integration.py)."""

from __future__ import annotations

from archiver.blogconfig import timezone_problem


def test_timezone_problem_reasons():
    assert timezone_problem("timezone: Asia/Shanghai", "Asia/Shanghai") is None
    assert "timezone: Europe/Berlin" in timezone_problem("timezone: Europe/Berlin", "Asia/Shanghai")
    assert "sets no timezone" in timezone_problem("title: x", "Asia/Shanghai")
    assert "cannot be read" in timezone_problem("title: [", "Asia/Shanghai")
