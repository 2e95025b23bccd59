"""Decode an HTML page's bytes to text: GBK, GB2312, GB18030, Big5 and UTF-8 pages read
correctly whether the charset is declared in the HTTP header, in a ``<meta>`` tag, in
both disagreeing, or nowhere.

Order of trust:

1. a byte-order mark;
2. UTF-8, when the bytes are valid UTF-8 and not plain ASCII (its structure makes a
   false match practically impossible on real text, whatever the labels say);
3. the declarations (header, then ``<meta>``) under which the bytes decode without
   error; when several do (a server default such as ISO-8859-1 beside the page's own
   ``gbk``), the one whose text reads as language (charset-normalizer's measure);
4. detection by charset-normalizer (a Scrapy dependency) when no declaration fits.

Labels are read the way browsers do: ``gb2312`` and ``gbk`` as GB18030 (pages
labelled gb2312 hold GBK characters), ``big5`` as Big5-HKSCS, ``iso-8859-1`` as
windows-1252. The result never fails: undecodable bytes become U+FFFD.
"""

from __future__ import annotations

import codecs

from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, read_bom, resolve_encoding

#: Encodings tried by detection when no declaration fits the bytes.
DETECT_AMONG = ["utf_8", "gb18030", "big5", "shift_jis", "euc_kr", "cp1252"]


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    resolved = resolve_encoding(label)
    if not resolved:
        return None
    try:
        return codecs.lookup(resolved).name
    except LookupError:
        return None


def _decodes(body: bytes, codec: str) -> bool:
    try:
        body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def _best_reading(body: bytes, candidates: list[str]) -> str | None:
    """The candidate under which the text reads most like language (least mess)."""
    from charset_normalizer import from_bytes

    results = from_bytes(body, cp_isolation=candidates, preemptive_behaviour=False)
    best = results.best()
    return _codec(best.encoding) if best is not None else None


def declared_encodings(body: bytes, content_type_header: str | None) -> list[str]:
    """The codecs the HTTP header and the page declare, header first, without repeats."""
    found = []
    for label in (http_content_type_encoding(content_type_header or ""), html_body_declared_encoding(body)):
        codec = _codec(label)
        if codec and codec not in found:
            found.append(codec)
    return found


def detect_encoding(body: bytes, content_type_header: str | None = None) -> str:
    """The codec to read ``body`` with (see the module docstring for the order)."""
    bom, _ = read_bom(body)
    if bom:
        return _codec(bom) or "utf-8"
    if body.isascii():
        return "utf-8"
    if _decodes(body, "utf-8"):
        return "utf-8"
    declared = declared_encodings(body, content_type_header)
    clean = [codec for codec in declared if _decodes(body, codec)]
    if len(clean) == 1:
        return clean[0]
    if len(clean) > 1:
        return _best_reading(body, clean) or clean[0]
    return _best_reading(body, DETECT_AMONG) or (declared[0] if declared else "utf-8")


def decode_html(body: bytes, content_type_header: str | None) -> str:
    """The page as text (BOM removed; undecodable bytes as U+FFFD)."""
    codec = detect_encoding(body, content_type_header)
    bom, mark = read_bom(body)
    if bom and mark:
        body = body[len(mark) :]
    return body.decode(codec, errors="replace")
