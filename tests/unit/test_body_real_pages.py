"""The body on real publishers' pages (tests/fixtures/realpages/fundus-dev): the failure
classes of issue 14 that a rule of extract/body.py fixes, each read as a user would read
the post."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime
from pathlib import Path

import lxml.html

from archiver.extract import generic

REAL = Path(__file__).resolve().parent.parent / "fixtures" / "realpages" / "fundus-dev"
FETCHED = datetime(2000, 1, 1, tzinfo=UTC)


def _post_text(name: str) -> tuple[str, dict]:
    truth = json.loads((REAL / f"{name}.json").read_text(encoding="utf-8"))
    html = gzip.decompress((REAL / f"{name}.html.gz").read_bytes()).decode("utf-8")
    article = generic.parse(html, truth["url"], fetched=FETCHED)
    text = lxml.html.fragment_fromstring(article.body_html, create_parent="div").text_content()
    return " ".join(text.split()), truth


def _has(text: str, paragraph: str) -> bool:
    return " ".join(paragraph.split())[:80] in text


def test_an_article_split_into_like_sections_is_read_whole():
    """Postmedia: sibling sections of one class around a sign-in box; all are the story."""
    text, truth = _post_text("ca_TheProvince_2026_06_06")
    assert _has(text, truth["body_paragraphs"][0])
    assert _has(text, truth["body_paragraphs"][-1])


def test_paragraphs_with_an_in_text_link_are_no_teaser_cards():
    text, truth = _post_text("ca_FinancialPost_2026_06_06")
    assert all(_has(text, p) for p in truth["body_paragraphs"])


def test_screen_reader_lines_do_not_leak():
    text, _ = _post_text("ca_FinancialPost_2026_06_06")
    assert "Article content" not in text
    assert "Advertisement 1" not in text


def test_a_popup_is_not_the_article():
    text, truth = _post_text("kr_HankookIlbo_2025_05_15")
    assert "회원가입 완료" not in text
    assert _has(text, truth["body_paragraphs"][0])


def test_the_declared_article_text_stands_in_for_a_paywalled_body():
    """ABC prints a few lines and declares the whole story in JSON-LD articleBody."""
    text, truth = _post_text("es_ABC_2026_04_25")
    assert _has(text, truth["body_paragraphs"][1])
    assert _has(text, truth["body_paragraphs"][-1])


def test_the_declared_article_text_drops_captions_and_teasers():
    """WAZ declares its story in JSON-LD; a picture's caption is not part of it."""
    text, truth = _post_text("de_WAZ_2024_03_08")
    assert "Erste Visualisierungen zeigen, wie die Seilbahn" not in text
    assert all(_has(text, p) for p in truth["body_paragraphs"])


def test_a_carousel_keeps_its_pictures_not_its_captions():
    """AP's photo carousel: twelve captions and "2 of 12" counters were read as the story."""
    text, truth = _post_text("us_APNews_2024_09_03")
    assert "2 of 12" not in text
    assert all(_has(text, p) for p in truth["body_paragraphs"])


def test_picture_credits_and_hashed_caption_classes_do_not_leak():
    """A credit line alone ("Image: …") and a caption whose class carries a CSS-modules
    hash (``article_image-container-caption__lZ5kc``) are the picture's, not the story's."""
    text, truth = _post_text("za_DurbanLocal_2025_11_09")
    assert "Image: Fouzia Van Der Fort" not in text
    assert _has(text, truth["body_paragraphs"][0])
    text, truth = _post_text("de_BerlinerZeitung_2023_04_28")
    assert "Eingefrorenes Sperma in einer Klinik." not in text
    assert all(_has(text, p) for p in truth["body_paragraphs"])


def test_react_streamed_segments_are_read():
    """Anadolu's Next.js page streams its content in ``<div hidden id="S:…">`` segments
    that a script moves into place: shown to the reader, so not a JavaScript shell."""
    text, truth = _post_text("tr_AnadoluAjansi_2026_04_20")
    assert _has(text, truth["body_paragraphs"][1])
    assert _has(text, truth["body_paragraphs"][-1])


def test_interface_lines_printed_alone_do_not_leak():
    """ "Fehler gefunden? Jetzt melden.", "Mehr Infos": the page's buttons, not the story."""
    text, truth = _post_text("ch_TagesAnzeiger_2026_05_18")
    assert "Fehler gefunden?" not in text
    assert _has(text, truth["body_paragraphs"][-1])
