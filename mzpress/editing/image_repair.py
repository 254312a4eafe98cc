"""Repairing images in place (``mzpress fix-images``): shrink, strip GPS and metadata, keep the original."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mzpress.editing.in_place import rewrite
from mzpress.text.images import ImageError, ImageLimits, inspect_bytes, normalize, problems


@dataclass(frozen=True)
class Repair:
    """What ``repair_in_place`` did to one file."""

    path: Path
    status: str  # "fixed" | "fine" | "failed"
    before: tuple[str, ...] = ()
    remaining: tuple[str, ...] = ()
    message: str = ""
    backup: Path | None = None
    size: tuple[int, int] | None = None
    new_bytes: int = 0


def repair_in_place(path: Path, limits: ImageLimits | None = None) -> Repair:
    """Resize, strip metadata and re-encode ``path`` when it breaks a rule; keep the original first."""

    limits = limits or ImageLimits()
    path = Path(path)
    try:
        data = path.read_bytes()
        info = inspect_bytes(data, "这个文件")
    except OSError as exc:
        return Repair(path, "failed", message=f"无法读取：{exc.strerror or exc}。")
    except ImageError as exc:
        return Repair(path, "failed", message=str(exc))
    before = problems(info, len(data), limits)
    if not before:
        return Repair(path, "fine")
    try:
        processed = normalize(data, "这个文件", limits, keep_format=True)
    except ImageError as exc:
        return Repair(path, "failed", tuple(before), message=str(exc))
    try:
        backup = rewrite(path, processed.data, git_is_backup=True)
    except OSError as exc:
        return Repair(path, "failed", tuple(before), message=f"无法写入：{exc.strerror or exc}。原文件没有改动。")
    after = problems(inspect_bytes(processed.data, path.name), len(processed.data), limits)
    return Repair(path, "fixed", tuple(before), tuple(after), backup=backup,
                  size=(processed.width, processed.height), new_bytes=len(processed.data))
