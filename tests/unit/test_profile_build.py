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
    assert timer.totals[("outer",)][0] >= timer.totals[("outer", "leaf")][0] >= 0.02


def test_a_label_can_depend_on_the_call_and_other_threads_are_not_timed():
    timer = PhaseTimer()
    page = timer.wrap(lambda kind: kind, lambda args, kwargs: f"page: {args[0]}")
    assert page("list") == "list" and page("story") == "story" and page("story") == "story"
    thread = threading.Thread(target=page, args=("thread",))
    thread.start()
    thread.join()
    assert {path: entry[1] for path, entry in timer.totals.items()} == {("page: list",): 1, ("page: story",): 2}


def test_tables_show_the_summary_and_the_tree_with_the_rest_of_each_step():
    data = {"totals": [
        [["MkDocs build()"], 8.0, 1],
        [["MkDocs build()", "content load and checks (on_files)"], 3.0, 1],
        [["MkDocs build()", "content load and checks (on_files)", "content checks"], 2.0, 1],
        [["MkDocs build()", "content load and checks (on_files)", "content checks", "Markdown rendering"], 1.0, 50],
        [["MkDocs build()", "pages: read, Markdown (_populate_page)", "Markdown rendering"], 0.5, 50],
        [["MkDocs build()", "pages: read, Markdown (_populate_page)"], 0.6, 50],
        [["MkDocs build()", "after the pages (on_post_build)", "search index"], 1.5, 1],
        [["MkDocs build()", "after the pages (on_post_build)"], 2.0, 1],
    ]}
    text = phase_tables(data, Run(wall_s=10.0, cpu_s=9.0, peak_rss_mb=100.0, returncode=0, output=""))
    assert "| content load and checks (on_files) | 3.00 | 30% |" in text
    assert "| Markdown rendering (checks and pages) | 1.50 | 15% |" in text  # both places, outermost calls
    assert "| search index | 1.50 | 15% |" in text
    assert "| start, imports, configuration and exit (outside the build's steps) | 2.00 | 20% |" in text
    assert "| MkDocs build() | 8.00 | 80% | 1 |" in text
    assert "| \u3000\u3000└ *other work of “content load and checks (on_files)”* | 1.00 | 10% | |" in text
    lines = text.splitlines()
    assert lines.index("| \u3000└ content load and checks (on_files) | 3.00 | 30% | 1 |") < \
        lines.index("| \u3000└ after the pages (on_post_build) | 2.00 | 20% | 1 |")  # largest first
