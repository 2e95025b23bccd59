"""Under cron (stderr not a terminal) no progress is set up and nothing is printed;
on a terminal the bar sums the children's progress files."""

from __future__ import annotations

import io
import json

from archiver.progress import Watch, articles_done


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_with_no_terminal_there_is_no_watch_and_nothing_printed(capsys):
    stream = io.StringIO()
    assert Watch.for_terminal(3, "archiver rebuild", stream) is None
    assert stream.getvalue() == ""
    assert capsys.readouterr() == ("", "")


def test_on_a_terminal_the_bar_sums_the_workers_done_and_total():
    stream = Terminal()
    watch = Watch.for_terminal(2, "archiver rebuild", stream)
    assert watch is not None
    settings = [watch.settings(0), watch.settings(1)]
    assert all(s[0] == "-s" and s[1].startswith("ARCHIVER_PROGRESS_FILE=") for s in settings)
    watch.files[0].write_text(json.dumps({"done": 3, "total": 10}))
    watch.update()  # one worker has not written yet: the total is not known
    assert (
        "3 articles" in stream.getvalue() and "/" not in stream.getvalue().split("archiver rebuild")[-1][:12]
    )
    watch.files[1].write_text(json.dumps({"done": 4, "total": 5}))
    watch.close()
    assert "7/15" in stream.getvalue()
    assert not watch.folder.exists()


def test_done_counts_every_outcome_of_an_article():
    stats = {
        "archiver/posts/new": 2,
        "archiver/posts/unchanged": 3,
        "archiver/failed": 1,
        "archiver/failed/http_404": 1,
        "archiver/dropped": 1,
        "item_scraped_count": 5,
    }
    assert articles_done(stats) == 7
