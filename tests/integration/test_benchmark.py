"""`scripts/bench` end to end on a tiny archive: a table, then one valid JSON line per size (no timing asserted)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.support.project import REPO_ROOT

KEYS = ["stories", "build_s", "per_story_ms", "peak_rss_mb", "check_s", "preview_s", "baseline_build_s"]


@pytest.mark.slow
def test_bench_prints_a_table_and_a_json_line_per_size(tmp_path):
    result = subprocess.run([sys.executable, "-m", "tools.benchmark", "--stories", "30", "--keep", str(tmp_path)],
                            capture_output=True, text=True, cwd=REPO_ROOT, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith("| stories")
    record = json.loads(lines[-1])
    assert list(record) == KEYS
    assert record["stories"] == 30
    for key in ("build_s", "per_story_ms", "peak_rss_mb", "check_s", "preview_s"):
        assert isinstance(record[key], float) and record[key] > 0, key
    assert record["baseline_build_s"] is None
    assert (tmp_path / "stories-30" / "project" / "site" / "index.html").is_file()  # --keep left the tree
