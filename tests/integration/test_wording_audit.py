"""``mzpress wording-audit``: every entry in effect names its source, or the command says which do not."""

from __future__ import annotations

import subprocess
import sys

from tests.support.project import REPO_ROOT, new_project


def _audit(root, *args):
    return subprocess.run([sys.executable, "-m", "mzpress.cli", "--root", str(root), "wording-audit", *args],
                          capture_output=True, text=True, timeout=120, cwd=REPO_ROOT)


def test_the_repository_dictionary_is_fully_sourced_and_listed():
    result = _audit(REPO_ROOT)
    assert result.returncode == 0 and "每条规则都写明了依据" in result.stdout, result.stdout + result.stderr
    listing = _audit(REPO_ROOT, "--list")
    lines = [line for line in listing.stdout.splitlines() if "依据：" in line]
    assert len(lines) >= 250 and "（缺少依据）" not in listing.stdout
    assert any("五保户 -> 特困人员，自2014-05-01起" in line and "国务院令第649号" in line for line in lines)


def test_an_entry_without_a_source_is_listed_with_file_and_line(tmp_path):
    project = new_project(tmp_path / "project")
    (project / "site_config/wording.yml").write_text(
        "starter: true\nrules:\n"
        "  - {wrong: 孝闲文化, right: 孝贤文化, category: typo, source: 《示例县民政局文化品牌规范》（示民发〔2026〕1号）, note: 品牌}\n"
        "  - {wrong: 老年活动室, right: 老年人活动中心, category: non-standard, note: 没有依据}\n", encoding="utf-8")
    result = _audit(project)
    assert result.returncode == 1
    assert "site_config/wording.yml:4：“老年活动室”" in result.stderr and "孝闲文化" not in result.stderr, result.stderr
