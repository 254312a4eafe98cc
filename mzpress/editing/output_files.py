"""Writing a command's result into a folder (``inspect --out``, ``report --out``) without losing the last one.

A file of the same name is replaced only when its content changes, after a backup (none when git
holds it as it is); a new file appears whole or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mzpress.editing.atomic_files import TargetExistsError, write_new_files
from mzpress.editing.in_place import rewrite

WRITTEN, UPDATED, UNCHANGED = "written", "updated", "unchanged"


class OutputError(Exception):
    """The result cannot be written; ``str(exc)`` is the Chinese message with what to do."""


@dataclass(frozen=True)
class WrittenOutput:
    path: Path
    status: str  # WRITTEN, UPDATED or UNCHANGED
    backup: Path | None = None  # where the replaced file was kept (None: git keeps it, or nothing replaced)

    def message(self, what: str) -> str:
        """``what`` names the result (自查结果, 统计报表): 已写入自查结果：path …"""
        if self.status == UNCHANGED:
            return f"{what}没有变化：{self.path}"
        if self.status == UPDATED:
            kept = f"（原文件已备份到 {self.backup}）" if self.backup else "（原文件可从 git 找回）"
            return f"已更新{what}：{self.path}{kept}"
        return f"已写入{what}：{self.path}"


def write_output(directory: Path, name: str, data: bytes) -> WrittenOutput:
    if directory.exists() and not directory.is_dir():
        raise OutputError(f"--out 指定的“{directory}”是一个文件，不是文件夹。请另写一个文件夹的路径。")
    path = directory / name
    try:
        if path.is_file():
            if path.read_bytes() == data:
                return WrittenOutput(path, UNCHANGED)
            return WrittenOutput(path, UPDATED, rewrite(path, data, git_is_backup=True))
        write_new_files({path: data})
    except TargetExistsError:
        raise OutputError(f"{path} 刚被其他程序创建，请重新运行。") from None
    except OSError as exc:
        raise OutputError(f"无法写入 {path}：{exc.strerror or exc}。请检查文件夹是否存在、是否有写入权限。") from None
    return WrittenOutput(path, WRITTEN)
