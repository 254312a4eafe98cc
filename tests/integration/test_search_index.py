"""The built search index: full text for the newest stories, summary and tags for older ones, UTF-8."""

from __future__ import annotations

import json

from tests.support.project import add_story, build, new_project


def test_older_stories_are_indexed_by_summary_only(tmp_path):
    project = new_project(tmp_path / "p")
    site_yml = project / "site_config/site.yml"
    text = site_yml.read_text(encoding="utf-8")
    assert "full_text_latest: 300" in text
    site_yml.write_text(text.replace("full_text_latest: 300", "full_text_latest: 2"), encoding="utf-8")
    for day in range(1, 5):
        add_story(project, 2025, f"s{day}", title=f"第{day}篇稿件", date=f"2025-03-0{day} 09:00",
                  summary=f"摘要文字{day}", body=f"正文独有词语编号{day}。", extra="tags: [敬老]\n")
    built = build(project, tmp_path / "out")
    assert built.returncode == 0, built.stderr
    raw = (tmp_path / "out/search/search_index.json").read_text(encoding="utf-8")
    assert "摘要" in raw and "稿件" in raw  # Chinese written as UTF-8, not as \\u escapes
    assert len(raw.encode()) < len(json.dumps(json.loads(raw), separators=(",", ":")).encode()) * 0.7
    docs = json.loads(raw)["docs"]
    by_page: dict[str, list[dict]] = {}
    for doc in docs:
        by_page.setdefault(doc["location"].split("#")[0], []).append(doc)

    def text(slug):
        return "".join(d["text"] for d in by_page[f"stories/2025/{slug}/"]).replace("\u200b", "")

    for newest in ("s4", "s3"):
        assert f"正文独有词语编号{newest[1]}" in text(newest)
    for older in ("s2", "s1"):
        assert text(older) == f"摘要文字{older[1]}　敬老"
        (entry,) = by_page[f"stories/2025/{older}/"]
        assert entry["title"].replace("\u200b", "") == f"第{older[1]}篇稿件" and entry["tags"] == ["敬老"]
