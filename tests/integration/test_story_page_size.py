"""A story page must not grow with the archive: stories are not nav entries, listings are generated."""

from __future__ import annotations

import re

from tests.support.project import add_story, build, new_project

TOPICS = ("xiaoxian", "shequ", "cishan", "shetuan", "hunyin", "binzang")


def _page(out):
    return (out / "stories/2025/watched/index.html").read_text(encoding="utf-8")


def test_story_page_html_does_not_grow_with_500_more_stories(tmp_path):
    project = new_project(tmp_path / "p")
    add_story(project, 2025, "watched", title="被观察的稿件", date="2025-06-01 09:00", topics=("xiaoxian",))
    for n in range(6):
        add_story(project, 2025, f"peer-{n}", title=f"同专题稿件{n:03d}", date=f"2025-05-0{n + 1} 09:00",
                  topics=("xiaoxian",))
    small = build(project, tmp_path / "small")
    assert small.returncode == 0, small.stderr
    before = _page(tmp_path / "small")

    for n in range(500):
        year = 2021 + n % 4
        add_story(project, year, f"extra-{n}", title=f"新增稿件{n:03d}", date=f"{year}-0{1 + n % 9}-1{n % 10} 10:00",
                  topics=(TOPICS[n % 6],), unit=("office", "elderly-care", "social-assistance")[n % 3])
    large = build(project, tmp_path / "large")
    assert large.returncode == 0, large.stderr
    after = _page(tmp_path / "large")

    assert len(re.findall(r"<a\b", after)) == len(re.findall(r"<a\b", before))
    assert abs(len(after.encode()) - len(before.encode())) < 200
    assert "新增稿件" not in after.split('class="mz-related"')[0]  # nothing leaked into nav or body
