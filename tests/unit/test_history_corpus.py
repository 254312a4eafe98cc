"""The synthetic history repository of scripts/make-history-repo: the commits asked for, honest dates, clean tree."""

from __future__ import annotations

import git
import pytest
import yaml

from mzpress.history.ledger import DatedPage, Ledger, find_backdated
from mzpress.model.schema import parse_datetime
from tools.history_corpus import generate_history_repo


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    dest = tmp_path_factory.mktemp("history") / "project"
    return dest, generate_history_repo(dest, stories=40, commits=100, unmerged=4)


def _front_matter(text: str) -> dict:
    return yaml.safe_load(text[4:].partition("\n---\n")[0])


def test_exactly_the_commits_asked_for_and_a_clean_work_tree(history):
    dest, summary = history
    repo = git.Repo(dest)
    assert summary.commits == 100
    assert len(repo.git.rev_list("--all").split()) == 100
    assert not repo.is_dirty(untracked_files=True)
    assert repo.active_branch.name == "main"


def test_unmerged_submissions_live_only_on_their_branches(history):
    dest, summary = history
    repo = git.Repo(dest)
    branches = [head for head in repo.heads if head.name.startswith("submit/")]
    assert len(branches) == summary.unmerged == 4
    main_files = set(repo.git.ls_tree("-r", "--name-only", "main").splitlines())
    for head in branches:
        added = repo.git.diff_tree("--no-commit-id", "--name-only", "-r", head.commit.hexsha).splitlines()
        assert len(added) == 1 and added[0].startswith("content/stories/")
        assert added[0] not in main_files and not (dest / added[0]).exists()
    stories = [p for p in main_files if p.startswith("content/stories/") and p.endswith(".md")]
    assert len(stories) == summary.stories == 40


def test_submissions_are_by_the_unit_officer_and_publications_are_never_backdated(history):
    dest, _ = history
    officers = {u["id"]: u["officer"]["name"]
                for u in yaml.safe_load((dest / "site_config/units.yml").read_text(encoding="utf-8"))["units"]}
    ledger = Ledger(dest)
    pages = []
    for path in sorted((dest / "content/stories").rglob("*.md")):
        relpath = path.relative_to(dest).as_posix()
        meta = _front_matter(path.read_text(encoding="utf-8"))
        pages.append(DatedPage(relpath, parse_datetime(meta["date"])))
        first = ledger.page_history(relpath)[-1]
        assert first.author_name == officers[meta["unit"]]
        assert first.authored < parse_datetime(meta["date"])
    report = find_backdated(pages, ledger.first_and_last([p.relpath for p in pages]))
    assert not report.backdated and not report.unpublished


def test_adoptions_name_configured_outlets_and_follow_the_story(history):
    dest, summary = history
    outlets = {o["id"] for o in yaml.safe_load((dest / "site_config/outlets.yml").read_text(encoding="utf-8"))["outlets"]}
    seen = 0
    for path in (dest / "content/stories").rglob("*.md"):
        meta = _front_matter(path.read_text(encoding="utf-8"))
        for entry in meta.get("adopted_by") or []:
            seen += 1
            assert entry["outlet"] in outlets
            assert entry["date"] >= parse_datetime(meta["date"]).date()
    assert seen == summary.adoptions > 0
