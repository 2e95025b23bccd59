"""The Chinese-encoding pages (tests/support/encodings.py), each served a different way,
read exactly by a real crawl (decode_html alone: tests/unit/test_encoding.py)."""

from __future__ import annotations

import frontmatter

from archiver.demo.server import Canned, FixtureServer
from tests.support.crawl import run_crawl
from tests.support.encodings import PAGES, serve
from tests.support.fixtures import served_path, truth


def test_a_crawl_reads_every_encoding_however_it_is_served(tmp_path):
    # one page per encoding, each served a different way
    plan = [
        ("enc-gbk", "header"),
        ("enc-gb2312", "meta"),
        ("enc-gb18030", "header_utf8_meta_real"),
        ("enc-big5", "none"),
    ]
    canned, urls = {}, []
    for n, (name, mode) in enumerate(plan):
        body, header, _ = serve(name, mode)
        url = truth(name)["url"].replace("40186543", f"4018654{3 + n}")  # gbk and gb2312 share a page
        canned[served_path(url)] = Canned(200, body, {"Content-Type": header} if header else {})
        urls.append(url)
    with FixtureServer(tmp_path, canned=canned) as server:
        result = run_crawl(
            tmp_path / "blog",
            server.url,
            "url=" + ",".join(urls),
            spider="article",
            settings={"ARTICLE_ORIGIN": server.url, "ARCHIVER_IMAGES": "False"},
        )
    assert result.returncode == 0, result.log[-3000:]
    assert len(result.posts) == 4, result.log[-3000:]
    by_title = {frontmatter.load(p)["title"]: p.read_text(encoding="utf-8") for p in result.posts}
    for name, _ in plan:
        text = by_title[truth(name)["title"]]
        assert "\ufffd" not in text
        for char in PAGES[name][1]:
            if char in truth(name)["text"]:
                assert char in text, (name, char)
