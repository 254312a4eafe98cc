"""scripts/load-test: a real build served by nginx with deploy/nginx.conf, two seconds of load, zero errors."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.support.project import REPO_ROOT, add_story, build, new_project


def _run(site: Path, seconds: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tools.load_test", "--site", str(site), "--seconds", seconds,
                           "--connections", "8"], capture_output=True, text=True, timeout=120, cwd=REPO_ROOT)


def test_two_seconds_of_load_without_errors_and_a_missing_file_counts_as_one():
    if not Path("/usr/sbin/nginx").exists():
        pytest.fail("nginx is missing: run scripts/system-deps", pytrace=False)
    with tempfile.TemporaryDirectory(prefix="mzpress-load-test-") as base:
        base = Path(base)
        base.chmod(0o755)  # nginx's workers run as "nobody" when the tests run as root
        project = new_project(base / "project")
        for number in range(5):
            add_story(project, 2025, f"gaojian-{number}", title=f"测试稿件{number}", date=f"2025-03-0{number + 1} 09:00")
        site = base / "site"
        result = build(project, site)
        assert result.returncode == 0, result.stdout + result.stderr
        for folder in (site, *site.rglob("*")):
            if folder.is_dir():
                folder.chmod(0o755)
        good = _run(site, "2")
        assert good.returncode == 0, good.stdout + good.stderr
        figures = json.loads(good.stdout.strip().splitlines()[-1])
        assert figures["errors"] == 0 and figures["requests"] > 100 and "错误0个" in good.stdout
        (site / "stories/2025/gaojian-0/index.html").unlink()  # still listed in the manifest: nginx refuses it
        bad = _run(site, "1")
        assert bad.returncode == 1 and json.loads(bad.stdout.strip().splitlines()[-1])["errors"] > 0
        assert "/stories/2025/gaojian-0/: HTTP/1.1 403" in bad.stderr
