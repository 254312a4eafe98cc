import datetime as dt

from mzpress.check_runner import check_project, scan_paths
from mzpress.checks import CheckContext
from mzpress.schema import TIMEZONE
from tests.support.personal_data import id18
from tests.support.project import new_project, write

NOW = dt.datetime(2026, 11, 30, tzinfo=TIMEZONE)


def test_a_gbk_attachment_is_reported_and_still_scanned_for_personal_data(tmp_path):
    root = new_project(tmp_path / "p")
    path = root / "content/notices/2025/files/list.csv"
    path.parent.mkdir(parents=True)
    path.write_bytes(f"姓名,身份证号\n王小明,{id18()}\n".encode("gbk"))
    _, findings = check_project(root, NOW)
    rules = {f.rule for f in findings if f.file.endswith("list.csv")}
    assert rules == {"encoding.not-utf8", "privacy.id-number"}


def test_scan_reports_a_missing_path(tmp_path):
    (finding,) = scan_paths([tmp_path / "nope.xlsx"], CheckContext(tmp_path))
    assert finding.rule == "scan.not-found" and "找不到" in finding.message


def test_scan_walks_folders(tmp_path):
    write(tmp_path / "a/b/list.md", f"| 姓名 | 身份证 |\n|---|---|\n| 王* | {id18()} |\n")
    findings = scan_paths([tmp_path / "a"], CheckContext(tmp_path))
    assert [(f.rule, f.line) for f in findings] == [("privacy.id-number", 3)]
