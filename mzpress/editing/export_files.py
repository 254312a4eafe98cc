"""Where ``mzpress export`` writes: the project's ``导出/`` folder (kept out of git) or the folder given.

The default folder gets its own ``.gitignore`` (``*``), so ``git add .`` never takes an export into the
site's history (a Word file or a zip at the project root would otherwise wait for a technical
reviewer as site code). Nothing is written under ``content/``: every file there is checked and
published. Each file is written whole or not at all, and a file of the same name is replaced only
after a backup (:func:`mzpress.editing.output_files.write_output`).
"""

from __future__ import annotations

import os
from pathlib import Path

from mzpress.editing.atomic_files import TargetExistsError, write_new_files
from mzpress.editing.output_files import OutputError, WrittenOutput, write_output

EXPORT_DIR = "导出"
IGNORE_ALL = b"# mzpress export: outputs for other outlets, never part of the site\n*\n"


def export_folder(root: Path, given: str | None) -> Path:
    """The folder to write into: ``given`` (relative to the current folder), else ``<root>/导出``.

    Raises :class:`OutputError` for a folder inside ``content/``."""
    folder = Path(given).resolve() if given else (Path(root) / EXPORT_DIR).resolve()
    content = (Path(root) / "content").resolve()
    if folder == content or content in folder.parents:
        raise OutputError(f"不能导出到 content/ 文件夹里（{folder}）：那里的每个文件都会被检查和发布。"
                          "请另选一个文件夹，或不写 --out（导出到项目的“导出”文件夹）。")
    return folder


def write_export(root: Path, folder: Path, files: dict[str, bytes]) -> list[WrittenOutput]:
    """Write ``files`` (name -> bytes) into ``folder``; the default folder is kept out of git."""
    default = (Path(root) / EXPORT_DIR).resolve()
    if folder == default or default in folder.parents:
        ignore = default / ".gitignore"
        if not os.path.lexists(ignore):
            try:
                write_new_files({ignore: IGNORE_ALL})
            except TargetExistsError:
                pass  # written meanwhile by another run
            except OSError as exc:
                raise OutputError(f"无法创建 {default}：{exc.strerror or exc}。请检查是否有写入权限。") from None
    return [write_output(folder, name, data) for name, data in files.items()]
