"""``--workers N`` and ``--jobs N``: a count the machine can run (and, for ``--workers``, a
spider whose crawl they share), or one line saying why
not, exit status 2, before anything starts (a typo such as ``--workers 100`` would start a
hundred Scrapy processes of about 90 MB each)."""

from __future__ import annotations

import os

import pytest

from archiver import cli

MOST = cli.PROCESSES_PER_CPU * (os.cpu_count() or 1)


def refused(capsys, *argv: str) -> str:
    with pytest.raises(SystemExit) as stopped:
        cli.main(list(argv))
    assert stopped.value.code == 2
    return capsys.readouterr().err.strip().splitlines()[-1]


def test_too_many_workers_are_refused_with_the_machines_limit_and_the_way_to_more(capsys, tmp_path):
    said = refused(
        capsys, "crawl", "jiemian", "--workers", str(MOST + 1), "-s", f"ARCHIVER_OUTPUT={tmp_path}"
    )
    assert said == (
        f"archiver crawl: error: argument --workers: {MOST + 1} processes on this machine's "
        f"{os.cpu_count()} CPUs: at most {MOST} (workers on other machines join with `archiver worker`)"
    )
    assert not (tmp_path / ".archiver").exists()  # nothing started


def test_a_negative_count_and_a_word_are_refused(capsys):
    assert refused(capsys, "crawl", "jiemian", "--workers", "-1").endswith(
        "argument --workers: -1: a number of processes cannot be negative"
    )
    assert refused(capsys, "rebuild", "--jobs", "two").endswith("argument --jobs: not a whole number: 'two'")


def test_too_many_rebuild_jobs_are_refused(capsys):
    said = refused(capsys, "rebuild", "--jobs", str(MOST + 1))
    assert said.endswith(
        f"argument --jobs: {MOST + 1} processes on this machine's {os.cpu_count()} CPUs: at most {MOST}"
    )


def test_counts_up_to_the_limit_are_taken():
    assert cli.processes("0") == 0
    assert cli.processes(str(MOST)) == MOST


def test_workers_without_a_spider_say_what_they_share_and_start_nothing(capsys, tmp_path):
    blog = tmp_path / "blog"
    (blog / "_archiver.toml").parent.mkdir()
    (blog / "_archiver.toml").write_text("[jiemian]\nlists = [65]\npages = 1\n", encoding="utf-8")
    assert cli.main(["crawl", "--workers", "2", "-s", f"ARCHIVER_OUTPUT={blog}"]) == 2
    assert capsys.readouterr().out.strip() == (
        "archiver: --workers shares the crawl of one spider (archiver crawl SPIDER --workers N); "
        "the sources of the blog's sources file run without it, one after another"
    )
    assert not (blog / ".archiver").exists()  # no source was crawled
