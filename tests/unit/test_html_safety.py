"""HTML and link safety: allowlist, forbidden tags, event handlers, unsafe URLs, external links."""

from __future__ import annotations

from pathlib import Path

import pytest

from mzpress.checks.context import CheckContext
from mzpress.checks.html_safety import (
    LinkPolicy,
    check_html_safety,
    html_safety_findings,
    link_policy,
    unsafe_scheme,
)
from mzpress.checks.registry import text_checks
from mzpress.model.config import SiteConfig, require_config
from mzpress.model.findings import Severity
from mzpress.model.site_settings import LinkSettings, SiteSettings
from mzpress.model.source_text import SourceFile
from tests.support.project import REPO_ROOT

POLICY = LinkPolicy(("gov.cn", "example.gov.cn"), ("mz.example.org",))
FRONT = "---\ntitle: 测试\n---\n\n"


def findings_for(body: str):
    return html_safety_findings(FRONT + body, "a.md", POLICY)


def rules_at(body: str):
    return [(f.rule, f.severity, f.line, f.column) for f in findings_for(body)]


@pytest.mark.parametrize("tag", ["script", "iframe", "object", "embed", "form", "style"])
def test_forbidden_tags_are_errors(tag):
    body = f"第一段。\n\n前文<{tag}>x</{tag}>\n"
    assert rules_at(body) == [("html.forbidden-tag", Severity.ERROR, 7, 3)]
    assert f"<{tag}>" in findings_for(body)[0].message


def test_tags_outside_the_allowlist_are_errors_and_allowed_tags_pass():
    body = ('<div class="note" markdown>\n<p>段落<br>换行<span title="t">文字</span><sup>1</sup></p>\n</div>\n'
            '<figure><img src="images/a.jpg" alt="图" width="300"><figcaption>说明</figcaption></figure>\n'
            '<table><thead><tr><th>姓名</th></tr></thead><tbody><tr><td colspan="2">王*</td></tr></tbody></table>\n'
            '<details><summary>更多</summary><abbr title="最低生活保障">低保</abbr></details>\n'
            '<a href="https://www.mca.gov.cn/">民政部</a>\n')
    assert findings_for(body) == []
    assert rules_at("文字<font color=red>红</font>\n") == [
        ("html.tag-not-allowed", Severity.ERROR, 5, 3),
        ("html.attribute-not-allowed", Severity.WARNING, 5, 9)]


def test_event_handlers_are_errors_at_the_attribute_even_on_a_later_line():
    body = '<img src="a.png" alt="x"\n     onerror="alert(1)">\n<p onclick="go()">段落</p>\n'
    assert rules_at(body) == [
        ("html.event-handler", Severity.ERROR, 6, 6),
        ("html.event-handler", Severity.ERROR, 7, 4)]


@pytest.mark.parametrize("body, column", [
    ("[点此](javascript:alert(1))\n", 6),
    ("![图](JavaScript:alert(1))\n", 6),
    ('<a href="&#106;avascript:alert(1)">x</a>\n', 4),
    ('<a href="java\tscript:alert(1)">x</a>\n', 4),
    ('<a href="vbscript:msgbox(1)">x</a>\n', 4),
    ('<img src="x.png" alt="x"> <a href="data:text/html;base64,PHNjcmlwdD4=">x</a>\n', 30),
    ("[参考]: javascript:alert(1)\n", 7),
    ("<javascript:alert(1)>\n", 2),
])
def test_unsafe_urls_are_errors_in_html_and_markdown(body, column):
    found = rules_at(body)
    assert found == [("html.unsafe-url", Severity.ERROR, 5, column)]


def test_unsafe_scheme_normalisation():
    assert unsafe_scheme(" JAVA\nSCRIPT:alert(1)") == "javascript:"
    assert unsafe_scheme("&#x6A;avascript:x") == "javascript:"
    assert unsafe_scheme("data:text/html,x") == "data:text/html"
    assert unsafe_scheme("data:image/png;base64,xx") is None
    assert unsafe_scheme("https://www.gov.cn/") is None


def test_attribute_lists_cannot_add_handlers_or_styles():
    body = '[民政部](https://www.mca.gov.cn){: onclick="alert(1)" style="color:red" }\n![图](a.jpg){: width="300" }\n'
    assert rules_at(body) == [
        ("html.event-handler", Severity.ERROR, 5, 33),
        ("html.attribute-not-allowed", Severity.WARNING, 5, 52)]
    assert rules_at("数学{a=b}不是属性列表\n") == []


def test_external_links_outside_allowed_domains_are_warnings():
    body = ("[民政部](https://www.mca.gov.cn/a) [县政府](http://www.example.gov.cn) [本站](https://mz.example.org/x)\n"
            "[百度](https://www.baidu.com/s?q=1)\n"
            "![外部图片](http://img.example.com/a.png)\n"
            '<a href="https://evil.gov.cn.example.com/">仿冒</a>\n'
            "网址https://mp.weixin.qq.com/s/abc，请查看。<https://foo.org>\n"
            "[站内](../about/index.md) [邮件](mailto:mz@example.gov.cn) [电话](tel:0000)\n")
    found = sorted((f.rule, f.line, f.column, f.message) for f in findings_for(body))
    assert [(r, line, col) for r, line, col, _ in found] == [
        ("links.external", 6, 6),
        ("links.external", 7, 9),
        ("links.external", 8, 4),
        ("links.external", 9, 3),
        ("links.external", 9, 39),
    ]
    assert "www.baidu.com" in found[0][3]
    assert all(f.severity is Severity.WARNING for f in findings_for(body))


def test_code_is_shown_not_run():
    body = "```html\n<script>alert(1)</script>\n```\n\n行内 `<iframe src=x>` 代码。\n    \n"
    assert findings_for(body) == []


def test_front_matter_and_comments_and_plain_less_than_are_fine():
    text = "---\ntitle: <script>\n---\n\n<!-- mzpress: allow wording.typo 原文 -->\n1<2 和 a<b 与 <<民法典>>\n"
    assert html_safety_findings(text, "a.md", POLICY) == []


def test_sample_content_is_clean():
    policy = link_policy(require_config(REPO_ROOT))
    found = []
    for path in sorted((REPO_ROOT / "content").rglob("*.md")):
        found += html_safety_findings(path.read_text(encoding="utf-8"), path.as_posix(), policy)
    assert found == []


def _config(domains: tuple[str, ...], url: str = "") -> SiteConfig:
    """A configuration whose site.yml has ``url`` and ``links: {allowed_domains}`` (as load_config reads them)."""
    return SiteConfig(Path("."), SiteSettings(url=url, links=LinkSettings(domains)))


def test_link_policy_from_config_and_defaults():
    default = link_policy(None)
    assert default.domains == ("gov.cn",)
    assert default.external_host("https://www.mca.gov.cn/") is None
    assert default.external_host("https://www.example.com/") == "www.example.com"
    configured = link_policy(_config(("gov.cn", "people.com.cn"), "https://mz.example.org/"))
    assert configured.external_host("http://www.people.com.cn/a") is None
    assert configured.external_host("https://mz.example.org/b") is None
    assert configured.external_host("https://notgov.cn/") == "notgov.cn"
    assert link_policy(SiteConfig(Path("."))).domains == ("gov.cn",)  # no links: section


def test_check_reads_config_through_context_and_only_runs_on_markdown():
    text = "[外部](https://www.example.com/)\n"
    md = SourceFile(Path("a.md"), "a.md", text.encode(), text)
    allowed = CheckContext(root=Path("."), config=_config(("example.com",)))
    assert check_html_safety(md, allowed) == []
    assert [f.rule for f in check_html_safety(md, CheckContext(root=Path(".")))] == ["links.external"]
    csv = SourceFile(Path("a.csv"), "a.csv", text.encode(), text)
    assert check_html_safety(csv, CheckContext(root=Path("."))) == []
    assert check_html_safety in text_checks()
