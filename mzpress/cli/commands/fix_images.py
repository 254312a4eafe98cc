"""``mzpress fix-images [PATH…]``: shrink, strip GPS/EXIF and re-encode images that break the rules, in place."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from mzpress.editing.image_repair import repair_in_place
from mzpress.model.backup_names import backup_note, backup_phrase
from mzpress.model.config import require_config
from mzpress.model.findings import FindingsError
from mzpress.model.project import find_root
from mzpress.text.images import ImageLimits, human_size, is_image_name


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "fix-images", help="修复过大或带拍摄位置的图片（缩小、去除 EXIF/GPS、重新压缩）",
        description="检查图片并就地修复：长边缩小到上限以内、去除拍摄位置等 EXIF 信息、重新压缩。"
                    "已提交到 git 且未改动的图片由 git 保留原图，其他情况先把原图备份到项目根目录的 .mzpress-backup 文件夹"
                    "（不会发布，也不会提交到 git；不在网站项目里的图片备份为旁边的“文件名.bak”）。")
    parser.add_argument("paths", nargs="*", metavar="路径", help="图片文件或文件夹（默认整个 content 文件夹）")
    parser.set_defaults(func=run)


def _images(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """Image files under ``paths`` (hidden folders skipped) and the paths that do not exist."""
    found: list[Path] = []
    missing: list[Path] = []
    for given in paths:
        if given.is_file():
            found.append(given)
        elif given.is_dir():
            for dirpath, dirnames, filenames in os.walk(given):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                found += [Path(dirpath) / name for name in sorted(filenames)
                          if is_image_name(name) and not name.startswith(".")]
        else:
            missing.append(given)
    return found, missing


def _shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def run(args) -> int:
    try:
        root: Path | None = find_root(args.root)
    except FindingsError:
        if not args.paths:
            raise
        root = None  # outside a project: fix the given files with the default limits
    # Inside a project the limits of site.yml; a configuration error stops here (exit 2), as in the build.
    limits = require_config(root).site.images if root is not None else ImageLimits()
    paths = [Path(p) for p in args.paths] if args.paths else [root / "content"]
    images, missing = _images(paths)
    for path in missing:
        print(f"找不到：{_shown(path)}", file=sys.stderr)
    counts = {"fixed": 0, "fine": 0, "failed": 0}
    still = 0
    backups: list[Path] = []
    for path in images:
        if not is_image_name(path):
            print(f"跳过（不是 JPG/PNG 等图片文件）：{_shown(path)}")
            continue
        outcome = repair_in_place(path, limits)
        counts[outcome.status] += 1
        if outcome.status == "failed":
            print(f"无法修复：{_shown(path)}：{outcome.message}", file=sys.stderr)
        elif outcome.status == "fixed":
            width, height = outcome.size or (0, 0)
            print(f"已修复：{_shown(path)}（{'；'.join(outcome.before)}）→ {width}×{height} 像素，{human_size(outcome.new_bytes)}")
            if outcome.backup is not None:
                backups.append(outcome.backup)
                print(f"    原图{backup_phrase(outcome.backup)}。")
            else:
                print("    原图已由 git 保留（需要时可用 git checkout -- 文件名 找回）。")
            if outcome.remaining:
                still += 1
            for problem in outcome.remaining:
                print(f"    仍有问题：{problem}。请换一张更小的图片，或把 PNG 另存为 JPG。", file=sys.stderr)
    partly = f"（其中{still}张仍有问题）" if still else ""
    print(f"共检查{sum(counts.values())}张图片：修复{counts['fixed']}张{partly}，"
          f"无需修复{counts['fine']}张，无法修复{counts['failed']}张。")
    note = backup_note(backups)
    if note:
        print(note)
    return 1 if counts["failed"] or still or missing else 0
