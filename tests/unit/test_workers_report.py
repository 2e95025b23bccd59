"""Shared crawls, in process: what ``archiver crawl --workers N`` prints when some of its
processes stopped short (which one, and how), and the digest of the code a blog's host
runs, which a worker on another machine must share."""

from __future__ import annotations

from archiver.workers.run import stopped_how


def test_a_killed_writer_is_named_with_its_signal():
    assert stopped_how([-9, 0, 0]) == "the writer was killed (SIGKILL)"


def test_each_worker_that_stopped_short_is_named_in_order():
    assert stopped_how([0, 1, -15]) == "worker 1 exited with status 1, worker 2 was killed (SIGTERM)"


def test_statuses_that_say_nothing_wrong_are_shown_as_they_are():
    assert stopped_how([0, 0]) == "exit statuses [0, 0]"


def test_the_code_digest_follows_every_python_file_and_only_them(tmp_path):
    from archiver.workers.shared import code_digest

    tree = tmp_path / "archiver"
    (tree / "sites").mkdir(parents=True)
    (tree / "__init__.py").write_text("")
    (tree / "sites" / "jiemian.py").write_text("SELECTOR = 'div.article-content'\n")
    first = code_digest([tree])
    (tree / "README.md").write_text("notes")
    assert code_digest([tree]) == first  # not code
    (tree / "sites" / "jiemian.py").write_text("SELECTOR = 'div.article-main'\n")
    assert code_digest([tree]) != first  # a parser changed: other posts
    (tree / "sites" / "jiemian.py").write_text("SELECTOR = 'div.article-content'\n")
    assert code_digest([tree]) == first
    (tree / "sites" / "jiemian.py").rename(tree / "sites" / "other.py")
    assert code_digest([tree]) != first  # the same bytes elsewhere are other code


def test_a_process_that_wrote_no_stats_but_exited_0_stopped_before_its_crawl_began():
    stats = {"finish_reason": "shutdown"}
    assert stopped_how([0, 0, 0], [stats, stats, None]) == "worker 2 stopped before its crawl began"
    assert stopped_how([0, -9], [stats, None]) == "worker 1 was killed (SIGKILL)"
