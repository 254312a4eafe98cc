"""``mzpress bulletin``: a real project, the command, ``mzpress check`` on its result, and the built site."""

from __future__ import annotations

import re

import pytest
from pypdf import PdfWriter

from tests.support.project import add_story, build, mzpress, new_project, write
from tools.search_index_files import indexed_pages

BODY = "\n".join([
    "## 活动经过",
    "",
    "志愿者为老人测量血压。",
    "",
    "![志愿者为老人测量血压](images/jinglao-1.jpg)",
    "",
    "详见[活动方案](files/jinglao-fangan.pdf)。",
])
PIXEL = bytes.fromhex("ffd8ffe000104a46494600010100000100010000ffdb004300080606070605080707070909080a0c140d0c0b0b0c1912"
                      "130f141d1a1f1e1d1a1c1c20242e2720222c231c1c2837292c30313434341f27393d38323c2e333432ffc0000b08000100"
                      "0101011100ffc4001f0000010501010101010100000000000000000102030405060708090a0bffc400b5100002010303"
                      "020403050504040000017d01020300041105122131410613516107227114328191a1082342b1c11552d1f02433627282"
                      "090a161718191a25262728292a3435363738393a434445464748494a535455565758595a636465666768696a73747576"
                      "7778797a838485868788898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9ca"
                      "d2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9faffda0008010100003f00fbd3ffd9")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One project: two October stories (one flagged), a November story; the October issue made and built."""
    root = new_project(tmp_path_factory.mktemp("bulletin") / "p")
    add_story(root, 2026, "jinglao-huodong", title="城关镇开展敬老志愿服务", date="2026-10-09 09:00",
              summary="敬老志愿服务。", body=BODY, extra="bulletin: true\n")
    (root / "content" / "stories" / "2026" / "images").mkdir(parents=True)
    (root / "content" / "stories" / "2026" / "images" / "jinglao-1.jpg").write_bytes(PIXEL)
    (root / "content" / "stories" / "2026" / "files").mkdir()
    pdf = PdfWriter()
    pdf.add_blank_page(width=595, height=842)
    with open(root / "content" / "stories" / "2026" / "files" / "jinglao-fangan.pdf", "wb") as stream:
        pdf.write(stream)
    add_story(root, 2026, "dibao-shencha", title="低保年度审核", date="2026-10-20 09:00", summary="低保审核。")
    add_story(root, 2026, "shiyue-wan", title="十一月稿件", date="2026-11-02 09:00", summary="十一月。")
    made = mzpress(root, "bulletin", "2026-10", "--date", "2026-11-05 09:00", "--at", "2026-11-30")
    check = mzpress(root, "check")
    out = root.parent / "site"
    result = build(root, out)
    return root, made, check, result, out


def test_the_command_writes_the_issue_and_says_what_it_took(built):
    root, made, *_ = built
    assert made.returncode == 0, made.stderr
    assert "已生成 content/bulletins/2026/2026-10.md：2026年第10期（总第58期），收入标记了 bulletin: true 的稿件1篇。" \
        in made.stdout
    text = (root / "content" / "bulletins" / "2026" / "2026-10.md").read_text(encoding="utf-8")
    assert "城关镇开展敬老志愿服务" in text and "低保年度审核" not in text


def test_the_issue_passes_the_same_check_as_every_page(built):
    _, _, check, *_ = built
    bulletin_findings = [line for line in check.stdout.splitlines() if line.startswith("content/bulletins/")]
    assert check.returncode == 0 and bulletin_findings == [], check.stdout


def test_the_built_issue_has_its_masthead_byline_and_working_links(built):
    *_, result, out = built
    assert result.returncode == 0, result.stderr
    html = (out / "bulletins" / "2026" / "2026-10" / "index.html").read_text(encoding="utf-8")
    assert '<p class="mz-bulletin-masthead__name" aria-hidden="true">示例县民政简报</p>' in html
    assert '<h1 class="mz-bulletin-masthead__title">示例县民政简报2026年第10期（总第58期）</h1>' in html
    assert "<span>办公室编</span>" in html and "<time>2026年11月5日</time>" in html
    assert '<h2 id="story-1">城关镇开展敬老志愿服务</h2>' in html and "<h3" in html
    assert '<a href="#story-1">城关镇开展敬老志愿服务</a>' in html
    page_dir = out / "bulletins" / "2026" / "2026-10"
    targets = re.findall(r'(?:src|href)="(\.\./[^"#]+)"', html.split('class="mz-bulletin-body"', 1)[1])
    assert any(t.endswith("jinglao-1.jpg") for t in targets) and any(t.endswith(".pdf") for t in targets)
    assert any(t.endswith("stories/2026/jinglao-huodong/") for t in targets)
    for target in targets:  # the original, the image and the attachment all exist in the built site
        path = (page_dir / target).resolve()
        assert (path / "index.html" if target.endswith("/") else path).is_file(), target


def test_the_bulletins_listing_names_the_issue(built):
    *_, out = built
    html = (out / "bulletins" / "index.html").read_text(encoding="utf-8")
    assert 'href="2026/2026-10/"' in html and "示例县民政简报2026年第10期（总第58期）" in html


def test_the_print_stylesheet_lays_pages_out_on_a4(built):
    *_, out = built
    css = (out / "assets" / "stylesheets" / "mzpress.css").read_text(encoding="utf-8")
    assert re.search(r"@page\s*\{[^}]*size:\s*A4", css)
    assert ".mz-bulletin-body" in css.split("@media print", 1)[1]


def test_search_finds_the_issue_by_title_and_the_text_through_the_stories(built):
    *_, out = built
    index = indexed_pages(out)
    issue = index["/bulletins/2026/2026-10/"].text
    assert "志愿者为老人测量血压" not in issue and "本期收录2026年10月民政工作稿件1篇。" in issue
    assert any("志愿者为老人测量血压" in page.text for url, page in index.items() if url.startswith("/stories/"))


def test_bad_months_and_missing_names_get_plain_chinese_errors(tmp_path):
    root = new_project(tmp_path / "p")
    for month, words in (("2026-13", "月份13不存在"), ("2026-Q2", "不是一个月份"), ("四月", "无法识别")):
        result = mzpress(root, "bulletin", month)
        assert result.returncode == 2 and words in result.stderr and "Traceback" not in result.stderr
    settings = root / "site_config" / "site.yml"
    settings.write_text(re.sub(r"  author: .*\n", "", settings.read_text(encoding="utf-8")), encoding="utf-8")
    add_story(root, 2026, "a", title="十月", date="2026-10-09 09:00")
    result = mzpress(root, "bulletin", "2026-10", "--at", "2026-11-30")
    assert result.returncode == 2 and "--author" in result.stderr
    result = mzpress(root, "bulletin", "2026-10", "--author", "周文静", "--unit", "ofice", "--at", "2026-11-30")
    assert result.returncode == 2 and "office" in result.stderr  # did you mean
    assert not (root / "content" / "bulletins").exists()
    write(root / "content" / "bulletins" / "2026" / "2026-10.md", "---\ntitle: 手写的一期\n---\n")
    result = mzpress(root, "bulletin", "2026-10", "--author", "周文静", "--at", "2026-11-30")
    assert result.returncode == 2 and "有错误" in result.stderr


def test_the_command_prints_the_distribution_block_for_the_printed_copy(built):
    _, made, *_ = built
    assert "印发纸质简报时，末页的报送范围" in made.stdout
    assert "  报：示例市民政局。\n  送：示例县委办公室，示例县人民政府办公室。\n  发：各乡镇（街道）民政办，局机关各股室。\n" \
        in made.stdout


def test_an_unfinished_month_is_refused_without_force_and_warned_about_with_it(tmp_path):
    root = new_project(tmp_path / "p", with_sample_pages=False)
    add_story(root, 2026, "shier-yue", title="十二月稿件", date="2026-12-03 09:00", summary="十二月。")
    refused = mzpress(root, "bulletin", "2026-12", "--at", "2026-12-08 10:00")
    assert refused.returncode == 2 and "2026年12月还没有结束（今天是2026年12月8日）" in refused.stderr
    assert "--force" in refused.stderr and not (root / "content" / "bulletins").exists()
    forced = mzpress(root, "bulletin", "2026-12", "--at", "2026-12-08 10:00", "--force")
    assert forced.returncode == 0, forced.stderr
    assert "注意：2026年12月还没有结束，本期只收入了到现在为止发布的稿件" in forced.stdout


def test_hand_edits_are_kept_unless_forced_then_backed_up_and_shown(tmp_path):
    from tests.support.git_repo import GitRepo

    root = new_project(tmp_path / "p", with_sample_pages=False)
    add_story(root, 2026, "shi-yue", title="十月稿件", date="2026-10-09 09:00", summary="十月。")
    repo = GitRepo(root)
    made = mzpress(root, "bulletin", "2026-10", "--at", "2026-11-30")
    assert made.returncode == 0, made.stderr
    issue = root / "content" / "bulletins" / "2026" / "2026-10.md"
    repo.commit("十月简报", "2026-11-30T10:00:00+08:00", add_all=True)
    # regenerated as mzpress wrote it: no --force, git keeps the old text
    add_story(root, 2026, "shi-yue-2", title="十月第二篇", date="2026-10-20 09:00", summary="十月。")
    again = mzpress(root, "bulletin", "2026-10", "--at", "2026-11-30")
    assert again.returncode == 0, again.stderr
    assert "已重新生成" in again.stdout and "原文件已提交到 git" in again.stdout and "+## 十月第二篇" in again.stdout
    repo.commit("十月简报加一篇", "2026-11-30T11:00:00+08:00", add_all=True)
    edited = issue.read_text(encoding="utf-8").replace("测试正文。", "测试正文。编者按：手工补充的一段。", 1)
    issue.write_text(edited, encoding="utf-8")
    repo.commit("手工修改", "2026-11-30T12:00:00+08:00", add_all=True)
    refused = mzpress(root, "bulletin", "2026-10", "--at", "2026-11-30")
    assert refused.returncode == 2 and "手工修改" in refused.stderr and "--force" in refused.stderr
    assert issue.read_text(encoding="utf-8") == edited
    forced = mzpress(root, "bulletin", "2026-10", "--at", "2026-11-30", "--force")
    assert forced.returncode == 0, forced.stderr
    assert "原来的简报有手工修改" in forced.stdout and "-测试正文。编者按：手工补充的一段。" in forced.stdout
    (backup,) = (root / ".mzpress-backup").rglob("2026-10.md.*")  # a copy even though git has it
    assert backup.read_text(encoding="utf-8") == edited and "编者按" not in issue.read_text(encoding="utf-8")
    check = mzpress(root, "check", "content/bulletins/2026/2026-10.md")
    assert check.returncode == 0, check.stdout
