"""`scripts/bench` end to end on a tiny archive: a table, then one valid JSON line per size (no timing asserted)."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from tests.support.project import REPO_ROOT

KEYS = ["stories", "build_s", "per_story_ms", "peak_rss_mb", "check_s", "preview_s", "baseline_build_s",
        "hugo_build_s", "rebuild_unchanged_s", "rebuild_one_story_s", "build_cpu_s", "hugo_cpu_s",
        "hugo_peak_rss_mb", "build_over_hugo", "rebuild_unchanged_over_hugo", "rebuild_unchanged_cpu_s",
        "rebuild_one_story_cpu_s"]
HUGO_KEYS = ("hugo_build_s", "hugo_cpu_s", "hugo_peak_rss_mb", "build_over_hugo", "rebuild_unchanged_over_hugo")


def _bench(tmp_path, *args: str) -> tuple[list[str], dict]:
    result = subprocess.run([sys.executable, "-m", "tools.benchmark", *args, "--keep", str(tmp_path)],
                            capture_output=True, text=True, cwd=REPO_ROOT, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stdout.strip().splitlines()
    return lines, json.loads(lines[-1])


@pytest.mark.slow
def test_bench_prints_a_table_and_a_json_line_per_size(tmp_path):
    lines, record = _bench(tmp_path, "--stories", "30")
    assert lines[0].startswith("| stories")
    assert list(record) == KEYS
    assert record["stories"] == 30
    for key in ("build_s", "per_story_ms", "peak_rss_mb", "check_s", "preview_s", "rebuild_unchanged_s",
                "rebuild_one_story_s", "build_cpu_s", "rebuild_unchanged_cpu_s", "rebuild_one_story_cpu_s"):
        assert isinstance(record[key], float) and record[key] > 0, key
    assert record["baseline_build_s"] is None
    for key in HUGO_KEYS:  # measured only with --hugo
        assert record[key] is None, key
    assert (tmp_path / "stories-30" / "project" / "site" / "index.html").is_file()  # --keep left the tree
    assert not (tmp_path / "stories-30" / "hugo").exists()


@pytest.mark.slow
def test_bench_hugo_builds_the_same_stories_with_hugo(tmp_path):
    lines, record = _bench(tmp_path, "--stories", "20", "--hugo", "--no-preview", "--no-check")
    assert list(record) == KEYS and record["stories"] == 20
    for key in ("build_s", "rebuild_unchanged_s", "rebuild_one_story_s", *HUGO_KEYS):
        assert isinstance(record[key], float) and record[key] > 0, key
    assert record["build_over_hugo"] == pytest.approx(record["build_s"] / record["hugo_build_s"], rel=0.05)
    assert record["preview_s"] is None and record["check_s"] is None
    assert "build/hugo" in lines[0]

    project, public = tmp_path / "stories-20" / "project", tmp_path / "stories-20" / "hugo" / "public"
    stories = sorted(p.relative_to(project / "content").as_posix()
                     for p in (project / "content" / "stories").glob("*/*.md"))
    assert len(stories) == 20
    # One Hugo page per story, at the address MkDocs gives it, with the story's title; and no other story pages.
    built = sorted(p.relative_to(public).as_posix() for p in public.glob("stories/*/*/index.html")
                   if p.parent.parent.name != "page" and p.parent.name != "page")
    assert built == [src[: -len(".md")] + "/index.html" for src in stories]
    for src in stories:
        title = re.search(r"^title: (.*)$", (project / "content" / src).read_text(encoding="utf-8"), re.M).group(1)
        assert f"<h1>{title}</h1>" in (public / src[: -len(".md")] / "index.html").read_text(encoding="utf-8")
