"""Evaluation gate (like trafilatura's tests/eval_gate.py): the generic parser's figures on
the evaluation set (tests/fixtures/generic) must not fall below the issue's floors.
``python -m archiver.evaluate --pages`` prints the same figures, page by page."""

from __future__ import annotations

import pytest

from archiver import evaluate


@pytest.fixture(scope="module")
def report():
    return evaluate.evaluate(evaluate.load_cases(evaluate.DEFAULT_FOLDER), "archiver")


def test_body_token_f1_is_at_least_the_floor(report):
    assert len(report.rows) >= 30
    assert report.mean_f1 >= evaluate.F1_FLOOR
    assert report.min_f1 >= 0.90, [(r[0].name, round(r[1], 3)) for r in report.rows if r[1] < 0.90]


def test_titles_are_exact_on_chinese_pages(report):
    assert report.title_rate >= evaluate.TITLE_FLOOR


def test_publication_times_are_right_to_the_minute(report):
    assert report.time_rate >= evaluate.TIME_FLOOR


def test_no_page_that_is_not_an_article_is_read_as_one(report):
    assert report.refusals and all(ok for _, ok, _ in report.refusals)


def test_the_metric_tokenises_chinese_by_character_and_latin_by_word():
    assert evaluate.body_f1("京东金融 technology", "京东金融 technology")[0] == 1.0
    _f1, precision, recall = evaluate.body_f1("京东 金融 相关推荐", "京东金融")
    assert recall == 1.0 and precision == pytest.approx(4 / 8)
    assert evaluate.body_f1("Stocks rose, sharply!", "stocks ROSE sharply")[0] == 1.0
    assert evaluate.body_f1("", "text")[0] == 0.0


def test_the_command_prints_the_figures_and_checks_the_floors(capsys):
    assert evaluate.main(["--check", "--only", "archiver"]) == 0
    out = capsys.readouterr().out
    assert "body token F1" in out and "exact title" in out and "time to minute" in out
