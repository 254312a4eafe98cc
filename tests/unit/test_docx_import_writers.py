"""mzpress import-docx with documents as bureau writers make them (WPS/Word): headings from bold
numbered paragraphs and outline levels, captions as alt text, the visible title over a stale
property, re-imports refused, ``--update``, and notices with their publicity period."""

from __future__ import annotations

import datetime as dt
import shutil

import git
import pytest

from mzpress.checks.runner import check_project
from mzpress.editing.docx_import import DocxImportError, import_docx
from mzpress.model.config import require_config
from mzpress.model.frontmatter import split
from mzpress.model.schema import TIMEZONE, validate
from mzpress.text.images import MISSING_ALT
from tests.support.docx_fixtures import (
    STALE_TITLE_PROPERTY,
    auto_numbered_docx,
    empty_docx,
    gongwen_docx,
    notice_docx,
    outline_docx,
    photo_bytes,
    run_import_docx,
    story_request,
    wps_paragraph,
    wps_report_docx,
)
from tests.support.project import REPO_ROOT, new_project, tree_digest

FLAGS = ["--unit", "elderly-care", "--author", "李晓梅", "--editor", "王建国", "--date", "2026-11-24 09:30"]


@pytest.fixture
def project(tmp_path):
    return new_project(tmp_path / "site", with_sample_pages=False)


run = run_import_docx


def only_page(project, section="stories"):
    pages = sorted((project / "content" / section).rglob("*.md"))
    assert len(pages) == 1, pages
    return pages[0], split(pages[0].read_text(encoding="utf-8"), pages[0].name)


def request(**overrides):
    return story_request(dt.datetime(2026, 11, 24, 9, 30, tzinfo=TIMEZONE), **overrides)


def errors_of(project, page):
    _, findings = check_project(project, dt.datetime(2026, 12, 1, tzinfo=TIMEZONE),
                                only={page.relative_to(project / "content").as_posix()})
    return [f for f in findings if f.severity.value == "error"]


def test_wps_report_pseudo_headings_caption_and_visible_title(project, tmp_path, capsys):
    source = wps_report_docx(tmp_path / "汇报.docx", photo=photo_bytes((800, 600)))
    code, out, err = run(project, capsys, str(source), *FLAGS)
    assert code == 0, err
    page, document = only_page(project)
    slug = page.stem
    assert document.meta["title"] == "城关镇幸福食堂运营情况汇报"  # the centred bold line, not the property
    assert f"文档属性里的标题（“文件 → 属性”中的标题）是“{STALE_TITLE_PROPERTY}”" in out
    assert "已采用正文标题" in out and out.count("请注意：") == 1
    assert (document.meta["cover"], document.meta["cover_alt"]) == (f"images/{slug}-1.jpg", "志愿者为老人理发")
    assert document.body.lstrip("\n") == (
        "今年以来，城关镇新建幸福食堂3个，累计为老年人提供助餐服务1.2万人次。\n\n"
        "## 一、主要做法\n\n"
        "### （一）坚持高位推动\n\n"
        "镇党委每季度专题研究一次食堂运营工作。\n\n"
        "#### 1.建立用餐台账\n\n"
        "##### （1）分类登记\n\n"
        "对80周岁以上老人逐一登记，做到一人一档。\n\n"  # a manual line break (Shift+Enter) inside the sentence is dropped
        "1.5万元补助资金已全部到位。\n\n"  # a number, not a heading
        "### （二）强化资金保障\n\n"
        f"![志愿者为老人理发](images/{slug}-1.jpg)\n\n"
        "图为志愿者为老人理发。\n\n"  # the caption stays under the picture
        "## 二、下一步打算\n\n"
        "**继续扩大助餐服务覆盖面，一、二月份完成选址。**\n")  # bold, but a sentence: no heading
    assert "图片没有说明文字" not in out
    assert errors_of(project, page) == []


def test_outline_levels_title_style_and_matching_pseudo_heading(project, tmp_path):
    result = import_docx(project, outline_docx(tmp_path / "会议.docx"), request())
    assert result.title == "全县社会救助工作会议召开" and result.notes == []
    body = split(result.story.read_text(encoding="utf-8"), "x").body
    assert body.lstrip("\n") == (
        "12月1日，全县社会救助工作会议在县民政局召开。\n\n"
        "## 一、会议内容\n\n"  # outline level 1 set on a body paragraph (WPS 大纲级别)
        "会议通报了今年社会救助工作情况。\n\n"
        "### （一）低保扩围\n\n"  # a writer's own style with outline level 2
        "新增低保对象120户。\n\n"
        "## 二、工作要求\n\n"  # bold “二、” takes the level of the real “一、” heading
        "各乡镇要按时完成年度复核。\n")


def test_same_title_property_gives_no_warning(project, tmp_path):
    source = wps_report_docx(tmp_path / "a.docx", core_title="城关镇幸福食堂运营情况汇报")
    result = import_docx(project, source, request())
    assert result.title == "城关镇幸福食堂运营情况汇报" and result.notes == []


@pytest.mark.parametrize("caption, alt", [("图：志愿者为老人理发", "志愿者为老人理发"),
                                          ("图为志愿者为老人理发。", "志愿者为老人理发")])
def test_caption_forms(project, tmp_path, caption, alt):
    source = wps_report_docx(tmp_path / "c.docx", photo=photo_bytes((400, 300)), caption=caption)
    result = import_docx(project, source, request())
    body = split(result.story.read_text(encoding="utf-8"), "x").body
    assert f"![{alt}](images/" in body and f"\n\n{caption}\n\n" in body and result.missing_alt == 0


def test_caption_that_is_a_whole_paragraph_is_not_alt_text(project, tmp_path, capsys):
    caption = "图为" + "志愿者在城关镇敬老院为老人理发、测量血压，并开展文艺演出，" * 4 + "老人们纷纷点赞。"
    assert len(caption) > 80
    source = wps_report_docx(tmp_path / "long.docx", photo=photo_bytes((400, 300)), caption=caption)
    code, out, err = run(project, capsys, str(source), *FLAGS)
    assert code == 0, err
    _, document = only_page(project)
    assert f"![{MISSING_ALT}](images/" in document.body and caption in document.body
    assert f"第1张图片下面的说明有{len(caption)}个字，太长，没有用作图片说明文字（alt）" in out
    assert "1处图片没有说明文字" in out


def test_reimport_of_the_same_document_is_refused_naming_the_page(project, tmp_path, capsys):
    source = wps_report_docx(tmp_path / "汇报.docx", photo=photo_bytes((400, 300)))
    assert run(project, capsys, str(source), *FLAGS)[0] == 0
    page, _ = only_page(project)
    relpath = page.relative_to(project).as_posix()
    before = tree_digest(project)
    copy = shutil.copy(source, tmp_path / "汇报（终稿）.docx")
    for extra in ([], ["--title", "幸福食堂让老人吃得舒心"]):
        code, _, err = run(project, capsys, str(copy), *FLAGS, *extra)
        assert code == 1
        assert f"这份文档已经导入过：{relpath} 的正文与 汇报（终稿）.docx 相同" in err
        assert f"--update {relpath}" in err and "没有写入任何文件" in err
        assert tree_digest(project) == before


def test_update_replaces_the_body_keeps_front_matter_and_a_backup(project, tmp_path, capsys):
    photo = photo_bytes((400, 300))
    assert run(project, capsys, str(wps_report_docx(tmp_path / "v1.docx", photo=photo)), *FLAGS)[0] == 0
    page, _ = only_page(project)
    relpath = page.relative_to(project).as_posix()
    old = page.read_text(encoding="utf-8").replace("summary: 今年以来", "summary: 编辑改过的摘要。今年以来")
    page.write_text(old, encoding="utf-8")
    front = old[: old.index("\n---\n") + 5]
    images_before = sorted(p.name for p in (page.parent / "images").iterdir())
    corrected = wps_report_docx(tmp_path / "v2.docx", photo=photo, caption="图为志愿者为老人理发。")
    _rewrite_text(corrected, "新建幸福食堂3个", "新建幸福食堂4个")  # the writer corrected one figure in WPS
    code, out, err = run(project, capsys, str(corrected), "--update", relpath)
    assert code == 0, err
    new = page.read_text(encoding="utf-8")
    assert new.startswith(front)  # the front matter, the writer's summary included, byte for byte
    body = new[len(front):]
    assert "新建幸福食堂4个" in body and "新建幸福食堂3个" not in body
    assert sorted(p.name for p in (page.parent / "images").iterdir()) == images_before  # same photo: reused
    backups = list((project / ".mzpress-backup").rglob(f"{page.name}.*"))
    assert len(backups) == 1 and backups[0].read_text(encoding="utf-8") == old
    assert f"原来的稿件已备份到：{backups[0].relative_to(project).as_posix()}" in out
    assert "摘要（summary）里的话" not in out  # the writer's own summary is not in the old body: nothing to say
    assert errors_of(project, page) == []
    # the same document again: nothing to do
    code, _, err = run(project, capsys, str(corrected), "--update", relpath)
    assert code == 1 and "不需要更新" in err and page.read_text(encoding="utf-8") == new


def test_update_of_a_committed_page_leaves_the_old_text_in_git(project, tmp_path, capsys):
    assert run(project, capsys, str(outline_docx(tmp_path / "v1.docx")), *FLAGS)[0] == 0
    page, _ = only_page(project)
    relpath = page.relative_to(project).as_posix()
    repo = git.Repo.init(project)
    repo.index.add([relpath])
    actor = git.Actor("测试", "test@example.com")
    repo.index.commit("导入", author=actor, committer=actor)
    committed = page.read_text(encoding="utf-8")
    source = outline_docx(tmp_path / "v2.docx")
    _rewrite_text(source, "新增低保对象120户", "新增低保对象125户")
    _rewrite_text(source, "12月1日", "12月2日")  # the lead the summary was copied from
    code, out, err = run(project, capsys, str(source), "--update", relpath)
    assert code == 0, err
    assert "请注意：摘要（summary）里的话在原来的正文中有、在新正文中已经没有了" in out
    assert "在 git 中保存着" in out and not (project / ".mzpress-backup").exists()
    assert repo.git.show(f"HEAD:{relpath}") + "\n" == committed
    assert "新增低保对象125户" in page.read_text(encoding="utf-8")


def test_update_refuses_bad_targets_and_conflicting_options(project, tmp_path, capsys):
    source = outline_docx(tmp_path / "a.docx")
    before = tree_digest(project)
    code, _, err = run(project, capsys, str(source), "--update", "content/stories/2026/nothing.md")
    assert code == 1 and "找不到要更新的稿件 content/stories/2026/nothing.md" in err
    other = project / "site_config" / "site.yml"
    code, _, err = run(project, capsys, str(source), "--update", str(other))
    assert code == 1 and "--update 只能更新" in err
    code, _, err = run(project, capsys, str(source), "--update", str(other), "--title", "新标题")
    assert code == 2 and "不能同时写 --title" in err and "修改建议" in err
    assert tree_digest(project) == before


def test_notice_period_from_the_text(project, tmp_path, capsys):
    code, out, err = run(project, capsys, str(notice_docx(tmp_path / "公示.docx")), "--kind", "notice", *FLAGS)
    assert code == 0, err
    page, document = only_page(project, "notices")
    assert page.relative_to(project).as_posix().startswith("content/notices/2026/")
    assert f"已导入通知公告：{page.relative_to(project).as_posix()}" in out
    assert "公示期：2026年11月25日至2026年12月5日（取自正文“公示期为2026年11月25日至12月5日”），请核对" in out
    meta = document.meta
    assert meta["title"] == "关于2026年度城乡低保对象拟认定名单的公示"
    assert (str(meta["start"]), str(meta["end"])) == ("2026-11-25", "2026-12-05")
    values, findings = validate("notice", meta, "n.md", require_config(project))
    assert findings == [] and values["end"] == dt.date(2026, 12, 5)
    assert document.body.endswith(
        "| 户主 | 村（社区） |\n| --- | --- |\n| 张某某 | 城关社区 |\n| 李某某 | 东关村 |\n\n"
        "公示期为2026年11月25日至12月5日。如有异议，请在公示期内向县民政局反映。\n\n"
        "联系单位：县民政局社会救助股\n\n联系电话：0797-1234567\n")  # the text box's lines follow in place
    assert errors_of(project, page) == []


def test_notice_period_options_win_over_the_text(project, tmp_path, capsys):
    code, out, err = run(project, capsys, str(notice_docx(tmp_path / "n.docx")), "--kind", "notice",
                         "--start", "2026-11-26", "--end", "2026年12月6日", *FLAGS)
    assert code == 0, err
    _, document = only_page(project, "notices")
    assert (str(document.meta["start"]), str(document.meta["end"])) == ("2026-11-26", "2026-12-06")
    assert "公示期：2026年11月26日至2026年12月6日（按命令中的日期）" in out


def test_notice_without_a_period_is_refused(project, tmp_path, capsys):
    source = notice_docx(tmp_path / "无期限.docx", period_text=None)
    before = tree_digest(project)
    code, _, err = run(project, capsys, str(source), "--kind", "notice", *FLAGS)
    assert code == 1
    assert "无期限.docx 里没有找到公示期" in err and "--start 2026-11-25 --end 2026-12-05" in err
    assert "没有写入任何文件" in err and "Traceback" not in err
    assert tree_digest(project) == before


def test_notice_period_the_writer_does_not_confirm_writes_nothing(project, tmp_path):
    seen = []

    def refuse(period):
        seen.append(period)
        return False

    before = tree_digest(project)
    with pytest.raises(DocxImportError, match="未确认"):
        import_docx(project, notice_docx(tmp_path / "n.docx"), request(kind="notice"), confirm_period=refuse)
    assert [(p.start, p.end) for p in seen] == [(dt.date(2026, 11, 25), dt.date(2026, 12, 5))]
    assert tree_digest(project) == before


def test_period_options_only_for_notices(project, tmp_path, capsys):
    code, _, err = run(project, capsys, str(outline_docx(tmp_path / "a.docx")), "--start", "2026-11-25", *FLAGS)
    assert code == 2 and "只有通知公告（--kind notice）需要 --start/--end" in err


def test_document_without_text_is_refused(project, tmp_path, capsys):
    before = tree_digest(project)
    code, _, err = run(project, capsys, str(empty_docx(tmp_path / "空白.docx")), *FLAGS)
    assert code == 1 and "空白.docx 里没有文字" in err and "没有写入任何文件" in err
    assert tree_digest(project) == before


def _rewrite_text(path, old: str, new: str) -> None:
    """Change words in a saved .docx the way a writer would, keeping everything else."""
    import docx

    document = docx.Document(path)
    for paragraph in document.paragraphs:
        for run in paragraph.runs:
            if old in run.text:
                run.text = run.text.replace(old, new)
    document.save(path)


def test_larger_first_line_is_the_title_and_long_bold_numbered_text_is_not_a_heading(project, tmp_path):
    import docx

    path = tmp_path / "t.docx"
    document = docx.Document()
    document.core_properties.title = STALE_TITLE_PROPERTY
    wps_paragraph(document, "县民政局召开冬季救助工作部署会", size=22)  # only larger: 二号 over 三号 body text
    wps_paragraph(document, "一、会议要求各乡镇在12月底前完成困难群众冬春生活救助资金发放工作，确保不漏一户、不落一人", bold=True)
    wps_paragraph(document, "会议强调，要把温暖送到群众心坎上。")
    document.save(path)
    result = import_docx(project, path, request())
    assert result.title == "县民政局召开冬季救助工作部署会" and "已采用正文标题" in result.notes[0]
    body = split(result.story.read_text(encoding="utf-8"), "x").body
    assert "#" not in body and body.lstrip("\n").startswith("**一、会议要求各乡镇")


def test_a_centred_sentence_is_not_a_title(project, tmp_path):
    import docx

    path = tmp_path / "s.docx"
    document = docx.Document()
    wps_paragraph(document, "3月12日上午，城关镇组织志愿者走进敬老院开展服务。", center=True)
    wps_paragraph(document, "老人们纷纷表示感谢，活动受到一致好评。")
    document.save(path)
    result = import_docx(project, path, request(title="敬老院里的理发日"))
    body = split(result.story.read_text(encoding="utf-8"), "x").body
    assert result.title == "敬老院里的理发日" and "3月12日上午" in body  # kept in the body


def test_writer_confirms_the_period_on_a_terminal(project, tmp_path, capsys, monkeypatch):
    import mzpress.cli.commands.import_docx as command

    answers = iter(["也许", "n", "y"])
    monkeypatch.setattr(command, "stdin_is_terminal", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    source = notice_docx(tmp_path / "公示.docx")
    before = tree_digest(project)
    code, out, err = run(project, capsys, str(source), "--kind", "notice", *FLAGS)
    assert code == 1 and "请输入 y 或 n" in out and "未确认" in err and tree_digest(project) == before
    assert "从正文“公示期为2026年11月25日至12月5日”读出公示期：2026年11月25日至2026年12月5日" in out
    code, out, err = run(project, capsys, str(source), "--kind", "notice", *FLAGS)
    assert code == 0, err
    _, document = only_page(project, "notices")
    assert str(document.meta["end"]) == "2026-12-05"


def test_gongwen_fonts_run_in_heading_and_captions_in_a_photo_table(project, tmp_path):
    photos = (photo_bytes((400, 300)), photo_bytes((300, 400), color=(10, 200, 10)))
    result = import_docx(project, gongwen_docx(tmp_path / "报告.docx", photos=photos), request())
    assert result.title == "关于做好今冬明春困难群众救助工作的报告"  # centred and larger, not bold
    assert result.missing_alt == 0 and result.notes == []
    document = split(result.story.read_text(encoding="utf-8"), "x")
    slug = result.story.stem
    assert document.meta["cover_alt"] == "工作人员入户走访"
    assert document.body.lstrip("\n") == (
        "县政府：\n\n"
        "现将我局今冬明春困难群众救助工作情况报告如下。\n\n"
        "## 一、工作开展情况\n\n"  # 黑体, not bold
        "### （一）摸底排查\n\n"  # 楷体, not bold
        "全县共排查困难群众2300户。\n\n"
        "（二）资金发放。临时救助资金已于12月前发放到位。\n\n"  # a run-in heading stays in its paragraph
        "<table>\n<tr><td>图为工作人员入户走访。</td><td></td></tr>\n"
        "<tr><td></td><td>图：发放救助物资</td></tr>\n</table>\n\n"
        f"![工作人员入户走访](images/{slug}-1.jpg)\n\n"  # captioned in its own cell
        f"![发放救助物资](images/{slug}-2.jpg)\n\n"  # captioned by the cell below
        "## 二、下一步工作\n\n"
        "继续做好救助工作。\n")


def test_headings_numbered_by_wps_automatic_numbering_keep_their_numbers(project, tmp_path):
    result = import_docx(project, auto_numbered_docx(tmp_path / "殡葬.docx"), request(summary="殡葬改革稳步推进。"))
    body = split(result.story.read_text(encoding="utf-8"), "x").body
    assert body.lstrip("\n") == (
        "今年以来，全县殡葬改革工作稳步推进。\n\n"
        "## 一、主要成效\n\n"  # the number comes from numbering.xml, not from the text
        "### （一）公益性公墓建设\n\n"
        "新建公益性公墓5处。\n\n"
        "### （二）移风易俗\n\n"
        "主要措施：\n\n"
        "1. 完善设施\n2. 加强宣传\n\n"  # an ordinary numbered list stays a list
        "## 二、存在问题\n\n"  # level 1 counts on
        "部分村公墓管理不到位。\n\n"
        "### （一）整改措施\n")  # the sub-level starts again below it


def test_a_campaign_member_page_goes_into_its_campaigns_folder(tmp_path, capsys):
    project = new_project(tmp_path / "site")  # with the sample campaigns
    source = wps_report_docx(tmp_path / "候选人事迹.docx", photo=photo_bytes())
    code, out, err = run(project, capsys, str(source), "--kind", "campaign-member", "--campaign", "zuimei-minzhengren",
                         *FLAGS)
    assert code == 0, err
    folder = project / "content/campaigns/zuimei-minzhengren"
    sample = {p.name for p in (REPO_ROOT / "content/campaigns/zuimei-minzhengren").glob("*.md")}
    new_pages = [p for p in folder.glob("*.md") if p.name not in sample]
    assert len(new_pages) == 1 and f"已导入专题活动稿件：{new_pages[0].relative_to(project).as_posix()}" in out
    document = split(new_pages[0].read_text(encoding="utf-8"), new_pages[0].name)
    _, findings = validate("member", document.meta, "m.md", require_config(project))
    assert findings == [] and document.meta["cover"].startswith("images/")
    assert (folder / document.meta["cover"]).is_file()
    assert errors_of(project, new_pages[0]) == []
    again = wps_report_docx(tmp_path / "修改稿.docx", photo=photo_bytes(), caption="图为志愿者为老人测量血压。")
    code, _, err = run(project, capsys, str(again), "--update", str(new_pages[0]))
    assert code == 0, err
    assert "测量血压" in new_pages[0].read_text(encoding="utf-8")


@pytest.mark.parametrize(("options", "words"), [
    ([], "--campaign 文件夹名，可选：meiyue-yixun、zuimei-chuangkou、zuimei-minzhengren"),
    (["--campaign", "no-such"], "没有专题活动“no-such”"),
])
def test_a_campaign_member_without_its_campaign_is_refused(tmp_path, capsys, options, words):
    project = new_project(tmp_path / "site")
    before = tree_digest(project)
    code, _, err = run(project, capsys, str(wps_report_docx(tmp_path / "a.docx")), "--kind", "campaign-member",
                       *options, *FLAGS)
    assert code == 2 and words in err and "Traceback" not in err, err
    assert tree_digest(project) == before


def test_campaign_is_only_for_campaign_members(project, tmp_path, capsys):
    code, _, err = run(project, capsys, str(wps_report_docx(tmp_path / "a.docx")), "--campaign", "x", *FLAGS)
    assert code == 2 and "只有专题活动稿件" in err


@pytest.mark.parametrize(("lines", "expected"), [
    (["对80周岁以上老人逐一登记，", "做到一人一档。"], ["对80周岁以上老人逐一登记，做到一人一档。"]),  # inside a sentence
    (["第一句结束。", "第二句开始。"], ["第一句结束。", "第二句开始。"]),  # after a sentence: kept
    (["联系单位：县民政局社会救助股", "联系电话：0797-1234567"], ["联系单位：县民政局社会救助股", "联系电话：0797-1234567"]),
    (["地址示例县人民路1号", "邮编：000000"], ["地址示例县人民路1号", "邮编：000000"]),  # a label line follows
    (["Hello", "world"], ["Hello", "world"]),  # not Chinese on both sides
])
def test_manual_line_breaks_inside_a_sentence_are_joined(lines, expected):
    from mzpress.text.html_markdown import parse_html, render_markdown

    markdown = render_markdown(parse_html("<p>" + "<br />".join(lines) + "</p>"), lambda src, alt: "")
    assert [line for line in markdown.split("\n") if line] == expected
