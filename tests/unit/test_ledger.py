"""The git ledger against real repositories: revisions, merges, reviewers, first/last dates, backdating."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess

import pytest

from mzpress.checks.runner import check_project
from mzpress.history.ledger import (
    DatedPage,
    ImportRule,
    Ledger,
    LedgerConfigError,
    LedgerStart,
    LedgerUnavailable,
    PathDates,
    find_backdated,
    first_and_last,
    page_history,
    parse_ledger_start,
    parse_trailers,
)
from mzpress.model.content import DATED_KINDS
from mzpress.model.findings import Severity
from mzpress.model.schema import TIMEZONE
from tests.support.git_repo import GitRepo
from tests.support.project import new_project, story_text

STORY = "content/stories/2027/chengguan-jinglao.md"


def _at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def _story(title: str, date: str) -> str:
    return story_text(title=title, date=date, unit="elderly-care")


# ------------------------------------------------------------------ history


@pytest.fixture
def reviewed(tmp_path):
    """main: one commit; branch 'edit': one commit; merged --no-ff with reviewer trailers."""
    repo = GitRepo(tmp_path / "repo")
    first = repo.commit("Add story", "2027-01-05T09:00:00+08:00", {STORY: _story("城关镇敬老", "2027-01-05 09:00")})
    repo.branch("edit")
    edit = repo.commit("Correct the photo caption", "2027-01-06T10:00:00+08:00",
                       {STORY: _story("城关镇敬老活动", "2027-01-05 09:00")})
    repo.checkout("main")
    merge = repo.merge("edit", "Merge pull request #7 from edit\n\n修改图片说明\n\n"
                       "Reviewed-by: 王建国 <wangjianguo@example.gov.cn>\n"
                       "Approved-by: 陈志强 <chenzhiqiang@example.gov.cn>\n"
                       "Reviewed-on: https://git.example.gov.cn/mz/site/pulls/7",
                       "2027-01-07T16:30:00+08:00")
    return repo, first, edit, merge


def test_history_names_the_merge_and_the_reviewers_of_a_branch_commit(reviewed):
    repo, first, edit, merge = reviewed
    revisions = page_history(repo.path, STORY)
    assert [r.sha for r in revisions] == [edit, first]
    newest = revisions[0]
    assert newest.author_name == "李晓梅" and newest.author_email == "lixiaomei@example.gov.cn"
    assert newest.subject == "Correct the photo caption"
    assert newest.authored == _at("2027-01-06T10:00:00+08:00")
    assert not newest.on_main_line
    assert newest.merge is not None and newest.merge.sha == merge
    assert newest.merge.committer == "王建国"
    assert newest.merge.committed == _at("2027-01-07T16:30:00+08:00")
    assert newest.published == newest.merge.committed
    assert [(r.trailer, r.who, r.source) for r in newest.reviewers] == [
        ("Reviewed-by", "王建国 <wangjianguo@example.gov.cn>", "merge"),
        ("Approved-by", "陈志强 <chenzhiqiang@example.gov.cn>", "merge"),
    ]
    assert newest.review_links == ("https://git.example.gov.cn/mz/site/pulls/7",)


def test_history_of_a_commit_made_on_the_main_line(reviewed):
    repo, first, _, _ = reviewed
    oldest = page_history(repo.path, STORY)[-1]
    assert oldest.sha == first and oldest.on_main_line and oldest.merge is None
    assert oldest.reviewers == ()


def test_reviewer_trailers_in_the_commit_itself(tmp_path):
    repo = GitRepo(tmp_path / "repo")
    repo.commit("Add story\n\nReviewed-by: 刘芳 <liufang@example.gov.cn>", "2027-01-05T09:00:00+08:00",
                {STORY: _story("标题", "2027-01-05")})
    (revision,) = page_history(repo.path, STORY)
    assert [(r.trailer, r.who, r.source) for r in revision.reviewers] == [
        ("Reviewed-by", "刘芳 <liufang@example.gov.cn>", "commit")]


def test_history_follows_a_rename_made_on_a_merged_branch(tmp_path):
    repo = GitRepo(tmp_path / "repo")
    old = "content/stories/2026/jinglao.md"
    body = _story("敬老", "2027-01-05") + "正文第一段。\n" * 20
    first = repo.commit("Add story", "2027-01-05T09:00:00+08:00", {old: body})
    repo.branch("move")
    repo.move(old, STORY)
    moved = repo.commit("Move to 2027", "2027-01-06T09:00:00+08:00")
    repo.checkout("main")
    merge = repo.merge("move", "Merge move\n\nReviewed-by: 王建国", "2027-01-06T12:00:00+08:00")
    revisions = page_history(repo.path, STORY)
    assert [(r.sha, r.path) for r in revisions] == [(moved, STORY), (first, old)]
    assert revisions[0].merge.sha == merge
    # The renamed file keeps the first main-line date of its old name.
    span = first_and_last(repo.path, [STORY])[STORY]
    assert (span.first_commit, span.last_commit) == (first, merge)


def test_history_follows_a_rename_when_every_commit_has_the_same_time(tmp_path):
    """Scripts commit and merge within one second; git log's date order alone then loses commits."""
    repo = GitRepo(tmp_path / "repo")
    old = "content/stories/2026/jinglao.md"
    same = "2027-01-05T09:00:00+08:00"
    first = repo.commit("Add story", same, {old: _story("敬老", "2027-01-05") + "正文。\n" * 20})
    repo.branch("move")
    repo.move(old, STORY)
    moved = repo.commit("Move to 2027", same)
    repo.checkout("main")
    repo.merge("move", "Merge move", same)
    assert [r.sha for r in page_history(repo.path, STORY)] == [moved, first]


def test_a_page_written_from_a_copy_of_another_has_only_its_own_history(tmp_path):
    repo = GitRepo(tmp_path / "repo")
    template = "content/notices/2027/gongshi-1.md"
    body = "公示内容。\n" * 40
    repo.commit("First notice", "2027-01-05T09:00:00+08:00", {template: _story("第一批公示", "2027-01-05") + body})
    copy = repo.commit("Second notice from the first", "2027-02-05T09:00:00+08:00",
                       {"content/notices/2027/gongshi-2.md": _story("第二批公示", "2027-02-05") + body})
    assert [r.sha for r in page_history(repo.path, "content/notices/2027/gongshi-2.md")] == [copy]
    span = first_and_last(repo.path, ["content/notices/2027/gongshi-2.md"])["content/notices/2027/gongshi-2.md"]
    assert span.first_commit == copy


def test_history_of_a_project_in_a_subfolder_of_the_repository(tmp_path):
    repo = GitRepo(tmp_path / "repo")
    sha = repo.commit("Add story", "2027-01-05T09:00:00+08:00", {f"site/{STORY}": _story("标题", "2027-01-05")})
    (revision,) = page_history(repo.path / "site", STORY)
    assert revision.sha == sha and revision.path == STORY
    assert first_and_last(repo.path / "site", [STORY])[STORY].first_commit == sha


def test_trailers_only_come_from_the_last_paragraph():
    assert parse_trailers("Subject only: no trailers") == []
    assert parse_trailers("Subject\n\nReviewed-by: A\n\nBody after") == []
    assert parse_trailers("Subject\n\nBody\n\nReviewed-by: A <a@x>\nApproved-by: B") == [
        ("Reviewed-by", "A <a@x>"), ("Approved-by", "B")]


# ---------------------------------------------------------- not a repository


def test_a_folder_that_is_not_a_repository(tmp_path):
    with pytest.raises(LedgerUnavailable, match="不在 git 仓库中"):
        Ledger(tmp_path)


def test_a_repository_without_commits(tmp_path):
    GitRepo(tmp_path / "empty")
    with pytest.raises(LedgerUnavailable, match="还没有任何提交"):
        page_history(tmp_path / "empty", STORY)


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to give the repository to another user")
def test_a_repository_owned_by_another_user(tmp_path):
    repo = GitRepo(tmp_path / "other")
    repo.commit("First", "2027-01-05T09:00:00+08:00", {STORY: _story("标题", "2027-01-05")})
    for path in [repo.path, *repo.path.rglob("*")]:
        os.chown(path, 65534, 65534, follow_symlinks=False)
    with pytest.raises(LedgerUnavailable, match="dubious ownership.*safe.directory"):
        Ledger(repo.path)


def test_a_file_never_committed_has_no_history(reviewed):
    repo = reviewed[0]
    assert page_history(repo.path, "content/stories/2027/never.md") == []
    assert "content/stories/2027/never.md" not in first_and_last(repo.path, ["content/stories/2027/never.md"])


# ---------------------------------------------------------- first and last


def test_first_and_last_over_many_files_in_one_git_log_pass(tmp_path, monkeypatch):
    """~50 files: additions on the main line and on merged branches, edits, a rename and a deletion."""
    repo = GitRepo(tmp_path / "repo")
    expected: dict[str, tuple[str, str]] = {}  # path -> (first commit, last commit)
    times: dict[str, dt.datetime] = {}

    def name(i: int) -> str:
        return f"content/stories/2027/story-{i:02d}.md"

    for batch in range(10):  # ten main-line commits adding five files each
        when = f"2027-01-{batch + 1:02d}T09:00:00+08:00"
        sha = repo.commit(f"Batch {batch}", when, {name(i): f"{i}\n" for i in range(batch * 5, batch * 5 + 5)})
        times[sha] = _at(when)
        for i in range(batch * 5, batch * 5 + 5):
            expected[name(i)] = (sha, sha)
    # A branch edits files 0-9 and adds file 50; branch commits are older than their merge.
    repo.branch("edits")
    repo.commit("Edit on branch", "2027-01-11T09:00:00+08:00",
                {**{name(i): f"{i} edited\n" for i in range(10)}, name(50): "50\n"})
    repo.checkout("main")
    merge = repo.merge("edits", "Merge edits", "2027-01-15T18:00:00+08:00")
    times[merge] = _at("2027-01-15T18:00:00+08:00")
    for i in range(10):
        expected[name(i)] = (expected[name(i)][0], merge)
    expected[name(50)] = (merge, merge)
    # A rename keeps the first date; a deletion removes the file.
    repo.move(name(20), "content/stories/2027/renamed.md")
    rename = repo.commit("Rename", "2027-01-16T09:00:00+08:00", {name(21): None})
    times[rename] = _at("2027-01-16T09:00:00+08:00")
    expected["content/stories/2027/renamed.md"] = (expected.pop(name(20))[0], rename)
    expected.pop(name(21))

    calls = []
    original = Ledger.git_text

    def counting(self, *args):
        calls.append(args[0])
        return original(self, *args)

    monkeypatch.setattr(Ledger, "git_text", counting)
    wanted = [*expected, name(21), "content/stories/2027/never.md"]
    spans = first_and_last(repo.path, wanted)
    assert calls.count("log") == 1
    assert {path: (s.first_commit, s.last_commit) for path, s in spans.items()} == expected
    for path, (first, last) in expected.items():
        assert spans[path].first == times[first] and spans[path].last == times[last]
    # The same answer without a list of paths (every file).
    assert first_and_last(repo.path) == spans


# ---------------------------------------------------------- ledger start


def test_ledger_start_values():
    day = parse_ledger_start(dt.date(2026, 12, 1))
    assert day.whole_day and day.moment == dt.datetime(2026, 12, 1, 23, 59, 59, 999999, tzinfo=TIMEZONE)
    assert parse_ledger_start("2026-12-01") == day
    timed = parse_ledger_start("2026-12-01 18:00")
    assert timed.moment == dt.datetime(2026, 12, 1, 18, 0, tzinfo=TIMEZONE) and not timed.whole_day
    assert parse_ledger_start("ABCDEF1").commit == "ABCDEF1"
    assert parse_ledger_start(1234567).commit == "1234567"  # an all-digit short sha reads as a number
    assert parse_ledger_start(None) is None and parse_ledger_start("") is None
    for bad in ("last year", "12345", "2026-13-01", True, [1]):
        with pytest.raises(LedgerConfigError, match="ledger.start"):
            parse_ledger_start(bad)


def test_an_unknown_ledger_start_commit(reviewed):
    repo = reviewed[0]
    with pytest.raises(LedgerConfigError, match="不存在"):
        ImportRule.resolve(LedgerStart("deadbeef", commit="deadbeef"), Ledger(repo.path))


def _span(first: str, sha: str = "a" * 40) -> PathDates:
    return PathDates(_at(first), _at(first), sha, sha)


def test_find_backdated_compares_the_date_with_the_first_main_line_commit():
    spans = {
        "early.md": _span("2027-02-10T09:00:00+08:00"),
        "honest.md": _span("2027-02-10T09:00:00+08:00"),
        "edge.md": _span("2027-02-10T09:00:00+08:00"),
        "old.md": _span("2026-11-29T09:00:00+08:00"),
    }
    pages = [
        DatedPage("early.md", _at("2027-02-01T09:00:00+08:00"), 3),  # 9 days early
        DatedPage("honest.md", _at("2027-02-09T20:00:00+08:00"), 3),  # 13 hours early: within 48 h
        DatedPage("edge.md", _at("2027-02-08T09:00:00+08:00"), 3),  # exactly 48 h: allowed
        DatedPage("old.md", _at("2019-05-01T09:00:00+08:00"), 3),  # imported from the old site
        DatedPage("new.md", _at("2019-05-01T09:00:00+08:00"), 3),  # not committed: nothing to compare
    ]
    rule = ImportRule(parse_ledger_start("2026-12-01"))
    report = find_backdated(pages, spans, 48, rule)
    assert [(b.page.relpath, round(b.hours_early)) for b in report.backdated] == [("early.md", 216)]
    assert report.imported == ["old.md"] and report.unpublished == ["new.md"]
    # Without a ledger start the old page is reported too; a larger tolerance forgives the early one.
    assert {b.page.relpath for b in find_backdated(pages, spans, 48).backdated} == {"early.md", "old.md"}
    assert find_backdated(pages, spans, 240, rule).backdated == []


# ------------------------------------------------------ the check in a project


def _project_repo(tmp_path, start: str = "2027-01-01", tolerance: int = 48) -> GitRepo:
    """A project whose imported content is committed before ``start``."""
    root = new_project(tmp_path / "site")
    site_yml = root / "site_config" / "site.yml"
    text = site_yml.read_text(encoding="utf-8")
    text = text.replace("start: 2026-12-01", f"start: {start}")
    text = text.replace("backdate_tolerance_hours: 48", f"backdate_tolerance_hours: {tolerance}")
    site_yml.write_text(text, encoding="utf-8")
    repo = GitRepo(root)
    repo.write("content/stories/2019/jiu-gaojian.md", _story("旧网站稿件", "2019-05-01 09:00"))
    repo.commit("Import the old site", "2026-12-20T10:00:00+08:00", add_all=True)
    return repo


def _merge_story(repo: GitRepo, relpath: str, date: str, merged: str, branch: str) -> str:
    repo.branch(branch)
    repo.commit(f"Add {relpath}", "2027-02-01T09:00:00+08:00", {relpath: _story("新稿件", date)})
    repo.checkout("main")
    return repo.merge(branch, f"Merge {branch}\n\nReviewed-by: 王建国", merged)


NOW = dt.datetime(2027, 3, 1, tzinfo=TIMEZONE)


def test_backdated_story_is_an_error_and_honest_and_imported_ones_are_not(tmp_path):
    repo = _project_repo(tmp_path)
    backdated = "content/stories/2027/daotian.md"
    honest = "content/stories/2027/chengshi.md"
    merge = _merge_story(repo, backdated, "2027-02-01 09:00", "2027-02-10T09:00:00+08:00", "late")
    _merge_story(repo, honest, "2027-02-09 20:00", "2027-02-10T09:00:00+08:00", "ontime")
    site, findings = check_project(repo.path, NOW)
    (finding,) = [f for f in findings if f.rule == "ledger.backdated"]
    assert finding.severity is Severity.ERROR
    assert finding.file == backdated and finding.line == 3  # the line of date:
    assert "2027-02-01 09:00" in finding.message and "2027-02-10 09:00" in finding.message
    assert merge[:10] in finding.message and "单项否决" in finding.message
    assert "date" in finding.suggestion and "scripts/mzpress history" in finding.suggestion
    (imported,) = [f for f in findings if f.rule == "ledger.imported"]
    assert imported.severity is Severity.INFO and imported.file == "site_config/site.yml"
    imported_pages = [p for p in site.pages if p.kind in DATED_KINDS and not p.draft
                      and p.relpath not in (backdated, honest)]
    assert f"{len(imported_pages)}个页面" in imported.message and "2027-01-01" in imported.message


def test_the_tolerance_comes_from_site_yml(tmp_path):
    repo = _project_repo(tmp_path, tolerance=240)
    _merge_story(repo, "content/stories/2027/daotian.md", "2027-02-01 09:00", "2027-02-10T09:00:00+08:00", "late")
    _, findings = check_project(repo.path, NOW)
    assert [f for f in findings if f.rule == "ledger.backdated"] == []


def test_without_a_ledger_start_imported_content_is_checked_too(tmp_path):
    repo = _project_repo(tmp_path)
    site_yml = repo.path / "site_config/site.yml"
    site_yml.write_text(site_yml.read_text(encoding="utf-8").replace("start: 2027-01-01", "start:"), "utf-8")
    _, findings = check_project(repo.path, NOW)
    backdated = {f.file for f in findings if f.rule == "ledger.backdated"}
    assert "content/stories/2019/jiu-gaojian.md" in backdated
    assert [f for f in findings if f.rule == "ledger.imported"] == []


def test_a_ledger_start_given_as_a_commit(tmp_path):
    repo = _project_repo(tmp_path, start="2020-01-01")  # a date before the import: nothing exempt
    _, findings = check_project(repo.path, NOW)
    assert "content/stories/2019/jiu-gaojian.md" in {f.file for f in findings if f.rule == "ledger.backdated"}
    site_yml = repo.path / "site_config/site.yml"
    site_yml.write_text(site_yml.read_text(encoding="utf-8").replace(
        "start: 2020-01-01", f"start: {repo.head()[:12]}"), "utf-8")
    _, findings = check_project(repo.path, NOW)
    assert [f for f in findings if f.rule == "ledger.backdated"] == []
    assert [f.rule for f in findings if f.rule.startswith("ledger.")] == ["ledger.imported"]


def test_a_bad_ledger_start_is_a_configuration_error(tmp_path):
    repo = _project_repo(tmp_path, start="deadbeefcafe")
    _, findings = check_project(repo.path, NOW)
    (finding,) = [f for f in findings if f.rule == "config.ledger"]
    assert finding.file == "site_config/site.yml" and finding.line is not None
    assert "deadbeefcafe" in finding.message


@pytest.mark.parametrize("ledger_yaml, key, wanted", [
    ("ledger:\n  start: 2027-01-01\n  backdate_tolerance_hours: 两天\n", "backdate_tolerance_hours:", "两天"),
    ("ledger:\n  start: 2027-01-01\n  backdate_tolerance_hours: -1\n", "backdate_tolerance_hours:", "-1"),
    ("ledger: 2027-01-01\n", "ledger:", "ledger 应当写成两行"),
])
def test_bad_ledger_settings_are_configuration_errors(tmp_path, ledger_yaml, key, wanted):
    repo = _project_repo(tmp_path)
    site_yml = repo.path / "site_config/site.yml"
    text = re.sub(r"ledger:\n(  .*\n)+", ledger_yaml, site_yml.read_text(encoding="utf-8"))
    site_yml.write_text(text, encoding="utf-8")
    _, findings = check_project(repo.path, NOW)
    (finding,) = [f for f in findings if f.rule == "config.ledger"]
    assert finding.file == "site_config/site.yml" and wanted in finding.message
    assert finding.line == next(n for n, line in enumerate(text.splitlines(), 1) if line.strip().startswith(key))


def test_outside_a_repository_the_check_is_skipped_with_a_note(tmp_path):
    root = new_project(tmp_path / "site")
    (root / "content/stories/2019").mkdir(parents=True)
    (root / "content/stories/2019/jiu.md").write_text(_story("旧稿", "2019-05-01 09:00"), encoding="utf-8")
    _, findings = check_project(root, NOW)
    (note,) = [f for f in findings if f.rule.startswith("ledger.")]
    assert note.rule == "ledger.unavailable" and note.severity is Severity.INFO
    assert "跳过" in note.message


def test_a_shallow_clone_is_skipped_with_a_note(tmp_path):
    repo = _project_repo(tmp_path, start="2020-01-01")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo.path}", str(clone)], check=True)
    _, findings = check_project(clone, NOW)
    assert [f.rule for f in findings if f.rule.startswith("ledger.")] == ["ledger.shallow"]
