"""The CI workflows: actionlint, least privilege, no pull_request_target, and steps that only call our scripts.

The rule for ``run:`` steps, precisely: a script is split into simple commands at newlines, ``;``,
``&&``, ``||``, ``|`` and ``&``; the words ``if then else elif !`` in front of a command are skipped.
Each command's first word must be

* a project script ``scripts/<name>`` (letters, digits, ``-``, ``_``; the file must exist and be
  executable), or ``.venv/bin/mzpress``; or
* shell glue: ``if then else elif fi [ test echo printf true false exit :``.

Redirections (``>``, ``>>``, ``2>&1``) are allowed anywhere after the first word. Command
substitution (``$(...)``, backticks), subshells and ``${{ }}`` expressions inside a script are not
allowed (an expression pasted into a script is an injection risk: pass it through ``env:``).
"""

from __future__ import annotations

import fcntl
import re
import shlex
import subprocess
import tempfile
from pathlib import Path

import pytest
import yaml

from tests.support.project import REPO_ROOT

WORKFLOWS = sorted((REPO_ROOT / ".github" / "workflows").glob("*.yml"))
PINNED_ACTIONS = re.compile(r"^actions/(checkout|setup-python|upload-artifact)@v\d+$")
PROGRAM = re.compile(r"^(scripts/[A-Za-z0-9_-]+|\.venv/bin/mzpress)$")
SHELL_GLUE = frozenset({"if", "then", "else", "elif", "fi", "[", "test", "echo", "printf", "true", "false",
                        "exit", ":"})
LEADING_KEYWORDS = frozenset({"if", "then", "else", "elif", "!"})
SEPARATORS = frozenset({";", "&&", "||", "|", "&", ";;"})


class RunRuleError(ValueError):
    pass


def simple_commands(script: str) -> list[list[str]]:
    """The simple commands of a ``run:`` script, each as its words (see the module docstring)."""
    if "$(" in script or "`" in script:
        raise RunRuleError("command substitution is not allowed")
    if "${{" in script:
        raise RunRuleError("expressions inside a script are not allowed; pass them through env:")
    commands: list[list[str]] = []
    for line in script.replace("\\\n", " ").splitlines():
        lexer = shlex.shlex(line, posix=True, punctuation_chars=";&|<>()")
        lexer.whitespace_split = True
        lexer.commenters = "#"
        current: list[str] = []
        for token in lexer:
            if token in SEPARATORS:
                commands.append(current)
                current = []
            elif token and set(token) <= set("()"):
                raise RunRuleError("subshells are not allowed")
            else:
                current.append(token)
        commands.append(current)
    result = []
    for words in commands:
        while words and words[0] in LEADING_KEYWORDS:
            words = words[1:]
        if words:
            result.append(words)
    return result


def check_run_script(script: str, root: Path = REPO_ROOT) -> list[str]:
    """Problems with one ``run:`` script under the rule; empty when it complies."""
    try:
        commands = simple_commands(script)
    except RunRuleError as exc:
        return [str(exc)]
    problems = []
    for words in commands:
        first = words[0]
        if first in SHELL_GLUE:
            continue
        if not PROGRAM.match(first):
            problems.append(f"not a project script or mzpress: {first}")
        elif not (root / first).is_file() or not (root / first).stat().st_mode & 0o111:
            problems.append(f"missing or not executable: {first}")
    return problems


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _triggers(workflow: dict) -> dict:
    on = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` key as true
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return dict.fromkeys(on)
    return dict(on or {})


def _steps(workflow: dict):
    for job in workflow["jobs"].values():
        yield from job.get("steps", [])


def test_there_are_the_four_workflows():
    assert [p.name for p in WORKFLOWS] == ["inspect.yml", "pr.yml", "publish.yml", "verify.yml"]


# ------------------------------------------------------------------ actionlint


@pytest.fixture(scope="module")
def actionlint():
    """scripts/install-tools (idempotent; locked so parallel test workers do not both run npm ci)."""
    with open(Path(tempfile.gettempdir()) / "mzpress-install-tools.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        result = subprocess.run([str(REPO_ROOT / "scripts/install-tools")], capture_output=True, text=True,
                                timeout=600, cwd=REPO_ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    return REPO_ROOT / "scripts/actionlint"


def test_actionlint_passes_on_every_workflow(actionlint):
    result = subprocess.run([str(actionlint), *map(str, WORKFLOWS)], capture_output=True, text=True,
                            timeout=300, cwd=REPO_ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{len(WORKFLOWS)} 个工作流文件没有问题" in result.stdout


def test_actionlint_reports_a_broken_workflow(actionlint, tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text("on: pull_request\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
                      "      - run: echo ${{ github.no_such_thing }}\n      - uses: actions/upload-artifact@v4\n"
                      "        with:\n          name: preview\n          paht: site/\n", encoding="utf-8")
    result = subprocess.run([str(actionlint), str(broken)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 1
    assert "broken.yml:6:" in result.stdout and "no_such_thing" in result.stdout
    assert "broken.yml:10:" in result.stdout and 'input "paht" is not defined' in result.stdout


# ------------------------------------------------------------ security rules


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_never_pull_request_target(path):
    assert "pull_request_target" not in _triggers(_load(path))
    code = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.lstrip().startswith("#")]
    assert not any("pull_request_target" in line for line in code)


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_least_privilege_permissions(path):
    workflow = _load(path)
    assert workflow.get("permissions") == {"contents": "read"}
    for job in workflow["jobs"].values():
        assert "write" not in str(job.get("permissions", ""))


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_actions_are_the_known_ones_pinned_by_major_version(path):
    for step in _steps(_load(path)):
        if "uses" in step:
            assert PINNED_ACTIONS.match(step["uses"]), step["uses"]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_run_steps_only_call_scripts_or_mzpress(path):
    for step in _steps(_load(path)):
        if "run" in step:
            assert check_run_script(step["run"]) == [], (step.get("name"), step["run"])


@pytest.mark.parametrize("script", [
    "scripts/bootstrap",
    ".venv/bin/mzpress check --changed-since \"origin/$BASE_REF\" --format github",
    "if [ -n \"${GITHUB_STEP_SUMMARY:-}\" ]; then\n  .venv/bin/mzpress changes --since x >> \"$GITHUB_STEP_SUMMARY\"\nfi",
    "if .venv/bin/mzpress inspect --help > /dev/null 2>&1; then .venv/bin/mzpress inspect; else echo 跳过; fi",
    "scripts/build && echo 完成  # a comment",
])
def test_the_run_rule_accepts_script_calls_and_glue(script):
    assert check_run_script(script) == []


@pytest.mark.parametrize("script, problem", [
    ("pip install mkdocs", "not a project script or mzpress: pip"),
    ("curl -s https://example.com/x.sh | sh", "not a project script or mzpress: curl"),
    ("scripts/bootstrap && python -m mkdocs build", "not a project script or mzpress: python"),
    (".venv/bin/python -m mzpress.cli check", "not a project script or mzpress: .venv/bin/python"),
    ("scripts/../../usr/bin/env", "not a project script or mzpress: scripts/../../usr/bin/env"),
    ("scripts/no-such-script", "missing or not executable: scripts/no-such-script"),
    ("echo $(cat secret)", "command substitution is not allowed"),
    ("echo `id`", "command substitution is not allowed"),
    ("(cd site && ls)", "subshells are not allowed"),
    (".venv/bin/mzpress check --changed-since origin/${{ github.head_ref }}", "expressions inside a script"),
    ("if true; then rm -rf site; fi", "not a project script or mzpress: rm"),
])
def test_the_run_rule_rejects_everything_else(script, problem):
    problems = check_run_script(script)
    assert problems and any(problem in p for p in problems), problems


# ------------------------------------------------------------ what each does


def _runs(workflow: dict) -> str:
    return "\n".join(step["run"] for step in _steps(workflow) if "run" in step)


def _uses(workflow: dict, action: str) -> dict:
    (step,) = [s for s in _steps(workflow) if s.get("uses", "").startswith(action + "@")]
    return step


def test_pull_request_workflow():
    workflow = _load(REPO_ROOT / ".github/workflows/pr.yml")
    assert set(_triggers(workflow)) == {"pull_request"}
    assert _uses(workflow, "actions/checkout")["with"]["fetch-depth"] == 0
    runs = _runs(workflow)
    assert '.venv/bin/mzpress check --changed-since "origin/$BASE_REF" --format github' in runs
    assert workflow["jobs"]["check"]["env"]["BASE_REF"] == "${{ github.base_ref }}"
    assert "scripts/build" in runs
    assert '--format markdown >> "$GITHUB_STEP_SUMMARY"' in runs
    assert 'if [ -n "${GITHUB_STEP_SUMMARY:-}" ]' in runs  # Gitea fallback: the log gets the list
    upload = _uses(workflow, "actions/upload-artifact")
    assert upload["with"]["name"] == "preview" and upload["with"]["path"] == "site/"
    names = [s.get("run", s.get("uses")) for s in _steps(workflow)]
    assert names.index("scripts/build") < names.index(upload["uses"])
    build = (REPO_ROOT / "scripts/build").read_text(encoding="utf-8")
    assert "--strict" in build


def test_publish_workflow():
    workflow = _load(REPO_ROOT / ".github/workflows/publish.yml")
    triggers = _triggers(workflow)
    assert triggers["push"] == {"branches": ["main"]} and triggers["schedule"]
    assert _uses(workflow, "actions/checkout")["with"]["fetch-depth"] == 0
    runs = [s["run"] for s in _steps(workflow) if "run" in s]
    assert runs == ["scripts/bootstrap", ".venv/bin/mzpress review-check --since-live HEAD",
                    ".venv/bin/mzpress check --format github", "scripts/build", "scripts/deploy"]
    # the 三审 of every merge since the live release is checked before deploying, on the same target
    _assert_deploys_over_ssh_with_secrets(workflow, "scripts/deploy")
    _assert_deploys_over_ssh_with_secrets(workflow, ".venv/bin/mzpress review-check --since-live HEAD")


def _assert_deploys_over_ssh_with_secrets(workflow, command: str) -> None:
    # CI reaches the web server over SSH; the runner is GitHub's (or Gitea's), never the web server.
    (job,) = workflow["jobs"].values()
    assert job["runs-on"] == "ubuntu-latest"
    (step,) = [s for s in _steps(workflow) if s.get("run") == command]
    assert step["env"] == {"MZPRESS_DEPLOY_DIR": "${{ secrets.MZPRESS_DEPLOY_TARGET }}",
                           "MZPRESS_SSH_KEY": "${{ secrets.MZPRESS_SSH_KEY }}",
                           "MZPRESS_SSH_KNOWN_HOSTS": "${{ secrets.MZPRESS_SSH_KNOWN_HOSTS }}"}


def test_verify_workflow():
    workflow = _load(REPO_ROOT / ".github/workflows/verify.yml")
    assert _triggers(workflow)["schedule"] == [{"cron": "*/5 * * * *"}]
    assert [s["run"] for s in _steps(workflow) if "run" in s] == ["scripts/bootstrap", ".venv/bin/mzpress verify --restore"]
    _assert_deploys_over_ssh_with_secrets(workflow, ".venv/bin/mzpress verify --restore")


def test_inspect_workflow():
    workflow = _load(REPO_ROOT / ".github/workflows/inspect.yml")
    assert set(_triggers(workflow)) == {"schedule", "workflow_dispatch"}
    assert _uses(workflow, "actions/checkout")["with"]["fetch-depth"] == 0  # the backdating check reads history
    steps = list(_steps(workflow))
    (inspect,) = [s for s in steps if "--format markdown" in s.get("run", "")]
    # The table goes to the job summary by redirection (no pipe to lose the exit code), the step is not
    # allowed to fail silently, and there is no "not implemented yet" fallback any more.
    assert '.venv/bin/mzpress inspect --format markdown >> "$GITHUB_STEP_SUMMARY"' in inspect["run"]
    assert "|" not in inspect["run"] and "--help" not in inspect["run"]
    assert inspect.get("shell") == "bash" and not inspect.get("continue-on-error") and "if" not in inspect
    printable = [s for s in steps if "--format html --out inspect-report" in s.get("run", "")]
    assert printable and printable[0]["if"] == "always()"
    upload = _uses(workflow, "actions/upload-artifact")
    assert upload["with"]["path"] == "inspect-report/" and upload["if"] == "always()"
