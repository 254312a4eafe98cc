"""How the backups mzpress keeps before changing a file are named, and where they lie.

Inside a project (the folder with ``site_config/`` and ``content/``) a backup goes to the
git-ignored folder :data:`BACKUP_DIR` at the project root, under the file's own path relative
to the root plus the time it was made::

    content/stories/2025/a.md  ->  .mzpress-backup/content/stories/2025/a.md.20261201-093000
                                   .mzpress-backup/content/stories/2025/a.md.20261201-093000-2  (same second)

so nothing is ever added under ``content/`` (``git add content/`` cannot stage a backup, the
site never publishes one). Outside any project (``mzpress mask`` on a list in the Downloads
folder) there is no project folder, and the backup lies beside the file: ``FILE.bak``,
``FILE.bak.2`` ... Earlier versions also left ``FILE.bak`` / ``FILE.bak.2`` under ``content/``
and ``mzpress mask --force`` left ``OUT.bak2``; :func:`original_name` knows every form, so
``mzpress scan`` can check a backup as the kind of file it was made of.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePath

BACKUP_DIR = ".mzpress-backup"
TIMESTAMP_FORMAT = "%Y%m%d-%H%M%S"
# The folder's own .gitignore: ignored even in a project whose .gitignore lacks the entry.
BACKUP_DIR_GITIGNORE = "# mzpress 修改文件前保存的原文件备份：不会发布，也不要提交到 git。\n*\n".encode()

_BACKUP_NAME = re.compile(r"^(?P<original>.+?)(?:\.bak(?:\.?\d+)?|\.\d{8}-\d{6}(?:-\d+)?)$", re.IGNORECASE)


def timestamped_name(name: str, stamp: str, number: int = 1) -> str:
    """``a.md`` -> ``a.md.20261201-093000`` (number 1), ``a.md.20261201-093000-2`` (number 2) ..."""
    return f"{name}.{stamp}" if number <= 1 else f"{name}.{stamp}-{number}"


def beside_name(name: str, number: int = 1) -> str:
    """``a.md`` -> ``a.md.bak`` (number 1), ``a.md.bak.2`` (number 2) ..."""
    return f"{name}.bak" if number <= 1 else f"{name}.bak.{number}"


def original_name(name: str) -> str | None:
    """The name of the file a backup was made of (``a.md.bak`` -> ``a.md``,
    ``a.md.20261201-093000-2`` -> ``a.md``, ``a.md.bak.bak`` -> ``a.md``); None when ``name``
    is not a backup's name."""
    match = _BACKUP_NAME.match(name)
    if match is None:
        return None
    original = match.group("original")
    return original_name(original) or original


def shown_backup(path: Path) -> str:
    """A backup's path as told to the writer: relative to the project root for one under
    ``.mzpress-backup/`` (``.mzpress-backup/content/a.md.20261201-093000``), else as given."""
    path = PurePath(path)
    for folder in path.parents:
        if folder.name == BACKUP_DIR:
            return path.relative_to(folder.parent).as_posix()
    return path.as_posix()


def in_backup_dir(path: Path) -> bool:
    return any(folder.name == BACKUP_DIR for folder in PurePath(path).parents)


def backup_phrase(path: Path) -> str:
    """``已备份到 .mzpress-backup/content/a.md.20261201-093000`` or ``已备份为 a.md.bak``."""
    return f"已备份到 {shown_backup(path)}" if in_backup_dir(path) else f"已备份为 {shown_backup(path)}"


def backup_note(backups: list[Path]) -> str | None:
    """The closing advice after a command made ``backups`` (None when it made none)."""
    notes = []
    if any(in_backup_dir(path) for path in backups):
        notes.append(f"备份在项目根目录的 {BACKUP_DIR} 文件夹里，不会发布，也不会提交到 git；确认修改无误后可以删除。")
    if any(not in_backup_dir(path) for path in backups):
        notes.append("文件不在网站项目里，备份（.bak）放在原文件旁边：里面是修改前的原文，不要上传或发布，确认修改无误后请删除。")
    return "".join(notes) or None
