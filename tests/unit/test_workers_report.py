"""What ``archiver crawl --workers N`` prints when some of its processes stopped short: which
one (the writer, worker n) and how (killed by which signal, or its exit status)."""

from __future__ import annotations

from archiver.workers.run import stopped_how


def test_a_killed_writer_is_named_with_its_signal():
    assert stopped_how([-9, 0, 0]) == "the writer was killed (SIGKILL)"


def test_each_worker_that_stopped_short_is_named_in_order():
    assert stopped_how([0, 1, -15]) == "worker 1 exited with status 1, worker 2 was killed (SIGTERM)"


def test_statuses_that_say_nothing_wrong_are_shown_as_they_are():
    assert stopped_how([0, 0]) == "exit statuses [0, 0]"
