import datetime as dt

from mzpress.checks.context import CheckContext
from mzpress.checks.runner import check_project, scan_paths
from mzpress.model.schema import TIMEZONE
from tests.support.personal_data import id18
from tests.support.project import new_project, write

NOW = dt.datetime(2026, 11, 30, tzinfo=TIMEZONE)


def test_a_gbk_attachment_is_reported_and_still_scanned_for_personal_data(tmp_path):
    root = new_project(tmp_path / "p")
    path = root / "content/notices/2025/files/list.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
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


def test_exemptions_apply_to_every_check_in_check_and_scan(tmp_path):
    root = new_project(tmp_path / "p")
    body = ("值班电话 13812345678<!-- mzpress: allow privacy.mobile 局值班手机，按规定公开 -->\n\n"
            "见[旧稿](gone.md)<!-- mzpress: allow links -->\n")
    path = write(root / "content/stories/2025/ex.md",
                 "---\ntitle: 豁免\ndate: 2025-01-01\nunit: office\nauthor: 甲\neditor: 乙\nsummary: 摘要\n---\n\n" + body)
    _, findings = check_project(root, NOW)
    mine = {(f.rule, f.severity.value) for f in findings if f.file.endswith("ex.md")}
    assert ("exemption.used", "info") in mine
    assert not any(rule == "privacy.mobile" for rule, _ in mine)
    assert ("links.broken", "error") in mine  # an exemption without a reason does not apply
    assert any(rule.startswith("exemption.") and sev == "error" for rule, sev in mine)
    scanned = {f.rule for f in scan_paths([path], CheckContext(root))}
    assert "exemption.used" in scanned and "privacy.mobile" not in scanned


def test_a_partial_check_reports_its_pages_links_exactly_as_the_full_check_does(tmp_path):
    """The links check judges only the focused pages in a partial check (CheckContext.focus): same findings for them."""
    root = new_project(tmp_path / "p")
    front = "---\ntitle: {t}\ndate: 2025-01-01\nunit: office\nauthor: 甲\neditor: 乙\nsummary: 摘要\n---\n\n"
    write(root / "content/stories/2025/a.md", front.format(t="甲稿") + "见[旧稿](gone.md)和[乙稿](b.md)。\n")
    write(root / "content/stories/2025/b.md", front.format(t="乙稿") + "见![图](images/none.jpg)。\n")
    _, full = check_project(root, NOW)
    for src in ("stories/2025/a.md", "stories/2025/b.md"):
        _, partial = check_project(root, NOW, only={src})
        mine = sorted((f.rule, f.line, f.column) for f in partial if f.file == f"content/{src}")
        assert mine == sorted((f.rule, f.line, f.column) for f in full if f.file == f"content/{src}")
        assert any(rule.startswith("links") or rule.startswith("images") for rule, _, _ in mine)
