"""mzpress/cli/page_argument.py: the page named on the command line of export, takedown and withdraw."""

from __future__ import annotations

import pytest

from mzpress.cli.page_argument import page_argument
from mzpress.cli.refused import Refused

SRC = "stories/2026/a.md"


@pytest.fixture
def root(tmp_path, monkeypatch):
    root = tmp_path / "site"
    (root / "content/stories/2026").mkdir(parents=True)
    (root / "content" / SRC).write_text("---\ntitle: 标题\n---\n", encoding="utf-8")
    (root / "content/stories/2026/notes.txt").write_text("x", encoding="utf-8")
    (root / "README.md").write_text("x", encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # the writer works outside the project (--root)
    return root


@pytest.mark.parametrize("given", [
    "site/content/stories/2026/a.md",  # as the shell sees it
    "site/content/stories/2026/a",  # without .md
    "content/stories/2026/a.md",  # from the project root
    "content/stories/2026/a",
    "stories/2026/a.md",  # under content/, as mzpress check prints it
    "stories/2026/a",
])
def test_every_way_of_naming_the_page_finds_it(root, given):
    page = page_argument(root, given)
    assert (page.src, page.relpath) == (SRC, f"content/{SRC}")
    assert page.path.resolve() == (root / "content" / SRC).resolve()
    assert (page.kind, page.kind_label) == ("story", "民政故事")


def test_an_absolute_path_and_a_path_from_inside_the_folder(root, monkeypatch):
    assert page_argument(root, str(root / "content" / SRC)).src == SRC
    monkeypatch.chdir(root / "content/stories/2026")
    assert page_argument(root, "a.md").src == SRC and page_argument(root, "a").src == SRC


def test_a_missing_file_is_a_usage_error_that_shows_how_to_write_the_path(root):
    with pytest.raises(Refused) as raised:
        page_argument(root, "stories/2026/b.md")
    assert raised.value.code == 2
    assert str(raised.value).startswith("找不到文件“stories/2026/b.md”，请检查路径。")
    assert "content/stories/2025/xxx.md" in str(raised.value)


@pytest.mark.parametrize("given", ["README.md", "content/stories/2026/notes.txt"])
def test_a_file_that_is_not_a_page_under_content_is_refused(root, given):
    with pytest.raises(Refused) as raised:
        page_argument(root, given)
    assert raised.value.code == 2
    assert str(raised.value).startswith(f"“{given}”不是 content/ 文件夹里的稿件（.md 文件）。")


def test_any_other_page_is_a_page_for_the_commands_to_refuse_by_kind(root):
    (root / "content/about").mkdir()
    (root / "content/about/index.md").write_text("x", encoding="utf-8")
    page = page_argument(root, "content/about/index")
    assert (page.src, page.kind, page.kind_label) == ("about/index.md", "page", "页面")
