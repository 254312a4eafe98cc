"""The phase timer of tools/profile_build.py: time per call path, nested phases inside their callers."""

from __future__ import annotations

import threading
import time

from tools.bench_runs import Run
from tools.profile_build import PhaseTimer, phase_tables


def test_phases_are_timed_per_call_path_and_a_phase_calling_itself_counts_once():
    timer = PhaseTimer()

    def leaf():
        time.sleep(0.02)

    def recursive(depth):
        if depth:
            recursive_timed(depth - 1)
        else:
            leaf_timed()

    leaf_timed = timer.wrap(leaf, "leaf")
    recursive_timed = timer.wrap(recursive, "outer")
    recursive_timed(3)
    leaf_timed()
    assert set(timer.totals) == {("outer",), ("outer", "leaf"), ("leaf",)}
    assert timer.totals[("outer",)][1] == 1  # the three inner calls of "outer" are inside the first
    assert timer.totals[("outer", "leaf")][1] == 1 and timer.totals[("leaf",)][1] == 1
    assert timer.totals[("outer",)][0] >= timer.totals[("outer", "leaf")][0] >= 0.02  # wall: sleeping counts
    assert timer.totals[("outer", "leaf")][2] < 0.015  # CPU: sleeping does not


def test_cpu_time_is_counted_where_it_is_spent():
    timer = PhaseTimer()

    def busy():
        deadline = time.process_time() + 0.05
        while time.process_time() < deadline:
            pass

    timer.wrap(busy, "busy")()
    wall, calls, cpu = timer.totals[("busy",)]
    assert calls == 1 and cpu >= 0.05 and wall >= cpu * 0.5


def test_a_label_can_depend_on_the_call_and_other_threads_are_not_timed():
    timer = PhaseTimer()
    page = timer.wrap(lambda kind: kind, lambda args, kwargs: f"page: {args[0]}")
    assert page("list") == "list" and page("story") == "story" and page("story") == "story"
    thread = threading.Thread(target=page, args=("thread",))
    thread.start()
    thread.join()
    assert {path: entry[1] for path, entry in timer.totals.items()} == {("page: list",): 1, ("page: story",): 2}


def test_tables_show_the_summary_and_the_tree_with_the_rest_of_each_step():
    data = {"totals": [  # path, wall s, calls, CPU s
        [["MkDocs build()"], 16.0, 1, 8.0],
        [["MkDocs build()", "content load and checks (on_files)"], 6.0, 1, 3.0],
        [["MkDocs build()", "content load and checks (on_files)", "content checks"], 4.0, 1, 2.0],
        [["MkDocs build()", "content load and checks (on_files)", "content checks", "Markdown rendering"],
         2.0, 50, 1.0],
        [["MkDocs build()", "pages: read, Markdown (_populate_page)", "Markdown rendering"], 1.0, 50, 0.5],
        [["MkDocs build()", "pages: read, Markdown (_populate_page)"], 1.2, 50, 0.6],
        [["MkDocs build()", "after the pages (on_post_build)", "search index"], 3.0, 1, 1.5],
        [["MkDocs build()", "after the pages (on_post_build)"], 4.0, 1, 2.0],
    ]}
    text = phase_tables(data, Run(wall_s=20.0, cpu_s=10.0, peak_rss_mb=100.0, returncode=0, output=""))
    assert "| content load and checks (on_files) | 6.00 | 3.00 | 30% |" in text
    assert "| Markdown rendering (checks and pages) | 3.00 | 1.50 | 15% |" in text  # both places, outermost calls
    assert "| search index | 3.00 | 1.50 | 15% |" in text
    assert "| start, imports, configuration and exit (outside the build's steps) | 4.00 | 2.00 | 20% |" in text
    assert "| **whole process** | **20.0** | **10.0** | 100% |" in text
    assert "| MkDocs build() | 16.0 | 8.00 | 80% | 1 |" in text
    assert "| \u3000\u3000└ *other work of “content load and checks (on_files)”* | 2.00 | 1.00 | 10% | |" in text
    lines = text.splitlines()
    assert lines.index("| \u3000└ content load and checks (on_files) | 6.00 | 3.00 | 30% | 1 |") < \
        lines.index("| \u3000└ after the pages (on_post_build) | 4.00 | 2.00 | 20% | 1 |")  # most CPU first
