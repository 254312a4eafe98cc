"""Site check ``site_code``: mkdocs.yml keeps the mzpress plugin and loads nothing from other hosts;
the templates in overrides/ load nothing from other hosts and hold no inline script."""

from __future__ import annotations

import datetime as dt

import pytest

from mzpress.checks.context import CheckContext
from mzpress.checks.registry import site_checks
from mzpress.checks.runner import check_project
from mzpress.checks.site_code import check_site_code, foreign
from mzpress.model.schema import TIMEZONE
from tests.support.project import REPO_ROOT, new_project

NOW = dt.datetime(2026, 11, 30, 23, 59, tzinfo=TIMEZONE)
PLUGINS = "plugins:\n  - mzpress\n"


@pytest.fixture
def project(tmp_path):
    return new_project(tmp_path / "p", with_sample_pages=False)


def findings(project):
    return [(f.rule, f.file, f.line) for f in check_site_code(None, CheckContext(project))]


def _mkdocs(project) -> str:
    return (project / "mkdocs.yml").read_text(encoding="utf-8")


def _write_mkdocs(project, text: str) -> list[str]:
    (project / "mkdocs.yml").write_text(text, encoding="utf-8")
    return text.splitlines()


def _line(lines: list[str], needle: str) -> int:
    return next(number for number, line in enumerate(lines, 1) if needle in line)


def _template(project, relpath: str, text: str):
    path = project / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


# ----------------------------------------------------------------------------- clean


def test_the_real_project_and_the_sample_are_clean(project):
    assert check_site_code(None, CheckContext(REPO_ROOT)) == []
    assert findings(project) == []
    assert PLUGINS in _mkdocs(project) and "font: false" in _mkdocs(project)


def test_the_check_is_registered_and_runs_with_mzpress_check(project):
    assert check_site_code in site_checks()
    _write_mkdocs(project, _mkdocs(project).replace(PLUGINS, ""))
    _, all_findings = check_project(project, NOW)
    assert [f.rule for f in all_findings if f.rule.startswith("site.")] == ["site.plugin-missing"]


def test_without_mkdocs_yml_there_is_nothing_to_judge(tmp_path):
    assert findings(tmp_path) == []


# ------------------------------------------------------------------------ the plugin


def test_a_missing_plugin_list_or_plugin_is_an_error(project):
    lines = _write_mkdocs(project, _mkdocs(project).replace(PLUGINS, ""))
    (finding,) = check_site_code(None, CheckContext(project))
    assert (finding.rule, finding.file, finding.line, finding.severity) == ("site.plugin-missing", "mkdocs.yml", 1,
                                                                              "error")
    assert finding.message.startswith("mkdocs.yml 没有 plugins: 设置，MkDocs 不会启用 mzpress 插件：")
    assert "- mzpress" in finding.suggestion
    lines = _write_mkdocs(project, "\n".join(lines) + "\nplugins:\n  - search\n  - offline: {enabled: true}\n")
    assert findings(project) == [("site.plugin-missing", "mkdocs.yml", _line(lines, "plugins:"))]


@pytest.mark.parametrize("plugins", [
    "plugins:\n  - search\n  - mzpress\n",
    "plugins:\n  - mzpress:\n      jobs: 2\n",
    "plugins:\n  - mzpress: {enabled: true}\n",
    "plugins:\n  search: {}\n  mzpress: {cache: false}\n",
    "plugins: [search, mzpress]\n",
])
def test_the_plugin_may_be_listed_in_any_form_mkdocs_reads(project, plugins):
    _write_mkdocs(project, _mkdocs(project).replace(PLUGINS, plugins))
    assert findings(project) == []


@pytest.mark.parametrize("enabled", ["false", "no", "!ENV [MZPRESS_ON, true]"])
def test_a_disabled_plugin_is_an_error(project, enabled):
    lines = _write_mkdocs(project, _mkdocs(project).replace(PLUGINS, f"plugins:\n  - mzpress:\n      enabled: {enabled}\n"))
    (finding,) = check_site_code(None, CheckContext(project))
    assert (finding.rule, finding.line) == ("site.plugin-missing", _line(lines, "enabled:"))
    assert "插件可能被关闭" in finding.message and "enabled" in finding.suggestion


def test_an_unreadable_mkdocs_yml_cannot_prove_the_plugin(project):
    _write_mkdocs(project, "site_name: x\nplugins: [mzpress\n")
    (finding,) = check_site_code(None, CheckContext(project))
    assert finding.rule == "site.plugin-missing" and "YAML 格式有误" in finding.message and finding.line


def test_mkdocs_tags_are_tolerated(project):
    text = _mkdocs(project) + (
        "copyright: !ENV [COPYRIGHT, 示例县民政局]\n"
        "hooks: []\n"
        "extra:\n  generator: false\n"
        "markdown_extensions_extra:\n"
        "  - format: !!python/name:pymdownx.superfences.fence_code_format\n"
        "  - emoji_index: !!python/name:material.extensions.emoji.twemoji\n")
    _write_mkdocs(project, text)
    assert findings(project) == []


# ---------------------------------------------------------------------- mkdocs assets


def test_foreign_scripts_and_styles_in_mkdocs_yml(project):
    text = _mkdocs(project).replace(
        "extra_javascript:\n  - assets/javascripts/mzpress.js\n",
        "extra_javascript:\n  - assets/javascripts/mzpress.js\n  - https://cdn.example.com/track.js\n"
        "  - path: //cdn.example.com/module.js\n    type: module\n  - path: assets/javascripts/local.js\n"
        "  - !ENV [EXTRA_JS, assets/javascripts/mzpress.js]\n").replace(
        "extra_css:\n  - assets/stylesheets/mzpress.css\n",
        "extra_css:\n  - assets/stylesheets/mzpress.css\n  - http://fonts.example.com/a.css\n")
    lines = _write_mkdocs(project, text)
    found = check_site_code(None, CheckContext(project))
    assert [(f.rule, f.line) for f in found] == [
        ("site.foreign-asset", _line(lines, "track.js")), ("site.foreign-asset", _line(lines, "module.js")),
        ("site.foreign-asset", _line(lines, "EXTRA_JS")), ("site.foreign-asset", _line(lines, "a.css"))]
    assert found[0].message.startswith("mkdocs.yml 的 extra_javascript 从其他网站加载脚本“https://cdn.example.com/track.js”：")
    assert "Content-Security-Policy" in found[0].message and "overrides/assets/javascripts/" in found[0].suggestion
    assert "取自环境变量或特殊写法（!ENV）" in found[2].message
    assert found[3].message.startswith("mkdocs.yml 的 extra_css 从其他网站加载样式表“http://fonts.example.com/a.css”")


@pytest.mark.parametrize(("font", "expected"), [
    ("  font: false", []),
    ("  font: true", ["theme.font 不是 false"]),
    ("  font:\n    text: Roboto", ["theme.font 不是 false"]),
    ("", ["theme 中没有写 font: false"]),
])
def test_material_fonts_must_be_off(project, font, expected):
    text = _mkdocs(project)
    old = next(line for line in text.splitlines() if line.startswith("  font:"))
    lines = _write_mkdocs(project, text.replace(old + "\n", font + "\n" if font else ""))
    found = check_site_code(None, CheckContext(project))
    assert [next(e for e in expected if e in f.message) for f in found] == expected
    if found:
        assert found[0].rule == "site.foreign-asset" and "Google Fonts" in found[0].message
        assert found[0].line == (_line(lines, "  font:") if font else _line(lines, "theme:"))
        assert "font: false" in found[0].suggestion


def test_theme_images_and_analytics_from_other_hosts(project):
    text = _mkdocs(project).replace("  language: zh\n", "  language: zh\n  logo: https://img.example.com/logo.png\n"
                                    "  favicon: assets/images/favicon.png\n")
    lines = _write_mkdocs(project, text + "repo_url: https://github.com/example/site\n"
                          "extra:\n  analytics:\n    provider: google\n    property: G-XXXX\n")
    assert findings(project) == [("site.foreign-asset", "mkdocs.yml", _line(lines, "logo:")),
                                 ("site.foreign-asset", "mkdocs.yml", _line(lines, "repo_url:")),
                                 ("site.foreign-asset", "mkdocs.yml", _line(lines, "analytics:"))]


def test_inherited_settings_are_judged_in_their_file(project):
    (project / "base.yml").write_text("plugins:\n  - search\nextra_javascript:\n  - https://cdn.example.com/x.js\n",
                                      encoding="utf-8")
    text = _mkdocs(project)
    text = text.replace(PLUGINS, "").split("extra_javascript:")[0] + "INHERIT: base.yml\n"
    _write_mkdocs(project, text)
    assert findings(project) == [("site.plugin-missing", "base.yml", 1), ("site.foreign-asset", "base.yml", 4)]


# ------------------------------------------------------------------------- templates


def test_templates_loading_from_other_hosts(project):
    _template(project, "overrides/partials/extra.html", "\n".join([
        "{# <script src=\"https://in-a-comment.example.com/x.js\"></script> #}",
        "<script src=\"{{ 'assets/javascripts/mzpress.js' | url }}\"></script>",
        "<script src=\"https://cdn.example.com/x.js\"></script>",
        "<link rel=\"stylesheet\" href=\"//fonts.googleapis.com/css?family=Roboto\">",
        "<link rel=\"canonical\" href=\"https://mz.example.gov.cn/\">",
        "<link rel=\"icon\" href=\"data:,\">",
        "<img src=\"https://stat.example.com/pixel.gif\" alt=\"\">",
        "<iframe src=\"https://video.example.com/embed/1\"></iframe>",
        "<base href=\"https://evil.example.com/\">",
        "<!-- <script src=\"https://commented.example.com/x.js\"></script> -->",
        "<a href=\"https://www.gov.cn/\">中国政府网</a>",
    ]) + "\n")
    relpath = "overrides/partials/extra.html"
    assert findings(project) == [("site.foreign-asset", relpath, line) for line in (3, 4, 7, 8, 9)]
    first = check_site_code(None, CheckContext(project))[0]
    assert first.message.startswith("模板中的 <script src=\"https://cdn.example.com/x.js\"> 从其他网站加载脚本：")
    assert "{{ 'assets/文件名' | url }}" in first.suggestion


def test_inline_scripts_and_handlers_in_templates(project):
    _template(project, "overrides/partials/inline.html", "\n".join([
        "<script>",
        "  window.track = 1;",
        "</script>",
        "<script type=\"application/ld+json\">{\"@type\": \"GovernmentOrganization\"}</script>",
        "<script type=\"module\">import x from './x.js';</script>",
        "<script src=\"{{ 'assets/javascripts/a.js' | url }}\"></script>",
        "<script></script>",
        "<button onclick=\"track()\">按钮</button>",
        "<a href=\"javascript:void(0)\">链接</a>",
    ]) + "\n")
    relpath = "overrides/partials/inline.html"
    found = check_site_code(None, CheckContext(project))
    assert [(f.rule, f.file, f.line) for f in found] == [("site.inline-script", relpath, line) for line in (1, 5, 8, 9)]
    assert found[0].message.startswith("模板中有直接写在 <script> 里的脚本代码：")
    assert ".js 文件" in found[0].suggestion
    assert "onclick" in found[2].message and "addEventListener" in found[2].suggestion


def test_stylesheets_importing_from_other_hosts(project):
    _template(project, "overrides/assets/stylesheets/extra.css",
              "@import url(\"https://fonts.googleapis.com/css2?family=Noto\");\n"
              "body { cursor: url(\"../images/c.svg\") 4 2, auto; }\n"
              ".x { background: url(data:image/png;base64,AAAA) }\n"
              ".y { background: url(//img.example.com/bg.png) }\n")
    assert findings(project) == [("site.foreign-asset", "overrides/assets/stylesheets/extra.css", 1),
                                 ("site.foreign-asset", "overrides/assets/stylesheets/extra.css", 4)]


def test_a_custom_dir_elsewhere_is_scanned_too(project):
    _write_mkdocs(project, _mkdocs(project).replace("custom_dir: overrides", "custom_dir: theme2"))
    _template(project, "theme2/main.html", "<script>alert(1)</script>\n")
    assert findings(project) == [("site.inline-script", "theme2/main.html", 1)]


@pytest.mark.parametrize(("url", "is_foreign"), [
    ("https://cdn.example.com/x.js", True), ("//cdn.example.com/x.js", True), ("\\\\cdn.example.com/x.js", True),
    ("HTTP://x", True), ("data:text/javascript,alert(1)", True), ("assets/javascripts/mzpress.js", False),
    ("/assets/x.js", False), ("../images/x.svg", False), ("{{ 'assets/x.js' | url }}", False),
])
def test_what_counts_as_another_host(url, is_foreign):
    assert foreign(url) is is_foreign
    assert foreign("data:,", allow_data=True) is False
