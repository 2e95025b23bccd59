"""``archiver status`` starts without importing Scrapy, Twisted or the parsers: its cost
is Python's start-up and a few SQLite queries (issue 16: ≤ 0.6 s at 100,000 posts)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import sys
from archiver.cli import main
code = main(["status", "-s", "ARCHIVER_OUTPUT=" + sys.argv[1]])
heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("scrapy", "twisted", "lxml", "markdownify")
               or m.startswith("archiver.sites") or m.startswith("archiver.extract"))
print("HEAVY", heavy)
sys.exit(code)
"""


def test_status_imports_neither_scrapy_nor_the_parsers(tmp_path):
    blog = tmp_path / "blog"
    (blog / "_posts").mkdir(parents=True)
    (blog / "_posts" / "2026-11-26-jiemian-14840233.md").write_text(
        "---\nlayout: post\ntitle: t\n---\n\n[原文地址](https://www.jiemian.com/article/14840233.html)\n",
        encoding="utf-8",
    )
    (blog / "_posts" / "2026-11-20-notes.md").write_text(
        "---\nlayout: post\ntitle: mine\n---\n\n[原文地址](https://www.jiemian.com/article/1108857.html)\n",
        encoding="utf-8",
    )
    for run in ("first", "second"):
        done = subprocess.run(
            [sys.executable, "-c", PROBE, str(blog)], cwd=ROOT, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr
        assert f"Blog {blog}: 2 archived articles" in done.stdout
        heavy = next(line for line in done.stdout.splitlines() if line.startswith("HEAVY"))
        if run == "first":  # the posts new to the database are read: a link's key needs the sites
            assert "scrapy" not in heavy and "twisted" not in heavy, heavy
        else:  # nothing new: nothing but the database
            assert heavy == "HEAVY []"
