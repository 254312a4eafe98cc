"""The build with retired content, feeds and page metadata; bad input stops a strict build with file:line."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from tests.support.project import add_story, build, new_project

ATOM = "{http://www.w3.org/2005/Atom}"
RETIRE = "withdrawn:\n  date: 2026-06-01\n  reason: {reason}\n"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = new_project(tmp_path_factory.mktemp("retired") / "p")
    add_story(root, 2025, "target", title="目标稿件", date="2025-05-01 09:00", topics=("xiaoxian",))
    add_story(root, 2026, "kept", title="撤回但保留", date="2026-01-02 09:00", topics=("xiaoxian",),
              extra=RETIRE.format(reason="活动取消"))
    add_story(root, 2026, "moved", title="撤下并跳转", date="2026-01-03 09:00", topics=("xiaoxian",),
              extra=RETIRE.format(reason="误发") + "  unpublish: true\n  redirect: stories/2025/target.md\n")
    out = root.parent / "site"
    result = build(root, out)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def test_feeds_are_written_and_linked(built):
    feed = ET.parse(built / "feeds" / "all.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    assert [e.findtext(f"{ATOM}title") for e in feed.iter(f"{ATOM}entry")] == ["目标稿件"]
    content = next(feed.iter(f"{ATOM}entry")).findtext(f"{ATOM}content")
    assert "测试正文" in content  # the rendered body, for the paper and the mobile newspaper
    assert (built / "feeds" / "xiaoxian.xml").is_file() and (built / "feeds" / "binzang.xml").is_file()
    home = (built / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<link rel="alternate feed" type="application/atom\+xml" title="[^"]+" href="feeds/all.xml">',
                     home)
    topic = (built / "topics" / "xiaoxian" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../feeds/xiaoxian.xml"' in topic


def test_open_graph_and_description(built):
    story = (built / "stories" / "2025" / "target" / "index.html").read_text(encoding="utf-8")
    assert '<meta property="og:type" content="article">' in story
    assert '<meta property="og:title" content="目标稿件">' in story
    assert '<meta property="og:url" content="https://mz.example.gov.cn/stories/2025/target/">' in story
    assert '<meta name="description" content="测试摘要。">' in story
    listing = (built / "stories" / "index.html").read_text(encoding="utf-8")
    assert '<meta name="description" content="示例县民政局宣传网站' in listing  # site description fallback
    assert '<meta property="og:type" content="website">' in listing


def test_withdrawn_kept_and_unpublished_redirected(built):
    kept = (built / "stories" / "2026" / "kept" / "index.html").read_text(encoding="utf-8")
    assert "撤回原因：活动取消" in kept
    moved = (built / "stories" / "2026" / "moved" / "index.html").read_text(encoding="utf-8")
    assert "撤下并跳转" not in moved and 'content="0; url=../../2025/target/"' in moved
    sitemap = (built / "sitemap.xml").read_text(encoding="utf-8")
    assert "stories/2026/moved/" not in sitemap and "stories/2025/target/" in sitemap
    archive = (built / "stories" / "index.html").read_text(encoding="utf-8")
    assert "撤回但保留" not in archive and "撤下并跳转" not in archive and "目标稿件" in archive


@pytest.mark.parametrize("case,extra,rule,line", [
    ("missing-redirect", RETIRE.format(reason="误发") + "  unpublish: true\n  redirect: stories/2025/nope.md\n",
     "withdrawn.redirect-missing", 12),
    ("no-reason", "withdrawn:\n  date: 2026-06-01\n", "schema.withdrawn-reason", 8),
    ("missing-cover", "cover: images/nope.jpg\ncover_alt: 不存在的图片\n", "images.missing", 8),
])
def test_bad_input_stops_a_strict_build_with_file_and_line(tmp_path, case, extra, rule, line):
    root = new_project(tmp_path / "p")
    add_story(root, 2025, "target", title="目标稿件", date="2025-05-01 09:00")
    add_story(root, 2026, case, title="有问题的稿件", date="2026-01-02 09:00", extra=extra)
    result = build(root, tmp_path / "site")
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert f"content/stories/2026/{case}.md:{line}" in output and f"[{rule}]" in output, output
    assert "Traceback" not in output
    # The same tree without the problem builds: the check is quiet on good input.
    (root / "content" / "stories" / "2026" / f"{case}.md").unlink()
    assert build(root, tmp_path / "site2").returncode == 0
