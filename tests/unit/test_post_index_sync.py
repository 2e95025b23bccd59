"""The post index notices what changed in ``_posts/`` without reading every post.

A blog of a few thousand posts (copies of the reference post under new ids, each with
its own 原文地址 link, as a blog grows), a real SQLite state file, and the hand edits
a blog owner makes between runs: posts added, edited, deleted, renamed, restored.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest

from archiver.store.postindex import SUMMARY_SQL, PostIndex
from archiver.store.state import State

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
MODEL = (FIXTURES / "reference" / "seed-post-jiemian-1108857.md").read_text(encoding="utf-8")
COUNT = 2000
FIRST_ID = 30_000_000
LINK = re.compile(r"(\[原文地址\]\(http://www\.jiemian\.com/article/)1108857(\.html\))")


def post_text(article_id: int) -> str:
    return LINK.sub(rf"\g<1>{article_id}\g<2>", MODEL)


def name_of(article_id: int) -> str:
    return f"2017-02-11-jiemian-{article_id}.md"


def settle(posts: Path) -> None:
    """Time passes between runs: the folder's last change is older than the racy window."""
    past = time.time() - 60
    os.utime(posts, (past, past))


class Blog:
    def __init__(self, root: Path):
        self.root = root
        self.posts = root / "_posts"
        self.db_path = root / ".archiver" / "state.sqlite"

    def run(self) -> tuple[PostIndex, State, list[str]]:
        """What a run does at start-up: open the state, sync the index, reconcile."""
        state = State(self.db_path, self.root)
        index = PostIndex(state.db, self.posts)
        read = index.sync()
        state.reconcile(index, read)
        # what status shows, kept up to date by triggers, is what counting afresh gives
        fresh = state.db.execute(f"{SUMMARY_SQL} ORDER BY source", ("",)).fetchall()
        assert state.per_source() == fresh
        return index, state, read

    def between_runs(self) -> tuple[PostIndex, State, list[str]]:
        settle(self.posts)
        return self.run()


@pytest.fixture(scope="module")
def grown(tmp_path_factory):
    """A blog of COUNT posts, already known to its state database."""
    root = tmp_path_factory.mktemp("blog")
    posts = root / "_posts"
    posts.mkdir()
    for n in range(COUNT):
        (posts / name_of(FIRST_ID + n)).write_text(post_text(FIRST_ID + n), encoding="utf-8")
    blog = Blog(root)
    settle(posts)
    index, state, read = blog.run()
    assert len(read) == COUNT and len(index) == COUNT
    assert state.db.execute("SELECT count(*) FROM posts").fetchone()[0] == COUNT
    state.close()
    return blog


@pytest.fixture
def blog(grown):
    """The grown blog, shared by the tests (writing thousands of files per test would be
    slow): what earlier tests changed is taken in first; it then holds ``blog.files``
    posts of ``blog.known`` articles."""
    index, state, _ = grown.between_runs()
    grown.known = len(index)  # archived articles
    grown.files = state.db.execute("SELECT count(*) FROM post_files").fetchone()[0]
    state.close()
    return grown


def test_a_run_with_nothing_changed_reads_no_post(blog):
    index, _, read = blog.between_runs()
    assert read == [] and len(index) == blog.known
    assert f"jiemian-{FIRST_ID + 7}" in index
    assert index.url_for(f"jiemian-{FIRST_ID + 7}") == f"http://www.jiemian.com/article/{FIRST_ID + 7}.html"
    assert "jiemian-1108857" not in index


def test_a_post_added_by_hand_is_read_alone(blog):
    new = FIRST_ID + COUNT + 1
    (blog.posts / name_of(new)).write_text(post_text(new), encoding="utf-8")
    index, state, read = blog.between_runs()
    assert read == [name_of(new)]
    assert f"jiemian-{new}" in index and len(index) == blog.known + 1
    record = state.post(f"jiemian-{new}")
    assert record["ours"] == 1 and record["path"] == f"_posts/{name_of(new)}"


def test_a_post_made_by_hand_is_known_by_its_link_and_its_link_edited_in_place_is_noticed(blog):
    own = blog.posts / "2024-05-01-my-notes.md"
    own.write_text(post_text(99_000_001), encoding="utf-8")
    index, state, read = blog.between_runs()
    assert read == ["2024-05-01-my-notes.md"]
    assert "jiemian-99000001" in index
    assert state.post("jiemian-99000001")["ours"] == 0  # made by hand: never overwritten
    state.close()
    # edited in place (the folder does not change): its link now names another article
    folder = blog.posts.stat().st_mtime_ns
    with own.open("r+", encoding="utf-8") as handle:
        handle.write(post_text(99_000_002))
    assert blog.posts.stat().st_mtime_ns == folder
    os.utime(own, ns=(time.time_ns(), time.time_ns() + 1_000_000_000))  # a later tick than the first write
    index, state, read = blog.run()
    assert read == ["2024-05-01-my-notes.md"]
    assert "jiemian-99000002" in index and "jiemian-99000001" not in index


def test_a_post_deleted_by_hand_is_forgotten_without_reading_any(blog):
    gone = FIRST_ID + 10
    (blog.posts / name_of(gone)).unlink()
    index, _, read = blog.between_runs()
    assert read == [] and f"jiemian-{gone}" not in index and len(index) == blog.known - 1
    assert index.path_for(f"jiemian-{gone}") is None


def test_a_post_edited_by_hand_keeps_its_article_and_is_not_overwritten(blog, tmp_path):
    key = f"jiemian-{FIRST_ID + 20}"
    path = blog.posts / name_of(FIRST_ID + 20)
    path.write_text(path.read_text(encoding="utf-8").replace("刘强东", "Richard Liu"), encoding="utf-8")
    index, state, read = blog.between_runs()
    assert read == []  # its article is its name's: nothing to read for the index
    assert key in index and index.path_for(key) == path
    # the edit shows against the hash the archiver wrote: the writer keeps the person's text
    current = path.read_text(encoding="utf-8")
    from archiver.pipelines import _written_by_archiver

    assert not _written_by_archiver(state.post(key), current)


def test_posts_restored_from_git_with_new_mtimes_and_a_rename_are_noticed(blog):
    for n in (30, 31):
        (blog.posts / name_of(FIRST_ID + n)).unlink()
    index, state, _ = blog.between_runs()
    assert f"jiemian-{FIRST_ID + 30}" not in index
    state.close()
    # `git restore _posts/`: the files come back, recreated, with new mtimes
    for n in (30, 31):
        (blog.posts / name_of(FIRST_ID + n)).write_text(post_text(FIRST_ID + n), encoding="utf-8")
    os.rename(blog.posts / name_of(FIRST_ID + 40), blog.posts / "2017-02-11-jiemian-30000040-renamed.md")
    index, state, read = blog.between_runs()
    assert sorted(read) == sorted(
        [name_of(FIRST_ID + 30), name_of(FIRST_ID + 31), "2017-02-11-jiemian-30000040-renamed.md"]
    )
    assert len(index) == blog.known
    assert index.path_for(f"jiemian-{FIRST_ID + 40}").name == "2017-02-11-jiemian-30000040-renamed.md"


def test_a_change_right_after_a_listing_is_not_missed(blog):
    """The folder changed within the timestamp tick of the last listing: listed again."""
    index, state, _ = blog.run()  # the folder was settled: trusted, nothing listed
    state.close()
    new = FIRST_ID + COUNT + 5
    (blog.posts / name_of(new)).write_text(post_text(new), encoding="utf-8")
    # the folder's change is not older than the listing on the filesystem's clock (a
    # coarse timestamp, or a file server whose clock is ahead): the listing is racy
    tick = time.time_ns() + 30_000_000_000
    os.utime(blog.posts, ns=(tick, tick))
    index, state, read = blog.run()
    assert read == [name_of(new)]
    state.close()
    # another post appears within that same tick: the folder's mtime stays the same
    other = FIRST_ID + COUNT + 6
    (blog.posts / name_of(other)).write_text(post_text(other), encoding="utf-8")
    os.utime(blog.posts, ns=(tick, tick))
    index, state, read = blog.run()
    assert read == [name_of(other)] and f"jiemian-{other}" in index
    state.close()
    settle(blog.posts)  # the clock back to now, for the next tests


def test_a_hand_change_right_after_a_trusted_listing_is_seen(blog):
    """A listing is trusted at once when the folder's last change is older, on its own
    clock, than the listing: a change made after it moves the folder's mtime."""
    index, state, _ = blog.between_runs()
    state.close()
    new = FIRST_ID + COUNT + 7
    (blog.posts / name_of(new)).write_text(post_text(new), encoding="utf-8")
    index, state, read = blog.run()  # no settle: the listing follows the change at once
    assert read == [name_of(new)]
    state.close()
    (blog.posts / name_of(new)).unlink()
    index, state, read = blog.run()
    assert read == [] and f"jiemian-{new}" not in index
    state.close()


def test_the_state_database_deleted_is_rebuilt_once_then_runs_are_cheap(blog):
    for suffix in ("", "-wal", "-shm"):
        Path(f"{blog.db_path}{suffix}").unlink(missing_ok=True)
    index, state, read = blog.between_runs()
    assert len(read) == blog.files and len(index) == blog.known
    assert state.db.execute("SELECT count(*) FROM posts").fetchone()[0] >= blog.files
    state.close()
    index, state, read = blog.between_runs()
    assert read == [] and len(index) == blog.known


def test_the_posts_folder_removed_empties_the_index(tmp_path):
    import shutil

    small = Blog(tmp_path / "small")
    small.posts.mkdir(parents=True)
    for n in range(5):
        (small.posts / name_of(FIRST_ID + n)).write_text(post_text(FIRST_ID + n), encoding="utf-8")
    assert len(small.run()[0]) == 5
    shutil.rmtree(small.posts)
    index, _, read = small.run()
    assert read == [] and len(index) == 0 and "jiemian-30000001" not in index


def write_as_a_run(index: PostIndex, article_id: int) -> None:
    """What the writer does: the post written under a temporary name, renamed, recorded."""
    text = post_text(article_id)
    temporary = index.posts_dir / f".{name_of(article_id)}.x1.tmp"
    temporary.write_text(text, encoding="utf-8")
    os.rename(temporary, index.posts_dir / name_of(article_id))
    index.add(f"jiemian-{article_id}", index.posts_dir / name_of(article_id), text)


def test_after_a_runs_own_writes_the_names_are_listed_but_not_compared(blog, caplog):
    index, state, _ = blog.between_runs()
    first = FIRST_ID + COUNT + 20
    write_as_a_run(index, first)
    write_as_a_run(index, first + 1)
    state.close()
    caplog.set_level("INFO", logger="archiver.store.postindex")
    index, state, read = blog.run()  # status right after the run: the folder's stat changed
    assert read == [] and f"jiemian-{first + 1}" in index
    assert "folder listed, the same names" in caplog.text
    state.close()


def test_a_hand_change_in_the_same_tick_as_a_runs_own_write_is_not_missed(blog, caplog):
    """A person adds a post, and renames another, within the timestamp tick of the run's
    own write (the folder's mtime stays that of the write): both are found."""
    index, state, _ = blog.between_runs()
    ours, theirs = FIRST_ID + COUNT + 30, FIRST_ID + COUNT + 31
    write_as_a_run(index, ours)
    after_write = blog.posts.stat().st_mtime_ns
    (blog.posts / name_of(theirs)).write_text(post_text(theirs), encoding="utf-8")
    renamed = "2017-02-11-jiemian-30000050-mine.md"
    os.rename(blog.posts / name_of(FIRST_ID + 50), blog.posts / renamed)
    os.utime(blog.posts, ns=(after_write, after_write))
    state.close()
    caplog.set_level("INFO", logger="archiver.store.postindex")
    index, state, read = blog.run()
    assert sorted(read) == sorted([name_of(theirs), renamed])
    assert "names compared" in caplog.text
    assert f"jiemian-{theirs}" in index and index.path_for(f"jiemian-{FIRST_ID + 50}").name == renamed
    state.close()
    # a rename alone keeps the count: the digest still tells
    os.rename(blog.posts / renamed, blog.posts / name_of(FIRST_ID + 50))
    index, state, read = blog.run()
    assert read == [name_of(FIRST_ID + 50)]
    assert index.path_for(f"jiemian-{FIRST_ID + 50}").name == name_of(FIRST_ID + 50)
    state.close()


def test_a_run_that_lists_the_folder_as_it_ends_spares_the_next_its_listing(blog, caplog):
    """What a run does as it ends (archiver/extensions.py): after its own writes, the
    folder is listed once more; status and the next run then list nothing, yet a post
    added by hand afterwards is found."""
    index, state, _ = blog.between_runs()
    first = FIRST_ID + COUNT + 40
    write_as_a_run(index, first)
    write_as_a_run(index, first + 1)
    assert index.sync() == []  # the run's closing listing: the same names as recorded
    state.close()
    caplog.set_level("INFO", logger="archiver.store.postindex")
    index, state, read = blog.run()  # right after the run, no settle
    assert read == [] and f"jiemian-{first + 1}" in index
    assert "folder unchanged" in caplog.text and "folder listed" not in caplog.text
    state.close()
    theirs = FIRST_ID + COUNT + 42
    (blog.posts / name_of(theirs)).write_text(post_text(theirs), encoding="utf-8")
    index, state, read = blog.run()
    assert read == [name_of(theirs)] and f"jiemian-{theirs}" in index
    state.close()
