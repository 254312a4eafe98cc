"""``mzpress takedown`` (应急撤稿) end to end: a real git repository, a real ssh-keygen key, a real build and a
real local deployment: the page, its bulletin passage, feed entry, search entry and photo gone at once, and
``review-check`` passing the signed take-down while listing it as awaiting 事后补审."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PIL import Image

from mzpress.model.review_policy import TAKEDOWN_MARKER, parse_public_key
from tests.support.git_repo import GitRepo
from tests.support.project import BUILD_DATE, new_project, story_text
from tools.search_index_files import indexed_pages

STORY = "content/stories/2026/zhangsan-jiuzhu.md"
OTHER = "content/stories/2026/chongyang.md"
PHOTO = "content/stories/2026/images/zhangsan-jiuzhu.jpg"
BULLETIN = "content/bulletins/2026/2026-10.md"
TITLE = "城关镇为困难群众张某某办理临时救助"
OTHER_TITLE = "重阳节走访慰问高龄老人"
ATOM = "{http://www.w3.org/2005/Atom}"


def _run(root: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, MZPRESS_BUILD_DATE=BUILD_DATE, NO_MKDOCS_2_WARNING="1", **(env or {}))
    return subprocess.run([sys.executable, "-m", "mzpress.cli", "--root", str(root), *args],
                          capture_output=True, text=True, env=env, cwd=root, timeout=600)


@pytest.fixture
def project(tmp_path):
    """The sample configuration with the 复审 王建国's key registered (signed approvals only), two October
    stories (one with a photo), the October bulletin quoting both, committed; git identity 王建国."""
    key = tmp_path / "keys" / "wangjianguo"
    key.parent.mkdir()
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "wangjianguo", "-f", str(key)], check=True)
    public, problem = parse_public_key((key.parent / "wangjianguo.pub").read_text(encoding="utf-8"))
    assert problem is None
    root = new_project(tmp_path / "site")
    units = root / "site_config/units.yml"
    text = units.read_text(encoding="utf-8").replace("  trust: trailers\n", "")
    text = text.replace("github: wangjianguo,", f'github: wangjianguo, ssh_key: "{public.line}",')
    assert public.line in text
    units.write_text(text, encoding="utf-8")
    repo = GitRepo(root)
    (root / PHOTO).parent.mkdir(parents=True)
    Image.new("RGB", (800, 600), (200, 120, 40)).save(root / PHOTO, quality=80)
    repo.write(STORY, story_text(TITLE, "2026-10-15 09:00", unit="social-assistance",
                                 body="城关镇为困难群众办理临时救助。\n\n![救助现场](images/zhangsan-jiuzhu.jpg)\n"))
    repo.write(OTHER, story_text(OTHER_TITLE, "2026-10-20 09:00", unit="elderly-care", body="走访慰问高龄老人。\n"))
    repo.commit("Stories", "2026-10-20T10:00:00+08:00", add_all=True)
    made = _run(root, "bulletin", "2026-10")
    assert made.returncode == 0, made.stderr
    bulletin = (root / BULLETIN).read_text(encoding="utf-8")
    assert TITLE in bulletin and "zhangsan-jiuzhu.jpg" in bulletin
    repo.commit("Bulletin", "2026-11-01T10:00:00+08:00", add_all=True)
    with repo.repo.config_writer() as config:
        config.set_value("user", "name", "王建国")
        config.set_value("user", "email", "wangjianguo@example.gov.cn")
        config.set_value("user", "signingkey", str(key))
        config.set_value("gpg", "format", "ssh")
    return repo


def _deploy_first(root: Path, target: Path) -> None:
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "--strict", "-d", str(root / "site")],
                           cwd=root, env=dict(os.environ, MZPRESS_BUILD_DATE=BUILD_DATE, NO_MKDOCS_2_WARNING="1"),
                           capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr
    deployed = _run(root, "deploy", "--to", str(target), "--site", str(root / "site"))
    assert deployed.returncode == 0, deployed.stderr


def test_takedown_removes_every_copy_deploys_and_awaits_review(project, tmp_path):
    root = project.path
    target = tmp_path / "www"
    _deploy_first(root, target)
    live = target / "current"
    story_url = "stories/2026/zhangsan-jiuzhu/"
    assert TITLE in (live / story_url / "index.html").read_text(encoding="utf-8")
    photos = [p for p in live.rglob("zhangsan-jiuzhu*.jpg")]
    assert photos  # the photo (and its renditions) are online

    started = time.monotonic()
    result = _run(root, "takedown", str(root / STORY), "--reason-category", "个人信息",
                  "--note", "稿件含困难群众的姓名和住址，群众来电要求撤下", "--to", str(target))
    elapsed = time.monotonic() - started
    assert result.returncode == 0, result.stdout + result.stderr
    print(f"takedown to local deployment: {elapsed:.1f} s")
    assert "已撤下 content/stories/2026/zhangsan-jiuzhu.md（个人信息" in result.stdout
    assert "民政简报中转载它的1段已换成" in result.stdout
    assert "content/stories/2026/images/zhangsan-jiuzhu.jpg" in result.stdout
    assert "已用你的密钥签名" in result.stdout and "页面已从网站撤下" in result.stdout

    # One commit, nothing left over.
    assert project.repo.git.status("--porcelain", "--untracked-files=no") == ""
    changed = project.repo.git.show("--name-only", "--format=", "HEAD").split()
    assert sorted(changed) == sorted([STORY, BULLETIN])
    message = project.repo.git.log("-1", "--format=%B")
    assert "撤下说明：稿件含困难群众" in message and "Stage: 应急" in message
    page = (root / STORY).read_text(encoding="utf-8")
    assert "  reason_category: 个人信息\n  unpublish: true\n" in page and "群众来电" not in page

    # The live site: the old address serves the styled 本页已撤下 page with date and category, not the note.
    gone = (live / story_url / "index.html").read_text(encoding="utf-8")
    assert "本页已撤下" in gone and TITLE not in gone and "2026-11-30" in gone and "个人信息" in gone
    assert "群众来电" not in gone and "撤下原因类别：个人信息" in gone and "应急撤稿（个人信息）" not in gone
    _assert_site_notice(gone, depth=3)
    bulletin_html = (live / "bulletins/2026/2026-10/index.html").read_text(encoding="utf-8")
    assert TITLE not in bulletin_html and TAKEDOWN_MARKER in bulletin_html and OTHER_TITLE in bulletin_html
    assert "zhangsan-jiuzhu" not in bulletin_html
    bulletin_source = (root / BULLETIN).read_text(encoding="utf-8")
    assert TITLE not in bulletin_source and "城关镇为困难群众" not in bulletin_source
    titles = [e.findtext(f"{ATOM}title") for e in ET.parse(live / "feeds/all.xml").getroot().iter(f"{ATOM}entry")]
    assert OTHER_TITLE in titles and TITLE not in titles
    index = indexed_pages(live)
    assert not [url for url, entry in index.items() if TITLE in entry.text + entry.meta.get("title", "")]
    assert any(OTHER_TITLE in entry.meta.get("title", "") for entry in index.values())
    assert story_url not in (live / "sitemap.xml").read_text(encoding="utf-8")
    assert not list(live.rglob("zhangsan-jiuzhu*.jpg"))  # the photo and its renditions are gone
    for listing in ("index.html", "stories/index.html", "stories/2026/index.html"):
        assert TITLE not in (live / listing).read_text(encoding="utf-8"), listing

    # The review lane: the signed take-down passes on its 应急 signature and awaits 事后补审.
    check = _run(root, "review-check", "HEAD", "--format", "json")
    assert check.returncode == 0, check.stdout + check.stderr
    data = json.loads(check.stdout)
    assert data["passed"] is True and data["emergency"] is True
    assert data["after_the_fact"]["complete"] is False and data["after_the_fact"]["awaiting"]


def _assert_site_notice(html: str, depth: int) -> None:
    """The 本页已撤下 notice is a page of the site: its header, menu, 当前位置, footer (网站标识码, 网站地图), the
    site's own stylesheet and scripts (files only: the CSP forbids inline ones), noindex, and none of the old page."""
    up = "../" * depth
    assert "<title>本页已撤下 - 示例县民政局</title>" in html
    assert '<meta name="robots" content="noindex">' in html
    assert '<header class="md-header' in html and 'class="md-tabs' in html  # the site's header and menu
    assert 'aria-label="当前位置"' in html and f'<a href="{up}">首页</a>' in html
    assert '<span aria-current="page">本页已撤下</span>' in html
    assert "<h1>本页已撤下</h1>" in html
    assert "网站标识码：0000000000" in html and f'<a href="{up}sitemap/">网站地图</a>' in html  # the footer
    assert f'<a href="{up}">返回首页</a>' in html
    assert f'<link rel="stylesheet" href="{up}assets/stylesheets/mzpress.css">' in html
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts and all(" src=" in tag for tag in scripts), scripts
    assert "<style" not in html and " style=" not in html
    assert "data-mz-search" not in html  # not a search result
    assert TITLE not in html and "城关镇为困难群众" not in html and "zhangsan-jiuzhu.jpg" not in html


def test_an_unpublished_page_without_redirect_leaves_the_site_notice_with_its_public_reason(project):
    """``withdraw --unpublish`` (the ordinary lane): the same notice, with the public reason escaped."""
    root = project.path
    result = _run(root, "withdraw", str(root / STORY), "--reason", "误发 <名单>", "--unpublish")
    assert result.returncode == 0, result.stdout + result.stderr
    (root / BULLETIN).unlink()  # it quotes the page: the ordinary lane needs the link removed too
    site = root / "site"
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "--strict", "-d", str(site)],
                           cwd=root, env=dict(os.environ, MZPRESS_BUILD_DATE=BUILD_DATE, NO_MKDOCS_2_WARNING="1"),
                           capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr
    gone = (site / "stories/2026/zhangsan-jiuzhu/index.html").read_text(encoding="utf-8")
    _assert_site_notice(gone, depth=3)
    assert "原因：误发 &lt;名单&gt;" in gone and "<名单>" not in gone
    # the menu marks the section the old page was in, and 当前位置 passes through it
    assert 'aria-label="当前位置"' in gone and ">民政故事</a>" in gone


def test_only_the_emergency_role_may_take_down(project):
    root = project.path
    with project.repo.config_writer() as config:
        config.set_value("user", "name", "孙国华")  # 养老服务股's 初审: no emergency role
        config.set_value("user", "email", "sunguohua@example.gov.cn")
    before = (root / STORY).read_bytes()
    head = project.head()
    result = _run(root, "takedown", str(root / STORY), "--reason-category", "舆情", "--note", "舆情处置")
    assert result.returncode == 1
    assert "只有应急撤稿人" in result.stderr and "孙国华" in result.stderr
    assert (root / STORY).read_bytes() == before and project.head() == head


def test_unsigned_takedown_is_committed_and_said_to_await_signatures(project):
    root = project.path
    project.repo.git.config("--unset", "user.signingkey")
    result = _run(root, "takedown", str(root / STORY), "--reason-category", "事实错误", "--note", "数字有误")
    assert result.returncode == 0, result.stderr
    assert "没有签名" in result.stdout and "待签名" in result.stdout
    assert "Stage:" not in project.repo.git.log("-1", "--format=%B")
    assert project.repo.git.status("--porcelain", "--untracked-files=no") == ""
    assert "reason_category: 事实错误" in (root / STORY).read_text(encoding="utf-8")


def test_a_note_with_personal_numbers_is_refused(project):
    root = project.path
    head = project.head()
    result = _run(root, "takedown", str(root / STORY), "--reason-category", "个人信息",
                  "--note", "当事人电话13912345678")
    assert result.returncode == 2 and "手机号" in result.stderr
    assert project.head() == head and project.repo.git.status("--porcelain", "--untracked-files=no") == ""


def test_inspect_flags_a_take_down_awaiting_after_the_fact_review_past_the_allowed_days(project):
    root = project.path
    moment = {"GIT_COMMITTER_DATE": "2026-11-30T10:00:00+08:00", "GIT_AUTHOR_DATE": "2026-11-30T10:00:00+08:00"}
    result = _run(root, "takedown", str(root / STORY), "--reason-category", "舆情", "--note", "舆情处置", env=moment)
    assert result.returncode == 0, result.stderr
    sha = project.head()[:10]
    within = _run(root, "inspect", "--at", "2026-12-02")
    assert "应急撤稿事后补审" in within.stdout, within.stdout
    assert "应急撤稿中有1个待事后补审，其中0个已超过3天。" in within.stdout
    late = _run(root, "inspect", "--at", "2026-12-04 12:00")
    assert "应急撤稿中有1个待事后补审，其中1个已超过3天。" in late.stdout, late.stdout
    assert f"提交 {sha}" in late.stdout and "待事后补审：" in late.stdout and "终审" in late.stdout
    assert f"scripts/mzpress approve --commit {sha} --stage 环节" in late.stdout
    # review.after_the_fact_days in units.yml sets the allowance.
    units = root / "site_config/units.yml"
    units.write_text(units.read_text(encoding="utf-8").replace("after_the_fact_days: 3", "after_the_fact_days: 7"),
                     encoding="utf-8")
    relaxed = _run(root, "inspect", "--at", "2026-12-04 12:00")
    assert "其中0个已超过7天。" in relaxed.stdout, relaxed.stdout


def test_after_the_fact_days_is_validated_with_file_and_line(project):
    root = project.path
    units = root / "site_config/units.yml"
    units.write_text(units.read_text(encoding="utf-8").replace("after_the_fact_days: 3", "after_the_fact_days: 三天"),
                     encoding="utf-8")
    result = _run(root, "check")
    assert result.returncode != 0
    assert "site_config/units.yml:" in result.stdout + result.stderr
    assert "review.after_the_fact_days" in result.stdout + result.stderr


def test_a_project_without_take_downs_has_no_after_the_fact_row(project):
    result = _run(project.path, "inspect", "--at", "2026-12-04")
    assert "链接可用性" in result.stdout, result.stdout + result.stderr  # the inspection ran
    assert "应急撤稿事后补审" not in result.stdout
