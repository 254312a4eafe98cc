"""Issue 3 end to end in a real git repository: a writer's Word file becomes a reviewed, merged,
accountable story page.

import-docx -> mzpress check -> commit on a branch -> merge into main with Reviewed-by -> build ->
the page shows unit, author, editor and 更新记录; `mzpress history` lists the reviewer.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import git

from mzpress.model.schema import TIMEZONE
from tests.support.docx_fixtures import photo_bytes, story_docx
from tests.support.project import build, mzpress, new_project


def _actor(name: str, email: str) -> git.Actor:
    return git.Actor(name, email)


def test_word_file_to_reviewed_story_page(tmp_path):
    project = new_project(tmp_path / "site")
    repo = git.Repo.init(project, initial_branch="main")
    repo.git.add(A=True)
    admin = _actor("网站管理员", "admin@example.gov.cn")
    repo.index.commit("Import the old site", author=admin, committer=admin)
    # Everything committed so far counts as imported from the old site.
    site_yml = project / "site_config/site.yml"
    text = re.sub(r"start: .*", f"start: {repo.head.commit.hexsha}", site_yml.read_text(encoding="utf-8"))
    site_yml.write_text(text, encoding="utf-8")
    repo.index.add(["site_config/site.yml"])
    repo.index.commit("Ledger starts after the import", author=admin, committer=admin)

    writer = _actor("李晓梅", "lixiaomei@example.gov.cn")
    repo.git.checkout("-b", "story/xiaolao")
    docx_path = story_docx(tmp_path / "稿件.docx", photo=photo_bytes(gps=True))
    published = dt.datetime.now(TIMEZONE).replace(second=0, microsecond=0)
    imported = mzpress(project, "import-docx", str(docx_path), "--unit", "elderly-care", "--topic", "xiaoxian",
                       "--author", "李晓梅", "--editor", "王建国", "--date", published.strftime("%Y-%m-%d %H:%M"),
                       "--slug", "chengguan-xiaolao", build_date=published.isoformat())
    assert imported.returncode == 0, imported.stdout + imported.stderr
    story = project / f"content/stories/{published.year}/chengguan-xiaolao.md"
    markdown = story.read_text(encoding="utf-8")
    assert "待补充图片说明" in markdown  # the photo had no alt text: the writer must describe it
    checked = mzpress(project, "check", "--format", "json", build_date=published.isoformat())
    assert checked.returncode == 1
    assert {f["rule"] for f in json.loads(checked.stdout) if f["severity"] == "error"} == {"images.missing-alt"}
    story.write_text(markdown.replace("待补充图片说明", "志愿者为老人理发"), encoding="utf-8")
    checked = mzpress(project, "check", build_date=published.isoformat())
    assert checked.returncode == 0, checked.stdout

    repo.git.add(A=True)
    repo.index.commit("新增稿件：城关镇孝老爱亲志愿服务", author=writer, committer=writer)
    repo.git.checkout("main")
    reviewer = _actor("王建国", "wangjianguo@example.gov.cn")
    repo.git.merge("--no-ff", "story/xiaolao", "-m",
                   "Merge story/xiaolao\n\nReviewed-by: 孙国华 <sunguohua@example.gov.cn>\n"
                   "Reviewed-by: 王建国 <wangjianguo@example.gov.cn>\n"
                   "Approved-by: 陈志强 <chenzhiqiang@example.gov.cn>",
                   env={"GIT_AUTHOR_NAME": reviewer.name, "GIT_AUTHOR_EMAIL": reviewer.email,
                        "GIT_COMMITTER_NAME": reviewer.name, "GIT_COMMITTER_EMAIL": reviewer.email})

    out = tmp_path / "out"
    built = build(project, out, build_date=(published + dt.timedelta(days=1)).isoformat())
    assert built.returncode == 0, built.stderr
    page = (out / f"stories/{published.year}/chengguan-xiaolao/index.html").read_text(encoding="utf-8")
    assert "来源：养老服务股" in page and "作者：李晓梅" in page and "责任编辑：王建国" in page
    assert "更新记录" in page and "首次发布：" + published.strftime("%Y-%m-%d") in page
    assert 'alt="志愿者为老人理发"' in page

    history = mzpress(project, "history", "--format", "json", f"content/stories/{published.year}/chengguan-xiaolao.md")
    assert history.returncode == 0, history.stderr
    # The sample's units.yml trusts typed trailers for a transition period: the unit's 初审 and the
    # bureau's 复审 and 终审 are the page's reviewers (shown as not verified by a signature).
    assert all(name in history.stdout for name in ("孙国华", "王建国", "陈志强", "李晓梅"))
    text_history = mzpress(project, "history", f"content/stories/{published.year}/chengguan-xiaolao.md")
    assert "孙国华" in text_history.stdout and "三审不全" not in text_history.stdout
