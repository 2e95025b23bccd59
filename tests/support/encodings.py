"""The Chinese-encoding pages of the generic set (GBK, GB2312, GB18030, Big5) and the ways a
server may declare their charset: header only, <meta> only, both disagreeing, or nowhere."""

from __future__ import annotations

import re

from tests.support.fixtures import page_bytes, truth

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
