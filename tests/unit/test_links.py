import datetime as dt

import pytest

from mzpress.checks.context import CheckContext
from mzpress.checks.links import check_internal_links
from mzpress.model.content import load_site
from mzpress.model.schema import TIMEZONE
from tests.support.project import add_story, new_project, write

NOW = dt.datetime(2026, 11, 30, 23, 0, tzinfo=TIMEZONE)


@pytest.fixture
def project(tmp_path):
    root = new_project(tmp_path / "p")
    add_story(root, 2025, "target", title="目标", date="2025-01-01", topics=("xiaoxian",))
    add_story(root, 2025, "draft", title="草", date="2025-01-02", extra="draft: true\n")
    write(root / "content/stories/2025/images/ok.jpg", "not checked here")
    return root


def _findings(root, body):
    add_story(root, 2025, "source", title="来源", date="2025-02-01", body=body)
    site, _ = load_site(root, NOW)
    return [f for f in check_internal_links(site, CheckContext(root, site.config)) if f.file.endswith("source.md")]


GOOD = [
    "[目标](target.md)", "[目标](../2025/target.md#part)", "![图](images/ok.jpg)", "[专题](../../topics/xiaoxian.md)",
    "[目录式](../target/)", "[归档](/stories/)", "[外部](https://www.gov.cn/)", "[锚点](#top)",
    "[邮件](mailto:a@example.gov.cn)", '<a href="target.md">HTML 链接</a>', "`[代码](none.md)`",
]


@pytest.mark.parametrize("body", GOOD)
def test_links_that_resolve_are_quiet(project, body):
    assert _findings(project, body) == []


@pytest.mark.parametrize("body, rule, fragment", [
    ("第一行\n\n见[旧稿](missing.md)", "links.broken", "不存在"),
    ("![照片](images/none.jpg)", "images.missing", "不存在"),
    ("[草稿](draft.md)", "links.broken", "尚未发布"),
    ("[目录式](../nothing/)", "links.broken", "找不到"),
    ('<img src="images/gone.png" alt="x">', "images.missing", "不存在"),
    ("[外面](../../../../etc/passwd)", "links.broken", "之外"),
])
def test_dead_links_are_errors_with_position(project, body, rule, fragment):
    (finding,) = _findings(project, body)
    assert finding.rule == rule and fragment in finding.message
    assert finding.line >= 9 and finding.column >= 1


def test_position_is_line_and_column_in_the_file(project):
    (finding,) = _findings(project, "第一行\n\n见[旧稿](missing.md)")
    text = (project / "content/stories/2025/source.md").read_text(encoding="utf-8").split("\n")
    assert text[finding.line - 1][finding.column - 1:].startswith("missing.md")
