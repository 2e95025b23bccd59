"""``archiver status``: per source, the articles archived, first and last publication,
the last run, failures awaiting retry, articles gone upstream, the WARC archive.

Answered from the state database, brought up to date with ``_posts/`` cheaply first
(archiver/store/postindex.py). Nothing here imports Scrapy or the parsers: the command's
cost is Python's start-up, opening SQLite and a few queries, whatever the archive's size.
"""

from __future__ import annotations

import json
from pathlib import Path


def _unfinished(lock: Path) -> str:
    """What the last run is when it recorded no result: running now, or stopped short."""
    from archiver.store.lock import holder

    running = holder(lock)
    return f"running now ({running})" if running else "did not finish (killed or stopped before its end)"


def status(settings) -> int:
    from archiver.config import blog_root, state_dir, warc_dir
    from archiver.store.postindex import PostIndex
    from archiver.store.state import State, StateError
    from archiver.store.warc import warc_files

    root = blog_root(settings)
    db_path = state_dir(settings) / "state.sqlite"
    try:
        state = State(db_path, root)
    except StateError as exc:
        print(f"archiver: {exc}")
        return 1
    index = PostIndex(state.db, root / "_posts")
    state.reconcile(index, index.sync())
    sources = state.per_source()  # kept by triggers: their sum is len(index), without counting
    print(f"Blog {root}: {sum(row[1] for row in sources)} archived articles")
    print(f"  {'source':<12}{'articles':>9}   {'first published':<17}  {'last published':<17}")
    for source, count, first, last in sources:
        print(f"  {source:<12}{count:>9}   {first:<17}  {last:<17}")
    runs = state.runs(1)
    if not runs:
        print("No run recorded here yet.")
    else:
        _, spider, started, _finished, result, summary = runs[0]
        counts = json.loads(summary) if summary else {}
        outcome = result or _unfinished(state_dir(settings) / "run.lock")
        print(
            f"Last run: {spider}, started {started}, {outcome}"
            + (
                f": new {counts.get('new', 0)}, updated {counts.get('updated', 0)}, "
                f"gone {counts.get('gone', 0)}, failed {counts.get('failed', 0)}"
                if counts
                else ""
            )
        )
    failures = state.failures()
    print(f"Failures awaiting retry: {len(failures)}")
    for url, _, _reason, detail, attempts in failures[:20]:
        print(f"  {url}: {detail} ({attempts} attempts)")
    gone = state.gone()
    if gone:
        print(f"Gone upstream: {len(gone)}")
        for _, url, since, reason in gone[:20]:
            print(f"  {url}: {reason} (since {since[:10]})")
    from archiver.sourcescli import status_sources

    print(*status_sources(root, state), sep="\n")
    files = warc_files(warc_dir(settings))
    size = sum(f.stat().st_size for f in files)
    print(f"WARC archive: {len(files)} files, {size / 1e6:.1f} MB in {warc_dir(settings)}")
    state.close()
    return 0
