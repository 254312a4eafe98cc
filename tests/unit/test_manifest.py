"""The integrity manifest: deterministic JSON that reads back, strict parsing, tree comparison."""

from __future__ import annotations

import json
import os

import pytest

from mzpress.publishing.manifest import (
    MANIFEST_NAME,
    ManifestError,
    build_manifest,
    compare_tree,
    parse_manifest,
    remove_manifest,
    write_manifest,
)

COMMIT = "0123456789abcdef0123456789abcdef01234567"


def _tree(root, files):
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


def test_manifest_round_trips_and_never_lists_itself(tmp_path):
    site = _tree(tmp_path / "site", {"index.html": b"<h1>x</h1>", "a/b/c.css": b"", "中文/页面.html": "页面".encode()})
    first = build_manifest(site, COMMIT, "2026-12-02T10:00:00+00:00", "0.1.0")
    write_manifest(site, first)
    again = build_manifest(site, COMMIT, "2026-12-02T10:00:00+00:00", "0.1.0")  # the manifest is skipped
    assert again == first and MANIFEST_NAME not in first.files
    text = (site / MANIFEST_NAME).read_text(encoding="utf-8")
    assert parse_manifest(text, "x") == first and json.loads(text)["file_count"] == 3
    assert first.files["a/b/c.css"].sha256 == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert first.short_commit == "0123456789" and first.total_size == 10 + 0 + 6
    remove_manifest(site)
    assert not (site / MANIFEST_NAME).exists()


def test_a_symlink_in_the_build_is_refused(tmp_path):
    site = _tree(tmp_path / "site", {"index.html": b"x"})
    os.symlink("/etc/passwd", site / "passwd.html")
    with pytest.raises(ManifestError, match="passwd.html"):
        build_manifest(site, None, "t", "v")


def test_compare_finds_a_one_byte_change_a_new_file_a_removed_file_and_a_symlink(tmp_path):
    site = _tree(tmp_path / "site", {"a.html": b"abcdef", "b.html": b"b", "c.html": b"c", "d.html": b"d"})
    manifest = build_manifest(site, None, "t", "v")
    assert compare_tree(manifest, site).clean
    (site / "a.html").write_bytes(b"abcdeg")  # same size, one byte
    (site / "new.html").write_bytes(b"new")
    (site / "b.html").unlink()
    (site / "c.html").unlink()
    os.symlink("d.html", site / "c.html")
    difference = compare_tree(manifest, site)
    assert (difference.modified, difference.added, difference.removed, difference.odd) == (
        ("a.html",), ("new.html",), ("b.html",), ("c.html",))
    assert difference.count == 4 and not difference.clean


@pytest.mark.parametrize("change, message", [
    (lambda d: "not json", "不是有效的 JSON"),
    (lambda d: {**d, "format": "other"}, "不是 mzpress 完整性清单"),
    (lambda d: {**d, "files": {"../etc/passwd": {"sha256": "0" * 64, "size": 1}}, "file_count": 1}, "路径"),
    (lambda d: {**d, "files": {"/abs": {"sha256": "0" * 64, "size": 1}}, "file_count": 1}, "路径"),
    (lambda d: {**d, "files": {MANIFEST_NAME: {"sha256": "0" * 64, "size": 1}}, "file_count": 1}, "路径"),
    (lambda d: {**d, "files": {"a.html": {"sha256": "xyz", "size": 1}}, "file_count": 1}, "校验值或大小无效"),
    (lambda d: {**d, "files": {"a.html": {"sha256": "0" * 64, "size": -1}}, "file_count": 1}, "校验值或大小无效"),
    (lambda d: {**d, "commit": "$(rm -rf /)"}, "源提交"),
    (lambda d: {**d, "file_count": 99}, "不完整"),
    (lambda d: {k: v for k, v in d.items() if k != "built_at"}, "构建时间"),
])
def test_a_bad_manifest_is_refused_with_a_chinese_message(tmp_path, change, message):
    site = _tree(tmp_path / "site", {"a.html": b"a"})
    data = json.loads(build_manifest(site, COMMIT, "t", "v").to_json())
    changed = change(data)
    text = changed if isinstance(changed, str) else json.dumps(changed)
    with pytest.raises(ManifestError, match=message) as caught:
        parse_manifest(text, "site/.mzpress-manifest.json")
    assert "scripts/build" in caught.value.suggestion
