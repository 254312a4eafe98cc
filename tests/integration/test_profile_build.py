"""`scripts/bench --profile N` end to end on a tiny archive: Markdown tables of phases and of cProfile."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tests.support.project import REPO_ROOT


@pytest.mark.slow
def test_profile_prints_phase_and_cprofile_tables(tmp_path):
    result = subprocess.run([sys.executable, "-m", "tools.benchmark", "--profile", "20", "--keep", str(tmp_path)],
                            capture_output=True, text=True, cwd=REPO_ROOT, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    # Every function the tool times still exists (when one is renamed, update TARGETS in tools/profile_build.py).
    assert "not found" not in out, out
    for phase in ("content load and checks (on_files)", "theme rendering (Jinja, all pages)", "search index",
                  "writing files (pages, copies, feeds, cache, manifest)"):
        row = re.search(rf"^\| {re.escape(phase)} \| ([0-9.]+) \| ([0-9.]+) \| \d+% \|$", out, re.M)
        assert row and float(row.group(1)) > 0 and float(row.group(2)) > 0, phase  # wall and CPU seconds
    assert re.search(r"^\| MkDocs build\(\) \| [0-9.]+ \| [0-9.]+ \| \d+% \| 1 \|$", out, re.M)
    assert re.search(r"^\| `mzpress\.checks\.runner\.run_content_checks` \| content checks \| [0-9.]+ \|", out, re.M)
    assert "own time: top 25" in out
    prof = tmp_path / "profile-20" / "build.prof"
    assert prof.is_file() and str(prof) in out
    assert (tmp_path / "profile-20" / "project" / "site" / "index.html").is_file()
