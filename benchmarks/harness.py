"""What the benchmarks share: the environment of the commands they time, their work folder,
the generated site, timing one command, rounds, and the printing of a median [min–max].

:func:`measure` runs one command to its end: its wall time, the CPU time (user + system) of
it and its children (``wait4``), the peak RSS.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.site import generate

ROOT = Path(__file__).resolve().parent.parent


def command_env() -> dict[str, str]:
    """The environment of the archiver's commands: this checkout first on the path."""
    return dict(
        os.environ,
        SCRAPY_SETTINGS_MODULE="archiver.settings",
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    )


@contextmanager
def work_folder(keep: str | None, prefix: str) -> Iterator[Path]:
    """``keep`` (made if needed, kept), else a temporary folder removed at the end."""
    work = Path(keep).resolve() if keep else Path(tempfile.mkdtemp(prefix=prefix))
    work.mkdir(parents=True, exist_ok=True)
    os.chmod(work, 0o755)  # nginx's workers read the site in it
    try:
        yield work
    finally:
        if not keep:
            shutil.rmtree(work, ignore_errors=True)


def generated_site(work: Path, articles: int) -> tuple[Path, list[str], Path]:
    """The generated jiemian-like site of ``articles`` articles (benchmarks/site.py) in
    ``work/site``: (its folder, its article URLs, a urls_file listing them)."""
    site = work / "site"
    started = time.perf_counter()
    urls = generate(site, articles)
    urls_file = work / "urls.txt"
    urls_file.write_text("\n".join(urls) + "\n", encoding="utf-8")
    print(f"Generated {len(urls)} articles in {time.perf_counter() - started:.1f} s", flush=True)
    return site, urls, urls_file


def run_rounds(rounds: int, one_round: Callable[[int], dict]) -> list[dict]:
    """``one_round(1)`` … ``one_round(rounds)``, each announced when done."""
    results = []
    for number in range(1, rounds + 1):
        started = time.perf_counter()
        results.append(one_round(number))
        print(f"round {number}/{rounds} done in {time.perf_counter() - started:.1f} s", flush=True)
    return results


def spread(values: list[float], fmt: str) -> str:
    """The median, and [min–max] when there are several values."""
    med = statistics.median(values)
    if len(values) == 1:
        return format(med, fmt)
    return f"{format(med, fmt)} [{format(min(values), fmt)}–{format(max(values), fmt)}]"


def machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} CPUs ({model or platform.machine()}), {platform.system()} {platform.release()}"


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f}"


def write_json(path: str | None, data) -> None:
    if path:
        Path(path).write_text(json.dumps(data, indent=2), encoding="utf-8")


@dataclass
class Run:
    wall: float
    cpu: float
    rss_mb: float
    samples: list[tuple[int, float]] = field(default_factory=list)  # (posts written, RSS MB)


def _rss_mb(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _count(folder: Path) -> int:
    try:
        return sum(1 for _ in os.scandir(folder))
    except OSError:
        return 0


def cpu_seconds(pid: int) -> float | None:
    """CPU seconds (user + system) of a live process itself, from /proc/<pid>/stat."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(command: list[str], cwd: Path, env: dict, log: Path, posts: Path | None = None) -> Run:
    """Run ``command`` to its end: wall time, CPU of it and its children, peak RSS; RSS
    against the posts in ``posts`` every 0.25 s."""
    with log.open("ab") as out:
        started = time.perf_counter()
        proc = subprocess.Popen(
            command, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT
        )
        samples, next_sample = [], started
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            now = time.perf_counter()
            if posts is not None and now >= next_sample:
                rss = _rss_mb(proc.pid)
                if rss is not None:
                    samples.append((_count(posts), rss))
                next_sample = now + 0.25
            time.sleep(0.01)
        wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"benchmark: {' '.join(command[:6])}… exited {proc.returncode}; see {log}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, samples)
