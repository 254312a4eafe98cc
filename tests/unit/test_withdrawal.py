"""Retiring content: the front-matter edit, redirect targets, the pages left at old addresses
(what they say comes from the core, their HTML from the theme's mzpress/moved.html and mzpress/retired.html;
the 本页已撤下 notice as a page of the site is tested on a real build in tests/integration/test_takedown.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from mzpress.adapters.mkdocs.retired import MOVED_TEMPLATE, RETIRED_TEMPLATE, retired_document
from mzpress.checks.redirects import redirect_findings
from mzpress.editing.withdraw import withdraw_text
from mzpress.model.content import load_site
from mzpress.model.findings import FindingsError, Severity
from mzpress.model.frontmatter import split
from mzpress.model.schema import TIMEZONE
from mzpress.publishing.withdrawal import retired_context, retired_pages
from tests.support.project import add_story, new_project
from tests.support.theme import theme_env

NOW = dt.datetime(2026, 11, 30, 23, 59, tzinfo=TIMEZONE)
DAY = dt.date(2026, 6, 1)
TEXT = "---\ntitle: 标题\ndate: 2026-01-02 09:00\n# 注释保留\nsummary: 摘要\n---\n\n正文第一段。\n\n---\n\n分隔线后的正文。\n"


def test_withdraw_text_adds_a_block_and_keeps_every_other_byte():
    new = withdraw_text(TEXT, "content/stories/2026/a.md", DAY, "活动取消：改期 “另行通知”")
    head, block, tail = TEXT.partition("summary: 摘要\n")
    assert new.startswith(head + block)
    assert new.endswith("---\n\n正文第一段。\n\n---\n\n分隔线后的正文。\n")
    inserted = new[len(head + block):-len("---\n\n正文第一段。\n\n---\n\n分隔线后的正文。\n")]
    assert inserted == 'withdrawn:\n  date: 2026-06-01\n  reason: "活动取消：改期 “另行通知”"\n'
    meta = split(new, "a.md").meta
    assert meta["withdrawn"] == {"date": DAY, "reason": "活动取消：改期 “另行通知”"}
    assert meta["title"] == "标题"


def test_withdraw_text_unpublish_with_redirect_and_windows_line_endings():
    crlf = TEXT.replace("\n", "\r\n")
    new = withdraw_text(crlf, "a.md", DAY, 'reason with "quotes" and: colon', unpublish=True,
                        redirect="stories/2025/b.md")
    assert "\n" not in new.replace("\r\n", "")  # no bare LF introduced
    assert new.replace("\r\n", "\n").count("withdrawn:") == 1
    meta = split(new, "a.md").meta["withdrawn"]
    assert meta == {"date": DAY, "reason": 'reason with "quotes" and: colon', "unpublish": True,
                    "redirect": "stories/2025/b.md"}
    assert new.endswith("分隔线后的正文。\r\n")


@pytest.mark.parametrize("text,reason,rule", [
    (TEXT, "   ", "withdrawn.reason"),
    ("没有开头信息区\n", "原因", "frontmatter.missing"),
    (TEXT.replace("summary: 摘要\n", "withdrawn:\n  date: 2026-01-01\n  reason: 已撤回\n"), "再次", "withdrawn.exists"),
])
def test_withdraw_text_refuses(text, reason, rule):
    with pytest.raises(FindingsError) as caught:
        withdraw_text(text, "content/stories/2026/a.md", DAY, reason)
    assert caught.value.findings[0].rule == rule


def _project(tmp_path):
    root = new_project(tmp_path / "p")
    add_story(root, 2025, "target", title="目标稿", date="2025-05-01 09:00")
    return root


def _retire(root, slug, block):
    add_story(root, 2026, slug, title=f"稿件{slug}", date="2026-01-02 09:00", extra=block)


def test_redirect_targets_are_checked_with_the_line_of_the_redirect_key(tmp_path):
    root = _project(tmp_path)
    _retire(root, "ok-file", "withdrawn:\n  date: 2026-06-01\n  reason: 误发\n  unpublish: true\n"
                             "  redirect: stories/2025/target.md\n")
    _retire(root, "ok-url", "withdrawn:\n  date: 2026-06-01\n  reason: 误发\n  unpublish: true\n  redirect: /notices/\n")
    _retire(root, "ok-relative", "withdrawn:\n  date: 2026-06-01\n  reason: 误发\n  unpublish: true\n"
                                 "  redirect: ../2025/target.md\n")
    _retire(root, "missing", "withdrawn:\n  date: 2026-06-01\n  reason: 误发\n  unpublish: true\n"
                             "  redirect: stories/2025/nope.md\n")
    _retire(root, "external", "withdrawn:\n  date: 2026-06-01\n  reason: 误发\n  unpublish: true\n"
                              "  redirect: https://www.example.com/\n")
    _retire(root, "self", "withdrawn:\n  date: 2026-06-01\n  reason: 误发\n  unpublish: true\n"
                          "  redirect: /stories/2026/self/\n")
    _retire(root, "ignored", "withdrawn:\n  date: 2026-06-01\n  reason: 过时\n  redirect: /stories/\n")
    site, _ = load_site(root, NOW)
    findings = list(redirect_findings(site))
    by_file = {f.file.rsplit("/", 1)[-1]: f for f in findings}
    assert set(by_file) == {"missing.md", "external.md", "self.md", "ignored.md"}
    for name in ("missing.md", "external.md", "self.md"):
        finding = by_file[name]
        assert finding.rule == "withdrawn.redirect-missing" and finding.severity is Severity.ERROR
        # story_text: ---, title, date, unit, author, editor, summary, withdrawn(8), date, reason, unpublish, redirect(12)
        assert finding.line == 12
        assert finding.file == f"content/stories/2026/{name}"
    assert by_file["ignored.md"].rule == "withdrawn.redirect-ignored"
    assert by_file["ignored.md"].severity is Severity.WARNING

    retired = {r.src: r for r in retired_pages(site)}
    assert retired["stories/2026/ok-file.md"].target == "stories/2025/target/"
    assert retired["stories/2026/ok-url.md"].target == "notices/"
    assert retired["stories/2026/ok-relative.md"].target == "stories/2025/target/"
    assert retired["stories/2026/missing.md"].target is None  # non-strict builds: a "taken down" page
    assert "stories/2026/ignored.md" not in retired  # withdrawn only: stays online with a banner


def test_quiet_when_nothing_is_retired(tmp_path):
    site, _ = load_site(_project(tmp_path), NOW)
    assert list(redirect_findings(site)) == [] and retired_pages(site) == []


def test_drafts_and_scheduled_pages_need_no_redirect(tmp_path):
    root = _project(tmp_path)
    block = "withdrawn:\n  date: 2026-06-01\n  reason: 误发\n  unpublish: true\n"
    add_story(root, 2026, "draft", title="草稿", date="2026-01-02 09:00", extra=block + "draft: true\n")
    add_story(root, 2026, "future", title="将来", date="2026-12-20 09:00", extra=block)
    site, _ = load_site(root, NOW)
    assert retired_pages(site) == []
    assert {"stories/2026/draft.md", "stories/2026/future.md"} <= site.excluded_srcs


def _retired_two_ways(tmp_path):
    root = _project(tmp_path)
    _retire(root, "moved", "withdrawn:\n  date: 2026-06-01\n  reason: 误发 <名单>\n  unpublish: true\n"
                           "  redirect: stories/2025/target.md\n")
    _retire(root, "gone", "withdrawn:\n  date: 2026-06-01\n  reason: 误发 <名单>\n  unpublish: true\n")
    site, _ = load_site(root, NOW)
    return {r.src: r for r in retired_pages(site)}


def test_what_the_page_at_the_old_address_says(tmp_path):
    retired = _retired_two_ways(tmp_path)
    moved = retired_context(retired["stories/2026/moved.md"], "示例县民政局", "https://mz.example.gov.cn/")
    assert moved["target_url"] == "../../2025/target/"
    assert moved["canonical"] == "https://mz.example.gov.cn/stories/2025/target/"
    gone = retired_context(retired["stories/2026/gone.md"], "示例县民政局", "https://mz.example.gov.cn/")
    assert gone["target_url"] is None and gone["canonical"] is None
    assert (gone["date"], gone["reason"], gone["home_url"]) == ("2026-06-01", "误发 <名单>", "../../../")
    assert retired["stories/2026/moved.md"].output_path == "stories/2026/moved/index.html"


def test_the_html_left_at_the_old_address(tmp_path):
    retired = _retired_two_ways(tmp_path)
    env = theme_env()
    moved = retired_document(env, retired["stories/2026/moved.md"], "示例县民政局", "https://mz.example.gov.cn/")
    assert moved.startswith("<!doctype html>\n") and moved.endswith("</html>\n")
    assert '<meta http-equiv="refresh" content="0; url=../../2025/target/">' in moved
    assert '<link rel="canonical" href="https://mz.example.gov.cn/stories/2025/target/">' in moved
    assert '<a href="../../2025/target/">https://mz.example.gov.cn/stories/2025/target/</a>' in moved
    assert "<script" not in moved and "style=" not in moved and "稿件moved" not in moved
    assert 'name="robots" content="noindex"' in moved and "<title>页面已迁移 - 示例县民政局</title>" in moved
    moved = retired_document(env, retired["stories/2026/moved.md"], "示例县民政局 <b>", "https://mz.example.gov.cn/")
    assert "示例县民政局 &lt;b&gt;" in moved and "<b>" not in moved  # the site name is escaped too


def test_the_notice_is_a_page_of_the_site():
    """mzpress/retired.html extends main.html (header, footer with 网站标识码); the forwarding page stands alone."""
    env = theme_env()
    source = env.loader.get_source(env, RETIRED_TEMPLATE)[0]
    assert '{% extends "main.html" %}' in source and "<script" not in source and "style=" not in source
    assert '<meta name="robots" content="noindex">' in source and "'sitemap/' | url | e" in source
    assert "{% extends" not in env.loader.get_source(env, MOVED_TEMPLATE)[0]


def test_a_site_overrides_the_page_at_the_old_address(tmp_path):
    retired = _retired_two_ways(tmp_path)
    custom = tmp_path / "site-overrides"
    (custom / "mzpress").mkdir(parents=True)
    (custom / RETIRED_TEMPLATE).write_text("<p>{{ retired.reason | e }}，请访问{{ retired.home_url | e }}</p>\n",
                                           encoding="utf-8")
    html = retired_document(theme_env(custom), retired["stories/2026/gone.md"], "示例县民政局", "")
    assert html == "<p>误发 &lt;名单&gt;，请访问../../../</p>\n"
