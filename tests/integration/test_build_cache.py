"""The build cache and the parallel build change nothing in the output, and edits show exactly where they should.

Every scenario builds the edited tree twice: with the cache left by the previous build
(and two processes), and cold (no cache, one process). Both must write identical files;
then the files that differ from the previous output are compared with what the edit
should change. No timing is asserted anywhere.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.support.project import BUILD_DATE, REPO_ROOT
from tools.synthetic_corpus import generate

STORIES = 24


def _build(project: Path, out: Path, *, cache: bool, jobs: int, strict: bool = True, quiet: bool = True):
    env = dict(os.environ, MZPRESS_BUILD_DATE=BUILD_DATE, NO_MKDOCS_2_WARNING="1",
               MZPRESS_BUILD_JOBS=str(jobs), MZPRESS_NO_CACHE="0" if cache else "1")
    command = [sys.executable, "-m", "mkdocs", "build", "-f", str(project / "mkdocs.yml"), "-d", str(out)]
    command += ["--strict"] if strict else []
    command += ["-q"] if quiet else []
    return subprocess.run(command, capture_output=True, text=True, env=env, cwd=project, timeout=600)


def _files(out: Path) -> dict[str, bytes]:
    """The built files; the integrity manifest is left out (it records when each build finished)."""
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and p.name != ".mzpress-manifest.json"}


def _changed(before: dict[str, bytes], after: dict[str, bytes]) -> set[str]:
    """The changed files; any change to the search index (its files under search-index/) counts as "search-index/"."""
    return {"search-index/" if name.startswith("search-index/") else name
            for name in before.keys() | after.keys() if before.get(name) != after.get(name)}


def _built_both_ways(project: Path, tmp: Path) -> dict[str, bytes]:
    """Build with the cache and two processes, and cold with one; assert identical; return the files."""
    cached = _build(project, tmp / "cached", cache=True, jobs=2)
    assert cached.returncode == 0, cached.stderr
    cold = _build(project, tmp / "cold", cache=False, jobs=1)
    assert cold.returncode == 0, cold.stderr
    files = _files(tmp / "cached")
    cold_files = _files(tmp / "cold")
    assert files.keys() == cold_files.keys()
    assert [name for name in files if files[name] != cold_files[name]] == []
    return files


@pytest.fixture(scope="module")
def warm(tmp_path_factory):
    """A generated project, built once with the cache: (project, its output files)."""
    base = tmp_path_factory.mktemp("cache-base")
    project = base / "project"
    project.mkdir()
    shutil.copy(REPO_ROOT / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(REPO_ROOT / "site_config", project / "site_config")
    shutil.copytree(REPO_ROOT / "overrides", project / "overrides")
    if (REPO_ROOT / "content" / "assets").is_dir():
        shutil.copytree(REPO_ROOT / "content" / "assets", project / "content" / "assets")
    srcs = generate(project, STORIES).story_srcs
    result = _build(project, base / "out", cache=True, jobs=2)
    assert result.returncode == 0, result.stderr
    assert (project / ".mzpress-cache" / "build.sqlite").is_file()
    return project, _files(base / "out"), srcs


@pytest.fixture
def project(warm, tmp_path):
    """A copy of the warm project, cache included, for one scenario to edit."""
    source, _, _ = warm
    copy = tmp_path / "project"
    shutil.copytree(source, copy)
    return copy


def _pages(files: dict[str, bytes]) -> set[str]:
    return {name for name in files if name.endswith(".html")}


def test_a_cached_build_reuses_everything_and_writes_the_same_files(warm, tmp_path):
    source, before, _ = warm
    project = tmp_path / "project"
    shutil.copytree(source, project)
    again = _build(project, tmp_path / "again", cache=True, jobs=2, quiet=False)
    assert again.returncode == 0, again.stderr
    assert "新计算0项" in again.stderr  # nothing rendered or segmented again
    assert _changed(before, _files(tmp_path / "again")) == set()
    # The renderings and findings the check needs stay stored although this build used neither.
    with sqlite3.connect(project / ".mzpress-cache" / "build.sqlite") as db:
        stored = dict(db.execute("SELECT ns, count(*) FROM entries GROUP BY ns").fetchall())
    assert stored["rendering"] >= STORIES and stored["text-findings"] >= STORIES, stored
    cold = _build(project, tmp_path / "cold", cache=False, jobs=1)
    assert cold.returncode == 0, cold.stderr
    assert _changed(before, _files(tmp_path / "cold")) == set()


def test_editing_a_story_body_changes_its_page_the_search_index_and_the_feeds(warm, project, tmp_path):
    _, before, srcs = warm
    src = srcs[len(srcs) // 2]
    path = project / "content" / src
    path.write_text(path.read_text(encoding="utf-8") + "\n新增的一段测试文字，用来检查缓存。\n", encoding="utf-8")
    topics = yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1]).get("topics") or []
    after = _built_both_ways(project, tmp_path)
    page = src[: -len(".md")] + "/index.html"
    assert "新增的一段测试文字" in after[page].decode("utf-8")
    expected = {page, "search-index/", "feeds/all.xml"} | {f"feeds/{t}.xml" for t in topics}
    assert _changed(before, after) == expected


def test_editing_a_template_changes_every_page_and_nothing_else(warm, project, tmp_path):
    _, before, _ = warm
    footer = project / "overrides" / "partials" / "footer.html"
    footer.write_text(footer.read_text(encoding="utf-8") + "<!-- mz-template-marker -->\n", encoding="utf-8")
    after = _built_both_ways(project, tmp_path)
    changed = _changed(before, after)
    assert changed == _pages(after)
    assert all(b"mz-template-marker" in after[name] for name in changed)


def test_changing_a_config_value_changes_every_page_and_nothing_else(warm, project, tmp_path):
    _, before, _ = warm
    site = project / "site_config" / "site.yml"
    text = site.read_text(encoding="utf-8")
    assert "phone: 0000-0000000" in text
    site.write_text(text.replace("phone: 0000-0000000", "phone: 0000-1234567"), encoding="utf-8")
    after = _built_both_ways(project, tmp_path)
    changed = _changed(before, after)
    assert changed == _pages(after)
    assert all("0000-1234567" in after[name].decode("utf-8") for name in changed)


def test_changing_the_markdown_configuration_renders_every_page_again(warm, project, tmp_path):
    _, before, srcs = warm
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "permalink: false" in text
    config.write_text(text.replace("permalink: false", "permalink: true"), encoding="utf-8")
    after = _built_both_ways(project, tmp_path)
    page = srcs[0][: -len(".md")] + "/index.html"
    assert 'class="headerlink"' in after[page].decode("utf-8")
    assert page in _changed(before, after)


def test_renaming_a_topic_changes_the_pages_that_show_it(warm, project, tmp_path):
    _, before, srcs = warm
    topics = project / "site_config" / "topics.yml"
    text = topics.read_text(encoding="utf-8")
    assert "name: 婚姻文化" in text
    topics.write_text(text.replace("name: 婚姻文化", "name: 婚姻家庭文化"), encoding="utf-8")
    after = _built_both_ways(project, tmp_path)
    changed = _changed(before, after)
    assert {"topics/index.html", "index.html", "feeds/hunyin.xml"} <= changed
    for src in srcs:
        page = src[: -len(".md")] + "/index.html"
        story = (project / "content" / src).read_text(encoding="utf-8")
        tagged = "- hunyin" in story.split("---")[1]
        shows = "婚姻家庭文化" in after[page].decode("utf-8")
        assert tagged == shows
        if tagged:
            assert page in changed
    # A story outside the topic whose neighbours (related, previous/next) are outside it too: unchanged.
    others = [src for src in srcs if "婚姻家庭文化" not in after[src[: -len(".md")] + "/index.html"].decode("utf-8")]
    assert others and all(src[: -len(".md")] + "/index.html" not in changed for src in others)


def test_a_cached_broken_link_still_fails_a_strict_build_until_its_target_exists(project, warm, tmp_path):
    _, _, srcs = warm
    path = project / "content" / srcs[0]
    path.write_text(path.read_text(encoding="utf-8") + "\n参见[另一篇](../2017/later-story.md)。\n",
                    encoding="utf-8")
    # The publish gate stops every build on the broken link, strict or not, cache or not.
    loose = _build(project, tmp_path / "loose", cache=True, jobs=1, strict=False, quiet=False)
    assert loose.returncode != 0 and "later-story.md" in loose.stderr
    strict = _build(project, tmp_path / "strict", cache=True, jobs=1, quiet=False)
    assert strict.returncode != 0 and "later-story.md" in strict.stderr
    target = project / "content" / "stories" / "2017" / "later-story.md"
    shutil.copy(project / "content" / srcs[1], target)
    text = target.read_text(encoding="utf-8")
    target.write_text(re.sub(r"^date: \S+", "date: 2017-12-30", text, count=1, flags=re.MULTILINE),
                      encoding="utf-8")
    fixed = _build(project, tmp_path / "fixed", cache=True, jobs=1)
    assert fixed.returncode == 0, fixed.stderr
    page = (tmp_path / "fixed" / srcs[0][: -len(".md")] / "index.html").read_text(encoding="utf-8")
    assert 'href="../later-story/"' in page


def test_retitling_a_story_changes_the_pages_that_link_to_it(warm, project, tmp_path):
    _, before, srcs = warm
    src = srcs[-1]
    path = project / "content" / src
    path.write_text(re.sub(r"^title: .*$", "title: 改过标题的稿件", path.read_text(encoding="utf-8"), count=1,
                           flags=re.MULTILINE), encoding="utf-8")
    after = _built_both_ways(project, tmp_path)
    changed = _changed(before, after)
    showing = {name for name in _pages(after) if "改过标题的稿件" in after[name].decode("utf-8")}
    # its page, the listings, the home page and the stories whose related or previous/next lists name it
    assert {src[: -len(".md")] + "/index.html", "index.html", "stories/index.html"} <= showing
    assert any(name.startswith("stories/20") and name != src[: -len(".md")] + "/index.html" for name in showing)
    assert showing <= changed
    assert changed - showing <= {"search-index/", "sitemap.xml", "sitemap.xml.gz"} | {
        name for name in changed if name.startswith("feeds/")}


def test_a_parallel_build_still_stops_on_a_leak_found_by_the_checks(project, warm, tmp_path):
    from tests.support.personal_data import id18

    _, _, srcs = warm
    for src in (srcs[0], srcs[-1]):  # in both halves of the parallel checks
        path = project / "content" / src
        path.write_text(path.read_text(encoding="utf-8") + f"\n联系人身份证号 {id18()}。\n", encoding="utf-8")
    result = _build(project, tmp_path / "out", cache=True, jobs=2)
    assert result.returncode != 0
    for src in (srcs[0], srcs[-1]):
        assert f"content/{src}" in result.stderr and "privacy.id-number" in result.stderr
    assert not (tmp_path / "out" / srcs[0][: -len(".md")] / "index.html").exists()
