"""``mzpress inspect`` end to end: a real project in a real git repository, through the command line.

The history: the sample pages and one story per culture topic imported before the ledger start
(2026-12-01); then a story with a broken link and a missing attachment, written on a branch and
merged the day it is dated; later a story dated eight days before its merge (backdated).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from tests.support.git_repo import GitRepo
from tests.support.project import mzpress, new_project, story_text

TOPICS = ("xiaoxian", "shequ", "cishan", "shetuan", "hunyin", "binzang")
LINKED = "content/stories/2026/lianjie-shixiao.md"
BACKDATED = "content/stories/2026/daotian-riqi.md"
HEADER = "| 检查指标 | 要求 | 检查结果 | 证据/说明 | 单项否决/扣分 |"


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = new_project(tmp_path_factory.mktemp("inspect") / "site")
    repo = GitRepo(root)
    for day, topic in enumerate(TOPICS, start=20):
        repo.write(f"content/stories/2026/{topic}-gushi.md",
                   story_text(title=f"{topic}专题稿件", date=f"2026-11-{day} 09:00", topics=(topic,)))
    repo.commit("Import the old site", "2026-11-29T10:00:00+08:00", add_all=True)
    repo.branch("submit/lianjie")
    body = ("详见[往年通知](../2025/no-such-story.md)。\n\n附件：[名单](files/mingdan.xlsx)\n\n"
            "往年的[正常链接](xiaoxian-gushi.md)。\n\n<!-- mzpress: allow links.broken 旧网站的网址，迁移后补上 -->\n"
            "[旧网站的稿件](../2019/jiu-wangzhan.md)")
    repo.commit("Add a story with links", "2026-12-10T09:00:00+08:00",
                {LINKED: story_text(title="链接失效的稿件", date="2026-12-10 10:00", body=body)})
    repo.checkout("main")
    repo.merge("submit/lianjie", "Merge submit/lianjie\n\nReviewed-by: 王建国", "2026-12-10T10:30:00+08:00")
    return root, repo


def _inspect(root, *args):
    return mzpress(root, "inspect", *args)


def test_all_formats_exit_codes_and_evidence(project, tmp_path):
    root, _ = project
    text = _inspect(root, "--at", "2026-12-15")
    assert text.returncode == 0, text.stdout + text.stderr
    out = text.stdout
    assert "检查结论：合格（" in out and "[需整改] 链接可用性" in out
    assert "检查已发布页面" in out and "失效链接1处，缺失图片0处，缺失附件1处。" in out
    assert f"{LINKED}:" in out and "链接“../2025/no-such-story.md”指向的页面不存在" in out
    assert "附件“files/mingdan.xlsx”指向的文件不存在" in out
    assert "xiaoxian-gushi.md”" not in out  # the working link is not reported
    assert "jiu-wangzhan" not in out  # nor the broken one an inline exemption allows, as in mzpress check
    assert "[合格] 伪造发稿日期" in out and "[合格] 首页更新" in out

    data = json.loads(_inspect(root, "--at", "2026-12-15", "--format", "json").stdout)
    assert data["verdict"] == "合格" and data["at"] == "2026-12-15T23:59:59+08:00"
    by_id = {c["id"]: c for c in data["columns"]}
    assert by_id["news"]["last_update"] == "2026-12-10T10:00:00+08:00" and by_id["news"]["state"] == "ok"
    assert by_id["xiaoxian"]["pages"] == 1 and by_id["about"]["state"] == "exempt"
    links = next(i for i in data["indicators"] if i["key"] == "links")
    assert links["problems"] == 2 and links["veto"] is False
    # meiyue-yixun (90 days, last session 2026-09-25), news and the home page (14 days, last story
    # 2026-12-10) all go stale on 2026-12-25
    warned = json.loads(_inspect(root, "--at", "2026-12-23", "--format", "json").stdout)["warnings"]
    assert {(w["column"], w["date"], w["days_left"]) for w in warned} == {
        ("meiyue-yixun", "2026-12-25", 2), ("news", "2026-12-25", 2), (None, "2026-12-25", 2)}
    assert "每月一训将于2026年12月25日超期未更新（还有2天）" in [w["text"] for w in warned]
    assert json.loads(_inspect(root, "--at", "2026-12-20", "--format", "json").stdout)["warnings"] == []
    assert {w["column"] for w in json.loads(_inspect(root, "--at", "2026-12-20", "--warn-days", "5",
                                                     "--format", "json").stdout)["warnings"]} == {
        "meiyue-yixun", "news", None}

    markdown = _inspect(root, "--at", "2026-12-15", "--format", "markdown")
    assert markdown.returncode == 0
    assert markdown.stdout.startswith("# 示例县民政局网站自查表（2026年12月）")
    assert HEADER in markdown.stdout and "| --- | --- | --- | --- | --- |" in markdown.stdout
    rows = markdown.stdout.split(HEADER, 1)[1].split("\n\n", 1)[0].strip().splitlines()[1:]
    assert [r.split(" | ")[0] for r in rows] == ["| 首页更新", "| 栏目不更新", "| 栏目长期不更新", "| 空白栏目",
                                                 "| 链接可用性", "| 伪造发稿日期"]

    out_dir = tmp_path / "reports"
    written = _inspect(root, "--at", "2026-12-15", "--format", "html", "--out", str(out_dir))
    assert written.returncode == 0 and f"已写入自查结果：{out_dir / 'inspect-2026-12.html'}" in written.stdout
    page = (out_dir / "inspect-2026-12.html").read_text(encoding="utf-8")
    assert "<title>示例县民政局网站自查表（2026年12月）</title>" in page and "<style>" in page
    assert "<script" not in page.lower() and "<link" not in page.lower()
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page, re.I)
    assert _inspect(root, "--at", "2026-12-15", "--format", "markdown", "--out", str(out_dir)).returncode == 0
    assert sorted(p.name for p in out_dir.iterdir()) == ["inspect-2026-12.html", "inspect-2026-12.md"]


def test_a_backdated_story_fails_the_single_veto(project, tmp_path):
    root, repo = project
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(root), str(clone)], check=True)
    work = GitRepo(clone)
    work.branch("submit/daotian")
    work.commit("Add a backdated story", "2026-12-20T09:00:00+08:00",
                {BACKDATED: story_text(title="倒填日期的稿件", date="2026-12-12 09:00", topics=("shequ",))})
    work.checkout("main")
    work.merge("submit/daotian", "Merge submit/daotian", "2026-12-20T10:00:00+08:00")
    result = _inspect(clone, "--at", "2026-12-21", "--format", "markdown")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "**不合格**（单项否决：伪造发稿日期）" in result.stdout
    row = next(line for line in result.stdout.splitlines() if line.startswith("| 伪造发稿日期"))
    assert f"{BACKDATED}:3：" in row and "单项否决：已触发" in row and "**不合格**" in row
    assert "早约8天" in row

    # a shallow clone cannot tell: said so, not failed
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{clone}", str(shallow)], check=True)
    result = _inspect(shallow, "--at", "2026-12-21")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "[未检查] 伪造发稿日期（单项否决：未检查）" in result.stdout
    assert "浅克隆" in result.stdout and "fetch-depth: 0" in result.stdout

    # outside any git repository: said so as well
    plain = tmp_path / "plain"
    shutil.copytree(clone, plain, ignore=shutil.ignore_patterns(".git"))
    result = _inspect(plain, "--at", "2026-12-21", "--format", "json")
    back = next(i for i in json.loads(result.stdout)["indicators"] if i["key"] == "backdating")
    assert result.returncode == 0 and back["judged"] is False and "不在 git 仓库中" in back["evidence"][0]


def test_column_names_are_escaped_and_markup_is_refused(project, tmp_path):
    root, _ = project
    copy = tmp_path / "copy"
    shutil.copytree(root, copy)
    columns = copy / "site_config/columns.yml"
    original = columns.read_text(encoding="utf-8")
    columns.write_text(original.replace("name: 机构概况", "name: 机构概况 & “简介” | 'A'>B"), encoding="utf-8")
    page = _inspect(copy, "--at", "2026-12-15", "--format", "html")
    assert page.returncode == 0, page.stderr
    assert "机构概况 &amp; “简介” | &#x27;A&#x27;&gt;B" in page.stdout and "'A'>B" not in page.stdout
    markdown = _inspect(copy, "--at", "2026-12-15", "--format", "markdown").stdout
    assert "机构概况 &amp; “简介” \\| 'A'&gt;B" in markdown

    columns.write_text(original.replace("name: 机构概况", "name: 机构概况<script>alert(1)</script>"), encoding="utf-8")
    refused = _inspect(copy, "--at", "2026-12-15", "--format", "html")
    assert refused.returncode == 2 and "<script" not in refused.stdout
    line = next(n for n, text in enumerate(columns.read_text(encoding="utf-8").splitlines(), 1) if "<script>" in text)
    assert f"site_config/columns.yml:{line}: 错误 [config.invalid] 栏目名称（name）是纯文本" in refused.stderr


@pytest.mark.parametrize("args, message", [
    (("--at", "2026-13-01"), "检查时间（--at）“2026-13-01”不是有效日期"),
    (("--at", "下个月"), "请写成 2026-11-30 或 2026-11-30 08:00"),
    (("--warn-days", "三"), "预警天数（--warn-days）应当是0到90之间的整数，现在是“三”"),
    (("--url", "mz.example.gov.cn"), "不是完整的网址"),
    (("--format", "pdf"), "用法错误"),
])
def test_bad_arguments_exit_2_in_chinese(project, args, message):
    root, _ = project
    result = _inspect(root, *args)
    assert result.returncode == 2 and message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_out_keeps_the_previous_report(project):
    root, _ = project
    out = root / "inspect-report"
    first = _inspect(root, "--at", "2026-12-15", "--format", "markdown", "--out", "inspect-report")
    assert first.returncode == 0 and (out / "inspect-2026-12.md").is_file()
    before = (out / "inspect-2026-12.md").read_text(encoding="utf-8")
    assert "没有变化" in _inspect(root, "--at", "2026-12-15", "--format", "markdown", "--out", "inspect-report").stdout
    second = _inspect(root, "--at", "2026-12-16", "--format", "markdown", "--out", "inspect-report")
    assert second.returncode == 0 and "已更新自查结果" in second.stdout and "原文件已备份到" in second.stdout
    backups = list((root / ".mzpress-backup" / "inspect-report").glob("inspect-2026-12.md.*"))
    assert len(backups) == 1 and backups[0].read_text(encoding="utf-8") == before
    assert "2026年12月16日" in (out / "inspect-2026-12.md").read_text(encoding="utf-8")
    (out / "inspect-2026-12.md").unlink()
    shutil.rmtree(root / ".mzpress-backup")
    out.rmdir()
    blocked = _inspect(root, "--out", "mkdocs.yml")
    assert blocked.returncode == 2 and "是一个文件，不是文件夹" in blocked.stderr
