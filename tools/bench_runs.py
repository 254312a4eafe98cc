"""What the benchmarks share (``scripts/bench``: :mod:`tools.benchmark` and :mod:`tools.search_benchmark`).

A fresh project with this repository's settings and templates and a generated corpus, the environment and
the commands the measured processes run with, and :func:`measure`: one process tree run to completion, with
its wall and CPU time and its peak resident memory.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from tools.synthetic_corpus import generate

REPO = Path(__file__).resolve().parent.parent
BUILD_DATE = "2026-11-30"
_PAGE_SIZE = 4096


@dataclass
class Run:
    wall_s: float
    cpu_s: float
    peak_rss_mb: float
    returncode: int
    output: str


# -- measuring processes ----------------------------------------------------------------------------


def _tree_rss_kb(root_pid: int) -> int:
    """Resident memory of a process and all its descendants (Linux /proc), in KiB."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as stat:
                fields = stat.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        pid = int(entry)
        children.setdefault(int(fields[1]), []).append(pid)
        rss[pid] = int(fields[21]) * _PAGE_SIZE // 1024
    total, stack = 0, [root_pid]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack += children.get(pid, [])
    return total


def measure(command: list[str], cwd: Path, env: dict[str, str], timeout: float = 3600) -> Run:
    """Run ``command`` to completion: wall and CPU time, peak memory of its process tree."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            if os.path.isdir("/proc"):
                peak[0] = max(peak[0], _tree_rss_kb(process.pid))
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        output, _ = process.communicate(timeout=timeout)
    finally:
        done.set()
        sampler.join()
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    peak_kb = max(peak[0], after.ru_maxrss if after.ru_maxrss > before.ru_maxrss else 0)
    return Run(wall, cpu, peak_kb / 1024, process.returncode, output.decode("utf-8", "replace"))


def bench_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update({"MZPRESS_BUILD_DATE": BUILD_DATE, "NO_MKDOCS_2_WARNING": "1", "PYTHONUNBUFFERED": "1"})
    env.pop("MZPRESS_NO_CACHE", None)
    env.update(extra)
    return env


# -- the project -----------------------------------------------------------------------------------


def make_project(dest: Path, stories: int) -> list[str]:
    """A fresh project with this repository's settings and templates and a generated corpus."""
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    shutil.copy2(REPO / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(REPO / "site_config", dest / "site_config")
    if (REPO / "overrides").is_dir():
        shutil.copytree(REPO / "overrides", dest / "overrides")
    if (REPO / "content" / "assets").is_dir():
        shutil.copytree(REPO / "content" / "assets", dest / "content" / "assets")
    return list(generate(dest, stories).story_srcs)


def mkdocs_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "mkdocs", *args]


def mzpress_command(root: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "mzpress.cli", "--root", str(root), *args]
