"""``mzpress report`` counts the submissions ``mzpress export --record`` writes (``submitted_to``), per outlet."""

from tests.support.git_repo import GitRepo
from tests.support.project import mzpress, new_project, story_text


def test_report_counts_the_recorded_submissions_per_outlet(tmp_path):
    root = new_project(tmp_path / "p", with_sample_pages=False)
    repo = GitRepo(root)
    repo.commit("初始", "2026-11-01T09:00:00+08:00", add_all=True)
    sent = ("submitted_to:\n  - {outlet: city-mz-site, date: 2026-11-20}\n  - {outlet: mobile-paper, date: 2026-11-21}\n"
            "adopted_by:\n  - {outlet: city-mz-site, date: 2026-11-25}\n")
    repo.commit("稿件", "2026-11-10T09:00:00+08:00", files={
        "content/stories/2026/a.md": story_text("甲", "2026-11-10 10:00", extra=sent),
        "content/stories/2026/b.md": story_text("乙", "2026-11-12 10:00", extra=(
            "submitted_to:\n  - {outlet: city-mz-site, date: 2026-11-26}\n  - {outlet: county-paper, date: 2026-12-02}\n"
            "  - {outlet: gone-paper, date: 2026-11-27}\n"))})
    result = mzpress(root, "report", "--period", "2026-11", "--at", "2026-11-30")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    start = lines.index("对外报送与录用（按渠道）：")
    table = {line.split()[0]: line.split()[1:] for line in lines[start + 2:start + 11]}
    assert table["示例市民政局网站"] == ["市级", "2", "1"]
    assert table["示例手机报"] == ["县级", "1", "0"]
    assert table["示例县报"] == ["县级", "0", "0"]  # sent in December: another period
    assert table["合计"] == ["3", "1"]
    assert any("gone-paper" in line and "这条报送记录未计入" in line for line in lines)
    data = mzpress(root, "report", "--period", "2026-11", "--at", "2026-11-30", "--format", "json").stdout
    assert '"outlet": "city-mz-site"' in data and '"submitted": 2' in data
