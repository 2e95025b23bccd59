"""Evaluation gate (like trafilatura's tests/eval_gate.py): the generic parser's figures on
the evaluation set (tests/fixtures/generic) must not fall below the issue's floors.
``python -m archiver.evaluate --per-page`` prints the same figures, page by page."""

from __future__ import annotations

import pytest

from archiver import evaluate

FLOORS = evaluate.FLOORS["generic"]


@pytest.fixture(scope="module")
def report():
    return evaluate.evaluate(evaluate.load_cases(evaluate.DEFAULT_FOLDER), "archiver", "generic")


def test_body_token_f1_is_at_least_the_floor(report):
    assert len(report.rows) >= 30
    assert report.mean_f1 >= FLOORS.f1
    assert report.min_f1 >= 0.90, [(r.case.name, round(r.f1, 3)) for r in report.rows if r.f1 < 0.90]


def test_titles_are_exact(report):
    assert report.title_rate >= FLOORS.title


def test_publication_times_are_right_to_the_minute(report):
    assert report.time_rate >= FLOORS.time


def test_no_page_that_is_not_an_article_is_read_as_one(report):
    assert report.refusals and all(ok for _, ok, _ in report.refusals)


def test_the_metric_compares_four_word_shingles_chinese_by_character():
    assert evaluate.body_f1("京东金融 technology", "京东金融 technology")[0] == 1.0
    _f1, precision, recall = evaluate.body_f1("京东 金融 相关推荐", "京东金融")  # 5 shingles, 1 shared
    assert recall == 1.0 and precision == pytest.approx(1 / 5)
    assert evaluate.body_f1("Stocks rose, sharply!", "stocks ROSE sharply")[0] == 1.0
    _f1, precision, recall = evaluate.body_f1("a b c d e", "e d c b a")  # same words, other order
    assert precision == recall == 0.0
    assert evaluate.body_f1("Straße über Ökonomie heute", "straße ÜBER ökonomie heute")[0] == 1.0
    assert evaluate.body_f1("", "text")[0] == 0.0
