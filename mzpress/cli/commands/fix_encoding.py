"""``mzpress fix-encoding FILE...``: convert to UTF-8 and remove invisible characters, keeping a backup.

The backup goes under ``.mzpress-backup/`` at the project root (``FILE.bak`` beside a file
outside any project), see ``mzpress.editing.backups``.

Exit 0 when every file is UTF-8 and clean afterwards, 1 when a file could not be
repaired (left untouched) or was not found.
"""

from __future__ import annotations

import sys
from pathlib import Path

from mzpress.editing.encoding_repair import TEXT_SUFFIXES, repair_file
from mzpress.model.backup_names import backup_note, backup_phrase
from mzpress.model.path_walk import files_under


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "fix-encoding", help="把 GBK 等编码的文本文件转换为 UTF-8，并删除 BOM、零宽字符和控制字符",
        description="把 GBK/GB18030 或 UTF-16 编码的 Markdown、文本、CSV、YAML 文件转换为 UTF-8，"
                    "去掉 BOM、零宽字符和控制字符。改动前先把原文件备份到项目根目录的 .mzpress-backup 文件夹"
                    "（不会发布，也不会提交到 git；不在网站项目里的文件备份为旁边的“文件名.bak”）；已有的备份不会被覆盖。"
                    "无法识别编码的文件不做任何修改。")
    parser.add_argument("paths", nargs="+", metavar="文件", help="要修复的文件或文件夹（文件夹中只处理文本文件）")
    parser.set_defaults(func=run)


def run(args) -> int:
    status = 0
    fixed = clean = 0
    backups: list[Path] = []
    for name in args.paths:
        given = Path(name)
        if not given.exists():
            print(f"{name}：找不到这个文件或文件夹，请检查路径。", file=sys.stderr)
            status = 1
            continue
        for path in files_under(given, TEXT_SUFFIXES):
            shown = path.as_posix()
            if path.suffix.lower() not in TEXT_SUFFIXES:
                print(f"{shown}：不是文本文件（只处理 {'、'.join(sorted(TEXT_SUFFIXES))}），未改动。")
                continue
            try:
                result = repair_file(path)
            except OSError as exc:
                print(f"{shown}：无法读写文件（{exc.strerror or exc}），未改动。", file=sys.stderr)
                status = 1
                continue
            if result.repair.problem:
                print(f"{shown}：{result.repair.problem}", file=sys.stderr)
                status = 1
            elif result.repair.changed:
                fixed += 1
                backups.append(result.backup)
                print(f"{shown}：已修复——{'；'.join(result.repair.actions)}。原文件{backup_phrase(result.backup)}。")
            else:
                clean += 1
                print(f"{shown}：已是 UTF-8 编码，没有发现需要修复的问题，未改动。")
    if fixed:
        print(f"共修复{fixed}个文件。" + (backup_note(backups) or ""))
    return status
