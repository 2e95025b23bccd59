"""The CI gate on real pages (like trafilatura's tests/eval_gate.py): the generic parser's
figures on the 129 real publishers' pages of tests/fixtures/realpages/fundus-dev must not
fall below the floors pinned in ``archiver.evaluate.FLOORS`` (a little under what it
reaches), so that a regression on markup nobody here wrote fails the suite.
``python -m archiver.evaluate --per-page`` prints the same figures, page by page."""

from __future__ import annotations

import pytest

from archiver import evaluate

FLOORS = evaluate.FLOORS["fundus-dev"]


@pytest.fixture(scope="module")
def report():
    cases = evaluate.load_cases(evaluate.REAL_FOLDER)
    return evaluate.evaluate(cases, "archiver", evaluate.REAL_FOLDER.name)


def test_the_real_set_is_whole(report):
    assert len(report.rows) == 129
    assert len({r.case.truth["publisher"] for r in report.rows}) >= 85
    assert (evaluate.REAL_FOLDER / "LICENSE").read_text().startswith("MIT License")


def test_body_f1_on_real_pages_is_at_least_the_floor(report):
    assert report.mean_f1 >= FLOORS.f1, report.mean_f1


def test_titles_on_real_pages_are_exact_at_least_as_often_as_the_floor(report):
    assert report.title_rate >= FLOORS.title, report.title_rate


def test_times_on_real_pages_are_right_to_the_minute_at_least_as_often_as_the_floor(report):
    assert report.time_rate >= FLOORS.time, report.time_rate


def test_few_real_articles_are_refused(report):
    refused = [(r.case.name, r.got.refused) for r in report.refused_articles]
    assert len(refused) <= FLOORS.refused, refused


def test_a_folder_given_on_the_command_line_is_scored(tmp_path, capsys):
    page = next(evaluate.REAL_FOLDER.glob("*.html.gz"))
    (tmp_path / page.name).write_bytes(page.read_bytes())
    truth = page.name.removesuffix(".html.gz") + ".json"
    (tmp_path / truth).write_bytes((evaluate.REAL_FOLDER / truth).read_bytes())
    assert evaluate.main(["--pages", str(tmp_path), "--only", "archiver"]) == 0
    out = capsys.readouterr().out
    assert "1 pages (1 with truth)" in out and "body F1" in out and "CPU per page" in out


def test_the_hand_checked_chinese_truth_names_at_least_ten_pages_by_hash_only():
    (path,) = [p for p in evaluate.HAND_TRUTH if p.name == "zh-handchecked.truth.json"]
    entries = evaluate.json.loads(path.read_text(encoding="utf-8"))
    assert len(entries) >= 10 and len({e["sha256"] for e in entries}) == len(entries)
    for entry in entries:
        assert set(entry) == {"page", "sha256", "title", "published", "first_sentence", "last_sentence"}
        assert evaluate.datetime.fromisoformat(entry["published"]).tzinfo is not None


def test_body_edges_want_the_first_and_last_sentence_at_the_edges():
    truth = {"first_sentence": "第一句。", "last_sentence": "最后一句。"}
    assert evaluate.body_edges("第一句。中间的话。最后一句。", truth) == (1.0, 1.0, 1.0)
    chrome = "责任编辑：某某某某某某某某某某某某某某某某某某某某某某某某某某某某某某"
    assert evaluate.body_edges("第一句。最后一句。" + chrome, truth) == (0.5, 1.0, 0.0)
    assert evaluate.body_edges("", truth) == (0.0, 0.0, 0.0)
