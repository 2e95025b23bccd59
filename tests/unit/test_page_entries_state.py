"""The state's page validators keep what the page held (issue 13 item 4), in a real SQLite
file: a database made before that column is migrated, and its old validators are no
longer sent (a 304 could not be re-read), so those pages are fetched in full once."""

from __future__ import annotations

import sqlite3

from archiver.store.state import State

OLD_SCHEMA = """
CREATE TABLE pages (url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT, fetched_at TEXT NOT NULL);
INSERT INTO pages VALUES ('https://www.jiemian.com/lists/65.html', '"abc"', 'Tue, 01 Dec 2026 10:00:00 GMT',
                          '2026-12-01T10:00:00+00:00');
"""


def test_an_old_database_is_migrated_and_its_bare_validators_are_not_sent(tmp_path):
    path = tmp_path / ".archiver" / "state.sqlite"
    path.parent.mkdir()
    db = sqlite3.connect(path)
    db.executescript(OLD_SCHEMA)
    db.close()
    state = State(path, tmp_path)
    columns = {row[1] for row in state.db.execute("PRAGMA table_info(pages)")}
    assert "entries" in columns
    assert state.validators("https://www.jiemian.com/lists/65.html") == (None, None)
    state.save_validators("https://www.jiemian.com/lists/65.html", '"def"', None, '[["u", "", null, "*"]]')
    assert state.validators("https://www.jiemian.com/lists/65.html") == ('"def"', None)
    assert state.page_entries("https://www.jiemian.com/lists/65.html") == '[["u", "", null, "*"]]'
    state.close()
    again = State(path, tmp_path)  # opening twice migrates once
    assert again.validators("https://www.jiemian.com/lists/65.html") == ('"def"', None)
    again.close()


def test_what_an_earlier_run_covered_decides_what_a_304_may_skip():
    from datetime import UTC, datetime

    from archiver.backlog import ALL, cover_mark, is_covered, merge_marks

    nov = datetime(2026, 11, 1, tzinfo=UTC)
    oct_ = datetime(2026, 10, 1, tzinfo=UTC)
    assert not is_covered(None, nov)  # never requested: request it
    assert is_covered(ALL, None) and is_covered(ALL, oct_)  # requested without since: done
    assert is_covered(cover_mark(oct_), nov)  # requested with an earlier since: done
    assert not is_covered(cover_mark(nov), oct_)  # a later since may have refused it: again
    assert not is_covered(cover_mark(nov), None)
    assert merge_marks(cover_mark(nov), cover_mark(oct_)) == cover_mark(oct_)
    assert merge_marks(cover_mark(nov), ALL) == ALL
    assert merge_marks(None, cover_mark(nov)) == cover_mark(nov)
