"""The synthetic archive: deterministic, valid for `mzpress check`, covering every unit and topic."""

from __future__ import annotations

import shutil

import pytest
import yaml

from mzpress.checks.runner import check_project
from mzpress.model.clock import build_time
from mzpress.model.config import load_config
from mzpress.model.content import load_site
from mzpress.model.findings import Severity
from tests.support.project import BUILD_DATE, REPO_ROOT, tree_digest
from tools.synthetic_corpus import blog_baseline, generate


def _project(root):
    root.mkdir(parents=True)
    shutil.copy(REPO_ROOT / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO_ROOT / "site_config", root / "site_config")
    return root


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = _project(tmp_path_factory.mktemp("corpus") / "project")
    summary = generate(root, 48)
    return root, summary


def test_same_arguments_give_identical_files(corpus, tmp_path):
    root, _ = corpus
    again = _project(tmp_path / "again")
    generate(again, 48)
    assert tree_digest(again / "content") == tree_digest(root / "content")


def test_another_seed_gives_other_stories(corpus, tmp_path):
    root, _ = corpus
    other = _project(tmp_path / "other")
    generate(other, 48, seed=7)
    mine, theirs = tree_digest(root / "content"), tree_digest(other / "content")
    stories = [path for path in mine if path.startswith("stories/") and path.endswith(".md")]
    assert any(mine[path] != theirs.get(path) for path in stories)


def test_the_tree_passes_mzpress_check_without_errors_or_warnings(corpus):
    root, summary = corpus
    site, findings = check_project(root, build_time(BUILD_DATE))
    problems = [f for f in findings if f.severity in (Severity.ERROR, Severity.WARNING)]
    assert problems == []
    assert len(site.stories) == summary.stories == 48
    assert not site.invalid


def test_every_unit_and_topic_is_used_and_stories_have_six_paragraphs(corpus):
    root, summary = corpus
    config, _ = load_config(root)
    site, _ = load_site(root, build_time(BUILD_DATE), config, [])
    assert {s.unit.id for s in site.stories} == {u.id for u in config.units}
    assert {t.id for s in site.stories for t in s.topics} == {t.id for t in config.topics}
    assert summary.notices > 0 and summary.members > 0 and site.campaigns
    story = site.by_src[summary.story_srcs[0]]
    paragraphs = [p for p in story.body.split("\n\n") if p.strip() and not p.startswith(("#", "!["))]
    assert len(paragraphs) == 6
    assert all("\u4e00" <= ch <= "\u9fff" for ch in story.title[:2])


def test_covers_point_at_generated_images(corpus):
    root, summary = corpus
    covers = 0
    for src in summary.story_srcs:
        text = (root / "content" / src).read_text(encoding="utf-8")
        meta = yaml.safe_load(text.split("---\n")[1])
        if meta.get("cover"):
            covers += 1
            assert (root / "content" / src).parent.joinpath(meta["cover"]).is_file()
            assert meta["cover_alt"]
    assert covers > 0
    assert summary.images > 0


def test_stories_are_spread_over_ten_years_before_the_build_date(corpus):
    _, summary = corpus
    years = sorted({int(src.split("/")[1]) for src in summary.story_srcs})
    assert years[0] == 2017 and years[-1] == 2026


def test_blog_baseline_has_one_post_per_story_with_date_and_categories(corpus, tmp_path):
    root, summary = corpus
    posts = blog_baseline(root, tmp_path / "blog")
    assert posts == summary.stories
    config = yaml.safe_load((tmp_path / "blog" / "mkdocs.yml").read_text(encoding="utf-8"))
    assert {"blog": {"authors": False}} in config["plugins"]
    post = next((tmp_path / "blog/docs/blog/posts").rglob("*.md")).read_text(encoding="utf-8")
    meta = yaml.safe_load(post.split("---\n")[1])
    assert meta["date"] and meta["categories"]
