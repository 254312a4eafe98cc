"""The monthly bulletin: numbering across months and years, which stories it takes, how their text
is carried over (links, images, headings), and the content model's rules for bulletin files."""

from __future__ import annotations

import datetime as dt

import pytest

from mzpress.editing.bulletin import (
    BulletinError,
    bulletin_markdown,
    bulletin_src,
    demote_headings,
    distribution_lines,
    edited_since_generated,
    plan_bulletin,
    rebase_links,
    replaced_lines,
    with_generated_mark,
    write_bulletin,
)
from mzpress.model.content import load_site
from mzpress.model.report_period import Month
from mzpress.model.schema import TIMEZONE
from tests.support.project import add_story, new_project, write

NOW = dt.datetime(2027, 3, 1, 12, 0, tzinfo=TIMEZONE)
ISSUE_DATE = dt.datetime(2027, 3, 1, 9, 0, tzinfo=TIMEZONE)


def bulletin_text(month: str, issue: int, total: int, extra: str = "") -> str:
    return (f"---\ntitle: 示例县民政简报第{issue}期\nunit: office\nauthor: 周文静\neditor: 王建国\n"
            f"date: {month}-28 09:00\nissue: {issue}\nissue_total: {total}\n{extra}---\n\n正文。\n")


def add_bulletin(root, month: str, issue: int, total: int, extra: str = ""):
    return write(root / "content" / "bulletins" / month[:4] / f"{month}.md", bulletin_text(month, issue, total, extra))


@pytest.fixture
def project(tmp_path):
    return new_project(tmp_path / "p", with_sample_pages=False)


def site_of(root, now=NOW, only=None):
    return load_site(root, now, only=only)


def make(root, month: Month, **options):
    site, _ = site_of(root)
    plan = plan_bulletin(site, month, **options)
    write_bulletin(root, plan, bulletin_markdown(site, plan, unit="office", author="周文静", editor="王建国",
                                                 date=ISSUE_DATE))
    return plan


# --- numbering -----------------------------------------------------------------------------------

def test_the_first_issue_takes_the_configured_numbers_and_the_next_follow(project):
    settings = project / "site_config" / "site.yml"
    text = settings.read_text(encoding="utf-8")
    text = text.replace("first_issue: 10", "first_issue: 3").replace("first_total: 58", "first_total: 40")
    settings.write_text(text, encoding="utf-8")
    add_story(project, 2026, "a", title="十月稿件", date="2026-10-10 09:00")
    add_story(project, 2026, "b", title="十一月稿件", date="2026-11-10 09:00")
    first = make(project, Month(2026, 10))
    assert (first.issue, first.issue_total) == (3, 40)
    second = make(project, Month(2026, 11))
    assert (second.issue, second.issue_total) == (4, 41)


def test_numbering_across_a_year_boundary_restarts_the_year_and_continues_the_total(project):
    add_bulletin(project, "2026-11", 11, 59)
    add_story(project, 2026, "december", title="十二月稿件", date="2026-12-20 09:00")
    add_story(project, 2027, "january", title="一月稿件", date="2027-01-15 09:00")
    add_story(project, 2027, "february", title="二月稿件", date="2027-02-03 09:00")
    december = make(project, Month(2026, 12))
    january = make(project, Month(2027, 1))
    february = make(project, Month(2027, 2))
    assert [(p.issue, p.issue_total) for p in (december, january, february)] == [(12, 60), (1, 61), (2, 62)]
    assert january.src == "bulletins/2027/2027-01.md"
    text = (project / "content" / january.src).read_text(encoding="utf-8")
    assert "title: 示例县民政简报2027年第1期（总第61期）" in text
    assert "issue: 1\nissue_total: 61\n" in text
    site, findings = site_of(project)
    assert not [f for f in findings if f.file.startswith("content/bulletins/") and f.severity.name == "ERROR"]
    assert [b.src for b in site.bulletins] == [
        "bulletins/2027/2027-02.md", "bulletins/2027/2027-01.md", "bulletins/2026/2026-12.md",
        "bulletins/2026/2026-11.md"]


def test_a_skipped_month_does_not_skip_a_number(project):
    add_bulletin(project, "2026-08", 8, 56)
    add_story(project, 2026, "october", title="十月稿件", date="2026-10-10 09:00")
    plan = make(project, Month(2026, 10))
    assert (plan.issue, plan.issue_total) == (9, 57)


def test_an_issue_as_mzpress_wrote_it_is_regenerated_and_keeps_its_numbers(project):
    add_story(project, 2026, "october", title="十月稿件", date="2026-10-10 09:00")
    make(project, Month(2026, 10))
    path = project / "content" / "bulletins" / "2026" / "2026-10.md"
    first = path.read_text(encoding="utf-8")
    assert not edited_since_generated(first)
    add_story(project, 2026, "october-2", title="十月第二篇", date="2026-10-20 09:00")
    again = make(project, Month(2026, 10))  # nothing of the writer's is lost: no --force needed
    assert (again.issue, again.issue_total, len(again.stories)) == (10, 58, 2)
    assert again.replaces is not None and not again.edited
    (backup,) = (project / ".mzpress-backup").rglob("2026-10.md.*")  # not in git: a copy keeps it
    assert backup.read_text(encoding="utf-8") == first


def test_an_issue_edited_by_hand_needs_force_then_is_backed_up_with_what_it_loses(project):
    add_story(project, 2026, "october", title="十月稿件", date="2026-10-10 09:00")
    make(project, Month(2026, 10))
    path = project / "content" / "bulletins" / "2026" / "2026-10.md"
    edited = path.read_text(encoding="utf-8").replace("测试正文。", "测试正文。编者按：手工补充的一段。")
    path.write_text(edited, encoding="utf-8")
    assert edited_since_generated(edited)
    with pytest.raises(BulletinError) as refused:
        make(project, Month(2026, 10))
    assert "手工修改" in refused.value.message and "--force" in refused.value.suggestion
    assert path.read_text(encoding="utf-8") == edited
    site, _ = site_of(project)
    plan = plan_bulletin(site, Month(2026, 10), force=True)
    assert plan.edited and (plan.issue, plan.issue_total) == (10, 58)
    text = bulletin_markdown(site, plan, unit="office", author="周文静", editor="王建国", date=ISSUE_DATE)
    assert "-测试正文。编者按：手工补充的一段。" in replaced_lines(plan, text)
    backup = write_bulletin(project, plan, text)
    assert backup is not None and backup.read_text(encoding="utf-8") == edited
    assert "编者按" not in path.read_text(encoding="utf-8")


def test_an_issue_without_a_check_line_counts_as_edited(project):
    add_bulletin(project, "2026-10", 10, 58)  # written by hand or by an older mzpress
    add_story(project, 2026, "october", title="十月稿件", date="2026-10-10 09:00")
    with pytest.raises(BulletinError) as refused:
        make(project, Month(2026, 10))
    assert "--force" in refused.value.suggestion
    assert make(project, Month(2026, 10), force=True).issue_total == 58


def test_the_check_line_is_a_yaml_comment_and_any_change_is_seen():
    text = with_generated_mark("---\ntitle: 第1期\n---\n\n正文。\n")
    lines = text.splitlines()
    assert lines[2].startswith("# 由 mzpress bulletin 生成，校验码 ") and lines[3] == "---"
    assert not any(ch.isdigit() for ch in lines[2].split("校验码 ")[1].split("：")[0])
    assert not edited_since_generated(text)
    assert edited_since_generated(text.replace("正文。", "正文！"))
    assert edited_since_generated(text.replace("title: 第1期", "title: 第2期"))
    assert edited_since_generated(text + text.splitlines(keepends=True)[2])  # two check lines


def test_an_unfinished_month_is_refused_without_force(project):
    add_story(project, 2027, "march", title="三月稿件", date="2027-03-01 08:00")
    add_story(project, 2027, "february", title="二月稿件", date="2027-02-27 08:00")
    site, _ = site_of(project)  # the check runs on 1 March 2027
    with pytest.raises(BulletinError) as refused:
        plan_bulletin(site, Month(2027, 3))
    assert "2027年3月还没有结束（今天是2027年3月1日）" in refused.value.message
    assert "--force" in refused.value.suggestion
    with pytest.raises(BulletinError):
        plan_bulletin(site, Month(2027, 4))  # a month to come is not over either
    plan = plan_bulletin(site, Month(2027, 3), force=True)
    assert plan.unfinished and [s.title for s in plan.stories] == ["三月稿件"]
    assert not plan_bulletin(site, Month(2027, 2)).unfinished  # February is over: no --force needed


def test_the_distribution_block_comes_from_site_yml(project):
    site, _ = site_of(project)
    assert distribution_lines(site) == ["报：示例市民政局。", "送：示例县委办公室，示例县人民政府办公室。",
                                        "发：各乡镇（街道）民政办，局机关各股室。"]


def test_an_issue_cannot_go_before_a_later_one(project):
    add_bulletin(project, "2026-11", 11, 59)
    add_story(project, 2026, "october", title="十月稿件", date="2026-10-10 09:00")
    with pytest.raises(BulletinError) as refused:
        make(project, Month(2026, 10))
    assert "2026-11.md" in refused.value.message
    assert not (project / "content" / "bulletins" / "2026" / "2026-10.md").exists()


def test_a_broken_earlier_issue_stops_the_numbering(project):
    add_bulletin(project, "2026-09", 9, 57, extra="issue: 九\n")  # duplicate key: a YAML error
    add_story(project, 2026, "october", title="十月稿件", date="2026-10-10 09:00")
    with pytest.raises(BulletinError) as refused:
        make(project, Month(2026, 10))
    assert "content/bulletins/2026/2026-09.md" in refused.value.message


# --- what it holds -------------------------------------------------------------------------------

def test_flagged_stories_when_any_are_flagged_else_every_public_story_of_the_month(project):
    add_story(project, 2026, "flagged", title="入选稿件", date="2026-10-12 09:00", extra="bulletin: true\n")
    add_story(project, 2026, "plain", title="普通稿件", date="2026-10-05 09:00")
    add_story(project, 2026, "draft", title="草稿", date="2026-10-06 09:00", extra="draft: true\nbulletin: true\n")
    add_story(project, 2026, "other-month", title="九月稿件", date="2026-09-30 23:59", extra="bulletin: true\n")
    site, _ = site_of(project)
    flagged = plan_bulletin(site, Month(2026, 10))
    assert flagged.flagged and [s.title for s in flagged.stories] == ["入选稿件"]
    everything = plan_bulletin(site, Month(2026, 10), everything=True)
    assert not everything.flagged and [s.title for s in everything.stories] == ["普通稿件", "入选稿件"]


def test_stories_not_public_yet_or_withdrawn_are_left_out(project):
    add_story(project, 2027, "future", title="未到发布时间", date="2027-03-05 09:00")
    add_story(project, 2027, "public", title="已发布", date="2027-03-01 08:00")
    add_story(project, 2027, "gone", title="已撤回", date="2027-03-01 07:00",
              extra="withdrawn:\n  date: 2027-03-01\n  reason: 信息有误\n")
    site, _ = site_of(project)
    plan = plan_bulletin(site, Month(2027, 3), force=True)  # March is not over on 1 March
    assert [s.title for s in plan.stories] == ["已发布"]


def test_a_month_without_public_stories_is_refused(project):
    add_story(project, 2026, "draft", title="草稿", date="2026-10-06 09:00", extra="draft: true\n")
    site, _ = site_of(project)
    with pytest.raises(BulletinError) as refused:
        plan_bulletin(site, Month(2026, 10))
    assert "2026年10月" in refused.value.message


def test_the_issue_text_carries_each_story_with_byline_and_link_to_the_original(project):
    add_story(project, 2026, "yanglao", title="养老*服务*进社区", date="2026-10-10 09:00", unit="office",
              body="## 小标题\n\n正文第一段。\n\n![照片](images/yanglao-1.jpg)")
    write(project / "content" / "stories" / "2026" / "images" / "yanglao-1.jpg", "x")
    plan = make(project, Month(2026, 10))
    text = (project / "content" / plan.src).read_text(encoding="utf-8")
    assert "1. [养老\\*服务\\*进社区](#story-1)" in text
    assert "## 养老\\*服务\\*进社区 {#story-1}" in text
    assert "来源：办公室；作者：测试作者；发布时间：2026年10月10日；[查看原文](../../stories/2026/yanglao.md)" in text
    assert "### 小标题" in text
    assert "![照片](../../stories/2026/images/yanglao-1.jpg)" in text


# --- carrying a story's text over ----------------------------------------------------------------

def _story(project, body: str):
    add_story(project, 2026, "lianjie", title="链接", date="2026-10-10 09:00", body=body)
    site, _ = site_of(project)
    return site.by_src["stories/2026/lianjie.md"]


def test_relative_links_and_images_point_at_the_same_files_from_the_bulletin(project):
    story = _story(project, "\n".join([
        "[附件](files/fangan.pdf \"方案\") [另一篇](other.md#part) [年份页](../) [栏目](/notices/)",
        "[外站](https://www.mca.gov.cn/) [本页](#top) [邮件](mailto:a@example.gov.cn)",
        '<img src="images/a.jpg" alt="图"> [参考][ref]',
        "",
        "[ref]: ../2025/old.md",
    ]))
    rebased = rebase_links(story, bulletin_src(Month(2026, 10)))
    assert "[附件](../../stories/2026/files/fangan.pdf \"方案\")" in rebased
    assert "[另一篇](../../stories/2026/other.md#part)" in rebased
    assert "[年份页](../../../stories/2026/)" in rebased  # a page address, from the bulletin's URL
    assert "[栏目](/notices/)" in rebased and "[外站](https://www.mca.gov.cn/)" in rebased
    assert "[本页](#top)" in rebased and "(mailto:a@example.gov.cn)" in rebased
    assert '<img src="../../stories/2026/images/a.jpg"' in rebased
    assert "[ref]: ../../stories/2025/old.md" in rebased


def test_links_inside_code_are_left_as_written(project):
    story = _story(project, "示例：`[图](images/a.jpg)`\n\n```\n![图](images/b.jpg)\n```\n\n[真链接](images/c.jpg)")
    rebased = rebase_links(story, bulletin_src(Month(2026, 10)))
    assert "`[图](images/a.jpg)`" in rebased and "![图](images/b.jpg)" in rebased
    assert "[真链接](../../stories/2026/images/c.jpg)" in rebased


def test_headings_go_one_level_down_outside_code():
    body = "# 一级\n\n## 二级\n\n###### 六级\n\n```\n## 代码里的井号\n```\n\n#话题 不是标题"
    assert demote_headings(body) == ("## 一级\n\n### 二级\n\n###### 六级\n\n```\n## 代码里的井号\n```\n\n#话题 不是标题")


# --- the content model's rules for bulletin files -------------------------------------------------

def _errors(findings, rule):
    return sorted(f.file for f in findings if f.rule == rule)


def test_a_bulletin_file_is_named_after_its_month_in_that_years_folder(project):
    write(project / "content" / "bulletins" / "2026" / "siyue.md", bulletin_text("2026-04", 4, 52))
    write(project / "content" / "bulletins" / "2026" / "2025-12.md", bulletin_text("2025-12", 12, 50))
    add_bulletin(project, "2026-05", 5, 53)
    site, findings = site_of(project)
    assert _errors(findings, "content.bulletin-name") == ["content/bulletins/2026/2025-12.md",
                                                          "content/bulletins/2026/siyue.md"]
    assert [b.src for b in site.bulletins] == ["bulletins/2026/2026-05.md"]


def test_duplicate_or_backward_numbers_are_errors_on_both_issues_and_neither_is_published(project):
    add_bulletin(project, "2026-04", 4, 52)
    add_bulletin(project, "2026-05", 5, 52)  # the running number repeats
    add_bulletin(project, "2026-06", 6, 53)
    add_bulletin(project, "2026-12", 12, 60)
    add_bulletin(project, "2027-01", 13, 61)  # a new year starts at 1, 13 is fine as long as it grows
    site, findings = site_of(project)
    assert _errors(findings, "content.bulletin-number") == ["content/bulletins/2026/2026-04.md",
                                                            "content/bulletins/2026/2026-05.md"]
    assert {b.src for b in site.bulletins} == {"bulletins/2026/2026-06.md", "bulletins/2026/2026-12.md",
                                               "bulletins/2027/2027-01.md"}
    # Checking one of the pair alone (mzpress check FILE, --changed-since) finds it too.
    _, alone = site_of(project, only={"bulletins/2026/2026-05.md"})
    assert _errors(alone, "content.bulletin-number") == ["content/bulletins/2026/2026-05.md"]


def test_issue_numbers_must_be_positive_whole_numbers(project):
    add_bulletin(project, "2026-04", 0, 52)
    _, findings = site_of(project)
    assert [f.message for f in findings if f.rule == "schema.invalid"] == ["本年期号（issue）应当是大于0的整数，现在是“0”。"]
