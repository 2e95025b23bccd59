"""Precision on real publishers' pages (tests/fixtures/realpages/fundus-dev): text the
page prints inside the article that is not the article, one failure class per test,
read as a user reads the post."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime
from pathlib import Path

import lxml.html

from archiver.extract import generic
from archiver.items import Article

REAL = Path(__file__).resolve().parent.parent / "fixtures" / "realpages" / "fundus-dev"
FETCHED = datetime(2000, 1, 1, tzinfo=UTC)


def _read(name: str) -> tuple[Article, str, dict]:
    truth = json.loads((REAL / f"{name}.json").read_text(encoding="utf-8"))
    html = gzip.decompress((REAL / f"{name}.html.gz").read_bytes()).decode("utf-8")
    article = generic.parse(html, truth["url"], fetched=FETCHED)
    text = lxml.html.fragment_fromstring(article.body_html, create_parent="div").text_content()
    return article, " ".join(text.split()), truth


def _has(text: str, paragraph: str) -> bool:
    return " ".join(paragraph.split())[:80] in text


def _words(text: str) -> str:
    return " ".join(text.split())


def test_a_standfirst_marked_as_a_lead_is_the_subtitle_not_the_body():
    """Salzburger Nachrichten prints the summary as ``<p class="article-leadtext">`` above
    the story: the post shows it once, as its subtitle, and the body starts with the story."""
    article, text, truth = _read("at_SalzburgerNachrichten_2025_06_05")
    assert _words(truth["summary"][0])[:60] in _words(article.lead)
    assert _words(truth["summary"][0])[:60] not in text
    assert text.startswith(_words(truth["body_paragraphs"][0])[:60])
    assert _has(text, truth["body_paragraphs"][-1])


def test_a_standfirst_named_in_a_camel_case_class_is_the_subtitle_not_the_body():
    """Merkur: ``<p class="id-StoryElement-leadText">``, the lead a part of a longer name."""
    article, text, truth = _read("de_Merkur_2023_04_28")
    assert article.lead
    assert _words(article.lead)[:60] not in text
    assert text.startswith(_words(truth["body_paragraphs"][0])[:60])


def test_a_first_paragraph_that_repeats_the_description_stays_in_the_body():
    """AP's dateline paragraph is also its meta description, in plain body markup: it is
    the article's opening, so it stays, and no subtitle repeats it."""
    article, text, truth = _read("us_APNews_2023_04_28")
    assert text.startswith(_words(truth["body_paragraphs"][0])[:60])
    assert not article.lead


def test_an_info_box_inside_the_article_is_left_out():
    """Hessenschau sets a fact box (``<div class="infobox">``: "Weitere Informationen …
    Ende der weiteren Informationen") between two paragraphs; the story around it stays."""
    _, text, truth = _read("de_Hessenschau_2024_04_27")
    assert "Ende der weiteren Informationen" not in text
    assert "Unter den rund 89.500 Ukraine-Geflüchteten" not in text
    assert all(_has(text, p) for p in truth["body_paragraphs"])


def test_an_info_box_named_in_two_words_is_left_out():
    """Gamestar's consent box for a video is ``<div class="info-box">``."""
    _, text, truth = _read("de_Gamestar_2024_04_28")
    assert "Empfohlener redaktioneller Inhalt" not in text
    assert "YouTube-Inhalte erlauben" not in text
    assert _has(text, truth["body_paragraphs"][0])
    assert _has(text, truth["body_paragraphs"][-1])


def test_a_consent_toggle_for_an_embed_is_left_out():
    """Tagesspiegel stands a checkbox with its explanation in for an external post
    ("Ich bin damit einverstanden, dass mir der externe Inhalt angezeigt wird")."""
    _, text, truth = _read("de_Tagesspiegel_2024_04_29")
    assert "Ich bin damit einverstanden" not in text
    assert "Externen Inhalt anzeigen" not in text
    assert all(_has(text, p) for p in truth["body_paragraphs"])


def test_a_copyright_credit_printed_alone_is_left_out():
    """Die Zeit ends a dpa story with "© dpa-infocom, dpa:…", the agency's credit line."""
    _, text, truth = _read("de_DieZeit_2023_04_28")
    assert "© dpa-infocom" not in text
    assert _has(text, truth["body_paragraphs"][-1])


def test_a_relative_time_glued_to_the_next_word_is_an_interface_line():
    """CBC's video teasers print "14 hours agoDuration 1:30" (two labels with no space)."""
    _, text, truth = _read("ca_CBCNews_2024_08_08")
    assert "agoDuration" not in text
    assert _has(text, truth["body_paragraphs"][-1])


def test_a_video_players_fallback_notice_is_left_out():
    """Postmedia prints "We apologize, but this video has failed to load." in each player."""
    _, text, truth = _read("ca_FinancialPost_2026_06_06")
    assert "this video has failed to load" not in text
    assert "Try refreshing your browser" not in text
    assert all(_has(text, p) for p in truth["body_paragraphs"])


def test_a_call_to_action_box_is_left_out():
    """The Namibian ends its story with a subscription pitch (``namps-single-cta``)."""
    _, text, truth = _read("na_TheNamibian_2024_02_20")
    assert "Subscribe Now" not in text
    assert "invest in journalism" not in text.lower()
    assert _has(text, truth["body_paragraphs"][-1])


def test_a_related_lists_label_goes_with_it_past_a_separator():
    """Spiegel: "Mehr zum Thema", an empty separator line, then the list of links."""
    _, text, truth = _read("de_SpiegelOnline_2023_04_28")
    assert "Mehr zum Thema" not in text
    assert all(_has(text, p) for p in truth["body_paragraphs"])


def test_a_related_lists_label_goes_with_it_when_the_list_has_its_own_wrapper():
    """Golem: the label "Neue Angebote bei Golem Jobs", an empty header, then the job
    offers' links inside the wrappers of a slideshow."""
    _, text, truth = _read("de_Golem_2025_09_09")
    assert "Neue Angebote bei Golem Jobs" not in text
    assert _has(text, truth["body_paragraphs"][-1])


def test_an_author_profile_box_is_left_out():
    """CBC ends with the reporter's profile (``<div class="authorprofile">``)."""
    _, text, truth = _read("ca_CBCNews_2024_08_08")
    assert "is a producer filing stories on the Middle East" not in text
    assert _has(text, truth["body_paragraphs"][-1])


def test_the_headline_in_another_wording_is_not_the_start_of_the_body():
    """Tages-Anzeiger prints its og:title wording of the headline as an ``<h2>`` above the
    story, while the post's title is the ``<h1>``'s wording."""
    article, text, truth = _read("ch_TagesAnzeiger_2026_05_18")
    assert article.title == "Trump plant Helikopterlandeplatz beim Weissen Haus"
    assert "während sein Ballsaal-Projekt stockt" not in text
    assert all(_has(text, p) for p in truth["body_paragraphs"])


def test_a_kicker_and_headline_heading_and_the_byline_under_it_are_left_out():
    """t-online: an ``<h2>`` of kicker and headline, then "Von t-online, jse"."""
    _, text, truth = _read("de_TOnline_2026_04_15")
    assert "Nach erneuter Kritik an Papst Leo" not in text
    assert "Von t-online" not in text
    assert _has(text, truth["body_paragraphs"][0])


def test_a_headline_h1_inside_the_body_is_left_out():
    """NZZ's live page sets its ``<h1>`` inside the article container."""
    _, text, truth = _read("ch_NZZ_2024_07_18")
    assert "Krieg in Nahost: USA schliessen provisorischen Hafen" not in text
    assert _has(text, truth["body_paragraphs"][0])


def _paywalled(name: str) -> tuple[str, dict]:
    """The real page as a paywall serves it: the story's paragraphs after its second are
    withheld (its pictures and the JSON-LD ``articleBody`` of the whole text stay)."""
    truth = json.loads((REAL / f"{name}.json").read_text(encoding="utf-8"))
    tree = lxml.html.fromstring(gzip.decompress((REAL / f"{name}.html.gz").read_bytes()).decode("utf-8"))
    story = [_words(p)[:40] for p in truth["body_paragraphs"]]
    for p in list(tree.iter("p"))[::-1]:
        text = _words(p.text_content())[:40]
        if text and text in story[2:]:
            p.getparent().remove(p)
    return lxml.html.tostring(tree, encoding="unicode"), truth


def test_a_paywalled_body_read_from_its_declared_text_keeps_the_printed_pictures():
    """Público: the declared text stands in for the two printed paragraphs; the photo the
    page prints stays, after the paragraph it followed, and is fetched with the post."""
    html, truth = _paywalled("es_Publico_2025_05_29")
    article = generic.parse(html, truth["url"], fetched=FETCHED)
    text = _words(lxml.html.fragment_fromstring(article.body_html, create_parent="div").text_content())
    assert _has(text, truth["body_paragraphs"][-1])  # the withheld text, from articleBody
    assert len(article.images) == 1
    photo = article.images[0]
    assert f'src="{photo}"' in article.body_html
    before = lxml.html.fragment_fromstring(article.body_html.split("<img")[0], create_parent="div")
    assert _words(before.text_content()).endswith('música que no sea tan agresiva".')


def test_a_pictures_rights_line_is_left_out():
    """MDR sets "Bildrechte: MDR/David Straub" in ``<span class="mediaRights">`` beside each
    caption (the caption and credit are one block: no credit line printed alone)."""
    _, text, truth = _read("de_MDR_2023_04_28")
    assert "Bildrechte" not in text
    assert _has(text, truth["body_paragraphs"][-1])
