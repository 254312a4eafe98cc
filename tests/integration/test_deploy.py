"""scripts/deploy: a complete copy first, then an atomic switch of the `current` symlink."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from tests.support.project import REPO_ROOT

DEPLOY = REPO_ROOT / "scripts/deploy"


def _site(path: Path, marker: str) -> Path:
    (path / "stories").mkdir(parents=True, exist_ok=True)
    (path / "index.html").write_text(f"<h1>{marker}</h1>", encoding="utf-8")
    (path / "stories/index.html").write_text(marker, encoding="utf-8")
    return path


def _deploy(site: Path | None, target: Path | None, **env) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("MZPRESS_")}
    if target is not None:
        environ["MZPRESS_DEPLOY_DIR"] = str(target)
    if site is not None:
        environ["MZPRESS_SITE_DIR"] = str(site)
    environ.update(env)
    return subprocess.run([str(DEPLOY)], capture_output=True, text=True, env=environ, timeout=120)


def test_deploy_switches_current_to_a_complete_copy(tmp_path):
    target = tmp_path / "www"
    first = _deploy(_site(tmp_path / "one", "第一版"), target)
    assert first.returncode == 0, first.stderr
    current = target / "current"
    assert current.is_symlink() and (current / "index.html").read_text(encoding="utf-8") == "<h1>第一版</h1>"
    old_release = os.readlink(current)
    second = _deploy(_site(tmp_path / "two", "第二版"), target)
    assert second.returncode == 0, second.stderr
    assert os.readlink(current) != old_release and (current / "stories/index.html").read_text("utf-8") == "第二版"
    assert (target / old_release / "index.html").read_text(encoding="utf-8") == "<h1>第一版</h1>"  # kept
    assert not [p for p in target.rglob(".*")]  # no temporary leftovers


def test_deploy_keeps_only_the_newest_releases(tmp_path):
    target = tmp_path / "www"
    for number in range(4):
        result = _deploy(_site(tmp_path / f"s{number}", f"v{number}"), target, MZPRESS_KEEP_RELEASES="2")
        assert result.returncode == 0, result.stderr
    releases = sorted(p.name for p in (target / "releases").iterdir())
    assert len(releases) == 2 and f"releases/{releases[-1]}" == os.readlink(target / "current")
    assert (target / "current/index.html").read_text(encoding="utf-8") == "<h1>v3</h1>"


def test_deploy_fails_clearly_without_a_target(tmp_path):
    result = _deploy(_site(tmp_path / "s", "x"), None)
    assert result.returncode == 2 and "MZPRESS_DEPLOY_DIR" in result.stderr


def test_deploy_fails_clearly_without_a_built_site(tmp_path):
    result = _deploy(tmp_path / "missing", tmp_path / "www")
    assert result.returncode == 2 and "scripts/build" in result.stderr
    assert not (tmp_path / "www" / "current").exists()


def test_deploy_refuses_to_replace_a_real_directory(tmp_path):
    target = tmp_path / "www"
    (target / "current").mkdir(parents=True)
    (target / "current/keep.html").write_text("旧网站", encoding="utf-8")
    result = _deploy(_site(tmp_path / "s", "x"), target)
    assert result.returncode == 2 and "不是符号链接" in result.stderr
    assert (target / "current/keep.html").read_text(encoding="utf-8") == "旧网站"


def test_deploy_rejects_a_bad_release_count(tmp_path):
    result = _deploy(_site(tmp_path / "s", "x"), tmp_path / "www", MZPRESS_KEEP_RELEASES="all")
    assert result.returncode == 2 and "MZPRESS_KEEP_RELEASES" in result.stderr
