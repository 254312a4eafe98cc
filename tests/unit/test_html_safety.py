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
)
from mzpress.checks.registry import text_checks
from mzpress.model.config import SiteConfig, require_config
from mzpress.model.findings import Severity
from mzpress.model.site_settings import LinkSettings, SiteSettings
from mzpress.model.source_text import SourceFile
from mzpress.text.html_sanitiser import url_scheme
from tests.support.project import REPO_ROOT

POLICY = LinkPolicy(("gov.cn", "example.gov.cn"), ("mz.example.org",))
FRONT = "---\ntitle: 测试\n---\n\n"


def findings_for(body: str):
    return html_safety_findings(FRONT + body, "a.md", POLICY)


def rules_at(body: str):
    return [(f.rule, f.severity, f.line, f.column) for f in findings_for(body)]


def rules_lines(body: str):
    return [(f.rule, f.severity, f.line) for f in findings_for(body)]


@pytest.mark.parametrize("tag", ["script", "iframe", "object", "embed", "form", "style", "meta", "base", "link"])
def test_forbidden_tags_are_errors(tag):
    body = f"第一段。\n\n前文<{tag}>x</{tag}>\n"
    assert rules_lines(body) == [("html.forbidden-tag", Severity.ERROR, 7)]
    assert f"<{tag}>" in findings_for(body)[0].message


def test_tags_outside_the_allowlist_are_errors_and_allowed_tags_pass():
    body = ('<div class="note" markdown>\n<p>段落<br>换行<span title="t">文字</span><sup>1</sup></p>\n</div>\n'
            '<figure><img src="images/a.jpg" alt="图" width="300"><figcaption>说明</figcaption></figure>\n'
            '<table><thead><tr><th>姓名</th></tr></thead><tbody><tr><td colspan="2">王*</td></tr></tbody></table>\n'
            '<details><summary>更多</summary><abbr title="最低生活保障">低保</abbr></details>\n'
            '<a href="https://www.mca.gov.cn/">民政部</a>\n')
    assert findings_for(body) == []
    assert rules_lines("文字<font color=red>红</font>\n") == [("html.tag-not-allowed", Severity.ERROR, 5)]


def test_event_handlers_are_errors_at_the_attribute_even_on_a_later_line():
    body = '<img src="a.png" alt="x"\n     onerror="alert(1)">\n<p onclick="go()">段落</p>\n'
    assert sorted(rules_lines(body), key=lambda r: r[2]) == [
        ("html.event-handler", Severity.ERROR, 6),
        ("html.event-handler", Severity.ERROR, 7)]


@pytest.mark.parametrize("body", [
    "[点此](javascript:alert(1))\n",
    "![图](JavaScript:alert(1))\n",
    '<a href="&#106;avascript:alert(1)">x</a>\n',
    '<a href="java&#9;script:alert(1)">x</a>\n',
    '<a href="java&#x0A;script:alert(1)">x</a>\n',
    '<a href=" &#1;javascript:alert(1)">x</a>\n',
    '<a href="vbscript:msgbox(1)">x</a>\n',
    '<img src="x.png" alt="x"> <a href="data:text/html;base64,PHNjcmlwdD4=">x</a>\n',
    "[参考]\n\n[参考]: javascript:alert(1)\n",
    "[参考][r]\n\n[r]:\n  javascript:alert(1)\n",
    "> [参考][q]\n>\n> [q]: javascript:alert(1)\n",
    "[a [b [c]]](javascript:alert(1))\n",
    "[第一行\n第二行](javascript:alert(1))\n",
])
def test_unsafe_urls_are_errors_in_html_and_markdown(body):
    assert {rule for rule, _, _ in rules_lines(body)} == {"html.unsafe-url"}


def test_url_schemes_are_read_as_a_browser_reads_them():
    assert url_scheme(" JAVA\nSCRIPT:alert(1)") == "javascript"
    assert url_scheme("\x01java\tscript:x") == "javascript"
    assert url_scheme("data:image/png;base64,xx") == "data"
    assert url_scheme("../a/b.md#x") is None
    assert url_scheme("https://www.gov.cn/") == "https"


def test_attribute_lists_cannot_add_handlers_or_styles_even_with_a_brace_in_a_value():
    body = '[民政部](https://www.mca.gov.cn){: onclick="alert(1)" style="color:red" }\n![图](a.jpg){: width="300" }\n'
    assert sorted(r for r, _, _ in rules_lines(body)) == ["html.attribute-not-allowed", "html.event-handler"]
    assert {r for r, _, _ in rules_lines('段落\n{: title="}" onclick="alert(1)" }\n')} == {"html.event-handler"}
    assert rules_lines("数学{a=b}不是属性列表\n") == []


def test_classes_and_ids_the_site_does_not_offer_are_errors():
    assert {r for r, _, _ in rules_lines("段落\n{: .md-header }\n")} == {"html.class-not-allowed"}
    assert {r for r, _, _ in rules_lines("段落\n{: #mz-toolbar }\n")} == {"html.attribute-not-allowed"}
    assert rules_lines("署名\n{: .mz-bulletin-byline }\n") == []
    assert rules_lines('!!! note "注意"\n    正文\n') == []


def test_browser_comment_ends_and_angle_brackets_in_values_do_not_hide_markup():
    assert {r for r, _, _ in rules_lines("<!--> <img src=x onerror=alert(1)> -->\n")} == {"html.event-handler"}
    assert {r for r, _, _ in rules_lines('<!-- x --!> <meta http-equiv="refresh" content="0;url=https://e.x/">\n')} \
        == {"html.forbidden-tag"}
    assert {r for r, _, _ in rules_lines('<script title="<">alert(1)</script>\n')} == {"html.forbidden-tag"}


def test_external_links_outside_allowed_domains_are_warnings():
    body = ("[民政部](https://www.mca.gov.cn/a) [县政府](http://www.example.gov.cn) [本站](https://mz.example.org/x)\n"
            "[百度](https://www.baidu.com/s?q=1)\n"
            "![外部图片](http://img.example.com/a.png)\n"
            '<a href="https://evil.gov.cn.example.com/">仿冒</a>\n'
            "请查看<https://foo.org>\n"
            "[站内](../about/index.md) [邮件](mailto:mz@example.gov.cn) [电话](tel:0000)\n")
    found = sorted((f.line, f.message) for f in findings_for(body))
    assert [line for line, _ in found] == [6, 7, 8, 9]
    assert "www.baidu.com" in found[0][1]
    assert all(f.severity is Severity.WARNING and f.rule == "links.external" for f in findings_for(body))


def test_code_is_shown_not_run_but_an_unclosed_fence_is_not_code():
    body = "```html\n<script>alert(1)</script>\n```\n\n行内 `<iframe src=x>` 代码。\n    \n"
    assert findings_for(body) == []
    assert {r for r, _, _ in rules_lines("```\n没有结束的代码块\n\n<img src=x onerror=alert(1)>\n")} == {"html.event-handler"}


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
