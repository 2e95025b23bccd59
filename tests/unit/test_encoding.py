"""Chinese pages in GBK, GB2312 (holding GBK-only characters), GB18030 (with 4-byte
characters) and Big5, with the charset declared in the HTTP header only, in a <meta> only,
in both disagreeing, or nowhere: decoded exactly by decode_html (the crawl of the same pages:
tests/e2e/test_encoding_crawl.py)."""

from __future__ import annotations

import pytest

from archiver.extract.encoding import decode_html
from tests.support.encodings import MODES, PAGES, serve
from tests.support.fixtures import page_bytes


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
