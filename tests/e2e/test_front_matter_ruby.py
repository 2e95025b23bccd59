"""The front matter read by Ruby's Psych, as Jekyll reads it (PyYAML's reading:
tests/unit/test_postwriter.py)."""

from __future__ import annotations

import json
import subprocess

from hypothesis import example, given, settings
from hypothesis import strategies as st

from archiver.render.post import PostSettings, front_matter
from tests.support.articles import article, hostile_text


@settings(max_examples=20, deadline=None)
@given(titles=st.lists(hostile_text, min_size=10, max_size=10))
@example(titles=["=---", "a ---", "---", "--- a", "...", "=", ": ", "- ---", "#---", "a\n---"])
def test_rubys_yaml_reader_as_jekyll_uses_agrees(titles):
    """Jekyll reads front matter with Ruby's Psych, not PyYAML: it must read the same strings."""
    docs = [front_matter(article(title=t, lead=t), PostSettings(author=t)) for t in titles]
    script = (
        "require 'yaml'; require 'json'; docs = JSON.parse(STDIN.read); "
        # between the opening and the closing "---" lines (a title may hold "---" itself)
        "puts JSON.generate(docs.map { |d| y = YAML.safe_load(d[4..-5]); "
        "[y['title'], y['subtitle'], y['author']] })"
    )
    out = subprocess.run(
        ["ruby", "-e", script], input=json.dumps(docs), capture_output=True, text=True, check=True, timeout=60
    ).stdout
    # an owner's name of only whitespace counts as none: the byline stands in
    assert json.loads(out) == [[t, t, t if t.strip() else "张三/李四"] for t in titles]
