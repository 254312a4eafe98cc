"""``scripts/wheelhouse`` + ``scripts/bootstrap --offline``: install on a machine where pip cannot reach any index."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support.project import REPO_ROOT

pytestmark = pytest.mark.slow

_PROJECT_FILES = ("pyproject.toml", "README.md", "requirements", "scripts/bootstrap", "mzpress")


def _offline_env() -> dict[str, str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "VIRTUAL_ENV"))}
    # no configuration file, no index, and an index address that refuses connections if anything still asks
    environ.update(PIP_CONFIG_FILE=os.devnull, PIP_NO_INDEX="1", PIP_INDEX_URL="http://127.0.0.1:9/simple",
                   PIP_NO_CACHE_DIR="1", https_proxy="http://127.0.0.1:9", http_proxy="http://127.0.0.1:9")
    return environ


def _copy_project(dest: Path) -> Path:
    for name in _PROJECT_FILES:
        source, target = REPO_ROOT / name, dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            shutil.copy2(source, target)
    return dest


@pytest.fixture(scope="module")
def wheelhouse(tmp_path_factory):
    folder = tmp_path_factory.mktemp("wheelhouse")
    made = subprocess.run([str(REPO_ROOT / "scripts/wheelhouse"), str(folder)], capture_output=True, text=True,
                          timeout=900, cwd=REPO_ROOT)
    assert made.returncode == 0, made.stdout + made.stderr
    assert "已生成" in made.stdout and (folder / "lock.txt").read_bytes() == (REPO_ROOT / "requirements/lock.txt").read_bytes()
    return folder


def test_bootstrap_offline_installs_everything_from_the_wheel_folder(tmp_path, wheelhouse):
    project = _copy_project(tmp_path / "project")
    run = subprocess.run([str(project / "scripts/bootstrap"), "--offline", str(wheelhouse)], capture_output=True,
                         text=True, timeout=900, cwd=project, env=_offline_env())
    assert run.returncode == 0, run.stdout + run.stderr
    python = project / ".venv/bin/python"
    check = subprocess.run([str(python), "-c", "import mkdocs, material, git, boto3, jieba, mzpress.cli; print('ok')"],
                           capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert check.stdout.strip() == "ok", check.stderr
    again = subprocess.run([str(project / "scripts/bootstrap")], capture_output=True, text=True, timeout=120,
                           cwd=project, env=_offline_env())
    assert again.returncode == 0 and again.stdout == ""  # already installed: nothing to fetch


def test_bootstrap_offline_explains_a_wrong_or_incomplete_wheel_folder(tmp_path, wheelhouse):
    project = _copy_project(tmp_path / "project")
    partial = tmp_path / "partial"
    partial.mkdir()
    for wheel in wheelhouse.glob("*.whl"):
        if not wheel.name.lower().startswith("mkdocs_material"):
            os.link(wheel, partial / wheel.name)
    missing = subprocess.run([str(project / "scripts/bootstrap"), "--offline", str(partial)], capture_output=True,
                             text=True, timeout=900, cwd=project, env=_offline_env())
    assert missing.returncode == 1 and "scripts/wheelhouse" in missing.stderr, missing.stderr
    (partial / "lock.txt").write_text("mkdocs==0.1\n", encoding="utf-8")
    stale = subprocess.run([str(project / "scripts/bootstrap"), "--offline", str(partial)], capture_output=True,
                           text=True, timeout=60, cwd=project, env=_offline_env())
    assert stale.returncode == 2 and "另一版 requirements/lock.txt" in stale.stderr
    nothing = subprocess.run([str(project / "scripts/bootstrap"), "--offline"], capture_output=True, text=True,
                             timeout=60, cwd=project, env=_offline_env())
    assert nothing.returncode == 2 and "用法" in nothing.stderr
