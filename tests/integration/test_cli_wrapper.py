"""``scripts/mzpress``: the one way README and every hint run the command, from any folder (issue 28, item 1).

The wrapper finds its project from its own location, sets up ``.venv`` on first use (``scripts/bootstrap``,
whose messages go to stderr), and runs ``.venv/bin/mzpress`` in the current folder, so that file names are
read from where the writer is. Inside the project the command finds the project itself; outside it, the
wrapper adds ``--root`` with its own project.

The first tests run a copy of the wrapper in a temporary project whose ``bootstrap`` and ``mzpress`` are
stubs that report what they were given; the last ones run the real command through a copy of the wrapper
in a temporary project that shares this repository's ``.venv``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support.project import BUILD_DATE, REPO_ROOT, add_story, new_project

WRAPPER = REPO_ROOT / "scripts" / "mzpress"

STUB_BOOTSTRAP = """\
#!/usr/bin/env bash
set -euo pipefail
cd "$(dirname "$0")/.."
echo "bootstrap ran"
mkdir -p .venv/bin
cat > .venv/bin/mzpress <<'EOF'
#!/usr/bin/env bash
echo "cwd=$(pwd -P)"
echo "no_mkdocs_2_warning=${NO_MKDOCS_2_WARNING:-}"
for arg in "$@"; do echo "arg=$arg"; done
exit "${STUB_EXIT:-0}"
EOF
chmod +x .venv/bin/mzpress
echo stamp > .venv/.mzpress-installed
"""


def _run(command: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "MZPRESS_BUILD_DATE": BUILD_DATE, **env})


def _project_with_wrapper(root: Path) -> Path:
    """A folder laid out as a project (site_config/, content/) with a copy of the wrapper."""
    (root / "site_config").mkdir(parents=True)
    (root / "content" / "stories" / "2026").mkdir(parents=True)
    (root / "scripts").mkdir()
    shutil.copy2(WRAPPER, root / "scripts" / "mzpress")
    return root.resolve()


@pytest.fixture
def stub_project(tmp_path) -> Path:
    project = _project_with_wrapper(tmp_path / "site")
    bootstrap = project / "scripts" / "bootstrap"
    bootstrap.write_text(STUB_BOOTSTRAP, encoding="utf-8")
    bootstrap.chmod(0o755)
    return project


def _seen(result: subprocess.CompletedProcess) -> tuple[str, list[str]]:
    lines = result.stdout.splitlines()
    cwd = next(line[len("cwd="):] for line in lines if line.startswith("cwd="))
    return cwd, [line[len("arg="):] for line in lines if line.startswith("arg=")]


def test_the_wrapper_is_executable_bash():
    assert os.access(WRAPPER, os.X_OK)
    assert WRAPPER.read_text(encoding="utf-8").startswith("#!/usr/bin/env bash\n")
    assert subprocess.run(["bash", "-n", str(WRAPPER)]).returncode == 0


def test_from_a_subfolder_it_sets_up_once_and_runs_in_that_folder(stub_project):
    folder = stub_project / "content" / "stories" / "2026"
    first = _run(["../../../scripts/mzpress", "check", "a.md"], folder)
    assert first.returncode == 0, first.stderr
    assert "bootstrap ran" in first.stderr and "bootstrap ran" not in first.stdout  # stdout stays the command's
    assert _seen(first) == (str(folder), ["check", "a.md"])  # no --root: the command finds the project itself
    assert "no_mkdocs_2_warning=1" in first.stdout

    again = _run([str(stub_project / "scripts" / "mzpress"), "check", "a.md"], folder)
    assert again.returncode == 0 and again.stderr == ""  # set up already: bootstrap is not run again
    assert _seen(again) == (str(folder), ["check", "a.md"])


def test_outside_the_project_it_names_its_project_with_root(stub_project, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = _run([str(stub_project / "scripts" / "mzpress"), "check", "../site/content/a.md"], elsewhere)
    assert result.returncode == 0, result.stderr
    assert _seen(result) == (str(elsewhere.resolve()),
                             ["--root", str(stub_project), "check", "../site/content/a.md"])


def test_through_a_symlink_it_finds_the_real_project(stub_project, tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "mzpress").symlink_to(stub_project / "scripts" / "mzpress")
    result = _run([str(bin_dir / "mzpress"), "--version"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert _seen(result)[1] == ["--root", str(stub_project), "--version"]
    assert (stub_project / ".venv" / "bin" / "mzpress").is_file()  # set up in the project, not next to the link


def test_arguments_and_exit_code_pass_through_unchanged(stub_project):
    result = _run([str(stub_project / "scripts" / "mzpress"), "new", "story", "有 空格 的标题", "--unit", "office"],
                  stub_project, STUB_EXIT="3")
    assert result.returncode == 3
    assert _seen(result)[1] == ["new", "story", "有 空格 的标题", "--unit", "office"]


# --- the real command ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_project(tmp_path_factory) -> Path:
    """A project with the sample configuration, one clean and one broken story, and this repository's .venv."""
    if not (REPO_ROOT / ".venv" / "bin" / "mzpress").is_file():
        pytest.skip("needs the repository's .venv (scripts/bootstrap)")
    project = new_project(tmp_path_factory.mktemp("wrapped") / "site")
    add_story(project, 2026, "good", title="敬老院开展义诊活动", date="2026-05-01")
    add_story(project, 2026, "bad", title="社区开展志愿服务", date="2026-05-02", summary="")
    (project / "scripts").mkdir()
    shutil.copy2(WRAPPER, project / "scripts" / "mzpress")
    (project / ".venv").symlink_to(REPO_ROOT / ".venv")
    return project.resolve()


def _check(project: Path, cwd: Path, *paths: str) -> tuple[int, list[dict]]:
    result = _run([str(project / "scripts" / "mzpress"), "check", "--format", "json", *paths], cwd)
    assert result.returncode in (0, 1), result.stderr[-3000:]
    assert "pkg_resources" not in result.stderr and "Traceback" not in result.stderr, result.stderr[-3000:]
    return result.returncode, json.loads(result.stdout)


def _files_with_errors(findings: list[dict]) -> set[str]:
    return {f["file"] for f in findings if f["severity"] == "error"}


def test_real_check_from_a_story_folder_reads_file_names_from_there(real_project):
    folder = real_project / "content" / "stories" / "2026"
    code, findings = _check(real_project, folder, "bad.md")
    assert code == 1 and _files_with_errors(findings) == {"content/stories/2026/bad.md"}
    code, findings = _check(real_project, folder, "good.md")
    assert (code, [f for f in findings if f["severity"] == "error"]) == (0, [])


def test_real_check_from_outside_the_project_with_a_relative_path(real_project):
    outside = real_project.parent  # a temporary folder under /tmp, not inside any project
    code, findings = _check(real_project, outside, "site/content/stories/2026/bad.md")
    assert code == 1 and _files_with_errors(findings) == {"content/stories/2026/bad.md"}


def test_the_repository_wrapper_runs_from_tmp_and_from_a_subfolder(tmp_path):
    if not (REPO_ROOT / ".venv" / "bin" / "mzpress").is_file():
        pytest.skip("needs the repository's .venv (scripts/bootstrap)")
    for cwd in (tmp_path, REPO_ROOT / "content"):
        result = _run([str(WRAPPER), "--version"], cwd)
        assert result.returncode == 0 and result.stdout.strip().startswith("mzpress "), result.stderr[-3000:]
        assert result.stderr == ""
