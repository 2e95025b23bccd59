"""The README's main command: ``archiver demo`` serves the bundled site and runs the real crawl."""

from __future__ import annotations

import subprocess
import sys

import frontmatter
import pytest

pytestmark = pytest.mark.e2e


def test_demo_leaves_posts_in_the_output_folder(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "archiver.cli", "demo", "--output", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    posts = sorted((tmp_path / "out" / "_posts").glob("*.md"))
    # lists 65 and 800 three pages deep plus the site feed: every article but the paywalled one
    assert len(posts) == 11
    assert "11 posts in" in proc.stdout
    assert "Serving the bundled jiemian-like site at http://127.0.0.1:" in proc.stdout
    for post in posts:
        assert frontmatter.load(post)["layout"] == "post"
    assert (tmp_path / "out" / "img" / "jiemian").is_dir()
