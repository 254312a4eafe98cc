"""``mzpress export`` end to end on a temporary project: the three formats, the check gate, publication state,
recording a submission."""

import io
import zipfile

import docx
import pytest

from tests.support.docx_fixtures import photo_bytes
from tests.support.project import add_story, mzpress, new_project, story_text, tree_digest, write

STORY = "content/stories/2026/shitang.md"
BODY = """
3月11日中午，东湖乡长者食堂准时开餐，60岁以上老人每餐只需支付5元。详见[县政府网站](https://www.example.gov.cn/1.html)。

![老人在长者食堂用餐](images/shitang-1.jpg)

图为老人在长者食堂用餐。

## 吃得实惠

| 项目 | 金额 |
| --- | --- |
| 建设补助 | 3.5万元 |

食堂委托社会服务机构运营，菜品少油少盐。
"""


def _project(tmp_path, body=BODY, extra="", gps=False):
    root = new_project(tmp_path / "p", with_sample_pages=False)
    add_story(root, 2026, "shitang", title="东湖乡长者食堂开餐", date="2026-04-02 09:00", unit="elderly-care",
              summary="东湖乡首个长者食堂正式开餐。", body=body, extra=extra)
    photo = root / "content" / "stories" / "2026" / "images" / "shitang-1.jpg"
    photo.parent.mkdir(parents=True, exist_ok=True)
    photo.write_bytes(photo_bytes((800, 600), gps=gps))
    return root


def _export(root, *args):
    return mzpress(root, "export", str(root / STORY), *args)


def test_wechat_folder_with_the_html_and_the_photos(tmp_path):
    root = _project(tmp_path)
    result = _export(root, "--for", "wechat")
    assert result.returncode == 0, result.stderr
    folder = root / "导出" / "shitang-公众号"
    html = (folder / "shitang-公众号.html").read_text(encoding="utf-8")
    assert "东湖乡长者食堂开餐" in html and "参考链接" in html and "<a " not in html and "class=" not in html
    photo = folder / "图1-老人在长者食堂用餐.jpg"
    assert photo.read_bytes() == (root / "content/stories/2026/images/shitang-1.jpg").read_bytes()
    assert (root / "导出" / ".gitignore").read_text(encoding="utf-8").endswith("*\n")  # never committed by accident
    assert "已写入公众号排版稿" in result.stdout and "图1-老人在长者食堂用餐.jpg" in result.stdout


def test_docx_package_with_the_slip(tmp_path):
    root = _project(tmp_path)
    result = _export(root, "--for", "docx", "--to", "city-mz-site")
    assert result.returncode == 0, result.stderr
    archive = zipfile.ZipFile(root / "导出" / "shitang-报送.zip")
    assert archive.namelist() == ["东湖乡长者食堂开餐.docx", "图1-老人在长者食堂用餐.jpg"]
    document = docx.Document(io.BytesIO(archive.read("东湖乡长者食堂开餐.docx")))
    fields = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert (fields["报送单位"], fields["作者"], fields["审核人"], fields["图片数"], fields["报送至"], fields["报送日期"]) == (
        "示例县民政局养老服务股", "测试作者", "测试编辑", "1张", "示例市民政局网站", "2026年11月30日")
    assert fields["网站发布"] == "2026年4月2日在示例县民政局网站发布：https://mz.example.gov.cn/stories/2026/shitang/"
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 1"] == ["一、吃得实惠"]
    assert "稿签：标题：东湖乡长者食堂开餐；报送单位：示例县民政局养老服务股" in result.stdout


def test_text_digest_within_the_outlets_limit(tmp_path):
    root = _project(tmp_path)
    result = _export(root, "--for", "text")
    assert result.returncode == 0, result.stderr
    digest = result.stdout.splitlines()[0]
    # The opening paragraph (before the first heading) fits whole; the link keeps its text only.
    assert digest == "【东湖乡长者食堂开餐】3月11日中午，东湖乡长者食堂准时开餐，60岁以上老人每餐只需支付5元。详见县政府网站。"
    assert len(digest) <= 300 and f"共{len(digest)}字，示例手机报每条最多300字" in result.stdout
    assert (root / "导出" / "shitang-手机报.txt").read_text(encoding="utf-8") == digest + "\n"
    write(root / "site_config" / "outlets.yml", (root / "site_config/outlets.yml").read_text(encoding="utf-8")
          .replace("char_limit: 300", "char_limit: 50"))
    short = _export(root, "--for", "text", "--out", str(tmp_path / "out"))
    assert short.returncode == 0, short.stderr
    assert short.stdout.splitlines()[0] == "【东湖乡长者食堂开餐】3月11日中午，东湖乡长者食堂准时开餐，60岁以上老人每餐只需支付5元。"
    summary = _export(root, "--for", "text", "--summary", "--out", str(tmp_path / "out"))
    assert summary.stdout.splitlines()[0] == "【东湖乡长者食堂开餐】东湖乡首个长者食堂正式开餐。"


@pytest.mark.parametrize(("body", "gps", "expected"), [
    (BODY.replace("images/shitang-1.jpg", "images/missing.jpg"), False, "[images.missing]"),
    (BODY, True, "[images.gps]"),
    (BODY + "\n联系人身份证号110101199003074514。\n", False, "[privacy."),
])
def test_a_page_the_check_refuses_is_not_exported(tmp_path, body, gps, expected):
    root = _project(tmp_path, body=body, gps=gps)
    before = tree_digest(root)
    result = _export(root, "--for", "docx")
    assert result.returncode == 1
    assert expected in result.stderr and "有错误，不能导出" in result.stderr
    assert "mzpress check content/stories/2026/shitang.md" in result.stderr
    assert tree_digest(root) == before  # nothing written


def test_unpublished_pages_need_the_flag_and_withdrawn_pages_never_go(tmp_path):
    root = _project(tmp_path, extra="draft: true\n")
    refused = _export(root, "--for", "wechat")
    assert refused.returncode == 1 and "还是草稿" in refused.stderr and "--unpublished" in refused.stderr
    assert _export(root, "--for", "wechat", "--unpublished").returncode == 0
    later = _project(tmp_path / "later")
    write(root.parent / "later" / "p" / STORY, (later / STORY).read_text(encoding="utf-8")
          .replace("2026-04-02 09:00", "2026-12-24 09:00"))
    scheduled = _export(later, "--for", "text")
    assert scheduled.returncode == 1 and "定于2026年12月24日09:00发布" in scheduled.stderr
    gone = _project(tmp_path / "gone", extra="withdrawn:\n  date: 2026-05-01\n  reason: 活动已取消。\n")
    withdrawn = _export(gone, "--for", "docx", "--unpublished")
    assert withdrawn.returncode == 1 and "已经撤回（活动已取消。）" in withdrawn.stderr


def test_usage_errors(tmp_path):
    root = _project(tmp_path)
    unknown = _export(root, "--for", "docx", "--to", "city-mz-sit")
    assert unknown.returncode == 2 and "city-mz-site" in unknown.stderr
    assert _export(root, "--for", "wechat", "--record").returncode == 2
    inside = _export(root, "--for", "wechat", "--out", str(root / "content" / "x"))
    assert inside.returncode == 2 and "不能导出到 content/ 文件夹里" in inside.stderr
    write(root / "content/notices/2026/tongzhi.md", story_text("通知", "2026-04-02 09:00", extra="start: 2026-04-02\nend: 2026-04-09\n"))
    notice = mzpress(root, "export", str(root / "content/notices/2026/tongzhi.md"), "--for", "text", "--record")
    assert notice.returncode == 2 and "报送统计只统计民政故事" in notice.stderr
    help_text = mzpress(root, "export", "--help").stdout
    assert "--unpublished" in help_text and "草稿" in help_text and "已撤回的稿件不能导出" in help_text


def test_record_writes_submitted_to_once_with_a_backup(tmp_path):
    root = _project(tmp_path)
    original = (root / STORY).read_text(encoding="utf-8")
    result = _export(root, "--for", "docx", "--to", "city-mz-site", "--record")
    assert result.returncode == 0, result.stderr
    text = (root / STORY).read_text(encoding="utf-8")
    assert text == original.replace("summary: 东湖乡首个长者食堂正式开餐。\n", "summary: 东湖乡首个长者食堂正式开餐。\n"
                                    "submitted_to:\n  - {outlet: city-mz-site, date: 2026-11-30, kind: text}\n")
    assert "已在 content/stories/2026/shitang.md 的信息区记录报送：示例市民政局网站，2026年11月30日，文字稿件。" in result.stdout
    backups = list((root / ".mzpress-backup").rglob("shitang.md.*"))
    assert len(backups) == 1 and backups[0].read_text(encoding="utf-8") == original  # not in git: a backup
    assert mzpress(root, "check", str(root / STORY)).returncode == 0
    again = _export(root, "--for", "wechat", "--to", "city-mz-site", "--record")
    assert again.returncode == 0 and "已经记录过报送给示例市民政局网站" in again.stdout
    assert (root / STORY).read_text(encoding="utf-8") == text
    mobile = _export(root, "--for", "text", "--record", "--kind", "photo")  # the one outlet with a char_limit
    assert mobile.returncode == 0, mobile.stderr
    assert "  - {outlet: mobile-paper, date: 2026-11-30, kind: photo}\n" in (root / STORY).read_text(encoding="utf-8")

