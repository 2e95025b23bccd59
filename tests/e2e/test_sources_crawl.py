"""End to end: one ``archiver crawl`` runs every source of the blog's ``_archiver.toml``;
``archiver schedule`` prints the one cron line of it; a bad file stops before any fetch."""

from __future__ import annotations

import shlex
import subprocess
import sys
import textwrap

import pytest
from conftest import ROOT

from archiver.demo.server import SITE, FixtureServer

pytestmark = pytest.mark.e2e


def archiver(*args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "archiver.cli", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


def test_a_bad_sources_file_is_refused_by_its_line_before_anything_is_fetched(tmp_path):
    blog = tmp_path / "blog"
    blog.mkdir()
    path = blog / "_archiver.toml"
    with FixtureServer(SITE) as server:
        for text, line, words in [
            (
                "[jiemian]\nlists = [65]\n\n[outlets.a]\nfollow = ['https://a.example/rss.xml']\nmaxitems = 3\n",
                6,
                "unknown key 'maxitems' in [outlets.a]",
            ),
            ("[jiemian]\nlists = [65\n", 2, "not valid TOML: Unclosed array"),
        ]:
            path.write_text(text, encoding="utf-8")
            proc = archiver("crawl", "-s", f"ARCHIVER_OUTPUT={blog}", "-s", f"JIEMIAN_ORIGIN={server.url}")
            assert proc.returncode == 2, proc.stdout + proc.stderr
            assert f"{path}:{line}: {words}" in proc.stderr
            proc = archiver("schedule", "-s", f"ARCHIVER_OUTPUT={blog}")
            assert proc.returncode == 2 and f"{path}:{line}: " in proc.stderr
            assert "* * * *" not in proc.stdout  # no cron line for a file that fails every run
        assert server.hits == []
    assert not (blog / "_posts").exists() and not (blog / ".archiver").exists()


def test_archiver_crawl_with_neither_spider_nor_sources_file_says_what_to_do(tmp_path):
    proc = archiver("crawl", "-s", f"ARCHIVER_OUTPUT={tmp_path}")
    assert proc.returncode == 2
    assert f"{tmp_path / '_archiver.toml'}: no sources file" in proc.stderr
    assert "archiver crawl jiemian" in proc.stderr


def test_one_cron_line_runs_the_whole_sources_file(tmp_path):
    blog = tmp_path / "my blog"
    blog.mkdir()
    (blog / "_archiver.toml").write_text(
        textwrap.dedent(
            """\
            [jiemian]
            lists = [65]
            [outlets.thepaper]
            follow = ["https://www.thepaper.cn/rss.xml"]
            [outlets.caixin]
            follow = ["https://www.caixin.com/sitemap.xml"]
            enabled = false
            """
        ),
        encoding="utf-8",
    )
    proc = archiver("schedule", "--every", "20", "--systemd", "-s", f"ARCHIVER_OUTPUT={blog}")
    assert proc.returncode == 0, proc.stderr
    lines = [line for line in proc.stdout.splitlines() if line.startswith("*/20 * * * * ")]
    assert len(lines) == 1, proc.stdout
    assert f"every source of {blog / '_archiver.toml'}: jiemian, thepaper, caixin (disabled)" in proc.stdout
    words = shlex.split(lines[0][len("*/20 * * * * ") :])
    assert words[3:7] == [sys.executable, "-m", "archiver.cli", "crawl"]
    assert words[7:9] == ["-s", f"ARCHIVER_OUTPUT={blog}"]  # no spider: the whole file
    assert words[words.index("--json") + 1] == str(blog / ".archiver" / "last-run.json")
    assert "OnCalendar=*:0/20" in proc.stdout
    # without a sources file the line runs jiemian alone, and says so
    (blog / "_archiver.toml").unlink()
    proc = archiver("schedule", "-s", f"ARCHIVER_OUTPUT={blog}")
    assert "this line runs the jiemian spider alone" in proc.stdout
    cron = next(line for line in proc.stdout.splitlines() if line.startswith("*/30 "))
    assert shlex.split(cron)[11:13] == ["crawl", "jiemian"]
