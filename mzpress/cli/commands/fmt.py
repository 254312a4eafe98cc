"""``mzpress fmt FILE... [--check]``: apply the Chinese typography fixes to Markdown stories.

The body, the title and the summary change (:func:`mzpress.checks.typography.fix`: a title or
summary is written back as YAML that reads exactly the corrected text, quoted when it must be); the
rest of the front matter and fenced code stay byte for byte. A file is written only when something changes, and its original is kept: by git when the file is
committed unchanged, otherwise as a copy under ``.mzpress-backup/`` at the project root
(``FILE.bak`` beside a file outside any project; never overwriting an existing backup).
``--check`` writes nothing and exits 1 when some file would change.
"""

from __future__ import annotations

import sys
from pathlib import Path

from mzpress.checks.typography import GOVERNMENT, MARKDOWN_SUFFIXES, fix, style_of
from mzpress.editing.in_place import rewrite
from mzpress.model.backup_names import backup_note, backup_phrase
from mzpress.model.config import load_config
from mzpress.model.findings import FindingsError
from mzpress.model.path_walk import files_under
from mzpress.model.project import find_root
from mzpress.model.source_text import decode


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "fmt", help="自动修正稿件的中文排版（中文与数字、英文之间不加空格，全角标点，重复标点）",
        description="按政府网站中文排版规范自动修正 Markdown 稿件的正文、标题（title）和摘要（summary）："
                    "删除中文与数字、英文之间的空格，中文句子里的半角标点和括号改为全角，全角数字和字母改为半角，"
                    "删除重复的标点。信息区（--- 之间）的其他内容和代码块不改动。文件有改动时先把原文件备份到项目根目录的 .mzpress-backup 文件夹"
                    "（不会发布，也不会提交到 git；不在网站项目里的文件备份为旁边的“文件名.bak”）；"
                    "文件已提交到 git 且没有改动时由 git 保留原文，不另存备份。")
    parser.add_argument("paths", nargs="+", metavar="文件", help="要修正的 Markdown 文件或文件夹")
    parser.add_argument("--check", action="store_true", help="只检查不修改：有文件需要修正时退出码为 1")
    parser.set_defaults(func=run)


def _style(path: Path, known: dict[Path, str]) -> str:
    """The spacing style of the site the file belongs to (government style outside a project)."""
    try:
        root = find_root(path.resolve().parent)
    except FindingsError:
        return GOVERNMENT
    if root not in known:
        known[root] = style_of(load_config(root)[0])
    return known[root]


def run(args) -> int:
    styles: dict[Path, str] = {}
    status = 0
    changed: list[str] = []
    backups: list[Path] = []
    for name in args.paths:
        given = Path(name)
        if not given.exists():
            print(f"{name}：找不到这个文件或文件夹，请检查路径。", file=sys.stderr)
            status = max(status, 2)
            continue
        for path in files_under(given, MARKDOWN_SUFFIXES):
            shown = path.as_posix()
            if not path.name.lower().endswith(MARKDOWN_SUFFIXES):
                print(f"{shown}：不是 Markdown 稿件（.md），跳过。")
                continue
            raw = path.read_bytes()
            text, problems = decode(raw, shown)
            if text is None or problems:
                print(f"{shown}：文件编码有问题（不是 UTF-8 或带有 BOM），未修改。请先运行 scripts/mzpress fix-encoding {shown}。",
                      file=sys.stderr)
                status = max(status, 1)
                continue
            new_text = fix(text, shown, _style(path, styles))
            if new_text == text:
                continue
            changed.append(shown)
            if args.check:
                print(f"{shown}：需要修正中文排版（运行 scripts/mzpress fmt {shown} 自动修正）。")
                continue
            try:
                backup = rewrite(path, new_text.encode("utf-8"), git_is_backup=True)
            except OSError as exc:
                print(f"{shown}：无法写入（{exc.strerror or exc}），未修改。", file=sys.stderr)
                status = max(status, 1)
                continue
            if backup is not None:
                backups.append(backup)
                print(f"{shown}：已修正中文排版（原文件{backup_phrase(backup)}）。")
            else:
                print(f"{shown}：已修正中文排版（原文已在 git 中，可用 git diff 查看改动）。")
    if args.check:
        if changed:
            print(f"共有{len(changed)}个文件需要修正。")
            return max(status, 1)
        print("中文排版检查通过：没有需要修正的文件。")
    elif not changed and status == 0:
        print("没有需要修正的内容，文件未改动。")
    note = backup_note(backups)
    if note:
        print(note)
    return status
