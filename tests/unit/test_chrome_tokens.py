"""Chrome by class and id: whole class names and their first (or last) part, never a
substring or a middle part, and never on ``<body>`` (the real CSS of issue 14)."""

from __future__ import annotations

import pytest
from lxml import etree

from archiver.extract.body import is_chrome


def el(tag: str = "div", **attrs) -> etree._Element:
    return etree.Element(tag, **attrs)


@pytest.mark.parametrize(
    "cls",
    [
        "gate-ad",
        "non-ad-column",
        "post category-advertising-platform",
        "elementor-widget-container",
        "commentary",
        "main--nav",
        "left-side",
        "no-sidebar",
        "content-with-sidebar-wrp",
        "has-comments",
        "entry-content",
    ],
)
def test_layout_words_inside_a_name_are_not_chrome(cls):
    assert not is_chrome(el(**{"class": cls}))


@pytest.mark.parametrize(
    "cls",
    [
        "ad",
        "ad-slot ad-slot--inline",
        "related-articles",
        "post-comments",
        "share-bar",
        "js-share",
        "breadcrumb",
        "meldungsfooter",
        "newsletter-signup",
        "contributions-epic",
        "sidebar",
    ],
)
def test_chrome_names_are_chrome(cls):
    assert is_chrome(el(**{"class": cls}))


def test_a_class_on_body_never_makes_the_page_chrome():
    assert not is_chrome(el("body", **{"class": "sidebar comments ad"}))


def test_an_id_counts_like_a_class():
    assert is_chrome(el(id="comments"))
    assert not is_chrome(el(id="__next"))
