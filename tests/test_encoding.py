"""Chinese pages in GBK, GB2312 (holding GBK-only characters), GB18030 (with 4-byte
characters) and Big5, with the charset declared in the HTTP header only, in a <meta> only,
in both disagreeing, or nowhere: decoded exactly, by decode_html and through a real crawl."""

from __future__ import annotations

import re

import frontmatter
import pytest
from conftest import run_crawl
from generic_fixtures import page_bytes, served_path, truth

from archiver.demo.server import Canned, FixtureServer
from archiver.extract.encoding import decode_html

#: page -> (label its <meta> declares, characters only its real encoding has)
PAGES = {
    "enc-gbk": ("GBK", "喆堃昇赟犇"),
    "enc-gb2312": ("GB2312", "喆堃昇玥犇"),  # labelled gb2312, written in GBK (as real portals do)
    "enc-gb18030": ("GB18030", "𠮷㐀㙟"),  # 4-byte sequences
    "enc-big5": ("Big5", "颱臺灣"),
}
_META = re.compile(rb"<meta[^>]*charset=[^>]*>", re.I)


def serve(name: str, mode: str) -> tuple[bytes, str | None, str]:
    """(body, Content-Type header, the text a reader must get) for a serving mode."""
    body, label = page_bytes(name), PAGES[name][0]
    codec = truth(name)["encoding"]
    stripped = _META.sub(b"", body, count=1)
    assert stripped != body
    other = "big5" if label != "Big5" else "gbk"
    return {
        "meta": (body, "text/html", body.decode(codec)),
        "header": (stripped, f"text/html; charset={label.lower()}", stripped.decode(codec)),
        "header_utf8_meta_real": (body, "text/html; charset=utf-8", body.decode(codec)),
        "header_latin1_meta_real": (body, "text/html; charset=ISO-8859-1", body.decode(codec)),
        "header_other_cjk_meta_real": (body, f"text/html; charset={other}", body.decode(codec)),
        "none": (stripped, "text/html", stripped.decode(codec)),
        "no_header_at_all": (stripped, None, stripped.decode(codec)),
    }[mode]


MODES = [
    "meta",
    "header",
    "header_utf8_meta_real",
    "header_latin1_meta_real",
    "header_other_cjk_meta_real",
    "none",
    "no_header_at_all",
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", sorted(PAGES))
def test_decoded_exactly(name, mode):
    body, header, expected = serve(name, mode)
    text = decode_html(body, header)
    assert text == expected
    assert "\ufffd" not in text
    for char in PAGES[name][1]:
        assert char in text


def test_header_right_and_meta_wrong():
    body = page_bytes("enc-gbk").replace(b"charset=GBK", b"charset=utf-8")
    assert "堃" in decode_html(body, "text/html; charset=GBK")


def test_utf8_pages_and_boms():
    text = "<html><head><meta charset=gbk></head><body>界面新闻 𠮷</body></html>"
    assert decode_html(text.encode("utf-8"), "text/html; charset=gbk") == text  # valid UTF-8 wins
    assert decode_html(b"\xef\xbb\xbf" + text.encode("utf-8"), None) == text
    assert decode_html(b"<html>plain ascii</html>", None) == "<html>plain ascii</html>"


def test_undecodable_bytes_never_raise():
    assert isinstance(decode_html(b"\xff\xfe\xfa\x80\x81 broken", "text/html; charset=bogus"), str)


@pytest.mark.e2e
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
