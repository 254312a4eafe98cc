"""The text checks' findings kept in the build cache (checks/kept_findings.py).

A second check of an unchanged project judges no file again and reports exactly the same findings
(exemptions and site checks included); a changed file, a changed configuration file, mzpress' code or
another day judges again.
"""

from __future__ import annotations

import datetime as dt

import pytest

from mzpress.checks import kept_findings, runner
from mzpress.checks.runner import check_project
from mzpress.model.schema import TIMEZONE
from mzpress.text import page_rendering
from tests.support.personal_data import id18
from tests.support.project import new_project, write

NOW = dt.datetime(2026, 11, 30, tzinfo=TIMEZONE)
FRONT = "---\ntitle: {title}\ndate: 2025-01-01\nunit: office\nauthor: 甲\neditor: 乙\nsummary: 摘要\n---\n\n"


@pytest.fixture
def project(tmp_path):
    page_rendering.forget()
    root = new_project(tmp_path / "p")
    write(root / "content/stories/2025/leak.md", FRONT.format(title="名单") + f"身份证号{id18()}。\n")
    write(root / "content/stories/2025/exempt.md", FRONT.format(title="值班") +
          "值班电话 13812345678<!-- mzpress: allow privacy.mobile 局值班手机，按规定公开 -->\n")
    write(root / "content/stories/2025/plain.md", FRONT.format(title="敬老") + "城关镇开展敬老活动。\n")
    yield root
    page_rendering.forget()


def _judged(monkeypatch) -> list[str]:
    """Record every file the text checks judge (instead of loading what was kept)."""
    judged: list[str] = []
    checks = runner.text_checks()

    def recording(source, ctx):
        judged.append(source.relpath)
        return []
    monkeypatch.setattr(runner, "text_checks", lambda: (recording, *checks))
    return judged


def _mine(findings):
    return sorted((f.file, f.rule, f.line, f.severity.value) for f in findings if f.file.startswith("content/stories"))


def test_an_unchanged_project_is_not_judged_again_and_reports_the_same(project, monkeypatch):
    _, first = check_project(project, NOW)
    assert ("content/stories/2025/leak.md", "privacy.id-number") in {(f, r) for f, r, _, _ in _mine(first)}
    assert not any(f.rule == "privacy.mobile" and f.severity.value == "error" for f in first)  # exempted
    judged = _judged(monkeypatch)
    page_rendering.forget()
    _, second = check_project(project, NOW)
    assert judged == []
    assert second == first


def test_a_changed_file_or_configuration_file_is_judged_again(project, monkeypatch):
    check_project(project, NOW)
    judged = _judged(monkeypatch)
    path = project / "content/stories/2025/plain.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n补充一句。\n", encoding="utf-8")
    check_project(project, NOW)
    assert judged == ["content/stories/2025/plain.md"]
    judged.clear()
    wording = project / "site_config" / "wording.yml"
    wording.write_text(wording.read_text(encoding="utf-8") + "\n# 修改\n", encoding="utf-8")
    check_project(project, NOW)
    assert {"content/stories/2025/leak.md", "content/stories/2025/plain.md"} <= set(judged)


def test_another_day_or_another_mzpress_is_judged_again(project, monkeypatch):
    check_project(project, NOW)
    judged = _judged(monkeypatch)

    tomorrow = dt.date.today() + dt.timedelta(days=1)

    class Tomorrow(dt.date):
        @classmethod
        def today(cls):
            return tomorrow

    monkeypatch.setattr(kept_findings.dt, "date", Tomorrow)
    check_project(project, NOW)
    assert "content/stories/2025/plain.md" in judged
    monkeypatch.undo()
    judged = _judged(monkeypatch)
    check_project(project, NOW)
    assert judged == []
    monkeypatch.setattr(kept_findings, "code_fingerprint", lambda: "another mzpress")
    check_project(project, NOW)
    assert "content/stories/2025/plain.md" in judged


def test_without_the_cache_every_file_is_judged(project, monkeypatch):
    check_project(project, NOW)
    monkeypatch.setenv("MZPRESS_NO_CACHE", "1")
    judged = _judged(monkeypatch)
    check_project(project, NOW)
    assert "content/stories/2025/plain.md" in judged


def test_the_wording_configurations_problems_are_reported_by_every_run(project):
    wording = project / "site_config" / "wording.yml"
    wording.write_text(wording.read_text(encoding="utf-8").replace(
        "category: typo, source: bureau-brand", "category: 错字类, source: bureau-brand"), encoding="utf-8")
    _, first = check_project(project, NOW)
    problems = [f for f in first if f.file.startswith("site_config/wording")]
    assert problems
    page_rendering.forget()
    _, second = check_project(project, NOW)  # every file's findings kept
    assert [f for f in second if f.file.startswith("site_config/wording")] == problems
    _, partial = check_project(project, NOW, only={"stories/2025/plain.md"})
    assert [f for f in partial if f.file.startswith("site_config/wording")] == problems
