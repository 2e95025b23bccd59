"""Comparing two blogs' files with a readable account of what differs: the posts' text as a
diff, the runs' warnings beside it, so that a failure says why, not only that a byte is off
(a dict of bytes that pytest elides to its unchanged middle shows neither)."""

from __future__ import annotations

import difflib
from pathlib import Path

#: Lines of each post's diff shown, and warnings of the logs shown.
SHOWN = 40


def _files(root: Path, folder: str) -> dict[str, bytes]:
    base = root / folder
    return {str(p.relative_to(base)): p.read_bytes() for p in sorted(base.rglob("*")) if p.is_file()}


def _warnings(root: Path) -> list[str]:
    """The WARNING and ERROR lines of the blog's run logs, oldest log first."""
    lines = []
    for log in sorted((root / ".archiver" / "logs").glob("*.log")):
        for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
            if "] WARNING:" in line or "] ERROR:" in line:
                lines.append(f"{log.name}: {line[:300]}")
    return lines


def differences(got: Path, want: Path, folder: str) -> str:
    """'' when ``got/folder`` holds the files of ``want/folder`` byte for byte; otherwise
    what differs: the names on one side only, a diff of each text file that differs (the
    size of a binary one), and the warnings logged by ``got``'s runs."""
    mine, theirs = _files(got, folder), _files(want, folder)
    if mine == theirs:
        return ""
    said = []
    if extra := sorted(set(mine) - set(theirs)):
        said.append(f"only in {got / folder}: {extra}")
    if missing := sorted(set(theirs) - set(mine)):
        said.append(f"only in {want / folder}: {missing}")
    for name in sorted(set(mine) & set(theirs)):
        if mine[name] == theirs[name]:
            continue
        try:
            a, b = theirs[name].decode("utf-8"), mine[name].decode("utf-8")
        except UnicodeDecodeError:
            said.append(f"{name}: {len(mine[name])} bytes, expected {len(theirs[name])}")
            continue
        diff = list(
            difflib.unified_diff(
                a.splitlines(), b.splitlines(), f"expected/{name}", f"got/{name}", lineterm="", n=1
            )
        )
        said.append(
            "\n".join(diff[:SHOWN] + ([f"… {len(diff) - SHOWN} more lines"] if len(diff) > SHOWN else []))
        )
    warned = _warnings(got)
    said.append("warnings of the runs:\n" + ("\n".join(warned[-SHOWN:]) if warned else "none"))
    return "\n".join(said)
